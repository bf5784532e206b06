//! School sign-in (OpenID Connect): the start (`/login/oidc`, off to the school's provider)
//! and the way back (`/login/oidc/callback`). The calls to the provider (discovery, token,
//! keys) are made here over HTTPS (rustls; plain HTTP only to this machine); every check of
//! what comes back is `erbij_core::oidc`'s.
//!
//! The state is bound to the browser with a cookie, so a sign-in started in one browser
//! cannot be finished in another (login CSRF).

use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::http::header::{HOST, SET_COOKIE};
use axum::response::Response;
use erbij_core::oidc::{OidcError, ProviderMetadata, TokenResponse};
use erbij_core::{LoginError, SchoolId};
use serde::Deserialize;

use crate::auth::{Visitor, blocking};
use crate::error::AppError;
use crate::request_log::auth_event;
use crate::routes::Routes;
use crate::security::{read_cookie, same_secret, see_other, set_cookie};
use crate::state::AppState;

const STATE_COOKIE: &str = "erbij_oidc";
const SESSION_COOKIE: &str = "erbij_session";
/// The largest answer read from a provider (discovery documents and key sets are small).
const MAX_PROVIDER_BYTES: u64 = 256 * 1024;

pub(crate) fn routes(routes: Routes) -> Routes {
    use axum::routing::get;
    routes.add("/login/oidc", &["GET"], get(start)).add(
        "/login/oidc/callback",
        &["GET"],
        get(callback),
    )
}

/// The address the provider sends the browser back to: from `--public-url` when set, else
/// from the request's Host (checked to hold only host characters).
pub fn redirect_uri(state: &AppState, headers: &HeaderMap, https: bool) -> String {
    if let Some(base) = &state.config.public_url {
        return format!("{}/login/oidc/callback", base.trim_end_matches('/'));
    }
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = if https { "https" } else { "http" };
    format!("{scheme}://{host}/login/oidc/callback")
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout_connect(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .redirects(0)
        .build()
}

fn provider_error(what: &str) -> OidcError {
    OidcError::Provider(what.to_string())
}

fn read_body(response: ureq::Response) -> Result<String, OidcError> {
    use std::io::Read;
    let mut body = String::new();
    response
        .into_reader()
        .take(MAX_PROVIDER_BYTES)
        .read_to_string(&mut body)
        .map_err(|_| provider_error("unreadable answer"))?;
    Ok(body)
}

fn get_text(url: &str) -> Result<String, OidcError> {
    if !erbij_core::auth::issuer_allowed(url) {
        return Err(provider_error("not an https address"));
    }
    match agent().get(url).call() {
        Ok(response) => read_body(response),
        Err(ureq::Error::Status(code, _)) => Err(OidcError::Provider(format!("HTTP {code}"))),
        Err(_) => Err(provider_error("unreachable")),
    }
}

/// The provider's discovery document, checked against the configured issuer.
pub fn discover(issuer: &str) -> Result<ProviderMetadata, OidcError> {
    let url = format!(
        "{}/.well-known/openid-configuration",
        issuer.trim_end_matches('/')
    );
    let metadata: ProviderMetadata = serde_json::from_str(&get_text(&url)?)
        .map_err(|_| provider_error("the discovery document is unreadable"))?;
    metadata.check(issuer)?;
    Ok(metadata)
}

fn form_encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Redeems the code (with the PKCE verifier) for the ID token.
fn exchange_code(
    metadata: &ProviderMetadata,
    client_id: &str,
    client_secret: &str,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> Result<String, OidcError> {
    use base64::Engine;
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    let mut request = agent()
        .post(&metadata.token_endpoint)
        .set("Content-Type", "application/x-www-form-urlencoded")
        .set("Accept", "application/json");
    if metadata.uses_basic_auth() {
        // RFC 6749 §2.3.1: the id and secret are form-encoded before Base64.
        let credentials = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            encode(client_id),
            encode(client_secret)
        ));
        request = request.set("Authorization", &format!("Basic {credentials}"));
    } else {
        fields.push(("client_id", client_id));
        fields.push(("client_secret", client_secret));
    }
    let body = match request.send_string(&form_encode(&fields)) {
        Ok(response) => read_body(response)?,
        Err(ureq::Error::Status(_, response)) => read_body(response)?,
        Err(_) => return Err(provider_error("the token endpoint is unreachable")),
    };
    let answer: TokenResponse = serde_json::from_str(&body)
        .map_err(|_| provider_error("the token answer is unreadable"))?;
    if let Some(error) = answer.error {
        let error: String = error
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(40)
            .collect();
        return Err(OidcError::Provider(format!("token endpoint: {error}")));
    }
    answer
        .id_token
        .ok_or_else(|| provider_error("the token answer holds no ID token"))
}

