//! Hardening on both databases: the login throttle (also across two stores on one
//! database, as two servers would have), the first run as one transaction, token expiry
//! and revocation, account creation that reveals nothing about other schools, the access
//! log and the health check. SQLite always; PostgreSQL when `ERBIJ_TEST_DATABASE_URL` is
//! set (a fresh schema per run, dropped afterwards).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::hardening::{THROTTLE_FREE_PER_PAIR, THROTTLE_MAX_SECONDS};
use erbij_core::{
    AccessError, Clock, FixedClock, HealthError, LoginError, NewPupil, Platform, PupilPage, Role,
    SchoolKind, SecurityEventKind, SetupError, Store,
};

const NOW: i64 = 1_790_000_000;
const PASSWORD: &str = "paarse fiets onder de brug";

/// Two stores on one database (two servers) and a shared clock.
struct Setup {
    a: Platform,
    b: Platform,
    clock: Arc<FixedClock>,
}

fn setup(a: Arc<dyn Store>, b: Arc<dyn Store>) -> Setup {
    let clock = Arc::new(FixedClock::new(NOW));
    Setup {
        a: Platform::new(a, clock.clone()),
        b: Platform::new(b, clock.clone()),
        clock,
    }
}

fn run_suite(make: &dyn Fn() -> Arc<dyn Store>) {
    first_run_is_one_transaction(make);
    let s = setup(make(), make());
    s.a.add_school("Throttle School", SchoolKind::Secondary)
        .unwrap();
    s.a.operator_add_user(
        Some("Throttle School"),
        SchoolKind::Secondary,
        "mentor@throttle.example",
        "Mentor",
        Role::Teacher,
        PASSWORD,
    )
    .unwrap();
    a_throttled_source_never_keeps_out_a_correct_password(&s);
    unknown_addresses_answer_like_known_ones(&s);
    the_throttle_holds_across_two_servers(&s);
    tokens_expire_and_are_revoked_by_a_password_change(&s);
    an_address_of_another_school_reveals_nothing(&s);
    new_passwords_follow_the_policy(&s);
    the_access_log_records_views_for_the_coordinator(&s);
    s.a.health().unwrap();
}

