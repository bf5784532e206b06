//! Retention that deletes, on both databases with the clock injected: a pupil who left two
//! years ago goes with everything about them (signals, survey answers, cases, evidence rows
//! and the encrypted files in the vault, the report that became their case, parents'
//! addresses, the access log), one day earlier nothing goes, other pupils stay, the access
//! log keeps the period only, and every run is logged with counts and no names. On SQLite
//! the pupil's name is no longer anywhere in the database files (secure_delete and a WAL
//! checkpoint).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::cases::{NewCase, Origin};
use erbij_core::evidence::{BlobId, NewEvidence, NewReport, Vault};
use erbij_core::surveys::RoundRequest;
use erbij_core::{
    Actor, Clock, Email, FixedClock, NewPupil, NewUser, Platform, PupilPage, Role, SchoolKind,
    SchoolName, SignalInput, Store,
};

fn account(store: &dyn Store, school: erbij_core::SchoolId, email: &str, role: Role) -> Actor {
    let record = store
        .create_user(&NewUser {
            school_id: school,
            email: Email::new(email).unwrap(),
            name: format!("Juf {email}"),
            role,
            password_hash: "not-a-hash".into(),
        })
        .unwrap();
    Actor {
        user_id: record.id,
        school_id: school,
        role,
    }
}

/// 2026-09-01 10:00 UTC.
const START: i64 = 1_788_256_800;
const DAY: i64 = 86_400;
/// A name that appears nowhere else, to look for in the database files.
const GONE_NAME: &str = "Zwanebloemtje";

const CHAT: &[u8] = b"02-05-2022 16:08 - Sanne: hoi allemaal\n02-05-2022 16:09 - Mila: hoi\n";

