//! Two-factor login through the real app, with the clock injected: set-up with the QR
//! page's secret, the login's second step, replayed and wrong codes, recovery codes, the
//! grace period and what follows it, the school's "for everyone" setting and an
//! administrator's reset.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{Client, PASSWORD, Seed, TestApp, csrf_in, seed, temp_dir};
use erbij_core::twofactor::{TWO_FACTOR_GRACE_SECONDS, TotpSecret};
use erbij_core::{FixedClock, Store};

const NOW: i64 = 1_780_000_000; // 2026-05-28

fn start(name: &str) -> (TestApp, Arc<FixedClock>, Seed) {
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&temp_dir(name)).unwrap());
    let clock = Arc::new(FixedClock::new(NOW));
    let app = TestApp::start_with_clock(store, erbij_web::AppConfig::default(), clock.clone());
    let seed = seed(&app.platform, name);
    (app, clock, seed)
}

fn password_step(client: &mut Client, email: &str) -> common::Reply {
    let form = client.get("/login");
    let csrf = csrf_in(&form.body);
    client.post_form(
        "/login",
        &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
    )
}

fn code_step(client: &mut Client, code: &str) -> common::Reply {
    let csrf = client.cookies.get("erbij_2fa").cloned().unwrap_or_default();
    client.post_form("/login/two-factor", &[("csrf", &csrf), ("code", code)])
}

fn secret_on(page: &str) -> TotpSecret {
    let marker = "id=\"totp-secret\">";
    let at = page.find(marker).expect("the secret is on the page") + marker.len();
    let text: String = page[at..].chars().take_while(|c| *c != '<').collect();
    TotpSecret::from_base32(&text).expect("a base32 secret")
}

fn recovery_codes_on(page: &str) -> Vec<String> {
    page.split("<li><code>")
        .skip(1)
        .map(|part| part.chars().take_while(|c| *c != '<').collect())
        .collect()
}

