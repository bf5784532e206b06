//! The authorization rows of the yearly monitor (pages, the pupils' `/m` pages, API): only
//! the coordinator runs it; pupils need nothing but a code, which works once.

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

use erbij_core::{Actor, Role};

/// `{name}` placeholders this file's rows use, with the objects made for them.
pub fn seed(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let open = app
        .platform
        .start_monitor(&coordinator, "authz-open")
        .unwrap();
    let to_close = app
        .platform
        .start_monitor(&coordinator, "authz-close")
        .unwrap();
    let (_, codes) = app.platform.monitor_codes(&coordinator, open.id).unwrap();
    let mut codes = codes.into_iter().flat_map(|(_, codes)| codes);
    let page_code = codes.next().unwrap();
    let api_code = codes.next().unwrap();
    vec![
        ("mon_open", open.id.to_string()),
        ("mon_close", to_close.id.to_string()),
        ("monitor_page_code", page_code),
        ("monitor_api_code", api_code),
    ]
}

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/monitor",
        Body::None,
        [403, 200, 403, 403, 403, 403, 403, 303],
    ),
    row(
        "POST",
        "/monitor",
        Body::Form(&[("title", "{unique}")]),
        [403, 303, 403, 403, 403, 403, 403, 303],
    ),
    row(
        "GET",
        "/monitor/{mon_open}",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 303],
    ),
    row(
        "GET",
        "/monitor/{mon_open}/slips",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 303],
    ),
    row(
        "GET",
        "/monitor/{mon_open}/results.csv",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 303],
    ),
    row(
        "POST",
        "/monitor/{mon_close}/close",
        Body::Form(&[]),
        [403, 303, 403, 403, 403, 403, 404, 303],
    ),
    row(
        "GET",
        "/m",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    // A monitor code is the questionnaire for anyone holding it (the route is evidence's
    // `/m/{school_code}`); once answered, the code is gone.
    row(
        "GET",
        "/m/{monitor_page_code}",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "POST",
        "/m/{monitor_page_code}",
        Body::Form(&[("safe_school", "always"), ("would_tell", "friend")]),
        [303, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        "GET",
        "/api/v1/monitors/{mon_open}",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/monitors/{mon_open}/codes",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/monitors/{mon_open}/results.csv",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/monitors/{mon_close}/close",
        Body::None,
        [403, 200, 403, 403, 403, 403, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/monitor-answers",
        Body::Json(r#"{"code":"{monitor_api_code}","answers":{"safe_school":"always"}}"#),
        [201, 404, 404, 404, 404, 404, 404, 404],
    ),
];
