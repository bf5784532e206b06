//! The yearly monitor in headless Chromium: a pupil on a phone types the code from a slip
//! (lower case, with the dash), answers, and lands on the thank-you page; the coordinator
//! sees the results (a class of two respondents without a figure, the class that would give it
//! away hidden too, and why), the list and
//! the slips. axe-core runs on every page; screenshots go to `test-artifacts/monitor-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::browser::{Driver, PHONE, axe_source, check_accessibility};
use common::{PASSWORD, TestApp, seed};
use erbij_core::{Actor, NewPupil, Role};

#[test]
fn a_pupil_answers_the_monitor_on_a_phone_and_the_coordinator_reads_it() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-monitor");
    let seed = seed(&app.platform, "BrowserMonitor");
    // 2B: seven pupils (six answer), 3C: three (two answer).
    for (class, count) in [(seed.class_2b, 6), (seed.class_3c, 2)] {
        for i in 0..count {
            app.platform
                .create_pupil(
                    &seed.admin,
                    class,
                    NewPupil::parse(&format!("Kind{i}"), "", "Monitor", &format!("9{class}{i}"))
                        .unwrap(),
                )
                .unwrap();
        }
    }
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let monitor = app
        .platform
        .start_monitor(&coordinator, "2026-2027")
        .unwrap();
    let (_, codes) = app
        .platform
        .monitor_codes(&coordinator, monitor.id)
        .unwrap();
    let codes: BTreeMap<String, Vec<String>> = codes.into_iter().collect();
    let answer = |code: &str, safe: &str| {
        let mut choices = BTreeMap::new();
        choices.insert("safe_school".to_string(), vec![safe.to_string()]);
        app.platform.submit_monitor_answer(code, &choices).unwrap();
    };
    for code in &codes["2B"][1..6] {
        answer(code, "mostly");
    }
    answer(&codes["3C"][0], "always");
    answer(&codes["3C"][1], "sometimes");

    let driver = Driver::start(&chromium, &chromedriver);
    let mut checked = Vec::new();
    let url = |path: &str| format!("{}{path}", app.base);
    driver.resize(PHONE);

    // The pupil types the slip's code as a phone keyboard gives it.
    driver.goto(&url("/m"));
    check_accessibility(&driver, axe.as_deref(), "monitor code page", &mut checked);
    let code = &codes["2B"][0];
    let typed = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
    driver.type_into("#code", &typed);
    driver.click_to_new_page("form[action='/m'] button");
    driver.wait_until("document.querySelector('input[name=safe_school]') !== null");
    assert_eq!(driver.path(), format!("/m/{code}"));
    assert!(driver.text("main").contains("Ik voel me veilig op school."));
    check_accessibility(&driver, axe.as_deref(), "monitor questions", &mut checked);
    driver.screenshot("monitor-questions");
    driver.resize(PHONE);
    driver.click("input[name=safe_school][value=always]");
    driver.click("input[name=bullied][value=no]");
    driver.click("input[name=would_tell][value=mentor]");
    driver.click("input[name=would_tell][value=parent]");
    driver.click_to_new_page("form button[type=submit]");
    driver.wait_until("location.pathname === '/m'");
    assert!(
        driver
            .text("main")
            .contains("zonder je naam en zonder je code")
    );
    check_accessibility(&driver, axe.as_deref(), "monitor thanks", &mut checked);
    driver.screenshot("monitor-thanks");
    // The code is gone: opening it again says so.
    driver.goto(&url(&format!("/m/{code}")));
    assert!(driver.text("main").contains("al gebruikt"));

    // The coordinator reads the results on the phone.
    driver.resize(PHONE);
    driver.goto(&url("/login"));
    driver.type_into("#email", &seed.emails["coordinator"]);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
    driver.goto(&url("/monitor"));
    check_accessibility(&driver, axe.as_deref(), "monitor list", &mut checked);
    // The slips of the codes not used yet: 2B's last one and 3C's, each with a QR code.
    driver.goto(&url(&format!("/monitor/{}/slips", monitor.id)));
    assert!(driver.text("main").contains("Klas 3C"));
    assert_eq!(
        driver.script("return document.querySelectorAll('li.slip .slip-qr svg').length;"),
        serde_json::json!(2)
    );
    check_accessibility(&driver, axe.as_deref(), "monitor slips", &mut checked);
    driver.screenshot("monitor-slips");
    driver.resize(PHONE);
    driver.goto(&url(&format!("/monitor/{}", monitor.id)));
    // Open: how many answered, no figure yet.
    let main = driver.text("main");
    assert!(
        main.contains("De cijfers verschijnen zodra je de monitor sluit"),
        "{main}"
    );
    assert!(!main.contains("meestal"), "{main}");
    // One class's slips, from the link per class.
    driver.click_to_new_page("a[href$='slips?class=3C']");
    assert_eq!(
        driver.script("return document.querySelectorAll('li.slip').length;"),
        serde_json::json!(1)
    );
    assert!(!driver.text("main").contains("Klas 2B"));
    driver.goto(&url(&format!("/monitor/{}", monitor.id)));
    driver.click_to_new_page("form[action$='/close'] button");
    driver.wait_until("document.querySelector('.notice') !== null");
    let main = driver.text("main");
    assert!(
        main.contains("Hele school · 8 leerlingen antwoordden"),
        "{main}"
    );
    // 3C has two answers; 2B's six would give them away (the school minus 2B): both hidden.
    assert!(main.contains("Klas 3C · geen cijfers"), "{main}");
    assert!(main.contains("Klas 2B · geen cijfers"), "{main}");
    check_accessibility(&driver, axe.as_deref(), "monitor results", &mut checked);
    driver.script("document.querySelectorAll('details').forEach(function (d) { d.open = true; }); return null;");
    let main = driver.text("main");
    assert!(main.contains("minder dan 5 leerlingen"), "{main}");
    assert!(main.contains("gesloten"), "{main}");
    assert!(main.contains("kleinere klas kunnen uitrekenen"), "{main}");
    check_accessibility(
        &driver,
        axe.as_deref(),
        "monitor results (open)",
        &mut checked,
    );
    driver.screenshot("monitor-results");
    // Closed: no codes left to print.
    driver.goto(&url(&format!("/monitor/{}/slips", monitor.id)));
    assert!(driver.text("main").contains("geen ongebruikte codes"));
    if axe.is_some() {
        assert_eq!(checked.len(), 7, "{checked:?}");
    }
}
