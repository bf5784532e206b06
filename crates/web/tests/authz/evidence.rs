//! The authorization rows of evidence: every route of that capability for every actor (see
//! `authorization.rs` for the actors' order and the placeholders it fills in).
//!
//! `{ev_case}` is a case about Mila (2B) owned by the teacher of 2B, holding one chat export
//! (`{ev_file}`). The administrator and the teacher of 3C get 404 for everything in it.
//! `{report}` is a pupil's report with a screenshot (`{file_id}`), seen only by the
//! coordinator and the confidential adviser; `{school_code}` is the school's public code.

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

use erbij_core::Role;
use erbij_core::cases::{NewCase, Origin};
use erbij_core::evidence::{NewEvidence, NewReport};

const CHAT: &[u8] = b"02-05-2022 16:08 - Sanne: hoi allemaal\n02-05-2022 16:09 - Mila: hoi\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// `{name}` placeholders this file's rows use, with the objects made for them.
pub fn seed(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let p = &app.platform;
    let teacher = erbij_core::Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    };
    let case = p
        .open_case(
            &teacher,
            NewCase {
                pupil_id: seed.pupil_2b,
                origin: Origin::Chat,
                origin_ref: None,
                summary: "Mila is uit de groepsapp gezet.".into(),
                owner_id: None,
            },
        )
        .unwrap();
    let file = p
        .add_evidence(
            &teacher,
            case.id,
            NewEvidence {
                file_name: "klas 2B.txt".into(),
                bytes: CHAT.to_vec(),
                handed_in_by: "Mila".into(),
                exporter: "Mila".into(),
                ..NewEvidence::default()
            },
        )
        .unwrap();
    let coordinator = erbij_core::Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let code = p.report_code(&coordinator).unwrap();
    let report = p
        .submit_report(
            &code,
            NewReport {
                what: "Ze wordt steeds buitengesloten.".into(),
                file: Some(("scherm.png".into(), PNG.to_vec())),
                ..NewReport::default()
            },
        )
        .unwrap();
    let report_file = p
        .store()
        .evidence_of_report(seed.admin.school_id, report)
        .unwrap()[0]
        .id;
    vec![
        ("ev_case", case.id.0.to_string()),
        ("ev_file", file.id.0.to_string()),
        ("report", report.0.to_string()),
        ("file_id", report_file.0.to_string()),
        ("school_code", code),
        // A code of the school codes' form that no school has.
        ("wrong_school_code", "zzzzzzzz".to_string()),
    ]
}

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/cases/{ev_case}/evidence",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{ev_case}/evidence",
        Body::Multipart(
            &[("handed_in_by", "Mila"), ("exporter", "Mila")],
            Some(("klas.txt", CHAT)),
        ),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{ev_case}/bundle",
        Body::Form(&[("reason", "overleg met ouders")]),
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{ev_case}/findings/step",
        Body::Form(&[("note", "Bevinding besproken.")]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/evidence/{ev_file}/view",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/evidence/{ev_file}/download",
        Body::Form(&[("reason", "gesprek")]),
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "GET",
        "/classes/{class}/quick-look",
        Body::None,
        [403, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/quick-look",
        Body::Multipart(&[], Some(("klas.txt", CHAT))),
        [403, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/classes/{class}/quick-look/save",
        Body::Form(&[("pending_id", "gone"), ("case_id", "{ev_case}")]),
        [403, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/reports",
        Body::None,
        [403, 200, 200, 403, 403, 403, 403, 303],
    ),
    row(
        "GET",
        "/reports/poster",
        Body::None,
        [200, 200, 200, 403, 403, 403, 200, 303],
    ),
    row(
        "GET",
        "/reports/{report}",
        Body::None,
        [404, 200, 200, 404, 404, 404, 404, 303],
    ),
    row(
        "GET",
        "/reports/{report}/files/{file_id}",
        Body::None,
        [404, 200, 200, 404, 404, 404, 404, 303],
    ),
    row(
        "POST",
        "/reports/{report}/case",
        Body::Form(&[("pupil_id", "{pupil}"), ("summary", "")]),
        [404, 303, 303, 404, 404, 404, 404, 303],
    ),
    row(
        "GET",
        "/m/{school_code}",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    // A wrong code is 404 for everyone (counted against the address: after
    // `surveys::WRONG_CODE_LIMIT` wrong codes, 429; see tests/hardening.rs).
    row(
        "GET",
        "/m/{wrong_school_code}",
        Body::None,
        [404, 404, 404, 404, 404, 404, 404, 404],
    ),
    row(
        "POST",
        "/m/{school_code}",
        Body::Multipart(&[("what", "Ik word buitengesloten in de groepsapp.")], None),
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/api/v1/cases/{ev_case}/evidence",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/cases/{ev_case}/evidence",
        Body::Multipart(&[("handed_in_by", "Mila")], Some(("klas.txt", CHAT))),
        [404, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/cases/{ev_case}/findings",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/cases/{ev_case}/bundle",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/evidence/{ev_file}/content",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/reports/{school_code}",
        Body::Multipart(&[("what", "Ik word buitengesloten.")], None),
        [201, 201, 201, 201, 201, 201, 201, 201],
    ),
];
