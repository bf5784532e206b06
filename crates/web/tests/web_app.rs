//! The web app end to end over HTTP: first run, login and lockout, CSRF, body limits,
//! escaping, import, export, headers, language.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use common::{PASSWORD, TestApp, csrf_in, seed, temp_dir};
use erbij_core::{ClassId, Store};

#[test]
fn first_run_creates_the_school_and_its_administrator_and_then_closes() {
    let app = TestApp::start_sqlite("firstrun");
    let mut client = app.client();
    assert_eq!(client.get("/").location(), "/setup");
    let form = client.get("/setup");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("erbij instellen"));
    let csrf = csrf_in(&form.body);
    let fields = |csrf: &str| {
        vec![
            ("csrf", csrf.to_string()),
            ("school", "Basisschool De Regenboog".to_string()),
            ("kind", "po".to_string()),
            ("name", "Anouk <script>alert(1)</script> Smit".to_string()),
            ("email", "anouk@regenboog.example".to_string()),
            ("password", "een lang wachtwoord".to_string()),
        ]
    };
    let wrong: Vec<(&str, String)> = fields("0".repeat(64).as_str());
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(client.post_form("/setup", &wrong).status, 403);
    let right = fields(&csrf);
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = client.post_form("/setup", &right);
    assert_eq!((reply.status, reply.location()), (303, "/"));
    let home = client.get("/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Basisschool De Regenboog"));
    assert!(
        home.body
            .contains("Welkom, Anouk &lt;script&gt;alert(1)&lt;/script&gt; Smit"),
        "{}",
        home.body
    );
    // A primary school says "groep", not "klas".
    assert!(home.body.contains("Jouw groepen"), "{}", home.body);
    let mut stranger = app.client();
    assert_eq!(stranger.get("/setup").location(), "/login");
    assert_eq!(stranger.get("/").location(), "/login");
}

