//! School sign-in with OpenID Connect (Microsoft Entra ID, Google Workspace, the Dutch
//! school federation, any standard provider): the authorization code flow with PKCE, a
//! state and a nonce per sign-in, and an ID token whose signature (the provider's published
//! keys) and claims (`iss`, `aud`, `azp`, `exp`, `iat`, `nonce`) are checked here, with the
//! injected clock.
//!
//! The HTTP calls to the provider (discovery, token, keys) are the web layer's; this module
//! decides. An account is found by its e-mail address within the school that started the
//! sign-in; an address of another school, or none, is refused unless the administrator
//! allows new accounts (as a teacher). A school sign-in replaces the password, not the
//! second factor: the same two-factor rules follow.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::auth::{OidcConfig, OidcRequest};
use crate::security::{hash_password, hash_token, new_secret_token};
use crate::{
    Email, LoginError, NewUser, PersonName, Platform, Role, SchoolId, SessionInfo, StoreError,
    Timestamp,
};

/// A sign-in must come back from the provider within ten minutes.
pub const REQUEST_LIFETIME_SECONDS: i64 = 600;
/// Clock difference tolerated between the provider and this server.
pub const CLOCK_LEEWAY_SECONDS: i64 = 60;
/// Signature algorithms accepted for ID tokens: asymmetric only, so the client secret can
/// never be used as a verification key.
const ALGORITHMS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Why a school sign-in was refused. The web layer shows a plain message for each; none
/// says whether an address has an account at another school.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error("school sign-in is not set up for this school")]
    NotConfigured,
    #[error("the sign-in is unknown or has expired")]
    UnknownState,
    #[error("the provider answered with an error: {0}")]
    Provider(String),
    #[error("the ID token was refused: {0}")]
    Token(String),
    #[error("the ID token holds no verified e-mail address")]
    NoEmail,
    #[error("no account with this address at this school")]
    NoAccount,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The provider's discovery document (the fields erbij uses).
#[derive(Debug, Clone, Deserialize)]
pub struct ProviderMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    pub code_challenge_methods_supported: Option<Vec<String>>,
}

impl ProviderMetadata {
    /// Checks the document against the configured issuer (OpenID Connect Discovery §4.3)
    /// and that every endpoint may be called.
    pub fn check(&self, configured_issuer: &str) -> Result<(), OidcError> {
        if self.issuer.trim_end_matches('/') != configured_issuer.trim_end_matches('/') {
            return Err(OidcError::Provider(
                "the discovery document names another issuer".into(),
            ));
        }
        for url in [
            &self.authorization_endpoint,
            &self.token_endpoint,
            &self.jwks_uri,
        ] {
            if !crate::auth::issuer_allowed(url) {
                return Err(OidcError::Provider(
                    "an endpoint is not an https address".into(),
                ));
            }
        }
        if let Some(methods) = &self.code_challenge_methods_supported {
            if !methods.iter().any(|m| m == "S256") {
                return Err(OidcError::Provider(
                    "the provider does not offer PKCE S256".into(),
                ));
            }
        }
        Ok(())
    }

    /// Whether the client authenticates with HTTP Basic (the default) or in the form body.
    pub fn uses_basic_auth(&self) -> bool {
        self.token_endpoint_auth_methods_supported
            .as_ref()
            .is_none_or(|m| m.iter().any(|x| x == "client_secret_basic"))
    }
}

