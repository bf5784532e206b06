//! Surveys in headless Chromium on a phone-sized window: a pupil types the code from the
//! slip, chooses classmates and sees the thank-you page; after the round closes the
//! mentor's results page shows the statuses and the sociogram. axe-core runs on every page;
//! screenshots go to `test-artifacts/surveys-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::browser::{Driver, PHONE, axe_source, check_accessibility};
use common::{PASSWORD, TestApp, seed};
use erbij_core::surveys::{AnswerInput, RoundRequest};
use erbij_core::{Actor, NewPupil, Role};

#[test]
fn a_pupil_answers_with_a_code_and_the_mentor_sees_the_sociogram() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-surveys");
    let seed = seed(&app.platform, "BrowserSurveys");
    let mut pupils = vec![seed.pupil_2b];
    for (given, family) in [
        ("Sem", "Jansen"),
        ("Sem", "Visser"),
        ("Noor", "Bakker"),
        ("Daan", "Smit"),
        ("Lotte", "Meijer"),
        ("Finn", "de Boer"),
    ] {
        let pupil = app
            .platform
            .create_pupil(
                &seed.admin,
                seed.class_2b,
                NewPupil::parse(given, "", family, "").unwrap(),
            )
            .unwrap();
        pupils.push(pupil.id);
    }
    let mentor = Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    };
    let (round, codes) = app
        .platform
        .start_survey(
            &mentor,
            seed.class_2b,
            &RoundRequest {
                kind: "nominations".into(),
                questions: vec!["positive".into(), "left_out".into()],
                max_choices: Some(3),
                ..RoundRequest::default()
            },
        )
        .unwrap();
    let code_of = |pupil| {
        codes
            .iter()
            .find(|c| c.pupil_id == pupil)
            .map(|c| c.code.clone())
            .unwrap()
    };
    let driver = Driver::start(&chromium, &chromedriver);
    let mut checked = Vec::new();
    let url = |path: &str| format!("{}{path}", app.base);
    driver.resize(PHONE);

    // Mila types her code as on the slip (with the dash, in lower case).
    let code = code_of(seed.pupil_2b);
    driver.goto(&url("/s"));
    check_accessibility(&driver, axe.as_deref(), "code page", &mut checked);
    driver.screenshot("surveys-code");
    driver.resize(PHONE);
    let typed = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
    driver.type_into("#code", &typed);
    driver.click_to_new_page("form[action='/s'] button");
    driver.wait_until("document.querySelector('input[name=positive]') !== null");
    assert_eq!(driver.path(), format!("/s/{code}"));
    let form = driver.text("main");
    assert!(form.contains("Hoi Mila"), "{form}");
    // Two pupils share a first name: the family name's initial tells them apart.
    assert!(form.contains("Sem J.") && form.contains("Sem V."), "{form}");
    // Mila is not on her own list.
    assert_eq!(
        driver
            .script(&format!(
                "return document.querySelectorAll('input[name=positive][value=\"{}\"]').length;",
                seed.pupil_2b.0
            ))
            .as_u64(),
        Some(0)
    );
    check_accessibility(&driver, axe.as_deref(), "answer page", &mut checked);
    driver.screenshot("surveys-answer");
    driver.resize(PHONE);
    driver.click(&format!("input[name=positive][value='{}']", pupils[3].0));
    driver.click(&format!("input[name=positive][value='{}']", pupils[4].0));
    driver.click("input[name=none-left_out]");
    driver.click_to_new_page("form[action^='/s/'] button[type=submit]");
    driver.wait_until("location.pathname.endsWith('/thanks')");
    let thanks = driver.text("main");
    assert!(thanks.contains("mentor en de zorgcoördinator"), "{thanks}");
    check_accessibility(&driver, axe.as_deref(), "thank-you page", &mut checked);
    driver.screenshot("surveys-thanks");
    driver.resize(PHONE);

    // The rest of the class answers (through the use case the page calls).
    for (i, pupil) in pupils.iter().enumerate().skip(1) {
        let mut friends: Vec<i64> = [pupils[(i + 1) % pupils.len()], pupils[0]]
            .iter()
            .filter(|p| *p != pupil)
            .map(|p| p.0)
            .collect();
        friends.dedup();
        let mut answer = BTreeMap::new();
        answer.insert("positive".to_string(), friends);
        answer.insert(
            "left_out".to_string(),
            vec![pupils[6].0]
                .into_iter()
                .filter(|p| *p != pupil.0)
                .collect(),
        );
        app.platform
            .submit_answer(&code_of(*pupil), &AnswerInput::Nominations(answer))
            .unwrap();
    }

    // The mentor logs in, closes the round and reads the results.
    driver.goto(&url("/login"));
    driver.type_into("#email", &seed.emails["teacher"]);
    driver.type_into("#password", PASSWORD);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
    driver.goto(&url(&format!("/classes/{}", seed.class_2b)));
    assert!(driver.text("section.class-surveys").contains("7 van 7"));
    check_accessibility(
        &driver,
        axe.as_deref(),
        "class page with surveys",
        &mut checked,
    );
    driver.goto(&url(&format!("/surveys/{}", round.id)));
    driver.click_to_new_page(&format!(
        "form[action='/surveys/{}/close'] button",
        round.id
    ));
    driver.wait_until("document.querySelector('.notice') !== null");
    assert!(driver.text("main").contains("gesloten"));
    assert_eq!(
        driver
            .script("return document.querySelectorAll('figure.sociogram svg').length;")
            .as_u64(),
        Some(1)
    );
    let table = driver.text("table.survey-results");
    assert!(table.contains("Finn"), "{table}");
    check_accessibility(&driver, axe.as_deref(), "results", &mut checked);
    driver.screenshot("surveys-results");
    driver.resize(PHONE);
    // Numbers for the board: no names in the drawing.
    driver.click_to_new_page("a[href*='labels=numbers']");
    driver.wait_until("location.search.includes('labels=numbers')");
    let drawing = driver.text("figure.sociogram");
    assert!(!drawing.contains("Finn"), "{drawing}");
    check_accessibility(&driver, axe.as_deref(), "results (numbers)", &mut checked);
    driver.screenshot("surveys-results-numbers");

    // The slips print page.
    driver.goto(&url(&format!("/surveys/{}/slips", round.id)));
    driver.screenshot("surveys-slips");

    // A ratings round on a 3-point scale: every classmate gets a row of smileys.
    let (_, rating_codes) = app
        .platform
        .start_survey(
            &mentor,
            seed.class_2b,
            &RoundRequest {
                kind: "ratings".into(),
                scale: Some(3),
                ..RoundRequest::default()
            },
        )
        .unwrap();
    let code = rating_codes
        .iter()
        .find(|c| c.pupil_id == seed.pupil_2b)
        .map(|c| c.code.clone())
        .unwrap();
    driver.resize(PHONE);
    driver.goto(&url(&format!("/s/{code}")));
    driver.wait_until("document.querySelector('fieldset.rate') !== null");
    assert_eq!(
        driver
            .script("return document.querySelectorAll('fieldset.rate').length;")
            .as_u64(),
        Some(6)
    );
    check_accessibility(&driver, axe.as_deref(), "ratings page", &mut checked);
    driver.screenshot("surveys-ratings");
    driver.resize(PHONE);
    driver.click(&format!("input[name='r{}'][value='3']", pupils[3].0));
    driver.click(&format!("input[name='r{}'][value='1']", pupils[4].0));
    driver.click_to_new_page("form[action^='/s/'] button[type=submit]");
    driver.wait_until("location.pathname.endsWith('/thanks')");
    driver.goto(&url(&format!("/s/{code}")));
    assert_eq!(
        driver
            .script("return document.querySelectorAll('fieldset.rate input:checked').length;")
            .as_u64(),
        Some(2)
    );

    if axe.is_some() {
        assert_eq!(checked.len(), 7, "{checked:?}");
    }
}