#[test]
fn repeated_wrong_passwords_lock_the_account_and_logout_ends_the_session() {
    let app = TestApp::start_sqlite("lockout");
    let seed = seed(&app.platform, "Lock");
    let mut client = app.client();
    let csrf = csrf_in(&client.get("/login").body);
    let email = seed.emails["teacher"].as_str();
    for _ in 0..4 {
        let reply = client.post_form(
            "/login",
            &[
                ("csrf", &csrf),
                ("email", email),
                ("password", "verkeerd wachtwoord"),
            ],
        );
        assert_eq!(reply.status, 401);
        assert!(reply.body.contains("E-mailadres of wachtwoord klopt niet"));
    }
    let locked = client.post_form(
        "/login",
        &[
            ("csrf", &csrf),
            ("email", email),
            ("password", "verkeerd wachtwoord"),
        ],
    );
    assert_eq!(locked.status, 429);
    assert!(
        locked.body.contains("Probeer het over 1 minuut opnieuw"),
        "{}",
        locked.body
    );
    let still_locked = client.post_form(
        "/login",
        &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
    );
    assert_eq!(still_locked.status, 429);

    let mut admin = app.client();
    let login = admin.login(&seed.emails["admin"], PASSWORD);
    let cookie = login.header("set-cookie").unwrap_or_default().to_string();
    assert!(
        cookie.starts_with("erbij_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert_eq!(admin.get("/classes").status, 200);
    let session = admin.cookies.get("erbij_session").cloned().unwrap();
    let csrf = admin.session_csrf();
    assert_eq!(
        admin.post_form("/logout", &[("csrf", &csrf)]).location(),
        "/login"
    );
    // The old session id is dead on the server, not only forgotten by the browser.
    admin.cookies.insert("erbij_session".into(), session);
    assert_eq!(admin.get("/classes").location(), "/login");
}

#[test]
fn behind_https_cookies_get_secure_and_the_host_prefix() {
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&temp_dir("https")).unwrap());
    let app = TestApp::start_with(
        store,
        erbij_web::AppConfig {
            https: false,
            trust_forwarded_proto: true,
            ..Default::default()
        },
    );
    let seed = seed(&app.platform, "Https");
    let mut client = app.client();
    let page = client.get("/login");
    assert!(
        page.header("set-cookie")
            .unwrap()
            .starts_with("erbij_csrf=")
    );
    assert!(page.header("strict-transport-security").is_none());
    // Through the trusted proxy's HTTPS the same app sets __Host- cookies with Secure.
    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let reply = agent
        .get(&format!("{}/login", app.base))
        .set("X-Forwarded-Proto", "https")
        .call()
        .unwrap();
    let cookie = reply.header("set-cookie").unwrap().to_string();
    assert!(
        cookie.starts_with("__Host-erbij_csrf=")
            && cookie.contains("; Secure")
            && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert_eq!(
        reply.header("strict-transport-security"),
        Some("max-age=31536000; includeSubDomains")
    );
    drop(seed);
}

#[test]
fn a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::start_sqlite("csrf");
    let seed = seed(&app.platform, "Csrf");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let forged = "a".repeat(64);
    for (path, fields) in [
        ("/classes", vec![("name", "5X")]),
        (
            &*format!("/classes/{}/pupils", seed.class_2b),
            vec![("given_name", "Eva"), ("family_name", "Kok")],
        ),
        ("/logout", vec![]),
    ] {
        let mut form = fields.clone();
        form.push(("csrf", &forged));
        let reply = client.post_form(path, &form);
        assert_eq!(reply.status, 403, "{path}");
        assert!(reply.body.contains("Het formulier was verlopen"), "{path}");
        let without: Vec<(&str, &str)> = fields.clone();
        assert_eq!(
            client.post_form(path, &without).status,
            422,
            "{path} without a token"
        );
    }
    let classes = app.platform.classes(&seed.admin).unwrap();
    assert_eq!(classes.len(), 2);
    assert_eq!(
        app.platform
            .pupils_of_class(&seed.admin, seed.class_2b)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(client.get("/classes").status, 200, "still logged in");
}

#[test]
fn oversized_requests_are_refused_with_413() {
    let app = TestApp::start_sqlite("limits");
    let seed = seed(&app.platform, "Limit");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let big_form = format!("csrf=x&email={}&password=x", "a".repeat(100 * 1024));
    let (status, body) = oversized_post(
        &app.base,
        "/login",
        "application/x-www-form-urlencoded",
        big_form.as_bytes(),
        &[],
    );
    assert_eq!(status, 413);
    assert!(body.contains("te groot"), "{body}");
    let csrf = client.session_csrf();
    let huge = vec![b'a'; 17 * 1024 * 1024];
    let boundary = "grens";
    let mut multipart = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"groot.csv\"\r\n\r\n").into_bytes();
    multipart.extend_from_slice(&huge);
    multipart.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let session = format!("erbij_session={}", client.cookies["erbij_session"]);
    let (status, body) = oversized_post(
        &app.base,
        "/import",
        &format!("multipart/form-data; boundary={boundary}"),
        &multipart,
        &[("Cookie", &session)],
    );
    assert_eq!(status, 413);
    assert!(
        body.contains("Een leerlingenlijst mag hoogstens 16 MB zijn."),
        "{body}"
    );
    let (token, _) = app
        .platform
        .operator_create_token(&seed.emails["admin"], "t")
        .unwrap();
    let json = format!("{{\"name\":\"{}\"}}", "x".repeat(100 * 1024));
    let auth = format!("Bearer {token}");
    let (status, body) = oversized_post(
        &app.base,
        "/api/v1/classes",
        "application/json",
        json.as_bytes(),
        &[("Authorization", &auth)],
    );
    assert_eq!(status, 413);
    assert!(body.contains("{\"error\""), "{body}");
}

/// Sends a request with `Expect: 100-continue`, as careful HTTP clients do with large
/// bodies: the server refuses on the declared length before reading the body, so the
/// answer is read reliably instead of racing the upload.
fn oversized_post(
    base: &str,
    path: &str,
    content_type: &str,
    body: &[u8],
    headers: &[(&str, &str)],
) -> (u16, String) {
    use std::io::{Read, Write};
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut first = [0u8; 25];
    let n = stream.read(&mut first).unwrap();
    let mut reply = String::from_utf8_lossy(&first[..n]).into_owned();
    if reply.starts_with("HTTP/1.1 100") {
        // The server asked for the body after all: send it (it will still be refused).
        let _ = stream.write_all(body);
    }
    let mut rest = Vec::new();
    let _ = stream.read_to_end(&mut rest);
    reply.push_str(&String::from_utf8_lossy(&rest));
    let reply = reply
        .trim_start_matches("HTTP/1.1 100 Continue\r\n\r\n")
        .to_string();
    let status = reply.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, reply)
}

