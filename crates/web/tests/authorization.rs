//! The authorization table: every route of the web app and the API, for every role, for a
//! teacher of another class, for an administrator of another school and for an anonymous
//! visitor, with the status expected. A route the router serves without a row here fails
//! `every_route_has_a_row`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeSet, HashMap};

use common::{ACTORS, Client, PASSWORD, Seed, TestApp, seed};

/// How a row's request carries its body.
#[derive(Clone, Copy)]
enum Body {
    None,
    /// A form with the session's (or the login page's) CSRF token and these fields.
    Form(&'static [(&'static str, &'static str)]),
    /// A multipart pupil-list upload with the CSRF token.
    Upload,
    Json(&'static str),
    #[allow(dead_code)] // for the capabilities that take uploads
    /// A multipart form with the session's CSRF token (none when anonymous), these fields
    /// and optionally one file (`file` field: name, bytes).
    Multipart(
        &'static [(&'static str, &'static str)],
        Option<(&'static str, &'static [u8])>,
    ),
}

struct Row {
    method: &'static str,
    pattern: &'static str,
    body: Body,
    /// Expected status per actor, in the order of `ACTORS`:
    /// admin, coordinator, adviser, care, teacher (of 2B), teacher_other (of 3C), other_school admin, anonymous.
    expected: [u16; 8],
}

const fn row(method: &'static str, pattern: &'static str, body: Body, expected: [u16; 8]) -> Row {
    Row {
        method,
        pattern,
        body,
        expected,
    }
}

// Objects: {class} is 2B (taught by "teacher", not by "teacher_other"), {pupil} is in 2B,
// {user} is the administrator, {token} a token id of nobody in particular.
const TABLE: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    row(
        "GET",
        "/healthz",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/assets/{file}",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/setup",
        Body::None,
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/setup",
        Body::Form(&[
            ("school", "X"),
            ("kind", "vo"),
            ("name", "X"),
            ("email", "x@x.example"),
            ("password", "een lang wachtwoord"),
        ]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "GET",
        "/login",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "POST",
        "/login",
        Body::Form(&[
            ("email", "nobody@nowhere.example"),
            ("password", "wrong password"),
        ]),
        // One address from one source: the fifth wrong password starts the login
        // throttle's delay, for an unknown address exactly as for a known one.
        [401, 401, 401, 401, 429, 429, 429, 429],
    ),
    row(
        "GET",
        "/language/{lang}",
        Body::None,
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "GET",
        "/classes",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    row(
        "POST",
        "/classes",
        Body::Form(&[("name", "{unique}")]),
        [303, 403, 403, 403, 403, 403, 303, 303],
    ),
    row(
        "GET",
        "/classes/{class}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}",
        Body::Form(&[("name", "2B")]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/archive",
        Body::Form(&[("archived_on", "2026-07-31")]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/restore",
        Body::Form(&[]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "GET",
        "/classes/{class}/export.csv",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/pupils",
        Body::Form(&[("given_name", "Noor"), ("family_name", "Visser")]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/teachers",
        Body::Form(&[("user_id", "{user}")]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/teachers/{user_id}/remove",
        Body::Form(&[]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "GET",
        "/pupils/{pupil}",
        Body::None,
        [200, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/pupils/{pupil}",
        Body::Form(&[
            ("given_name", "Mila"),
            ("infix", "de"),
            ("family_name", "Vries"),
            ("external_id", "2001"),
        ]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/pupils/{pupil}/archive",
        Body::Form(&[("left_on", "2026-07-17")]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "POST",
        "/pupils/{pupil}/restore",
        Body::Form(&[]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
    row(
        "GET",
        "/import",
        Body::None,
        [200, 403, 403, 403, 403, 403, 200, 303],
    ),
    row(
        "POST",
        "/import",
        Body::Upload,
        [200, 403, 403, 403, 403, 403, 200, 303],
    ),
    row(
        "POST",
        "/import/confirm",
        Body::Form(&[("import_id", "gone"), ("action", "confirm")]),
        [422, 403, 403, 403, 403, 403, 422, 303],
    ),
    row(
        "GET",
        "/account",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    row(
        "POST",
        "/account/password",
        Body::Form(&[
            ("current", "not my password"),
            ("new", "een ander lang wachtwoord"),
        ]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/account/tokens",
        Body::Form(&[("label", "test")]),
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    row(
        "POST",
        "/account/tokens/{token}/revoke",
        Body::Form(&[]),
        [404, 404, 404, 404, 404, 404, 404, 303],
    ),
    row(
        "GET",
        "/users",
        Body::None,
        [200, 403, 403, 403, 403, 403, 200, 303],
    ),
    row(
        "POST",
        "/users",
        Body::Form(&[
            ("name", "Nieuwe Collega"),
            ("email", "{unique}@new.example"),
            ("role", "teacher"),
            ("password", "een lang wachtwoord"),
        ]),
        [303, 403, 403, 403, 403, 403, 303, 303],
    ),
    row(
        "GET",
        "/api/v1/openapi.json",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/api/v1/classes",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 401],
    ),
    row(
        "POST",
        "/api/v1/classes",
        Body::Json(r#"{"name":"{unique}"}"#),
        [201, 403, 403, 403, 403, 403, 201, 401],
    ),
    row(
        "GET",
        "/api/v1/classes/{class}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "PATCH",
        "/api/v1/classes/{class}",
        Body::Json(r#"{"name":"2B"}"#),
        [200, 403, 403, 403, 403, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/classes/{class}/archive",
        Body::Json(r#"{"archived_on":"2026-07-31"}"#),
        [200, 403, 403, 403, 403, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/classes/{class}/pupils",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/classes/{class}/pupils",
        Body::Json(r#"{"given_name":"Noor","family_name":"Visser"}"#),
        [201, 403, 403, 403, 403, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/pupils/{pupil}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "PATCH",
        "/api/v1/pupils/{pupil}",
        Body::Json(
            r#"{"given_name":"Mila","infix":"de","family_name":"Vries","external_id":"2001"}"#,
        ),
        [200, 403, 403, 403, 403, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/pupils/{pupil}/archive",
        Body::Json(r#"{"left_on":"2026-07-17"}"#),
        [200, 403, 403, 403, 403, 404, 404, 401],
    ),
];

/// Last of all: it ends the session.
const LOGOUT: &[Row] = &[row(
    "POST",
    "/logout",
    Body::Form(&[]),
    [303, 303, 303, 303, 303, 303, 303, 303],
)];

// Each capability keeps its rows and the objects they need in its own file.
#[path = "authz/auth.rs"]
mod authz_auth;
#[path = "authz/cases.rs"]
mod authz_cases;
#[path = "authz/evidence.rs"]
mod authz_evidence;
#[path = "authz/hardening.rs"]
mod authz_hardening;
#[path = "authz/lessons.rs"]
mod authz_lessons;
#[path = "authz/monitor.rs"]
mod authz_monitor;
#[path = "authz/signals.rs"]
mod authz_signals;
#[path = "authz/surveys.rs"]
mod authz_surveys;

/// Every row, in the order they run: the platform's, each capability's, then logout.
fn table() -> Vec<&'static Row> {
    TABLE
        .iter()
        .chain(authz_signals::ROWS)
        .chain(authz_surveys::ROWS)
        .chain(authz_monitor::ROWS)
        .chain(authz_cases::ROWS)
        .chain(authz_evidence::ROWS)
        .chain(authz_lessons::ROWS)
        .chain(authz_hardening::ROWS)
        .chain(authz_auth::ROWS)
        .chain(LOGOUT)
        .collect()
}

/// The placeholders each capability's rows use (`{signal}` -> an id), made once.
fn capability_placeholders(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let mut all = Vec::new();
    all.extend(authz_signals::seed(app, seed));
    all.extend(authz_surveys::seed(app, seed));
    all.extend(authz_monitor::seed(app, seed));
    all.extend(authz_cases::seed(app, seed));
    all.extend(authz_evidence::seed(app, seed));
    all.extend(authz_lessons::seed(app, seed));
    all.extend(authz_hardening::seed(app, seed));
    all.extend(authz_auth::seed(app, seed));
    all
}

/// Placeholders that are also the router's own names; every other `{name}` in a table
/// pattern (`{class}`, `{pupil}`, `{signal}`, ...) is the router's `{id}`.
const ROUTER_NAMES: &[&str] = &[
    "file",
    "lang",
    "user_id",
    "code",
    "school_code",
    "join_code",
    "file_id",
];

/// Placeholders for another object on a router's route: a monitor code is served on
/// evidence's `/m/{school_code}`.
const ROUTER_ALIASES: &[(&str, &str)] = &[
    ("monitor_page_code", "{school_code}"),
    ("wrong_school_code", "{school_code}"),
];

/// The router's pattern for a table pattern (`/classes/{class}` -> `/classes/{id}`).
fn router_pattern(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = &rest[open + 1..close];
        if let Some((_, router)) = ROUTER_ALIASES.iter().find(|(alias, _)| *alias == name) {
            out.push_str(router);
        } else if ROUTER_NAMES.contains(&name) {
            out.push_str(&rest[open..=close]);
        } else {
            out.push_str("{id}");
        }
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_route_has_a_row() {
    let served: BTreeSet<(String, String)> = erbij_web::route_list()
        .into_iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let table: BTreeSet<(String, String)> = table()
        .into_iter()
        .map(|r| (r.method.to_string(), router_pattern(r.pattern)))
        .collect();
    let without_row: Vec<_> = served.difference(&table).collect();
    let not_served: Vec<_> = table.difference(&served).collect();
    assert!(
        without_row.is_empty(),
        "routes without a row in the authorization table: {without_row:?}"
    );
    assert!(
        not_served.is_empty(),
        "rows for routes the router does not serve: {not_served:?}"
    );
}

fn concrete(text: &str, seed: &Seed, extra: &[(&str, String)], counter: usize) -> String {
    let mut text = text.to_string();
    for (name, value) in extra {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text.replace("{class}", &seed.class_2b.0.to_string())
        .replace("{pupil}", &seed.pupil_2b.0.to_string())
        .replace("{user_id}", &seed.admin.user_id.0.to_string())
        .replace("{user}", &seed.admin.user_id.0.to_string())
        .replace("{token}", "987654")
        .replace("{file}", "style.css")
        .replace("{lang}", "en")
        .replace("{unique}", &format!("k{counter}"))
}

#[test]
fn every_route_answers_every_actor_as_the_table_says() {
    let app = TestApp::start_sqlite("authz");
    let seed = seed(&app.platform, "Authz");
    let extra = capability_placeholders(&app, &seed);
    let mut clients: HashMap<&str, Client> = HashMap::new();
    for actor in ACTORS {
        let mut client = app.client();
        // Every visitor gets the login page's double-submit cookie, as a browser would.
        client.get("/login");
        if actor != "anonymous" {
            client.login(&seed.emails[actor], PASSWORD);
            let (token, _) = app
                .platform
                .operator_create_token(&seed.emails[actor], "authz")
                .unwrap();
            client.bearer = Some(token);
        }
        clients.insert(actor, client);
    }
    let mut failures = Vec::new();
    let mut counter = 0;
    for row in table() {
        for (index, actor) in ACTORS.iter().enumerate() {
            counter += 1;
            let client = clients.get_mut(actor).unwrap();
            let path = concrete(row.pattern, &seed, &extra, counter);
            let reply = match row.body {
                Body::None => client.request(row.method, &path, None),
                Body::Form(fields) => {
                    let csrf = if row.pattern == "/login"
                        || row.pattern == "/setup"
                        || *actor == "anonymous"
                    {
                        client
                            .cookies
                            .get("erbij_csrf")
                            .cloned()
                            .unwrap_or_default()
                    } else {
                        client.session_csrf()
                    };
                    let values: Vec<(String, String)> = fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), concrete(v, &seed, &extra, counter)))
                        .collect();
                    let mut form: Vec<(&str, &str)> = values
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    form.push(("csrf", &csrf));
                    client.post_form(&path, &form)
                }
                Body::Upload => {
                    let csrf = if *actor == "anonymous" {
                        String::new()
                    } else {
                        client.session_csrf()
                    };
                    client.post_multipart(
                        &path,
                        &[("csrf", &csrf)],
                        Some(("klas.csv", b"roepnaam;achternaam;klas\nMila;Vries;2B\n")),
                    )
                }
                Body::Multipart(fields, file) => {
                    let csrf = if *actor == "anonymous" {
                        String::new()
                    } else {
                        client.session_csrf()
                    };
                    let values: Vec<(String, String)> = fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), concrete(v, &seed, &extra, counter)))
                        .collect();
                    let mut form: Vec<(&str, &str)> = values
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    form.push(("csrf", &csrf));
                    client.post_multipart(&path, &form, file)
                }
                Body::Json(json) => {
                    client.send_json(row.method, &path, &concrete(json, &seed, &extra, counter))
                }
            };
            if reply.status != row.expected[index] {
                failures.push(format!(
                    "{} {} as {actor}: expected {}, got {}",
                    row.method, row.pattern, row.expected[index], reply.status
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