fn first_run_is_one_transaction(make: &dyn Fn() -> Arc<dyn Store>) {
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(NOW));
    // Twenty first runs at once, each on its own store (as twenty requests on several
    // servers would be): one school, one administrator, nineteen "already set up".
    let platforms: Vec<Platform> = (0..20)
        .map(|_| Platform::new(make(), clock.clone()))
        .collect();
    let results: Vec<Result<_, SetupError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = platforms
            .iter()
            .enumerate()
            .map(|(i, p)| {
                scope.spawn(move || {
                    p.setup_first_administrator(
                        &format!("School {i}"),
                        SchoolKind::Secondary,
                        &format!("beheer{i}@first.example"),
                        "Beheer",
                        PASSWORD,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let created = results.iter().filter(|r| r.is_ok()).count();
    let refused = results
        .iter()
        .filter(|r| matches!(r, Err(SetupError::AlreadySetUp)))
        .count();
    assert_eq!((created, refused), (1, 19), "{results:?}");
    let store = make();
    assert_eq!(store.schools().unwrap().len(), 1);
    assert_eq!(store.count_users().unwrap(), 1);
}

fn a_throttled_source_never_keeps_out_a_correct_password(s: &Setup) {
    let email = "mentor@throttle.example";
    for _ in 1..THROTTLE_FREE_PER_PAIR {
        assert_eq!(
            s.a.login_from(email, "fout wachtwoord", "10.0.0.66").err(),
            Some(LoginError::InvalidCredentials)
        );
    }
    assert!(matches!(
        s.a.login_from(email, "fout wachtwoord", "10.0.0.66"),
        Err(LoginError::Locked { .. })
    ));
    // The attacker's source waits, even with the right password ...
    assert!(matches!(
        s.a.login_from(email, PASSWORD, "10.0.0.66"),
        Err(LoginError::Locked { .. })
    ));
    // ... but the teacher, elsewhere, logs in at once.
    assert!(s.a.login_from(email, PASSWORD, "192.168.1.20").is_ok());
    // One wrong try each time the delay ends keeps the delay at most the maximum: the
    // right password always gets through once it has passed.
    for _ in 0..12 {
        let until = match s.a.login_from(email, "fout wachtwoord", "10.0.0.66") {
            Err(LoginError::Locked { until }) => until,
            other => panic!("{other:?}"),
        };
        assert!(until - s.clock.now() <= THROTTLE_MAX_SECONDS);
        s.clock.advance(until - s.clock.now());
    }
    assert!(s.a.login_from(email, PASSWORD, "10.0.0.66").is_ok());
    // The administrator was told once, when the delays began.
    let admin =
        s.a.operator_add_user(
            Some("Throttle School"),
            SchoolKind::Secondary,
            "beheer@throttle.example",
            "Beheer",
            Role::Administrator,
            PASSWORD,
        )
        .unwrap()
        .1;
    let actor =
        s.a.login_from("beheer@throttle.example", PASSWORD, "1.1.1.1")
            .unwrap()
            .1
            .actor;
    assert_eq!(admin.id, actor.user_id);
    let events = s.a.security_events(&actor).unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].kind, SecurityEventKind::ThrottledFromOneSource);
    assert_eq!(events[0].user_name.as_deref(), Some("Mentor"));
    let teacher =
        s.a.login_from(email, PASSWORD, "192.168.1.20")
            .unwrap()
            .1
            .actor;
    assert_eq!(
        s.a.security_events(&teacher).err(),
        Some(AccessError::Forbidden)
    );
    s.clock.advance(24 * 3600);
}

fn outcome(result: Result<(String, erbij_core::SessionInfo), LoginError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(LoginError::InvalidCredentials) => "invalid",
        Err(LoginError::Locked { .. }) => "locked",
        Err(_) => "error",
    }
}

fn unknown_addresses_answer_like_known_ones(s: &Setup) {
    let known: Vec<_> = (0..7)
        .map(|_| outcome(s.a.login_from("mentor@throttle.example", "fout", "10.1.1.1")))
        .collect();
    let unknown: Vec<_> = (0..7)
        .map(|_| outcome(s.a.login_from("niemand@throttle.example", "fout", "10.1.1.2")))
        .collect();
    assert_eq!(known, unknown);
    assert_eq!(known[3], "invalid");
    assert_eq!(known[4], "locked");
    s.clock.advance(24 * 3600);
}

fn the_throttle_holds_across_two_servers(s: &Setup) {
    let email = "mentor@throttle.example";
    // Failures on server A and server B count together.
    for i in 1..THROTTLE_FREE_PER_PAIR {
        let server = if i % 2 == 0 { &s.a } else { &s.b };
        assert_eq!(
            server.login_from(email, "fout", "10.2.2.2").err(),
            Some(LoginError::InvalidCredentials)
        );
    }
    assert!(matches!(
        s.b.login_from(email, "fout", "10.2.2.2"),
        Err(LoginError::Locked { .. })
    ));
    assert!(matches!(
        s.a.login_from(email, PASSWORD, "10.2.2.2"),
        Err(LoginError::Locked { .. })
    ));
    // A session opened on one server is known to the other.
    let (token, _) = s.a.login_from(email, PASSWORD, "10.3.3.3").unwrap();
    assert_eq!(
        s.b.session(&token).unwrap().map(|i| i.user_name),
        Some("Mentor".into())
    );
    s.clock.advance(24 * 3600);
}

fn tokens_expire_and_are_revoked_by_a_password_change(s: &Setup) {
    let email = "mentor@throttle.example";
    let (token, record) = s.a.operator_create_token(email, "rooster").unwrap();
    assert_eq!(record.expires_at, s.clock.now() + 365 * 24 * 3600);
    assert!(s.b.authenticate_token(&token).unwrap().is_some());
    let (short, _) =
        s.a.operator_create_token_valid_for(email, "kort", Some(3600))
            .unwrap();
    s.clock.advance(3600);
    assert!(s.a.authenticate_token(&short).unwrap().is_none());
    assert!(s.a.authenticate_token(&token).unwrap().is_some());
    // A password change ends every token.
    let (session, info) = s.a.login_from(email, PASSWORD, "10.4.4.4").unwrap();
    s.a.change_password(&info.actor, &session, PASSWORD, "een nieuwe lange zin hier")
        .unwrap();
    assert!(s.a.authenticate_token(&token).unwrap().is_none());
    s.a.change_password(&info.actor, &session, "een nieuwe lange zin hier", PASSWORD)
        .unwrap();
    // `erbij token revoke` ends one token or all.
    let (one, record) = s.a.operator_create_token(email, "een").unwrap();
    let (two, _) = s.a.operator_create_token(email, "twee").unwrap();
    assert_eq!(
        s.a.operator_revoke_tokens(email, Some(record.id)).unwrap(),
        1
    );
    assert!(s.a.authenticate_token(&one).unwrap().is_none());
    assert!(s.a.authenticate_token(&two).unwrap().is_some());
    assert_eq!(s.a.operator_revoke_tokens(email, None).unwrap(), 1);
    assert!(s.a.authenticate_token(&two).unwrap().is_none());
    // A year later a token no longer works.
    let (year, _) = s.a.operator_create_token(email, "jaar").unwrap();
    s.clock.advance(365 * 24 * 3600);
    assert!(s.a.authenticate_token(&year).unwrap().is_none());
}

fn an_address_of_another_school_reveals_nothing(s: &Setup) {
    s.a.add_school("Andere School", SchoolKind::Primary)
        .unwrap();
    let other_admin =
        s.a.operator_add_user(
            Some("Andere School"),
            SchoolKind::Primary,
            "beheer@andere.example",
            "Andere Beheerder",
            Role::Administrator,
            PASSWORD,
        )
        .unwrap()
        .1;
    let actor = erbij_core::Actor {
        user_id: other_admin.id,
        school_id: other_admin.school_id,
        role: Role::Administrator,
    };
    // An address of another school, and an address of this school: the same answer.
    let elsewhere = s.a.add_user(
        &actor,
        "mentor@throttle.example",
        "Iemand",
        Role::Teacher,
        PASSWORD,
    );
    let here = s.a.add_user(
        &actor,
        "beheer@andere.example",
        "Iemand",
        Role::Teacher,
        PASSWORD,
    );
    assert_eq!(elsewhere.err(), Some(AccessError::EmailUnavailable));
    assert_eq!(here.err(), Some(AccessError::EmailUnavailable));
}

fn new_passwords_follow_the_policy(s: &Setup) {
    let admin =
        s.a.login_from("beheer@andere.example", PASSWORD, "1.1.1.1")
            .unwrap()
            .1
            .actor;
    for (password, expected) in [
        ("wachtwoord123", erbij_core::PasswordError::Common),
        ("Welkom2025!", erbij_core::PasswordError::Common),
        (
            "nieuw@andere.example!",
            erbij_core::PasswordError::ContainsEmail,
        ),
    ] {
        assert_eq!(
            s.a.add_user(
                &admin,
                "nieuw@andere.example",
                "Nieuw",
                Role::Teacher,
                password
            )
            .err(),
            Some(AccessError::Password(expected)),
            "{password}"
        );
    }
    assert!(
        s.a.add_user(
            &admin,
            "nieuw@andere.example",
            "Nieuw",
            Role::Teacher,
            PASSWORD
        )
        .is_ok()
    );
}

fn the_access_log_records_views_for_the_coordinator(s: &Setup) {
    let school = s.a.find_school("Andere School").unwrap().unwrap();
    let admin =
        s.a.login_from("beheer@andere.example", PASSWORD, "1.1.1.1")
            .unwrap()
            .1
            .actor;
    let class = s.a.create_class(&admin, "2B").unwrap();
    let pupil =
        s.a.create_pupil(
            &admin,
            class.id,
            NewPupil::parse("Mila", "de", "Vries", "").unwrap(),
        )
        .unwrap();
    let coordinator =
        s.a.add_user(
            &admin,
            "coordinator@andere.example",
            "Coco",
            Role::Coordinator,
            PASSWORD,
        )
        .unwrap();
    let coordinator = erbij_core::Actor {
        user_id: coordinator.id,
        school_id: school.id,
        role: Role::Coordinator,
    };
    s.a.record_pupil_view(&admin, pupil.id, PupilPage::Profile, None)
        .unwrap();
    s.clock.advance(60);
    s.b.record_pupil_view(&coordinator, pupil.id, PupilPage::Case, Some(7))
        .unwrap();
    // A view recorded with another school's id for this pupil lands nowhere.
    let outsider = erbij_core::Actor {
        user_id: admin.user_id,
        school_id: erbij_core::SchoolId(school.id.0 + 1000),
        role: Role::Administrator,
    };
    s.a.record_pupil_view(&outsider, pupil.id, PupilPage::Profile, None)
        .unwrap();
    let (shown, log) = s.a.pupil_access_log(&coordinator, pupil.id).unwrap();
    assert_eq!(shown.id, pupil.id);
    let pages: Vec<_> = log
        .iter()
        .map(|e| (e.page.as_str(), e.user_name.as_str(), e.object_id))
        .collect();
    assert_eq!(
        pages,
        [
            ("case", "Coco", Some(7)),
            ("profile", "Andere Beheerder", None)
        ]
    );
    assert_eq!(log[0].role, Some(Role::Coordinator));
    // Only the coordinator reads it; the administrator sees the pupil but not the log.
    assert_eq!(
        s.a.pupil_access_log(&admin, pupil.id).err(),
        Some(AccessError::Forbidden)
    );
    // Retention: entries older than the period go.
    s.clock.advance(100);
    assert_eq!(s.a.prune_access_log(school.id, 130).unwrap(), 1);
    assert_eq!(
        s.a.pupil_access_log(&coordinator, pupil.id)
            .unwrap()
            .1
            .len(),
        1
    );
}

#[test]
fn sqlite_hardening() {
    let dir = temp_dir("hardening");
    let make = || -> Arc<dyn Store> { Arc::new(erbij_store::open_sqlite_in(&dir).unwrap()) };
    run_suite(&make);
    // The health check notices the database file is gone (SQLite would go on answering
    // `SELECT 1` from the open handle).
    let store = make();
    std::fs::remove_file(dir.join("erbij.sqlite3")).unwrap();
    assert!(matches!(store.health(), Err(HealthError::FileMissing(_))));
    assert!(store.ping().is_ok());
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn postgres_hardening() {
    common::on_postgres(
        &format!("erbij_hard_{}_{}", std::process::id(), NOW % 1000),
        |url, schema| {
            let make = || -> Arc<dyn Store> {
                Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap())
            };
            run_suite(&make);
            // An emptied database answers `SELECT 1` but not the health check.
            let probe = make();
            probe.health().unwrap();
            let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
            client
                .batch_execute(&format!("DROP TABLE \"{schema}\".pupils CASCADE"))
                .unwrap();
            assert!(probe.ping().is_ok());
            assert!(probe.health().is_err());
        },
    );
}

/// The PostgreSQL pool is bounded: twelve threads at once share the set number of
/// connections (they wait for one) and every call succeeds.
#[test]
fn the_postgres_pool_never_opens_more_than_its_size() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let schema = format!("erbij_pool_{}", std::process::id());
    let store = Arc::new(erbij_store::open_postgres(&url, Some(&schema)).unwrap());
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        store.backend().set_max_connections(3);
        std::thread::scope(|scope| {
            for _ in 0..12 {
                let store = store.clone();
                scope.spawn(move || {
                    for _ in 0..20 {
                        store.schools().unwrap();
                    }
                });
            }
        });
        assert!(store.backend().open_connections() <= 3);
        assert!(store.backend().open_connections() >= 1);
    }));
    store.backend().drop_schema().unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