const XSS: &str = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>";

fn assert_escaped(page: &str, what: &str) {
    assert!(
        !page.contains("<script>alert(1)"),
        "{what}: raw script tag in page"
    );
    assert!(!page.contains("<img src=x"), "{what}: raw img tag in page");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{what}: payload not shown escaped"
    );
}

#[test]
fn script_in_every_text_field_is_rendered_escaped() {
    let app = TestApp::start_sqlite("xss");
    let seed = seed(&app.platform, "Xss");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let csrf = client.session_csrf();
    let class_payload = "<script>alert(1)</script>";
    let created = client.post_form("/classes", &[("csrf", &csrf), ("name", class_payload)]);
    assert_eq!(created.status, 303);
    let class_path = created.location().split('?').next().unwrap().to_string();
    let reply = client.post_form(
        &format!("{class_path}/pupils"),
        &[
            ("csrf", &csrf),
            ("given_name", XSS),
            ("infix", "<script>alert(1)</script>"),
            ("family_name", XSS),
            ("external_id", "<script>alert(1)</script>"),
        ],
    );
    assert!(
        reply.location().contains("done=done-pupil-added"),
        "{}",
        reply.location()
    );
    assert_escaped(&client.get(&class_path).body, "class page");
    assert_escaped(&client.get("/classes").body, "class list");
    assert_escaped(&client.get("/").body, "home");
    let class_id: i64 = class_path.rsplit('/').next().unwrap().parse().unwrap();
    let pupil = app
        .platform
        .pupils_of_class(&seed.admin, ClassId(class_id))
        .unwrap()[0]
        .id;
    assert_escaped(&client.get(&format!("/pupils/{pupil}")).body, "pupil page");
    client.post_form(
        "/users",
        &[
            ("csrf", &csrf),
            ("name", XSS),
            ("email", "xss@xss.example"),
            ("role", "teacher"),
            ("password", "een lang wachtwoord"),
        ],
    );
    assert_escaped(&client.get("/users").body, "users page");
    assert_escaped(
        &client
            .post_form("/account/tokens", &[("csrf", &csrf), ("label", XSS)])
            .body,
        "account page",
    );
    let csv = format!(
        "roepnaam;achternaam;klas\n{};Vries;2B\n",
        XSS.replace('"', "")
    );
    assert_escaped(
        &client
            .post_multipart(
                "/import",
                &[("csrf", &csrf)],
                Some(("x.csv", csv.as_bytes())),
            )
            .body,
        "import preview",
    );
    // The language switch only follows plain local paths.
    let reply = client.get("/language/en?next=//evil.example/x");
    assert_eq!(reply.location(), "/");
    let reply = client.get("/language/nl?next=/classes%0d%0aSet-Cookie:x=y");
    assert_eq!(reply.location(), "/");
}

fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'ë' => 0xEB,
            'é' => 0xE9,
            'ü' => 0xFC,
            'ı' => b'i',
            c => u8::try_from(u32::from(c)).unwrap(),
        })
        .collect()
}

