//! Hardening seen from outside: cookies behind HTTPS, the login throttle's answers, the
//! login flood limits, the password policy on the first-run page and the health check.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{PASSWORD, TestApp, csrf_in, seed, temp_dir};
use erbij_core::Store;

fn sqlite(name: &str) -> Arc<dyn Store> {
    Arc::new(erbij_store::open_sqlite_in(&temp_dir(name)).unwrap())
}

#[test]
fn behind_https_a_plain_session_or_csrf_cookie_is_not_accepted() {
    let app = TestApp::start_with(
        sqlite("host-cookies"),
        erbij_web::AppConfig {
            https: true,
            ..Default::default()
        },
    );
    let seed = seed(&app.platform, "Host");
    let mut client = app.client();
    let form = client.get("/login");
    let csrf = csrf_in(&form.body);
    let host_csrf = client.cookies.get("__Host-erbij_csrf").cloned().unwrap();
    // The same token in a plain cookie (as a neighbouring subdomain could plant it) fails.
    client.cookies.clear();
    client
        .cookies
        .insert("erbij_csrf".into(), host_csrf.clone());
    let reply = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("email", &seed.emails["admin"]),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(reply.status, 403);
    client.cookies.clear();
    client.cookies.insert("__Host-erbij_csrf".into(), host_csrf);
    let reply = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("email", &seed.emails["admin"]),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    let session = client.cookies.get("__Host-erbij_session").cloned().unwrap();
    assert_eq!(client.get("/classes").status, 200);
    // A valid session id in a plain cookie does not log in behind HTTPS.
    client.cookies.clear();
    client.cookies.insert("erbij_session".into(), session);
    assert_eq!(client.get("/classes").location(), "/login");
}

fn try_login(client: &mut common::Client, email: &str, password: &str) -> common::Reply {
    let csrf = csrf_in(&client.get("/login").body);
    client.post_form(
        "/login",
        &[("csrf", &csrf), ("email", email), ("password", password)],
    )
}

#[test]
fn unknown_and_known_addresses_get_the_same_answers_and_a_retry_after() {
    let app = TestApp::start(sqlite("alike"));
    let seed = seed(&app.platform, "Alike");
    let mut client = app.client();
    let known: Vec<u16> = (0..6)
        .map(|_| try_login(&mut client, &seed.emails["teacher"], "verkeerd wachtwoord").status)
        .collect();
    let unknown: Vec<u16> = (0..6)
        .map(|_| try_login(&mut client, "niemand@alike.example", "verkeerd wachtwoord").status)
        .collect();
    assert_eq!(known, [401, 401, 401, 401, 429, 429]);
    assert_eq!(known, unknown);
    let reply = try_login(&mut client, "niemand@alike.example", "verkeerd wachtwoord");
    assert!(reply.header("retry-after").is_some());
    assert!(
        reply.body.contains("Te vaak een verkeerd wachtwoord"),
        "{}",
        reply.body
    );
    // The administrator sees the throttled account on the accounts page.
    let mut admin = app.client();
    admin.login(&seed.emails["admin"], PASSWORD);
    let page = admin.get("/users");
    assert!(page.body.contains("hardening-events"), "{}", page.body);
}

#[test]
fn a_login_flood_from_one_address_is_refused_before_any_password_is_checked() {
    let app = TestApp::start_with(
        sqlite("flood"),
        erbij_web::AppConfig {
            login_per_minute: Some(3),
            ..Default::default()
        },
    );
    let seed = seed(&app.platform, "Flood");
    let mut client = app.client();
    let statuses: Vec<u16> = (0..4)
        .map(|i| {
            try_login(
                &mut client,
                &format!("x{i}@flood.example"),
                "verkeerd wachtwoord",
            )
            .status
        })
        .collect();
    assert_eq!(statuses, [401, 401, 401, 429]);
    // Even the right password waits for the minute to pass.
    assert_eq!(
        try_login(&mut client, &seed.emails["admin"], PASSWORD).status,
        429
    );
}

