//! The demo's monitor of last school year against a real store (SQLite always, PostgreSQL
//! when `ERBIJ_TEST_DATABASE_URL` is set): loaded once even when the demo reloads, closed,
//! with figures per class, and a class of four respondents that shows none.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::{Actor, Date, FixedClock, Platform, Role, Store};

fn check_demo(store: Arc<dyn Store>) {
    // 5 December 2026: the school year 2026-2027, so last year's monitor is 2025-2026.
    let now = Date::parse("2026-12-05").unwrap().days_since_epoch() * 86_400 + 10 * 3600;
    let platform = Platform::new(store.clone(), Arc::new(FixedClock::new(now)));
    erbij_core::demo::load_demo(&platform).unwrap();
    erbij_core::demo::load_demo(&platform).unwrap();
    let school = platform
        .find_school(erbij_core::demo::DEMO_SCHOOL)
        .unwrap()
        .unwrap();
    let coordinator = store
        .users(school.id)
        .unwrap()
        .into_iter()
        .find(|u| u.role == Role::Coordinator)
        .unwrap();
    let coordinator = Actor {
        user_id: coordinator.id,
        school_id: school.id,
        role: Role::Coordinator,
    };
    let monitors = platform.monitors(&coordinator).unwrap();
    assert_eq!(monitors.len(), 1, "a reload adds no second monitor");
    assert_eq!(monitors[0].title, "2025-2026");
    assert!(monitors[0].closed_at.is_some());
    let summary = platform
        .monitor_results(&coordinator, monitors[0].id)
        .unwrap();
    let classes: Vec<(&str, usize, bool)> = summary
        .classes
        .iter()
        .map(|t| (t.name.as_str(), t.respondents, t.suppressed))
        .collect();
    // 85% of each class answered; 4V only four: hidden, and 2B (the smallest shown) with
    // it, so the school minus 1A and 3H does not give 4V.
    assert_eq!(
        classes,
        [
            ("1A", 23, false),
            ("2B", 22, true),
            ("3H", 22, false),
            ("4V", 4, true)
        ]
    );
    assert_eq!(summary.school.respondents, 71);
    assert!(!summary.school.suppressed);
    assert!(summary.classes[3].counts.is_empty() && summary.classes[1].counts.is_empty());
    // Nothing left to answer with: the codes of a closed monitor are gone.
    let (_, codes) = platform
        .monitor_codes(&coordinator, monitors[0].id)
        .unwrap();
    assert!(codes.is_empty());
}

#[test]
fn the_demo_holds_last_years_monitor_on_sqlite() {
    let dir = temp_dir("monitor-demo");
    check_demo(Arc::new(erbij_store::open_sqlite_in(&dir).unwrap()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_demo_holds_last_years_monitor_on_postgres() {
    common::on_postgres(
        &format!("erbij_monitor_demo_{}", std::process::id()),
        |url, schema| {
            check_demo(Arc::new(
                erbij_store::open_postgres(url, Some(schema)).unwrap(),
            ));
        },
    );
}
