//! A dilemma lesson in three headless Chromium browsers: the teacher's board on a desktop
//! screen and two pupils on phone-sized windows, each with its own profile (its own cookie
//! jar, as two phones). The pupils join with the code and vote; the board's joined and
//! votes counts change without a reload (the live stream), the teacher reveals the bars
//! with the right counts and moves to the next dilemma. Then class agreements: the pupils
//! propose and vote from their phones, the teacher settles the list, and the poster's print
//! view is rendered to PDF by Chromium (DevTools `Page.printToPDF`) and read back with
//! `pdftotext` and `pdfinfo`. axe-core runs on every page; screenshots go to
//! `test-artifacts/lessons-*.png`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::process::Command;

use common::browser::{DESKTOP, Driver, PHONE, axe_source, base64_decode, check_accessibility};
use common::{PASSWORD, TestApp, seed};
use serde_json::json;

/// The PDF tools from poppler, or a visible notice (a failure with ERBIJ_REQUIRE_BROWSER).
fn poppler() -> bool {
    let found = ["pdftotext", "pdfinfo"].iter().all(|tool| {
        Command::new(tool)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
    });
    found
        || erbij_testkit::missing::<()>(
            "pdftotext/pdfinfo (poppler-utils)",
            "ERBIJ_REQUIRE_BROWSER",
        )
        .is_some()
}

fn pupil_joins(pupil: &Driver, base: &str, code: &str) {
    pupil.resize(PHONE);
    pupil.goto(&format!("{base}/l"));
    // Typed as a pupil reads it from the board: lower case, with the space.
    pupil.type_into(
        "#code",
        &format!("{} {}", &code[..3], &code[3..]).to_lowercase(),
    );
    pupil.click_to_new_page("form[action='/l'] button");
    pupil.wait_until(&format!("location.pathname === '/l/{code}'"));
}

fn pupil_votes(pupil: &Driver, choice: u32) {
    pupil.script(&format!(
        "document.querySelector(\"input[name='choice'][value='{choice}']\").checked = true; return null;"
    ));
    pupil.click_to_new_page("form[action$='/vote'] button[type='submit']");
    pupil.wait_until("document.querySelector('.notice') !== null");
}

fn counts(board: &Driver) -> (String, String) {
    (board.text("#joined"), board.text("#votes"))
}

