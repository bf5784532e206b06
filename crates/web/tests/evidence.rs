//! Evidence over HTTP against the real app (SQLite file, encrypted vault on disk): nothing
//! of an upload in plain text anywhere in the data folder, the exact bytes back, bad input
//! refused with nothing half-stored, a report flood held by the limit, and a bundle that
//! `erbij_bundle::verify_zip` accepts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::{Seed, TestApp, seed, temp_dir};
use erbij_core::cases::{CaseId, NewCase, Origin};
use erbij_core::{Actor, Clock, Platform, Role, Store, SystemClock};

/// An app whose database and vault share one data folder, as `erbij serve` has it.
fn app_in(dir: &Path) -> TestApp {
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(dir).unwrap());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let vault = erbij_vault::FileVault::with_key(&dir.join("evidence"), [7; 32]).unwrap();
    let platform = Platform::new(store, clock).with_vault(Arc::new(vault));
    TestApp::start_platform(platform)
}

fn teacher(seed: &Seed) -> Actor {
    Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    }
}

fn open_case(app: &TestApp, seed: &Seed) -> CaseId {
    app.platform
        .open_case(
            &teacher(seed),
            NewCase {
                pupil_id: seed.pupil_2b,
                origin: Origin::Chat,
                origin_ref: None,
                summary: "Mila is uit de groep gezet.".into(),
                owner_id: None,
            },
        )
        .unwrap()
        .id
}

fn token(app: &TestApp, seed: &Seed, who: &str) -> String {
    app.platform
        .operator_create_token(&seed.emails[who], "test")
        .unwrap()
        .0
}

/// GET with a bearer token, the body as raw bytes.
fn get_bytes(app: &TestApp, path: &str, token: &str) -> (u16, Vec<u8>, Option<String>) {
    let response = match ureq::get(&format!("{}{path}", app.base))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(err) => panic!("{err}"),
    };
    let status = response.status();
    let sha = response.header("x-evidence-sha256").map(str::to_owned);
    let mut bytes = Vec::new();
    response.into_reader().read_to_end(&mut bytes).unwrap();
    (status, bytes, sha)
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn an_uploaded_file_is_nowhere_in_plain_text_and_comes_back_byte_for_byte() {
    let dir = temp_dir("evidence-marker");
    let app = app_in(&dir);
    let seed = seed(&app.platform, "Marker");
    let case = open_case(&app, &seed);
    let token = token(&app, &seed, "teacher");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let marker = format!("KWX{nanos}QZV");
    let chat = format!(
        "02-05-2022 16:08 - Sanne: hoi allemaal\n02-05-2022 16:09 - Jan: {marker}\n02-05-2022 16:10 - Mila: hoi\n"
    );
    let mut client = app.client();
    client.bearer = Some(token.clone());
    let reply = client.post_multipart(
        &format!("/api/v1/cases/{}/evidence", case.0),
        &[
            ("handed_in_by", "Mila"),
            ("exporter", "Mila"),
            ("description", "klasapp"),
        ],
        Some(("klasapp.txt", chat.as_bytes())),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let created: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    let expected = erbij_bundle::sha256_hex(chat.as_bytes());
    assert_eq!(created["sha256"], expected.as_str());
    assert_eq!(created["size"], chat.len());
    assert!(created["findings"].is_array());
    // The page shows it (and reads it back) too.
    let id = created["id"].as_i64().unwrap();
    let (status, bytes, header) =
        get_bytes(&app, &format!("/api/v1/evidence/{id}/content"), &token);
    assert_eq!(status, 200);
    assert_eq!(bytes, chat.as_bytes());
    assert_eq!(erbij_bundle::sha256_hex(&bytes), expected);
    assert_eq!(header.as_deref(), Some(expected.as_str()));
    // Every file under the data folder: the database, its WAL, the vault's blobs, the key.
    let files = files_under(&dir);
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().ends_with("erbij.sqlite3"))
    );
    assert!(files.iter().any(|f| f.starts_with(dir.join("evidence"))));
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !contains(&bytes, marker.as_bytes()),
            "{} holds the marker in plain text",
            file.display()
        );
    }
}

