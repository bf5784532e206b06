//! Test support: finds what the tests need outside the repository (the shared fixtures,
//! a PostgreSQL server, Chromium) and decides between skipping and failing.
//!
//! On a user's machine a missing resource skips the test with a visible notice, so the
//! README's test command passes on a fresh clone. In CI (`ERBIJ_REQUIRE_SHARED=1`,
//! `ERBIJ_REQUIRE_POSTGRES=1`, `ERBIJ_REQUIRE_BROWSER=1`) a missing resource fails the test.
//! Only for tests: never a dependency of a shipped crate.

#![allow(clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// The repository's root (the workspace folder).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn required(var: &str) -> bool {
    std::env::var(var).is_ok_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
}

/// Skip (return `None` after a notice on stderr) or, when `require_var` is set, fail.
pub fn missing<T>(what: &str, require_var: &str) -> Option<T> {
    if required(require_var) {
        panic!("{what} is required ({require_var}=1) but missing");
    }
    // Written to stderr directly, not with `eprintln!`: the test harness captures the
    // macros' output of passing tests, and a skip must be visible.
    let _ = writeln!(
        std::io::stderr(),
        "NOTICE: skipping test: {what} is missing (set {require_var}=1 to make this an error)"
    );
    None
}

/// `../shared/fixtures` (or `$ERBIJ_SHARED_DIR/fixtures`), or `None` with a skip notice.
pub fn shared_fixtures() -> Option<PathBuf> {
    let shared = std::env::var_os("ERBIJ_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"));
    let fixtures = shared.join("fixtures");
    if fixtures.is_dir() {
        Some(fixtures)
    } else {
        missing(
            &format!("the shared fixtures folder {}", fixtures.display()),
            "ERBIJ_REQUIRE_SHARED",
        )
    }
}

/// `ERBIJ_TEST_DATABASE_URL`, or `None` with a skip notice.
pub fn postgres_url() -> Option<String> {
    match std::env::var("ERBIJ_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => missing(
            "PostgreSQL (ERBIJ_TEST_DATABASE_URL is not set)",
            "ERBIJ_REQUIRE_POSTGRES",
        ),
    }
}

/// Paths to Chromium and ChromeDriver (`ERBIJ_CHROMIUM`, `ERBIJ_CHROMEDRIVER`, or the
/// Debian locations), or `None` with a skip notice.
pub fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("ERBIJ_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let driver = std::env::var_os("ERBIJ_CHROMEDRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    if chromium.is_file() && driver.is_file() {
        Some((chromium, driver))
    } else {
        missing(
            &format!(
                "Chromium ({}) or ChromeDriver ({})",
                chromium.display(),
                driver.display()
            ),
            "ERBIJ_REQUIRE_BROWSER",
        )
    }
}

/// Where tests put artifacts worth looking at (screenshots, reports): `test-artifacts/`.
pub fn artifacts_dir() -> PathBuf {
    let dir = workspace_root().join("test-artifacts");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

/// Whether Python can import `module` (e.g. `bagit`, installed by `.ci/run`); `false` with
/// a skip notice, or a failure when `require_var` is set.
pub fn python_module(module: &str, require_var: &str) -> bool {
    let found = std::process::Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|out| out.status.success());
    found
        || missing::<()>(
            &format!("the Python module `{module}` (pip install {module})"),
            require_var,
        )
        .is_some()
}
