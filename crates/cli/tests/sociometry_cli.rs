//! `erbij sociometry` as a user runs it: the documented CSV formats in, the documented text
//! and JSON out, Dutch errors with line numbers, exit codes 0 / 1 / 2.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sociometry/tests/data")
        .join(name)
}

fn erbij(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_erbij"))
        .arg("sociometry")
        .args(args)
        .output()
        .unwrap()
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let output = erbij(&all);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("erbij-sociometry-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const STATUSES: [&str; 5] = [
    "popular",
    "rejected",
    "neglected",
    "controversial",
    "average",
];

#[test]
fn ratings_in_the_long_format_give_the_documented_json() {
    let file = data("klas-3a.ratings.csv");
    let document = json(&[
        file.to_str().unwrap(),
        "--scale",
        "5",
        "--criteria",
        "ssrat",
        "--alpha",
        "0.10",
    ]);
    let group = &document["groups"][0];
    assert_eq!(group["id"], "3A");
    let pupils = group["pupils"].as_array().unwrap();
    let ids: Vec<&str> = pupils.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["Sanne", "Jan", "Mila", "Daan", "Noor", "Sem"]);
    for pupil in pupils {
        assert!(
            STATUSES.contains(&pupil["status"].as_str().unwrap()),
            "{pupil}"
        );
    }
    // Sem only appears as `to`: assessed, not an assessor.
    assert_eq!(pupils[5]["took_part"], false);
    assert_eq!(pupils[5]["scores"]["sympathy"]["assessors"], 2);
    // Mila gets 2, 1, 1, 2 from four classmates on a 5-point scale: antipathy 1+2+2+1 = 6.
    assert_eq!(pupils[2]["scores"]["antipathy"]["observed"], 6);
    assert_eq!(pupils[2]["scores"]["preference"]["observed"], 6);
}

