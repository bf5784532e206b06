//! The operator's commands against the same data folder while `erbij serve` runs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

fn erbij() -> Command {
    Command::new(env!("CARGO_BIN_EXE_erbij"))
}

fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = erbij()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        // A command that refuses its arguments exits before reading: that is not a failure.
        .ok();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn http_get(address: &str, path: &str, token: &str) -> String {
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

#[test]
fn admin_commands_work_while_the_server_runs() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("erbij-cli-{}-{nanos}", std::process::id()));
    let data = dir.to_str().unwrap();

    let (code, out, err) = run(
        &[
            "user",
            "add",
            "--email",
            "Beheer@Test.example",
            "--name",
            "Ingrid Beheer",
            "--role",
            "administrator",
            "--school",
            "Testschool",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        "een lang wachtwoord\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("added to school 1 (Testschool)"), "{out}");

    // Settings from a TOML file and an ERBIJ_* variable, as an operator would run it.
    let config = dir.join("erbij.toml");
    std::fs::write(&config, "listen = \"127.0.0.1:0\"\n").unwrap();
    let mut server = erbij()
        .args(["serve", "--config", config.to_str().unwrap()])
        .env("ERBIJ_DATA_DIR", data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let address = loop {
        let line = lines
            .next()
            .expect("server stopped before listening")
            .unwrap();
        if let Some(rest) = line.strip_prefix("erbij is running at http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };

    let (code, out, _) = run(
        &[
            "school",
            "add",
            "--name",
            "Basisschool Tweede",
            "--type",
            "po",
            "--data-dir",
            data,
        ],
        "",
    );
    assert_eq!((code, out.trim()), (0, "2"));
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "--email",
            "x@test.example",
            "--name",
            "X",
            "--role",
            "teacher",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        "een lang wachtwoord\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("several schools"), "{err}");
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "--email",
            "x@test.example",
            "--name",
            "X",
            "--role",
            "directeur",
            "--school",
            "1",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        "x\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("is not a role"), "{err}");
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "--email",
            "x@test.example",
            "--name",
            "X",
            "--role",
            "teacher",
            "--school",
            "1",
            "--password-stdin",
            "--data-dir",
            data,
        ],
        "kort\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("shorter than 10"), "{err}");

    let (code, out, err) = run(
        &[
            "token",
            "create",
            "--email",
            "beheer@test.example",
            "--data-dir",
            data,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let token = out.lines().last().unwrap().to_string();
    assert_eq!(token.len(), 64);
    assert!(!out.contains("password"));
    let reply = http_get(&address, "/api/v1/classes", &token);
    assert!(reply.starts_with("HTTP/1.1 200"), "{reply}");
    assert!(reply.ends_with("[]"), "{reply}");
    let health = http_get(&address, "/healthz", "");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");

    // SIGTERM stops the server gracefully with exit code 0.
    let status = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.wait().unwrap();
    assert!(exit.success(), "{exit:?}");
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    assert!(log.contains("shutting down"), "{log}");
    assert!(
        !log.contains("beheer@test.example") && !log.contains("Ingrid"),
        "personal data in the log: {log}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_bad_configuration_file_is_named() {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let file = std::env::temp_dir().join(format!("erbij-config-{nanos}.toml"));
    std::fs::write(&file, "listen = \"127.0.0.1:0\"\ndatabse_url = \"x\"\n").unwrap();
    let (code, _, err) = run(&["serve", "--config", file.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("is not a valid erbij configuration") && err.contains("databse_url"),
        "{err}"
    );
    let _ = std::fs::remove_file(file);
}

#[test]
fn the_binary_serves_on_postgresql() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("erbij_cli_{}_{nanos}", std::process::id());
    // Creates the schema (and migrates it); the server below is pointed at it through the
    // connection's search_path, as an operator with a dedicated schema would.
    let store = erbij_store::open_postgres(&url, Some(&schema)).unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let server_url = format!("{url}{separator}options=-csearch_path%3D{schema}");

    let mut server = erbij()
        .args([
            "serve",
            "--database-url",
            &server_url,
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let address = loop {
        let Some(line) = lines.next() else {
            let mut err = String::new();
            server.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("server stopped before listening: {err}");
        };
        let line = line.unwrap();
        if let Some(rest) = line.strip_prefix("erbij is running at http://") {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    // An empty installation points the operator to the first-run page.
    let next = lines.next().unwrap().unwrap();
    assert!(next.contains("/setup"), "{next}");
    let health = http_get(&address, "/healthz", "");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    // A school and an account made with the admin command are visible to the running server.
    let (code, _, err) = run(
        &[
            "user",
            "add",
            "--email",
            "beheer@pg.example",
            "--name",
            "Beheer PG",
            "--role",
            "administrator",
            "--school",
            "PG-school",
            "--password-stdin",
            "--database-url",
            &server_url,
        ],
        "een lang wachtwoord\n",
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run(
        &[
            "token",
            "create",
            "--email",
            "beheer@pg.example",
            "--database-url",
            &server_url,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let token = out.lines().last().unwrap().trim().to_string();
    let classes = http_get(&address, "/api/v1/classes", &token);
    assert!(classes.starts_with("HTTP/1.1 200"), "{classes}");

    // A graceful stop closes the PostgreSQL connections without a panic.
    let stopped = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let status = server.wait().unwrap();
    let mut err = String::new();
    server.stderr.take().unwrap().read_to_string(&mut err).ok();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    store.backend().drop_schema().unwrap();
}
