//! Set-up shared by the store's test files: a fresh SQLite folder, a fresh PostgreSQL schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

/// A new, empty folder under the system's temporary folder.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!("erbij-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `test` with the server's URL and a fresh schema, and drops the schema afterwards,
/// also when the test fails. Without a PostgreSQL server it returns at once (the testkit
/// prints the NOTICE, or fails when ERBIJ_REQUIRE_POSTGRES is set).
pub fn on_postgres(schema: &str, test: impl FnOnce(&str, &str)) {
    let Some(url) = erbij_testkit::postgres_url() else {
        return;
    };
    let store = erbij_store::open_postgres(&url, Some(schema)).unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| test(&url, schema)));
    store.backend().drop_schema().unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