/// The PKCE S256 challenge of a verifier (RFC 7636 §4.2).
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn query_encode(text: &str) -> String {
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

/// The claims of an ID token erbij reads.
#[derive(Debug, Clone, Deserialize)]
pub struct IdClaims {
    pub iss: String,
    pub sub: String,
    pub aud: serde_json::Value,
    pub exp: i64,
    #[serde(default)]
    pub iat: Option<i64>,
    #[serde(default)]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub azp: Option<String>,
    #[serde(default)]
    pub nonce: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub email_verified: Option<serde_json::Value>,
    #[serde(default)]
    pub name: Option<String>,
}

/// Verifies an ID token: the signature with the provider's keys, then `iss`, `aud`, `azp`,
/// `exp`, `iat`, `nbf` (against `now`, with a minute's leeway) and the nonce this sign-in
/// sent.
pub fn verify_id_token(
    token: &str,
    jwks_json: &str,
    issuer: &str,
    client_id: &str,
    nonce: &str,
    now: Timestamp,
) -> Result<IdClaims, OidcError> {
    let refuse = |why: &str| OidcError::Token(why.to_string());
    let header = jsonwebtoken::decode_header(token).map_err(|_| refuse("not a signed JWT"))?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(refuse("signature algorithm not accepted"));
    }
    let keys: JwkSet = serde_json::from_str(jwks_json)
        .map_err(|_| refuse("the provider's keys are unreadable"))?;
    let jwk = match &header.kid {
        Some(kid) => keys.find(kid),
        None if keys.keys.len() == 1 => keys.keys.first(),
        None => None,
    }
    .ok_or_else(|| refuse("signed with a key the provider does not publish"))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| refuse("the provider's key is unusable"))?;
    let mut validation = Validation::new(header.alg);
    validation.algorithms = vec![header.alg];
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[client_id]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    // Time is checked below against the injected clock, not the library's system time.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    let data = jsonwebtoken::decode::<IdClaims>(token, &key, &validation).map_err(|e| {
        use jsonwebtoken::errors::ErrorKind;
        match e.kind() {
            ErrorKind::InvalidAudience => refuse("issued to another client (aud)"),
            ErrorKind::InvalidIssuer => refuse("issued by another provider (iss)"),
            ErrorKind::InvalidSignature => refuse("the signature is wrong"),
            ErrorKind::MissingRequiredClaim(_) => refuse("a required claim is missing"),
            _ => refuse("the token is malformed"),
        }
    })?;
    let claims = data.claims;
    if claims.exp + CLOCK_LEEWAY_SECONDS <= now {
        return Err(refuse("expired (exp)"));
    }
    if claims
        .nbf
        .is_some_and(|nbf| nbf - CLOCK_LEEWAY_SECONDS > now)
    {
        return Err(refuse("not valid yet (nbf)"));
    }
    if claims
        .iat
        .is_some_and(|iat| iat - CLOCK_LEEWAY_SECONDS > now)
    {
        return Err(refuse("issued in the future (iat)"));
    }
    // With several audiences, the token must have been issued to us (OIDC Core §3.1.3.7).
    let several_audiences = claims.aud.as_array().is_some_and(|a| a.len() > 1);
    if (several_audiences || claims.azp.is_some()) && claims.azp.as_deref() != Some(client_id) {
        return Err(refuse("issued to another client (azp)"));
    }
    match claims.nonce.as_deref() {
        Some(got) if crate::security::same_bytes(got.as_bytes(), nonce.as_bytes()) => {}
        _ => return Err(refuse("the nonce does not match this sign-in")),
    }
    Ok(claims)
}

impl IdClaims {
    /// The verified e-mail address: `email`, unless the provider says it is unverified.
    pub fn verified_email(&self) -> Option<Email> {
        let unverified = match &self.email_verified {
            Some(serde_json::Value::Bool(b)) => !b,
            Some(serde_json::Value::String(s)) => s != "true",
            _ => false,
        };
        if unverified {
            return None;
        }
        self.email.as_deref().and_then(|e| Email::new(e).ok())
    }
}

/// Where to send the browser, and the state to bind to it.
#[derive(Clone)]
pub struct OidcStart {
    pub state: String,
    pub authorize_url: String,
}

impl std::fmt::Debug for OidcStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OidcStart(..)")
    }
}

impl Platform {
    /// The school's provider settings, for the web layer's calls.
    pub fn oidc_config(&self, school: SchoolId) -> Result<OidcConfig, OidcError> {
        self.store()
            .school_settings(school)?
            .oidc
            .ok_or(OidcError::NotConfigured)
    }

    /// The one school with sign-in set up, when there is exactly one (the login page's
    /// button).
    pub fn only_oidc_school(&self) -> Result<Option<SchoolId>, StoreError> {
        let schools: Vec<SchoolId> = self
            .store()
            .all_school_settings()?
            .into_iter()
            .filter(|s| s.oidc.is_some())
            .map(|s| s.school_id)
            .collect();
        Ok((schools.len() == 1).then(|| schools[0]))
    }

    /// Starts a sign-in: a fresh state, nonce and PKCE verifier, stored until the provider
    /// answers, and the provider's authorization URL.
    pub fn begin_oidc(
        &self,
        school: SchoolId,
        metadata: &ProviderMetadata,
        redirect_uri: &str,
    ) -> Result<OidcStart, OidcError> {
        let config = self.oidc_config(school)?;
        metadata.check(&config.issuer)?;
        let secret = |_| new_secret_token().map_err(|e| OidcError::Provider(e.to_string()));
        let (state, nonce, verifier) = (secret(0)?, secret(1)?, secret(2)?);
        self.store().create_oidc_request(
            &hash_token(&state),
            &OidcRequest {
                school_id: school,
                nonce: nonce.clone(),
                pkce_verifier: verifier.clone(),
                redirect_uri: redirect_uri.to_string(),
                expires_at: self.now() + REQUEST_LIFETIME_SECONDS,
            },
        )?;
        let separator = if metadata.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        let authorize_url = format!(
            "{}{separator}response_type=code&client_id={}&redirect_uri={}&scope=openid%20email%20profile&state={}&nonce={}&code_challenge={}&code_challenge_method=S256",
            metadata.authorization_endpoint,
            query_encode(&config.client_id),
            query_encode(redirect_uri),
            query_encode(&state),
            query_encode(&nonce),
            pkce_challenge(&verifier),
        );
        Ok(OidcStart {
            state,
            authorize_url,
        })
    }