#[test]
fn a_class_votes_from_two_phones_and_the_board_follows_live_then_prints_its_agreements() {
    let Some((chromium, chromedriver)) = erbij_testkit::browser() else {
        return;
    };
    let has_poppler = poppler();
    let axe = axe_source();
    let app = TestApp::start_sqlite("browser-lessons");
    let seed = seed(&app.platform, "BrowserLessons");
    let base = app.base.clone();
    let url = |path: &str| format!("{base}{path}");
    let mut checked = Vec::new();

    // The teacher's classroom screen.
    let board = Driver::start(&chromium, &chromedriver);
    board.resize(DESKTOP);
    board.goto(&url("/login"));
    board.type_into("#email", &seed.emails["teacher"]);
    board.type_into("#password", PASSWORD);
    board.click("form[action='/login'] button");
    board.after_login_set_up_two_factor_later();
    board.wait_until("location.pathname === '/'");
    board.goto(&url("/lessons"));
    check_accessibility(&board, axe.as_deref(), "lessons overview", &mut checked);
    board.screenshot("lessons-overview");

    // Two dilemmas from the bank, for 2B.
    let picked = board.script(
        "var boxes = document.querySelectorAll(\"input[name='dilemma']\"); \
         boxes[0].checked = true; boxes[1].checked = true; \
         return [boxes[0].value, boxes[1].value];",
    );
    assert_eq!(picked.as_array().map(Vec::len), Some(2), "{picked}");
    board.click_to_new_page("#start-form button[type='submit']");
    board.wait_until("document.getElementById('board') !== null");
    let code = board
        .script("return document.getElementById('board').dataset.code;")
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(code.len(), 6, "{code}");
    assert!(
        board.text("h1").contains("Dilemma 1 van 2"),
        "{}",
        board.text("h1")
    );
    assert!(board.text(".join-code").replace(' ', "").contains(&code));
    assert_eq!(
        board
            .script("return document.querySelectorAll('.qr svg').length;")
            .as_u64(),
        Some(1),
        "the QR code is drawn on the board"
    );
    assert_eq!(counts(&board), ("0".into(), "0".into()));
    // The live stream is open before any pupil joins; from here on the board is never
    // reloaded until the teacher reveals, which the marker proves.
    board.script("window.erbijBoardNotReloaded = true; return null;");

    // Two phones, each with its own browser profile.
    let pupils = [
        Driver::start(&chromium, &chromedriver),
        Driver::start(&chromium, &chromedriver),
    ];
    pupils[0].resize(PHONE);
    pupils[0].goto(&url("/l"));
    check_accessibility(&pupils[0], axe.as_deref(), "pupil code page", &mut checked);
    pupils[0].screenshot("lessons-pupil-code");

    pupil_joins(&pupils[0], &base, &code);
    board.wait_until("document.getElementById('joined').textContent === '1'");
    check_accessibility(&pupils[0], axe.as_deref(), "pupil vote page", &mut checked);
    pupils[0].resize(PHONE);
    pupils[0].screenshot("lessons-pupil-vote");
    pupil_joins(&pupils[1], &base, &code);
    board.wait_until("document.getElementById('joined').textContent === '2'");
    assert_eq!(counts(&board), ("2".into(), "0".into()));

    pupil_votes(&pupils[0], 2);
    board.wait_until("document.getElementById('votes').textContent === '1'");
    let notices = pupils[0].script(
        "return Array.from(document.querySelectorAll('.notice')).map(function (e) { return e.textContent.trim(); });",
    );
    assert_eq!(
        notices.as_array().map(Vec::len),
        Some(1),
        "one notice after voting: {notices}"
    );
    assert!(
        notices[0]
            .as_str()
            .unwrap()
            .starts_with("Je stem is geteld."),
        "{notices}"
    );
    check_accessibility(&pupils[0], axe.as_deref(), "pupil voted", &mut checked);
    pupils[0].resize(PHONE);
    pupils[0].screenshot("lessons-pupil-voted");
    pupil_votes(&pupils[1], 2);
    board.wait_until("document.getElementById('votes').textContent === '2'");
    assert_eq!(counts(&board), ("2".into(), "2".into()));
    assert_eq!(
        board.script("return window.erbijBoardNotReloaded === true;"),
        json!(true),
        "the counts changed without reloading the board"
    );
    check_accessibility(&board, axe.as_deref(), "board voting", &mut checked);
    board.screenshot("lessons-board-voting");
    board.resize(DESKTOP);

    // The same phone cannot vote twice: the page shows the vote was counted.
    pupils[0].goto(&url(&format!("/l/{code}")));
    pupils[0].wait_until("document.querySelector('.notice') !== null");
    assert_eq!(
        pupils[0]
            .script("return document.querySelectorAll(\"input[name='choice']\").length;")
            .as_u64(),
        Some(0)
    );

    // Reveal: bars with the counts, both votes on choice 2.
    board.click_to_new_page("#step");
    board.wait_until("document.querySelector('ol.bars') !== null");
    let bars = board.script(
        "return Array.from(document.querySelectorAll('ol.bars .bar-count')).map(function (e) { return e.textContent.trim(); });",
    );
    let bars: Vec<&str> = bars
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(bars.len() >= 2, "{bars:?}");
    assert_eq!(bars[0], "0 (0%)", "{bars:?}");
    assert_eq!(bars[1], "2 (100%)", "{bars:?}");
    assert!(bars[2..].iter().all(|b| *b == "0 (0%)"), "{bars:?}");
    // The bars span the column (a bar of a few pixels shows no difference from the back).
    let width = board
        .script("return document.querySelector('ol.bars svg.bar').getBoundingClientRect().width;")
        .as_f64()
        .unwrap();
    assert!(width > 300.0, "bar {width}px wide on a desktop board");
    check_accessibility(&board, axe.as_deref(), "board results", &mut checked);
    board.screenshot("lessons-board-results");
    board.resize(DESKTOP);

    // The discussion questions, then the next dilemma.
    board.click_to_new_page("#step");
    board.wait_until("document.querySelector('ul.questions') !== null");
    assert!(
        board
            .script("return document.querySelectorAll('ul.questions li').length;")
            .as_u64()
            >= Some(1)
    );
    check_accessibility(&board, axe.as_deref(), "board discussion", &mut checked);
    board.click_to_new_page("#step");
    board.wait_until("document.querySelector('ol.board-choices') !== null");
    assert!(
        board.text("h1").contains("Dilemma 2 van 2"),
        "{}",
        board.text("h1")
    );
    assert_eq!(counts(&board), ("2".into(), "0".into()));
    // The waiting phone moves to the second dilemma by itself (lessons.js re-reads the
    // page and reloads once it changed).
    pupils[1].wait_until("document.querySelector(\"input[name='choice']\") !== null");
    let kicker = pupils[1].text(".pupil .kicker");
    assert!(
        kicker.to_lowercase().contains("dilemma 2 van 2"),
        "{kicker}"
    );
    pupil_votes(&pupils[1], 1);
    board.wait_until("document.getElementById('votes').textContent === '1'");

    // Class agreements for 2B.
    board.goto(&url("/lessons"));
    board.wait_until("document.getElementById('round-class') !== null");
    board.click_to_new_page("form[action='/lessons/agreements'] button[type='submit']");
    board.wait_until("location.pathname.startsWith('/lessons/agreements/')");
    let round_path = board.path();
    let round_code = board.text(".join-code").replace(' ', "");
    assert_eq!(round_code.len(), 6, "{round_code}");
    check_accessibility(&board, axe.as_deref(), "agreements proposing", &mut checked);
    board.screenshot("lessons-agreements-proposing");
    board.resize(DESKTOP);

    let proposals = [
        "We sturen geen screenshots door zonder te vragen",
        "Iedereen uit de klas hoort in de klassenapp",
    ];
    for (pupil, text) in pupils.iter().zip(proposals) {
        pupil.resize(PHONE);
        pupil.goto(&url(&format!("/l/{round_code}")));
        pupil.wait_until("document.getElementById('proposal') !== null");
        pupil.type_into("#proposal", text);
        pupil.click_to_new_page("form[action$='/propose'] button[type='submit']");
        pupil.wait_until("document.querySelector('.notice') !== null");
    }
    check_accessibility(&pupils[1], axe.as_deref(), "pupil proposing", &mut checked);
    pupils[1].resize(PHONE);
    pupils[1].screenshot("lessons-pupil-propose");

    board.goto(&url(&round_path));
    board.wait_until("document.querySelector('table') !== null");
    board.type_into(
        "#teacher-proposal",
        "We zijn online net zo aardig als in de klas",
    );
    board.click_to_new_page("form[action$='/proposals'] button[type='submit']");
    board.wait_until("document.querySelectorAll('tbody tr').length === 3");
    board.click_to_new_page("form[action$='/voting'] button[type='submit']");
    board.wait_until("document.querySelector('#settle-form') !== null");

    for (n, pupil) in pupils.iter().enumerate() {
        pupil.goto(&url(&format!("/l/{round_code}")));
        pupil.wait_until("document.querySelector(\"input[name='proposal']\") !== null");
        if n == 0 {
            check_accessibility(pupil, axe.as_deref(), "pupil ballot", &mut checked);
            pupil.resize(PHONE);
            pupil.screenshot("lessons-pupil-ballot");
            pupil.resize(PHONE);
        }
        // Each pupil supports the two pupils' proposals.
        pupil.script(
            "var boxes = document.querySelectorAll(\"input[name='proposal']\"); \
             for (var i = 0; i < boxes.length; i++) { \
               boxes[i].checked = boxes[i].parentElement.textContent.indexOf('We zijn online') < 0; } \
             return null;",
        );
        pupil.click_to_new_page("form[action$='/ballot'] button[type='submit']");
        pupil.wait_until("document.querySelector('.notice') !== null");
    }
    check_accessibility(
        &pupils[0],
        axe.as_deref(),
        "pupil ballot cast",
        &mut checked,
    );
    pupils[0].resize(PHONE);
    pupils[0].screenshot("lessons-pupil-ballot-cast");

    board.goto(&url(&round_path));
    board.wait_until("document.querySelector('#settle-form') !== null");
    // On the classroom screen the proposals stand beside the code, not below it.
    let (table_top, code_bottom) = (
        board.script("return document.querySelector('table').getBoundingClientRect().top;"),
        board
            .script("return document.querySelector('.round-join').getBoundingClientRect().bottom;"),
    );
    assert!(
        table_top.as_f64() < code_bottom.as_f64(),
        "table at {table_top}, code panel ends at {code_bottom}"
    );
    check_accessibility(&board, axe.as_deref(), "agreements voting", &mut checked);
    board.screenshot("lessons-agreements-voting");
    board.resize(DESKTOP);
    // The two proposals both pupils voted for are checked; the teacher keeps all three.
    board.script(
        "document.querySelectorAll(\"input[name='proposal']\").forEach(function (b) { b.checked = true; }); return null;",
    );
    board.click_to_new_page("button[form='settle-form']");
    board.wait_until("document.querySelector('ol.agreements') !== null");
    let list = board.text("ol.agreements");
    for text in proposals {
        assert!(list.contains(text), "{list}");
    }
    check_accessibility(&board, axe.as_deref(), "agreements settled", &mut checked);
    board.screenshot("lessons-agreements-settled");
    board.resize(DESKTOP);

    // The poster, A3, as Chromium prints it.
    board.goto(&url(&format!("{round_path}/poster?size=a3")));
    board.wait_until("document.querySelector('.poster-list') !== null");
    check_accessibility(&board, axe.as_deref(), "poster", &mut checked);
    board.screenshot("lessons-poster");
    board.resize(DESKTOP);
    let pdf = board.cdp(
        "Page.printToPDF",
        json!({"preferCSSPageSize": true, "printBackground": true}),
    );
    let pdf = base64_decode(pdf["data"].as_str().unwrap());
    assert!(pdf.starts_with(b"%PDF"), "not a PDF");
    let path = erbij_testkit::artifacts_dir().join("lessons-poster-a3.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if has_poppler {
        let text = String::from_utf8(
            Command::new("pdftotext")
                .args(["-layout", path.to_str().unwrap(), "-"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.to_lowercase().contains("klas 2b"), "{flat}");
        assert!(flat.contains("Onze afspraken online"), "{flat}");
        for agreed in proposals
            .iter()
            .chain(&["We zijn online net zo aardig als in de klas"])
        {
            assert!(flat.contains(agreed), "{agreed} not in {flat}");
        }
        assert!(
            !flat.contains("Ctrl+P"),
            "the print tools are not printed: {flat}"
        );
        let info =
            String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
        assert!(info.contains("(A3)"), "{info}");
        assert!(info.contains("Pages:           1"), "one sheet: {info}");
    }
    // And A4.
    board.goto(&url(&format!("{round_path}/poster")));
    board.wait_until("document.querySelector('.poster-list') !== null");
    let pdf = board.cdp("Page.printToPDF", json!({"preferCSSPageSize": true}));
    let pdf = base64_decode(pdf["data"].as_str().unwrap());
    let path = erbij_testkit::artifacts_dir().join("lessons-poster-a4.pdf");
    std::fs::write(&path, &pdf).unwrap();
    if has_poppler {
        let info =
            String::from_utf8(Command::new("pdfinfo").arg(&path).output().unwrap().stdout).unwrap();
        assert!(info.contains("(A4)"), "{info}");
        assert!(info.contains("Pages:           1"), "one sheet: {info}");
    }

    if axe.is_some() {
        assert_eq!(checked.len(), 14, "{checked:?}");
    }
}
