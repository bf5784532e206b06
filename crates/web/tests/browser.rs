//! Drives the real app in headless Chromium through ChromeDriver (W3C WebDriver over HTTP):
//! log in, import a class from a CSV, see the class, switch language, log out. axe-core
//! checks every page for serious or critical accessibility violations, and screenshots of
//! the login page, a class page and the import preview (phone and desktop, in Dutch) go to
//! `test-artifacts/`. Skips with a notice without Chromium; `.ci/run` installs it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::browser::{Driver, axe_source, check_accessibility};
use common::{PASSWORD, TestApp, seed, temp_dir};
use serde_json::json;

fn class_list_csv() -> String {
    let names = [
        ("Mila", "de", "Vries"),
        ("Daan", "", "Jansen"),
        ("Fatima", "", "El Amrani"),
        ("Sem", "van", "Dijk"),
        ("Yusuf", "", "Yılmaz"),
        ("Noor", "", "Bakker"),
        ("Zofia", "", "Kowalska"),
        ("Lucas", "", "Visser"),
        ("Aylin", "", "Demir"),
        ("Jayden", "", "Tjon A Fong"),
        ("Sanne", "van den", "Berg"),
        ("Mohamed", "", "Haddou"),
        ("Tess", "de", "Groot"),
        ("Kevin", "", "Sardjoe"),
        ("Amira", "", "Öztürk"),
        ("Finn", "", "Mulder"),
        ("Elif", "", "Kaya"),
        ("Jesse", "van der", "Linden"),
        ("Shanti", "", "Ramdin"),
        ("Bram", "", "Smit"),
        ("Julia", "", "Nowak"),
        ("Omar", "", "Bouzid"),
        ("Lotte", "", "Meijer"),
        ("Wiktor", "", "Wiśniewski"),
        ("Priya", "", "Pinas"),
        ("Thijs", "ter", "Horst"),
        ("Naomi", "", "Martina"),
        ("Emre", "", "Doğan"),
    ];
    let mut csv = String::from("Stamnummer;Roepnaam;Tussenvoegsel;Achternaam;Klas\n");
    for (i, (given, infix, family)) in names.iter().enumerate() {
        csv.push_str(&format!("{};{given};{infix};{family};5A\n", 8000 + i));
    }
    csv.push_str("9999;;;Zonder Roepnaam;5A\n");
    csv
}

#[test]
fn a_teacher_day_in_the_browser_is_accessible_and_looks_right() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser");
    let seed = seed(&app.platform, "Browser");
    let driver = Driver::start(&chromium, &chromedriver);
    let mut checked = Vec::new();
    let url = |path: &str| format!("{}{path}", app.base);

    // Login page, in Dutch.
    driver.goto(&url("/"));
    assert_eq!(driver.path(), "/login");
    assert_eq!(driver.text("h1"), "Inloggen");
    check_accessibility(&driver, axe.as_deref(), "login", &mut checked);
    driver.screenshot("login");
    driver.type_into("#email", &seed.emails["admin"]);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
    check_accessibility(&driver, axe.as_deref(), "home", &mut checked);

    // Import a class from a CSV: upload, preview (nothing saved), confirm.
    driver.goto(&url("/import"));
    check_accessibility(&driver, axe.as_deref(), "import", &mut checked);
    let file = temp_dir("browser-csv").join("klas-5a.csv");
    std::fs::write(&file, class_list_csv()).unwrap();
    driver.type_into("#file", &file.to_string_lossy());
    driver.click("form[action='/import'] button");
    driver.wait_until("document.querySelector(\"input[name='import_id']\")");
    assert!(
        driver
            .text("main")
            .contains("Regel 30: roepnaam ontbreekt.")
    );
    assert!(
        app.platform
            .classes(&seed.admin)
            .unwrap()
            .iter()
            .all(|c| c.name != "5A"),
        "nothing saved before confirm"
    );
    check_accessibility(&driver, axe.as_deref(), "import preview", &mut checked);
    driver.screenshot("import-preview");
    driver.click("button[value='confirm']");
    driver.wait_until("document.querySelector('.notice')");
    assert!(
        driver
            .text(".notice")
            .contains("Import klaar: 28 nieuwe leerlingen"),
        "{}",
        driver.text("main")
    );

    // See the class.
    driver.goto(&url("/classes"));
    check_accessibility(&driver, axe.as_deref(), "classes", &mut checked);
    driver.script("var a = Array.from(document.querySelectorAll('main a')).find(function (a) { return a.textContent === '5A'; }); a.click(); return null;");
    driver.wait_until("location.pathname !== '/classes'");
    assert!(driver.path().starts_with("/classes/"));
    assert!(driver.text("h1").ends_with("5A"));
    assert_eq!(
        driver.script("return document.querySelectorAll('table.pupils tbody tr').length;"),
        json!(28)
    );
    assert!(driver.text("main").contains("Yılmaz, Yusuf"));
    check_accessibility(&driver, axe.as_deref(), "class page", &mut checked);
    driver.screenshot("class-page");
    let class_path = driver.path();

    for (path, name) in [
        (format!("/pupils/{}", seed.pupil_2b), "pupil"),
        ("/account".into(), "account"),
        ("/users".into(), "users"),
        ("/no-such-page".into(), "not found"),
    ] {
        driver.goto(&url(&path));
        check_accessibility(&driver, axe.as_deref(), name, &mut checked);
    }

    // Switch language: the same class page in English, then back.
    driver.goto(&url(&class_path));
    driver.click(".header-tools a[hreflang='en']");
    driver.wait_until("document.documentElement.lang === 'en'");
    assert_eq!(driver.path(), class_path);
    assert_eq!(
        driver.script("return document.documentElement.lang;"),
        json!("en")
    );
    assert!(
        driver.text("h1").to_lowercase().starts_with("class\n5a"),
        "{}",
        driver.text("h1")
    );
    check_accessibility(&driver, axe.as_deref(), "class page (en)", &mut checked);
    driver.click(".header-tools a[hreflang='nl']");
    driver.wait_until("document.documentElement.lang === 'nl'");
    assert_eq!(
        driver.script("return document.documentElement.lang;"),
        json!("nl")
    );

    // Keyboard: the skip link is the first stop and leads to the content.
    driver.script("document.activeElement.blur(); return null;");
    let first = driver.script("var l = document.querySelector('.skip-link'); l.focus(); return document.activeElement.className;");
    assert_eq!(first, json!("skip-link"));

    // Log out.
    driver.click("form[action='/logout'] button");
    driver.wait_until("location.pathname === '/login'");
    assert_eq!(driver.path(), "/login");
    driver.goto(&url("/classes"));
    assert_eq!(driver.path(), "/login");

    // The first-run page of an empty installation.
    let empty = TestApp::start_sqlite("browser-setup");
    driver.goto(&format!("{}/", empty.base));
    assert_eq!(driver.path(), "/setup");
    check_accessibility(&driver, axe.as_deref(), "setup", &mut checked);

    if axe.is_some() {
        assert_eq!(checked.len(), 12, "{checked:?}");
    }
    eprintln!(
        "browser test: pages checked with axe-core: {checked:?}; screenshots in {}",
        erbij_testkit::artifacts_dir().display()
    );
}
