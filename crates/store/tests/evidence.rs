//! Evidence on both databases: files and reports scoped to their school and case, the
//! custody chain intact under concurrent appends, who sees what, and a pupil's report
//! turned into a case with its file as evidence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::cases::{NewCase, Origin};
use erbij_core::evidence::{EvidenceAct, EvidenceError, NewEvidence, NewReport};
use erbij_core::{
    AccessError, Actor, Clock, Email, NewPupil, NewUser, Platform, Role, SchoolKind, SchoolName,
    Store, SystemClock,
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

const CHAT: &[u8] = b"02-05-2022 16:08 - Sanne: hoi allemaal\n02-05-2022 16:09 - Mila: hoi\n";

fn run_suite(store: Arc<dyn Store>, prefix: &str) {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let vault = erbij_vault::FileVault::with_key(&temp_dir("vault"), [5; 32]).unwrap();
    let platform = Platform::new(store.clone(), clock).with_vault(Arc::new(vault));
    let school = store
        .create_school(
            &SchoolName::new(&format!("{prefix} Lyceum")).unwrap(),
            SchoolKind::Secondary,
        )
        .unwrap();
    let other = store
        .create_school(
            &SchoolName::new(&format!("{prefix} Anders")).unwrap(),
            SchoolKind::Primary,
        )
        .unwrap();
    let a = |who: &str, role| account(&*store, school.id, &format!("{who}@{prefix}.example"), role);
    let admin = a("beheer", Role::Administrator);
    let coordinator = a("coordinator", Role::Coordinator);
    let care = a("zorg", Role::CareCoordinator);
    let mentor = a("mentor", Role::Teacher);
    let stranger = a("vreemde", Role::Teacher);
    let foreign = account(
        &*store,
        other.id,
        &format!("c@anders.{prefix}.example"),
        Role::Coordinator,
    );
    let class = platform.create_class(&admin, "2B").unwrap();
    platform
        .assign_teacher(&admin, class.id, mentor.user_id)
        .unwrap();
    let mila = platform
        .create_pupil(
            &admin,
            class.id,
            NewPupil::parse("Mila", "de", "Vries", "").unwrap(),
        )
        .unwrap();
    let case = platform
        .open_case(
            &mentor,
            NewCase {
                pupil_id: mila.id,
                origin: Origin::Chat,
                origin_ref: None,
                summary: "Uit de groep gezet.".into(),
                owner_id: None,
            },
        )
        .unwrap();
    let file = platform
        .add_evidence(
            &mentor,
            case.id,
            NewEvidence {
                file_name: "klas.txt".into(),
                bytes: CHAT.to_vec(),
                handed_in_by: "Mila".into(),
                exporter: "Mila".into(),
                ..NewEvidence::default()
            },
        )
        .unwrap();
    assert_eq!(file.sha256, erbij_bundle::sha256_hex(CHAT));
    assert_eq!(file.exporter.as_deref(), Some("Mila"));

    // Scoped: another school's id space and other people's cases find nothing.
    assert!(store.evidence(other.id, file.id).unwrap().is_none());
    for outsider in [&admin, &stranger, &foreign] {
        assert_eq!(
            platform
                .evidence_record(outsider, file.id, EvidenceAct::View)
                .err(),
            Some(AccessError::NotFound),
            "{:?}",
            outsider.role
        );
    }
    assert_eq!(
        platform.case_custody(&mentor, case.id).err(),
        Some(AccessError::Forbidden)
    );
    assert!(platform.case_custody(&coordinator, case.id).is_ok());

    // Concurrent appends keep one chain.
    std::thread::scope(|scope| {
        for who in [&mentor, &coordinator, &care, &mentor] {
            let platform = platform.clone();
            scope.spawn(move || {
                for _ in 0..5 {
                    platform
                        .evidence_content(who, file.id, EvidenceAct::View, "")
                        .unwrap();
                }
            });
        }
    });
    let log = platform.case_custody(&coordinator, case.id).unwrap();
    assert_eq!(log.len(), 21);
    assert_eq!(
        log.iter().map(|e| e.seq).collect::<Vec<_>>(),
        (1..=21).collect::<Vec<_>>()
    );
    let lines: Vec<String> = log.iter().map(|e| e.line()).collect();
    let head = erbij_bundle::verify_chain(&lines.join("\n")).unwrap();
    assert_eq!(head.entries, 21);

    // A refused file leaves nothing behind.
    let refused = platform.add_evidence(
        &mentor,
        case.id,
        NewEvidence {
            file_name: "nep.png".into(),
            bytes: b"GIF89a".to_vec(),
            ..NewEvidence::default()
        },
    );
    assert_eq!(
        refused.err(),
        Some(EvidenceError::Invalid("error-evidence-mismatch"))
    );
    assert_eq!(store.evidence_of_case(school.id, case.id).unwrap().len(), 1);

    // A pupil's report: anonymous, with a screenshot; the coordinator opens a case from it.
    let code = platform.report_code(&coordinator).unwrap();
    assert_eq!(store.school_by_code(&code).unwrap(), Some(school.id));
    assert_eq!(
        platform.report_code(&admin).unwrap(),
        code,
        "one code per school"
    );
    let report = platform
        .submit_report(
            &code,
            NewReport {
                what: "Ze lachen haar uit in de groep.".into(),
                file: Some(("scherm.png".into(), b"\x89PNG\r\n\x1a\nrest".to_vec())),
                ..NewReport::default()
            },
        )
        .unwrap();
    assert_eq!(platform.unread_reports(&coordinator).unwrap().len(), 1);
    // The coordinator gets an e-mail that names nobody and quotes nothing.
    let mailer = erbij_core::mail::MemoryMailer::default();
    platform
        .run_due_jobs(&mailer, "https://erbij.example", 20)
        .unwrap();
    let sent = mailer.sent();
    assert_eq!(sent.len(), 1, "one coordinator, one mail");
    assert_eq!(sent[0].to.as_str(), format!("coordinator@{prefix}.example"));
    for text in [&sent[0].subject, &sent[0].body] {
        assert!(!text.contains("lachen") && !text.contains("Mila"), "{text}");
    }
    assert_eq!(
        platform.report_detail(&mentor, report).err(),
        Some(AccessError::NotFound)
    );
    assert_eq!(
        platform.report_detail(&foreign, report).err(),
        Some(AccessError::NotFound)
    );
    let (seen, files) = platform.report_detail(&coordinator, report).unwrap();
    assert!(seen.reporter_name.is_none());
    assert_eq!(files.len(), 1);
    assert!(platform.unread_reports(&coordinator).unwrap().is_empty());
    let opened = platform
        .open_case_from_report(&coordinator, report, mila.id, "")
        .unwrap();
    let evidence = store.evidence_of_case(school.id, opened).unwrap();
    assert_eq!(evidence.len(), 1);
    assert_eq!(evidence[0].sha256, files[0].sha256);
    let log = platform.case_custody(&coordinator, opened).unwrap();
    assert_eq!(log[0].action, "upload");
    assert!(
        log[0]
            .field("reason")
            .unwrap_or_default()
            .contains("Meld het")
    );
    assert_eq!(
        platform
            .open_case_from_report(&coordinator, report, mila.id, "")
            .err(),
        Some(EvidenceError::Invalid("error-report-has-case"))
    );
    // Blobs no row refers to are swept; the used ones stay.
    assert_eq!(platform.sweep_evidence_blobs().unwrap(), 0);
}

#[test]
fn evidence_on_sqlite() {
    let dir = temp_dir("evidence");
    run_suite(
        Arc::new(erbij_store::open_sqlite_in(&dir).unwrap()),
        "sqlite",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn evidence_on_postgres() {
    common::on_postgres(
        &format!("erbij_evidence_{}", std::process::id()),
        |url, schema| {
            run_suite(
                Arc::new(erbij_store::open_postgres(url, Some(schema)).unwrap()),
                "pg",
            );
        },
    );
}