#[test]
fn the_first_run_page_refuses_a_common_password_and_one_with_the_address() {
    let app = TestApp::start(sqlite("setup-policy"));
    let mut client = app.client();
    let form = client.get("/setup");
    let csrf = csrf_in(&form.body);
    for (password, message) in [
        ("Welkom2025!", "veelgebruikte wachtwoorden"),
        ("beheer@setup.example-2025", "bevat uw e-mailadres"),
    ] {
        let reply = client.post_form(
            "/setup",
            &[
                ("csrf", &csrf),
                ("school", "Setup School"),
                ("kind", "vo"),
                ("name", "Beheer"),
                ("email", "beheer@setup.example"),
                ("password", password),
            ],
        );
        assert_eq!(reply.status, 422, "{password}");
        assert!(reply.body.contains(message), "{}", reply.body);
    }
    assert!(app.platform.is_empty_installation().unwrap());
}

#[test]
fn healthz_says_why_the_database_is_not_healthy() {
    let dir = temp_dir("health");
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&dir).unwrap());
    let app = TestApp::start(store);
    let mut client = app.client();
    let ok = client.get("/healthz");
    assert_eq!((ok.status, ok.body.as_str()), (200, "ok"));
    std::fs::remove_file(dir.join("erbij.sqlite3")).unwrap();
    let sick = client.get("/healthz");
    assert_eq!(sick.status, 503);
    assert!(sick.body.contains("erbij.sqlite3"), "{}", sick.body);
}

fn upload(client: &mut common::Client, csv: &str) -> String {
    let csrf = client.session_csrf();
    let preview = client.post_multipart(
        "/import",
        &[("csrf", &csrf)],
        Some(("leerlingen.csv", csv.as_bytes())),
    );
    assert_eq!(preview.status, 200, "{}", preview.body);
    preview
        .body
        .split("name=\"import_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn one_schools_uploads_never_push_out_another_schools_pending_import() {
    let app = TestApp::start(sqlite("imports"));
    let seed = seed(&app.platform, "Imports");
    let csv = "Stamnummer;Roepnaam;Achternaam;Klas\n7001;Zoë;Dijk;4H\n";
    let mut ours = app.client();
    ours.login(&seed.emails["admin"], PASSWORD);
    let waiting = upload(&mut ours, csv);
    // Another school uploads many lists.
    let mut theirs = app.client();
    theirs.login(&seed.emails["other_school"], PASSWORD);
    for _ in 0..60 {
        upload(&mut theirs, csv);
    }
    let csrf = ours.session_csrf();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("import_id", waiting.as_str()),
        ("action", "confirm"),
    ];
    let names: Vec<String> = (0..4).map(|i| format!("map_{i}")).collect();
    for (name, field) in names
        .iter()
        .zip(["external_id", "given_name", "family_name", "class"])
    {
        form.push((name.as_str(), field));
    }
    let done = ours.post_form("/import/confirm", &form);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Import klaar"), "{}", done.body);
}

#[test]
fn half_sent_requests_are_closed_and_connections_are_capped() {
    use std::io::{Read, Write};
    use std::time::Duration;
    let app = TestApp::start_with(
        sqlite("slowloris"),
        erbij_web::AppConfig {
            max_connections: Some(4),
            header_read_timeout: Some(Duration::from_millis(500)),
            ..Default::default()
        },
    );
    let address = app.base.trim_start_matches("http://").to_string();
    // Four clients send half a request and stop.
    let mut slow: Vec<std::net::TcpStream> = (0..4)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&address).unwrap();
            s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    // A fifth connection is over the cap: answered 503 at once, not left hanging.
    let mut extra = std::net::TcpStream::connect(&address).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut reply = String::new();
    extra.read_to_string(&mut reply).unwrap();
    assert!(reply.starts_with("HTTP/1.1 503"), "{reply}");
    // The half-sent requests are closed after the header time limit ...
    for stream in &mut slow {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buf = Vec::new();
        let _ = stream.read_to_end(&mut buf);
    }
    // ... and the server answers again.
    std::thread::sleep(Duration::from_millis(100));
    let mut client = app.client();
    assert_eq!(client.get("/healthz").status, 200);
}

