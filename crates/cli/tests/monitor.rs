//! The yearly monitor through the real `erbij serve`, on SQLite and PostgreSQL: after pupils
//! answer (on the page and through the API), no table holds a link from an answer to a
//! code or a pupil, and a group of four respondents shows no figure in the page, the API or
//! the CSV. And codes: wrong ones, codes of another class, round or kind, and 1,000
//! guesses in a row through the API and the page are refused, then rate-limited (429) for
//! a while; never a 500.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common_http;

use std::collections::BTreeSet;

use common_http::{
    Backend, PASSWORD, Reply, Server, api, class_with_pupils, login, request, user_with_token,
};

fn form_post(address: &str, path: &str, body: &str) -> Reply {
    request(
        address,
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        body,
    )
    .expect("server answers")
}

/// The text of every row of every table (SQLite), as one string per row.
fn sqlite_rows(file: &std::path::Path) -> Vec<(String, String)> {
    let conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            let mut text = String::new();
            for i in 0..columns {
                match row.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Text(t) | rusqlite::types::ValueRef::Blob(t) => {
                        text.push_str(&String::from_utf8_lossy(t));
                    }
                    rusqlite::types::ValueRef::Integer(n) => text.push_str(&n.to_string()),
                    _ => {}
                }
                text.push('|');
            }
            out.push((table.clone(), text));
        }
    }
    out
}