/// Sets up two-factor from the account page; returns the secret and the recovery codes.
fn enrol(client: &mut Client, clock: &FixedClock) -> (TotpSecret, Vec<String>) {
    let page = client.get("/account/two-factor");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<svg"), "a QR code is drawn");
    let secret = secret_on(&page.body);
    let csrf = csrf_in(&page.body);
    let done = client.post_form(
        "/account/two-factor/confirm",
        &[
            ("csrf", &csrf),
            ("code", &secret.code_at(clock.now_value())),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let codes = recovery_codes_on(&done.body);
    (secret, codes)
}

trait Now {
    fn now_value(&self) -> i64;
}
impl Now for FixedClock {
    fn now_value(&self) -> i64 {
        erbij_core::Clock::now(self)
    }
}

fn logout(client: &mut Client) {
    let csrf = client.session_csrf();
    client.post_form("/logout", &[("csrf", &csrf)]);
    client.cookies.remove("erbij_session");
}

#[test]
fn a_coordinator_sets_up_the_app_in_the_grace_period_and_then_needs_a_code_every_login() {
    let (app, clock, seed) = start("tfa-flow");
    let email = &seed.emails["coordinator"];
    let mut client = app.client();
    // In the grace period the password is enough, and the login lands on the set-up page.
    let first = password_step(&mut client, email);
    assert_eq!(first.status, 303);
    assert_eq!(first.location(), "/account/two-factor");
    let (secret, codes) = enrol(&mut client, &clock);
    assert_eq!(codes.len(), 10);
    assert!(codes.iter().all(|c| c.len() == 29), "{codes:?}");
    let page = client.get("/account/two-factor");
    assert!(page.body.contains("10"), "ten recovery codes left");
    logout(&mut client);

    // From now on the password alone opens no session.
    let mut client = app.client();
    let step = password_step(&mut client, email);
    assert_eq!(step.status, 303);
    assert_eq!(step.location(), "/login/two-factor");
    assert!(!client.cookies.contains_key("erbij_session"));
    assert_eq!(client.get("/classes").status, 303, "no session yet");
    assert_eq!(client.get("/login/two-factor").status, 200);
    // The code used to confirm set-up was used: it is not accepted again (no replay).
    let replay = code_step(&mut client, &secret.code_at(clock.now_value()));
    assert_eq!(replay.status, 422);
    assert!(replay.body.contains("4"), "four attempts left");
    clock.advance(30);
    let ok = code_step(&mut client, &secret.code_at(clock.now_value()));
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(ok.location(), "/");
    assert_eq!(client.get("/classes").status, 200);
    logout(&mut client);

    // The same code again, in a new login within the same 30 seconds: refused.
    let mut other = app.client();
    password_step(&mut other, email);
    assert_eq!(
        code_step(&mut other, &secret.code_at(clock.now_value())).status,
        422
    );
    // A recovery code works once, typed in capitals with spaces.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let with_recovery = code_step(&mut other, &typed);
    assert_eq!(with_recovery.status, 303, "{}", with_recovery.body);
    logout(&mut other);
    let mut again = app.client();
    password_step(&mut again, email);
    assert_eq!(code_step(&mut again, &codes[3]).status, 422, "used once");
    let page = {
        clock.advance(30);
        assert_eq!(
            code_step(&mut again, &secret.code_at(clock.now_value())).status,
            303
        );
        again.get("/account/two-factor")
    };
    assert!(page.body.contains("9"), "nine recovery codes left");
}

#[test]
fn five_wrong_codes_end_the_half_finished_login() {
    let (app, clock, seed) = start("tfa-wrong");
    let email = &seed.emails["admin"];
    let mut client = app.client();
    password_step(&mut client, email);
    let (secret, _) = enrol(&mut client, &clock);
    logout(&mut client);
    let mut client = app.client();
    password_step(&mut client, email);
    for _ in 0..4 {
        assert_eq!(code_step(&mut client, "000000").status, 422);
    }
    let fifth = code_step(&mut client, "000000");
    assert_eq!(fifth.status, 303);
    assert!(
        fifth.location().starts_with("/login"),
        "{}",
        fifth.location()
    );
    clock.advance(30);
    // Even the right code no longer opens this login: the password is asked again.
    let late = code_step(&mut client, &secret.code_at(clock.now_value()));
    assert_eq!(late.status, 303);
    assert!(late.location().starts_with("/login?"));
    assert!(!client.cookies.contains_key("erbij_session"));
}

#[test]
fn after_the_grace_period_a_login_opens_only_the_set_up() {
    let (app, clock, seed) = start("tfa-grace");
    let email = &seed.emails["care"];
    let mut client = app.client();
    assert_eq!(password_step(&mut client, email).status, 303);
    let page = client.get("/account/two-factor");
    assert!(
        page.body.contains("2026-06-04"),
        "the grace period's end is shown"
    );
    logout(&mut client);
    clock.advance(TWO_FACTOR_GRACE_SECONDS + 1);
    let mut client = app.client();
    let step = password_step(&mut client, email);
    assert_eq!(step.location(), "/login/two-factor");
    assert_eq!(
        client.get("/classes").status,
        303,
        "no session before set-up"
    );
    let set_up = client.get("/login/two-factor");
    assert_eq!(set_up.status, 200);
    assert!(set_up.body.contains("<svg"));
    let secret = secret_on(&set_up.body);
    let done = code_step(&mut client, &secret.code_at(clock.now_value()));
    assert_eq!(
        done.status, 200,
        "the recovery codes are shown: {}",
        done.body
    );
    assert_eq!(recovery_codes_on(&done.body).len(), 10);
    assert!(client.cookies.contains_key("erbij_session"));
    assert_eq!(client.get("/classes").status, 200);
}

#[test]
fn teachers_choose_unless_the_school_requires_it_and_required_roles_cannot_switch_it_off() {
    let (app, clock, seed) = start("tfa-teacher");
    // A teacher logs in with a password alone and lands on the start page.
    let mut teacher = app.client();
    assert_eq!(
        password_step(&mut teacher, &seed.emails["teacher"]).location(),
        "/"
    );
    let (secret, _) = enrol(&mut teacher, &clock);
    clock.advance(30);
    let csrf = teacher.session_csrf();
    let off = teacher.post_form(
        "/account/two-factor/disable",
        &[
            ("csrf", &csrf),
            ("code", &secret.code_at(clock.now_value())),
        ],
    );
    assert_eq!(off.status, 303);
    assert!(
        off.location().contains("done=done-auth-disabled"),
        "{}",
        off.location()
    );
    logout(&mut teacher);
    let mut teacher = app.client();
    assert_eq!(
        password_step(&mut teacher, &seed.emails["teacher"]).location(),
        "/"
    );

    // The school requires it for everyone: the teacher is sent to set it up.
    let mut admin = app.client();
    password_step(&mut admin, &seed.emails["admin"]);
    let csrf = admin.session_csrf();
    let saved = admin.post_form(
        "/settings/security",
        &[
            ("csrf", &csrf),
            ("two_factor_for_all", "1"),
            ("retention_days", "730"),
        ],
    );
    assert!(saved.location().contains("done=done-auth-settings-saved"));
    let mut teacher = app.client();
    assert_eq!(
        password_step(&mut teacher, &seed.emails["teacher"]).location(),
        "/account/two-factor"
    );

    // A coordinator cannot switch it off.
    let mut coordinator = app.client();
    password_step(&mut coordinator, &seed.emails["coordinator"]);
    let (secret, _) = enrol(&mut coordinator, &clock);
    clock.advance(30);
    let csrf = coordinator.session_csrf();
    let refused = coordinator.post_form(
        "/account/two-factor/disable",
        &[
            ("csrf", &csrf),
            ("code", &secret.code_at(clock.now_value())),
        ],
    );
    assert!(refused.location().contains("error=error-auth-required"));
}

#[test]
fn an_administrator_clears_a_colleagues_lost_second_factor() {
    let (app, clock, seed) = start("tfa-reset");
    let email = &seed.emails["adviser"];
    let mut adviser = app.client();
    password_step(&mut adviser, email);
    enrol(&mut adviser, &clock);
    let adviser_id = seed.user_ids["adviser"].0;
    // A teacher may not; another school's administrator does not see the account.
    let mut teacher = app.client();
    password_step(&mut teacher, &seed.emails["teacher"]);
    let csrf = teacher.session_csrf();
    let path = format!("/users/{adviser_id}/two-factor/reset");
    assert_eq!(teacher.post_form(&path, &[("csrf", &csrf)]).status, 403);
    let mut stranger = app.client();
    password_step(&mut stranger, &seed.emails["other_school"]);
    let csrf = stranger.session_csrf();
    assert_eq!(stranger.post_form(&path, &[("csrf", &csrf)]).status, 404);

    let mut admin = app.client();
    password_step(&mut admin, &seed.emails["admin"]);
    let settings = admin.get("/settings");
    assert_eq!(settings.status, 200);
    let csrf = admin.session_csrf();
    let reset = admin.post_form(&path, &[("csrf", &csrf)]);
    assert!(reset.location().contains("done=done-auth-reset"));
    // The adviser's session ended; their next login is a password login again (grace).
    assert_eq!(adviser.get("/classes").status, 303);
    let mut adviser = app.client();
    assert_eq!(
        password_step(&mut adviser, email).location(),
        "/account/two-factor"
    );
}

#[test]
fn setting_up_renewing_or_switching_off_the_second_factor_ends_the_other_sessions() {
    let (app, clock, seed) = start("tfa-sessions");
    let email = &seed.emails["teacher"];
    // The teacher is logged in on two computers (password alone: teachers choose).
    let mut here = app.client();
    let mut elsewhere = app.client();
    assert_eq!(password_step(&mut here, email).location(), "/");
    assert_eq!(password_step(&mut elsewhere, email).location(), "/");
    assert_eq!(elsewhere.get("/classes").status, 200);
    // Setting up the app here ends the session elsewhere; this one goes on.
    let (secret, _) = enrol(&mut here, &clock);
    assert_eq!(here.get("/classes").status, 200);
    assert_eq!(elsewhere.get("/classes").location(), "/login");

    // New recovery codes: the same.
    let mut elsewhere = app.client();
    password_step(&mut elsewhere, email);
    clock.advance(30);
    assert_eq!(
        code_step(&mut elsewhere, &secret.code_at(clock.now_value())).location(),
        "/"
    );
    assert_eq!(elsewhere.get("/classes").status, 200);
    clock.advance(30);
    let csrf = here.session_csrf();
    let renewed = here.post_form(
        "/account/two-factor/recovery-codes",
        &[
            ("csrf", &csrf),
            ("code", &secret.code_at(clock.now_value())),
        ],
    );
    assert_eq!(renewed.status, 200, "{}", renewed.body);
    assert_eq!(recovery_codes_on(&renewed.body).len(), 10);
    assert_eq!(here.get("/classes").status, 200);
    assert_eq!(elsewhere.get("/classes").location(), "/login");

    // Switching it off: the same.
    let mut elsewhere = app.client();
    password_step(&mut elsewhere, email);
    clock.advance(30);
    assert_eq!(
        code_step(&mut elsewhere, &secret.code_at(clock.now_value())).location(),
        "/"
    );
    clock.advance(30);
    let csrf = here.session_csrf();
    let off = here.post_form(
        "/account/two-factor/disable",
        &[
            ("csrf", &csrf),
            ("code", &secret.code_at(clock.now_value())),
        ],
    );
    assert!(off.location().contains("done=done-auth-disabled"));
    assert_eq!(here.get("/classes").status, 200);
    assert_eq!(elsewhere.get("/classes").location(), "/login");
}
