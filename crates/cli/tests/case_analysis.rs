//! The analysis inside a case equals `erbij analyze` with the class as the roster: the
//! files are stored in a case (encrypted vault, real SQLite), analysed by the use case the
//! web page and the API call, and compared finding for finding with the binary's JSON on
//! the same files, the class written out as `--roster` and the exporters as `--exporter`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use erbij_core::cases::{NewCase, Origin};
use erbij_core::evidence::{NewEvidence, ReportLanguage, findings_json, roster_csv};
use erbij_core::{Actor, Clock, NewPupil, Platform, Role, SchoolKind, Store, SystemClock};

fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "erbij-case-analysis-{name}-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// "Mila de Vries" -> given, infix, family.
fn split_name(name: &str) -> (String, String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [given] => ((*given).into(), String::new(), "X".into()),
        [given, family] => ((*given).into(), String::new(), (*family).into()),
        [given, middle @ .., family] => ((*given).into(), middle.join(" "), (*family).into()),
        [] => ("X".into(), String::new(), "X".into()),
    }
}

/// Stores `files` (path, exporter) in a case of a class made of `class_names`, and returns
/// the case's findings and the binary's findings on the same files.
fn both(
    name: &str,
    class_names: &[&str],
    files: &[(PathBuf, Option<&str>)],
) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let dir = temp_dir(name);
    let store: Arc<dyn Store> = Arc::new(erbij_store::open_sqlite_in(&dir).unwrap());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let vault = erbij_vault::FileVault::with_key(&dir.join("evidence"), [9; 32]).unwrap();
    let platform = Platform::new(store, clock).with_vault(Arc::new(vault));
    let (school, admin) = platform
        .operator_add_user(
            Some("Het Baken"),
            SchoolKind::Secondary,
            "beheer@baken.example",
            "Beheer",
            Role::Administrator,
            "een lang testwachtwoord",
        )
        .unwrap();
    let admin = Actor {
        user_id: admin.id,
        school_id: school.id,
        role: Role::Administrator,
    };
    let (_, coordinator) = platform
        .operator_add_user(
            Some("Het Baken"),
            SchoolKind::Secondary,
            "coord@baken.example",
            "Coördinator",
            Role::Coordinator,
            "een lang testwachtwoord",
        )
        .unwrap();
    let coordinator = Actor {
        user_id: coordinator.id,
        school_id: school.id,
        role: Role::Coordinator,
    };
    let class = platform.create_class(&admin, "2B").unwrap();
    let mut first = None;
    for full in class_names {
        let (given, infix, family) = split_name(full);
        let pupil = platform
            .create_pupil(
                &admin,
                class.id,
                NewPupil::parse(&given, &infix, &family, "").unwrap(),
            )
            .unwrap();
        first.get_or_insert(pupil.id);
    }
    let case = platform
        .open_case(
            &coordinator,
            NewCase {
                pupil_id: first.unwrap(),
                origin: Origin::Chat,
                origin_ref: None,
                summary: "Chats bekeken.".into(),
                owner_id: None,
            },
        )
        .unwrap();
    for (path, exporter) in files {
        platform
            .add_evidence(
                &coordinator,
                case.id,
                NewEvidence {
                    file_name: path.file_name().unwrap().to_string_lossy().into_owned(),
                    bytes: std::fs::read(path).unwrap(),
                    handed_in_by: "mentor".into(),
                    exporter: exporter.unwrap_or_default().into(),
                    ..NewEvidence::default()
                },
            )
            .unwrap();
    }
    let analysis = platform
        .analyse_case(&coordinator, case.id, ReportLanguage::Dutch)
        .unwrap();
    let in_case = findings_json(&analysis.analysis, ReportLanguage::Dutch);

    let pupils = platform.pupils_of_class(&coordinator, class.id).unwrap();
    let roster = dir.join("klas.csv");
    std::fs::write(&roster, roster_csv(&pupils)).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_erbij"));
    command
        .args(["analyze", "--format", "json", "--roster"])
        .arg(&roster);
    for (path, exporter) in files {
        if let Some(exporter) = exporter {
            command
                .arg("--exporter")
                .arg(format!("{}={exporter}", path.display()));
        }
    }
    for (path, _) in files {
        command.arg(path);
    }
    let out = command.output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let cli = doc["findings"].as_array().cloned().unwrap_or_default();
    (in_case, cli)
}

fn examples() -> PathBuf {
    erbij_testkit::workspace_root().join("examples")
}

#[test]
fn the_case_finds_what_erbij_analyze_finds_on_the_shipped_examples() {
    let class = [
        "Mila de Vries",
        "Sanne Jansen",
        "Jan Bakker",
        "Daan Visser",
        "Fleur de Jong",
        "Noah Smit",
        "Liam Peters",
    ];
    let files = [
        (examples().join("klas-2b.txt"), None),
        (examples().join("feestje-zonder-mila.txt"), Some("Sanne")),
    ];
    let (in_case, cli) = both("examples", &class, &files);
    assert!(!cli.is_empty(), "the examples hold findings");
    assert_eq!(in_case, cli);
    let kinds: Vec<&str> = in_case.iter().filter_map(|f| f["kind"].as_str()).collect();
    assert!(kinds.contains(&"targeted_group_name"), "{kinds:?}");
}

#[test]
fn the_case_finds_what_erbij_analyze_finds_on_the_real_exports() {
    let Some(fixtures) = erbij_testkit::shared_fixtures() else {
        return;
    };
    let folder = fixtures.join("whatsapp").join("minvws-dsa");
    let mut files: Vec<(PathBuf, Option<&str>)> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "txt")
                && !p
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("LICENSE")
        })
        .map(|p| (p, None))
        .collect();
    files.sort();
    let exporters = ["Alice", "Bob", "Carol", "Dave"];
    let files: Vec<(PathBuf, Option<&str>)> = files
        .into_iter()
        .map(|(p, _)| {
            let name = p.file_name().unwrap().to_string_lossy().to_lowercase();
            let exporter = exporters
                .iter()
                .copied()
                .find(|e| name.starts_with(&e.to_lowercase()));
            (p, exporter)
        })
        .collect();
    assert_eq!(files.len(), 4);
    let (in_case, cli) = both(
        "fixtures",
        &[
            "Alice Jansen",
            "Bob de Groot",
            "Carol Visser",
            "Dave Bakker",
        ],
        &files,
    );
    assert_eq!(in_case, cli);
    let _ = Path::new("");
}
