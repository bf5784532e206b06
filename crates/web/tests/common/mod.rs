//! Starts the real app on 127.0.0.1:0 with a fresh database and talks HTTP to it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod browser;

use std::collections::HashMap;
use std::sync::Arc;

use erbij_core::{
    Actor, ClassId, Clock, NewPupil, Platform, PupilId, Role, SchoolKind, Store, SystemClock,
    UserId,
};

pub const PASSWORD: &str = "een lang testwachtwoord";

pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("erbij-web-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A running app. The server thread ends with the test process.
pub struct TestApp {
    pub base: String,
    pub platform: Platform,
}

impl TestApp {
    pub fn start_sqlite(name: &str) -> TestApp {
        let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&temp_dir(name)).unwrap());
        TestApp::start(store)
    }

    pub fn start(store: Arc<dyn Store>) -> TestApp {
        TestApp::start_with(store, erbij_web::AppConfig::default())
    }

    pub fn start_with(store: Arc<dyn Store>, config: erbij_web::AppConfig) -> TestApp {
        TestApp::start_with_clock(store, config, Arc::new(SystemClock))
    }

    /// With a clock the test controls (two-factor codes, retention, expiry).
    pub fn start_with_clock(
        store: Arc<dyn Store>,
        config: erbij_web::AppConfig,
        clock: Arc<dyn Clock>,
    ) -> TestApp {
        // Evidence goes to a real encrypted vault in a folder of its own.
        let vault = erbij_vault::FileVault::with_key(&temp_dir("vault"), [42; 32]).unwrap();
        let platform = Platform::new(store, clock).with_vault(Arc::new(vault));
        TestApp::start_platform_with(platform, config)
    }

    /// The app over a platform the test built (its own store and vault).
    pub fn start_platform(platform: Platform) -> TestApp {
        TestApp::start_platform_with(platform, erbij_web::AppConfig::default())
    }

    pub fn start_platform_with(platform: Platform, config: erbij_web::AppConfig) -> TestApp {
        let state = erbij_web::AppState::new(platform.clone(), config);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                erbij_web::serve(listener, state, std::future::pending())
                    .await
                    .unwrap();
            });
        });
        let address = rx.recv().unwrap();
        TestApp {
            base: format!("http://{address}"),
            platform,
        }
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }
}

/// The seeded school: every role, two teachers with one class each, and a second school.
pub struct Seed {
    pub admin: Actor,
    pub class_2b: ClassId,
    pub class_3c: ClassId,
    pub pupil_2b: PupilId,
    pub emails: HashMap<&'static str, String>,
    pub user_ids: HashMap<&'static str, UserId>,
}

pub const ACTORS: [&str; 8] = [
    "admin",
    "coordinator",
    "adviser",
    "care",
    "teacher",
    "teacher_other",
    "other_school",
    "anonymous",
];

