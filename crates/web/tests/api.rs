//! The JSON API: bearer tokens, the contract of DESIGN.md, the same access rules as the
//! pages, and an OpenAPI document that lists every API route.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{TestApp, seed};
use erbij_core::Store;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn api_contract(app: &TestApp, prefix: &str) {
    let seed = seed(&app.platform, prefix);
    let mut admin = app.client();
    let (token, record) = app
        .platform
        .operator_create_token(&seed.emails["admin"], "api test")
        .unwrap();
    admin.bearer = Some(token);

    let created = admin.send_json("POST", "/api/v1/classes", r#"{"name":"2B-API"}"#);
    assert_eq!(created.status, 201, "{}", created.body);
    let class = json(&created.body);
    let class_id = class["id"].as_i64().unwrap();
    assert_eq!(class["name"], "2B-API");
    assert_eq!(created.location(), format!("/api/v1/classes/{class_id}"));
    assert_eq!(
        admin
            .send_json("POST", "/api/v1/classes", r#"{"name":"2B-API"}"#)
            .status,
        409
    );
    assert_eq!(
        admin
            .send_json("POST", "/api/v1/classes", r#"{"name":"   "}"#)
            .status,
        422
    );
    let malformed = admin.send_json("POST", "/api/v1/classes", r#"{"naam":"2B"}"#);
    assert_eq!(malformed.status, 422);
    assert_eq!(json(&malformed.body)["error"], "bad-request");
    assert_eq!(
        admin
            .send_json("POST", "/api/v1/classes", "not json")
            .status,
        400
    );

    let list = json(&admin.get("/api/v1/classes").body);
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["2B", "2B-API", "3C"]);

    let pupil = admin.send_json(
        "POST",
        &format!("/api/v1/classes/{class_id}/pupils"),
        r#"{"given_name":"Aylin","family_name":"Demir","external_id":"7001"}"#,
    );
    assert_eq!(pupil.status, 201, "{}", pupil.body);
    let pupil_id = json(&pupil.body)["id"].as_i64().unwrap();
    let patched = admin.send_json(
        "PATCH",
        &format!("/api/v1/pupils/{pupil_id}"),
        r#"{"given_name":"Aylin","infix":"van","family_name":"Demir","external_id":"7001"}"#,
    );
    assert_eq!(json(&patched.body)["infix"], "van");
    let archived = admin.send_json(
        "POST",
        &format!("/api/v1/pupils/{pupil_id}/archive"),
        r#"{"left_on":"2026-07-17"}"#,
    );
    assert_eq!(json(&archived.body)["left_on"], "2026-07-17");
    let pupils = json(
        &admin
            .get(&format!("/api/v1/classes/{class_id}/pupils"))
            .body,
    );
    assert_eq!(pupils[0]["family_name"], "Demir");
    assert_eq!(
        admin
            .send_json(
                "POST",
                &format!("/api/v1/pupils/{pupil_id}/archive"),
                r#"{"left_on":"morgen"}"#
            )
            .status,
        422
    );

    // A teacher sees only their class; others answer 404, exactly like a missing class.
    let mut teacher = app.client();
    teacher.bearer = Some(
        app.platform
            .operator_create_token(&seed.emails["teacher"], "t")
            .unwrap()
            .0,
    );
    let list = json(&teacher.get("/api/v1/classes").body);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"].as_i64(), Some(seed.class_2b.0));
    assert_eq!(
        teacher.get(&format!("/api/v1/classes/{class_id}")).status,
        404
    );
    assert_eq!(
        teacher
            .get(&format!("/api/v1/classes/{}", seed.class_3c))
            .status,
        404
    );
    assert_eq!(teacher.get("/api/v1/classes/999999").status, 404);
    assert_eq!(
        teacher.get(&format!("/api/v1/pupils/{pupil_id}")).status,
        404
    );
    assert_eq!(
        teacher
            .get(&format!("/api/v1/classes/{}/pupils", seed.class_2b))
            .status,
        200
    );

    let mut stranger = app.client();
    stranger.bearer = Some(
        app.platform
            .operator_create_token(&seed.emails["other_school"], "s")
            .unwrap()
            .0,
    );
    assert_eq!(
        stranger.get(&format!("/api/v1/classes/{class_id}")).status,
        404
    );
    assert_eq!(
        json(&stranger.get("/api/v1/classes").body)
            .as_array()
            .unwrap()
            .len(),
        0
    );

    // Tokens are stored hashed and can be revoked.
    let stored = app.platform.tokens(&seed.admin).unwrap();
    assert_eq!(stored.len(), 1);
    app.platform.revoke_token(&seed.admin, record.id).unwrap();
    assert_eq!(admin.get("/api/v1/classes").status, 401);
    admin.bearer = Some("f".repeat(64));
    assert_eq!(admin.get("/api/v1/classes").status, 401);
    admin.bearer = None;
    let anonymous = admin.get("/api/v1/classes");
    assert_eq!(anonymous.status, 401);
    assert_eq!(json(&anonymous.body)["error"], "unauthorized");
}

#[test]
fn api_follows_the_contract_on_sqlite() {
    let app = TestApp::start_sqlite("api");
    api_contract(&app, "Api");
}

#[test]
fn api_and_pages_work_on_postgresql() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let schema = format!("erbij_web_test_{}", std::process::id());
    let store = Arc::new(erbij_store::open_postgres(&url, Some(&schema)).unwrap());
    let app = TestApp::start(store.clone() as Arc<dyn Store>);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        api_contract(&app, "Pg");
        let mut client = app.client();
        client.login("admin@pg.example", common::PASSWORD);
        let page = client.get("/classes");
        assert!(page.body.contains("2B-API"), "{}", page.body);
        assert_eq!(client.get("/healthz").status, 200);
    }));
    store.backend().drop_schema().unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn the_openapi_document_describes_every_api_route() {
    let app = TestApp::start_sqlite("openapi");
    let mut client = app.client();
    let reply = client.get("/api/v1/openapi.json");
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let doc = json(&reply.body);
    assert_eq!(doc["openapi"], "3.0.3");
    for route in erbij_web::route_list() {
        let Some(path) = route.path.strip_prefix("/api/v1") else {
            continue;
        };
        if path == "/openapi.json" {
            continue;
        }
        let method = route.method.to_lowercase();
        assert!(
            doc["paths"][path][&method].is_object(),
            "{} {} is not in openapi.json",
            route.method,
            route.path
        );
    }
}