#[test]
fn import_previews_saves_nothing_before_confirm_and_reimport_updates() {
    let app = TestApp::start_sqlite("import");
    let seed = seed(&app.platform, "Import");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let csrf = client.session_csrf();
    let first = windows_1252(
        "Stamnummer;Roepnaam;Tussenvoegsel;Achternaam;Klas\n5001;Zoë;van;Dijk;4H\n5002;Renée;;Müller;4H\n5003;;;Bakker;4H\n5004;Yusuf;;Yilmaz;4H\n",
    );
    let preview = client.post_multipart(
        "/import",
        &[("csrf", &csrf)],
        Some(("magister.csv", &first)),
    );
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("Windows-1252"));
    assert!(preview.body.contains("Zoë") && preview.body.contains("Müller"));
    assert!(
        preview.body.contains("Regel 4: roepnaam ontbreekt."),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("Er is nog niets opgeslagen."));
    // The preview says what confirming does, row by row and for the classes.
    assert!(
        preview
            .body
            .contains("Na bevestigen: 3 nieuwe leerlingen, 0 bestaande leerlingen bijgewerkt.")
            && preview.body.contains("Deze klas wordt aangemaakt: 4H."),
        "{}",
        preview.body
    );
    assert!(preview.body.contains("<td>nieuw</td>"), "{}", preview.body);
    let count = |app: &TestApp| app.platform.classes(&seed.admin).unwrap().len();
    assert_eq!(count(&app), 2, "nothing saved by the preview");
    let import_id = preview
        .body
        .split("name=\"import_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("import_id", import_id.as_str()),
        ("action", "confirm"),
    ];
    let mapping = ["external_id", "given_name", "infix", "family_name", "class"];
    let names: Vec<String> = (0..5).map(|i| format!("map_{i}")).collect();
    for (name, field) in names.iter().zip(mapping) {
        form.push((name.as_str(), field));
    }
    let done = client.post_form("/import/confirm", &form);
    assert!(
        done.body
            .contains("Import klaar: 3 nieuwe leerlingen, 0 bijgewerkt, 1 nieuwe klas."),
        "{}",
        done.body
    );
    assert_eq!(count(&app), 3);
    // The same import id cannot be confirmed twice.
    assert_eq!(client.post_form("/import/confirm", &form).status, 422);

    // "Tussenv." as ParnasSys abbreviates it, and the parents' addresses.
    let second = "leerlingnummer,voornaam,Tussenv.,achternaam,klas,e-mail ouder/verzorger\n5001,Zoë,van der,Dijk,4H,ouder.zoe@example.nl\n5002,Renée,,Müller,4H,\n5004,Yusuf,,Yılmaz,4H,\n";
    let preview = client.post_multipart(
        "/import",
        &[("csrf", &csrf)],
        Some(("somtoday.csv", second.as_bytes())),
    );
    assert!(
        preview.body.contains("UTF-8") && preview.body.contains("komma"),
        "{}",
        preview.body
    );
    assert!(
        preview
            .body
            .contains("Na bevestigen: 0 nieuwe leerlingen, 3 bestaande leerlingen bijgewerkt.")
            && preview.body.contains("Er komen geen klassen bij.")
            && preview.body.contains("<td>bijwerken</td>")
            && preview.body.contains("ouder.zoe@example.nl"),
        "{}",
        preview.body
    );
    let import_id = preview
        .body
        .split("name=\"import_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("import_id", import_id.as_str()),
        ("action", "confirm"),
    ];
    let names: Vec<String> = (0..6).map(|i| format!("map_{i}")).collect();
    for (name, field) in names.iter().zip([
        "external_id",
        "given_name",
        "infix",
        "family_name",
        "class",
        "parent_email",
    ]) {
        form.push((name.as_str(), field));
    }
    let done = client.post_form("/import/confirm", &form);
    assert!(
        done.body
            .contains("0 nieuwe leerlingen, 3 bijgewerkt, 0 nieuwe klassen"),
        "{}",
        done.body
    );
    let class = app
        .platform
        .classes(&seed.admin)
        .unwrap()
        .into_iter()
        .find(|c| c.name == "4H")
        .unwrap();
    let names: Vec<String> = app
        .platform
        .pupils_of_class(&seed.admin, class.id)
        .unwrap()
        .iter()
        .map(|p| p.full_name())
        .collect();
    assert_eq!(names, ["Zoë van der Dijk", "Renée Müller", "Yusuf Yılmaz"]);
    let zoe = app
        .platform
        .pupils_of_class(&seed.admin, class.id)
        .unwrap()
        .into_iter()
        .find(|p| p.given_name == "Zoë")
        .unwrap();
    assert_eq!(
        erbij_core::cases::CaseStore::parent_emails(
            &**app.platform.store(),
            seed.admin.school_id,
            zoe.id
        )
        .unwrap()
        .iter()
        .map(|e| e.as_str().to_string())
        .collect::<Vec<_>>(),
        ["ouder.zoe@example.nl"]
    );
}