fn sqlite_columns(file: &std::path::Path, table: &str) -> (Vec<String>, BTreeSet<String>) {
    let conn =
        rusqlite::Connection::open_with_flags(file, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let columns = conn
        .prepare(&format!("PRAGMA table_info(\"{table}\")"))
        .unwrap()
        .query_map([], |r| r.get::<_, String>(1))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let references = conn
        .prepare(&format!("PRAGMA foreign_key_list(\"{table}\")"))
        .unwrap()
        .query_map([], |r| r.get::<_, String>(2))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    (columns, references)
}

fn postgres_rows(url: &str) -> Vec<(String, String)> {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut out = Vec::new();
    for table in tables {
        for row in client
            .query(&format!("SELECT CAST(t AS TEXT) FROM \"{table}\" t"), &[])
            .unwrap()
        {
            out.push((table.clone(), row.get::<_, String>(0)));
        }
    }
    out
}

fn postgres_columns(url: &str, table: &str) -> (Vec<String>, BTreeSet<String>) {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let columns = client
        .query(
            "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let references = client
        .query(
            "SELECT ccu.table_name::text FROM information_schema.table_constraints tc \
             JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name \
             WHERE tc.table_schema = current_schema() AND tc.table_name = $1 AND tc.constraint_type = 'FOREIGN KEY'",
            &[&table],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    (columns, references)
}

fn check_anonymity(backend: Backend) {
    let db = backend.args();
    let admin = user_with_token(&db, "beheer@monitor.example", "administrator");
    let coordinator = user_with_token(&db, "apc@monitor.example", "coordinator");
    let server = Server::start(&db);
    let address = server.address.clone();
    // 4A: 5 pupils, 4 answer. 5B: 7 pupils, 6 answer. 6C: 6 pupils, 5 answer.
    for (name, size) in [("4A", 5), ("5B", 7), ("6C", 6)] {
        class_with_pupils(&address, &admin, name, size);
    }
    let started = api(
        &address,
        "POST",
        "/api/v1/monitors",
        &coordinator,
        r#"{"title":"Toetsjaar"}"#,
    );
    assert_eq!(started.status, 201, "{}", started.body);
    let id = started.json()["id"].as_i64().unwrap();
    let codes = api(
        &address,
        "GET",
        &format!("/api/v1/monitors/{id}/codes"),
        &coordinator,
        "",
    );
    assert_eq!(codes.status, 200, "{}", codes.body);
    let codes_of = |class: &str| -> Vec<String> {
        codes.json()["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == class)
            .unwrap()["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let (a4, b5, c6) = (codes_of("4A"), codes_of("5B"), codes_of("6C"));
    assert_eq!((a4.len(), b5.len(), c6.len()), (5, 7, 6));
    // A monitor code typed on the survey page goes to the monitor's questions.
    let on_s = request(&address, "GET", &format!("/s/{}", a4[4]), &[], "").unwrap();
    assert_eq!(on_s.status, 303, "{}", on_s.body);
    assert!(
        on_s.head
            .contains(&format!("location: /m/{}", a4[4].to_lowercase())),
        "{}",
        on_s.head
    );
    let mut used = Vec::new();
    // 4A on the page, as a pupil types it (lower case, with the dash).
    for code in &a4[..4] {
        let typed = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
        let reply = form_post(
            &address,
            &format!("/m/{typed}"),
            "safe_school=never&bullied=more_often&would_tell=nobody",
        );
        assert_eq!(reply.status, 303, "{}", reply.body);
        assert!(reply.head.contains("location: /m?done=1"), "{}", reply.head);
        // Once used, the code opens nothing.
        let again = form_post(&address, &format!("/m/{code}"), "safe_school=always");
        assert_eq!(again.status, 404);
        used.push(code.clone());
    }
    // 5B through the API: four "always", two "mostly".
    for (i, code) in b5[..6].iter().enumerate() {
        let safe = if i < 4 { "always" } else { "mostly" };
        let body = format!(
            r#"{{"code":"{code}","answers":{{"safe_school":"{safe}","would_tell":["mentor","parent"]}}}}"#
        );
        let reply = api(&address, "POST", "/api/v1/monitor-answers", "", &body);
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(
            api(&address, "POST", "/api/v1/monitor-answers", "", &body).status,
            404,
            "a used code is gone"
        );
        used.push(code.clone());
    }
    // Nothing ticked: refused, the code stays usable.
    let empty = form_post(&address, &format!("/m/{}", c6[0]), "");
    assert_eq!(empty.status, 422, "{}", empty.body);
    for code in &c6[..5] {
        let reply = form_post(
            &address,
            &format!("/m/{code}"),
            "safe_school=mostly&safe_online=sometimes&left_out_in_app=once",
        );
        assert_eq!(reply.status, 303, "{}", reply.body);
        used.push(code.clone());
    }

    // The database: no column of the monitor's tables can hold a pupil or a code of an
    // answer, and no row anywhere holds a used code.
    let (rows, answers_table, codes_table) = match &backend {
        Backend::Sqlite(dir) => {
            let file = dir.join(erbij_store::DATABASE_FILE);
            (
                sqlite_rows(&file),
                sqlite_columns(&file, "monitor_answers"),
                sqlite_columns(&file, "monitor_codes"),
            )
        }
        Backend::Postgres(fresh) => (
            postgres_rows(&fresh.url),
            postgres_columns(&fresh.url, "monitor_answers"),
            postgres_columns(&fresh.url, "monitor_codes"),
        ),
    };
    assert_eq!(
        answers_table.0,
        ["id", "school_id", "round_id", "class_id", "answers"],
        "{}",
        backend.name()
    );
    assert!(
        answers_table
            .1
            .iter()
            .all(|t| ["schools", "monitor_rounds", "classes"].contains(&t.as_str())),
        "monitor_answers refers to {:?}",
        answers_table.1
    );
    assert!(
        !codes_table.0.iter().any(|c| c.contains("pupil")),
        "{:?}",
        codes_table.0
    );
    assert!(!codes_table.1.contains("pupils"), "{:?}", codes_table.1);
    for code in &used {
        let holders: Vec<&String> = rows
            .iter()
            .filter(|(_, text)| text.contains(code.as_str()))
            .map(|(table, _)| table)
            .collect();
        assert!(
            holders.is_empty(),
            "{}: a used code is still in {holders:?}",
            backend.name()
        );
    }
    let answers: Vec<&String> = rows
        .iter()
        .filter(|(t, _)| t == "monitor_answers")
        .map(|(_, text)| text)
        .collect();
    assert_eq!(answers.len(), 15, "{}", backend.name());
    // Random ids: neither the ids nor the row order say who answered first.
    for text in &answers {
        let id: i64 = text
            .trim_start_matches('(')
            .split(['|', ','])
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(id > 1_000_000, "answer id {id} counts arrivals");
    }
    let unused = rows.iter().filter(|(t, _)| t == "monitor_codes").count();
    assert_eq!(unused, 18 - 15, "only the unused codes are left");
    println!(
        "{}: 15 answers stored, 15 codes erased, no used code in any of {} rows",
        backend.name(),
        rows.len()
    );

    // While the monitor is open: how many answered, no figure (a change as one pupil sends
    // would show their answer).
    let open = api(
        &address,
        "GET",
        &format!("/api/v1/monitors/{id}/results"),
        &coordinator,
        "",
    )
    .json();
    assert_eq!(open["figures_shown"], false);
    assert_eq!(open["school"]["respondents"], 15);
    assert!(open["school"]["answers"].is_null(), "{open}");
    assert!(
        open["classes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["answers"].is_null()),
        "{open}"
    );
    let open_csv = api(
        &address,
        "GET",
        &format!("/api/v1/monitors/{id}/results.csv"),
        &coordinator,
        "",
    );
    assert!(
        open_csv.body.contains("class,5B,6,,,,,until_closed\n"),
        "{}",
        open_csv.body
    );
    assert!(!open_csv.body.contains("safe_school"), "{}", open_csv.body);
    let closed = api(
        &address,
        "POST",
        &format!("/api/v1/monitors/{id}/close"),
        &coordinator,
        "",
    );
    assert_eq!(closed.status, 200);
    assert_eq!(closed.json()["closed"], true);
    // Closed: the unused codes are gone.
    let unused = c6[5].clone();
    let late = form_post(&address, &format!("/m/{unused}"), "safe_school=always");
    assert_eq!(late.status, 404);

    // A group of four: no figure in the API, the CSV or the page. 6C (five) is hidden too:
    // the school's figure minus 5B would otherwise give 4A's.
    let results = api(
        &address,
        "GET",
        &format!("/api/v1/monitors/{id}/results"),
        &coordinator,
        "",
    );
    assert_eq!(results.status, 200);
    let results = results.json();
    assert_eq!(results["school"]["respondents"], 15);
    let class = |name: &str| {
        results["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()
            .clone()
    };
    for (name, reason) in [("4A", "fewer_than_5"), ("6C", "protects_smaller_group")] {
        let c = class(name);
        assert_eq!(c["suppressed"], true, "{c}");
        assert_eq!(c["reason"], reason, "{c}");
        assert!(c["respondents"].is_null() && c["answers"].is_null(), "{c}");
    }
    let b = class("5B");
    assert_eq!(b["respondents"], 6);
    assert_eq!(b["answers"]["safe_school"]["always"]["count"], 4);
    assert_eq!(b["answers"]["safe_school"]["mostly"]["count"], 2);
    assert_eq!(b["answers"]["would_tell"]["mentor"]["percent"], 100.0);
    let csv = api(
        &address,
        "GET",
        &format!("/api/v1/monitors/{id}/results.csv"),
        &coordinator,
        "",
    );
    assert_eq!(csv.status, 200);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(
        lines[0],
        "group,class,respondents,question,option,count,percent,suppressed"
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("class,4A,"))
            .copied()
            .collect::<Vec<_>>(),
        ["class,4A,,,,,,fewer_than_5"]
    );
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.starts_with("class,6C,"))
            .copied()
            .collect::<Vec<_>>(),
        ["class,6C,,,,,,protects_smaller_group"]
    );
    assert!(lines.contains(&"class,5B,6,safe_school,always,4,66.7,"));
    assert!(lines.contains(&"school,,15,bullied,more_often,4,26.7,"));
    // The page (and its CSV) as the coordinator sees them.
    let session = login(&address, "apc@monitor.example", PASSWORD);
    let page = request(
        &address,
        "GET",
        &format!("/monitor/{id}"),
        &[("Cookie", &session)],
        "",
    )
    .unwrap();
    assert_eq!(page.status, 200);
    let section = |name: &str| -> String {
        let start = page
            .body
            .find(&format!("<span class=\"group-name\">Klas {name}</span>"))
            .unwrap();
        let rest = &page.body[start..];
        rest[..rest.find("</details>").unwrap()].to_string()
    };
    for name in ["4A", "6C"] {
        let s = section(name);
        assert!(s.contains("Geen cijfers"), "{s}");
        assert!(!s.contains("<td"), "{name} shows a figure: {s}");
    }
    assert!(section("4A").contains("minder dan 5 leerlingen"));
    assert!(section("5B").contains("<td class=\"num\">4</td>"));
    let page_csv = request(
        &address,
        "GET",
        &format!("/monitor/{id}/results.csv"),
        &[("Cookie", &session)],
        "",
    )
    .unwrap();
    assert_eq!(page_csv.body, csv.body);
    drop(server);
}

#[test]
fn monitor_answers_hold_no_code_or_pupil_and_a_group_of_four_shows_no_figure_sqlite() {
    check_anonymity(Backend::sqlite("monitor-anon"));
}

#[test]
fn monitor_answers_hold_no_code_or_pupil_and_a_group_of_four_shows_no_figure_postgres() {
    let Some(backend) = Backend::postgres("monitor_anon") else {
        return;
    };
    check_anonymity(backend);
}

/// Well-formed codes nobody was given (Crockford base32, 10 characters), from a fixed seed.
fn guesses(count: usize, seed: u64) -> Vec<String> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut state = seed;
    (0..count)
        .map(|_| {
            (0..10)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    char::from(ALPHABET[((state >> 33) % 32) as usize])
                })
                .collect()
        })
        .collect()
}

/// Sends `count` guesses; asserts 404 then, from the limit on, only 429 (never a 5xx).
/// Returns how many were answered 404.
fn guess_until_refused(mut send: impl FnMut(&str) -> u16, count: usize, seed: u64) -> usize {
    let mut not_found = 0;
    let mut refused = 0;
    for guess in guesses(count, seed) {
        let status = send(&guess);
        match status {
            404 => {
                assert_eq!(
                    refused, 0,
                    "a 404 after the first 429: refused means refused"
                );
                not_found += 1;
            }
            429 => refused += 1,
            other => panic!("guess answered {other}"),
        }
    }
    assert!(refused > 0, "{count} guesses were never rate-limited");
    not_found
}

#[test]
fn wrong_codes_are_refused_and_guessing_is_rate_limited_never_a_500() {
    let backend = Backend::sqlite("monitor-codes");
    let db = backend.args();
    let admin = user_with_token(&db, "beheer@codes.example", "administrator");
    let coordinator = user_with_token(&db, "apc@codes.example", "coordinator");
    let mut server = Server::start(&db);
    let address = server.address.clone();
    let (class_a, pupils_a) = class_with_pupils(&address, &admin, "1A", 3);
    let (class_b, pupils_b) = class_with_pupils(&address, &admin, "1B", 3);
    let start = |class: i64| {
        let reply = api(
            &address,
            "POST",
            &format!("/api/v1/classes/{class}/surveys"),
            &coordinator,
            r#"{"kind":"nominations","questions":["positive"]}"#,
        );
        assert_eq!(reply.status, 201, "{}", reply.body);
        let doc = reply.json();
        let id = doc["id"].as_i64().unwrap();
        let code_of = move |pupil: i64| {
            doc["codes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["pupil_id"] == pupil)
                .unwrap()["code"]
                .as_str()
                .unwrap()
                .to_string()
        };
        (id, code_of)
    };
    let (_, code_a) = start(class_a);
    let (_, code_b) = start(class_b);
    let (old_round, code_old) = start(class_a);
    let closed = api(
        &address,
        "POST",
        &format!("/api/v1/surveys/{old_round}/close"),
        &coordinator,
        "",
    );
    assert_eq!(closed.status, 200);
    let answer = |code: &str, chosen: i64| {
        api(
            &address,
            "POST",
            "/api/v1/answers",
            "",
            &format!(r#"{{"code":"{code}","nominations":{{"positive":[{chosen}]}}}}"#),
        )
    };
    // A code of class A choosing a pupil of class B; a code of B choosing one of A.
    let reply = answer(&code_a(pupils_a[0]), pupils_b[0]);
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert_eq!(answer(&code_b(pupils_b[0]), pupils_a[1]).status, 422);
    // A code of a closed round of the same class.
    assert_eq!(answer(&code_old(pupils_a[0]), pupils_a[1]).status, 409);
    // The right code works.
    assert_eq!(answer(&code_a(pupils_a[0]), pupils_a[1]).status, 201);
    // A monitor code is no survey code, and the other way round.
    let monitor = api(&address, "POST", "/api/v1/monitors", &coordinator, "{}");
    let monitor_id = monitor.json()["id"].as_i64().unwrap();
    let monitor_codes = api(
        &address,
        "GET",
        &format!("/api/v1/monitors/{monitor_id}/codes"),
        &coordinator,
        "",
    )
    .json();
    let monitor_code = monitor_codes["classes"][0]["codes"][0]
        .as_str()
        .unwrap()
        .to_string();
    let mut wrong = 0;
    assert_eq!(answer(&monitor_code, pupils_a[1]).status, 404);
    wrong += 1;
    let survey_code = code_a(pupils_a[2]);
    let on_page = request(&address, "GET", &format!("/m/{survey_code}"), &[], "").unwrap();
    assert_eq!(on_page.status, 404);
    assert!(on_page.body.contains("Deze code kennen we niet"));
    wrong += 1;
    let reply = api(
        &address,
        "POST",
        "/api/v1/monitor-answers",
        "",
        &format!(r#"{{"code":"{survey_code}","answers":{{"safe_school":"always"}}}}"#),
    );
    assert_eq!(reply.status, 404);
    wrong += 1;
    // Not a code at all.
    assert_eq!(answer("niet-een-code", pupils_a[1]).status, 404);
    wrong += 1;

    // 1,000 guesses through the API: 404 until the limit, then 429 only.
    let not_found = guess_until_refused(
        |guess| {
            api(
                &address,
                "POST",
                "/api/v1/answers",
                "",
                &format!(r#"{{"code":"{guess}","nominations":{{"positive":[]}}}}"#),
            )
            .status
        },
        1000,
        7,
    );
    assert_eq!(not_found + wrong, 200, "the limit is 200 wrong codes");
    // Refused for a while: even a right code, on the API and the page.
    let refused = answer(&code_a(pupils_a[1]), pupils_a[0]);
    assert_eq!(refused.status, 429);
    assert!(
        refused.json()["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    let page = request(&address, "GET", &format!("/m/{monitor_code}"), &[], "").unwrap();
    assert_eq!(page.status, 429);
    assert!(
        page.body.contains("Te veel verkeerde codes"),
        "{}",
        page.body
    );
    println!("API: {not_found} guesses answered 404, then 429 for the rest");

    // A fresh process (the limit is per process): 1,000 guesses on the page, GET and POST.
    server.kill_hard();
    let server = Server::start(&db);
    let address = server.address.clone();
    let mut n = 0;
    let not_found = guess_until_refused(
        |guess| {
            n += 1;
            let reply = if n % 2 == 0 {
                request(&address, "GET", &format!("/m/{guess}"), &[], "")
            } else {
                request(
                    &address,
                    "POST",
                    &format!("/m/{guess}"),
                    &[("Content-Type", "application/x-www-form-urlencoded")],
                    "safe_school=always",
                )
            };
            reply.expect("server answers").status
        },
        1000,
        11,
    );
    assert_eq!(not_found, 200);
    let page = request(&address, "GET", &format!("/m/{monitor_code}"), &[], "").unwrap();
    assert_eq!(page.status, 429, "refused for a while, even the right code");
    println!("page: {not_found} guesses answered 404, then 429 for the rest");
    drop(server);
    drop(backend);
}
