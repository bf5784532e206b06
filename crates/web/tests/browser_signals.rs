//! Signals in headless Chromium on a phone-sized window: from the class page a teacher
//! records a sign in at most three taps, sees it on the timeline (a note with HTML shown
//! escaped), and the pupil appears on "Aandacht nodig" with the reason in words. The
//! coordinator's rules page and the class grid are checked too. axe-core runs on every
//! page; screenshots go to `test-artifacts/signals-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::browser::{Driver, PHONE, axe_source, check_accessibility};
use common::{PASSWORD, TestApp, seed};

#[test]
fn a_teacher_records_a_sign_in_three_taps_on_a_phone() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-signals");
    let seed = seed(&app.platform, "BrowserSignals");
    let driver = Driver::start(&chromium, &chromedriver);
    let mut checked = Vec::new();
    let url = |path: &str| format!("{}{path}", app.base);
    driver.resize(PHONE);

    // The mentor of 2B logs in and opens the class.
    driver.goto(&url("/login"));
    driver.type_into("#email", &seed.emails["teacher"]);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
    driver.goto(&url(&format!("/classes/{}", seed.class_2b)));
    check_accessibility(
        &driver,
        axe.as_deref(),
        "class page (teacher)",
        &mut checked,
    );

    // Tap 1: the pupil. Tap 2: the sign. Done.
    let mut taps = 0;
    driver.click("a.pupil-link");
    taps += 1;
    driver.wait_until("location.pathname.endsWith('/signals')");
    check_accessibility(&driver, axe.as_deref(), "pupil signals", &mut checked);
    driver.screenshot("signals-pupil-before");
    driver.resize(PHONE);
    driver.click_to_new_page("button.sign[value='alone_at_break']");
    taps += 1;
    driver.wait_until("document.querySelector('.recorded') !== null");
    assert!(taps <= 3, "{taps} taps after the class page");
    assert!(driver.text(".recorded").contains("alleen in de pauze"));
    assert!(
        driver
            .text("ol.timeline")
            .contains("Gezien door Test teacher")
    );
    check_accessibility(
        &driver,
        axe.as_deref(),
        "pupil signals recorded",
        &mut checked,
    );
    driver.screenshot("signals-recorded");
    driver.resize(PHONE);

    // Two more kinds, one with a note holding HTML: shown as text, never as markup.
    driver.click("details.extra summary");
    driver.type_into("#note", "<b>vet</b> en <script>alert(1)</script>");
    driver.click_to_new_page("button.sign[value='chosen_last']");
    driver.wait_until("document.querySelector('.recorded') !== null");
    let note = driver.text("ol.timeline .note");
    assert!(note.contains("<b>vet</b>"), "{note}");
    assert_eq!(
        driver
            .script("return document.querySelectorAll('ol.timeline b, ol.timeline script').length;")
            .as_u64(),
        Some(0)
    );
    driver.click_to_new_page("button.sign[value='absent_ill']");
    driver.wait_until("document.querySelector('.recorded') !== null");

    // Undo the last one within the minute.
    driver.click_to_new_page(".recorded form button");
    driver.wait_until("document.querySelector('.notice') !== null");
    assert!(driver.text(".notice").contains("ongedaan"));
    driver.click_to_new_page("button.sign[value='absent_ill']");
    driver.wait_until("document.querySelector('.recorded') !== null");

    // The sign's own page: correct or withdraw, with its history.
    driver.click("ol.timeline a[href^='/signals/']");
    driver.wait_until("location.pathname.startsWith('/signals/')");
    check_accessibility(&driver, axe.as_deref(), "sign", &mut checked);
    driver.screenshot("signals-sign");
    driver.resize(PHONE);

    // Aandacht nodig: three different signs within four weeks.
    driver.goto(&url("/early-warning"));
    let list = driver.text("ul.warnings");
    assert!(list.contains("Mila de Vries"), "{list}");
    assert!(
        list.contains("3 verschillende signalen in 4 weken"),
        "{list}"
    );
    check_accessibility(&driver, axe.as_deref(), "early warning", &mut checked);
    driver.screenshot("signals-early-warning");
    driver.resize(PHONE);

    // The class grid for the mentor.
    driver.goto(&url(&format!("/classes/{}/signals", seed.class_2b)));
    assert!(driver.text("table.sign-grid").contains("Vries, Mila de"));
    check_accessibility(&driver, axe.as_deref(), "class grid", &mut checked);
    driver.screenshot("signals-class-grid");

    // The coordinator's rules page.
    driver.resize(PHONE);
    driver.click("form[action='/logout'] button");
    driver.wait_until("location.pathname === '/login'");
    driver.type_into("#email", &seed.emails["coordinator"]);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
    driver.goto(&url("/early-warning/rules"));
    check_accessibility(&driver, axe.as_deref(), "rules", &mut checked);
    driver.screenshot("signals-rules");
    driver.resize(PHONE);
    // Lower the kinds rule to 2 within 7 days and save.
    driver.script(
        "document.querySelector('#min_count_0').value = '2'; document.querySelector('#window_days_0').value = '7';",
    );
    driver.click_to_new_page("form[action='/early-warning/rules'] button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    assert!(
        driver
            .text("main")
            .contains("minstens 2 verschillende soorten signalen binnen 7 dagen")
    );

    if axe.is_some() {
        assert_eq!(checked.len(), 7, "{checked:?}");
    }
}