#[test]
fn malformed_pupil_lists_get_a_clear_message() {
    let app = TestApp::start_sqlite("malformed");
    let seed = seed(&app.platform, "Bad");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let csrf = client.session_csrf();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "roepnaam;achternaam;klas\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let reply = client.post_multipart("/import", &[("csrf", &csrf)], Some(("utf16.csv", &utf16)));
    assert_eq!(reply.status, 422);
    assert!(
        reply
            .body
            .contains("Dit is geen CSV-tekstbestand (het lijkt op UTF-16"),
        "{}",
        reply.body
    );
    let reply = client.post_multipart(
        "/import",
        &[("csrf", &csrf)],
        Some(("kolommen.csv", b"naam;klas\nVries;2B\n")),
    );
    assert_eq!(reply.status, 422);
    assert!(
        reply.body.contains("De kolom “roepnaam” ontbreekt"),
        "{}",
        reply.body
    );
    let mut big = String::from("roepnaam;achternaam;klas;stamnummer\n");
    for i in 0..100_000 {
        big.push_str(&format!("Kind{i};Achter{i};{};{i}\n", i % 30));
    }
    let reply = client.post_multipart(
        "/import",
        &[("csrf", &csrf)],
        Some(("groot.csv", big.as_bytes())),
    );
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .body
            .contains("100000 bruikbare rijen, 0 rijen met een fout"),
        "{}",
        &reply.body[..reply.body.len().min(3000)]
    );
    assert!(reply.body.contains("en nog 99950 rijen."));
    assert_eq!(
        app.platform.classes(&seed.admin).unwrap().len(),
        2,
        "nothing saved"
    );
}

#[test]
fn unknown_headings_get_a_mapping_form_and_the_chosen_columns_are_imported() {
    let app = TestApp::start_sqlite("mapping");
    let seed = seed(&app.platform, "Mapping");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let csrf = client.session_csrf();
    let csv = "kolom A;kolom B;kolom C\nMila;Vries;6B\nSem;Bakker;6B\n";
    let first = client.post_multipart(
        "/import",
        &[("csrf", &csrf)],
        Some(("export.csv", csv.as_bytes())),
    );
    assert_eq!(first.status, 422);
    assert!(
        first.body.contains("De kolom “roepnaam” ontbreekt")
            && first.body.contains("name=\"map_2\""),
        "{}",
        first.body
    );
    assert!(
        !first.body.contains("value=\"confirm\""),
        "nothing to confirm yet"
    );
    let import_id = first
        .body
        .split("name=\"import_id\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("import_id", import_id.as_str()),
        ("action", "remap"),
    ];
    form.extend([
        ("map_0", "given_name"),
        ("map_1", "family_name"),
        ("map_2", "class"),
    ]);
    let remapped = client.post_form("/import/confirm", &form);
    assert_eq!(remapped.status, 200);
    assert!(
        remapped
            .body
            .contains("2 bruikbare rijen, 0 rijen met een fout")
            && remapped.body.contains("<td>Bakker</td>"),
        "{}",
        remapped.body
    );
    assert_eq!(
        app.platform.classes(&seed.admin).unwrap().len(),
        2,
        "remapping saves nothing"
    );
    form[2] = ("action", "confirm");
    let done = client.post_form("/import/confirm", &form);
    assert!(
        done.body.contains("Import klaar: 2 nieuwe leerlingen"),
        "{}",
        done.body
    );
    assert!(
        app.platform
            .classes(&seed.admin)
            .unwrap()
            .iter()
            .any(|c| c.name == "6B")
    );
}