pub fn seed(platform: &Platform, prefix: &str) -> Seed {
    let school = format!("{prefix} College");
    let mut emails = HashMap::new();
    let mut user_ids = HashMap::new();
    let people: [(&str, Role, &str); 7] = [
        ("admin", Role::Administrator, "school"),
        ("coordinator", Role::Coordinator, "school"),
        ("adviser", Role::ConfidentialAdviser, "school"),
        ("care", Role::CareCoordinator, "school"),
        ("teacher", Role::Teacher, "school"),
        ("teacher_other", Role::Teacher, "school"),
        ("other_school", Role::Administrator, "other"),
    ];
    let other_school = format!("{prefix} Other School");
    platform.add_school(&school, SchoolKind::Secondary).ok();
    platform
        .add_school(&other_school, SchoolKind::Secondary)
        .ok();
    let mut admin = None;
    for (who, role, which) in people {
        let email = format!("{who}@{}.example", prefix.to_lowercase());
        let school_name = if which == "school" {
            &school
        } else {
            &other_school
        };
        let (_, user) = platform
            .operator_add_user(
                Some(school_name),
                SchoolKind::Secondary,
                &email,
                &format!("Test {who}"),
                role,
                PASSWORD,
            )
            .unwrap();
        if who == "admin" {
            admin = Some(Actor {
                user_id: user.id,
                school_id: user.school_id,
                role,
            });
        }
        emails.insert(who, email);
        user_ids.insert(who, user.id);
    }
    let admin = admin.unwrap();
    let class_2b = platform.create_class(&admin, "2B").unwrap();
    let class_3c = platform.create_class(&admin, "3C").unwrap();
    platform
        .assign_teacher(&admin, class_2b.id, user_ids["teacher"])
        .unwrap();
    platform
        .assign_teacher(&admin, class_3c.id, user_ids["teacher_other"])
        .unwrap();
    let pupil = platform
        .create_pupil(
            &admin,
            class_2b.id,
            NewPupil::parse("Mila", "de", "Vries", "2001").unwrap(),
        )
        .unwrap();
    platform
        .create_pupil(
            &admin,
            class_3c.id,
            NewPupil::parse("Sem", "", "Bakker", "3001").unwrap(),
        )
        .unwrap();
    Seed {
        admin,
        class_2b: class_2b.id,
        class_3c: class_3c.id,
        pupil_2b: pupil.id,
        emails,
        user_ids,
    }
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn location(&self) -> &str {
        self.header("location").unwrap_or("")
    }
}

/// A browser-like client: keeps cookies, follows no redirects.
pub struct Client {
    base: String,
    agent: ureq::Agent,
    pub cookies: HashMap<String, String>,
    pub bearer: Option<String>,
}

/// The value of the first `name="csrf"` field in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    html.find(marker)
        .map(|at| {
            html[at + marker.len()..]
                .chars()
                .take_while(|c| *c != '"')
                .collect()
        })
        .unwrap_or_default()
}

impl Client {
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_string(),
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            cookies: HashMap::new(),
            bearer: None,
        }
    }

    pub fn request(&mut self, method: &str, path: &str, body: Option<(&str, Vec<u8>)>) -> Reply {
        let mut request = self.agent.request(method, &format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.set("Cookie", &cookie);
        }
        if let Some(token) = &self.bearer {
            request = request.set("Authorization", &format!("Bearer {token}"));
        }
        let result = match body {
            Some((content_type, bytes)) => {
                request.set("Content-Type", content_type).send_bytes(&bytes)
            }
            None => request.call(),
        };
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(err) => panic!("{method} {path}: {err}"),
        };
        let status = response.status();
        let mut headers = Vec::new();
        for name in response.headers_names() {
            for value in response.all(&name) {
                headers.push((name.clone(), value.to_string()));
            }
        }
        for (name, value) in &headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                let pair = value.split(';').next().unwrap_or("");
                if let Some((k, v)) = pair.split_once('=') {
                    if value.contains("Max-Age=0") {
                        self.cookies.remove(k);
                    } else {
                        self.cookies.insert(k.to_string(), v.to_string());
                    }
                }
            }
        }
        let body = response.into_string().unwrap_or_default();
        Reply {
            status,
            body,
            headers,
        }
    }

    pub fn get(&mut self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    pub fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.request(
            "POST",
            path,
            Some(("application/x-www-form-urlencoded", body.into_bytes())),
        )
    }

    pub fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Reply {
        let boundary = "erbijtestboundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        if let Some((filename, bytes)) = file {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        self.request("POST", path, Some((&content_type, body)))
    }

    pub fn send_json(&mut self, method: &str, path: &str, json: &str) -> Reply {
        self.request(
            method,
            path,
            Some(("application/json", json.as_bytes().to_vec())),
        )
    }

    /// Logs in through the login form; panics unless it succeeds.
    pub fn login(&mut self, email: &str, password: &str) -> Reply {
        let form = self.get("/login");
        let csrf = csrf_in(&form.body);
        let reply = self.post_form(
            "/login",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        );
        assert_eq!(reply.status, 303, "login of {email} failed: {}", reply.body);
        reply
    }

    /// The session's CSRF token, read from a page.
    pub fn session_csrf(&mut self) -> String {
        csrf_in(&self.get("/account").body)
    }
}

pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