#[test]
fn the_coordinator_reads_who_viewed_a_pupils_page_and_nothing_of_its_content() {
    let app = TestApp::start(sqlite("access-log"));
    let seed = seed(&app.platform, "Inzage");
    let mut admin = app.client();
    admin.login(&seed.emails["admin"], PASSWORD);
    assert_eq!(
        admin.get(&format!("/pupils/{}", seed.pupil_2b.0)).status,
        200
    );
    let mut coordinator = app.client();
    coordinator.login(&seed.emails["coordinator"], PASSWORD);
    let class = coordinator.get(&format!("/classes/{}", seed.class_2b.0));
    assert!(
        class
            .body
            .contains(&format!("/pupils/{}/access-log", seed.pupil_2b.0)),
        "{}",
        class.body
    );
    let log = coordinator.get(&format!("/pupils/{}/access-log", seed.pupil_2b.0));
    assert_eq!(log.status, 200);
    assert!(log.body.contains("leerlinggegevens"), "{}", log.body);
    assert!(log.body.contains("<td>beheerder</td>"), "{}", log.body);
    assert_eq!(log.body.matches("<tr><td><time>").count(), 1);
    // The teacher of the class may see the pupil, not who looked.
    let mut teacher = app.client();
    teacher.login(&seed.emails["teacher"], PASSWORD);
    assert_eq!(
        teacher
            .get(&format!("/pupils/{}/access-log", seed.pupil_2b.0))
            .status,
        403
    );
}

/// The AVG export gives the coordinator everything about one pupil, and never who named
/// the pupil in a survey, who reported, the pupils of other cases or staff names.
#[test]
fn the_data_export_never_names_who_nominated_or_reported() {
    use erbij_core::cases::{NewCase, NewStep, Origin, PersonRole, StepKind};
    use erbij_core::evidence::NewReport;
    use erbij_core::surveys::RoundRequest;

    let app = TestApp::start(sqlite("inzage"));
    let seed = seed(&app.platform, "Inzage");
    let p = &app.platform;
    let store = p.store();
    let admin = &seed.admin;
    let coordinator = erbij_core::Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: admin.school_id,
        role: erbij_core::Role::Coordinator,
    };
    let mila = seed.pupil_2b;
    let add = |given: &str, family: &str| {
        p.create_pupil(
            admin,
            seed.class_2b,
            erbij_core::NewPupil::parse(given, "", family, "").unwrap(),
        )
        .unwrap()
        .id
    };
    let noor = add("Noor", "Jansen");
    let daan = add("Daan", "Visser");
    // Noor names Mila as left out; Mila chooses Daan herself.
    let (round, _) = p
        .start_survey(
            &coordinator,
            seed.class_2b,
            &RoundRequest {
                kind: "nominations".into(),
                ..RoundRequest::default()
            },
        )
        .unwrap();
    let now = p.now();
    store
        .save_answer(
            admin.school_id,
            round.id,
            noor,
            &[(mila, "left_out".into(), 1)],
            now,
        )
        .unwrap();
    store
        .save_answer(
            admin.school_id,
            round.id,
            mila,
            &[(daan, "positive".into(), 1)],
            now,
        )
        .unwrap();
    // A named report about Mila became her case; Noor is in it and named in a note.
    let code = p.report_code(&coordinator).unwrap();
    let report = p
        .submit_report(
            &code,
            NewReport {
                what: "Noor en de anderen lachen Mila uit op het plein.".into(),
                name: "Fenna Melder".into(),
                class: "2B".into(),
                file: None,
            },
        )
        .unwrap();
    let case = p
        .open_case_from_report(&coordinator, report, mila, "Noor Jansen sluit Mila buiten.")
        .unwrap();
    p.add_case_person(&coordinator, case, Some(noor), "", PersonRole::Excluding)
        .unwrap();
    p.log_step(
        &coordinator,
        case,
        NewStep {
            kind: StepKind::PupilConversation,
            on: p.today(),
            pupil_ids: vec![noor],
            note: "Gesprek met noor; Fenna heeft het gezien. Mila voelt zich beter.".into(),
        },
    )
    .unwrap();
    // Noor's own case, with Mila as a bystander.
    let noors = p
        .open_case(
            &coordinator,
            NewCase {
                pupil_id: noor,
                origin: Origin::Other,
                origin_ref: None,
                summary: "Noor wordt zelf ook gepest.".into(),
                owner_id: None,
            },
        )
        .unwrap();
    p.add_case_person(
        &coordinator,
        noors.id,
        Some(mila),
        "",
        PersonRole::Bystander,
    )
    .unwrap();

    let mut client = app.client();
    client.login(&seed.emails["coordinator"], PASSWORD);
    let reply = client.get(&format!("/pupils/{}/data-export.json", mila.0));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["format"], "erbij-inzage-1");
    assert_eq!(json["pupil"]["given_name"], "Mila");
    // Her own choice names Daan; that Noor named her is a count.
    assert_eq!(
        json["surveys"][0]["my_answers"][0]["classmate"],
        "Daan Visser"
    );
    assert_eq!(
        json["surveys"][0]["named_by_classmates"],
        serde_json::json!([{"question": "left_out", "count": 1}])
    );
    assert_eq!(json["cases"].as_array().unwrap().len(), 1);
    assert_eq!(json["cases"][0]["summary"], "[naam] sluit Mila buiten.");
    assert_eq!(
        json["cases"][0]["steps"][0]["note"],
        "Gesprek met [naam]; [naam] heeft het gezien. Mila voelt zich beter."
    );
    assert_eq!(
        json["involved_in_other_cases"],
        serde_json::json!([{"role": "bystander", "opened_on": p.today().to_string()}])
    );
    assert!(
        json["access_log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["page"] == "data_export" && e["role"] == "coordinator")
    );
    let page = client.get(&format!("/pupils/{}/data-export", mila.0));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Daan Visser") && page.body.contains("[naam]"));
    for body in [&reply.body, &page.body] {
        for secret in [
            "Noor",
            "Jansen",
            "Fenna",
            "Melder",
            "lachen",
            "Test coordinator",
            "Test teacher",
        ] {
            assert!(!body.contains(secret), "the export shows {secret}");
        }
    }
    // Teachers who see Mila may not export; the API answers the same as the page.
    let mut teacher = app.client();
    teacher.login(&seed.emails["teacher"], PASSWORD);
    assert_eq!(
        teacher
            .get(&format!("/pupils/{}/data-export", mila.0))
            .status,
        403
    );
}