#[test]
fn formula_injection_in_a_name_is_escaped_in_the_spreadsheet_export() {
    let app = TestApp::start_sqlite("formula");
    let seed = seed(&app.platform, "Formula");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let csrf = client.session_csrf();
    let reply = client.post_form(
        &format!("/classes/{}/pupils", seed.class_2b),
        &[
            ("csrf", &csrf),
            ("given_name", "=cmd|' /C calc'!A0"),
            ("family_name", "+SUM(A1)"),
            ("external_id", "@x"),
        ],
    );
    assert!(reply.location().contains("done-pupil-added"));
    let export = client.get(&format!("/classes/{}/export.csv", seed.class_2b));
    assert_eq!(export.status, 200);
    assert!(
        export
            .header("content-type")
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(
        export
            .body
            .contains("'=cmd|' /C calc'!A0;;'+SUM(A1);2B;'@x;"),
        "{}",
        export.body
    );
    for line in export.body.lines() {
        for cell in line.trim_start_matches('\u{feff}').split(';') {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unescaped cell {cell:?}"
            );
        }
    }
    assert!(export.body.contains("Mila;de;Vries;2B;2001;"));
}

#[test]
fn the_class_list_download_is_accepted_as_the_roster_of_erbij_analyze() {
    let app = TestApp::start_sqlite("roster-export");
    let seed = seed(&app.platform, "Roster");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let export = client.get(&format!("/classes/{}/export.csv", seed.class_2b));
    assert_eq!(export.status, 200);
    // The same parser `erbij analyze --roster` uses.
    let roster = erbij_detect::Roster::from_csv(&export.body)
        .unwrap_or_else(|e| panic!("{e}\n{}", export.body));
    let names: Vec<&str> = roster.pupils().iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"Mila de Vries"), "{names:?}");
    assert_eq!(names.len(), export.body.lines().count() - 1, "{names:?}");
}

#[test]
fn every_response_carries_the_security_headers_and_no_page_names_another_host() {
    let app = TestApp::start_sqlite("headers");
    let seed = seed(&app.platform, "Headers");
    let mut client = app.client();
    let mut pages = Vec::new();
    for path in [
        "/login",
        "/healthz",
        "/assets/style.css",
        "/no-such-page",
        "/api/v1/classes",
        "/api/v1/openapi.json",
    ] {
        pages.push((path.to_string(), client.get(path)));
    }
    client.login(&seed.emails["admin"], PASSWORD);
    for path in [
        "/",
        "/classes",
        &format!("/classes/{}", seed.class_2b),
        &format!("/pupils/{}", seed.pupil_2b),
        "/import",
        "/account",
        "/users",
    ] {
        let reply = client.get(path);
        assert_eq!(reply.status, 200, "{path}");
        pages.push((path.to_string(), reply));
    }
    for (path, reply) in &pages {
        let csp = reply
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("frame-ancestors 'none'")
                && csp.contains("object-src 'none'")
                && csp.contains("base-uri 'none'"),
            "{path}: {csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
            "{path}: {csp}"
        );
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            reply.header("referrer-policy"),
            Some("no-referrer"),
            "{path}"
        );
        if reply
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/html"))
        {
            assert!(
                !reply.body.contains("http://")
                    && !reply.body.contains("https://")
                    && !reply.body.contains("src=\"//"),
                "{path} names another host"
            );
            assert!(
                !reply.body.contains(" style=")
                    && !reply.body.contains("<style")
                    && !reply.body.contains("onclick"),
                "{path}: inline style or script"
            );
            assert!(
                reply
                    .body
                    .starts_with("<!doctype html>\n<html lang=\"nl\">"),
                "{path}"
            );
        }
    }
    let not_found = &pages[3].1;
    assert_eq!(not_found.status, 404);
    assert!(not_found.body.contains("Deze pagina bestaat niet"));
    assert_eq!(pages[4].1.status, 401);
    assert_eq!(pages[4].1.header("www-authenticate"), Some("Bearer"));
}

