//! The case file in headless Chromium, from "Aandacht nodig" to "gesloten — opgelost", once
//! on a phone (390 px wide) and once on a desktop (1280 px): the mentor sees the pupil on
//! the early-warning list, opens a case from there (the origin is the list and is shown),
//! adds people with their roles, logs a class conversation and a conversation with one
//! pupil, makes an agreement checked today, records the check as kept and closes the case
//! as solved. axe-core runs on every page visited. The print view is then rendered to PDF
//! by Chromium (DevTools `Page.printToPDF` through ChromeDriver, paper size from the
//! page's CSS) and read back with poppler's `pdftotext`/`pdfinfo`: A4, the school's name,
//! the steps, the agreement, an evidence file's SHA-256 and a finding. Screenshots and the
//! PDF with its pages as PNG go to `test-artifacts/cases-*`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use common::browser::{Driver, PHONE, axe_source, base64_decode, check_accessibility};
use common::{PASSWORD, Seed, TestApp, seed};
use erbij_core::cases::CaseId;
use erbij_core::evidence::NewEvidence;
use erbij_core::signals::SignalInput;
use erbij_core::{Actor, NewPupil, PupilId, Role};
use serde_json::{Value, json};

const DESKTOP_1280: (u32, u32) = (1280, 900);

fn log_in(driver: &Driver, base: &str, email: &str) {
    driver.goto(&format!("{base}/login"));
    driver.type_into("#email", email);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
}

/// A screenshot of the whole page at the window's current width.
fn shot(driver: &Driver, (width, height): (u32, u32), name: &str) {
    let full = driver
        .script("return document.documentElement.scrollHeight;")
        .as_u64()
        .unwrap_or(u64::from(height));
    let full = u32::try_from(full).unwrap_or(height).clamp(height, 8000);
    driver.resize((width, full));
    let png = base64_decode(driver.call("GET", "/screenshot", None).as_str().unwrap());
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    std::fs::write(
        erbij_testkit::artifacts_dir().join(format!("cases-{name}-{width}.png")),
        png,
    )
    .unwrap();
    driver.resize((width, height));
}

fn teacher(seed: &Seed) -> Actor {
    Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    }
}

fn pupil(app: &TestApp, seed: &Seed, first: &str, last: &str, number: &str) -> PupilId {
    app.platform
        .create_pupil(
            &seed.admin,
            seed.class_2b,
            NewPupil::parse(first, "", last, number).unwrap(),
        )
        .unwrap()
        .id
}

/// Three different signs this week: the pupil is on "Aandacht nodig".
fn flag(app: &TestApp, seed: &Seed, pupil: PupilId) {
    for kind in ["alone_at_break", "chosen_last", "nickname"] {
        app.platform
            .record_signal(
                &teacher(seed),
                pupil,
                &SignalInput {
                    kind: kind.into(),
                    seen_on: None,
                    note: None,
                },
            )
            .unwrap();
    }
}

/// Sets a form control's value the way a person picks it (selects, dates).
fn set_value(driver: &Driver, css: &str, value: &str) {
    driver.script(&format!(
        "var e = document.querySelector({}); e.value = {}; return null;",
        json!(css),
        json!(value)
    ));
}

