//! Hardening seen from outside: cookies behind HTTPS, the login throttle's answers, the
//! login flood limits, the password policy on the first-run page and the health check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{PASSWORD, TestApp, csrf_in, seed, temp_dir};
use erbij_core::Store;

fn sqlite(name: &str) -> Arc<dyn Store> {
    Arc::new(erbij_store::open_sqlite_in(&temp_dir(name)).unwrap())
}

#[test]
fn behind_https_a_plain_session_or_csrf_cookie_is_not_accepted() {
    let app = TestApp::start_with(
        sqlite("host-cookies"),
        erbij_web::AppConfig {
            https: true,
            ..Default::default()
        },
    );
    let seed = seed(&app.platform, "Host");
    let mut client = app.client();
    let form = client.get("/login");
    let csrf = csrf_in(&form.body);
    let host_csrf = client.cookies.get("__Host-erbij_csrf").cloned().unwrap();
    // The same token in a plain cookie (as a neighbouring subdomain could plant it) fails.
    client.cookies.clear();
    client
        .cookies
        .insert("erbij_csrf".into(), host_csrf.clone());
    let reply = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("email", &seed.emails["admin"]),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(reply.status, 403);
    client.cookies.clear();
    client.cookies.insert("__Host-erbij_csrf".into(), host_csrf);
    let reply = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("email", &seed.emails["admin"]),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    let session = client.cookies.get("__Host-erbij_session").cloned().unwrap();
    assert_eq!(client.get("/classes").status, 200);
    // A valid session id in a plain cookie does not log in behind HTTPS.
    client.cookies.clear();
    client.cookies.insert("erbij_session".into(), session);
    assert_eq!(client.get("/classes").location(), "/login");
}

fn try_login(client: &mut common::Client, email: &str, password: &str) -> common::Reply {
    let csrf = csrf_in(&client.get("/login").body);
    client.post_form(
        "/login",
        &[("csrf", &csrf), ("email", email), ("password", password)],
    )
}

#[test]
fn unknown_and_known_addresses_get_the_same_answers_and_a_retry_after() {
    let app = TestApp::start(sqlite("alike"));
    let seed = seed(&app.platform, "Alike");
    let mut client = app.client();
    let known: Vec<u16> = (0..6)
        .map(|_| try_login(&mut client, &seed.emails["teacher"], "verkeerd wachtwoord").status)
        .collect();
    let unknown: Vec<u16> = (0..6)
        .map(|_| try_login(&mut client, "niemand@alike.example", "verkeerd wachtwoord").status)
        .collect();
    assert_eq!(known, [401, 401, 401, 401, 429, 429]);
    assert_eq!(known, unknown);
    let reply = try_login(&mut client, "niemand@alike.example", "verkeerd wachtwoord");
    assert!(reply.header("retry-after").is_some());
    assert!(
        reply.body.contains("Te vaak een verkeerd wachtwoord"),
        "{}",
        reply.body
    );
    // The administrator sees the throttled account on the accounts page.
    let mut admin = app.client();
    admin.login(&seed.emails["admin"], PASSWORD);
    let page = admin.get("/users");
    assert!(page.body.contains("hardening-events"), "{}", page.body);
}

#[test]
fn a_login_flood_from_one_address_is_refused_before_any_password_is_checked() {
    let app = TestApp::start_with(
        sqlite("flood"),
        erbij_web::AppConfig {
            login_per_minute: Some(3),
            ..Default::default()
        },
    );
    let seed = seed(&app.platform, "Flood");
    let mut client = app.client();
    let statuses: Vec<u16> = (0..4)
        .map(|i| {
            try_login(
                &mut client,
                &format!("x{i}@flood.example"),
                "verkeerd wachtwoord",
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [401, 401, 401, 429]);
    // Even the right password waits for the minute to pass.
    assert_eq!(
        try_login(&mut client, &seed.emails["admin"], PASSWORD).status,
        429
    );
}

#[test]
fn the_first_run_page_refuses_a_common_password_and_one_with_the_address() {
    let app = TestApp::start(sqlite("setup-policy"));
    let mut client = app.client();
    let form = client.get("/setup");
    let csrf = csrf_in(&form.body);
    for (password, message) in [
        ("Welkom2025!", "veelgebruikte wachtwoorden"),
        ("beheer@setup.example-2025", "bevat uw e-mailadres"),
    ] {
        let reply = client.post_form(
            "/setup",
            &[
                ("csrf", &csrf),
                ("school", "Setup School"),
                ("kind", "vo"),
                ("name", "Beheer"),
                ("email", "beheer@setup.example"),
                ("password", password),
            ],
        );
        assert_eq!(reply.status, 422, "{password}");
        assert!(reply.body.contains(message), "{}", reply.body);
    }
    assert!(app.platform.is_empty_installation().unwrap());
}

#[test]
fn healthz_says_why_the_database_is_not_healthy() {
    let dir = temp_dir("health");
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&dir).unwrap());
    let app = TestApp::start(store);
    let mut client = app.client();
    let ok = client.get("/healthz");
    assert_eq!((ok.status, ok.body.as_str()), (200, "ok"));
    std::fs::remove_file(dir.join("erbij.sqlite3")).unwrap();
    let sick = client.get("/healthz");
    assert_eq!(sick.status, 503);
    assert!(sick.body.contains("erbij.sqlite3"), "{}", sick.body);
}