#[test]
fn the_language_switch_turns_the_interface_english_and_back() {
    let app = TestApp::start_sqlite("language");
    let seed = seed(&app.platform, "Lang");
    let mut client = app.client();
    client.login(&seed.emails["coordinator"], PASSWORD);
    let dutch = client.get("/classes");
    assert!(
        dutch.body.contains("<h1>Klassen</h1>")
            && dutch.body.contains("href=\"/language/en?next=/classes\"")
    );
    let switch = client.get("/language/en?next=/classes");
    assert_eq!(switch.location(), "/classes");
    let english = client.get("/classes");
    assert!(
        english.body.contains("<html lang=\"en\">") && english.body.contains("<h1>Classes</h1>"),
        "{}",
        english.body
    );
    assert!(
        english.body.contains("anti-bullying coordinator")
            || client.get("/").body.contains("anti-bullying coordinator")
    );
    client.get("/language/nl?next=/");
    assert!(client.get("/").body.contains("anti-pestcoördinator"));
    assert_eq!(client.get("/language/de").status, 404);
}

#[test]
fn a_password_change_needs_the_current_password_and_ends_other_sessions() {
    let app = TestApp::start_sqlite("password");
    let seed = seed(&app.platform, "Pw");
    let email = seed.emails["care"].clone();
    let mut phone = app.client();
    phone.login(&email, PASSWORD);
    let mut laptop = app.client();
    laptop.login(&email, PASSWORD);
    let csrf = laptop.session_csrf();
    let wrong = laptop.post_form(
        "/account/password",
        &[
            ("csrf", &csrf),
            ("current", "niet mijn wachtwoord"),
            ("new", "een nieuw lang wachtwoord"),
        ],
    );
    assert_eq!(wrong.location(), "/account?error=error-wrong-password");
    assert!(
        laptop
            .get(wrong.location())
            .body
            .contains("Het huidige wachtwoord klopt niet.")
    );
    let short = laptop.post_form(
        "/account/password",
        &[("csrf", &csrf), ("current", PASSWORD), ("new", "kort")],
    );
    assert_eq!(short.location(), "/account?error=error-password-too-short");
    let done = laptop.post_form(
        "/account/password",
        &[
            ("csrf", &csrf),
            ("current", PASSWORD),
            ("new", "een nieuw lang wachtwoord"),
        ],
    );
    assert_eq!(done.location(), "/account?done=done-password-changed");
    assert_eq!(laptop.get("/account").status, 200, "this session stays");
    assert_eq!(
        phone.get("/account").location(),
        "/login",
        "other sessions end"
    );
    let mut again = app.client();
    again.login(&email, "een nieuw lang wachtwoord");
    assert!(app.platform.login(&email, PASSWORD).is_err());
}

#[test]
fn an_administrator_archives_a_pupil_with_a_leaving_date_and_assigns_teachers() {
    let app = TestApp::start_sqlite("archive");
    let seed = seed(&app.platform, "Archive");
    let mut client = app.client();
    client.login(&seed.emails["admin"], PASSWORD);
    let csrf = client.session_csrf();
    let reply = client.post_form(
        &format!("/pupils/{}/archive", seed.pupil_2b),
        &[("csrf", &csrf), ("left_on", "2026-07-17")],
    );
    assert_eq!(
        reply.location(),
        format!("/classes/{}?done=done-archived", seed.class_2b)
    );
    let page = client.get(reply.location());
    assert!(
        page.body.contains("De leerling is gearchiveerd.")
            && page.body.contains("Vertrokken leerlingen")
            && page.body.contains("vertrokken op 2026-07-17")
    );
    let bad = client.post_form(
        &format!("/pupils/{}/archive", seed.pupil_2b),
        &[("csrf", &csrf), ("left_on", "31-02-2026")],
    );
    assert!(bad.location().ends_with("error=error-invalid-date"));
    // Assigning the second teacher to 2B lets them see it.
    let teacher = seed.user_ids["teacher_other"].0.to_string();
    client.post_form(
        &format!("/classes/{}/teachers", seed.class_2b),
        &[("csrf", &csrf), ("user_id", &teacher)],
    );
    let mut other = app.client();
    other.login(&seed.emails["teacher_other"], PASSWORD);
    assert_eq!(
        other.get(&format!("/classes/{}", seed.class_2b)).status,
        200
    );
    client.post_form(
        &format!("/classes/{}/teachers/{teacher}/remove", seed.class_2b),
        &[("csrf", &csrf)],
    );
    assert_eq!(
        other.get(&format!("/classes/{}", seed.class_2b)).status,
        404
    );
}