#[test]
fn bad_files_are_refused_with_a_reason_and_nothing_half_stored() {
    let dir = temp_dir("evidence-bad");
    let app = app_in(&dir);
    let seed = seed(&app.platform, "Bad");
    let case = open_case(&app, &seed);
    let token = token(&app, &seed, "teacher");
    let mut client = app.client();
    client.bearer = Some(token.clone());
    let path = format!("/api/v1/cases/{}/evidence", case.0);
    let blobs = || files_under(&dir.join("evidence")).len();

    // A fake PNG.
    let reply = client.post_multipart(&path, &[], Some(("scherm.png", b"GIF89a nep")));
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("evidence-mismatch"), "{}", reply.body);
    // A zip bomb: 32 MiB of zeros in a few kilobytes.
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file(
            "_chat.txt",
            zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..32 {
        writer.write_all(&zeros).unwrap();
    }
    let bomb = writer.finish().unwrap().into_inner();
    let reply = client.post_multipart(&path, &[], Some(("export.zip", &bomb)));
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("zip-bomb"), "{}", reply.body);
    // An unknown type.
    let reply = client.post_multipart(&path, &[], Some(("virus.exe", b"MZ\x90\0")));
    assert_eq!(reply.status, 422);
    assert_eq!(blobs(), 0, "a refused file left a blob");

    // Control characters in the name: the upload is refused as unreadable, nothing stored
    // (the name's cleaning itself is tested in erbij-bundle).
    let reply = client.post_multipart(
        &path,
        &[],
        Some(("pa\u{7}ss\u{1b}wd.txt", b"02-05-2022 16:08 - Sanne: hoi\n")),
    );
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(blobs(), 0);
    // A name that tries to leave the folder: kept as a plain file name.
    let reply = client.post_multipart(
        &path,
        &[],
        Some(("../../etc/passwd.txt", b"02-05-2022 16:08 - Sanne: hoi\n")),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let created: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(created["file_name"], "passwd.txt");
    assert_eq!(blobs(), 1);

    // 60 MB declared: refused before a byte of it is read, nothing stored.
    let address = app.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        60 * 1000 * 1000
    )
    .unwrap();
    stream.write_all(&[b'a'; 4096]).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("50 MB"), "{answer}");
    // Just over the file limit but within the body limit: refused while reading.
    let big = vec![b'x'; erbij_core::evidence::MAX_FILE_BYTES + 1];
    let reply = client.post_multipart(&path, &[], Some(("groot.txt", &big)));
    assert_eq!(reply.status, 413, "{}", reply.body);
    let listed = client.get(&format!("/api/v1/cases/{}/evidence", case.0));
    let listed: serde_json::Value = serde_json::from_str(&listed.body).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(blobs(), 1);
}

#[test]
fn a_report_flood_is_held_by_the_limit_and_the_server_stays_up() {
    let app = TestApp::start_sqlite("evidence-flood");
    let seed = seed(&app.platform, "Flood");
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let code = app.platform.report_code(&coordinator).unwrap();
    let mut client = app.client();
    let mut statuses = Vec::new();
    for i in 0..30 {
        let reply = client.post_multipart(
            &format!("/api/v1/reports/{code}"),
            &[("what", &format!("melding {i}"))],
            None,
        );
        statuses.push(reply.status);
    }
    let accepted = statuses.iter().filter(|s| **s == 201).count();
    assert_eq!(accepted, 20, "{statuses:?}");
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
    assert_eq!(client.get("/healthz").status, 200);
    // The limit holds before anything is looked up, for any code.
    assert_eq!(
        client
            .post_multipart("/api/v1/reports/onbekend9", &[("what", "x")], None)
            .status,
        429
    );
    let stored = app.platform.reports(&coordinator).unwrap();
    assert_eq!(stored.len(), 20);
    assert!(stored.iter().all(|r| r.reporter_name.is_none()));
}

