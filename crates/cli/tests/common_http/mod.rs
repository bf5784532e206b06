//! Helpers for tests that run the real `erbij serve`: raw HTTP/1.1 on fresh connections,
//! a server that can be killed with `kill -9`, installations on SQLite or a fresh
//! PostgreSQL database, classes with pupils through the API.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub fn erbij() -> Command {
    Command::new(env!("CARGO_BIN_EXE_erbij"))
}

pub fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = erbij()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).ok();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A reply: status, head (lower-cased header lines), body.
pub struct Reply {
    pub status: u16,
    /// Lower-cased, for `contains` checks.
    pub head: String,
    pub raw_head: String,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
    /// A `Set-Cookie` value by name.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.raw_head.lines().find_map(|l| {
            let (name_part, rest) = l.split_once(": ")?;
            if !name_part.eq_ignore_ascii_case("set-cookie") {
                return None;
            }
            let (k, v) = rest.split(';').next()?.split_once('=')?;
            (k.trim().eq_ignore_ascii_case(name)).then(|| v.to_string())
        })
    }
}

/// One request on a fresh connection; `None` when the server is gone (or died mid-way).
pub fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Option<Reply> {
    let mut stream = std::net::TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .ok()?;
    let mut extra = String::new();
    for (k, v) in headers {
        extra.push_str(&format!("{k}: {v}\r\n"));
    }
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).ok()?;
    let reply = String::from_utf8_lossy(&reply).into_owned();
    let status = reply.get(9..12)?.parse().ok()?;
    let (head, rest) = reply.split_once("\r\n\r\n")?;
    let raw_head = head.to_string();
    let head = head.to_ascii_lowercase();
    let body = if head.contains("transfer-encoding: chunked") {
        dechunk(rest)?
    } else {
        rest.to_string()
    };
    Some(Reply {
        status,
        head,
        raw_head,
        body,
    })
}

fn dechunk(mut text: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, rest) = text.split_once("\r\n")?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(rest.get(..size)?);
        text = rest.get(size + 2..)?;
    }
}

/// A JSON API call with a bearer token (`""`: none).
pub fn api(address: &str, method: &str, path: &str, token: &str, body: &str) -> Reply {
    let auth = format!("Bearer {token}");
    let mut headers = vec![("Content-Type", "application/json")];
    if !token.is_empty() {
        headers.push(("Authorization", auth.as_str()));
    }
    request(address, method, path, &headers, body).expect("server answers")
}

pub struct Server {
    pub child: Child,
    pub address: String,
    _lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Server {
    pub fn start(db: &[String]) -> Server {
        let mut args = vec!["serve".to_string(), "--listen".into(), "127.0.0.1:0".into()];
        args.extend(db.iter().cloned());
        let mut child = erbij()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let line = lines
                .next()
                .expect("server stopped before listening")
                .unwrap();
            if let Some(rest) = line.strip_prefix("erbij is running at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        Server {
            child,
            address,
            _lines: lines,
        }
    }

    /// `kill -9`: no shutdown, no flush, nothing.
    pub fn kill_hard(&mut self) {
        let status = Command::new("kill")
            .args(["-9", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().ok();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.kill_hard();
        }
    }
}

/// A fresh PostgreSQL database for one test, dropped at the end.
pub struct FreshDatabase {
    admin_url: String,
    name: String,
    pub url: String,
}

impl FreshDatabase {
    pub fn create(admin_url: &str, label: &str) -> FreshDatabase {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("erbij_{label}_{}_{nanos}", std::process::id());
        let mut client = postgres::Client::connect(admin_url, postgres::NoTls).unwrap();
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let base = admin_url.split('?').next().unwrap();
        let url = format!("{}/{name}", &base[..base.rfind('/').unwrap()]);
        FreshDatabase {
            admin_url: admin_url.to_string(),
            name,
            url,
        }
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

/// Where an installation keeps its data.
pub enum Backend {
    Sqlite(std::path::PathBuf),
    Postgres(FreshDatabase),
}

impl Backend {
    pub fn sqlite(tag: &str) -> Backend {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Backend::Sqlite(
            std::env::temp_dir().join(format!("erbij-{tag}-{}-{nanos}", std::process::id())),
        )
    }

    /// A fresh PostgreSQL database, or `None` (with the testkit's NOTICE) without one.
    pub fn postgres(tag: &str) -> Option<Backend> {
        let url = erbij_testkit::postgres_url()?;
        Some(Backend::Postgres(FreshDatabase::create(&url, tag)))
    }

    pub fn args(&self) -> Vec<String> {
        match self {
            Backend::Sqlite(dir) => vec!["--data-dir".into(), dir.display().to_string()],
            Backend::Postgres(db) => vec!["--database-url".into(), db.url.clone()],
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }
}

impl Drop for Backend {
    fn drop(&mut self) {
        if let Backend::Sqlite(dir) = self {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The password `user_with_token` gives every account.
pub const PASSWORD: &str = "een lang wachtwoord";

/// A user with an API token, made with the admin commands.
pub fn user_with_token(db: &[String], email: &str, role: &str) -> String {
    let mut args = vec![
        "user",
        "add",
        "--email",
        email,
        "--name",
        "Test Persoon",
        "--role",
        role,
        "--school",
        "Peilschool",
        "--password-stdin",
    ];
    args.extend(db.iter().map(String::as_str));
    let (code, _, err) = run(&args, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{err}");
    let mut args = vec!["token", "create", "--email", email];
    args.extend(db.iter().map(String::as_str));
    let (code, out, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    out.lines().last().unwrap().trim().to_string()
}

/// A class with `count` fictional pupils; the class id and the pupils' ids.
pub fn class_with_pupils(address: &str, admin: &str, name: &str, count: usize) -> (i64, Vec<i64>) {
    let reply = api(
        address,
        "POST",
        "/api/v1/classes",
        admin,
        &format!(r#"{{"name":"{name}"}}"#),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let class = reply.json()["id"].as_i64().unwrap();
    let mut pupils = Vec::new();
    for i in 0..count {
        let reply = api(
            address,
            "POST",
            &format!("/api/v1/classes/{class}/pupils"),
            admin,
            &format!(r#"{{"given_name":"Kind{i}","family_name":"{name}-Achternaam{i}"}}"#),
        );
        assert_eq!(reply.status, 201, "{}", reply.body);
        pupils.push(reply.json()["id"].as_i64().unwrap());
    }
    (class, pupils)
}

/// The CSRF token of the first form on a page (`name="csrf" value="..."`).
pub fn form_token(page: &str) -> Option<String> {
    page.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(str::to_string)
}

/// Logs in through the login form; the session cookie (`name=value`) for later requests.
pub fn login(address: &str, email: &str, password: &str) -> String {
    let form = request(address, "GET", "/login", &[], "").unwrap();
    let csrf_cookie = form.cookie("erbij_csrf").expect("login sets a csrf cookie");
    let token = form_token(&form.body).expect("the login form has a csrf field");
    let body = format!(
        "email={}&password={}&csrf={token}",
        email.replace('@', "%40"),
        password.replace(' ', "+")
    );
    let cookie = format!("erbij_csrf={csrf_cookie}");
    let reply = request(
        address,
        "POST",
        "/login",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &cookie),
        ],
        &body,
    )
    .unwrap();
    assert_eq!(reply.status, 303, "{}", reply.body);
    format!(
        "erbij_session={}",
        reply.cookie("erbij_session").expect("a session cookie")
    )
}
