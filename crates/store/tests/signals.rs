//! Signals and early warning against a real store (SQLite always, PostgreSQL when
//! `ERBIJ_TEST_DATABASE_URL` is set), with the clock injected: the use cases, their access
//! rules and the early-warning rules at the edges of their windows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::{
    AccessError, Actor, ClassName, Clock, Date, EarlyWarningRule, Email, FixedClock, NewPupil,
    NewUser, Platform, PupilId, Role, RuleKind, SchoolKind, SchoolName, SignalError, SignalInput,
    SignalInputError, SignalKind, Store, TimelineItem,
};

/// 2026-03-01 10:00 UTC (11:00 in Amsterdam).
fn first_of_march() -> i64 {
    Date::parse("2026-03-01").unwrap().days_since_epoch() * 86_400 + 10 * 3600
}

const DAY: i64 = 86_400;

struct School {
    admin: Actor,
    coordinator: Actor,
    adviser: Actor,
    mentor_2b: Actor,
    gym_2b: Actor,
    mentor_3c: Actor,
    other_admin: Actor,
    other_teacher: Actor,
    class_2b: erbij_core::ClassId,
    class_3c: erbij_core::ClassId,
    mila: PupilId,
    sem: PupilId,
    other_pupil: PupilId,
}

fn account(store: &dyn Store, school: erbij_core::SchoolId, email: &str, role: Role) -> Actor {
    let record = store
        .create_user(&NewUser {
            school_id: school,
            email: Email::new(email).unwrap(),
            name: format!("Collega {}", email.split('@').next().unwrap()),
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

fn school(platform: &Platform, name: &str) -> School {
    let store = platform.store();
    let s = store
        .create_school(&SchoolName::new(name).unwrap(), SchoolKind::Secondary)
        .unwrap();
    let other = store
        .create_school(
            &SchoolName::new(&format!("{name} Anders")).unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let tag = name.to_lowercase().replace(' ', "");
    let admin = account(
        &**store,
        s.id,
        &format!("admin@{tag}.example"),
        Role::Administrator,
    );
    let coordinator = account(
        &**store,
        s.id,
        &format!("coord@{tag}.example"),
        Role::Coordinator,
    );
    let adviser = account(
        &**store,
        s.id,
        &format!("vp@{tag}.example"),
        Role::ConfidentialAdviser,
    );
    let mentor_2b = account(
        &**store,
        s.id,
        &format!("mentor2b@{tag}.example"),
        Role::Teacher,
    );
    let gym_2b = account(
        &**store,
        s.id,
        &format!("gym2b@{tag}.example"),
        Role::Teacher,
    );
    let mentor_3c = account(
        &**store,
        s.id,
        &format!("mentor3c@{tag}.example"),
        Role::Teacher,
    );
    let other_admin = account(
        &**store,
        other.id,
        &format!("admin@anders{tag}.example"),
        Role::Administrator,
    );
    let other_teacher = account(
        &**store,
        other.id,
        &format!("leraar@anders{tag}.example"),
        Role::Teacher,
    );
    let class_2b = store
        .create_class(s.id, &ClassName::new("2B").unwrap())
        .unwrap()
        .id;
    let class_3c = store
        .create_class(s.id, &ClassName::new("3C").unwrap())
        .unwrap()
        .id;
    platform
        .assign_teacher(&admin, class_2b, mentor_2b.user_id)
        .unwrap();
    platform
        .assign_teacher(&admin, class_2b, gym_2b.user_id)
        .unwrap();
    platform
        .assign_teacher(&admin, class_3c, mentor_3c.user_id)
        .unwrap();
    let mila = platform
        .create_pupil(
            &admin,
            class_2b,
            NewPupil::parse("Mila", "de", "Vries", "").unwrap(),
        )
        .unwrap()
        .id;
    let sem = platform
        .create_pupil(
            &admin,
            class_3c,
            NewPupil::parse("Sem", "", "Bakker", "").unwrap(),
        )
        .unwrap()
        .id;
    let other_class = platform.create_class(&other_admin, "2B").unwrap().id;
    platform
        .assign_teacher(&other_admin, other_class, other_teacher.user_id)
        .unwrap();
    let other_pupil = platform
        .create_pupil(
            &other_admin,
            other_class,
            NewPupil::parse("Noor", "", "Visser", "").unwrap(),
        )
        .unwrap()
        .id;
    School {
        admin,
        coordinator,
        adviser,
        mentor_2b,
        gym_2b,
        mentor_3c,
        other_admin,
        other_teacher,
        class_2b,
        class_3c,
        mila,
        sem,
        other_pupil,
    }
}

fn sign(kind: &str, seen_on: Option<&str>, note: &str) -> SignalInput {
    SignalInput {
        kind: kind.into(),
        seen_on: seen_on.map(Into::into),
        note: Some(note.into()),
    }
}

fn run(store: Arc<dyn Store>) {
    let clock = Arc::new(FixedClock::new(first_of_march()));
    let platform = Platform::new(store, clock.clone() as Arc<dyn Clock>);
    let s = school(&platform, "Het Baken");
    recording_follows_the_access_rules_and_refuses_bad_input(&platform, &s, &clock);
    undo_withdraw_and_correct_keep_a_trace(&platform, &s, &clock);
    early_warning_fires_inside_its_window_only(&platform, &s, &clock);
}

fn recording_follows_the_access_rules_and_refuses_bad_input(
    platform: &Platform,
    s: &School,
    _clock: &FixedClock,
) {
    let recorded = platform
        .record_signal(
            &s.mentor_2b,
            s.mila,
            &sign("alone_at_break", None, "<b>alleen</b>"),
        )
        .unwrap();
    assert_eq!(recorded.seen_on.to_string(), "2026-03-01");
    assert_eq!(recorded.recorded_by, s.mentor_2b.user_id);
    assert_eq!(recorded.note, "<b>alleen</b>");
    assert_eq!(recorded.class_id, s.class_2b);
    // Every role that sees pupils may look; the administrator, another class's teacher and
    // another school may not even know the sign exists.
    for actor in [&s.coordinator, &s.adviser, &s.gym_2b, &s.mentor_2b] {
        assert_eq!(
            platform
                .signals_of_pupil(actor, s.mila, false)
                .unwrap()
                .len(),
            1
        );
    }
    for actor in [&s.admin, &s.mentor_3c, &s.other_admin, &s.other_teacher] {
        assert_eq!(
            platform.signals_of_pupil(actor, s.mila, false).err(),
            Some(AccessError::NotFound),
            "{:?}",
            actor.role
        );
        assert_eq!(
            platform.signal(actor, recorded.id).err(),
            Some(AccessError::NotFound)
        );
        assert!(matches!(
            platform.record_signal(actor, s.mila, &sign("nickname", None, "")),
            Err(SignalError::Access(AccessError::NotFound))
        ));
    }
    // A teacher of another school cannot reach a pupil of ours, nor we theirs.
    assert!(matches!(
        platform.record_signal(&s.mentor_2b, s.other_pupil, &sign("nickname", None, "")),
        Err(SignalError::Access(AccessError::NotFound))
    ));
    // Bad input names the field.
    let refused = |input: SignalInput| match platform.record_signal(&s.mentor_2b, s.mila, &input) {
        Err(SignalError::Input(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(refused(sign("bullied", None, "")).field(), "kind");
    assert_eq!(
        refused(sign("lingers", Some("2026-03-02"), "")),
        SignalInputError::FutureDate(Date::parse("2026-03-02").unwrap())
    );
    assert_eq!(
        refused(sign("lingers", None, &"x".repeat(100 * 1024))),
        SignalInputError::NoteTooLong(100 * 1024)
    );
    assert_eq!(
        refused(sign("other", None, "")),
        SignalInputError::NoteRequired
    );
    // An archived pupil gets no new signs; their old ones stay.
    let leaver = platform
        .create_pupil(
            &s.admin,
            s.class_2b,
            NewPupil::parse("Daan", "", "Jansen", "").unwrap(),
        )
        .unwrap();
    platform
        .record_signal(&s.mentor_2b, leaver.id, &sign("lingers", None, ""))
        .unwrap();
    platform
        .archive_pupil(&s.admin, leaver.id, Some("2026-02-28"))
        .unwrap();
    assert!(matches!(
        platform.record_signal(&s.mentor_2b, leaver.id, &sign("lingers", None, "")),
        Err(SignalError::Input(SignalInputError::PupilArchived))
    ));
    assert_eq!(
        platform
            .signals_of_pupil(&s.mentor_2b, leaver.id, false)
            .unwrap()
            .len(),
        1
    );
}

fn undo_withdraw_and_correct_keep_a_trace(platform: &Platform, s: &School, clock: &FixedClock) {
    let pupil = platform
        .create_pupil(
            &s.admin,
            s.class_2b,
            NewPupil::parse("Fatima", "", "El Amrani", "").unwrap(),
        )
        .unwrap()
        .id;
    // Undo within a minute: gone without trace. Only the recorder may.
    let oops = platform
        .record_signal(&s.mentor_2b, pupil, &sign("nickname", None, ""))
        .unwrap();
    assert!(matches!(
        platform.undo_signal(&s.gym_2b, oops.id),
        Err(SignalError::Access(AccessError::Forbidden))
    ));
    clock.advance(60);
    platform.undo_signal(&s.mentor_2b, oops.id).unwrap();
    assert!(
        platform
            .signals_of_pupil(&s.mentor_2b, pupil, true)
            .unwrap()
            .is_empty()
    );
    // After a minute, undo is refused: withdraw instead.
    let late = platform
        .record_signal(&s.mentor_2b, pupil, &sign("chosen_last", None, "bij gym"))
        .unwrap();
    clock.advance(61);
    assert!(matches!(
        platform.undo_signal(&s.mentor_2b, late.id),
        Err(SignalError::Input(SignalInputError::UndoTooLate))
    ));
    // Another teacher of the class sees it but may not change it; the coordinator may.
    assert!(matches!(
        platform.correct_signal(&s.gym_2b, late.id, &sign("lingers", None, "")),
        Err(SignalError::Access(AccessError::Forbidden))
    ));
    let corrected = platform
        .correct_signal(
            &s.coordinator,
            late.id,
            &sign(
                "alone_at_break",
                Some("2026-02-27"),
                "in de pauze, niet bij gym",
            ),
        )
        .unwrap();
    assert_eq!(corrected.kind, SignalKind::AloneAtBreak);
    assert_eq!(corrected.seen_on.to_string(), "2026-02-27");
    clock.advance(3600);
    platform
        .withdraw_signal(&s.mentor_2b, late.id, "toch een misverstand")
        .unwrap();
    // Withdrawing twice changes nothing.
    platform.withdraw_signal(&s.mentor_2b, late.id, "").unwrap();
    let (signal, trace) = platform.signal(&s.adviser, late.id).unwrap();
    assert!(signal.is_withdrawn());
    assert_eq!(signal.withdrawn_by, Some(s.mentor_2b.user_id));
    assert_eq!(trace.len(), 2, "{trace:?}");
    assert_eq!(trace[0].changed_by, s.coordinator.user_id);
    assert_eq!(trace[0].old_kind, SignalKind::ChosenLast);
    assert_eq!(trace[0].old_note, "bij gym");
    assert_eq!(trace[1].changed_by, s.mentor_2b.user_id);
    assert_eq!(trace[1].reason, "toch een misverstand");
    assert!(trace[1].changed_at > trace[0].changed_at);
    // Withdrawn: out of the list, kept on request and on the timeline.
    assert!(
        platform
            .signals_of_pupil(&s.mentor_2b, pupil, false)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        platform
            .signals_of_pupil(&s.mentor_2b, pupil, true)
            .unwrap()
            .len(),
        1
    );
    assert!(matches!(
        platform.correct_signal(&s.mentor_2b, late.id, &sign("lingers", None, "")),
        Err(SignalError::Input(SignalInputError::AlreadyWithdrawn))
    ));
}

fn early_warning_fires_inside_its_window_only(platform: &Platform, s: &School, clock: &FixedClock) {
    let start = first_of_march();
    let at_day = |n: i64| start + (n - 1) * DAY;
    clock.advance(at_day(1) - clock.now());
    let pupil = platform
        .create_pupil(
            &s.admin,
            s.class_2b,
            NewPupil::parse("Yusuf", "", "Demir", "").unwrap(),
        )
        .unwrap()
        .id;
    let on_list = |actor: &Actor| {
        platform
            .early_warning(actor)
            .unwrap()
            .into_iter()
            .find(|e| e.pupil_id == pupil)
    };
    // Day 1, 10 and 20: three kinds by one teacher.
    platform
        .record_signal(
            &s.mentor_2b,
            pupil,
            &sign("absent_ill", Some("2026-03-01"), ""),
        )
        .unwrap();
    platform
        .record_signal(
            &s.mentor_2b,
            pupil,
            &sign("chosen_last", Some("2026-03-01"), ""),
        )
        .unwrap();
    clock.advance(at_day(20) - clock.now());
    let third = platform
        .record_signal(&s.mentor_2b, pupil, &sign("alone_at_break", None, ""))
        .unwrap();
    let entry = on_list(&s.mentor_2b).expect("three kinds within 28 days");
    assert_eq!(entry.rule, "distinct_kinds");
    assert_eq!(entry.class_id, s.class_2b);
    assert_eq!(entry.signals.len(), 3);
    assert!(
        entry
            .reason_nl
            .starts_with("3 verschillende signalen in 4 weken")
    );
    // Same list for the coordinator; nothing for another class's teacher; 403 for the administrator.
    assert!(on_list(&s.coordinator).is_some());
    assert!(on_list(&s.mentor_3c).is_none());
    assert_eq!(
        platform.early_warning(&s.admin).err(),
        Some(AccessError::Forbidden)
    );
    // Day 28 (2026-03-28): the first signs are still in; day 29 they are out.
    clock.advance(at_day(28) - clock.now());
    assert!(on_list(&s.mentor_2b).is_some());
    clock.advance(DAY);
    assert_eq!(platform.today().to_string(), "2026-03-29");
    assert!(on_list(&s.mentor_2b).is_none());
    // A second teacher within 14 days: the "teachers" rule fires.
    platform
        .record_signal(&s.gym_2b, pupil, &sign("lingers", Some("2026-03-29"), ""))
        .unwrap();
    let entry = on_list(&s.mentor_2b).expect("two teachers within 14 days");
    assert_eq!(entry.rule, "teachers");
    assert!(
        entry
            .reason_en
            .starts_with("2 teachers saw a sign in 2 weeks")
    );
    // Withdrawing the gym teacher's sign takes the pupil off again.
    let gym_sign = platform.signals_of_pupil(&s.gym_2b, pupil, false).unwrap()[0].id;
    platform.withdraw_signal(&s.gym_2b, gym_sign, "").unwrap();
    assert!(on_list(&s.mentor_2b).is_none());
    assert!(entry.signals.contains(&third.id));

    // The pupil moves to 3C: the old signs keep counting, the new mentor sees them, the old
    // mentor no longer does, and the timeline shows the move.
    platform
        .record_signal(&s.gym_2b, pupil, &sign("nickname", Some("2026-03-29"), ""))
        .unwrap();
    assert!(on_list(&s.mentor_2b).is_some());
    clock.advance(600);
    let yusuf = platform.pupil(&s.admin, pupil).unwrap();
    platform
        .update_pupil(
            &s.admin,
            pupil,
            NewPupil::parse(&yusuf.given_name, "", &yusuf.family_name, "").unwrap(),
            Some(s.class_3c),
        )
        .unwrap();
    let entry = on_list(&s.mentor_3c).expect("the new mentor sees the pupil");
    assert_eq!(entry.class_id, s.class_3c);
    assert!(on_list(&s.mentor_2b).is_none());
    assert_eq!(
        platform.signals_of_pupil(&s.mentor_2b, pupil, false).err(),
        Some(AccessError::NotFound)
    );
    let timeline = platform.pupil_timeline(&s.mentor_3c, pupil).unwrap();
    assert!(matches!(
        &timeline.entries[0].item,
        TimelineItem::ClassMove(m) if m.from_class_name == "2B" && m.to_class_name == "3C"
    ));
    assert_eq!(
        timeline
            .entries
            .iter()
            .filter(|e| matches!(e.item, TimelineItem::Signal { .. }))
            .count(),
        5
    );
    // The class grid of 3C counts the pupil's signs now; 2B's does not.
    let grid = platform
        .class_signal_grid(&s.mentor_3c, s.class_3c, None, None)
        .unwrap();
    let row = grid.rows.iter().find(|(p, _)| p.id == pupil).unwrap();
    assert_eq!(row.1.iter().sum::<usize>(), 4);
    assert_eq!(grid.from.to_string(), "2025-12-01");
    let _ = s.sem;

    // The school's own rule: the coordinator sets it, the list follows it.
    let only_online = EarlyWarningRule {
        kind: RuleKind::Signals,
        min_count: 1,
        window_days: 7,
        signal_kinds: vec![SignalKind::RemovedFromGroup],
        enabled: true,
    };
    assert!(matches!(
        platform.save_early_warning_rules(&s.mentor_3c, std::slice::from_ref(&only_online)),
        Err(SignalError::Access(AccessError::Forbidden))
    ));
    platform
        .save_early_warning_rules(&s.coordinator, std::slice::from_ref(&only_online))
        .unwrap();
    let set = platform.early_warning_rules(&s.mentor_3c).unwrap();
    assert_eq!(set.rules, vec![only_online]);
    assert!(set.updated_by_name.is_some());
    assert!(on_list(&s.mentor_3c).is_none());
    platform
        .record_signal(&s.mentor_3c, pupil, &sign("removed_from_group", None, ""))
        .unwrap();
    assert_eq!(
        on_list(&s.mentor_3c).map(|e| e.rule),
        Some("signals".into())
    );
    // Archived pupils leave the list.
    platform.archive_pupil(&s.admin, pupil, None).unwrap();
    assert!(on_list(&s.coordinator).is_none());
    let _ = s.class_3c;
}

#[test]
fn signals_on_sqlite() {
    let dir = temp_dir("signals");
    let store = erbij_store::open_sqlite_in(&dir).unwrap();
    run(Arc::new(store));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn signals_on_postgres() {
    common::on_postgres(
        &format!("erbij_signals_{}", std::process::id()),
        |url, schema| {
            let store = Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap());
            run(store);
        },
    );
}

#[test]
fn the_demo_shows_pupils_on_the_list_for_the_mentor_of_2b_and_reloads_without_duplicates() {
    let dir = temp_dir("signals-demo");
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&dir).unwrap());
    let platform = Platform::new(store.clone(), Arc::new(FixedClock::new(first_of_march())));
    erbij_core::demo::load_demo(&platform).unwrap();
    let mentor = store
        .user_by_email(&Email::new("mentor.2b@devaart.example").unwrap())
        .unwrap()
        .unwrap();
    let mentor = Actor {
        user_id: mentor.id,
        school_id: mentor.school_id,
        role: mentor.role,
    };
    let list = platform.early_warning(&mentor).unwrap();
    // Survey flags (the demo's closed rounds) come after the signs' rules; only pupils
    // whose first rule is a sign rule count here.
    let rules: Vec<&str> = list
        .iter()
        .map(|e| e.rule.as_str())
        .filter(|r| *r != "survey")
        .collect();
    assert_eq!(rules, ["distinct_kinds", "teachers"], "{list:?}");
    // The demo's 2B survey: one rejected and one neglected pupil, both on the list.
    let class_2b = store
        .classes(mentor.school_id)
        .unwrap()
        .into_iter()
        .find(|c| c.name == "2B")
        .unwrap();
    let rounds = platform.surveys_of_class(&mentor, class_2b.id).unwrap();
    assert_eq!(rounds.len(), 2, "one closed and one open round");
    let closed = rounds.iter().find(|r| r.closed_at.is_some()).unwrap();
    let results = platform
        .survey_results(&mentor, closed.id, None, None)
        .unwrap();
    let with = |status: erbij_core::surveys::Status| {
        results
            .pupils
            .iter()
            .filter(|p| p.status == Some(status))
            .map(|p| p.pupil_id)
            .collect::<Vec<_>>()
    };
    let rejected = with(erbij_core::surveys::Status::Rejected);
    let neglected = with(erbij_core::surveys::Status::Neglected);
    assert_eq!(
        (rejected.len(), neglected.len()),
        (1, 1),
        "{:?}",
        results.pupils
    );
    for pupil in rejected.iter().chain(&neglected) {
        assert!(
            list.iter()
                .any(|e| e.pupil_id == *pupil && e.rules.iter().any(|r| r == "survey")),
            "{list:?}"
        );
    }
    let coordinator = store
        .users(mentor.school_id)
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Coordinator)
        .unwrap();
    let coordinator = Actor {
        user_id: coordinator.id,
        school_id: coordinator.school_id,
        role: coordinator.role,
    };
    assert_eq!(
        platform
            .early_warning(&coordinator)
            .unwrap()
            .iter()
            .filter(|e| e.rule != "survey")
            .count(),
        3
    );
    let count = |p: &Platform| {
        store
            .pupils_of_school(mentor.school_id)
            .unwrap()
            .iter()
            .map(|pupil| {
                p.store()
                    .signals_of_pupil(mentor.school_id, pupil.id)
                    .unwrap()
                    .len()
            })
            .sum::<usize>()
    };
    let before = count(&platform);
    assert_eq!(before, 12);
    erbij_core::demo::load_demo(&platform).unwrap();
    assert_eq!(count(&platform), before);
    let _ = std::fs::remove_dir_all(dir);
}
