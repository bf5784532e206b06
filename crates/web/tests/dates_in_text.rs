//! Dates in the text of Dutch pages come from one formatter (`i18n::show_date`): `31-07-2026`,
//! never an ISO `2026-07-31` beside it. Values of `<input type="date">` stay ISO.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Client, TestApp, seed};

/// The page's visible text: tags (with their attribute values) and scripts removed.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Every `dddd-dd-dd` in the text.
fn iso_dates(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let shape = "dddd-dd-dd";
    (0..chars.len().saturating_sub(shape.len() - 1))
        .filter(|&i| {
            shape.chars().enumerate().all(|(k, s)| match s {
                'd' => chars[i + k].is_ascii_digit(),
                other => chars[i + k] == other,
            })
        })
        .map(|i| chars[i..i + shape.len()].iter().collect())
        .collect()
}

#[test]
fn an_archived_class_shows_its_date_the_dutch_way_on_the_class_pages() {
    assert_eq!(iso_dates("sinds 2025-09-01T12:00:00"), ["2025-09-01"]);
    let app = TestApp::start_sqlite("dates-in-text");
    let seed = seed(&app.platform, "DatesInText");
    let mut client = Client::new(&app.base);
    client.login(&seed.emails["admin"], common::PASSWORD);
    let csrf = client.session_csrf();
    let reply = client.post_form(
        &format!("/classes/{}/archive", seed.class_2b.0),
        &[("csrf", csrf.as_str()), ("archived_on", "2026-07-31")],
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    for path in [
        format!("/classes/{}", seed.class_2b.0),
        "/classes".to_string(),
    ] {
        let page = client.get(&path);
        assert_eq!(page.status, 200);
        let text = visible_text(&page.body);
        assert!(text.contains("31-07-2026"), "{path}: {text}");
        assert!(
            iso_dates(&text).is_empty(),
            "{path}: {:?}",
            iso_dates(&text)
        );
    }
}
