//! Class surveys through the real `erbij serve`: answers posted with codes to
//! `POST /api/v1/answers` give, from `GET /api/v1/surveys/{id}/results`, exactly SSrat's own
//! statuses (its examples 1 and 5, both criteria, alpha .10/.05/.01) and exactly what
//! `erbij sociometry` prints for the answers' CSV export; the mentor's results page shows,
//! per pupil, the status `erbij sociometry` computes on the CSV the mentor downloads, at the
//! school's alpha. (The `kill -9` spike test is in `survey_spike.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

mod common_http;
use common_http::{PASSWORD, Server, api, form_token, login, request, run, user_with_token};

fn json(
    address: &str,
    method: &str,
    path: &str,
    token: &str,
    body: Option<&str>,
) -> (u16, serde_json::Value) {
    let reply = api(address, method, path, token, body.unwrap_or(""));
    (reply.status, reply.json())
}

fn http(address: &str, method: &str, path: &str, token: &str, body: Option<&str>) -> (u16, String) {
    let reply = api(address, method, path, token, body.unwrap_or(""));
    (reply.status, reply.body)
}

/// A fresh installation with an administrator and a coordinator; their API tokens.
struct Installation {
    db: Vec<String>,
    admin: String,
    coordinator: String,
}

fn installation(db: Vec<String>, tag: &str) -> Installation {
    let admin = user_with_token(&db, &format!("admin@{tag}.example"), "administrator");
    let coordinator = user_with_token(&db, &format!("coord@{tag}.example"), "coordinator");
    Installation {
        db,
        admin,
        coordinator,
    }
}

fn sqlite_installation(tag: &str) -> Installation {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!(
        "erbij-surveys-{tag}-{}-{nanos}",
        std::process::id()
    ));
    installation(vec!["--data-dir".into(), dir.display().to_string()], tag)
}

