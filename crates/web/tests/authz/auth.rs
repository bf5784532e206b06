//! The authorization rows of two-factor login, school sign-in, the security settings and
//! the pupil's data on request (see `authorization.rs` for the actors' order and the
//! placeholders it fills in).

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

/// `{colleague}`: an account of the seeded school that is none of the actors, so resetting
/// its second factor ends no actor's session.
pub fn seed(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let colleague = app
        .platform
        .add_user(
            &seed.admin,
            "collega@authz-auth.example",
            "Collega Zonder Rol",
            erbij_core::Role::Teacher,
            "een lang wachtwoord",
        )
        .expect("a colleague");
    vec![("colleague", colleague.id.0.to_string())]
}

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    // Without a half-finished login the second step sends everyone back to the password.
    row(
        "GET",
        "/login/two-factor",
        Body::None,
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/login/two-factor",
        Body::Form(&[("code", "123456")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "GET",
        "/account/two-factor",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    // A wrong code is refused with a message on the page (303 back to it).
    row(
        "POST",
        "/account/two-factor/confirm",
        Body::Form(&[("code", "000000")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/account/two-factor/recovery-codes",
        Body::Form(&[("code", "000000")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/account/two-factor/disable",
        Body::Form(&[("code", "000000")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/users/{colleague}/two-factor/reset",
        Body::Form(&[]),
        [303, 403, 403, 403, 403, 403, 404, 303],
    ),
    row(
        "GET",
        "/settings",
        Body::None,
        [200, 403, 403, 403, 403, 403, 200, 303],
    ),
    row(
        "POST",
        "/settings/security",
        Body::Form(&[("retention_days", "730")]),
        [303, 403, 403, 403, 403, 403, 303, 303],
    ),
    row(
        "POST",
        "/settings/sign-in",
        Body::Form(&[]),
        [303, 403, 403, 403, 403, 403, 303, 303],
    ),
    // No school of the table has sign-in set up: the start is invisible.
    row(
        "GET",
        "/login/oidc",
        Body::None,
        [404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        "GET",
        "/login/oidc/callback",
        Body::None,
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
];
