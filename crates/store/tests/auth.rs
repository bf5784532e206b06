//! The store side of two-factor login, school sign-in and retention, run against SQLite
//! always and PostgreSQL when `ERBIJ_TEST_DATABASE_URL` is set (a fresh schema per run).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::auth::{
    ChallengePurpose, ChallengeRecord, OidcConfig, OidcRequest, SchoolSettings,
};
use erbij_core::{Email, NewUser, Role, SchoolKind, SchoolName, Store, UserId};

const NOW: i64 = 1_790_000_000;

fn school_and_user(store: &dyn Store, name: &str) -> (erbij_core::SchoolId, UserId) {
    let school = store
        .create_school(&SchoolName::new(name).unwrap(), SchoolKind::Secondary)
        .unwrap();
    let user = store
        .create_user(&NewUser {
            school_id: school.id,
            email: Email::new(&format!("apc@{}.example", name.to_lowercase())).unwrap(),
            name: "Karim".into(),
            role: Role::Coordinator,
            password_hash: "x".into(),
        })
        .unwrap();
    (school.id, user.id)
}

fn run_suite(store: Arc<dyn Store>) {
    settings_default_and_round_trip(&*store);
    second_factor_steps_are_accepted_once(&*store);
    recovery_codes_and_challenges(&*store);
    oidc_requests_are_taken_once(&*store);
}

fn settings_default_and_round_trip(store: &dyn Store) {
    let (school, _) = school_and_user(store, "Settings");
    let defaults = store.school_settings(school).unwrap();
    assert_eq!(defaults, SchoolSettings::defaults(school));
    assert_eq!(defaults.retention_days, 730);
    let saved = SchoolSettings {
        school_id: school,
        two_factor_for_all: true,
        retention_days: 365,
        oidc: Some(OidcConfig {
            issuer: "https://login.example/tenant".into(),
            client_id: "erbij".into(),
            client_secret: "s3cret".into(),
        }),
        oidc_create_accounts: true,
    };
    store.save_school_settings(&saved).unwrap();
    assert_eq!(store.school_settings(school).unwrap(), saved);
    let mut off = saved.clone();
    off.oidc = None;
    off.oidc_create_accounts = false;
    store.save_school_settings(&off).unwrap();
    assert_eq!(store.school_settings(school).unwrap(), off);
    assert!(
        store
            .all_school_settings()
            .unwrap()
            .iter()
            .any(|s| s == &off)
    );
    assert!(
        !format!("{saved:?}").contains("s3cret"),
        "the secret stays out of Debug"
    );
}

fn second_factor_steps_are_accepted_once(store: &dyn Store) {
    let (school, user) = school_and_user(store, "Steps");
    assert_eq!(store.two_factor(school, user).unwrap(), None);
    assert_eq!(
        store.start_two_factor_grace(school, user, NOW).unwrap(),
        NOW
    );
    assert_eq!(
        store
            .start_two_factor_grace(school, user, NOW + 99)
            .unwrap(),
        NOW,
        "the grace period starts once"
    );
    store
        .set_pending_two_factor(school, user, "GEZDGNBVGY3TQOJQ")
        .unwrap();
    assert!(
        !store.accept_two_factor_step(school, user, 5).unwrap(),
        "not before confirmation"
    );
    store
        .confirm_two_factor(school, user, 10, NOW, &["h1".into(), "h2".into()])
        .unwrap();
    let record = store.two_factor(school, user).unwrap().unwrap();
    assert_eq!(record.confirmed_at, Some(NOW));
    assert_eq!(record.last_step, 10);
    assert_eq!(record.grace_started_at, Some(NOW));
    assert!(
        !store.accept_two_factor_step(school, user, 10).unwrap(),
        "replay"
    );
    assert!(store.accept_two_factor_step(school, user, 11).unwrap());
    assert!(
        !store.accept_two_factor_step(school, user, 11).unwrap(),
        "replay"
    );
    assert!(
        !store.accept_two_factor_step(school, user, 9).unwrap(),
        "older step"
    );
    // Another school's id reaches nothing.
    let (other, _) = school_and_user(store, "StepsOther");
    assert_eq!(store.two_factor(other, user).unwrap(), None);
    assert!(!store.accept_two_factor_step(other, user, 12).unwrap());
    store.delete_two_factor(school, user).unwrap();
    assert_eq!(store.two_factor(school, user).unwrap(), None);
    assert_eq!(store.unused_recovery_codes(school, user).unwrap(), 0);
}

fn recovery_codes_and_challenges(store: &dyn Store) {
    let (school, user) = school_and_user(store, "Codes");
    store
        .replace_recovery_codes(school, user, &["a".into(), "b".into(), "c".into()])
        .unwrap();
    assert_eq!(store.unused_recovery_codes(school, user).unwrap(), 3);
    assert!(store.use_recovery_code(school, user, "b", NOW).unwrap());
    assert!(
        !store.use_recovery_code(school, user, "b", NOW).unwrap(),
        "once"
    );
    assert!(!store.use_recovery_code(school, user, "zz", NOW).unwrap());
    assert_eq!(store.unused_recovery_codes(school, user).unwrap(), 2);
    store
        .replace_recovery_codes(school, user, &["d".into()])
        .unwrap();
    assert!(
        !store.use_recovery_code(school, user, "a", NOW).unwrap(),
        "replaced"
    );
    assert_eq!(store.unused_recovery_codes(school, user).unwrap(), 1);

    let challenge = ChallengeRecord {
        user_id: user,
        school_id: school,
        purpose: ChallengePurpose::Enrol,
        attempts: 0,
        expires_at: NOW + 600,
    };
    store.create_challenge("hash-1", &challenge).unwrap();
    assert_eq!(store.challenge("hash-1").unwrap(), Some(challenge.clone()));
    assert_eq!(store.count_challenge_attempt("hash-1").unwrap(), 1);
    assert_eq!(store.count_challenge_attempt("hash-1").unwrap(), 2);
    store.delete_challenge("hash-1").unwrap();
    assert_eq!(store.challenge("hash-1").unwrap(), None);
}

fn oidc_requests_are_taken_once(store: &dyn Store) {
    let (school, _) = school_and_user(store, "Oidc");
    let request = OidcRequest {
        school_id: school,
        nonce: "n".into(),
        pkce_verifier: "v".into(),
        redirect_uri: "http://127.0.0.1/login/oidc/callback".into(),
        expires_at: NOW + 600,
    };
    store.create_oidc_request("state-hash", &request).unwrap();
    assert_eq!(
        store.take_oidc_request("state-hash").unwrap(),
        Some(request)
    );
    assert_eq!(store.take_oidc_request("state-hash").unwrap(), None);
}

#[test]
fn sqlite_auth_store_conforms() {
    let dir = temp_dir("auth-store");
    let store = erbij_store::open_sqlite_in(&dir).unwrap();
    run_suite(Arc::new(store));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn postgres_auth_store_conforms() {
    common::on_postgres(
        &format!("erbij_auth_{}_{}", std::process::id(), NOW % 1000),
        |url, schema| {
            let store = Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap());
            run_suite(store);
        },
    );
}
