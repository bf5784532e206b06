//! The authorization rows of hardening: the access log of a pupil, read by the
//! coordinator only (see `authorization.rs` for the actors' order).

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

pub fn seed(_app: &TestApp, _seed: &Seed) -> Vec<(&'static str, String)> {
    Vec::new()
}

pub const ROWS: &[Row] = &[row(
    "GET",
    "/pupils/{pupil}/access-log",
    Body::None,
    // admin, coordinator, adviser, care, teacher of 2B, teacher of 3C, other school, anonymous
    [403, 200, 403, 403, 403, 404, 404, 303],
)];
