//! The authorization rows of signals: every route of that capability for every actor (see
//! `authorization.rs` for the actors' order and the placeholders it fills in).
//!
//! The administrator manages accounts and sees no signs. Like the case file does for case
//! contents, a pupil's signs, a sign and the class grid answer 404 to the administrator
//! (the objects stay hidden); the school-wide early-warning list and its rules answer 403
//! (there is no object to hide, only a role that may not look). A teacher of another class
//! gets 404 for every sign of a pupil not in their classes.

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

use erbij_core::{Actor, Role, SignalInput};

/// `{name}` placeholders this file's rows use, with the objects made for them.
pub fn seed(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let teacher = Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    };
    let record = |note: &str| {
        app.platform
            .record_signal(
                &teacher,
                seed.pupil_2b,
                &SignalInput {
                    kind: "alone_at_break".into(),
                    seen_on: None,
                    note: Some(note.into()),
                },
            )
            .unwrap()
            .id
            .0
            .to_string()
    };
    // The platform's rows archive {pupil}; signs are recorded for a pupil still at school.
    let at_school = app
        .platform
        .create_pupil(
            &seed.admin,
            seed.class_2b,
            erbij_core::NewPupil::parse("Noor", "", "Visser", "").unwrap(),
        )
        .unwrap();
    vec![
        ("pupil_at_school", at_school.id.0.to_string()),
        ("signal", record("zat alleen")),
        ("signal_withdraw", record("wordt ingetrokken")),
        ("teacher_id", seed.user_ids["teacher"].0.to_string()),
    ]
}

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/api/v1/pupils/{pupil}/signals",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/pupils/{pupil_at_school}/signals",
        Body::Json(r#"{"kind":"chosen_last","note":"authz"}"#),
        [404, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/signals/{signal}",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "PATCH",
        "/api/v1/signals/{signal}",
        Body::Json(r#"{"note":"zat weer alleen"}"#),
        [404, 200, 403, 403, 200, 404, 404, 401],
    ),
    row(
        "DELETE",
        "/api/v1/signals/{signal_withdraw}",
        Body::Json(r#"{"reason":"verkeerde leerling"}"#),
        [404, 204, 403, 403, 204, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/early-warning",
        Body::None,
        [403, 200, 200, 200, 200, 200, 403, 401],
    ),
    row(
        "GET",
        "/api/v1/early-warning/rules",
        Body::None,
        [403, 200, 200, 200, 200, 200, 403, 401],
    ),
    row(
        "PUT",
        "/api/v1/early-warning/rules",
        Body::Json(
            r#"{"rules":[{"kind":"distinct_kinds","min_count":3,"window_days":28},{"kind":"teachers","min_count":2,"window_days":14}]}"#,
        ),
        [403, 200, 403, 403, 403, 403, 403, 401],
    ),
    row(
        "GET",
        "/api/v1/users",
        Body::None,
        [200, 403, 403, 403, 403, 403, 200, 401],
    ),
    row(
        "GET",
        "/api/v1/classes/{class}/teachers",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/classes/{class}/teachers",
        Body::Json(r#"{"user_id":{teacher_id}}"#),
        [200, 403, 403, 403, 403, 404, 404, 401],
    ),
    row(
        "DELETE",
        "/api/v1/classes/{class}/teachers/{user_id}",
        Body::None,
        [204, 403, 403, 403, 403, 404, 404, 401],
    ),
];
