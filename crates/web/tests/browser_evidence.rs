//! Evidence in headless Chromium on a phone-sized window: the mentor uploads a screenshot
//! and a chat export to a case, sees the findings with their quoted lines, takes one into
//! the case, downloads the bundle (through the page's own form) and it verifies; a pupil
//! files a report with a screenshot on Meld het, and the coordinator sees it on the start
//! page. axe-core checks every page; screenshots go to `test-artifacts/evidence-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::browser::{Driver, PHONE, axe_source, base64_decode, check_accessibility};
use common::{PASSWORD, TestApp, seed, temp_dir};
use erbij_core::cases::{NewCase, Origin};
use erbij_core::{Actor, Role};
use serde_json::json;

/// A real 1x1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

fn log_in(driver: &Driver, base: &str, email: &str) {
    driver.goto(&format!("{base}/login"));
    driver.type_into("#email", email);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
}

fn log_out(driver: &Driver) {
    driver.click("form[action='/logout'] button");
    driver.wait_until("location.pathname === '/login'");
}

#[test]
fn evidence_and_meld_het_in_the_browser_on_a_phone() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-evidence");
    let seed = seed(&app.platform, "Bewijs");
    let teacher = Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    };
    let case = app
        .platform
        .open_case(
            &teacher,
            NewCase {
                pupil_id: seed.pupil_2b,
                origin: Origin::Chat,
                origin_ref: None,
                summary: "Mila is uit de groepsapp gezet.".into(),
                owner_id: None,
            },
        )
        .unwrap()
        .id;
    let driver = Driver::start(&chromium, &chromedriver);
    driver.resize(PHONE);
    let mut checked = Vec::new();
    let url = |path: &str| format!("{}{path}", app.base);
    let files = temp_dir("browser-evidence-files");

    log_in(&driver, &app.base, &seed.emails["teacher"]);
    let page = format!("/cases/{}/evidence", case.0);
    driver.goto(&url(&page));
    // The warning stands before the file input.
    assert_eq!(
        driver.script("var w = document.querySelector('.warning'); var f = document.querySelector('#file'); return !!(w.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);"),
        json!(true)
    );
    assert!(
        driver
            .text(".warning")
            .contains("naaktbeelden van minderjarigen")
    );
    check_accessibility(&driver, axe.as_deref(), "evidence (empty)", &mut checked);
    driver.screenshot("evidence-upload-form");

    // A screenshot.
    let shot = files.join("screenshot klasapp.png");
    std::fs::write(&shot, PNG).unwrap();
    driver.type_into("#file", &shot.to_string_lossy());
    driver.type_into("#description", "Screenshot van de klasapp");
    driver.type_into("#handed_in_by", "Mila");
    driver.click(&format!("form[action='{page}'] button"));
    driver.wait_until("document.querySelector('.notice')");
    assert!(driver.text(".notice").contains("versleuteld opgeslagen"));

    // A chat export, with who made it.
    let chat = files.join("feestje.txt");
    std::fs::copy(
        erbij_testkit::workspace_root().join("examples/feestje-zonder-mila.txt"),
        &chat,
    )
    .unwrap();
    driver.type_into("#file", &chat.to_string_lossy());
    driver.type_into("#handed_in_by", "Mila");
    driver.type_into("#exporter", "Sanne");
    driver.click(&format!("form[action='{page}'] button"));
    driver.wait_until("document.querySelectorAll('.evidence-files > li').length === 2");

    // The findings, with their quoted lines linked to the file and line.
    let findings = driver.text("ol.findings");
    assert!(findings.contains("Feestje zonder Mila"), "{findings}");
    assert!(findings.contains("zekerheid"), "{findings}");
    assert!(
        driver.script(
            "return document.querySelectorAll('ul.quotes a[href*=\"#line-\"]').length > 0;"
        ) == json!(true)
    );
    check_accessibility(
        &driver,
        axe.as_deref(),
        "evidence with findings",
        &mut checked,
    );
    driver.resize(PHONE);
    driver.screenshot("evidence-findings");
    driver.resize(PHONE);
    // Follow a quote to its line.
    driver.script("document.querySelector('ul.quotes a[href*=\"#line-\"]').click(); return null;");
    driver.wait_until("location.pathname.indexOf('/evidence/') === 0");
    assert!(driver.script("return !!document.querySelector('li:target');") == json!(true));
    check_accessibility(&driver, axe.as_deref(), "chat lines", &mut checked);
    driver.screenshot("evidence-chat-lines");
    driver.resize(PHONE);

    // Take the first finding into the case as a step.
    driver.goto(&url(&page));
    driver.click("form[action$='/findings/step'] button");
    driver.wait_until("document.querySelector('.notice')");
    assert!(driver.text(".notice").contains("als stap"));

    // Download the bundle through the page's own form, as the browser sends it.
    driver.type_into("#bundle-reason", "gesprek met ouders");
    let zip_b64 = driver.call(
        "POST",
        "/execute/async",
        Some(json!({"script": "var done = arguments[arguments.length - 1]; var form = document.querySelector(\"form[action$='/bundle']\"); fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))}).then(function (r) { return r.arrayBuffer(); }).then(function (b) { var s = ''; var a = new Uint8Array(b); for (var i = 0; i < a.length; i++) { s += String.fromCharCode(a[i]); } done(btoa(s)); });", "args": []})),
    );
    let zip = base64_decode(zip_b64.as_str().unwrap());
    let bundle = files.join("bundel.zip");
    std::fs::write(&bundle, &zip).unwrap();
    let verdict = erbij_bundle::verify_zip(std::io::Cursor::new(&zip));
    assert!(verdict.is_ok(), "{:?}", verdict.problems);
    assert_eq!(
        verdict.files, 4,
        "two originals, the findings, the custody log"
    );
    log_out(&driver);

    // A pupil reports, with a screenshot, without an account.
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let code = app.platform.report_code(&coordinator).unwrap();
    driver.goto(&url(&format!("/m/{code}")));
    assert!(driver.text("main").contains("0800-0432"));
    check_accessibility(&driver, axe.as_deref(), "meld het", &mut checked);
    driver.screenshot("evidence-meld-het");
    driver.resize(PHONE);
    driver.type_into(
        "#what",
        "Ze hebben een groep gemaakt zonder mij en lachen erom in de klas.",
    );
    driver.type_into("#file", &shot.to_string_lossy());
    driver.click("form[action^='/m/'] button");
    driver.wait_until("document.querySelector('h1') && document.querySelector('h1').textContent.indexOf('Bedankt') === 0");
    let thanks = driver.text("main");
    assert!(
        thanks.contains("0800-0432") && thanks.contains("Wat gebeurt er nu?"),
        "{thanks}"
    );
    check_accessibility(&driver, axe.as_deref(), "meld het: thanks", &mut checked);
    driver.screenshot("evidence-meld-thanks");
    driver.resize(PHONE);

    // The coordinator sees it on the start page and opens it.
    log_in(&driver, &app.base, &seed.emails["coordinator"]);
    assert!(driver.text("main").contains("1 nieuwe melding"));
    driver.goto(&url("/reports"));
    check_accessibility(&driver, axe.as_deref(), "reports", &mut checked);
    driver.screenshot("evidence-reports");
    driver.resize(PHONE);
    driver.click("ul.reports a");
    driver.wait_until("location.pathname.indexOf('/reports/') === 0");
    assert!(driver.text("main").contains("groep gemaakt zonder mij"));
    assert!(driver.text("main").contains("anoniem"));
    check_accessibility(&driver, axe.as_deref(), "report", &mut checked);
    driver.screenshot("evidence-report");
    driver.goto(&url("/reports/poster"));
    check_accessibility(&driver, axe.as_deref(), "poster", &mut checked);
    driver.screenshot("evidence-poster");
    driver.resize(PHONE);

    // A quick look from the class page: findings, nothing stored.
    driver.goto(&url(&format!("/classes/{}/quick-look", seed.class_2b.0)));
    check_accessibility(&driver, axe.as_deref(), "quick look", &mut checked);
    driver.type_into("#file", &chat.to_string_lossy());
    driver.type_into("#exporter", "Sanne");
    driver.click("form[action$='/quick-look'] button");
    driver.wait_until("document.querySelector('ol.findings')");
    assert!(driver.text("ol.findings").contains("Feestje zonder Mila"));
    check_accessibility(&driver, axe.as_deref(), "quick look findings", &mut checked);
    driver.screenshot("evidence-quick-look");
    assert_eq!(checked.len(), 10, "{checked:?}");
}
