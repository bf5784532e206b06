//! School sign-in against a real OpenID provider (npm `oidc-provider`, `tests/oidc/`) on
//! 127.0.0.1: a good sign-in through the app, a nonce that does not match, an unknown
//! address, and, on real ID tokens, a token for another client, an expired one and a
//! forged signature. Skips with a notice when `npm ci` has not run in `tests/oidc`; fails
//! then under `ERBIJ_REQUIRE_OIDC=1` (as CI sets).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use common::{Client, Seed, TestApp, seed, temp_dir};
use erbij_core::oidc::{OidcError, verify_id_token};
use erbij_core::{Clock, Store, SystemClock};

/// The provider process; ended when the test ends.
struct Provider {
    child: Child,
    issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_provider(redirect_uri: &str) -> Option<Provider> {
    let dir = erbij_testkit::workspace_root().join("tests/oidc");
    if !dir.join("node_modules/oidc-provider").is_dir() {
        return erbij_testkit::missing(
            "the OpenID provider for tests (run `npm ci` in tests/oidc)",
            "ERBIJ_REQUIRE_OIDC",
        );
    }
    let mut child = Command::new("node")
        .arg("provider.mjs")
        .arg(redirect_uri)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("node runs");
    let stdout = child.stdout.take().unwrap();
    let mut issuer = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&line) {
            issuer = value["issuer"].as_str().map(str::to_string);
            break;
        }
    }
    Some(Provider {
        child,
        issuer: issuer.expect("the provider printed its issuer"),
    })
}

/// Follows the provider's redirects like a browser (keeping its cookies) until it sends the
/// browser to an address starting with `until`; returns that address.
fn through_provider(start: &str, until: &str) -> String {
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let mut jar: HashMap<String, String> = HashMap::new();
    let mut url = start.to_string();
    for _ in 0..10 {
        let cookie = jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let mut request = agent.get(&url);
        if !cookie.is_empty() {
            request = request.set("Cookie", &cookie);
        }
        let response = match request.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{url}: {e}"),
        };
        for value in response.all("set-cookie") {
            if let Some((k, v)) = value.split(';').next().and_then(|p| p.split_once('=')) {
                jar.insert(k.to_string(), v.to_string());
            }
        }
        let location = response.header("location").unwrap_or_default().to_string();
        assert!(
            !location.is_empty(),
            "the provider stopped at {url}: {}",
            response.into_string().unwrap_or_default()
        );
        let next = if location.starts_with('/') {
            let origin: String = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
            format!("{origin}{location}")
        } else {
            location
        };
        if next.starts_with(until) {
            return next;
        }
        url = next;
    }
    panic!("too many redirects at the provider");
}

fn query_param(url: &str, name: &str) -> String {
    url.split(['?', '&'])
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap_or_default()
        .to_string()
}

struct SignIn {
    app: TestApp,
    seed: Seed,
    provider: Provider,
}

fn set_up(name: &str) -> Option<SignIn> {
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&temp_dir(name)).unwrap());
    let app = TestApp::start(store);
    let provider = start_provider(&format!("{}/login/oidc/callback", app.base))?;
    let seed = seed(&app.platform, name);
    app.platform
        .operator_configure_sign_in(
            Some(&format!("{name} College")),
            (&provider.issuer, "erbij", "erbij-test-secret"),
            false,
        )
        .unwrap();
    Some(SignIn {
        app,
        seed,
        provider,
    })
}

/// Starts a sign-in at the app, lets the provider log `email` in (its login hint), and
/// brings the browser back to the app; `tamper` may change the authorization URL first.
fn sign_in(
    s: &SignIn,
    client: &mut Client,
    email: &str,
    tamper: impl Fn(String) -> String,
) -> common::Reply {
    let start = client.get("/login/oidc");
    assert_eq!(start.status, 303, "{}", start.body);
    let authorize = start.location().to_string();
    assert!(authorize.starts_with(&format!("{}/", s.provider.issuer)));
    for param in ["state", "nonce", "code_challenge"] {
        assert!(!query_param(&authorize, param).is_empty(), "{param}");
    }
    assert_eq!(query_param(&authorize, "code_challenge_method"), "S256");
    let authorize = tamper(format!("{authorize}&login_hint={}", common::encode(email)));
    let back = through_provider(&authorize, &s.app.base);
    client.get(&back[s.app.base.len()..])
}

#[test]
fn a_teacher_signs_in_with_the_school_account_and_a_coordinator_still_meets_two_factor() {
    let Some(s) = set_up("OidcGood") else { return };
    let mut client = s.app.client();
    let login = client.get("/login");
    assert!(
        login.body.contains("href=\"/login/oidc\""),
        "the login page offers it"
    );
    let back = sign_in(&s, &mut client, &s.seed.emails["teacher"], |u| u);
    assert_eq!(back.status, 303, "{}", back.body);
    assert_eq!(back.location(), "/");
    assert!(client.cookies.contains_key("erbij_session"));
    assert_eq!(client.get("/classes").status, 200);
    let mut coordinator = s.app.client();
    let back = sign_in(&s, &mut coordinator, &s.seed.emails["coordinator"], |u| u);
    assert_eq!(
        back.location(),
        "/account/two-factor",
        "the grace period's set-up page, as after a password"
    );
}

