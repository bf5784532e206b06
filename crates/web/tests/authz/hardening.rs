//! The authorization rows of hardening: the access log of a pupil and the pupil's AVG
//! export, read by the coordinator only (see `authorization.rs` for the actors' order).

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

pub fn seed(_app: &TestApp, _seed: &Seed) -> Vec<(&'static str, String)> {
    Vec::new()
}

pub const ROWS: &[Row] = &[
    row(
        "GET",
        "/pupils/{pupil}/access-log",
        Body::None,
        // admin, coordinator, adviser, care, teacher of 2B, teacher of 3C, other school, anonymous
        [403, 200, 403, 403, 403, 404, 404, 303],
    ),
    // The AVG export: the coordinator only; others who see the pupil 403, others 404.
    row(
        "GET",
        "/pupils/{pupil}/data-export",
        Body::None,
        [403, 200, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "GET",
        "/pupils/{pupil}/data-export.json",
        Body::None,
        [403, 200, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "GET",
        "/api/v1/pupils/{pupil}/data-export",
        Body::None,
        [403, 200, 403, 403, 403, 404, 404, 401],
    ),
];
