//! Case files and background jobs on both databases: the closing rule at its edges with the
//! clock injected, who sees a case, the record of openings, and check reminders that are
//! mailed exactly once (twice asked, two runners at once, a restart, a mail server away).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::{Arc, Mutex};

use erbij_core::cases::{
    AgreementRecord, CaseError, CaseId, CaseRight, CheckOutcome, CloseOutcome, Hold, NewCase,
    NewCheck, NewStep, Origin, PersonRole, StepKind,
};
use erbij_core::mail::{MAIL_JOB, MailError, Mailer, MemoryMailer, OutgoingMail};
use erbij_core::{
    AccessError, Actor, Clock, Date, Email, FixedClock, NewPupil, NewUser, Platform, PupilId, Role,
    SchoolKind, SchoolName, Store,
};

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// 2026-03-02 09:00 in the Netherlands.
fn monday_morning() -> i64 {
    date("2026-03-02").amsterdam_time(9, 0)
}

struct World {
    platform: Platform,
    clock: Arc<FixedClock>,
    admin: Actor,
    coordinator: Actor,
    adviser: Actor,
    care: Actor,
    mentor: Actor,
    colleague: Actor,
    stranger: Actor,
    other_school: Actor,
    mila: PupilId,
    sanne: PupilId,
}

fn account(store: &dyn Store, school: erbij_core::SchoolId, email: &str, role: Role) -> Actor {
    let record = store
        .create_user(&NewUser {
            school_id: school,
            email: Email::new(email).unwrap(),
            name: format!("Juf {email}"),
            role,
            password_hash: "not-a-hash".into(),
        })
        .unwrap();
    Actor {
        user_id: record.id,
        school_id: school,
        role,
    }
}

