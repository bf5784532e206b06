//! Headless Chromium through ChromeDriver (W3C WebDriver over HTTP) for the browser tests,
//! with axe-core's accessibility check and phone/desktop screenshots in `test-artifacts/`.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::temp_dir;

pub const PHONE: (u32, u32) = (390, 844);
pub const DESKTOP: (u32, u32) = (1366, 900);

pub struct Driver {
    process: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Driver {
    pub fn start(chromium: &Path, chromedriver: &Path) -> Driver {
        let port = free_port();
        let process = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let agent = ureq::AgentBuilder::new()
            .timeout(Duration::from_secs(60))
            .build();
        let started = Instant::now();
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = temp_dir("chromium-profile");
        let args = [
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--hide-scrollbars".into(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium.to_string_lossy(), "args": args}
        }}});
        let reply: Value = agent
            .post(&format!("{base}/session"))
            .send_json(capabilities)
            .unwrap()
            .into_json()
            .unwrap();
        let session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"))
            .to_string();
        Driver {
            process,
            base,
            session,
            agent,
        }
    }

    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let request = self.agent.request(method, &url);
        let result = match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        };
        let response = match result {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: {e}"),
        };
        let value: Value = response.into_json().unwrap();
        if let Some(error) = value["value"]["error"].as_str() {
            panic!("{method} {path}: {error}: {}", value["value"]["message"]);
        }
        value["value"].clone()
    }

    pub fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url})));
    }

    pub fn find(&self, css: &str) -> String {
        let value = self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        );
        value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap()
            .to_string()
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({"text": text})),
        );
    }

    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.call(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    /// A Chrome DevTools command through ChromeDriver (`Page.printToPDF` for print views).
    pub fn cdp(&self, command: &str, params: Value) -> Value {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": command, "params": params})),
        )
    }

    pub fn script(&self, script: &str) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    /// Polls a JavaScript condition until it holds: a click that submits a form returns
    /// before the next page has loaded.
    /// Clicks something that loads a new page (a form's submit) and waits until the new
    /// document has replaced the current one, so a following `wait_until` cannot be
    /// satisfied by the page that was already there.
    pub fn click_to_new_page(&self, css: &str) {
        self.script("window.erbijPreviousPage = true; return null;");
        self.click(css);
        self.wait_until("!window.erbijPreviousPage");
    }

    /// After the login button: someone whose role needs two-factor and who has not set it
    /// up yet lands on the set-up page during the grace period; like a user who will do it
    /// later, take the "later" link to the start page.
    pub fn after_login_set_up_two_factor_later(&self) {
        self.wait_until("location.pathname !== '/login'");
        if self.path().starts_with("/account/two-factor") {
            self.click("main a[href='/']");
        }
    }

    pub fn wait_until(&self, condition: &str) {
        let started = Instant::now();
        let script = format!("return document.readyState === 'complete' && !!({condition});");
        while self.script(&script) != json!(true) {
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "timed out waiting for {condition} on {}",
                self.path()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn path(&self) -> String {
        let url = self.call("GET", "/url", None);
        let url = url.as_str().unwrap();
        url.splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default()
    }

    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.call("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    pub fn resize(&self, (width, height): (u32, u32)) {
        self.call(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    pub fn screenshot(&self, name: &str) {
        for (size, label) in [(PHONE, "phone"), (DESKTOP, "desktop")] {
            self.resize(size);
            let png = base64_decode(self.call("GET", "/screenshot", None).as_str().unwrap());
            assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
            std::fs::write(
                erbij_testkit::artifacts_dir().join(format!("{name}-{label}.png")),
                png,
            )
            .unwrap();
        }
        self.resize(DESKTOP);
    }
}

pub fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let v: Vec<u32> = chunk.iter().map(|c| u32::from(value(*c))).collect();
        let n = v
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (x << (18 - 6 * i)));
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

pub fn axe_source() -> Option<String> {
    let path: PathBuf =
        erbij_testkit::workspace_root().join("tests/browser/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) => erbij_testkit::missing(
            &format!(
                "axe-core ({}; run `npm ci` in tests/browser)",
                path.display()
            ),
            "ERBIJ_REQUIRE_BROWSER",
        ),
    }
}

/// Runs axe-core on the current page; fails on serious or critical violations.
pub fn check_accessibility(
    driver: &Driver,
    axe: Option<&str>,
    page: &str,
    checked: &mut Vec<String>,
) {
    let Some(axe) = axe else { return };
    let script = format!(
        "{axe}\n;return axe.run(document).then(function (r) {{ return {{passes: r.passes.length, violations: r.violations.map(function (v) {{ \
         return {{id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map(function (n) {{ return n.target.join(' '); }})}}; }})}}; }});"
    );
    let result = driver.script(&script);
    // An axe that checked nothing would pass everything.
    assert!(
        result["passes"].as_u64().unwrap_or(0) >= 10,
        "{page}: axe-core did not run: {result}"
    );
    let violations = &result["violations"];
    let serious: Vec<&Value> = violations
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    assert!(
        serious.is_empty(),
        "{page}: accessibility violations: {}",
        serde_json::to_string_pretty(&serious).unwrap()
    );
    checked.push(page.to_string());
}