#[derive(Deserialize)]
pub struct StartQuery {
    school: Option<i64>,
}

fn to_login(key: &str) -> Response {
    see_other(&format!("/login?error={key}"))
}

pub async fn start(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<StartQuery>,
) -> Result<Response, AppError> {
    let redirect = redirect_uri(&state, &visitor.headers, visitor.https);
    let result = blocking(&state, move |p| {
        let school = match query.school {
            Some(id) => SchoolId(id),
            None => p.only_oidc_school()?.ok_or(OidcError::NotConfigured)?,
        };
        let config = p.oidc_config(school)?;
        let metadata = discover(&config.issuer)?;
        p.begin_oidc(school, &metadata, &redirect)
    })
    .await?;
    match result {
        Ok(start) => {
            let mut response = see_other(&start.authorize_url);
            let cookie = set_cookie(
                STATE_COOKIE,
                &start.state,
                visitor.https,
                Some(erbij_core::oidc::REQUEST_LIFETIME_SECONDS),
            );
            if let Ok(value) = cookie.parse() {
                response.headers_mut().append(SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(OidcError::NotConfigured) => Err(AppError::NotFound),
        Err(err) => {
            tracing::warn!(reason = %err, "school sign-in could not start");
            Ok(to_login("error-auth-oidc-unreachable"))
        }
    }
}

#[derive(Deserialize)]
pub struct CallbackQuery {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    /// RFC 9207: the issuer of the answer, when the provider says (mix-up defence).
    iss: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, AppError> {
    let cookie_state =
        read_cookie(&visitor.headers, STATE_COOKIE, visitor.https).unwrap_or_default();
    let Some(returned_state) = query.state.filter(|s| s.len() <= 128) else {
        return Ok(to_login("error-auth-oidc-failed"));
    };
    if cookie_state.is_empty() || !same_secret(&cookie_state, &returned_state) {
        return Ok(to_login("error-auth-oidc-failed"));
    }
    if query.error.is_some() {
        // The person cancelled at the provider, or the provider refused: start over.
        return Ok(to_login("error-auth-oidc-cancelled"));
    }
    let Some(code) = query.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return Ok(to_login("error-auth-oidc-failed"));
    };
    let returned_issuer = query.iss;
    let result = blocking(&state, move |p| {
        let request = p.take_oidc_request(&returned_state)?;
        let config = p.oidc_config(request.school_id)?;
        if returned_issuer
            .as_deref()
            .is_some_and(|iss| iss.trim_end_matches('/') != config.issuer.trim_end_matches('/'))
        {
            return Err(OidcError::Provider(
                "the answer names another issuer".into(),
            ));
        }
        let metadata = discover(&config.issuer)?;
        let id_token = exchange_code(
            &metadata,
            &config.client_id,
            &config.client_secret,
            &code,
            &request.redirect_uri,
            &request.pkce_verifier,
        )?;
        let jwks = get_text(&metadata.jwks_uri)?;
        p.finish_oidc(&request, &metadata, &id_token, &jwks)
    })
    .await?;
    let clear_state = set_cookie(STATE_COOKIE, "", visitor.https, Some(0));
    auth_event(
        "school-sign-in",
        match &result {
            Ok(Ok(_)) => "success",
            Ok(Err(LoginError::SecondFactor(_))) => "second-step-due",
            _ => "failure",
        },
    );
    let mut response = match result {
        Ok(Ok((token, _))) => {
            let landing = crate::pages::twofactor::landing_after_login(&state, token.clone()).await;
            let mut response = see_other(landing);
            if let Ok(value) = set_cookie(SESSION_COOKIE, &token, visitor.https, None).parse() {
                response.headers_mut().append(SET_COOKIE, value);
            }
            response
        }
        Ok(Err(LoginError::SecondFactor(challenge))) => {
            crate::pages::twofactor::to_second_step(&visitor, &challenge)
        }
        Ok(Err(err)) => {
            tracing::warn!(reason = %err, "school sign-in refused");
            to_login("error-auth-oidc-failed")
        }
        Err(OidcError::NoAccount | OidcError::NoEmail) => to_login("error-auth-oidc-no-account"),
        Err(err) => {
            // The reason names no person: it is about the token or the provider.
            tracing::warn!(reason = %err, "school sign-in refused");
            to_login("error-auth-oidc-failed")
        }
    };
    if let Ok(value) = clear_state.parse() {
        response.headers_mut().append(SET_COOKIE, value);
    }
    Ok(response)
}
