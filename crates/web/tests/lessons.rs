//! A dilemma session over HTTP against the real server on SQLite: 30 pupils' phones join
//! and vote at the same moment from 30 threads while a test client reads the board's live
//! stream (server-sent events) as the teacher's browser does. The totals are exact, a
//! second vote is 409, the stream delivered every update, and the tables afterwards hold
//! no link between a vote and a pupil or a device. Also: wrong join codes are
//! rate-limited per address, and a code stops working when its session ends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{Client, TestApp, seed, temp_dir};
use erbij_core::Store;
use serde_json::Value;

const PUPILS: usize = 30;

/// Long enough that only a lost update (never a slow machine) makes the test fail.
const PATIENCE: Duration = Duration::from_secs(30);

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

/// Opens the board's event stream with the teacher's cookies and hands every `state`
/// event's data to the returned channel, as a browser's `EventSource` would see them.
fn board_stream(base: &str, teacher: &Client, session: i64) -> Receiver<Value> {
    let cookie = teacher
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let response = ureq::get(&format!("{base}/lessons/sessions/{session}/events"))
        .set("Cookie", &cookie)
        .set("Accept", "text/event-stream")
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .header("content-type")
            .unwrap_or("")
            .starts_with("text/event-stream")
    );
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut event = String::new();
        for line in BufReader::new(response.into_reader()).lines() {
            let Ok(line) = line else { return };
            if let Some(name) = line.strip_prefix("event:") {
                event = name.trim().to_string();
            } else if let Some(data) = line.strip_prefix("data:") {
                if event == "state" && tx.send(json(data.trim())).is_err() {
                    return;
                }
            } else if line.is_empty() {
                event.clear();
            }
        }
    });
    rx
}

/// Reads events until one satisfies `done`; returns every event read (the last one is it).
fn until(rx: &Receiver<Value>, what: &str, done: impl Fn(&Value) -> bool) -> Vec<Value> {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(PATIENCE) {
            Ok(state) => {
                let stop = done(&state);
                seen.push(state);
                if stop {
                    return seen;
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                panic!("the board never showed {what}; it showed {seen:?}")
            }
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the board's stream ended before {what}; it showed {seen:?}")
            }
        }
    }
}

fn vote_body(code: &str, dilemma: i64, choice: i64) -> String {
    serde_json::json!({"join_code": code, "dilemma_id": dilemma, "choice": choice}).to_string()
}

