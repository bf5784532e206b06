//! One conformance suite, run against SQLite always and PostgreSQL when
//! `ERBIJ_TEST_DATABASE_URL` is set (a fresh schema per run, dropped afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::{
    AccessError, Actor, ClassId, ClassName, Clock, Email, FixedClock, ImportRow, LOCKOUT_THRESHOLD,
    LoginError, NewPupil, NewUser, Platform, PupilId, Role, SchoolKind, SchoolName, Store,
    StoreError,
};

const NOW: i64 = 1_790_000_000;

fn user(store: &dyn Store, school: erbij_core::SchoolId, email: &str, role: Role) -> Actor {
    let record = store
        .create_user(&NewUser {
            school_id: school,
            email: Email::new(email).unwrap(),
            name: format!("Account {email}"),
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

fn pupil(given: &str, infix: &str, family: &str, external: &str) -> NewPupil {
    NewPupil::parse(given, infix, family, external).unwrap()
}

fn run_suite(store: Arc<dyn Store>) {
    store.ping().unwrap();
    accounts_are_unique_by_email(&*store);
    schools_cannot_see_each_others_rows(&*store);
    access_rules_follow_the_role(store.clone());
    pupils_are_sorted_updated_and_archived(store.clone());
    reimport_updates_instead_of_duplicating(store.clone());
    sessions_and_tokens_are_found_by_hash_and_revocable(&*store);
    login_locks_after_repeated_failures(store.clone());
}

fn accounts_are_unique_by_email(store: &dyn Store) {
    assert_eq!(store.count_users().unwrap(), 0);
    let school = store
        .create_school(
            &SchoolName::new("De Regenboog").unwrap(),
            SchoolKind::Primary,
        )
        .unwrap();
    assert_eq!(
        store.school(school.id).unwrap().unwrap().kind,
        SchoolKind::Primary
    );
    user(
        store,
        school.id,
        "juf.anouk@regenboog.example",
        Role::Teacher,
    );
    let again = store.create_user(&NewUser {
        school_id: school.id,
        email: Email::new("Juf.Anouk@regenboog.example").unwrap(),
        name: "Anouk".into(),
        role: Role::Teacher,
        password_hash: "x".into(),
    });
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(store.count_users().unwrap(), 1);
    let found = store
        .user_by_email(&Email::new("JUF.ANOUK@regenboog.example").unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(found.role, Role::Teacher);
    assert!(matches!(
        store
            .create_class(school.id, &ClassName::new("groep 7").unwrap())
            .and_then(|_| store.create_class(school.id, &ClassName::new("groep 7").unwrap())),
        Err(StoreError::Conflict(_))
    ));
}

fn schools_cannot_see_each_others_rows(store: &dyn Store) {
    let a = store
        .create_school(&SchoolName::new("Tenant A").unwrap(), SchoolKind::Secondary)
        .unwrap();
    let b = store
        .create_school(&SchoolName::new("Tenant B").unwrap(), SchoolKind::Secondary)
        .unwrap();
    let class_a = store
        .create_class(a.id, &ClassName::new("2B").unwrap())
        .unwrap();
    let teacher_b = user(store, b.id, "mentor@tenant-b.example", Role::Teacher);
    let p = store
        .create_pupil(&erbij_core::PupilRecord {
            id: PupilId(0),
            school_id: a.id,
            class_id: class_a.id,
            given_name: "Mila".into(),
            infix: "de".into(),
            family_name: "Vries".into(),
            external_id: Some("A-1".into()),
            left_on: None,
        })
        .unwrap();
    assert!(store.class(b.id, class_a.id).unwrap().is_none());
    assert!(store.pupil(b.id, p.id).unwrap().is_none());
    assert!(store.pupils_of_class(b.id, class_a.id).unwrap().is_empty());
    assert!(store.classes(b.id).unwrap().is_empty());
    // A pupil of school B cannot be put in school A's class, nor can A's pupil be changed through B.
    let cross = store.create_pupil(&erbij_core::PupilRecord {
        school_id: b.id,
        ..p.clone()
    });
    assert!(cross.is_err());
    assert!(
        !store
            .update_pupil(&erbij_core::PupilRecord {
                school_id: b.id,
                ..p.clone()
            })
            .unwrap()
    );
    // Assigning B's teacher to A's class does nothing, under either school.
    store
        .assign_teacher(a.id, class_a.id, teacher_b.user_id)
        .unwrap();
    store
        .assign_teacher(b.id, class_a.id, teacher_b.user_id)
        .unwrap();
    assert!(
        !store
            .is_assigned(a.id, class_a.id, teacher_b.user_id)
            .unwrap()
    );
    assert!(
        store
            .classes_of_teacher(b.id, teacher_b.user_id)
            .unwrap()
            .is_empty()
    );
    // The same external id may exist in two schools.
    let class_b = store
        .create_class(b.id, &ClassName::new("2B").unwrap())
        .unwrap();
    store
        .create_pupil(&erbij_core::PupilRecord {
            school_id: b.id,
            class_id: class_b.id,
            ..p.clone()
        })
        .unwrap();
}

fn access_rules_follow_the_role(store: Arc<dyn Store>) {
    let platform = Platform::new(store.clone(), Arc::new(FixedClock::new(NOW)));
    let school = store
        .create_school(
            &SchoolName::new("Rules College").unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let other = store
        .create_school(
            &SchoolName::new("Rules Other").unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let admin = user(
        &*store,
        school.id,
        "admin@rules.example",
        Role::Administrator,
    );
    let coordinator = user(&*store, school.id, "apc@rules.example", Role::Coordinator);
    let teacher = user(&*store, school.id, "mentor@rules.example", Role::Teacher);
    let stranger = user(
        &*store,
        other.id,
        "admin@other.example",
        Role::Administrator,
    );

    let own = platform.create_class(&admin, "1A").unwrap();
    let not_own = platform.create_class(&admin, "1B").unwrap();
    platform
        .assign_teacher(&admin, own.id, teacher.user_id)
        .unwrap();
    platform
        .assign_teacher(&admin, own.id, teacher.user_id)
        .unwrap();
    assert_eq!(platform.teachers_of_class(&admin, own.id).unwrap().len(), 1);

    let names = |actor: &Actor| {
        platform
            .classes(actor)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&teacher), ["1A"]);
    assert_eq!(names(&coordinator), ["1A", "1B"]);
    assert!(names(&stranger).is_empty());

    assert_eq!(
        platform.class(&teacher, not_own.id),
        Err(AccessError::NotFound)
    );
    assert_eq!(
        platform.class(&stranger, own.id),
        Err(AccessError::NotFound)
    );
    assert_eq!(
        platform.create_class(&coordinator, "1C"),
        Err(AccessError::Forbidden)
    );
    assert_eq!(
        platform.create_class(&teacher, "1C"),
        Err(AccessError::Forbidden)
    );
    assert!(matches!(
        platform.create_class(&admin, "1A"),
        Err(AccessError::Conflict(_))
    ));
    // Invisible beats forbidden: a teacher learns nothing about a class that is not theirs.
    assert!(matches!(
        platform.create_pupil(&teacher, not_own.id, pupil("Sem", "", "Bakker", "")),
        Err(AccessError::NotFound)
    ));
    assert!(matches!(
        platform.create_pupil(&teacher, own.id, pupil("Sem", "", "Bakker", "")),
        Err(AccessError::Forbidden)
    ));
    let sem = platform
        .create_pupil(&admin, not_own.id, pupil("Sem", "", "Bakker", ""))
        .unwrap();
    assert!(matches!(
        platform.pupil(&teacher, sem.id),
        Err(AccessError::NotFound)
    ));
    assert!(matches!(
        platform.pupil(&stranger, sem.id),
        Err(AccessError::NotFound)
    ));
    assert_eq!(
        platform.pupil(&coordinator, sem.id).unwrap().given_name,
        "Sem"
    );
    platform
        .unassign_teacher(&admin, own.id, teacher.user_id)
        .unwrap();
    assert!(names(&teacher).is_empty());
}

fn pupils_are_sorted_updated_and_archived(store: Arc<dyn Store>) {
    let platform = Platform::new(store.clone(), Arc::new(FixedClock::new(NOW)));
    let school = store
        .create_school(
            &SchoolName::new("Sort School").unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let admin = user(
        &*store,
        school.id,
        "admin@sort.example",
        Role::Administrator,
    );
    let class = platform.create_class(&admin, "3H").unwrap();
    let second = platform.create_class(&admin, "3V").unwrap();
    for (g, i, f) in [
        ("Yusuf", "", "Yılmaz"),
        ("Mila", "de", "Vries"),
        ("Noah", "", "Bakker"),
    ] {
        platform
            .create_pupil(&admin, class.id, pupil(g, i, f, ""))
            .unwrap();
    }
    let pupils = platform.pupils_of_class(&admin, class.id).unwrap();
    assert_eq!(
        pupils.iter().map(|p| p.full_name()).collect::<Vec<_>>(),
        ["Noah Bakker", "Mila de Vries", "Yusuf Yılmaz"]
    );
    let mila = pupils[1].clone();
    let moved = platform
        .update_pupil(
            &admin,
            mila.id,
            pupil("Mila", "van", "Vries", "S-77"),
            Some(second.id),
        )
        .unwrap();
    assert_eq!(moved.class_id, second.id);
    let archived = platform
        .archive_pupil(&admin, mila.id, Some("17-07-2026"))
        .unwrap();
    assert_eq!(
        archived.left_on.map(|d| d.to_string()).as_deref(),
        Some("2026-07-17")
    );
    let stored = store.pupil(school.id, mila.id).unwrap().unwrap();
    assert_eq!(
        (
            stored.infix.as_str(),
            stored.external_id.as_deref(),
            stored.class_id
        ),
        ("van", Some("S-77"), second.id)
    );
    assert_eq!(
        stored.left_on.map(|d| d.to_string()).as_deref(),
        Some("2026-07-17")
    );
    // Without a date the clock's day is used.
    let today = platform.archive_pupil(&admin, pupils[0].id, None).unwrap();
    assert_eq!(
        today.left_on.map(|d| d.to_string()).as_deref(),
        Some("2026-09-21")
    );
    assert!(matches!(
        platform.archive_pupil(&admin, pupils[0].id, Some("31-02-2026")),
        Err(AccessError::InvalidDate(_))
    ));
    assert_eq!(
        platform
            .restore_pupil(&admin, pupils[0].id)
            .unwrap()
            .left_on,
        None
    );
    assert_eq!(
        platform
            .pupils_of_class(&admin, ClassId(class.id.0))
            .unwrap()
            .len(),
        2
    );
}

fn reimport_updates_instead_of_duplicating(store: Arc<dyn Store>) {
    let platform = Platform::new(store.clone(), Arc::new(FixedClock::new(NOW)));
    let school = store
        .create_school(
            &SchoolName::new("Import School").unwrap(),
            SchoolKind::Primary,
        )
        .unwrap();
    let admin = user(
        &*store,
        school.id,
        "admin@import.example",
        Role::Administrator,
    );
    let rows = |infix: &str| {
        vec![
            ImportRow {
                class_name: ClassName::new("groep 7").unwrap(),
                pupil: pupil("Fatima", "", "El Amrani", "1001"),
                parent_emails: vec![Email::new("ouder.fatima@example.nl").unwrap()],
            },
            ImportRow {
                class_name: ClassName::new("groep 7").unwrap(),
                pupil: pupil("Daan", infix, "Berg", "1002"),
                parent_emails: Vec::new(),
            },
            ImportRow {
                class_name: ClassName::new("groep 8").unwrap(),
                pupil: pupil("Zofia", "", "Kowalska", ""),
                parent_emails: Vec::new(),
            },
        ]
    };
    let plan = platform.plan_import(&admin, &rows("van den")).unwrap();
    assert_eq!(plan.updates, [false, false, false]);
    assert_eq!(plan.new_classes, ["groep 7", "groep 8"]);
    let first = platform.import_pupils(&admin, &rows("van den")).unwrap();
    assert_eq!(
        (
            first.classes_created,
            first.pupils_created,
            first.pupils_updated
        ),
        (2, 3, 0)
    );
    // The preview says what confirming will do: the same three pupils, updated.
    let plan = platform.plan_import(&admin, &rows("van der")).unwrap();
    assert_eq!(plan.updates, [true, true, true]);
    assert!(plan.new_classes.is_empty());
    let second = platform.import_pupils(&admin, &rows("van der")).unwrap();
    assert_eq!(
        (
            second.classes_created,
            second.pupils_created,
            second.pupils_updated
        ),
        (0, 0, 3)
    );
    let classes = platform.classes(&admin).unwrap();
    assert_eq!(
        classes.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["groep 7", "groep 8"]
    );
    let group7 = platform.pupils_of_class(&admin, classes[0].id).unwrap();
    let fatima = group7.iter().find(|p| p.given_name == "Fatima").unwrap();
    assert_eq!(
        erbij_core::cases::CaseStore::parent_emails(&*store, school.id, fatima.id).unwrap(),
        [Email::new("ouder.fatima@example.nl").unwrap()]
    );
    assert_eq!(
        group7.iter().map(|p| p.full_name()).collect::<Vec<_>>(),
        ["Daan van der Berg", "Fatima El Amrani"]
    );
    // An import is all or nothing: a failing row leaves the store untouched.
    let coordinator = user(&*store, school.id, "apc@import.example", Role::Coordinator);
    assert_eq!(
        platform.import_pupils(&coordinator, &rows("")),
        Err(AccessError::Forbidden)
    );
}

fn sessions_and_tokens_are_found_by_hash_and_revocable(store: &dyn Store) {
    let school = store
        .create_school(
            &SchoolName::new("Token School").unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let actor = user(store, school.id, "token@token.example", Role::Coordinator);
    let session = erbij_core::SessionRecord {
        user_id: actor.user_id,
        school_id: school.id,
        csrf_token: "c".into(),
        expires_at: NOW + 100,
    };
    store.create_session("h1", &session, NOW).unwrap();
    store.create_session("h2", &session, NOW).unwrap();
    assert_eq!(store.session("h1").unwrap(), Some(session.clone()));
    let (found, user, school_found) = store.session_context("h1").unwrap().unwrap();
    assert_eq!(
        (found, user.id, school_found.name.as_str()),
        (session.clone(), actor.user_id, "Token School")
    );
    assert!(store.session_context("nope").unwrap().is_none());
    store
        .delete_other_sessions(school.id, actor.user_id, "h2")
        .unwrap();
    assert_eq!(store.session("h1").unwrap(), None);
    assert!(store.session("h2").unwrap().is_some());
    store.delete_session("h2").unwrap();
    assert_eq!(store.session("h2").unwrap(), None);

    let token = store
        .create_token("t1", school.id, actor.user_id, "rooster", NOW, NOW + 3600)
        .unwrap();
    assert_eq!(
        store.token_by_hash("t1").unwrap().map(|t| t.id),
        Some(token.id)
    );
    assert!(
        !store
            .revoke_token(SchoolId(school.id.0 + 1000), actor.user_id, token.id)
            .unwrap()
    );
    assert!(
        store
            .revoke_token(school.id, actor.user_id, token.id)
            .unwrap()
    );
    assert_eq!(store.token_by_hash("t1").unwrap(), None);
    assert!(store.tokens(school.id, actor.user_id).unwrap()[0].revoked);
}

use erbij_core::SchoolId;

fn login_locks_after_repeated_failures(store: Arc<dyn Store>) {
    let clock = Arc::new(FixedClock::new(NOW));
    let platform = Platform::new(store.clone(), clock.clone());
    // The installation is not empty here, so the operator names an existing school.
    assert!(matches!(
        platform.operator_add_user(
            Some("Lock School"),
            SchoolKind::Secondary,
            "lock@lock.example",
            "Lotte",
            Role::Teacher,
            "een lang wachtwoord"
        ),
        Err(erbij_core::SetupError::UnknownSchool(_))
    ));
    platform
        .add_school("Lock School", SchoolKind::Secondary)
        .unwrap();
    let (school, _) = platform
        .operator_add_user(
            Some("Lock School"),
            SchoolKind::Secondary,
            "lock@lock.example",
            "Lotte",
            Role::Teacher,
            "een lang wachtwoord",
        )
        .unwrap();
    assert_eq!(school.name, "Lock School");
    let (token, info) = platform
        .login("LOCK@lock.example", "een lang wachtwoord")
        .unwrap();
    assert_eq!(info.actor.role, Role::Teacher);
    assert_eq!(
        platform.session(&token).unwrap().map(|s| s.user_name),
        Some("Lotte".into())
    );
    for attempt in 1..LOCKOUT_THRESHOLD {
        assert_eq!(
            platform.login("lock@lock.example", "fout").err(),
            Some(LoginError::InvalidCredentials),
            "attempt {attempt}"
        );
    }
    assert!(matches!(
        platform.login("lock@lock.example", "fout"),
        Err(LoginError::Locked { .. })
    ));
    // Even the right password is refused while locked, and works again after the back-off.
    assert!(matches!(
        platform.login("lock@lock.example", "een lang wachtwoord"),
        Err(LoginError::Locked { .. })
    ));
    clock.advance(61);
    assert!(
        platform
            .login("lock@lock.example", "een lang wachtwoord")
            .is_ok()
    );
    assert_eq!(
        platform
            .login("nobody@lock.example", "een lang wachtwoord")
            .err(),
        Some(LoginError::InvalidCredentials)
    );
    // Sessions expire.
    clock.advance(erbij_core::SESSION_LIFETIME_SECONDS + 1);
    assert!(platform.session(&token).unwrap().is_none());
    assert!(clock.now() > NOW);
}

#[test]
fn sqlite_store_conforms() {
    let dir = temp_dir("conformance");
    let store = erbij_store::open_sqlite_in(&dir).unwrap();
    assert_eq!(store.backend().pragmas().unwrap(), ("wal".to_string(), 2));
    run_suite(Arc::new(store));
    // Reopening applies no migration twice and keeps the data.
    let reopened = erbij_store::open_sqlite_in(&dir).unwrap();
    assert!(reopened.count_users().unwrap() > 0);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn postgres_store_conforms() {
    common::on_postgres(
        &format!("erbij_test_{}_{}", std::process::id(), NOW % 1000),
        |url, schema| {
            let store = Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap());
            run_suite(store);
        },
    );
}