/// A class with `names.len()` pupils; their ids in order.
fn class_with_pupils(
    server: &Server,
    token: &str,
    name: &str,
    names: &[String],
) -> (i64, Vec<i64>) {
    let (status, class) = json(
        &server.address,
        "POST",
        "/api/v1/classes",
        token,
        Some(&format!(r#"{{"name":"{name}"}}"#)),
    );
    assert_eq!(status, 201, "{class}");
    let class_id = class["id"].as_i64().unwrap();
    let mut ids = Vec::new();
    for (i, given) in names.iter().enumerate() {
        let (status, pupil) = json(
            &server.address,
            "POST",
            &format!("/api/v1/classes/{class_id}/pupils"),
            token,
            Some(&format!(
                r#"{{"given_name":"{given}","family_name":"Achternaam{i}"}}"#
            )),
        );
        assert_eq!(status, 201, "{pupil}");
        ids.push(pupil["id"].as_i64().unwrap());
    }
    (class_id, ids)
}

/// Starts a round; the code per pupil id.
fn start_round(
    server: &Server,
    token: &str,
    class: i64,
    body: &str,
) -> (i64, BTreeMap<i64, String>) {
    let (status, round) = json(
        &server.address,
        "POST",
        &format!("/api/v1/classes/{class}/surveys"),
        token,
        Some(body),
    );
    assert_eq!(status, 201, "{round}");
    let codes = round["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["pupil_id"].as_i64().unwrap(),
                c["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (round["id"].as_i64().unwrap(), codes)
}

fn fields(line: &str) -> Vec<String> {
    line.split(',')
        .map(|f| f.trim().trim_matches('"').to_string())
        .collect()
}

/// SSrat's example `name`, posted through `POST /api/v1/answers` as a ratings round of a
/// new class.
struct PostedExample {
    class: i64,
    round: i64,
    /// SSrat's respondent id -> the pupil's id.
    pupil_of: BTreeMap<String, i64>,
    respondents: usize,
}

fn post_ssrat_example(
    server: &Server,
    inst: &Installation,
    dir: &std::path::Path,
    name: &str,
    scale: u8,
) -> PostedExample {
    let ratings = std::fs::read_to_string(dir.join(format!("{name}.ratings.csv"))).unwrap();
    let mut lines = ratings.lines().filter(|l| !l.trim().is_empty());
    let header = fields(lines.next().unwrap());
    let rows: Vec<Vec<String>> = lines.map(fields).collect();
    // Respondent ids are 1..N; the columns r01.. rate respondent 1.. .
    let respondents: Vec<String> = rows.iter().map(|r| r[2].clone()).collect();
    let names: Vec<String> = respondents.iter().map(|r| format!("Leerling{r}")).collect();
    let (class, pupils) = class_with_pupils(server, &inst.admin, &format!("{name}-klas"), &names);
    let pupil_of: BTreeMap<String, i64> = respondents
        .iter()
        .cloned()
        .zip(pupils.iter().copied())
        .collect();
    let (round, codes) = start_round(
        server,
        &inst.coordinator,
        class,
        &format!(r#"{{"kind":"ratings","scale":{scale}}}"#),
    );
    for row in &rows {
        let from = pupil_of[&row[2]];
        let mut ratings = serde_json::Map::new();
        for (column, value) in header.iter().zip(row).skip(3) {
            if value.is_empty() {
                continue;
            }
            let to = column
                .trim_start_matches('r')
                .parse::<u32>()
                .unwrap()
                .to_string();
            ratings.insert(
                pupil_of[&to].to_string(),
                serde_json::json!(value.parse::<i64>().unwrap()),
            );
        }
        let body = serde_json::json!({"code": codes[&from], "ratings": ratings}).to_string();
        let (status, reply) = json(&server.address, "POST", "/api/v1/answers", "", Some(&body));
        assert_eq!(status, 201, "{reply}");
    }
    PostedExample {
        class,
        round,
        pupil_of,
        respondents: rows.len(),
    }
}

fn check_ssrat_example(server: &Server, inst: &Installation, name: &str, scale: u8) {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let dir = fixtures.join("sociometry/ssrat");
    let PostedExample {
        round,
        pupil_of,
        respondents,
        ..
    } = post_ssrat_example(server, inst, &dir, name, scale);
    let expected = std::fs::read_to_string(dir.join(format!("{name}.expected.csv"))).unwrap();
    let mut lines = expected.lines().filter(|l| !l.trim().is_empty());
    let header = fields(lines.next().unwrap());
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let expected: Vec<Vec<String>> = lines.map(fields).collect();
    let mut compared = 0;
    for (criteria, nb) in [("ssrat", "FALSE"), ("nb", "TRUE")] {
        for (alpha, column) in [("0.10", "SS.10"), ("0.05", "SS.05"), ("0.01", "SS.01")] {
            let (status, results) = json(
                &server.address,
                "GET",
                &format!("/api/v1/surveys/{round}/results?criteria={criteria}&alpha={alpha}"),
                &inst.coordinator,
                None,
            );
            assert_eq!(status, 200, "{results}");
            assert_eq!(results["respondents"], respondents);
            for want in expected.iter().filter(|e| e[col("nb")] == nb) {
                let pupil = pupil_of[&want[col("respid")]];
                let got = results["pupils"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["pupil_id"] == pupil)
                    .unwrap();
                assert_eq!(
                    got["status"].as_str().unwrap(),
                    want[col(column)].to_lowercase(),
                    "{name}, {criteria}, alpha {alpha}, respondent {}",
                    want[col("respid")]
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 3 * expected.len());
}

#[test]
fn ssrat_examples_posted_through_the_api_give_ssrats_own_statuses() {
    if erbij_testkit::shared_fixtures().is_none() {
        return;
    }
    let inst = sqlite_installation("ssrat");
    let mut server = Server::start(&inst.db);
    check_ssrat_example(&server, &inst, "example1", 7);
    check_ssrat_example(&server, &inst, "example5", 3);
    server.kill_hard();
}

/// A class of 14 with a popular pair, a pupil nobody chooses, one many reject and one many
/// name as left out.
fn nominations_of(pupils: &[i64]) -> Vec<(i64, serde_json::Value)> {
    let n = pupils.len();
    let mut out = Vec::new();
    for (i, &from) in pupils.iter().enumerate() {
        if i == 13 {
            continue; // did not take part
        }
        let mut positive: Vec<i64> = [(i + 1) % n, (i + 2) % n, 0, 1]
            .into_iter()
            .filter(|&j| j != i && j != 12 && j != 13)
            .map(|j| pupils[j])
            .collect();
        positive.dedup();
        positive.sort();
        positive.dedup();
        let negative: Vec<i64> = if i % 3 != 2 && i != 11 {
            vec![pupils[11]]
        } else {
            vec![]
        };
        let left_out: Vec<i64> = if i % 2 == 0 && i != 12 {
            vec![pupils[12]]
        } else {
            vec![]
        };
        out.push((
            from,
            serde_json::json!({"positive": positive, "negative": negative, "left_out": left_out}),
        ));
    }
    out
}

#[test]
fn nominations_through_the_web_match_erbij_sociometry_on_the_csv_export() {
    let inst = sqlite_installation("nominations");
    let mut server = Server::start(&inst.db);
    // The school allows the negative question (a setting), so statuses can be decided.
    let names: Vec<String> = (0..14).map(|i| format!("Kind{i}")).collect();
    let (class, pupils) = class_with_pupils(&server, &inst.admin, "2B", &names);
    let (status, refused) = json(
        &server.address,
        "POST",
        &format!("/api/v1/classes/{class}/surveys"),
        &inst.coordinator,
        Some(r#"{"kind":"nominations","questions":["positive","negative"]}"#),
    );
    assert_eq!(status, 422, "negative is off by default: {refused}");
    let (round, codes) = start_round(
        &server,
        &inst.coordinator,
        class,
        r#"{"kind":"nominations","questions":["positive","left_out"],"max_choices":4}"#,
    );
    for (from, answer) in nominations_of(&pupils) {
        let mut answer = answer;
        answer.as_object_mut().unwrap().remove("negative");
        let body = serde_json::json!({"code": codes[&from], "nominations": answer}).to_string();
        let (status, reply) = json(&server.address, "POST", "/api/v1/answers", "", Some(&body));
        assert_eq!(status, 201, "{reply}");
    }
    // Replacing an answer answers 200; the answer stays as last sent.
    let (from, answer) = nominations_of(&pupils).remove(0);
    let mut answer = answer;
    answer.as_object_mut().unwrap().remove("negative");
    let body = serde_json::json!({"code": codes[&from], "nominations": answer}).to_string();
    assert_eq!(
        json(&server.address, "POST", "/api/v1/answers", "", Some(&body)).0,
        200
    );
    // Refusals: self, another class's pupil, too many, twice, an unknown code.
    let me = codes[&pupils[0]].clone();
    for (bad, why) in [
        (
            format!(
                r#"{{"code":"{me}","nominations":{{"positive":[{}]}}}}"#,
                pupils[0]
            ),
            "self",
        ),
        (
            format!(r#"{{"code":"{me}","nominations":{{"positive":[999999]}}}}"#),
            "other class",
        ),
        (
            format!(
                r#"{{"code":"{me}","nominations":{{"positive":[{},{},{},{},{}]}}}}"#,
                pupils[1], pupils[2], pupils[3], pupils[4], pupils[5]
            ),
            "too many",
        ),
        (
            format!(
                r#"{{"code":"{me}","nominations":{{"positive":[{},{}]}}}}"#,
                pupils[1], pupils[1]
            ),
            "twice",
        ),
        (
            format!(r#"{{"code":"{me}","ratings":{{"{}":3}}}}"#, pupils[1]),
            "wrong kind",
        ),
    ] {
        let (status, reply) = json(&server.address, "POST", "/api/v1/answers", "", Some(&bad));
        assert_eq!(status, 422, "{why}: {reply}");
        assert!(
            reply["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{why}: {reply}"
        );
    }
    assert_eq!(
        json(
            &server.address,
            "POST",
            "/api/v1/answers",
            "",
            Some(r#"{"code":"ABCDEFGHJK","nominations":{"positive":[]}}"#)
        )
        .0,
        404
    );

    // The CSV export reproduces the statuses on the command line.
    let (status, csv) = http(
        &server.address,
        "GET",
        &format!("/api/v1/surveys/{round}/answers.csv"),
        &inst.coordinator,
        None,
    );
    assert_eq!(
        status, 403,
        "the coordinator does not see raw answers by default"
    );
    // Log in as the care coordinator? The admin may not either; use a mentor token instead.
    let mentor_token = user_with_token(&inst.db, "mentor@nominations.example", "teacher");
    let (status, _) = http(
        &server.address,
        "GET",
        &format!("/api/v1/surveys/{round}/answers.csv"),
        &mentor_token,
        None,
    );
    assert_eq!(
        status, 404,
        "a teacher not assigned to 2B does not see its survey"
    );
    let (_, users) = json(
        &server.address,
        "GET",
        "/api/v1/classes",
        &mentor_token,
        None,
    );
    assert_eq!(users.as_array().map(Vec::len), Some(0));
    drop(csv);
    let care = user_with_token(&inst.db, "zorg@nominations.example", "care_coordinator");
    let (status, csv) = http(
        &server.address,
        "GET",
        &format!("/api/v1/surveys/{round}/answers.csv"),
        &care,
        None,
    );
    assert_eq!(status, 200);
    assert!(csv.starts_with("group,from,to,question\n"), "{csv}");
    let file = std::env::temp_dir().join(format!(
        "erbij-nominations-{}-{round}.csv",
        std::process::id()
    ));
    std::fs::write(&file, &csv).unwrap();
    for criteria in ["nb", "cd"] {
        for alpha in ["0.10", "0.05", "0.01"] {
            let (code, out, err) = run(
                &[
                    "sociometry",
                    file.to_str().unwrap(),
                    "--criteria",
                    criteria,
                    "--alpha",
                    alpha,
                    "--format",
                    "json",
                ],
                "",
            );
            assert_eq!(code, 0, "{err}");
            let cli: serde_json::Value = serde_json::from_str(&out).unwrap();
            let (status, web) = json(
                &server.address,
                "GET",
                &format!("/api/v1/surveys/{round}/results?criteria={criteria}&alpha={alpha}"),
                &care,
                None,
            );
            assert_eq!(status, 200, "{web}");
            assert_eq!(web["respondents"], 13);
            let mut seen = BTreeSet::new();
            for pupil in cli["groups"][0]["pupils"].as_array().unwrap() {
                let id: i64 = pupil["id"].as_str().unwrap().parse().unwrap();
                let got = web["pupils"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["pupil_id"] == id)
                    .unwrap();
                assert_eq!(
                    got["status"], pupil["status"],
                    "{criteria} {alpha} pupil {id}"
                );
                assert_eq!(got["chosen"], pupil["received"]["positive"], "pupil {id}");
                assert_eq!(
                    got["left_out_by"], pupil["received"]["left_out"],
                    "pupil {id}"
                );
                assert_eq!(got["mutual"], pupil["mutual"], "pupil {id}");
                seen.insert(id);
            }
            // Pupil 13 neither answered nor was chosen: not in the CSV, so no status on the web.
            assert_eq!(seen.len(), 13);
            let absent = web["pupils"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["pupil_id"] == pupils[13])
                .unwrap();
            assert!(
                absent["status"].is_null() && absent["took_part"] == false,
                "{absent}"
            );
        }
    }
    // Pupil 12 is named left out by half the class: flagged.
    let (_, web) = json(
        &server.address,
        "GET",
        &format!("/api/v1/surveys/{round}/results"),
        &care,
        None,
    );
    let flagged = web["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["pupil_id"] == pupils[12])
        .unwrap();
    assert!(
        flagged["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "left-out"),
        "{flagged}"
    );
    // Closed: answers can no longer change.
    assert_eq!(
        json(
            &server.address,
            "POST",
            &format!("/api/v1/surveys/{round}/close"),
            &inst.coordinator,
            None
        )
        .0,
        200
    );
    let body =
        serde_json::json!({"code": codes[&pupils[1]], "nominations": {"positive": []}}).to_string();
    assert_eq!(
        json(&server.address, "POST", "/api/v1/answers", "", Some(&body)).0,
        409
    );
    server.kill_hard();
}

/// Sets the school's survey settings on the settings form, as its coordinator.
fn set_school_survey_settings(server: &Server, email: &str, form: &str) {
    let session = login(&server.address, email, PASSWORD);
    let rules = request(
        &server.address,
        "GET",
        "/early-warning/rules",
        &[("Cookie", &session)],
        "",
    )
    .unwrap();
    assert_eq!(rules.status, 200, "{}", rules.body);
    let csrf = form_token(&rules.body).expect("the rules page has forms");
    let saved = request(
        &server.address,
        "POST",
        "/settings/surveys",
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", &session),
        ],
        &format!("csrf={csrf}&{form}"),
    )
    .unwrap();
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(
        saved.head.contains("done=done-surveys-settings"),
        "{}",
        saved.raw_head
    );
}

/// Assigns the account `email` to the class as its teacher (the administrator, through the API).
fn assign_teacher(server: &Server, inst: &Installation, class: i64, email: &str) {
    let (status, users) = json(&server.address, "GET", "/api/v1/users", &inst.admin, None);
    assert_eq!(status, 200, "{users}");
    let user = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap()["id"]
        .clone();
    let (status, reply) = json(
        &server.address,
        "POST",
        &format!("/api/v1/classes/{class}/teachers"),
        &inst.admin,
        Some(&serde_json::json!({ "user_id": user }).to_string()),
    );
    assert_eq!(status, 201, "{reply}");
}

/// What the results page shows: the table's criteria and alpha, and per pupil id the
/// `data-status` of the status cell and the cell's text, and the sociogram number (`""`
/// for a pupil who is not in the sociogram).
struct ShownResults {
    criteria: String,
    alpha: String,
    statuses: BTreeMap<i64, (String, String)>,
    numbers: BTreeMap<i64, String>,
}

fn shown_results(page: &str) -> ShownResults {
    let attribute = |text: &str, name: &str| -> String {
        let rest = text
            .split(&format!("{name}=\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no {name} in {text}"));
        rest[..rest.find('"').unwrap()].to_string()
    };
    let table = &page[page.find("<table class=\"survey-results\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    let mut statuses = BTreeMap::new();
    let mut numbers = BTreeMap::new();
    for row in table.split("<tr ").skip(1) {
        if !row.contains("data-pupil-id=") {
            continue;
        }
        let id: i64 = attribute(row, "data-pupil-id").parse().unwrap();
        let key = attribute(row, "data-status");
        let cell = row.split("data-status=\"").nth(1).unwrap();
        let text = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
        statuses.insert(id, (key, text.trim().to_string()));
        let number = row.split("<td>").nth(1).unwrap();
        numbers.insert(id, number[..number.find("</td>").unwrap()].to_string());
    }
    ShownResults {
        criteria: attribute(table, "data-criteria"),
        alpha: attribute(table, "data-alpha"),
        statuses,
        numbers,
    }
}

/// A status as the Dutch results page words it (`surveys-status-*` in locales/nl).
fn dutch_status(key: &str) -> &'static str {
    match key {
        "popular" => "populair",
        "rejected" => "afgewezen",
        "neglected" => "genegeerd",
        "controversial" => "controversieel",
        "average" => "gemiddeld",
        "unclassified" => "niet ingedeeld",
        "none" => "geen status",
        other => panic!("unknown status {other}"),
    }
}

/// `erbij sociometry` on a CSV file: pupil id -> status (`"none"` for null).
fn cli_statuses(
    file: &std::path::Path,
    criteria: &str,
    alpha: &str,
    scale: u8,
) -> BTreeMap<i64, String> {
    let scale = scale.to_string();
    let (code, out, err) = run(
        &[
            "sociometry",
            file.to_str().unwrap(),
            "--criteria",
            criteria,
            "--alpha",
            alpha,
            "--scale",
            &scale,
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let cli: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(cli["groups"].as_array().map(Vec::len), Some(1), "{out}");
    cli["groups"][0]["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().parse().unwrap(),
                p["status"].as_str().unwrap_or("none").to_string(),
            )
        })
        .collect()
}

/// The mentor's results page for `round` against `erbij sociometry` on the answers the
/// mentor downloads from the same app, at the school's alpha; how many statuses the CLI
/// gives differently at the default alpha (so the test can tell the two apart).
fn check_results_page(
    server: &Server,
    session: &str,
    round: i64,
    class_size: usize,
    (criteria, scale): (&str, u8),
    school_alpha: &str,
) -> usize {
    let export = request(
        &server.address,
        "GET",
        &format!("/surveys/{round}/answers.csv"),
        &[("Cookie", session)],
        "",
    )
    .unwrap();
    assert_eq!(export.status, 200, "{}", export.body);
    assert!(export.body.starts_with("group,from,to,"), "{}", export.body);
    let file = std::env::temp_dir().join(format!(
        "erbij-results-page-{}-{round}.csv",
        std::process::id()
    ));
    std::fs::write(&file, &export.body).unwrap();
    let cli = cli_statuses(&file, criteria, school_alpha, scale);
    let page = request(
        &server.address,
        "GET",
        &format!("/surveys/{round}"),
        &[("Cookie", session)],
        "",
    )
    .unwrap();
    assert_eq!(page.status, 200, "{}", page.body);
    let shown = shown_results(&page.body);
    assert_eq!(shown.criteria, criteria, "the page's default criteria");
    assert_eq!(
        shown.alpha.parse::<f64>().unwrap(),
        school_alpha.parse::<f64>().unwrap(),
        "the page uses the school's alpha"
    );
    assert_eq!(shown.statuses.len(), class_size, "a row per pupil");
    assert!(!cli.is_empty());
    for (id, (key, text)) in &shown.statuses {
        // A pupil who neither answered nor was chosen is not in the CSV: no status.
        let want = cli.get(id).map_or("none", String::as_str);
        assert_eq!(key, want, "round {round}, pupil {id}");
        assert_eq!(text, dutch_status(key), "round {round}, pupil {id}");
        // The sociogram numbers pupils 1.. in the engine's order; one not in it has none.
        let number = &shown.numbers[id];
        if cli.contains_key(id) {
            assert!(
                number
                    .parse::<usize>()
                    .is_ok_and(|n| (1..=cli.len()).contains(&n)),
                "round {round}, pupil {id}: number {number:?}"
            );
        } else {
            assert_eq!(number, "", "round {round}, pupil {id}");
        }
    }
    let at_default = cli_statuses(&file, criteria, "0.05", scale);
    std::fs::remove_file(&file).ok();
    cli.iter().filter(|(id, s)| at_default[id] != **s).count()
}

#[test]
fn the_mentors_results_page_shows_the_statuses_erbij_sociometry_computes_on_its_csv_export() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let inst = sqlite_installation("resultspage");
    let mut server = Server::start(&inst.db);
    // The school's alpha is 0.10, not the default 0.05, and it allows the negative question.
    set_school_survey_settings(
        &server,
        "coord@resultspage.example",
        "allow_negative=on&alpha=0%2C10",
    );
    let mentor = "mentor@resultspage.example";
    user_with_token(&inst.db, mentor, "teacher");

    // Ratings: SSrat's example 5 (scale 3), SSrat's criteria by default.
    let dir = fixtures.join("sociometry/ssrat");
    let ratings = post_ssrat_example(&server, &inst, &dir, "example5", 3);
    assign_teacher(&server, &inst, ratings.class, mentor);
    // Nominations: positive, negative and left out; Newcomb & Bukowski by default.
    let names: Vec<String> = (0..14).map(|i| format!("Kind{i}")).collect();
    let (class, pupils) = class_with_pupils(&server, &inst.admin, "2B", &names);
    assign_teacher(&server, &inst, class, mentor);
    let session = login(&server.address, mentor, PASSWORD);
    let (nominations, codes) = start_round(
        &server,
        &inst.coordinator,
        class,
        r#"{"kind":"nominations","questions":["positive","negative","left_out"],"max_choices":4}"#,
    );
    for (from, answer) in nominations_of(&pupils) {
        let body = serde_json::json!({"code": codes[&from], "nominations": answer}).to_string();
        let (status, reply) = json(&server.address, "POST", "/api/v1/answers", "", Some(&body));
        assert_eq!(status, 201, "{reply}");
    }

    let differ = check_results_page(
        &server,
        &session,
        ratings.round,
        ratings.pupil_of.len(),
        ("ssrat", 3),
        "0.10",
    ) + check_results_page(
        &server,
        &session,
        nominations,
        pupils.len(),
        ("nb", 5),
        "0.10",
    );
    assert!(
        differ > 0,
        "at alpha 0.05 the CLI gives the same statuses: the data cannot show the school's alpha is used"
    );
    server.kill_hard();
}