#[test]
fn a_nonce_that_does_not_match_the_sign_in_is_refused() {
    let Some(s) = set_up("OidcNonce") else { return };
    let mut client = s.app.client();
    let back = sign_in(&s, &mut client, &s.seed.emails["teacher"], |url| {
        let nonce = query_param(&url, "nonce");
        url.replace(&format!("nonce={nonce}"), "nonce=forged-by-someone-else")
    });
    assert_eq!(back.status, 303);
    assert_eq!(back.location(), "/login?error=error-auth-oidc-failed");
    assert!(!client.cookies.contains_key("erbij_session"));
    assert_eq!(client.get("/classes").status, 303);
}

#[test]
fn unknown_and_other_school_addresses_get_no_account_unless_the_school_allows_it() {
    let Some(s) = set_up("OidcUnknown") else {
        return;
    };
    for email in [
        "nieuw@oidcunknown.example".to_string(),
        s.seed.emails["other_school"].clone(),
    ] {
        let mut client = s.app.client();
        let back = sign_in(&s, &mut client, &email, |u| u);
        assert_eq!(back.location(), "/login?error=error-auth-oidc-no-account");
        assert!(!client.cookies.contains_key("erbij_session"));
    }
    s.app
        .platform
        .operator_configure_sign_in(
            Some("OidcUnknown College"),
            (&s.provider.issuer, "erbij", "erbij-test-secret"),
            true,
        )
        .unwrap();
    let mut client = s.app.client();
    let back = sign_in(&s, &mut client, "nieuw@oidcunknown.example", |u| u);
    assert_eq!(back.location(), "/", "a teacher account was made");
    let users = s.app.platform.users(&s.seed.admin).unwrap();
    let made = users
        .iter()
        .find(|u| u.email.as_str() == "nieuw@oidcunknown.example")
        .unwrap();
    assert_eq!(made.role, erbij_core::Role::Teacher);
    // The other school's address still gets nothing at this school.
    let mut client = s.app.client();
    let back = sign_in(&s, &mut client, &s.seed.emails["other_school"], |u| u);
    assert_eq!(back.location(), "/login?error=error-auth-oidc-no-account");
}

/// An ID token from the provider for the client "other", through its own flow.
fn token_for_other_client(issuer: &str, nonce: &str) -> (String, String) {
    use base64::Engine;
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let authorize = format!(
        "{issuer}/auth?response_type=code&client_id=other&redirect_uri={}&scope=openid%20email&state=st&nonce={nonce}&code_challenge={}&code_challenge_method=S256&login_hint=juf%40school.test",
        common::encode("http://127.0.0.1:9/other/callback"),
        erbij_core::oidc::pkce_challenge(verifier),
    );
    let back = through_provider(&authorize, "http://127.0.0.1:9/");
    let code = query_param(&back, "code");
    let basic = base64::engine::general_purpose::STANDARD.encode("other:other-test-secret");
    let body = format!(
        "grant_type=authorization_code&code={code}&redirect_uri={}&code_verifier={verifier}",
        common::encode("http://127.0.0.1:9/other/callback")
    );
    let answer: serde_json::Value = ureq::post(&format!("{issuer}/token"))
        .set("Authorization", &format!("Basic {basic}"))
        .set("Content-Type", "application/x-www-form-urlencoded")
        .send_string(&body)
        .unwrap()
        .into_json()
        .unwrap();
    let id_token = answer["id_token"].as_str().unwrap().to_string();
    let jwks = ureq::get(&format!("{issuer}/jwks"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    (id_token, jwks)
}

#[test]
fn real_tokens_for_another_client_expired_or_forged_are_refused() {
    let Some(provider) = start_provider("http://127.0.0.1:9/unused") else {
        return;
    };
    let issuer = provider.issuer.clone();
    let (token, jwks) = token_for_other_client(&issuer, "nonce-1");
    let now = SystemClock.now();
    let claims = verify_id_token(&token, &jwks, &issuer, "other", "nonce-1", now).unwrap();
    assert_eq!(claims.email.as_deref(), Some("juf@school.test"));
    let reason = |result: Result<_, OidcError>| match result {
        Err(OidcError::Token(why)) => why,
        other => panic!("expected a refused token, got {other:?}"),
    };
    // Issued to another client: erbij's client id is not its audience.
    assert!(
        reason(verify_id_token(
            &token, &jwks, &issuer, "erbij", "nonce-1", now
        ))
        .contains("aud")
    );
    // Another sign-in's nonce.
    assert!(
        reason(verify_id_token(
            &token, &jwks, &issuer, "other", "nonce-2", now
        ))
        .contains("nonce")
    );
    // Expired: the clock is past `exp` plus the minute's leeway.
    assert!(
        reason(verify_id_token(
            &token,
            &jwks,
            &issuer,
            "other",
            "nonce-1",
            claims.exp + 61
        ))
        .contains("expired")
    );
    assert!(verify_id_token(&token, &jwks, &issuer, "other", "nonce-1", claims.exp + 59).is_ok());
    // Another issuer.
    assert!(
        reason(verify_id_token(
            &token,
            &jwks,
            "http://127.0.0.1:1",
            "other",
            "nonce-1",
            now
        ))
        .contains("iss")
    );
    // A forged signature.
    let mut forged = token.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let mut parts: Vec<&str> = token.split('.').collect();
    let payload = parts[1].to_string();
    let other_payload = payload.replace('a', "b");
    parts[1] = &other_payload;
    let swapped = parts.join(".");
    for bad in [forged, swapped] {
        assert!(verify_id_token(&bad, &jwks, &issuer, "other", "nonce-1", now).is_err());
    }
}
