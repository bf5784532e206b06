//! The authorization rows of cases: every route of that capability for every actor (see
//! `authorization.rs` for the actors' order and the placeholders it fills in).
//!
//! `{case}` is a case about Mila (2B) owned by the teacher of 2B, with one agreement
//! (`{agreement}`) not yet checked, so closing it as solved answers 409 for everyone who
//! may close it. The administrator and the teacher of 3C (not added) get 404: for them the
//! case does not exist.

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};

use erbij_core::cases::{NewCase, Origin};
use erbij_core::{Date, Role, SchoolKind};

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
                origin: Origin::Signal,
                origin_ref: None,
                summary: "Mila is uit de klasapp verwijderd.".into(),
                owner_id: None,
            },
        )
        .unwrap();
    let today = Date::in_amsterdam(p.now());
    let agreement = p
        .add_agreement(
            &teacher,
            case.id,
            "Niemand verwijdert zonder overleg.",
            &[],
            today.add_days(7),
        )
        .unwrap();
    let pupil_3c = p.pupils_of_class(&seed.admin, seed.class_3c).unwrap()[0].id;
    let school = p.store().school(seed.admin.school_id).unwrap().unwrap();
    let (_, colleague) = p
        .operator_add_user(
            Some(&school.name),
            SchoolKind::Secondary,
            &format!("collega.{}@cases.example", seed.admin.school_id),
            "Collega Cases",
            Role::Teacher,
            "een lang testwachtwoord",
        )
        .unwrap();
    vec![
        ("case", case.id.0.to_string()),
        ("agreement", agreement.id.0.to_string()),
        ("pupil_3c", pupil_3c.0.to_string()),
        ("colleague", colleague.id.0.to_string()),
        ("today", today.to_string()),
    ]
}

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/cases",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    row(
        "GET",
        "/cases/new",
        Body::None,
        [403, 200, 200, 200, 200, 200, 403, 303],
    ),
    row(
        "POST",
        "/cases",
        Body::Form(&[
            ("pupil_id", "{pupil}"),
            ("origin", "signal"),
            ("summary", "Alleen in de pauze."),
        ]),
        [403, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/cases/{case}",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "GET",
        "/cases/{case}/print",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/people",
        Body::Form(&[("pupil_id", "{pupil_3c}"), ("role", "bystander")]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/members",
        Body::Form(&[("user_id", "{colleague}")]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/steps",
        Body::Form(&[
            ("kind", "note"),
            ("on", "{today}"),
            ("note", "Gesprek gepland."),
        ]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/agreements",
        Body::Form(&[("text", "Mila doet weer mee."), ("check_on", "2099-01-01")]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/agreements/{agreement}/checks",
        Body::Form(&[
            ("on", "{today}"),
            ("outcome", "partly"),
            ("next_check_on", "2099-01-01"),
        ]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/close",
        Body::Form(&[("outcome", "solved")]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/api/v1/cases",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 401],
    ),
    row(
        "POST",
        "/api/v1/cases",
        Body::Json(r#"{"pupil_id":{pupil},"origin":"survey","summary":"Niet gekozen."}"#),
        [403, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/cases/{case}",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/cases/{case}/people",
        Body::Json(r#"{"pupil_id":{pupil_3c},"role":"excluding"}"#),
        [404, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/cases/{case}/steps",
        Body::Json(r#"{"kind":"class_conversation","on":"{today}","pupil_ids":[],"note":""}"#),
        [404, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/cases/{case}/agreements",
        Body::Json(
            r#"{"text":"Sem nodigt Mila uit.","pupil_ids":[{pupil_3c}],"check_on":"2099-01-01"}"#,
        ),
        [404, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/agreements/{agreement}/checks",
        Body::Json(
            r#"{"on":"{today}","outcome":"not_kept","note":"","next_check_on":"2099-01-02"}"#,
        ),
        [404, 201, 201, 201, 201, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/cases/{case}/close",
        Body::Json(r#"{"outcome":"solved","note":""}"#),
        [404, 409, 409, 409, 409, 404, 404, 401],
    ),
    row(
        "GET",
        "/cases/{case}/parents",
        Body::None,
        [404, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/parents/talks",
        Body::Form(&[
            ("pupil_id", "{pupil}"),
            ("decision", "inform"),
            ("on", "{today}"),
            ("note", ""),
        ]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/cases/{case}/letters",
        Body::Form(&[("kind", "class"), ("lang", "nl")]),
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    // Without a letter kind the page sends the reader back to the parents' page.
    row(
        "GET",
        "/cases/{case}/letters/print",
        Body::None,
        [404, 303, 303, 303, 303, 404, 404, 303],
    ),
    // The school type and letter templates: the coordinator and the administrator (of
    // their own school); no pupil data.
    row(
        "GET",
        "/settings/letters",
        Body::None,
        [200, 200, 403, 403, 403, 403, 200, 303],
    ),
    row(
        "POST",
        "/settings/letters",
        Body::Form(&[
            ("kind", "class"),
            ("lang", "nl"),
            ("subject", "Over de groepsapp van de klas"),
            ("body", "Beste ouders, met vriendelijke groet, de mentor"),
        ]),
        [303, 303, 403, 403, 403, 403, 303, 303],
    ),
    row(
        "POST",
        "/settings/school-type",
        Body::Form(&[("kind", "vo")]),
        [303, 303, 403, 403, 403, 403, 303, 303],
    ),
    // Parents' addresses by hand: whoever edits pupils (the administrator).
    row(
        "POST",
        "/pupils/{pupil}/parents",
        Body::Form(&[
            ("parent_emails", "ouder.mila@example.org"),
            ("birth_date", "2012-05-01"),
        ]),
        [303, 403, 403, 403, 403, 404, 404, 303],
    ),
];
