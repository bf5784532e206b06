//! Security headers on every response, error pages, cookies and CSRF comparison.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::error::ErrorMarker;
use crate::i18n::{Lang, Tr};
use crate::pages::render_error_page;
use crate::state::AppState;

/// No inline script or style, nothing from another host, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// A pupil's file shown in the browser (evidence): a sandbox that runs nothing and loads
/// nothing but its own images; like every response, no `<base>`, no plugins, no framing.
pub const SANDBOXED_CONTENT_SECURITY_POLICY: &str = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
     frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// HSTS behind HTTPS: one year, this host and every name below it (ASVS 5.0 V3.4.1, level 2).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000; includeSubDomains";

/// Marks a response whose body is already the page to show (a form with its errors).
#[derive(Debug, Clone, Copy)]
pub struct RenderedPage;

/// Whether this request arrived over HTTPS (directly or through a trusted proxy).
pub fn is_https(state: &AppState, headers: &HeaderMap) -> bool {
    state.config.https
        || (state.config.trust_forwarded_proto
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.eq_ignore_ascii_case("https")))
}

/// Cookie names: behind HTTPS the `__Host-` prefix pins the cookie to this host and path `/`.
pub fn cookie_name(base: &str, https: bool) -> String {
    if https {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// A `Set-Cookie` value. `max_age` 0 deletes the cookie.
pub fn set_cookie(base: &str, value: &str, https: bool, max_age: Option<i64>) -> String {
    let mut cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax",
        cookie_name(base, https)
    );
    if https {
        cookie.push_str("; Secure");
    }
    if let Some(age) = max_age {
        cookie.push_str(&format!("; Max-Age={age}"));
    }
    cookie
}

/// A cookie's value. Behind HTTPS only the `__Host-` variant counts: a plain cookie can be
/// planted by a neighbouring subdomain or over plain HTTP, which would weaken the login
/// form's double-submit CSRF check and let a session be fixed.
pub fn read_cookie(headers: &HeaderMap, base: &str, https: bool) -> Option<String> {
    let (host, plain) = read_cookie_variants(headers, base);
    if https { host } else { plain }
}

/// The `__Host-` and the plain variant of a cookie.
fn read_cookie_variants(headers: &HeaderMap, base: &str) -> (Option<String>, Option<String>) {
    let (mut host, mut plain) = (None, None);
    for header in headers.get_all(header::COOKIE) {
        let Ok(text) = header.to_str() else { continue };
        for pair in text.split(';') {
            let Some((name, value)) = pair.trim().split_once('=') else {
                continue;
            };
            if name == format!("__Host-{base}") {
                host.get_or_insert_with(|| value.to_string());
            }
            if name == base {
                plain.get_or_insert_with(|| value.to_string());
            }
        }
    }
    (host, plain)
}

pub fn lang_of(headers: &HeaderMap) -> Lang {
    // Only a preference: either variant will do.
    let (host, plain) = read_cookie_variants(headers, "erbij_lang");
    host.or(plain)
        .and_then(|v| Lang::parse(&v))
        .unwrap_or_default()
}

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Runs around every request: renders error statuses as pages (or JSON under `/api/`) and
/// adds the security headers.
pub async fn finish_response(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let lang = lang_of(request.headers());
    let is_api = request.uri().path().starts_with("/api/");
    let is_asset = request.uri().path().starts_with("/assets/");
    let https = is_https(&state, request.headers());
    let mut response = next.run(request).await;
    let status = response.status();
    if (status.is_client_error() || status.is_server_error())
        && response.extensions().get::<RenderedPage>().is_none()
    {
        let key = response
            .extensions()
            .get::<ErrorMarker>()
            .map(|m| m.message_key)
            .unwrap_or(match status {
                StatusCode::NOT_FOUND => "error-not-found",
                StatusCode::PAYLOAD_TOO_LARGE => "error-too-large",
                StatusCode::METHOD_NOT_ALLOWED => "error-method",
                StatusCode::UNSUPPORTED_MEDIA_TYPE
                | StatusCode::BAD_REQUEST
                | StatusCode::UNPROCESSABLE_ENTITY => "error-bad-request",
                StatusCode::UNAUTHORIZED => "error-unauthorized",
                _ => "error-internal",
            });
        let tr = Tr::new(lang, erbij_core::SchoolKind::Secondary);
        let mut replaced = if is_api {
            let body = serde_json::json!({ "error": key.trim_start_matches("error-"), "message": Tr::new(Lang::En, tr.kind).t(key) });
            (status, axum::Json(body)).into_response()
        } else {
            (status, Html(render_error_page(tr, status, key))).into_response()
        };
        if status == StatusCode::UNAUTHORIZED && is_api {
            replaced
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        // What the handler said about the method or when to come back stays (a limited
        // join code or login answers 429 with Retry-After).
        for name in [header::ALLOW, header::RETRY_AFTER] {
            if let Some(value) = response.headers().get(&name) {
                replaced.headers_mut().insert(name, value.clone());
            }
        }
        response = replaced;
    }
    // A pupil's file shown in the browser runs nothing and reaches nothing (sandbox).
    let sandboxed = response
        .extensions()
        .get::<crate::pages::evidence::SandboxedContent>()
        .is_some();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if sandboxed {
            SANDBOXED_CONTENT_SECURITY_POLICY
        } else {
            CONTENT_SECURITY_POLICY
        }),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    if !is_asset {
        // Pages hold pupils' names: keep them out of shared and back-button caches.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    response
}

/// Refuses a request whose declared length is over the largest limit (a pupil list) before
/// reading a byte of it; the per-route limits then apply to what is read.
pub async fn refuse_declared_oversize(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    // Evidence uploads are the largest bodies any route takes.
    let largest = crate::routes::IMPORT_BODY_LIMIT.max(crate::pages::evidence::EVIDENCE_BODY_LIMIT);
    if declared.is_some_and(|length| length > largest) {
        let mut response = StatusCode::PAYLOAD_TOO_LARGE.into_response();
        if crate::pages::evidence::is_upload_path(request.uri().path()) {
            // The evidence limit, not the pupil list's, is what this person needs to know.
            response.extensions_mut().insert(ErrorMarker {
                message_key: "error-evidence-too-large",
            });
        }
        return response;
    }
    next.run(request).await
}

/// An empty body, for redirects.
pub fn see_other(location: &str) -> Response {
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_equal_only_when_identical_and_non_empty() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "ab"));
        assert!(!same_secret("", ""));
    }

    #[test]
    fn cookies_get_secure_and_host_prefix_behind_https() {
        assert_eq!(
            set_cookie("erbij_session", "x", true, None),
            "__Host-erbij_session=x; Path=/; HttpOnly; SameSite=Lax; Secure"
        );
        assert_eq!(
            set_cookie("erbij_session", "x", false, Some(0)),
            "erbij_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        );
    }

    #[test]
    fn both_policies_forbid_plugins_a_base_element_and_framing() {
        for policy in [CONTENT_SECURITY_POLICY, SANDBOXED_CONTENT_SECURITY_POLICY] {
            let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
            for needed in [
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
            ] {
                assert!(directives.contains(&needed), "{needed} missing in {policy}");
            }
        }
        assert!(SANDBOXED_CONTENT_SECURITY_POLICY.starts_with("sandbox;"));
        assert!(!SANDBOXED_CONTENT_SECURITY_POLICY.contains("script-src"));
    }
}
