//! A check reminder arrives exactly once in a real SMTP server on 127.0.0.1 (Python's
//! aiosmtpd, started here): with two `erbij serve` processes on one PostgreSQL database,
//! and across a restart at the moment a reminder is due. No pupil name in the mail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use erbij_core::cases::{CHECK_REMINDER_JOB, NewCase, Origin};
use erbij_core::jobs::NewJob;
use erbij_core::{Actor, Clock, Date, NewPupil, Platform, Role, SchoolKind, SystemClock};

const SMTP_SERVER: &str = r#"
import sys, time, pathlib
from aiosmtpd.controller import Controller
out = pathlib.Path(sys.argv[1])
class Keep:
    async def handle_DATA(self, server, session, envelope):
        n = len(list(out.glob('*.eml')))
        (out / f'{n:03}.eml').write_bytes(envelope.original_content or envelope.content)
        return '250 OK'
c = Controller(Keep(), hostname='127.0.0.1', port=int(sys.argv[2]))
c.start()
print('ready', flush=True)
while True:
    time.sleep(1)
"#;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Smtp {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts aiosmtpd, or says why it cannot (skip, or fail under ERBIJ_REQUIRE_SMTP=1).
fn smtp_server(dir: &Path) -> Option<Smtp> {
    let found = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        return erbij_testkit::missing(
            "Python's aiosmtpd (pip install aiosmtpd==1.4.6)",
            "ERBIJ_REQUIRE_SMTP",
        );
    }
    std::fs::create_dir_all(dir).unwrap();
    let port = free_port();
    let mut child = Command::new("python3")
        .args(["-c", SMTP_SERVER, dir.to_str().unwrap(), &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    Some(Smtp {
        child,
        dir: dir.to_path_buf(),
        port,
    })
}

fn mails(dir: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn serve(database_url: &str, smtp_port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args([
            "serve",
            "--database-url",
            database_url,
            "--listen",
            "127.0.0.1:0",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &smtp_port.to_string(),
            "--smtp-security",
            "none",
            "--mail-from",
            "erbij <erbij@school.example>",
            "--public-url",
            "https://erbij.school.example",
            "--jobs-interval",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let Some(line) = lines.next() else {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("server stopped before listening: {err}");
        };
        if line.unwrap().starts_with("erbij is running at") {
            break;
        }
    }
    child
}

fn stop(mut child: Child) {
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

fn wait_for(dir: &Path, count: usize) {
    let start = Instant::now();
    while mails(dir).len() < count && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A due reminder job for the agreement (as scheduled when it was made, but due now).
fn due_now(
    platform: &Platform,
    school: erbij_core::SchoolId,
    agreement: i64,
    due: Date,
    tag: &str,
) {
    platform
        .schedule_job(&NewJob {
            school_id: Some(school),
            kind: CHECK_REMINDER_JOB.into(),
            dedupe_key: format!("{CHECK_REMINDER_JOB}:{agreement}:{due}:{tag}"),
            payload: format!(r#"{{"agreement_id":{agreement},"due":"{due}"}}"#),
            due_at: platform.now() + 2,
        })
        .unwrap();
}

#[test]
fn a_due_reminder_is_mailed_once_by_two_servers_and_across_a_restart() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("erbij-smtp-{}-{nanos}", std::process::id()));
    let Some(smtp) = smtp_server(&dir) else {
        return;
    };
    let schema = format!("erbij_mail_{}_{nanos}", std::process::id());
    let store = Arc::new(erbij_store::open_postgres(&url, Some(&schema)).unwrap());
    let separator = if url.contains('?') { '&' } else { '?' };
    let server_url = format!("{url}{separator}options=-csearch_path%3D{schema}");

    let platform = Platform::new(store.clone(), Arc::new(SystemClock) as Arc<dyn Clock>);
    let (school, admin) = platform
        .operator_add_user(
            Some("Mailschool"),
            SchoolKind::Secondary,
            "beheer@mail.example",
            "Beheer",
            Role::Administrator,
            "een lang wachtwoord",
        )
        .unwrap();
    let admin = Actor {
        user_id: admin.id,
        school_id: school.id,
        role: Role::Administrator,
    };
    let (_, mentor) = platform
        .operator_add_user(
            Some("Mailschool"),
            SchoolKind::Secondary,
            "mentor@mail.example",
            "Juf Anouk",
            Role::Teacher,
            "een lang wachtwoord",
        )
        .unwrap();
    let mentor = Actor {
        user_id: mentor.id,
        school_id: school.id,
        role: Role::Teacher,
    };
    let class = platform.create_class(&admin, "2B").unwrap();
    platform
        .assign_teacher(&admin, class.id, mentor.user_id)
        .unwrap();
    let mila = platform
        .create_pupil(
            &admin,
            class.id,
            NewPupil::parse("Mila", "de", "Vries", "").unwrap(),
        )
        .unwrap();
    let case = platform
        .open_case(
            &mentor,
            NewCase {
                pupil_id: mila.id,
                origin: Origin::Signal,
                origin_ref: None,
                summary: "Mila is uit de klasapp verwijderd.".into(),
                owner_id: None,
            },
        )
        .unwrap();
    let today = platform.today();
    let first = platform
        .add_agreement(&mentor, case.id, "Iedereen terug in de app.", &[], today)
        .unwrap();
    // The real reminder is due at 07:00 today; this run may be earlier, so the same reminder
    // is also made due now. Both lead to one mail: the mail itself is keyed by agreement and date.
    due_now(&platform, school.id, first.id.0, today, "now");

    // Two servers on one database.
    let a = serve(&server_url, smtp.port);
    let b = serve(&server_url, smtp.port);
    wait_for(&smtp.dir, 1);
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(mails(&smtp.dir).len(), 1);

    // A restart at the moment the next reminder is due: stop one server as it comes due,
    // start it again, while the other keeps running.
    let second = platform
        .add_agreement(
            &mentor,
            case.id,
            "Niemand verwijderd zonder overleg.",
            &[],
            today,
        )
        .unwrap();
    due_now(&platform, school.id, second.id.0, today, "now");
    std::thread::sleep(Duration::from_millis(1500));
    stop(a);
    let a = serve(&server_url, smtp.port);
    wait_for(&smtp.dir, 2);
    std::thread::sleep(Duration::from_secs(4));
    stop(b);
    stop(a);
    // And a single server restarted on its own: nothing more goes out.
    let c = serve(&server_url, smtp.port);
    std::thread::sleep(Duration::from_secs(3));
    stop(c);

    let all = mails(&smtp.dir);
    assert_eq!(all.len(), 2, "{all:#?}");
    for mail in &all {
        assert!(mail.contains("To: mentor@mail.example"), "{mail}");
        for name in ["Mila", "Vries"] {
            assert!(!mail.contains(name), "a pupil's name in the mail: {mail}");
        }
        assert!(
            mail.contains(&format!("https://erbij.school.example/cases/{}", case.id)),
            "{mail}"
        );
    }
    store.backend().drop_schema().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

/// The class agreements' "discuss again" reminder through the same runner: settled with the
/// clock set ten days back (nothing due then), it goes out once when a server runs on the
/// date, and a restart sends nothing more. The mail links to the list; no pupil's name.
#[test]
fn a_discuss_again_reminder_is_mailed_once_across_a_restart() {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir =
        std::env::temp_dir().join(format!("erbij-smtp-review-{}-{nanos}", std::process::id()));
    let Some(smtp) = smtp_server(&dir) else {
        return;
    };
    let schema = format!("erbij_review_mail_{}_{nanos}", std::process::id());
    let store = Arc::new(erbij_store::open_postgres(&url, Some(&schema)).unwrap());
    let separator = if url.contains('?') { '&' } else { '?' };
    let server_url = format!("{url}{separator}options=-csearch_path%3D{schema}");

    let real_now = SystemClock.now();
    let clock = Arc::new(erbij_core::FixedClock::new(real_now - 10 * 86_400));
    let platform = Platform::new(store.clone(), clock.clone() as Arc<dyn Clock>);
    let (school, admin) = platform
        .operator_add_user(
            Some("Afsprakenschool"),
            SchoolKind::Secondary,
            "beheer@afspraken.example",
            "Beheer",
            Role::Administrator,
            "een lang wachtwoord",
        )
        .unwrap();
    let admin = Actor {
        user_id: admin.id,
        school_id: school.id,
        role: Role::Administrator,
    };
    let (_, mentor) = platform
        .operator_add_user(
            Some("Afsprakenschool"),
            SchoolKind::Secondary,
            "mentor@afspraken.example",
            "Meester Joost",
            Role::Teacher,
            "een lang wachtwoord",
        )
        .unwrap();
    let mentor = Actor {
        user_id: mentor.id,
        school_id: school.id,
        role: Role::Teacher,
    };
    let class = platform.create_class(&admin, "2B").unwrap();
    platform
        .assign_teacher(&admin, class.id, mentor.user_id)
        .unwrap();
    platform
        .create_pupil(
            &admin,
            class.id,
            NewPupil::parse("Mila", "de", "Vries", "").unwrap(),
        )
        .unwrap();
    let round = platform
        .open_agreement_round(&mentor, class.id, None)
        .unwrap();
    let proposal = platform
        .add_teacher_proposal(
            &mentor,
            round.id,
            "Niemand uit de groep zetten, ook Mila niet",
        )
        .unwrap();
    // The date to discuss again: yesterday by the real clock, so it is due when a server runs.
    let review = Date::in_amsterdam(real_now - 86_400).to_string();
    platform
        .settle_agreements(&mentor, round.id, &[proposal], Some(&review))
        .unwrap();
    let memory = erbij_core::mail::MemoryMailer::default();
    platform
        .run_due_jobs(&memory, "https://erbij.school.example", 50)
        .unwrap();
    assert!(memory.sent().is_empty(), "not due ten days before");

    let a = serve(&server_url, smtp.port);
    wait_for(&smtp.dir, 1);
    std::thread::sleep(Duration::from_secs(3));
    stop(a);
    let b = serve(&server_url, smtp.port);
    std::thread::sleep(Duration::from_secs(4));
    stop(b);

    let all = mails(&smtp.dir);
    assert_eq!(all.len(), 1, "{all:#?}");
    let mail = &all[0];
    assert!(mail.contains("To: mentor@afspraken.example"), "{mail}");
    assert!(
        mail.contains(&format!(
            "https://erbij.school.example/lessons/agreements/{}",
            round.id
        )),
        "{mail}"
    );
    for secret in ["Mila", "Vries", "Niemand uit de groep"] {
        assert!(!mail.contains(secret), "{secret} in the mail: {mail}");
    }
    store.backend().drop_schema().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