/// One HTTP/1.1 request from the given local address (another pupil's network), answered
/// with its status line's code and its headers and body.
fn request_from(source: &str, base: &str, method: &str, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let server: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    let source: std::net::SocketAddr = format!("{source}:0").parse().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(source).unwrap();
        let mut stream = socket.connect(server).await.unwrap();
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: {server}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).await.unwrap();
        let reply = String::from_utf8_lossy(&reply).to_string();
        let status = reply
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        (status, reply)
    })
}

#[test]
fn guessing_the_schools_report_code_is_stopped_and_the_right_code_works_from_elsewhere() {
    let app = TestApp::start(sqlite("meld-guesses"));
    let seed = seed(&app.platform, "MeldGuess");
    let coordinator = erbij_core::Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: erbij_core::Role::Coordinator,
    };
    let code = app.platform.report_code(&coordinator).unwrap();
    let mut guesser = app.client();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let mut first_refused = None;
    for i in 0..1_000u32 {
        // Eight lowercase characters: the form of a school's code, never a monitor code.
        let guess: String = format!("{i:08}")
            .bytes()
            .map(|d| char::from(b'a' + (d - b'0')))
            .collect();
        let reply = guesser.get(&format!("/m/{guess}"));
        *statuses.entry(reply.status).or_default() += 1;
        if reply.status == 429 && first_refused.is_none() {
            first_refused = Some((i, reply));
        }
    }
    // `surveys::WRONG_CODE_LIMIT` (200) wrong codes per address per quarter of an hour,
    // shared with the survey and monitor codes; then 429 before anything is looked up.
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        [(404, 200), (429, 800)]
    );
    let (at, refused) = first_refused.unwrap();
    assert_eq!(at, 200);
    let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
    assert!(
        refused.body.contains("Te veel verkeerde codes"),
        "{}",
        refused.body
    );
    // The guessing address waits even with the right code, on the page and the API.
    assert_eq!(guesser.get(&format!("/m/{code}")).status, 429);
    let api = guesser.post_multipart(&format!("/api/v1/reports/{code}"), &[("what", "x")], None);
    assert_eq!(api.status, 429);
    assert!(api.header("retry-after").is_some());
    // A pupil on another network still reaches the report page with the right code.
    let (status, page) = request_from("127.0.0.2", &app.base, "GET", &format!("/m/{code}"));
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("MeldGuess College"), "{page}");
    let (status, _) = request_from("127.0.0.2", &app.base, "GET", "/m/zzzzzzzz");
    assert_eq!(status, 404);
}