/// The walk from the early-warning list to a closed case, at one window size. Returns the
/// case's id.
#[allow(clippy::too_many_arguments)]
fn walk(
    driver: &Driver,
    app: &TestApp,
    size: (u32, u32),
    excluded: (PupilId, &str),
    excluding: (PupilId, &str),
    bystander: (PupilId, &str),
    axe: Option<&str>,
    checked: &mut Vec<String>,
) -> CaseId {
    let label = format!("{}px", size.0);
    let url = |path: &str| format!("{}{path}", app.base);
    let check = |page: &str, checked: &mut Vec<String>| {
        check_accessibility(driver, axe, &format!("{page} ({label})"), checked);
    };
    driver.resize(size);

    // The pupil is on the early-warning list, with a way to open a case right there.
    driver.goto(&url("/early-warning"));
    let list = driver.text("ul.warnings");
    assert!(list.contains(excluded.1), "{list}");
    check("early warning", checked);
    shot(driver, size, "1-early-warning");
    driver.click_to_new_page(&format!(
        "a.open-case[href^='/cases/new?pupil={}&origin=signal&ref=']",
        excluded.0.0
    ));
    driver.wait_until("location.pathname === '/cases/new'");
    let form = driver.text("main");
    assert!(form.contains(excluded.1), "{form}");
    assert!(
        form.contains("Aanleiding: signaal of lijst 'Aandacht nodig'"),
        "{form}"
    );
    check("new case", checked);
    shot(driver, size, "2-new-case");
    driver.type_into(
        "#summary",
        "Staat al weken alleen in de pauze; krijgt een bijnaam.",
    );
    driver.click_to_new_page("form[action='/cases'] button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    let path = driver.path();
    let id: i64 = path
        .trim_start_matches("/cases/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("not a case page: {path}"));
    let head = driver.text("main");
    assert!(head.contains("Het dossier is geopend."), "{head}");
    // The origin is the early-warning list, linked to the sign it came from.
    assert!(
        head.contains("Aanleiding: signaal of lijst 'Aandacht nodig' (bekijken)"),
        "{head}"
    );
    assert_eq!(
        driver.script("return document.querySelector('main a[href^=\"/signals/\"]') !== null;"),
        json!(true)
    );
    check("case opened", checked);

    // People with their roles.
    for (person, role) in [(excluding, "excluding"), (bystander, "bystander")] {
        driver.click("#people details summary");
        set_value(driver, "#person-pupil", &person.0.0.to_string());
        set_value(driver, "#person-role", role);
        driver.click_to_new_page("form[action$='/people'] button[type='submit']");
        driver.wait_until("document.querySelector('.notice') !== null");
    }
    let people = driver.text("ul.people");
    assert!(
        people.contains(&format!("{} · wordt buitengesloten", excluded.1)),
        "{people}"
    );
    assert!(
        people.contains(&format!("{} · sluit buiten", excluding.1)),
        "{people}"
    );
    assert!(
        people.contains(&format!("{} · omstander", bystander.1)),
        "{people}"
    );

    // A class conversation (no pupil ticked) and a conversation with one pupil apart: the
    // form suggests the pupil not yet spoken to.
    set_value(driver, "#step-kind", "class_conversation");
    driver.script(
        "document.querySelectorAll('form[action$=\"/steps\"] input[name=pupil_ids]').forEach(function (c) { c.checked = false; }); return null;",
    );
    driver.type_into(
        "#step-note",
        "Klassengesprek over wie er mag meedoen in de pauze.",
    );
    driver.click_to_new_page("form[action$='/steps'] button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    assert_eq!(
        driver
            .script("return document.querySelector('#step-kind').value;")
            .as_str(),
        Some("pupil_conversation")
    );
    let suggestion = driver.text("form[action$='/steps'] .hint");
    assert!(suggestion.contains(excluded.1), "{suggestion}");
    driver.type_into("#step-note", "Apart gesproken; wil graag weer meedoen.");
    driver.click_to_new_page("form[action$='/steps'] button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    let steps = driver.text("#steps ol.timeline");
    assert!(steps.contains("Klassengesprek"), "{steps}");
    assert!(
        steps.contains(&format!("Gesprek met een leerling apart · {}", excluded.1)),
        "{steps}"
    );
    check("case with steps", checked);
    shot(driver, size, "3-steps");

    // An agreement with a check date today.
    let today = driver
        .script("return document.querySelector('#step-on').value;")
        .as_str()
        .unwrap()
        .to_owned();
    let agreement = format!(
        "{} nodigt {} weer uit in de pauze en niemand wordt buitengesloten.",
        excluding.1, excluded.1
    );
    driver.type_into("#agreement-text", &agreement);
    driver.script(&format!(
        "document.querySelector('form[action$=\"/agreements\"] input[name=pupil_ids][value=\"{}\"]').checked = true; return null;",
        excluding.0.0
    ));
    set_value(driver, "#agreement-check", &today);
    driver.click_to_new_page("form[action$='/agreements'] button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    assert!(driver.text("#agreements").contains(&agreement));
    // Not yet checked: closing as solved is refused and the page names the agreement.
    assert!(driver.text(".holds").contains(&agreement));

    // The check: kept.
    driver.click("form[action$='/checks'] input[value='kept']");
    driver.type_into(
        "form[action$='/checks'] textarea",
        "Gecheckt bij beiden: het gaat goed.",
    );
    driver.click_to_new_page("form[action$='/checks'] button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    let agreements = driver.text("#agreements");
    assert!(agreements.contains("nagekomen"), "{agreements}");
    assert_eq!(
        driver.script("return document.querySelector('.holds') === null;"),
        json!(true)
    );
    check("case with a kept agreement", checked);
    shot(driver, size, "4-checked");

    // Close as solved.
    driver.click("#close input[value='solved']");
    driver.type_into("#close-note", "Afspraak nagekomen; weer in de groep.");
    driver.click_to_new_page("#close button[type='submit']");
    driver.wait_until("document.querySelector('.notice') !== null");
    assert_eq!(driver.text(".case-head .status"), "gesloten — opgelost");
    check("case closed", checked);
    shot(driver, size, "5-closed");

    // The list says so too.
    driver.goto(&url("/cases"));
    let list = driver.text("main");
    assert!(list.contains("gesloten — opgelost"), "{list}");
    check("case list", checked);
    CaseId(id)
}

/// Runs a poppler tool; `None` (with a notice, or a failure under ERBIJ_REQUIRE_BROWSER)
/// when it is not installed.
fn poppler(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) => {
            assert!(
                out.status.success(),
                "{tool} {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(_) => {
            erbij_testkit::missing(&format!("{tool} (poppler-utils)"), "ERBIJ_REQUIRE_BROWSER")
        }
    }
}

#[test]
fn a_case_from_the_early_warning_list_to_solved_on_a_phone_and_a_desktop_and_its_print() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-cases");
    let seed = seed(&app.platform, "Dossier");
    let mila = seed.pupil_2b;
    let sanne = pupil(&app, &seed, "Sanne", "Jansen", "2002");
    let daan = pupil(&app, &seed, "Daan", "Smit", "2003");
    let noor = pupil(&app, &seed, "Noor", "Bakker", "2004");
    flag(&app, &seed, mila);
    flag(&app, &seed, noor);
    let driver = Driver::start(&chromium, &chromedriver);
    let mut checked = Vec::new();

    // The coordinator reaches the letter templates from the menu.
    log_in(&driver, &app.base, &seed.emails["coordinator"]);
    driver.resize(PHONE);
    driver.click_to_new_page("nav a[href='/settings/letters']");
    driver.wait_until("location.pathname === '/settings/letters'");
    assert!(driver.text("h1").contains("Brieven aan ouders"));
    driver.click("form[action='/logout'] button");
    driver.wait_until("location.pathname === '/login'");

    log_in(&driver, &app.base, &seed.emails["teacher"]);
    assert_eq!(
        driver
            .script("return document.querySelector(\"nav a[href='/settings/letters']\") === null;"),
        json!(true),
        "a teacher has no letters link"
    );
    let phone_case = walk(
        &driver,
        &app,
        PHONE,
        (mila, "Mila de Vries"),
        (sanne, "Sanne Jansen"),
        (daan, "Daan Smit"),
        axe.as_deref(),
        &mut checked,
    );
    let desktop_case = walk(
        &driver,
        &app,
        DESKTOP_1280,
        (noor, "Noor Bakker"),
        (daan, "Daan Smit"),
        (sanne, "Sanne Jansen"),
        axe.as_deref(),
        &mut checked,
    );
    assert_ne!(phone_case, desktop_case);

    // Evidence for the phone case: a chat export with findings and a screenshot.
    let chat =
        std::fs::read(erbij_testkit::workspace_root().join("examples/feestje-zonder-mila.txt"))
            .unwrap();
    let export = app
        .platform
        .add_evidence(
            &teacher(&seed),
            phone_case,
            NewEvidence {
                file_name: "klasapp.txt".into(),
                bytes: chat,
                description: "Export van de groepsapp".into(),
                made_on: "2025-09-13".into(),
                handed_in_by: "moeder van Mila".into(),
                exporter: "Sanne".into(),
                corrects: None,
            },
        )
        .unwrap();

    // The print view: no navigation, no forms; then Chromium makes a PDF of it.
    driver.resize(DESKTOP_1280);
    driver.goto(&format!("{}/cases/{}/print", app.base, phone_case.0));
    assert_eq!(
        driver.script(
            "return document.querySelectorAll('form, button, header.site-header, form[action=\"/logout\"]').length;"
        ),
        json!(0)
    );
    check_accessibility(&driver, axe.as_deref(), "print view", &mut checked);
    shot(&driver, PHONE, "6-print");
    shot(&driver, DESKTOP_1280, "6-print");
    let pdf: Value = driver.call(
        "POST",
        "/goog/cdp/execute",
        Some(json!({"cmd": "Page.printToPDF", "params": {"preferCSSPageSize": true, "printBackground": true}})),
    );
    let pdf = base64_decode(pdf["data"].as_str().unwrap());
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let artifacts = erbij_testkit::artifacts_dir();
    let pdf_path = artifacts.join("cases-print.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    let pdf_arg = pdf_path.to_string_lossy().into_owned();
    if let Some(info) = poppler("pdfinfo", &[&pdf_arg]) {
        assert!(
            info.lines()
                .any(|l| l.starts_with("Page size:") && l.contains("(A4)")),
            "{info}"
        );
    }
    if let Some(text) = poppler("pdftotext", &[&pdf_arg, "-"]) {
        // Lines wrap where the paper ends: compare with runs of white space as one space.
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let today = erbij_core::Date::in_amsterdam(app.platform.now()).dutch();
        for expected in [
            "Dossier College".to_owned(),
            "Pestdossier: Mila de Vries (2B)".to_owned(),
            format!("Stand gesloten — opgelost · op {today}"),
            "Notitie bij het sluiten Afspraak nagekomen; weer in de groep.".to_owned(),
            format!("{today} Klassengesprek"),
            "Klassengesprek over wie er mag meedoen in de pauze.".to_owned(),
            "Apart gesproken; wil graag weer meedoen.".to_owned(),
            "Sanne Jansen nodigt Mila de Vries weer uit in de pauze en niemand wordt buitengesloten.".to_owned(),
            format!("{today}: nagekomen · Gecheckt bij beiden: het gaat goed."),
            "klasapp.txt".to_owned(),
            "Aangeleverd door moeder van Mila · gemaakt op 13-09-2025".to_owned(),
            "Toegevoegd en meteen weer verwijderd".to_owned(),
            "Feestje zonder Mila".to_owned(),
            "heeft Mila verwijderd".to_owned(),
        ] {
            assert!(text.contains(&expected), "{expected:?} not in the PDF:\n{text}");
        }
        // The hash in full (a line break inside it would still be the same hash).
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        assert!(
            compact.contains(&format!("SHA-256:{}", export.sha256)),
            "{text}"
        );
        // No navigation or buttons on paper.
        assert!(!text.contains("Uitloggen"), "{text}");
        assert!(!text.contains("Terug naar het dossier"), "{text}");
    }
    let prefix = artifacts.join("cases-print-page");
    poppler(
        "pdftoppm",
        &["-r", "80", "-png", &pdf_arg, &prefix.to_string_lossy()],
    );
    assert!(Path::new(&pdf_path).exists());

    if axe.is_some() {
        assert_eq!(checked.len(), 15, "{checked:?}");
    }
}