    /// The stored sign-in behind a returned state (used once; expired ones are refused).
    pub fn take_oidc_request(&self, state: &str) -> Result<OidcRequest, OidcError> {
        let request = self
            .store()
            .take_oidc_request(&hash_token(state))?
            .ok_or(OidcError::UnknownState)?;
        if request.expires_at <= self.now() {
            return Err(OidcError::UnknownState);
        }
        Ok(request)
    }

    /// Finishes a sign-in with the provider's ID token: verifies it, finds (or, when the
    /// school allows, creates) the account, then applies the second-factor rules exactly as
    /// after a password.
    pub fn finish_oidc(
        &self,
        request: &OidcRequest,
        metadata: &ProviderMetadata,
        id_token: &str,
        jwks_json: &str,
    ) -> Result<Result<(String, SessionInfo), LoginError>, OidcError> {
        let settings = self.store().school_settings(request.school_id)?;
        let config = settings.oidc.as_ref().ok_or(OidcError::NotConfigured)?;
        metadata.check(&config.issuer)?;
        let claims = verify_id_token(
            id_token,
            jwks_json,
            &metadata.issuer,
            &config.client_id,
            &request.nonce,
            self.now(),
        )?;
        let email = claims.verified_email().ok_or(OidcError::NoEmail)?;
        let user = match self.store().user_by_email(&email)? {
            Some(user) if user.school_id == request.school_id => user,
            // Another school's address is treated exactly like an unknown one.
            Some(_) => return Err(OidcError::NoAccount),
            None if settings.oidc_create_accounts => {
                let name = claims
                    .name
                    .as_deref()
                    .and_then(|n| PersonName::new(n).ok())
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| email.as_str().split('@').next().unwrap_or("").to_string());
                // The account can only sign in through the school: its password is random
                // and never shown.
                let unusable =
                    new_secret_token().map_err(|e| OidcError::Provider(e.to_string()))?;
                let password_hash =
                    hash_password(&unusable).map_err(|e| OidcError::Provider(e.to_string()))?;
                self.store().create_user(&NewUser {
                    school_id: request.school_id,
                    email,
                    name,
                    role: Role::Teacher,
                    password_hash,
                })?
            }
            None => return Err(OidcError::NoAccount),
        };
        Ok(self.after_first_factor(&user))
    }
}

/// The answer of a token endpoint (the field erbij uses).
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    #[serde(default)]
    pub id_token: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn discovery_must_name_the_configured_issuer_and_safe_endpoints() {
        let good = ProviderMetadata {
            issuer: "https://idp.example".into(),
            authorization_endpoint: "https://idp.example/auth".into(),
            token_endpoint: "https://idp.example/token".into(),
            jwks_uri: "https://idp.example/jwks".into(),
            token_endpoint_auth_methods_supported: None,
            code_challenge_methods_supported: Some(vec!["S256".into()]),
        };
        assert_eq!(good.check("https://idp.example/"), Ok(()));
        assert!(good.check("https://other.example").is_err());
        let mut plain = good.clone();
        plain.token_endpoint = "http://idp.example/token".into();
        assert!(plain.check("https://idp.example").is_err());
        let mut no_pkce = good.clone();
        no_pkce.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert!(no_pkce.check("https://idp.example").is_err());
        assert!(good.uses_basic_auth());
    }

    #[test]
    fn a_malformed_or_unsigned_token_is_refused_without_panicking() {
        for token in ["", "abc", "a.b.c", "eyJhbGciOiJub25lIn0.e30."] {
            assert!(matches!(
                verify_id_token(token, r#"{"keys":[]}"#, "https://i", "c", "n", 0),
                Err(OidcError::Token(_))
            ));
        }
    }

    #[test]
    fn unverified_addresses_are_not_used() {
        let claims = |verified: Option<serde_json::Value>| IdClaims {
            iss: String::new(),
            sub: String::new(),
            aud: serde_json::Value::Null,
            exp: 0,
            iat: None,
            nbf: None,
            azp: None,
            nonce: None,
            email: Some("Juf.Anouk@School.example".into()),
            email_verified: verified,
            name: None,
        };
        assert!(claims(None).verified_email().is_some());
        assert!(
            claims(Some(serde_json::Value::Bool(true)))
                .verified_email()
                .is_some()
        );
        assert!(
            claims(Some(serde_json::Value::Bool(false)))
                .verified_email()
                .is_none()
        );
        assert!(claims(Some("false".into())).verified_email().is_none());
    }
}
