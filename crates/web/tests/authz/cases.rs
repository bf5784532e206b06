//! The authorization rows of cases: every route of that capability for every actor (see
//! `authorization.rs` for the actors' order and the placeholders it fills in).

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

/// `{name}` placeholders this file's rows use, with the objects made for them.
pub fn seed(_app: &TestApp, _seed: &Seed) -> Vec<(&'static str, String)> {
    Vec::new()
}

pub const ROWS: &[Row] = &[];