/// The demo school on a phone: 2B's page lists a closed and an open round, the closed
/// round's results show one rejected and one neglected pupil with the sociogram, and the
/// flagged pupils are on "Aandacht nodig" with the survey's reason.
#[test]
fn the_demo_class_2b_shows_its_survey_rounds_and_results() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-surveys-demo");
    let accounts = erbij_core::demo::load_demo(&app.platform).unwrap();
    let mentor = accounts
        .iter()
        .find(|a| a.email == "mentor.2b@devaart.example")
        .unwrap();
    let driver = Driver::start(&chromium, &chromedriver);
    let mut checked = Vec::new();
    let url = |path: &str| format!("{}{path}", app.base);
    driver.resize(PHONE);
    driver.goto(&url("/login"));
    driver.type_into("#email", &mentor.email);
    driver.type_into("#password", &mentor.password);
    driver.click("form[action='/login'] button");
    driver.after_login_set_up_two_factor_later();
    driver.wait_until("location.pathname === '/'");
    driver.goto(&url("/classes"));
    driver.click_to_new_page("a[href^='/classes/']:not([href='/classes'])");
    driver.wait_until("document.querySelector('section.class-surveys') !== null");
    let section = driver.text("section.class-surveys");
    assert!(
        section.contains("gesloten") && section.contains("open"),
        "{section}"
    );
    check_accessibility(&driver, axe.as_deref(), "demo class page", &mut checked);
    driver.script("document.querySelector('section.class-surveys').scrollIntoView();");
    driver.screenshot("surveys-demo-class");
    driver.resize(PHONE);
    // The closed round is the second in the list (newest first).
    driver.click_to_new_page("section.class-surveys li.survey-round:nth-child(2) a");
    driver.wait_until("document.querySelector('table.survey-results') !== null");
    let table = driver.text("table.survey-results");
    assert_eq!(table.matches("afgewezen").count(), 1, "{table}");
    assert_eq!(table.matches("genegeerd").count(), 1, "{table}");
    check_accessibility(&driver, axe.as_deref(), "demo results", &mut checked);
    driver.script("document.querySelector('figure.sociogram').scrollIntoView();");
    driver.screenshot("surveys-demo-sociogram");
    driver.goto(&url("/early-warning"));
    assert!(
        driver
            .text("ul.warnings")
            .contains("volgens de peiling van")
    );
    // The open round's slips: the whole class (27) on one A4 when printed.
    driver.goto(&url("/classes"));
    driver.click_to_new_page("a[href^='/classes/']:not([href='/classes'])");
    driver.wait_until("document.querySelector('section.class-surveys') !== null");
    driver.click_to_new_page("section.class-surveys a[href$='/slips']");
    driver.wait_until("document.querySelectorAll('li.slip').length > 0");
    assert_eq!(
        driver
            .script("return document.querySelectorAll('li.slip svg').length;")
            .as_u64(),
        Some(27)
    );
    let pdf = common::browser::base64_decode(
        driver
            .call(
                "POST",
                "/print",
                Some(serde_json::json!({"page": {"width": 21.0, "height": 29.7}, "background": true})),
            )
            .as_str()
            .unwrap(),
    );
    assert!(pdf.starts_with(b"%PDF"));
    let path = erbij_testkit::artifacts_dir().join("surveys-demo-slips.pdf");
    std::fs::write(&path, &pdf).unwrap();
    // One "/Type /Page" per page (the page tree is "/Type /Pages").
    let pages = pdf.windows(11).filter(|w| *w == b"/Type /Page").count()
        - pdf.windows(12).filter(|w| *w == b"/Type /Pages").count();
    assert_eq!(
        pages, 1,
        "the slips of 27 pupils print on one A4 ({path:?})"
    );
    if axe.is_some() {
        assert_eq!(checked.len(), 2, "{checked:?}");
    }
}