#[test]
fn nominations_report_chose_nobody_absent_pupils_and_peer_reported_exclusion() {
    let file = data("klas-2b-35.nominations.csv");
    let document = json(&[file.to_str().unwrap()]);
    let group = &document["groups"][0];
    assert_eq!(group["criteria"], "nb");
    let pupil = |id: &str| {
        group["pupils"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(pupil("Gijs")["given"]["positive"], 0);
    assert_eq!(pupil("Gijs")["took_part"], true);
    assert_eq!(pupil("Noah")["took_part"], false);
    assert_eq!(pupil("Noah")["given"]["positive"], Value::Null);
    assert_eq!(pupil("Mila")["left_out"]["significant"], true);
    assert_eq!(pupil("Mila")["not_chosen"], true);
    assert_eq!(pupil("Jesse")["status"], "rejected");
    assert!(
        group["cliques"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.as_array().unwrap().len() >= 3)
    );
    assert!(group["reciprocity"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_text_table_explains_each_status_as_a_signal_in_dutch_and_english() {
    let file = data("klas-2b-35.nominations.csv");
    let output = erbij(&[file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.starts_with("Groep 2B — 35 leerlingen, 33 deden mee"),
        "{text}"
    );
    assert!(text.contains("Leerling  Deed mee  Status"));
    let jesse = text.lines().find(|l| l.starts_with("Jesse ")).unwrap();
    assert!(
        jesse.contains("afgewezen") && jesse.contains("door niemand gekozen"),
        "{jesse}"
    );
    assert!(
        text.contains("- afgewezen: Opvallend veel klasgenoten kiezen deze leerling liever niet")
    );
    assert!(
        text.contains(
            "Een status is een signaal voor een gesprek, nooit een oordeel over een kind."
        )
    );
    let english =
        String::from_utf8(erbij(&[file.to_str().unwrap(), "--lang", "en"]).stdout).unwrap();
    assert!(
        english.contains("- rejected: Notably many classmates would rather not choose this pupil")
    );
    assert!(
        english.contains("A status is a signal for a conversation, never a verdict on a child.")
    );
}

#[test]
fn coie_dodge_can_say_unclassified_and_takes_the_sd_convention() {
    let file = data("klas-2b-35.nominations.csv");
    let population = json(&[
        file.to_str().unwrap(),
        "--criteria",
        "cd",
        "--sd",
        "population",
    ]);
    let sample = json(&[file.to_str().unwrap(), "--criteria", "cd", "--sd", "sample"]);
    for document in [&population, &sample] {
        for pupil in document["groups"][0]["pupils"].as_array().unwrap() {
            let status = pupil["status"].as_str().unwrap();
            assert!(
                STATUSES.contains(&status) || status == "unclassified",
                "{status}"
            );
            assert!(pupil["coie_dodge"]["social_preference"].is_f64());
        }
    }
    assert_eq!(population["groups"][0]["sd"], "population");
    assert_eq!(sample["groups"][0]["sd"], "sample");
}

#[test]
fn ssrat_example1_through_the_cli_matches_ssrat_newcomb_bukowski_at_alpha_10() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let file = fixtures.join("sociometry/ssrat/example1.ratings.csv");
    let document = json(&[
        file.to_str().unwrap(),
        "--scale",
        "7",
        "--criteria",
        "nb",
        "--alpha",
        "0.10",
    ]);
    let group = &document["groups"][0];
    assert_eq!(group["id"], "1-1");
    let statuses: Vec<&str> = group["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["status"].as_str().unwrap())
        .collect();
    // SSrat's own output (example1.expected.csv, nb = TRUE, SS.10).
    assert_eq!(
        statuses,
        [
            "popular",
            "average",
            "average",
            "average",
            "average",
            "neglected",
            "rejected",
            "average",
            "average",
            "neglected"
        ]
    );
}

#[test]
fn a_bad_csv_gets_dutch_messages_with_line_numbers_and_exit_1() {
    let file = temp_file(
        "bad.csv",
        "group,from,to,question\n2B,Sanne,Jan,positive\n2B,Jan,Sanne,favoriet\n2B,,Jan,positive\n",
    );
    let output = erbij(&[file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(
            "regel 3: onbekende vraag `favoriet`; gebruik positive, negative of left_out"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("regel 4: kolom `from` is leeg"), "{stderr}");
    assert!(output.stdout.is_empty());

    let missing = erbij(&["/nonexistent/antwoorden.csv"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("kan het bestand niet lezen"));

    let header = erbij(&[temp_file("header.csv", "naam,klas\nSanne,2B\n")
        .to_str()
        .unwrap()]);
    assert_eq!(header.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&header.stderr).contains("regel 1: onbekende kopregel"));
}

#[test]
fn wrong_usage_exits_2() {
    let ratings = data("klas-3a.ratings.csv");
    let nominations = data("klas-2b-35.nominations.csv");
    assert_eq!(
        erbij(&[ratings.to_str().unwrap(), "--scale", "4"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        erbij(&[ratings.to_str().unwrap(), "--alpha", "1.5"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        erbij(&[ratings.to_str().unwrap(), "--criteria", "zscore"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(erbij(&[]).status.code(), Some(2));
    let ssrat_on_nominations = erbij(&[nominations.to_str().unwrap(), "--criteria", "ssrat"]);
    assert_eq!(ssrat_on_nominations.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ssrat_on_nominations.stderr).contains("--criteria nb of cd"));
}

#[test]
fn svg_dir_gets_one_sociogram_per_group_with_names_hidden_on_request() {
    let file = temp_file(
        "two-groups.csv",
        "group,from,to,question\n1A,Sanne,Jan,positive\n1A,Jan,Sanne,positive\n1B,Mila,Daan,positive\n1B,Daan,,positive\n",
    );
    let dir = std::env::temp_dir().join(format!("erbij-sociometry-svg-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let document = json(&[
        file.to_str().unwrap(),
        "--svg",
        dir.to_str().unwrap(),
        "--hide-names",
    ]);
    for (group, id) in document["groups"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["1A", "1B"])
    {
        let path = PathBuf::from(group["svg"].as_str().unwrap());
        assert_eq!(path, dir.join(format!("sociogram-{id}.svg")));
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains(&format!(
            "<title id=\"sociogram-title\">Sociogram groep {id}</title>"
        )));
        for name in ["Sanne", "Jan", "Mila", "Daan"] {
            assert!(!svg.contains(name), "{name} visible with --hide-names");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A class of 18: everyone but Mila chooses their two neighbours in a ring and would rather
/// not work with one other classmate; nobody chooses Mila or names her "liever niet", and
/// all 17 name her as left out.
fn class_naming_mila_left_out() -> String {
    let others: Vec<String> = (1..=17).map(|i| format!("Leerling{i:02}")).collect();
    let mut csv = String::from("group,from,to,question\n");
    for (i, from) in others.iter().enumerate() {
        let next = &others[(i + 1) % others.len()];
        let prev = &others[(i + others.len() - 1) % others.len()];
        let far = &others[(i + 8) % others.len()];
        csv.push_str(&format!("2B,{from},{next},positive\n"));
        csv.push_str(&format!("2B,{from},{prev},positive\n"));
        csv.push_str(&format!("2B,{from},{far},negative\n"));
        csv.push_str(&format!("2B,{from},Mila,left_out\n"));
    }
    csv.push_str("2B,Mila,Leerling01,positive\n");
    csv
}

#[test]
fn a_neglected_pupil_named_left_out_is_explained_by_what_the_class_reported() {
    let file = temp_file("left-out-17.csv", &class_naming_mila_left_out());
    let document = json(&[file.to_str().unwrap()]);
    let mila = document["groups"][0]["pupils"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "Mila")
        .unwrap()
        .clone();
    assert_eq!(mila["status"], "neglected", "{mila}");
    assert_eq!(mila["received"]["left_out"], 17);
    let output = erbij(&[file.to_str().unwrap()]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        text.contains(
            "- Mila: 17 klasgenoten noemen Mila als iemand die buitengesloten wordt. Mila werd 0 keer gekozen en 0 keer 'liever niet': daarom de status genegeerd. De klas ziet Mila dus wel: als iemand die erbuiten staat."
        ),
        "{text}"
    );
    assert!(!text.contains("weinig op te merken"), "{text}");
    // 18 took part: no note about a small class.
    assert!(!text.contains("niet te vertrouwen"), "{text}");
    let english =
        String::from_utf8(erbij(&[file.to_str().unwrap(), "--lang", "en"]).stdout).unwrap();
    assert!(
        english.contains("17 classmates name Mila as someone who is left out."),
        "{english}"
    );
}

#[test]
fn a_class_with_fewer_than_ten_respondents_gets_a_note_that_statuses_cannot_be_trusted() {
    let mut csv = String::from("group,from,to,question\n");
    let names = ["Anna", "Bram", "Cas", "Dirk", "Eva", "Fleur"];
    for (i, from) in names.iter().enumerate() {
        let to = names[(i + 1) % names.len()];
        let not = names[(i + 3) % names.len()];
        csv.push_str(&format!(
            "7A,{from},{to},positive\n7A,{from},{not},negative\n"
        ));
    }
    let file = temp_file("small-class.csv", &csv);
    let text = String::from_utf8(erbij(&[file.to_str().unwrap()]).stdout).unwrap();
    assert!(
        text.contains("Let op: 6 leerlingen deden mee, minder dan 10. Bij zo weinig antwoorden zijn de statussen niet te vertrouwen"),
        "{text}"
    );
    let document = json(&[file.to_str().unwrap()]);
    assert!(
        document["groups"][0]["notes"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"kind": "few_respondents", "respondents": 6})),
        "{document}"
    );
}

#[test]
fn the_sociogram_draws_left_out_nominations_only_when_asked() {
    let file = temp_file("left-out-svg.csv", &class_naming_mila_left_out());
    let plain = std::env::temp_dir().join(format!("erbij-svg-plain-{}", std::process::id()));
    let with = std::env::temp_dir().join(format!("erbij-svg-left-out-{}", std::process::id()));
    for (dir, extra) in [(&plain, None), (&with, Some("--show-left-out"))] {
        let mut args = vec![file.to_str().unwrap(), "--svg", dir.to_str().unwrap()];
        args.extend(extra);
        assert_eq!(erbij(&args).status.code(), Some(0));
    }
    let plain = std::fs::read_to_string(plain.join("sociogram-2B.svg")).unwrap();
    let with = std::fs::read_to_string(with.join("sociogram-2B.svg")).unwrap();
    assert!(!plain.contains("left-out-nominations"));
    let group = with
        .split("<g id=\"left-out-nominations\"")
        .nth(1)
        .and_then(|rest| rest.split("</g>").next())
        .expect("a group of left-out arrows");
    assert_eq!(group.matches("<line ").count(), 17);
    assert!(with.contains("noemt als buitengesloten (rode stippelpijl)"));
    assert!(
        with.contains("Mila (genegeerd); door niemand gekozen; 17 keer buitengesloten genoemd")
    );
}