#[test]
fn thirty_pupils_vote_at_once_and_the_board_sees_every_update() {
    let dir = temp_dir("lessons-live");
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&dir).unwrap());
    let app = TestApp::start(store);
    let seed = seed(&app.platform, "Live");

    // The teacher starts a session through the API and opens the board in a browser.
    let mut api = app.client();
    api.bearer = Some(
        app.platform
            .operator_create_token(&seed.emails["teacher"], "les")
            .unwrap()
            .0,
    );
    let created = api.send_json(
        "POST",
        "/api/v1/dilemma-sessions",
        &format!(
            r#"{{"class_id": {}, "dilemma_ids": [1, 2]}}"#,
            seed.class_2b.0
        ),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let created = json(&created.body);
    let session = created["id"].as_i64().unwrap();
    let code = created["join_code"].as_str().unwrap().to_string();
    let mut teacher = app.client();
    teacher.login(&seed.emails["teacher"], common::PASSWORD);
    let board = teacher.get(&format!("/lessons/sessions/{session}"));
    assert_eq!(board.status, 200);
    let events = board_stream(&app.base, &teacher, session);
    let first = until(&events, "the empty session", |_| true);
    assert_eq!(first[0]["joined"], 0);
    assert_eq!(first[0]["votes"], 0);
    assert_eq!(first[0]["dilemma_id"], 1);

    // 30 phones open the code's page (joining sets the device cookie), then all vote at
    // the same moment; each tries a second vote straight after.
    let start = Arc::new(Barrier::new(PUPILS));
    let threads: Vec<_> = (0..PUPILS)
        .map(|i| {
            let (base, start, code) = (app.base.clone(), start.clone(), code.clone());
            std::thread::spawn(move || {
                let mut phone = Client::new(&base);
                let page = phone.get(&format!("/l/{code}"));
                assert_eq!(page.status, 200, "{}", page.body);
                assert!(phone.cookies.contains_key("erbij_device"));
                start.wait();
                let choice = i64::try_from(i % 3).unwrap() + 1;
                let first = phone.send_json("POST", "/api/v1/votes", &vote_body(&code, 1, choice));
                assert_eq!(first.status, 201, "{}", first.body);
                let again =
                    phone.send_json("POST", "/api/v1/votes", &vote_body(&code, 1, 4 - choice));
                assert_eq!(again.status, 409, "{}", again.body);
                phone.cookies["erbij_device"].clone()
            })
        })
        .collect();
    let cookies: Vec<String> = threads.into_iter().map(|t| t.join().unwrap()).collect();

    // The board reaches 30 joined and 30 votes; it never goes backwards on the way. Votes
    // that land together may arrive as one update (the stream sends what the board shows,
    // re-read after each vote), so the count of events is at most one per change.
    let seen = until(&events, "30 votes", |s| {
        s["votes"] == 30 && s["joined"] == 30
    });
    let votes: Vec<i64> = seen.iter().map(|s| s["votes"].as_i64().unwrap()).collect();
    let joined: Vec<i64> = seen.iter().map(|s| s["joined"].as_i64().unwrap()).collect();
    assert!(votes.windows(2).all(|w| w[0] <= w[1]), "{votes:?}");
    assert!(joined.windows(2).all(|w| w[0] <= w[1]), "{joined:?}");
    assert!(seen.len() <= 2 * PUPILS, "one event per change at most");
    // Nothing arrives after the last change.
    assert!(
        events.recv_timeout(Duration::from_millis(1500)).is_err(),
        "an event without a change"
    );

    // The totals are exact.
    let results = api.get(&format!("/api/v1/dilemma-sessions/{session}/results"));
    assert_eq!(results.status, 200, "{}", results.body);
    let results = json(&results.body);
    assert_eq!(results["dilemmas"][0]["dilemma_id"], 1);
    assert_eq!(
        results["dilemmas"][0]["counts"],
        serde_json::json!({"1": 10, "2": 10, "3": 10})
    );

    // The next dilemma. Now the phones vote one after another and the board shows each
    // single vote as its own update: 1, 2, ... 30.
    let advanced = api.request(
        "POST",
        &format!("/api/v1/dilemma-sessions/{session}/advance"),
        None,
    );
    assert_eq!(advanced.status, 200, "{}", advanced.body);
    let moved = until(&events, "the second dilemma", |s| s["dilemma_id"] == 2);
    assert_eq!(moved.last().unwrap()["votes"], 0);
    for (n, cookie) in cookies.iter().enumerate() {
        let mut phone = Client::new(&app.base);
        phone
            .cookies
            .insert("erbij_device".to_string(), cookie.clone());
        let vote = phone.send_json(
            "POST",
            "/api/v1/votes",
            &vote_body(&code, 2, 1 + (n % 2) as i64),
        );
        assert_eq!(vote.status, 201, "{}", vote.body);
        let want = i64::try_from(n + 1).unwrap();
        let seen = until(&events, &format!("{want} votes"), |s| s["votes"] == want);
        assert_eq!(seen.len(), 1, "vote {want} came as one update: {seen:?}");
    }
    let mut again = Client::new(&app.base);
    again
        .cookies
        .insert("erbij_device".to_string(), cookies[0].clone());
    assert_eq!(
        again
            .send_json("POST", "/api/v1/votes", &vote_body(&code, 2, 2))
            .status,
        409
    );

    // The tables: counters without a device, a voter list without a choice, no cookie,
    // no pupil id and no name anywhere.
    let db = rusqlite::Connection::open(dir.join(erbij_store::DATABASE_FILE)).unwrap();
    let columns = |table: &str| -> Vec<String> {
        db.prepare(&format!("SELECT * FROM {table}"))
            .unwrap()
            .column_names()
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        columns("dilemma_tallies"),
        ["school_id", "session_id", "dilemma_id", "choice", "votes"]
    );
    assert_eq!(
        columns("dilemma_voters"),
        ["session_id", "dilemma_id", "device_hash"]
    );
    assert_eq!(
        columns("dilemma_participants"),
        ["session_id", "device_hash"]
    );
    let tallies: Vec<(i64, i64, i64)> = db
        .prepare("SELECT dilemma_id, choice, votes FROM dilemma_tallies WHERE session_id = ?1 ORDER BY dilemma_id, choice")
        .unwrap()
        .query_map([session], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        tallies,
        vec![(1, 1, 10), (1, 2, 10), (1, 3, 10), (2, 1, 15), (2, 2, 15)]
    );
    let hashes: Vec<String> = db
        .prepare("SELECT device_hash FROM dilemma_voters UNION ALL SELECT device_hash FROM dilemma_participants")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(hashes.len(), 30 * 2 + 30);
    for cookie in &cookies {
        assert!(!hashes.iter().any(|h| h.contains(cookie.as_str())));
    }

    // The teacher ends the session: the code opens nothing, the device traces go, the
    // board's stream says so and closes, and only the totals stay.
    let ended = api.request(
        "POST",
        &format!("/api/v1/dilemma-sessions/{session}/advance"),
        None,
    );
    assert_eq!(ended.status, 200, "{}", ended.body);
    until(&events, "the end", |s| s["ended"] == true);
    let mut late = Client::new(&app.base);
    assert_eq!(late.get(&format!("/l/{code}")).status, 404);
    for table in ["dilemma_voters", "dilemma_participants"] {
        let left: i64 = db
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0, "{table} after the end");
    }
    let code_left: Option<String> = db
        .query_row(
            "SELECT join_code FROM dilemma_sessions WHERE id = ?1",
            [session],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(code_left, None);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn wrong_join_codes_are_limited_per_address_and_the_right_one_then_waits_too() {
    let app = TestApp::start_sqlite("lessons-codes");
    let seed = seed(&app.platform, "Codes");
    let teacher = erbij_core::Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: erbij_core::Role::Teacher,
    };
    let session = app
        .platform
        .start_dilemma_session(&teacher, seed.class_2b, &[1])
        .unwrap();
    let code = session.join_code.unwrap();
    let mut guesser = app.client();
    assert_eq!(guesser.get(&format!("/l/{code}")).status, 200);
    // 30 wrong codes in ten minutes are answered as wrong (404) ...
    let wrong = if code == "222222" { "333333" } else { "222222" };
    for _ in 0..30 {
        assert_eq!(guesser.get(&format!("/l/{wrong}")).status, 404);
    }
    // ... then this address gets 429 with Retry-After, for wrong codes, the right code
    // and votes alike, so guessing does not pay.
    let limited = guesser.get(&format!("/l/{wrong}"));
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    assert_eq!(guesser.get(&format!("/l/{code}")).status, 429);
    assert_eq!(
        guesser
            .send_json("POST", "/api/v1/votes", &vote_body(&code, 1, 1))
            .status,
        429
    );
}
