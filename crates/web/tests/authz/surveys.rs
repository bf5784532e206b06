//! The authorization rows of surveys: every route of that capability for every actor (see
//! `authorization.rs` for the actors' order and the placeholders it fills in).

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

use erbij_core::surveys::RoundRequest;
use erbij_core::{Actor, Role};

/// `{name}` placeholders this file's rows use, with the objects made for them.
pub fn seed(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let (round, codes) = app
        .platform
        .start_survey(
            &coordinator,
            seed.class_2b,
            &RoundRequest {
                kind: "nominations".into(),
                questions: vec!["positive".into(), "left_out".into()],
                ..RoundRequest::default()
            },
        )
        .unwrap();
    let monitor = app
        .platform
        .start_monitor(&coordinator, "2025-2026")
        .unwrap();
    let (_, monitor_codes) = app
        .platform
        .monitor_codes(&coordinator, monitor.id)
        .unwrap();
    let monitor_code = monitor_codes
        .iter()
        .find(|(class, _)| class == "3C")
        .map(|(_, codes)| codes[0].clone())
        .unwrap();
    vec![
        ("survey", round.id.0.to_string()),
        ("code", codes[0].code.clone()),
        ("monitor", monitor.id.to_string()),
        ("monitor_code", monitor_code),
    ]
}

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/api/v1/classes/{class}/surveys",
        Body::None,
        [403, 200, 403, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/classes/{class}/surveys",
        Body::Json(r#"{"kind":"ratings","scale":5}"#),
        [403, 201, 403, 201, 201, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/surveys/{survey}",
        Body::None,
        [403, 200, 403, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/answers",
        Body::Json(r#"{"code":"{code}","nominations":{"positive":[],"left_out":[]}}"#),
        [201, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/api/v1/surveys/{survey}/results",
        Body::None,
        [403, 200, 403, 200, 200, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/surveys/{survey}/answers.csv",
        Body::None,
        [403, 403, 403, 200, 200, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/monitors",
        Body::None,
        [403, 200, 403, 403, 403, 403, 403, 401],
    ),
    row(
        "POST",
        "/api/v1/monitors",
        Body::Json(r#"{"title":"{unique}"}"#),
        [403, 201, 403, 403, 403, 403, 403, 401],
    ),
    row(
        "GET",
        "/api/v1/monitors/{monitor}/results",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 401],
    ),
    row(
        "POST",
        "/classes/{class}/surveys",
        Body::Form(&[
            ("kind", "nominations"),
            ("q_positive", "1"),
            ("q_left_out", "1"),
        ]),
        [403, 303, 403, 303, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/surveys/{survey}",
        Body::None,
        [403, 200, 403, 200, 200, 404, 404, 303],
    ),
    row(
        "GET",
        "/surveys/{survey}/slips",
        Body::None,
        [403, 200, 403, 200, 200, 404, 404, 303],
    ),
    row(
        "GET",
        "/surveys/{survey}/answers.csv",
        Body::None,
        [403, 403, 403, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/settings/surveys",
        Body::Form(&[("alpha", "0.05")]),
        [303, 303, 403, 403, 403, 403, 303, 303],
    ),
    // The pupil's pages: no account, the code is the credential.
    row(
        "GET",
        "/s",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/s/{code}",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "POST",
        "/s/{code}",
        Body::Form(&[("none-positive", "1")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "GET",
        "/s/{code}/thanks",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "POST",
        "/surveys/{survey}/close",
        Body::Form(&[]),
        [403, 303, 403, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/api/v1/surveys/{survey}/close",
        Body::None,
        [403, 200, 403, 200, 200, 404, 404, 401],
    ),
];
