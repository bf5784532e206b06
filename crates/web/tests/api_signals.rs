//! The signals API as the issue writes it: recording, listing, withdrawing, the
//! early-warning list, and the administrator's teacher assignments.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Client, Seed, TestApp, seed};

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

fn api_client(app: &TestApp, seed: &Seed, who: &str) -> Client {
    let mut client = app.client();
    let (token, _) = app
        .platform
        .operator_create_token(&seed.emails[who], "api signals test")
        .unwrap();
    client.bearer = Some(token);
    client
}

#[test]
fn signs_are_recorded_listed_and_withdrawn_as_the_contract_says() {
    let app = TestApp::start_sqlite("api-signals");
    let seed = seed(&app.platform, "ApiSignals");
    let mut teacher = api_client(&app, &seed, "teacher");
    let pupil = seed.pupil_2b.0;
    let today = app.platform.today();
    let yesterday = today.add_days(-1).to_string();

    let first = teacher.send_json(
        "POST",
        &format!("/api/v1/pupils/{pupil}/signals"),
        &format!(r#"{{"kind": "alone_at_break", "seen_on": "{yesterday}", "note": "<script>alert(1)</script>"}}"#),
    );
    assert_eq!(first.status, 201, "{}", first.body);
    let first = json(&first.body);
    assert!(first["id"].as_i64().unwrap() > 0);
    assert_eq!(first["kind"], "alone_at_break");
    assert_eq!(first["seen_on"], yesterday.as_str());
    assert_eq!(first["pupil_id"], pupil);
    // JSON carries the note as typed; pages escape it.
    assert_eq!(first["note"], "<script>alert(1)</script>");
    assert_eq!(first["seen_by"], seed.user_ids["teacher"].0);

    // seen_on and note are optional: today, empty.
    let second = teacher.send_json(
        "POST",
        &format!("/api/v1/pupils/{pupil}/signals"),
        r#"{"kind": "chosen_last"}"#,
    );
    assert_eq!(second.status, 201, "{}", second.body);
    let second = json(&second.body);
    assert_eq!(second["seen_on"], today.to_string().as_str());
    assert_eq!(second["note"], "");

    // Refusals name the field.
    for (body, field) in [
        (r#"{"kind": "bullied"}"#.to_string(), "kind"),
        (
            format!(
                r#"{{"kind": "lingers", "seen_on": "{}"}}"#,
                today.add_days(1)
            ),
            "seen_on",
        ),
        (
            r#"{"kind": "lingers", "seen_on": "morgen"}"#.to_string(),
            "seen_on",
        ),
        (
            format!(
                r#"{{"kind": "lingers", "note": "{}"}}"#,
                "x".repeat(100 * 1024)
            ),
            "note",
        ),
        (r#"{"kind": "other"}"#.to_string(), "note"),
        (r#"{"seen_on": "2026-03-02"}"#.to_string(), "kind"),
    ] {
        let reply = teacher.send_json("POST", &format!("/api/v1/pupils/{pupil}/signals"), &body);
        assert_eq!(reply.status, 422, "{body:.80}: {}", reply.body);
        let error = json(&reply.body);
        assert_eq!(error["field"], field, "{}", reply.body);
        assert!(
            error["message"].as_str().unwrap().starts_with(field),
            "{}",
            reply.body
        );
        assert!(!error["message_nl"].as_str().unwrap().is_empty());
    }

    // Newest first.
    let list = teacher.get(&format!("/api/v1/pupils/{pupil}/signals"));
    assert_eq!(list.status, 200);
    let list = json(&list.body);
    let ids: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            second["id"].as_i64().unwrap(),
            first["id"].as_i64().unwrap()
        ]
    );

    // Withdrawn: out of the list, kept in the trace.
    let id = first["id"].as_i64().unwrap();
    let gone = teacher.request("DELETE", &format!("/api/v1/signals/{id}"), None);
    assert_eq!(gone.status, 204, "{}", gone.body);
    let list = json(&teacher.get(&format!("/api/v1/pupils/{pupil}/signals")).body);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let kept = json(&teacher.get(&format!("/api/v1/signals/{id}")).body);
    assert_eq!(kept["withdrawn"], true);
    assert_eq!(kept["trace"][0]["action"], "withdrawn");
    assert_eq!(kept["trace"][0]["by"], seed.user_ids["teacher"].0);
    let all = json(
        &teacher
            .get(&format!(
                "/api/v1/pupils/{pupil}/signals?include_withdrawn=true"
            ))
            .body,
    );
    assert_eq!(all.as_array().unwrap().len(), 2);

    // Another class's teacher and another school: 404, never the sign.
    for who in ["teacher_other", "other_school", "admin"] {
        let mut client = api_client(&app, &seed, who);
        assert_eq!(
            client
                .get(&format!("/api/v1/pupils/{pupil}/signals"))
                .status,
            404
        );
        assert_eq!(client.get(&format!("/api/v1/signals/{id}")).status, 404);
        let reply = client.send_json(
            "POST",
            &format!("/api/v1/pupils/{pupil}/signals"),
            r#"{"kind": "lingers"}"#,
        );
        assert_eq!(reply.status, 404, "{who}");
        assert!(!reply.body.contains("alone_at_break"));
    }

    // An archived pupil: refused with a message.
    app.platform
        .archive_pupil(&seed.admin, seed.pupil_2b, None)
        .unwrap();
    let reply = teacher.send_json(
        "POST",
        &format!("/api/v1/pupils/{pupil}/signals"),
        r#"{"kind": "lingers"}"#,
    );
    assert_eq!(reply.status, 422);
    assert_eq!(json(&reply.body)["field"], "pupil");
}

#[test]
fn the_early_warning_list_holds_only_pupils_the_caller_may_see() {
    let app = TestApp::start_sqlite("api-early-warning");
    let seed = seed(&app.platform, "ApiWarning");
    let mut teacher = api_client(&app, &seed, "teacher");
    let pupil = seed.pupil_2b.0;
    let mut ids = Vec::new();
    for kind in ["alone_at_break", "chosen_last", "absent_ill"] {
        let reply = teacher.send_json(
            "POST",
            &format!("/api/v1/pupils/{pupil}/signals"),
            &format!(r#"{{"kind": "{kind}"}}"#),
        );
        assert_eq!(reply.status, 201);
        ids.push(json(&reply.body)["id"].as_i64().unwrap());
    }
    let list = teacher.get("/api/v1/early-warning");
    assert_eq!(list.status, 200);
    let list = json(&list.body);
    let pupils = list["pupils"].as_array().unwrap();
    assert_eq!(pupils.len(), 1, "{list}");
    let entry = &pupils[0];
    assert_eq!(entry["pupil_id"], pupil);
    assert_eq!(entry["class_id"], seed.class_2b.0);
    assert_eq!(entry["rule"], "distinct_kinds");
    assert_eq!(
        entry["reason_nl"],
        "3 verschillende signalen in 4 weken: vaak ziek of afwezig, als laatste gekozen, alleen in de pauze"
    );
    assert!(
        entry["reason_en"]
            .as_str()
            .unwrap()
            .starts_with("3 different signs in 4 weeks")
    );
    let mut listed: Vec<i64> = entry["signals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
    listed.sort_unstable();
    assert_eq!(listed, ids);

    let mut coordinator = api_client(&app, &seed, "coordinator");
    assert_eq!(
        json(&coordinator.get("/api/v1/early-warning").body)["pupils"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let mut other = api_client(&app, &seed, "teacher_other");
    assert_eq!(
        json(&other.get("/api/v1/early-warning").body)["pupils"],
        serde_json::json!([])
    );
    let mut admin = api_client(&app, &seed, "admin");
    assert_eq!(admin.get("/api/v1/early-warning").status, 403);
}

#[test]
fn the_administrator_keeps_teacher_assignments_in_step() {
    let app = TestApp::start_sqlite("api-assignments");
    let seed = seed(&app.platform, "ApiAssign");
    let mut admin = api_client(&app, &seed, "admin");
    let users = admin.get("/api/v1/users");
    assert_eq!(users.status, 200);
    let users = json(&users.body);
    let teacher_other = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == seed.emails["teacher_other"].as_str())
        .unwrap();
    assert_eq!(teacher_other["role"], "teacher");
    assert!(teacher_other["name"].is_string());
    let user_id = teacher_other["id"].as_i64().unwrap();
    // The other school's accounts are not listed.
    assert!(
        !users
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["email"] == seed.emails["other_school"].as_str())
    );

    let class = seed.class_2b.0;
    let path = format!("/api/v1/classes/{class}/teachers");
    let mut other = api_client(&app, &seed, "teacher_other");
    assert_eq!(other.get(&format!("/api/v1/classes/{class}")).status, 404);
    let first = admin.send_json("POST", &path, &format!(r#"{{"user_id": {user_id}}}"#));
    assert!(matches!(first.status, 200 | 201), "{}", first.body);
    let again = admin.send_json("POST", &path, &format!(r#"{{"user_id": {user_id}}}"#));
    assert!(matches!(again.status, 200 | 201), "{}", again.body);
    assert_eq!(other.get(&format!("/api/v1/classes/{class}")).status, 200);
    let teachers = json(&admin.get(&path).body);
    assert_eq!(
        teachers
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["id"] == user_id)
            .count(),
        1
    );
    // Another school's account cannot be assigned.
    let foreign = seed.user_ids["other_school"].0;
    let reply = admin.send_json("POST", &path, &format!(r#"{{"user_id": {foreign}}}"#));
    assert_eq!(reply.status, 404);

    let removed = admin.request("DELETE", &format!("{path}/{user_id}"), None);
    assert!(matches!(removed.status, 200 | 204));
    assert_eq!(other.get(&format!("/api/v1/classes/{class}")).status, 404);

    // Teachers may not assign.
    let mut teacher = api_client(&app, &seed, "teacher");
    let reply = teacher.send_json("POST", &path, &format!(r#"{{"user_id": {user_id}}}"#));
    assert_eq!(reply.status, 403);
    assert_eq!(teacher.get("/api/v1/users").status, 403);
}