#[test]
fn the_bundle_verifies_and_pseudonymises_bystanders_only_in_the_findings() {
    let app = TestApp::start_sqlite("evidence-bundle");
    let seed = seed(&app.platform, "Bundle");
    let case = open_case(&app, &seed);
    let token = token(&app, &seed, "teacher");
    let mut client = app.client();
    client.bearer = Some(token.clone());
    let chat =
        std::fs::read(erbij_testkit::workspace_root().join("examples/feestje-zonder-mila.txt"))
            .unwrap();
    let reply = client.post_multipart(
        &format!("/api/v1/cases/{}/evidence", case.0),
        &[("exporter", "Sanne")],
        Some(("feestje.txt", &chat)),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let (status, zip, _) = get_bytes(
        &app,
        &format!(
            "/api/v1/cases/{}/bundle?reason=overleg&pseudonymise=true",
            case.0
        ),
        &token,
    );
    assert_eq!(status, 200);
    let verdict = erbij_bundle::verify_zip(std::io::Cursor::new(&zip));
    assert!(verdict.is_ok(), "{:?}", verdict.problems);
    // upload, export: the log in the bundle ends with its own export.
    assert_eq!(verdict.log_entries, 2);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
    let mut original = Vec::new();
    archive
        .by_name(&format!(
            "erbij-dossier-{}/data/originelen/feestje.txt",
            case.0
        ))
        .unwrap()
        .read_to_end(&mut original)
        .unwrap();
    assert_eq!(original, chat, "the original is never pseudonymised");
    let mut html = String::new();
    archive
        .by_name(&format!(
            "erbij-dossier-{}/data/bevindingen/bevindingen.html",
            case.0
        ))
        .unwrap()
        .read_to_string(&mut html)
        .unwrap();
    assert!(
        !html.contains("Jan"),
        "a bystander's name is in the findings"
    );
    assert!(html.contains("klasgenoot A"));
    std::fs::write(
        erbij_testkit::artifacts_dir().join("evidence-bundle-findings.html"),
        &html,
    )
    .unwrap();
    assert!(
        html.contains("Mila"),
        "the pupil the case is about stays named"
    );

    // The reference validator and sha256sum accept the bundle the app exported.
    let dir = temp_dir("evidence-bagit");
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let path = dir.join(entry.name());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let bag = dir.join(format!("erbij-dossier-{}", case.0));
    let sums = std::process::Command::new("sha256sum")
        .args(["-c", "manifest-sha256.txt"])
        .current_dir(&bag)
        .output()
        .unwrap();
    assert!(
        sums.status.success(),
        "{}",
        String::from_utf8_lossy(&sums.stdout)
    );
    if erbij_testkit::python_module("bagit", "ERBIJ_REQUIRE_BAGIT") {
        let valid = std::process::Command::new("python3")
            .args(["-m", "bagit", "--validate"])
            .arg(&bag)
            .output()
            .unwrap();
        assert!(
            valid.status.success(),
            "{}",
            String::from_utf8_lossy(&valid.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_print_view_lists_every_file_with_its_full_hash_and_the_findings_and_is_logged() {
    let dir = temp_dir("evidence-print");
    let app = app_in(&dir);
    let seed = seed(&app.platform, "Afdruk");
    let case = open_case(&app, &seed);
    let token = token(&app, &seed, "teacher");
    let chat =
        std::fs::read(erbij_testkit::workspace_root().join("examples/feestje-zonder-mila.txt"))
            .unwrap();
    let mut api = app.client();
    api.bearer = Some(token);
    let reply = api.post_multipart(
        &format!("/api/v1/cases/{}/evidence", case.0),
        &[
            ("handed_in_by", "moeder van Mila"),
            ("exporter", "Sanne"),
            ("made_on", "2026-03-02"),
            ("description", "Export van de klasapp"),
        ],
        Some(("klasapp.txt", &chat)),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let sha256 = serde_json::from_str::<serde_json::Value>(&reply.body).unwrap()["sha256"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(sha256.len(), 64);

    let mut client = app.client();
    client.login(&seed.emails["teacher"], common::PASSWORD);
    let page = client.get(&format!("/cases/{}/print", case.0));
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    // The school's name, the file with who handed it in, when it was made and the full hash.
    assert!(body.contains("Afdruk College"), "{body}");
    assert!(body.contains("klasapp.txt"), "{body}");
    assert!(body.contains("Export van de klasapp"), "{body}");
    assert!(body.contains("Aangeleverd door moeder van Mila"), "{body}");
    assert!(body.contains("gemaakt op 02-03-2026"), "{body}");
    assert!(body.contains(&format!("<code>{sha256}</code>")), "{body}");
    // The finding with its explanation and the exact lines as proof.
    assert!(
        body.contains("Toegevoegd en meteen weer verwijderd"),
        "{body}"
    );
    assert!(body.contains("Feestje zonder Mila"), "{body}");
    assert!(body.contains("heeft Mila verwijderd"), "{body}");
    assert!(body.contains("regel 9"), "{body}");
    assert!(!body.contains("Nog geen bewijs"), "{body}");
    // No navigation or forms on paper.
    assert!(!body.contains("<form"), "{body}");
    assert!(!body.contains("<button"), "{body}");

    // An opening in the case's access log, and the file read for the findings a custody
    // `view` with the print as its reason; no download.
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let file = app.platform.case_file(&coordinator, case).unwrap();
    let views = file.views.unwrap();
    assert_eq!(
        views
            .iter()
            .filter(|(v, _)| v.user_id == seed.user_ids["teacher"])
            .count(),
        1,
        "one opening: the print"
    );
    let custody = app.platform.case_custody(&coordinator, case).unwrap();
    let last = custody.last().unwrap();
    assert_eq!(last.action, "view");
    assert_eq!(
        last.field("reason").as_deref(),
        Some("afdrukweergave van het dossier")
    );
    assert_eq!(last.field("sha256").as_deref(), Some(sha256.as_str()));
    assert!(custody.iter().all(|e| e.action != "download"));
}