/// Runs the scenario; returns the platform for backend-specific checks.
fn run_suite(store: Arc<dyn Store>, prefix: &str, vault_dir: &std::path::Path) {
    let clock = Arc::new(FixedClock::new(START));
    let vault = Arc::new(erbij_vault::FileVault::with_key(vault_dir, [7; 32]).unwrap());
    let platform = Platform::new(store.clone(), clock.clone() as Arc<dyn Clock>)
        .with_vault(vault.clone() as Arc<dyn Vault>);
    let school = store
        .create_school(
            &SchoolName::new(&format!("{prefix} Retentie")).unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let a = |who: &str, role| account(&*store, school.id, &format!("{who}@{prefix}.example"), role);
    let admin = a("beheer", Role::Administrator);
    let coordinator = a("coordinator", Role::Coordinator);
    let mentor = a("mentor", Role::Teacher);
    let class = platform.create_class(&admin, "3C").unwrap();
    platform
        .assign_teacher(&admin, class.id, mentor.user_id)
        .unwrap();
    let pupil = |given: &str, family: &str| {
        platform
            .create_pupil(
                &admin,
                class.id,
                NewPupil::parse(given, "", family, "").unwrap(),
            )
            .unwrap()
    };
    let mila = pupil("Mila", GONE_NAME);
    let sanne = pupil("Sanne", "Bakker");
    let daan = pupil("Daan", "Visser");

    // Everything erbij holds about Mila, and some about Sanne.
    for who in [mila.id, sanne.id] {
        platform
            .record_signal(
                &mentor,
                who,
                &SignalInput {
                    kind: "alone_at_break".into(),
                    seen_on: None,
                    note: Some(format!("notitie {GONE_NAME}")),
                },
            )
            .unwrap();
    }
    let (round, _) = platform
        .start_survey(
            &mentor,
            class.id,
            &RoundRequest {
                kind: "nominations".into(),
                ..RoundRequest::default()
            },
        )
        .unwrap();
    store
        .save_answer(
            school.id,
            round.id,
            mila.id,
            &[(sanne.id, "positive".into(), 1)],
            START,
        )
        .unwrap();
    store
        .save_answer(
            school.id,
            round.id,
            daan.id,
            &[
                (mila.id, "positive".into(), 1),
                (sanne.id, "positive".into(), 1),
            ],
            START,
        )
        .unwrap();
    let open_case = |who, summary: &str| {
        platform
            .open_case(
                &mentor,
                NewCase {
                    pupil_id: who,
                    origin: Origin::Chat,
                    origin_ref: None,
                    summary: summary.into(),
                    owner_id: None,
                },
            )
            .unwrap()
    };
    let milas_case = open_case(mila.id, &format!("Buitengesloten: {GONE_NAME}"));
    let sannes_case = open_case(sanne.id, "Uitgelachen in de groep.");
    let add_file = |case, name: &str| {
        platform
            .add_evidence(
                &mentor,
                case,
                NewEvidence {
                    file_name: name.into(),
                    bytes: CHAT.to_vec(),
                    handed_in_by: "Mila".into(),
                    exporter: "Mila".into(),
                    ..NewEvidence::default()
                },
            )
            .unwrap()
    };
    let milas_file = add_file(milas_case.id, "mila.txt");
    let sannes_file = add_file(sannes_case.id, "sanne.txt");
    // A report (Meld het) that became a case about Mila: its file is in both.
    let code = platform.report_code(&coordinator).unwrap();
    let report = platform
        .submit_report(
            &code,
            NewReport {
                what: format!("Ze sluiten {GONE_NAME} buiten."),
                file: Some(("scherm.png".into(), b"\x89PNG\r\n\x1a\nrest".to_vec())),
                ..NewReport::default()
            },
        )
        .unwrap();
    let reported_case = platform
        .open_case_from_report(&coordinator, report, mila.id, "")
        .unwrap();
    let reported_blob = store.evidence_of_case(school.id, reported_case).unwrap()[0]
        .blob
        .clone();
    store
        .set_parent_emails(
            school.id,
            mila.id,
            &[Email::new("ouder@thuis.example").unwrap()],
        )
        .unwrap();
    platform
        .record_pupil_view(&coordinator, mila.id, PupilPage::Profile, None)
        .unwrap();
    platform
        .record_pupil_view(&coordinator, sanne.id, PupilPage::Profile, None)
        .unwrap();
    let milas_blobs = [milas_file.blob.clone(), reported_blob.clone()];
    for blob in &milas_blobs {
        assert!(vault.get(school.id, blob).is_ok());
    }

    // Mila leaves on 2026-09-01; a report that never became a case arrives then too.
    platform
        .archive_pupil(&admin, mila.id, Some("2026-09-01"))
        .unwrap();
    let stray = platform
        .submit_report(
            &code,
            NewReport {
                what: "Iets op het plein.".into(),
                file: Some(("plein.png".into(), b"\x89PNG\r\n\x1a\nmore".to_vec())),
                ..NewReport::default()
            },
        )
        .unwrap();
    let stray_blob = store.evidence_of_report(school.id, stray).unwrap()[0]
        .blob
        .clone();

    // One day short of two years (730 days, the default): nothing goes.
    clock.advance(729 * DAY + 3600);
    let mailer = erbij_core::mail::MemoryMailer::default();
    platform.run_due_jobs(&mailer, "", 50).unwrap();
    assert_eq!(store.count_jobs("retention", "done").unwrap(), 1);
    assert!(store.pupil(school.id, mila.id).unwrap().is_some());
    let runs = platform.retention_runs(&admin).unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!((runs[0].pupils_deleted, runs[0].files_deleted), (0, 0));
    assert_eq!(runs[0].cutoff, "2026-08-31");
    // The same day again: the job ran once today, it does not run twice.
    platform.run_due_jobs(&mailer, "", 50).unwrap();
    assert_eq!(store.count_jobs("retention", "done").unwrap(), 1);

    // The next day (two years after leaving): Mila and everything about her go.
    clock.advance(DAY);
    platform.run_due_jobs(&mailer, "", 50).unwrap();
    assert_eq!(store.count_jobs("retention", "done").unwrap(), 2);
    assert!(store.pupil(school.id, mila.id).unwrap().is_none());
    assert!(store.case(school.id, milas_case.id).unwrap().is_none());
    assert!(store.case(school.id, reported_case).unwrap().is_none());
    assert!(
        store
            .evidence_of_case(school.id, milas_case.id)
            .unwrap()
            .is_empty()
    );
    assert!(store.report(school.id, report).unwrap().is_none());
    assert!(store.report(school.id, stray).unwrap().is_none());
    assert!(store.parent_emails(school.id, mila.id).unwrap().is_empty());
    for blob in milas_blobs.iter().chain([&stray_blob]) {
        assert_eq!(
            vault.get(school.id, blob).err(),
            Some(erbij_core::evidence::VaultError::Missing),
            "the file is gone from the vault"
        );
    }
    let left: Vec<BlobId> = vault.list(school.id).unwrap();
    assert_eq!(left, vec![sannes_file.blob.clone()]);
    // Answers Mila gave and answers about her are gone; Daan's choice of Sanne stays.
    let answers = store.answer_rows(school.id, round.id).unwrap();
    assert_eq!(answers.len(), 1, "{answers:?}");
    // Sanne, her sign, her case and its file stay.
    assert!(store.pupil(school.id, sanne.id).unwrap().is_some());
    assert!(store.case(school.id, sannes_case.id).unwrap().is_some());
    assert!(vault.get(school.id, &sannes_file.blob).is_ok());
    assert_eq!(
        platform
            .signals_of_pupil(&coordinator, sanne.id, false)
            .unwrap()
            .len(),
        1
    );
    // The access log keeps the period: Sanne's view of two years ago is gone.
    assert!(
        platform
            .pupil_access_log(&coordinator, sanne.id)
            .unwrap()
            .1
            .is_empty()
    );
    // The run log: counts and the cutoff, newest first.
    let runs = platform.retention_runs(&admin).unwrap();
    assert_eq!(runs.len(), 2);
    assert_eq!(runs[0].cutoff, "2026-09-01");
    assert_eq!(runs[0].pupils_deleted, 1);
    assert_eq!(runs[0].files_deleted, 3);
    assert_eq!(runs[0].ran_at, START + 730 * DAY + 3600);

    // A class archived at the end of a year takes its remaining pupils with it, after the
    // school's own (shorter) period.
    platform.save_security_settings(&admin, false, 30).unwrap();
    platform
        .archive_class(&admin, class.id, Some("2028-08-01"))
        .unwrap();
    clock.advance(30 * DAY);
    let runs = platform.run_retention().unwrap();
    let ours = runs.iter().find(|r| r.school_id == school.id).unwrap();
    assert_eq!(ours.pupils_deleted, 2);
    assert_eq!(ours.files_deleted, 1);
    assert!(vault.list(school.id).unwrap().is_empty());
}

#[test]
fn retention_deletes_on_sqlite_and_leaves_no_trace_in_the_files() {
    let dir = temp_dir("retention");
    let store = erbij_store::open_sqlite_in(&dir).unwrap();
    run_suite(Arc::new(store), "sqlite", &dir.join("evidence"));
    // The name was in the pupils table, a signal's note, a case summary and a report: with
    // secure_delete and the checkpoint it is nowhere in the database or its log.
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !bytes
                    .windows(GONE_NAME.len())
                    .any(|w| w == GONE_NAME.as_bytes()),
                "{} still holds the name",
                path.display()
            );
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn retention_deletes_on_postgres() {
    let dir = temp_dir("retention-pg");
    common::on_postgres(
        &format!("erbij_retention_{}", std::process::id()),
        |url, schema| {
            let store = Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap());
            run_suite(store, "pg", &dir.join("evidence"));
        },
    );
    let _ = std::fs::remove_dir_all(dir);
}
