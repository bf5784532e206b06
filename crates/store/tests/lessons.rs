//! Dilemma sessions against a real store (SQLite always, PostgreSQL when
//! `ERBIJ_TEST_DATABASE_URL` is set): 30 pupils' devices voting at the same moment from
//! 30 threads, exact totals, a second vote refused, the tables read afterwards to show no
//! row links a vote to a pupil or a device, and a join code that stops working when the
//! session ends by itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::{Arc, Barrier};

use erbij_core::{
    Actor, ClassName, Clock, Date, Email, FixedClock, LessonError, NewPupil, NewUser, Platform,
    Role, SchoolKind, SchoolName, Store,
};

const PUPILS: usize = 30;

/// 2026-12-07 09:00 UTC, a Monday morning lesson.
fn monday_morning() -> i64 {
    Date::parse("2026-12-07").unwrap().days_since_epoch() * 86_400 + 9 * 3600
}

struct Class {
    teacher: Actor,
    class: erbij_core::ClassId,
    pupils: Vec<String>,
}

fn class_2b(platform: &Platform) -> Class {
    let store = platform.store();
    let school = store
        .create_school(
            &SchoolName::new("De Stemwijzer").unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let account = |email: &str, role: Role| {
        let user = store
            .create_user(&NewUser {
                school_id: school.id,
                email: Email::new(email).unwrap(),
                name: "Collega Test".into(),
                role,
                password_hash: "not-a-hash".into(),
            })
            .unwrap();
        Actor {
            user_id: user.id,
            school_id: school.id,
            role,
        }
    };
    let admin = account("admin@stemwijzer.example", Role::Administrator);
    let teacher = account("mentor2b@stemwijzer.example", Role::Teacher);
    let class = store
        .create_class(school.id, &ClassName::new("2B").unwrap())
        .unwrap()
        .id;
    platform
        .assign_teacher(&admin, class, teacher.user_id)
        .unwrap();
    // The class list, so the test can look for pupils' names in the lesson tables.
    let pupils = (0..PUPILS)
        .map(|i| {
            let given = format!("Leerling{i:02}");
            platform
                .create_pupil(
                    &admin,
                    class,
                    NewPupil::parse(&given, "", "Testdata", &format!("9{i:03}")).unwrap(),
                )
                .unwrap();
            given
        })
        .collect();
    Class {
        teacher,
        class,
        pupils,
    }
}

const LESSON_TABLES: [&str; 5] = [
    "dilemma_sessions",
    "dilemma_tallies",
    "dilemma_participants",
    "dilemma_voters",
    "agreement_devices",
];

/// `dump`: every row of a table as text (the test's view of the database); `columns`: a
/// table's column names.
fn run(
    store: Arc<dyn Store>,
    dump: &dyn Fn(&str) -> Vec<Vec<String>>,
    columns: &dyn Fn(&str) -> Vec<String>,
) {
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let platform = Platform::new(store, clock.clone() as Arc<dyn Clock>);
    let c = class_2b(&platform);
    let session = platform
        .start_dilemma_session(&c.teacher, c.class, &[1, 2])
        .unwrap();
    let code = session.join_code.clone().unwrap();
    let dilemma = session.current_dilemma().unwrap();

    // Each pupil's phone: a random cookie, as the web layer makes one.
    let cookies: Vec<String> = (0..PUPILS)
        .map(|_| erbij_core::new_secret_token().unwrap())
        .collect();
    let start = Arc::new(Barrier::new(PUPILS));
    let threads: Vec<_> = cookies
        .iter()
        .enumerate()
        .map(|(i, cookie)| {
            let (platform, start, code, cookie) = (
                platform.clone(),
                start.clone(),
                code.clone(),
                cookie.clone(),
            );
            std::thread::spawn(move || {
                platform.join_session(&code, &cookie).unwrap();
                start.wait();
                // Choices 1, 2, 3 in turn: 10 votes each.
                let choice = i64::try_from(i % 3).unwrap() + 1;
                platform.vote(&code, dilemma, choice, &cookie).unwrap();
                // The same phone again, at once: refused, whatever it picks.
                matches!(
                    platform.vote(&code, dilemma, 4 - choice, &cookie),
                    Err(LessonError::AlreadyVoted)
                )
            })
        })
        .collect();
    for thread in threads {
        assert!(thread.join().unwrap(), "a second vote was not refused");
    }

    // The totals are exact.
    let (_, tallies) = platform.dilemma_results(&c.teacher, session.id).unwrap();
    let counts: Vec<(i64, i64, i64)> = tallies
        .iter()
        .map(|t| (t.dilemma_id, t.choice, t.votes))
        .collect();
    assert_eq!(
        counts,
        vec![(dilemma, 1, 10), (dilemma, 2, 10), (dilemma, 3, 10)]
    );
    let live = platform
        .dilemma_live_counts(&c.teacher, session.id)
        .unwrap();
    assert_eq!(live.joined, 30);
    assert_eq!(live.votes, vec![(dilemma, 30)]);
    for cookie in &cookies {
        assert!(
            platform
                .device_has_voted(&session, dilemma, cookie)
                .unwrap()
        );
    }

    // What the database holds. A counter has no device and no pupil; the voter list (to
    // refuse a second vote) has no choice; nothing holds a cookie, a pupil id or a name.
    let tally_columns = columns("dilemma_tallies");
    assert_eq!(
        tally_columns,
        ["school_id", "session_id", "dilemma_id", "choice", "votes"]
    );
    let voter_columns = columns("dilemma_voters");
    assert_eq!(voter_columns, ["session_id", "dilemma_id", "device_hash"]);
    assert_eq!(
        columns("dilemma_participants"),
        ["session_id", "device_hash"]
    );
    for table in LESSON_TABLES {
        let cols = columns(table);
        assert!(
            !(cols.iter().any(|c| c.contains("device")) && cols.iter().any(|c| c == "choice")),
            "{table} links a device to a choice: {cols:?}"
        );
        assert!(
            !cols.iter().any(|c| c.contains("pupil")),
            "{table} names a pupil: {cols:?}"
        );
    }
    let tally_rows = dump("dilemma_tallies");
    assert_eq!(
        tally_rows.len(),
        3,
        "one counter per choice: {tally_rows:?}"
    );
    let voter_rows = dump("dilemma_voters");
    assert_eq!(voter_rows.len(), 30);
    let everything: Vec<String> = LESSON_TABLES
        .iter()
        .flat_map(|t| dump(t))
        .flatten()
        .collect();
    for cookie in &cookies {
        assert!(!everything.iter().any(|v| v.contains(cookie.as_str())));
    }
    for name in &c.pupils {
        assert!(!everything.iter().any(|v| v.contains(name.as_str())));
    }
    // The same phone leaves unrelated traces in another session, so two sessions cannot
    // be joined into a profile of one device either.
    let second = platform
        .start_dilemma_session(&c.teacher, c.class, &[3])
        .unwrap();
    let second_code = second.join_code.clone().unwrap();
    platform.join_session(&second_code, &cookies[0]).unwrap();
    let participants = dump("dilemma_participants");
    let hashes_of = |session: i64| -> Vec<String> {
        participants
            .iter()
            .filter(|row| row[0] == session.to_string())
            .map(|row| row[1].clone())
            .collect()
    };
    let in_second = hashes_of(second.id);
    assert_eq!(in_second.len(), 1);
    assert!(!hashes_of(session.id).contains(&in_second[0]));

    // The next dilemma: its own vote, the first one's totals unchanged.
    let moved = platform
        .advance_dilemma_session(&c.teacher, session.id)
        .unwrap();
    assert_eq!(moved.current_dilemma(), Some(2));
    assert!(matches!(
        platform.vote(&code, dilemma, 1, &cookies[0]),
        Err(LessonError::NotVoting)
    ));
    platform.vote(&code, 2, 2, &cookies[0]).unwrap();

    // The session ends by itself three hours after the start: the code opens nothing,
    // the device traces are gone, only the totals stay.
    clock.advance(3 * 3600);
    assert!(matches!(
        platform.join_session(&code, &erbij_core::new_secret_token().unwrap()),
        Err(LessonError::UnknownCode)
    ));
    assert!(matches!(
        platform.vote(&code, 2, 1, &erbij_core::new_secret_token().unwrap()),
        Err(LessonError::UnknownCode)
    ));
    platform.end_expired_dilemma_sessions().unwrap();
    let sessions = dump("dilemma_sessions");
    assert!(
        sessions.iter().all(|row| row[1] == "NULL"),
        "every code is cleared: {sessions:?}"
    );
    assert!(dump("dilemma_voters").is_empty());
    assert!(dump("dilemma_participants").is_empty());
    let (_, after) = platform.dilemma_results(&c.teacher, session.id).unwrap();
    let after: Vec<(i64, i64, i64)> = after
        .iter()
        .map(|t| (t.dilemma_id, t.choice, t.votes))
        .collect();
    assert_eq!(
        after,
        vec![(1, 1, 10), (1, 2, 10), (1, 3, 10), (2, 2, 1)],
        "only the totals stay"
    );
}

/// A table's rows with the session's code where it has one (`dilemma_sessions`: id, code).
fn sqlite_select(table: &str) -> String {
    match table {
        "dilemma_sessions" => "SELECT id, join_code FROM dilemma_sessions ORDER BY id".into(),
        "dilemma_participants" => {
            "SELECT session_id, device_hash FROM dilemma_participants ORDER BY session_id".into()
        }
        other => format!("SELECT * FROM {other}"),
    }
}

#[test]
fn thirty_pupils_vote_at_once_on_sqlite() {
    let dir = temp_dir("lessons");
    let store = erbij_store::open_sqlite_in(&dir).unwrap();
    let path = dir.join(erbij_store::DATABASE_FILE);
    let open = || rusqlite::Connection::open(&path).unwrap();
    let dump = |table: &str| -> Vec<Vec<String>> {
        let db = open();
        let mut statement = db.prepare(&sqlite_select(table)).unwrap();
        let width = statement.column_count();
        statement
            .query_map([], |row| {
                Ok((0..width)
                    .map(|i| match row.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Null => "NULL".to_string(),
                        rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                    .collect())
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let columns = |table: &str| -> Vec<String> {
        let db = open();
        let statement = db.prepare(&format!("SELECT * FROM {table}")).unwrap();
        statement
            .column_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    run(Arc::new(store), &dump, &columns);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn thirty_pupils_vote_at_once_on_postgres() {
    common::on_postgres(
        &format!("erbij_lessons_{}", std::process::id()),
        |url, schema| {
            let connect = || {
                let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
                client
                    .batch_execute(&format!("SET search_path TO \"{schema}\""))
                    .unwrap();
                client
            };
            let dump = |table: &str| -> Vec<Vec<String>> {
                let mut client = connect();
                // Every column as text, so one reader fits every table.
                let cols: Vec<String> = client
                    .query(
                        "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                        &[&schema, &table],
                    )
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect();
                let wanted: Vec<String> = match table {
                    "dilemma_sessions" => vec!["id".into(), "join_code".into()],
                    "dilemma_participants" => vec!["session_id".into(), "device_hash".into()],
                    _ => cols,
                };
                let select = wanted
                    .iter()
                    .map(|c| format!("COALESCE({c}::text, 'NULL')"))
                    .collect::<Vec<_>>()
                    .join(", ");
                client
                    .query(&format!("SELECT {select} FROM {table}"), &[])
                    .unwrap()
                    .iter()
                    .map(|row| (0..wanted.len()).map(|i| row.get::<_, String>(i)).collect())
                    .collect()
            };
            let columns = |table: &str| -> Vec<String> {
                connect()
                    .query(
                        "SELECT column_name::text FROM information_schema.columns \
                     WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position",
                        &[&schema, &table],
                    )
                    .unwrap()
                    .iter()
                    .map(|r| r.get::<_, String>(0))
                    .collect()
            };
            let store = Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap());
            run(store, &dump, &columns);
        },
    );
}

/// The "discuss again" reminder with the clock in the test's hand: nothing before the date
/// (nor on the date before 07:00), one mail to the class's mentor on it, none more when the
/// jobs run again or after a restart (a new platform over the same database), and a new date
/// gets its own reminder. The mail names the class and links to the list; no pupil's name
/// and no agreement's text.
fn review_reminder(open: &dyn Fn() -> Arc<dyn Store>) {
    let at = |date: &str, utc_hour: i64| {
        Date::parse(date).unwrap().days_since_epoch() * 86_400 + utc_hour * 3600
    };
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let set = |to: i64| clock.advance(to - clock.now());
    let platform = Platform::new(open(), clock.clone() as Arc<dyn Clock>);
    let c = class_2b(&platform);
    let round = platform
        .open_agreement_round(&c.teacher, c.class, None)
        .unwrap();
    let text = "We sturen geen screenshots door zonder te vragen";
    let proposal = platform
        .add_teacher_proposal(&c.teacher, round.id, text)
        .unwrap();
    platform
        .settle_agreements(&c.teacher, round.id, &[proposal], Some("2026-12-21"))
        .unwrap();
    // Saving the same date again schedules nothing new.
    platform
        .set_agreement_review(&c.teacher, round.id, Some("2026-12-21"))
        .unwrap();
    let mailer = erbij_core::mail::MemoryMailer::default();
    let url = "https://erbij.school.example";
    platform.run_due_jobs(&mailer, url, 50).unwrap();
    assert!(
        mailer.sent().is_empty(),
        "nothing on the day it was settled"
    );
    // The date itself, 06:00 in Amsterdam: not yet.
    set(at("2026-12-21", 5));
    platform.run_due_jobs(&mailer, url, 50).unwrap();
    assert!(mailer.sent().is_empty(), "nothing before 07:00");
    // 07:30 in Amsterdam: one mail.
    set(at("2026-12-21", 6) + 1800);
    platform.run_due_jobs(&mailer, url, 50).unwrap();
    let sent = mailer.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let mail = &sent[0];
    assert_eq!(mail.to.as_str(), "mentor2b@stemwijzer.example");
    assert!(mail.subject.contains("2B"), "{}", mail.subject);
    assert!(
        mail.body
            .contains(&format!("{url}/lessons/agreements/{}", round.id)),
        "{}",
        mail.body
    );
    for pupil in &c.pupils {
        assert!(!mail.body.contains(pupil.as_str()) && !mail.subject.contains(pupil.as_str()));
    }
    assert!(!mail.body.contains("Testdata"));
    assert!(!mail.body.contains(text), "no agreement text in mail");
    // Later the same day and the next day: nothing more.
    clock.advance(3600);
    platform.run_due_jobs(&mailer, url, 50).unwrap();
    set(at("2026-12-22", 8));
    platform.run_due_jobs(&mailer, url, 50).unwrap();
    assert_eq!(mailer.sent().len(), 1);
    // A restart: a new platform over the same database, with its own mailer.
    let restarted = Platform::new(open(), clock.clone() as Arc<dyn Clock>);
    let after_restart = erbij_core::mail::MemoryMailer::default();
    restarted.run_due_jobs(&after_restart, url, 50).unwrap();
    assert!(
        after_restart.sent().is_empty(),
        "{:?}",
        after_restart.sent()
    );
    // After the talk the mentor picks the next date, and later changes it once more: only
    // the date that holds is reminded of.
    restarted
        .set_agreement_review(&c.teacher, round.id, Some("2027-02-01"))
        .unwrap();
    restarted
        .set_agreement_review(&c.teacher, round.id, Some("2027-02-08"))
        .unwrap();
    set(at("2027-02-01", 9));
    restarted.run_due_jobs(&after_restart, url, 50).unwrap();
    assert!(
        after_restart.sent().is_empty(),
        "the moved date sends nothing"
    );
    set(at("2027-02-08", 9));
    restarted.run_due_jobs(&after_restart, url, 50).unwrap();
    restarted.run_due_jobs(&after_restart, url, 50).unwrap();
    let sent = after_restart.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert!(sent[0].body.contains("08-02-2027"), "{}", sent[0].body);
}

#[test]
fn the_review_reminder_comes_once_on_its_date_on_sqlite() {
    let dir = temp_dir("lessons-review");
    let path = dir.clone();
    review_reminder(&move || Arc::new(erbij_store::open_sqlite_in(&path).unwrap()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_review_reminder_comes_once_on_its_date_on_postgres() {
    common::on_postgres(
        &format!("erbij_lessons_review_{}", std::process::id()),
        |url, schema| {
            review_reminder(&|| Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap()));
        },
    );
}

/// An agreement round's code works for one lesson day: eight hours after the round opened
/// it opens nothing, for proposing and for voting alike (the session's code and its three
/// hours are in `run` above).
#[test]
fn an_agreement_round_code_expires_after_eight_hours() {
    let dir = temp_dir("lessons-round-code");
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&dir).unwrap());
    let platform = Platform::new(store, clock.clone() as Arc<dyn Clock>);
    let c = class_2b(&platform);
    let round = platform
        .open_agreement_round(&c.teacher, c.class, None)
        .unwrap();
    let code = round.join_code.clone().unwrap();
    let phone = erbij_core::new_secret_token().unwrap();
    platform
        .propose_agreement(&code, "We vragen het eerst", &phone)
        .unwrap();
    clock.advance(erbij_core::lessons::ROUND_CODE_LIFETIME_SECONDS - 60);
    assert!(platform.round_by_code(&code).is_ok(), "still the same day");
    clock.advance(60);
    assert!(matches!(
        platform.round_by_code(&code),
        Err(LessonError::UnknownCode)
    ));
    assert!(matches!(
        platform.propose_agreement(&code, "Nog eentje", &phone),
        Err(LessonError::UnknownCode)
    ));
    assert!(matches!(
        platform.cast_ballot(&code, &[1], &phone),
        Err(LessonError::UnknownCode)
    ));
    // The teacher still has the round and its proposal, and can settle it.
    let proposal = platform
        .add_teacher_proposal(&c.teacher, round.id, "Niemand uit de groep zetten")
        .unwrap();
    platform
        .settle_agreements(&c.teacher, round.id, &[proposal], None)
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
}
