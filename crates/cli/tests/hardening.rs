//! Hardening of the binary: private data files, `erbij token revoke`, a wrong PostgreSQL
//! database named at start, backup and restore drills with writes going on (SQLite and
//! PostgreSQL), and two `erbij serve` processes on one PostgreSQL database.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use erbij_core::Store;

const PASSWORD: &str = "een lang wachtwoord voor de test";

mod common_http;
use common_http::{FreshDatabase, erbij, run};

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("erbij-hard-{name}-{}-{nanos}", std::process::id()))
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `erbij serve` on 127.0.0.1:0; stopped (SIGTERM) when dropped.
struct Server {
    child: Child,
    address: String,
    stopped: bool,
}

impl Server {
    fn start(store: &[&str]) -> Server {
        Server::start_logging(store, "warn")
    }

    fn start_logging(store: &[&str], level: &str) -> Server {
        let mut child = erbij()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(store)
            .env("ERBIJ_LOG", level)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let address = loop {
            let Some(line) = lines.next() else {
                let mut err = String::new();
                child.stderr.take().unwrap().read_to_string(&mut err).ok();
                panic!("server stopped before listening: {err}");
            };
            if let Some(rest) = line.unwrap().strip_prefix("erbij is running at http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            child,
            address,
            stopped: false,
        }
    }

    /// Stops the server gracefully and returns what it logged.
    fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        self.stopped = true;
        let mut err = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            stderr.read_to_string(&mut err).ok();
        }
        err
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stopped {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn add_admin(store: &[&str], school: &str, email: &str) {
    let mut args = vec![
        "user",
        "add",
        "--email",
        email,
        "--name",
        "Beheer",
        "--role",
        "administrator",
        "--school",
        school,
        "--password-stdin",
    ];
    args.extend_from_slice(store);
    let (code, _, err) = run(&args, &format!("{PASSWORD}\n"));
    assert_eq!(code, 0, "{err}");
}

fn token(store: &[&str], email: &str) -> String {
    let mut args = vec!["token", "create", "--email", email];
    args.extend_from_slice(store);
    let (code, out, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    out.lines().last().unwrap().trim().to_string()
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

fn status(result: Result<ureq::Response, ureq::Error>) -> (u16, Option<ureq::Response>) {
    match result {
        Ok(r) => (r.status(), Some(r)),
        Err(ureq::Error::Status(code, r)) => (code, Some(r)),
        Err(e) => panic!("{e}"),
    }
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_database_files_are_private_and_a_readable_folder_is_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("private");
    let data = dir.to_str().unwrap();
    add_admin(&["--data-dir", data], "Privé", "beheer@prive.example");
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("erbij.sqlite3")), 0o600);
    // While the server runs, the WAL and shared-memory files are private too.
    {
        let server = Server::start(&["--data-dir", data]);
        let (code, _) = status(agent().get(&server.url("/healthz")).call());
        assert_eq!(code, 200);
        for file in ["erbij.sqlite3-wal", "erbij.sqlite3-shm"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
    }
    // A folder made readable by others (as erbij itself did before) is fixed, and said so.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::set_permissions(
        dir.join("erbij.sqlite3"),
        std::fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    let (code, _, err) = run(
        &[
            "token",
            "create",
            "--email",
            "beheer@prive.example",
            "--data-dir",
            data,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("could be read by other accounts") && err.contains("755"),
        "{err}"
    );
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join("erbij.sqlite3")), 0o600);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn token_revoke_ends_a_token_from_the_command_line() {
    let dir = temp_dir("revoke");
    let data = dir.to_str().unwrap();
    let store = ["--data-dir", data];
    add_admin(&store, "Intrekken", "beheer@intrekken.example");
    let (code, out, err) = run(
        &[
            "token",
            "create",
            "--email",
            "beheer@intrekken.example",
            "--days",
            "30",
            "--data-dir",
            data,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("valid until"), "{out}");
    let secret = out.lines().last().unwrap().trim().to_string();
    let server = Server::start(&store);
    let call = |secret: &str| {
        status(
            agent()
                .get(&server.url("/api/v1/classes"))
                .set("Authorization", &format!("Bearer {secret}"))
                .call(),
        )
        .0
    };
    assert_eq!(call(&secret), 200);
    let (code, out, err) = run(
        &[
            "token",
            "revoke",
            "--email",
            "beheer@intrekken.example",
            "--all",
            "--data-dir",
            data,
        ],
        "",
    );
    assert_eq!((code, out.trim()), (0, "1 token(s) revoked"), "{err}");
    assert_eq!(call(&secret), 401);
    let (code, _, err) = run(
        &[
            "token",
            "revoke",
            "--email",
            "beheer@intrekken.example",
            "--id",
            "99",
            "--data-dir",
            data,
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("no active token 99"), "{err}");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

/// Writes classes through the API from two threads until stopped; every 201 is kept.
struct Writers {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<String>>>,
    handles: Vec<std::thread::JoinHandle<()>>,
}

impl Writers {
    fn start(base: &str, secret: &str) -> Writers {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let handles = (0..2)
            .map(|thread| {
                let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                let (url, auth) = (format!("{base}/api/v1/classes"), format!("Bearer {secret}"));
                std::thread::spawn(move || {
                    let agent = agent();
                    let mut i = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let name = format!("W{thread}-{i}");
                        let reply = agent
                            .post(&url)
                            .set("Authorization", &auth)
                            .send_json(ureq::json!({ "name": name }));
                        if status(reply).0 == 201 {
                            acknowledged.lock().unwrap().push(name);
                        }
                        i += 1;
                    }
                })
            })
            .collect();
        Writers {
            stop,
            acknowledged,
            handles,
        }
    }

    fn acknowledged(&self) -> Vec<String> {
        self.acknowledged.lock().unwrap().clone()
    }

    fn finish(self) -> Vec<String> {
        self.stop.store(true, Ordering::Relaxed);
        for handle in self.handles {
            handle.join().unwrap();
        }
        self.acknowledged.lock().unwrap().clone()
    }
}

fn wait_for_writes(writers: &Writers, at_least: usize) {
    for _ in 0..600 {
        if writers.acknowledged().len() >= at_least {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the writers made no progress");
}

fn class_names(store: &dyn erbij_core::Store) -> std::collections::HashSet<String> {
    let school = store.schools().unwrap()[0].id;
    store
        .classes(school)
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect()
}

#[test]
fn an_sqlite_backup_taken_during_writes_restores_every_acknowledged_row() {
    let dir = temp_dir("drill");
    let data = dir.to_str().unwrap();
    add_admin(&["--data-dir", data], "Oefening", "beheer@oefening.example");
    let secret = token(&["--data-dir", data], "beheer@oefening.example");
    let server = Server::start(&["--data-dir", data]);
    let writers = Writers::start(&server.url(""), &secret);
    wait_for_writes(&writers, 20);
    let before = writers.acknowledged();
    let out = temp_dir("drill-backup").with_extension("sqlite3");
    let (code, printed, err) = run(
        &["backup", "--out", out.to_str().unwrap(), "--data-dir", data],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(printed.contains("backup written"), "{printed}");
    wait_for_writes(&writers, before.len() + 20);
    let all = writers.finish();
    #[cfg(unix)]
    assert_eq!(mode(&out), 0o600);
    // The backup is not restored over a database that exists.
    let (code, _, err) = run(&["restore", out.to_str().unwrap(), "--data-dir", data], "");
    assert_eq!(code, 1);
    assert!(err.contains("empty data folder"), "{err}");
    let elsewhere = temp_dir("drill-restored");
    let (code, printed, err) = run(
        &[
            "restore",
            out.to_str().unwrap(),
            "--data-dir",
            elsewhere.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(printed.contains("restored into"), "{printed}");
    let restored = erbij_store::open_sqlite_in(&elsewhere).unwrap();
    let names = class_names(&restored);
    let missing: Vec<_> = before.iter().filter(|n| !names.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing: {missing:?}"
    );
    // Nothing in the backup that was never acknowledged (a snapshot, not a mix).
    assert!(names.iter().all(|n| all.contains(n)));
    assert!(names.len() >= before.len());
    // The restored data folder serves: the admin logs in with the same password.
    let server = Server::start(&["--data-dir", elsewhere.to_str().unwrap()]);
    let (code, _) = status(
        agent()
            .get(&server.url("/api/v1/classes"))
            .set("Authorization", &format!("Bearer {secret}"))
            .call(),
    );
    assert_eq!(code, 200);
    drop(server);
    for path in [&dir, &elsewhere] {
        let _ = std::fs::remove_dir_all(path);
    }
    let _ = std::fs::remove_file(out);
}

#[test]
fn a_wrong_postgres_database_is_named_with_what_to_do() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let base = url.split('?').next().unwrap();
    let wrong = format!("{}/erbij_no_such_db", &base[..base.rfind('/').unwrap()]);
    let (code, _, err) = run(&["serve", "--database-url", &wrong], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("erbij_no_such_db") && err.contains("createdb"),
        "{err}"
    );
    // Nothing listens there: the host and port are named, with a time limit.
    let (code, _, err) = run(
        &[
            "serve",
            "--database-url",
            "postgres://erbij@127.0.0.1:1/erbij",
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("127.0.0.1:1") && err.contains("PostgreSQL runs"),
        "{err}"
    );
}

#[test]
fn a_postgres_backup_taken_during_writes_restores_every_acknowledged_row() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let source = FreshDatabase::create(&url, "drill");
    let target = FreshDatabase::create(&url, "restored");
    let store = ["--database-url", source.url.as_str()];
    add_admin(&store, "PG Oefening", "beheer@pgoefening.example");
    let secret = token(&store, "beheer@pgoefening.example");
    let server = Server::start(&store);
    let writers = Writers::start(&server.url(""), &secret);
    wait_for_writes(&writers, 20);
    let before = writers.acknowledged();
    let out = temp_dir("pg-backup").with_extension("dump");
    let (code, _, err) = run(
        &[
            "backup",
            "--out",
            out.to_str().unwrap(),
            "--database-url",
            &source.url,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    wait_for_writes(&writers, before.len() + 20);
    let all = writers.finish();
    drop(server);
    let (code, _, err) = run(
        &[
            "restore",
            out.to_str().unwrap(),
            "--database-url",
            &source.url,
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(err.contains("new, empty database"), "{err}");
    let (code, _, err) = run(
        &[
            "restore",
            out.to_str().unwrap(),
            "--database-url",
            &target.url,
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let restored = erbij_store::open_postgres(&target.url, None).unwrap();
    let names = class_names(&restored);
    let missing: Vec<_> = before.iter().filter(|n| !names.contains(*n)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup, missing: {missing:?}"
    );
    assert!(names.iter().all(|n| all.contains(n)));
    // New rows get new ids after the restore (the sequences came along).
    let school = restored.schools().unwrap()[0].id;
    restored
        .create_class(school, &erbij_core::ClassName::new("Na herstel").unwrap())
        .unwrap();
    drop(restored);
    let _ = std::fs::remove_file(out);
}

fn login_form(agent: &ureq::Agent, server: &Server) -> (String, String) {
    let page = agent.get(&server.url("/login")).call().unwrap();
    let cookie = page
        .all("set-cookie")
        .into_iter()
        .find_map(|c| {
            c.strip_prefix("erbij_csrf=")
                .map(|v| v.split(';').next().unwrap().to_string())
        })
        .unwrap();
    let body = page.into_string().unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = body.find(marker).unwrap() + marker.len();
    let csrf: String = body[at..].chars().take_while(|c| *c != '"').collect();
    (cookie, csrf)
}

/// Posts the login form on `server`; the status and the session cookie, if any.
fn login(server: &Server, email: &str, password: &str) -> (u16, Option<String>) {
    let agent = agent();
    let (cookie, csrf) = login_form(&agent, server);
    let (code, reply) = status(
        agent
            .post(&server.url("/login"))
            .set("Cookie", &format!("erbij_csrf={cookie}"))
            .send_form(&[("csrf", &csrf), ("email", email), ("password", password)]),
    );
    let session = reply.and_then(|r| {
        r.all("set-cookie").into_iter().find_map(|c| {
            c.strip_prefix("erbij_session=")
                .map(|v| v.split(';').next().unwrap().to_string())
        })
    });
    (code, session)
}

#[test]
fn two_servers_on_one_postgres_share_sessions_and_the_login_throttle_and_run_jobs_once() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let database = FreshDatabase::create(&url, "two");
    let store = ["--database-url", database.url.as_str()];
    add_admin(&store, "Twee Servers", "beheer@twee.example");
    let mut args = vec![
        "user",
        "add",
        "--email",
        "mentor@twee.example",
        "--name",
        "Mentor",
        "--role",
        "teacher",
        "--school",
        "Twee Servers",
        "--password-stdin",
    ];
    args.extend_from_slice(&store);
    assert_eq!(run(&args, &format!("{PASSWORD}\n")).0, 0);
    let a = Server::start(&store);
    let b = Server::start(&store);
    // A session made on A works on B, and a logout on B ends it on A.
    let (code, session) = login(&a, "beheer@twee.example", PASSWORD);
    assert_eq!(code, 303);
    let session = session.unwrap();
    let on = |server: &Server| {
        status(
            agent()
                .get(&server.url("/classes"))
                .set("Cookie", &format!("erbij_session={session}"))
                .call(),
        )
        .0
    };
    assert_eq!((on(&a), on(&b)), (200, 200));
    // Wrong passwords alternate between the servers: the fifth starts the delay on both.
    let codes: Vec<u16> = (0..5)
        .map(|i| {
            let server = if i % 2 == 0 { &a } else { &b };
            login(server, "mentor@twee.example", "verkeerd wachtwoord").0
        })
        .collect();
    assert_eq!(codes, [401, 401, 401, 401, 429]);
    assert_eq!(login(&a, "mentor@twee.example", PASSWORD).0, 429);
    assert_eq!(login(&b, "mentor@twee.example", PASSWORD).0, 429);
    // Background jobs run once, not once per server: both runners schedule today's
    // retention job (due 03:00 Dutch time, so already due after 02:00 UTC), one claims it,
    // and the school's run log holds one run.
    let utc_hour = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 86_400
        / 3600;
    if utc_hour < 2 {
        eprintln!(
            "NOTICE: before 03:00 Dutch time today's retention job is not due yet; not checked"
        );
    } else {
        let mut db = postgres::Client::connect(&database.url, postgres::NoTls).unwrap();
        let mut count = |sql: &str| -> i64 { db.query_one(sql, &[]).unwrap().get(0) };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while count("SELECT count(*) FROM jobs WHERE kind = 'retention' AND state = 'done'") == 0
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        // Give the other server time to (wrongly) run it as well.
        std::thread::sleep(std::time::Duration::from_secs(1));
        assert_eq!(
            count("SELECT count(*) FROM jobs WHERE kind = 'retention'"),
            1
        );
        assert_eq!(
            count("SELECT count(*) FROM jobs WHERE kind = 'retention' AND state = 'done'"),
            1
        );
        assert_eq!(count("SELECT count(*) FROM retention_runs"), 1);
    }
    drop((a, b));
}

#[test]
fn the_request_log_names_the_route_never_the_ids_or_the_query() {
    let dir = temp_dir("reqlog");
    let data = dir.to_str().unwrap();
    add_admin(&["--data-dir", data], "Logboek", "beheer@logboek.example");
    let secret = token(&["--data-dir", data], "beheer@logboek.example");
    let server = Server::start_logging(&["--data-dir", data], "info");
    let (code, _) = status(
        agent()
            .get(&server.url("/api/v1/classes/424242?naam=Mila"))
            .set("Authorization", &format!("Bearer {secret}"))
            .call(),
    );
    assert_eq!(code, 404);
    let (code, _) = status(agent().get(&server.url("/nergens/geheim")).call());
    assert_eq!(code, 404);
    let log = server.stop();
    let line = log
        .lines()
        .find(|l| l.contains("/api/v1/classes/{id}"))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        line.contains("GET") && line.contains("status=404") && line.contains("ms="),
        "{line}"
    );
    assert!(log.contains("(no route)"), "{log}");
    // Names and the query must appear nowhere; the ids are looked for in the
    // request lines only, where a timestamp or a folder name cannot hold them.
    for secret_part in ["Mila", "naam", "geheim", "beheer@", &secret] {
        assert!(
            !log.contains(secret_part),
            "`{secret_part}` in the log: {log}"
        );
    }
    for line in log.lines().filter(|l| l.contains(" request ")) {
        let fields: Vec<&str> = line.split_whitespace().skip(1).collect();
        let fields = fields.join(" ");
        assert!(!fields.contains("424242"), "an id in the log: {line}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_login_attempt_is_logged_with_how_and_the_outcome_never_who() {
    let dir = temp_dir("authlog");
    let data = dir.to_str().unwrap();
    add_admin(
        &["--data-dir", data],
        "Aanmeldlog",
        "beheer@aanmeldlog.example",
    );
    let server = Server::start_logging(&["--data-dir", data], "info");
    let wrong = "verkeerd wachtwoord 123";
    assert_eq!(login(&server, "beheer@aanmeldlog.example", wrong).0, 401);
    assert_eq!(login(&server, "niemand@aanmeldlog.example", wrong).0, 401);
    let (code, session) = login(&server, "beheer@aanmeldlog.example", PASSWORD);
    assert_eq!(code, 303);
    assert!(session.is_some());
    let forged = "f".repeat(43);
    let (code, _) = status(
        agent()
            .get(&server.url("/api/v1/classes"))
            .set("Authorization", &format!("Bearer {forged}"))
            .call(),
    );
    assert_eq!(code, 401);
    let log = server.stop();
    let events: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("authentication"))
        .collect();
    let count = |method: &str, outcome: &str| {
        events
            .iter()
            .filter(|l| {
                l.contains(&format!("method=\"{method}\""))
                    && l.contains(&format!("outcome=\"{outcome}\""))
            })
            .count()
    };
    assert_eq!(count("password", "failure"), 2, "{log}");
    assert_eq!(count("password", "success"), 1, "{log}");
    assert_eq!(count("api-token", "failure"), 1, "{log}");
    assert_eq!(events.len(), 4, "{log}");
    // Never who, never what was typed.
    for secret in [
        "beheer@",
        "niemand@",
        "aanmeldlog",
        wrong,
        PASSWORD,
        &forged,
        &session.unwrap(),
    ] {
        assert!(!log.contains(secret), "`{secret}` in the log: {log}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