fn world(store: Arc<dyn Store>, prefix: &str) -> World {
    let clock = Arc::new(FixedClock::new(monday_morning()));
    let platform = Platform::new(store.clone(), clock.clone() as Arc<dyn Clock>);
    let school = store
        .create_school(
            &SchoolName::new(&format!("{prefix} Lyceum")).unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let other = store
        .create_school(
            &SchoolName::new(&format!("{prefix} Andere School")).unwrap(),
            SchoolKind::Primary,
        )
        .unwrap();
    let a = |who: &str, role| account(&*store, school.id, &format!("{who}@{prefix}.example"), role);
    let admin = a("beheer", Role::Administrator);
    let world = World {
        coordinator: a("coordinator", Role::Coordinator),
        adviser: a("vertrouwenspersoon", Role::ConfidentialAdviser),
        care: a("zorg", Role::CareCoordinator),
        mentor: a("mentor", Role::Teacher),
        colleague: a("collega", Role::Teacher),
        stranger: a("vreemde", Role::Teacher),
        other_school: account(
            &*store,
            other.id,
            &format!("coordinator@andere.{prefix}.example"),
            Role::Coordinator,
        ),
        mila: PupilId(0),
        sanne: PupilId(0),
        admin: admin.clone(),
        platform: platform.clone(),
        clock,
    };
    let class = platform.create_class(&admin, "2B").unwrap();
    platform
        .assign_teacher(&admin, class.id, world.mentor.user_id)
        .unwrap();
    let mila = platform
        .create_pupil(
            &admin,
            class.id,
            NewPupil::parse("Mila", "de", "Vries", "").unwrap(),
        )
        .unwrap();
    let sanne = platform
        .create_pupil(
            &admin,
            class.id,
            NewPupil::parse("Sanne", "", "Jansen", "").unwrap(),
        )
        .unwrap();
    World {
        mila: mila.id,
        sanne: sanne.id,
        ..world
    }
}

fn open(w: &World) -> CaseId {
    w.platform
        .open_case(
            &w.mentor,
            NewCase {
                pupil_id: w.mila,
                origin: Origin::Signal,
                origin_ref: Some(7),
                summary: "Mila is uit de klasapp gezet.".into(),
                owner_id: None,
            },
        )
        .unwrap()
        .id
}

fn check(
    w: &World,
    agreement: &AgreementRecord,
    on: &str,
    outcome: CheckOutcome,
    next: Option<&str>,
) {
    w.platform
        .check_agreement(
            &w.mentor,
            agreement.id,
            NewCheck {
                on: date(on),
                outcome,
                note: String::new(),
                next_check_on: next.map(date),
            },
        )
        .unwrap();
}

fn held(result: Result<erbij_core::cases::CaseRecord, CaseError>) -> Vec<Hold> {
    match result {
        Err(CaseError::HeldOpen(holds)) => holds.into_iter().map(|(_, h)| h).collect(),
        other => panic!("expected the case to be held open, got {other:?}"),
    }
}

fn the_closing_rule_holds_at_its_edges(store: Arc<dyn Store>) {
    let w = world(store, "sluiten");
    let case = open(&w);
    let agreement = w
        .platform
        .add_agreement(
            &w.mentor,
            case,
            "Sanne zet Mila terug in de klasapp en niemand wordt meer verwijderd zonder overleg.",
            &[w.sanne],
            date("2026-03-16"),
        )
        .unwrap();
    let close = || {
        w.platform
            .close_case(&w.mentor, case, CloseOutcome::Solved, "")
    };
    assert_eq!(
        held(close()),
        [Hold::NotChecked {
            due: date("2026-03-16")
        }]
    );
    // A check dated in the future is refused: checks happen on the day they are recorded.
    let future = w.platform.check_agreement(
        &w.mentor,
        agreement.id,
        NewCheck {
            on: date("2026-03-16"),
            outcome: CheckOutcome::Kept,
            note: String::new(),
            next_check_on: None,
        },
    );
    assert_eq!(
        future.err(),
        Some(CaseError::Invalid("error-case-date-in-future"))
    );
    // The day before the check date: a kept check does not count.
    w.clock.advance(14 * 86_400 - 86_400);
    assert_eq!(w.platform.today(), date("2026-03-15"));
    check(&w, &agreement, "2026-03-15", CheckOutcome::Kept, None);
    assert_eq!(
        held(close()),
        [Hold::NotChecked {
            due: date("2026-03-16")
        }]
    );
    // On the check date: not kept, with a new date two weeks on, keeps it open.
    w.clock.advance(86_400);
    let not_kept = w.platform.check_agreement(
        &w.mentor,
        agreement.id,
        NewCheck {
            on: date("2026-03-16"),
            outcome: CheckOutcome::NotKept,
            note: String::new(),
            next_check_on: None,
        },
    );
    assert_eq!(
        not_kept.err(),
        Some(CaseError::Invalid("error-case-next-check-needed"))
    );
    check(
        &w,
        &agreement,
        "2026-03-16",
        CheckOutcome::NotKept,
        Some("2026-03-30"),
    );
    assert_eq!(
        held(close()),
        [Hold::NotKept {
            outcome: CheckOutcome::NotKept,
            due: date("2026-03-30")
        }]
    );
    // Handing over is possible while agreements are open; solved is not.
    w.clock.advance(14 * 86_400);
    check(&w, &agreement, "2026-03-30", CheckOutcome::Kept, None);
    let closed = close().unwrap();
    assert_eq!(closed.closing.unwrap().outcome, CloseOutcome::Solved);
    // Closed means closed.
    assert_eq!(
        w.platform
            .log_step(
                &w.mentor,
                case,
                NewStep {
                    kind: StepKind::Note,
                    on: w.platform.today(),
                    pupil_ids: vec![],
                    note: "nog iets".into()
                }
            )
            .err(),
        Some(CaseError::Invalid("error-case-closed"))
    );
    let file = w.platform.case_file(&w.coordinator, case).unwrap();
    assert_eq!(file.status.as_str(), "closed");
}

fn who_sees_a_case_and_every_opening_is_recorded(store: Arc<dyn Store>) {
    let w = world(store, "toegang");
    let case = open(&w);
    let p = &w.platform;
    for nobody in [&w.admin, &w.colleague, &w.stranger, &w.other_school] {
        assert_eq!(
            p.open_case_file(nobody, case).err(),
            Some(AccessError::NotFound),
            "{nobody:?}"
        );
    }
    assert!(p.cases(&w.admin).unwrap().is_empty());
    assert!(p.cases(&w.stranger).unwrap().is_empty());
    for sees in [&w.mentor, &w.coordinator, &w.adviser, &w.care] {
        p.open_case_file(sees, case).unwrap();
        assert_eq!(p.cases(sees).unwrap().len(), 1);
    }
    // The owner adds a colleague, who may work in the case but not close it or add others.
    p.add_case_member(&w.mentor, case, w.colleague.user_id)
        .unwrap();
    let file = p.open_case_file(&w.colleague, case).unwrap();
    assert_eq!(file.right, CaseRight::Work);
    assert_eq!(
        p.close_case(&w.colleague, case, CloseOutcome::HandedOver, "")
            .err(),
        Some(CaseError::Access(AccessError::Forbidden))
    );
    assert_eq!(
        p.add_case_member(&w.colleague, case, w.stranger.user_id)
            .err(),
        Some(CaseError::Access(AccessError::Forbidden))
    );
    p.add_case_person(&w.colleague, case, Some(w.sanne), "", PersonRole::Excluding)
        .unwrap();
    p.add_case_person(
        &w.colleague,
        case,
        None,
        "Neef van Sanne (3e klas, andere school)",
        PersonRole::Bystander,
    )
    .unwrap();
    // The administrator cannot open a case either (403: the pupil is visible to them).
    assert_eq!(
        p.open_case(
            &w.admin,
            NewCase {
                pupil_id: w.mila,
                origin: Origin::Other,
                origin_ref: None,
                summary: "x".into(),
                owner_id: None
            }
        )
        .err(),
        Some(CaseError::Access(AccessError::Forbidden))
    );
    // Only the coordinator sees who opened the case: mentor, coordinator, adviser, care, colleague.
    assert!(p.case_file(&w.mentor, case).unwrap().views.is_none());
    let views = p.case_file(&w.coordinator, case).unwrap().views.unwrap();
    assert_eq!(views.len(), 5);
    let names: Vec<&str> = views.iter().map(|(_, name)| name.as_str()).collect();
    assert!(names.contains(&"Juf collega@toegang.example"), "{names:?}");
    let people = p.case_file(&w.mentor, case).unwrap().people;
    assert_eq!(people.len(), 3);
    assert_eq!(p.pupils_with_open_case(&w.coordinator).unwrap(), [w.mila]);
}

/// Fails while `down` is set, as a mail server that is away.
#[derive(Default)]
struct FlakyMailer {
    down: Mutex<bool>,
    sent: Mutex<Vec<OutgoingMail>>,
}

impl Mailer for FlakyMailer {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        if *self.down.lock().unwrap() {
            return Err(MailError::Unavailable("connection refused".into()));
        }
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

fn a_reminder_is_mailed_once_on_the_check_date(store: Arc<dyn Store>) {
    let w = world(store.clone(), "herinnering");
    let case = open(&w);
    let agreement = w
        .platform
        .add_agreement(
            &w.mentor,
            case,
            "Sanne nodigt Mila uit.",
            &[w.sanne],
            date("2026-03-16"),
        )
        .unwrap();
    let mailer = MemoryMailer::default();
    let url = "https://erbij.school.example";
    // Before the date: nothing; the start page is empty too.
    w.platform.run_due_jobs(&mailer, url, 100).unwrap();
    assert!(mailer.sent().is_empty());
    assert!(w.platform.checks_due(&w.mentor).unwrap().is_empty());
    // 06:59 on the check date: still nothing; 07:00: the reminder, then the mail.
    w.clock
        .advance(date("2026-03-16").amsterdam_time(6, 59) - w.clock.now());
    w.platform.run_due_jobs(&mailer, url, 100).unwrap();
    assert!(mailer.sent().is_empty());
    assert_eq!(w.platform.checks_due(&w.mentor).unwrap().len(), 1);
    assert!(w.platform.checks_due(&w.colleague).unwrap().is_empty());
    w.clock.advance(60);
    // Two runners on one database (two `erbij serve`), and a restart (a new platform).
    let second = Platform::new(store.clone(), w.clock.clone() as Arc<dyn Clock>);
    std::thread::scope(|scope| {
        scope.spawn(|| w.platform.run_due_jobs(&mailer, url, 100).unwrap());
        scope.spawn(|| second.run_due_jobs(&mailer, url, 100).unwrap());
    });
    let restarted = Platform::new(store.clone(), w.clock.clone() as Arc<dyn Clock>);
    restarted.run_due_jobs(&mailer, url, 100).unwrap();
    // Asking again (the page posted twice) schedules nothing new.
    w.clock.advance(3600);
    restarted.run_due_jobs(&mailer, url, 100).unwrap();
    let sent = mailer.sent();
    assert_eq!(sent.len(), 1, "{sent:?}");
    let mail = &sent[0];
    assert_eq!(mail.to.as_str(), "mentor@herinnering.example");
    for name in ["Mila", "Vries", "Sanne", "Jansen"] {
        assert!(
            !mail.subject.contains(name) && !mail.body.contains(name),
            "{name} in the mail"
        );
    }
    assert!(
        mail.body
            .contains(&format!("{url}/cases/{case}#agreement-{}", agreement.id)),
        "{}",
        mail.body
    );
    // The mail job keeps no address once sent.
    assert_eq!(store.count_jobs(MAIL_JOB, "done").unwrap(), 1);

    // Not kept: a new date gets its own reminder; a check done before it sends nothing.
    check(
        &w,
        &agreement,
        "2026-03-16",
        CheckOutcome::NotKept,
        Some("2026-03-20"),
    );
    w.clock.advance(2 * 86_400);
    check(&w, &agreement, "2026-03-18", CheckOutcome::Kept, None);
    w.clock
        .advance(date("2026-03-20").amsterdam_time(8, 0) - w.clock.now());
    // Kept before the new date does not count, so the reminder still goes out.
    w.platform.run_due_jobs(&mailer, url, 100).unwrap();
    assert_eq!(mailer.sent().len(), 2);
    check(&w, &agreement, "2026-03-20", CheckOutcome::Kept, None);
    w.platform
        .close_case(&w.mentor, case, CloseOutcome::Solved, "")
        .unwrap();
}

fn mail_waits_and_backs_off_while_the_server_is_away(store: Arc<dyn Store>) {
    let w = world(store.clone(), "uitstel");
    let done_before = store.count_jobs(MAIL_JOB, "done").unwrap();
    let flaky = FlakyMailer::default();
    *flaky.down.lock().unwrap() = true;
    let to = Email::new("ouder@uitstel.example").unwrap();
    assert!(
        w.platform
            .queue_mail(None, "test-1", &to, "Onderwerp", "Tekst")
            .unwrap()
    );
    assert!(
        !w.platform
            .queue_mail(None, "test-1", &to, "Onderwerp", "Tekst")
            .unwrap()
    );
    w.platform.run_due_jobs(&flaky, "", 10).unwrap();
    assert_eq!(store.count_jobs(MAIL_JOB, "pending").unwrap(), 1);
    // Back in 59 s: not yet retried; after a minute it is.
    *flaky.down.lock().unwrap() = false;
    w.clock.advance(59);
    w.platform.run_due_jobs(&flaky, "", 10).unwrap();
    assert!(flaky.sent.lock().unwrap().is_empty());
    w.clock.advance(1);
    w.platform.run_due_jobs(&flaky, "", 10).unwrap();
    w.clock.advance(3600);
    w.platform.run_due_jobs(&flaky, "", 10).unwrap();
    assert_eq!(flaky.sent.lock().unwrap().len(), 1);
    assert_eq!(store.count_jobs(MAIL_JOB, "done").unwrap(), done_before + 1);
}

fn run_suite(store: Arc<dyn Store>) {
    the_closing_rule_holds_at_its_edges(store.clone());
    who_sees_a_case_and_every_opening_is_recorded(store.clone());
    a_reminder_is_mailed_once_on_the_check_date(store.clone());
    mail_waits_and_backs_off_while_the_server_is_away(store);
}

#[test]
fn cases_and_jobs_on_sqlite() {
    let dir = temp_dir("cases");
    run_suite(Arc::new(erbij_store::open_sqlite_in(&dir).unwrap()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn cases_and_jobs_on_postgres() {
    common::on_postgres(
        &format!("erbij_cases_{}", std::process::id()),
        |url, schema| {
            run_suite(Arc::new(
                erbij_store::open_postgres(url, Some(schema)).unwrap(),
            ));
        },
    );
}
