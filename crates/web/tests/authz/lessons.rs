//! The authorization rows of lessons: every route of that capability for every actor (see
//! `authorization.rs` for the actors' order and the placeholders it fills in).
//!
//! Pupils' routes (`/l/...`, `/api/v1/votes`, `/api/v1/agreement-*`) answer every actor the
//! same: the code is the credential, not an account.

#[allow(unused_imports)]
use super::{Body, Row, Seed, TestApp, row};
use erbij_core::{Actor, Role};

/// `{name}` placeholders this file's rows use, with the objects made for them.
pub fn seed(app: &TestApp, seed: &Seed) -> Vec<(&'static str, String)> {
    let p = &app.platform;
    let teacher = Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    };
    let twelve: Vec<i64> = (1..=12).collect();
    let session = p
        .start_dilemma_session(&teacher, seed.class_2b, &twelve)
        .unwrap();
    let session_end = p
        .start_dilemma_session(&teacher, seed.class_2b, &[1, 2])
        .unwrap();
    let voting = p
        .start_dilemma_session(&teacher, seed.class_2b, &[1, 2])
        .unwrap();
    let ended = p
        .start_dilemma_session(&teacher, seed.class_2b, &[3])
        .unwrap();
    p.end_session(&teacher, ended.id).unwrap();
    // A round still collecting proposals (web rows), one for the API's settle row, one for
    // pupils' proposals, one in voting for pupils' ballots, and a settled one.
    let round = p
        .open_agreement_round(&teacher, seed.class_2b, None)
        .unwrap();
    let round_proposal = p
        .add_teacher_proposal(&teacher, round.id, "Niemand buitensluiten")
        .unwrap();
    let api_round = p
        .open_agreement_round(&teacher, seed.class_2b, None)
        .unwrap();
    let api_proposal = p
        .add_teacher_proposal(&teacher, api_round.id, "Geen screenshots doorsturen")
        .unwrap();
    let proposing = p
        .open_agreement_round(&teacher, seed.class_2b, None)
        .unwrap();
    let voting_round = p
        .open_agreement_round(&teacher, seed.class_2b, None)
        .unwrap();
    let vote_proposal = p
        .add_teacher_proposal(&teacher, voting_round.id, "Reageer op elkaar")
        .unwrap();
    p.open_agreement_voting(&teacher, voting_round.id).unwrap();
    let settled = p
        .open_agreement_round(&teacher, seed.class_2b, None)
        .unwrap();
    let settled_proposal = p
        .add_teacher_proposal(&teacher, settled.id, "Vraag toestemming voor foto's")
        .unwrap();
    p.settle_agreements(
        &teacher,
        settled.id,
        &[settled_proposal],
        Some("2027-01-15"),
    )
    .unwrap();
    vec![
        ("session_end", session_end.id.to_string()),
        ("session_done", ended.id.to_string()),
        ("session", session.id.to_string()),
        ("join_code", voting.join_code.unwrap()),
        ("round_proposal", round_proposal.to_string()),
        ("round_code", proposing.join_code.unwrap()),
        ("round", round.id.to_string()),
        ("api_round", api_round.id.to_string()),
        ("api_proposal", api_proposal.to_string()),
        ("vote_round_code", voting_round.join_code.unwrap()),
        ("vote_proposal", vote_proposal.to_string()),
        ("settled_round", settled.id.to_string()),
        ("dilemma", "1".to_string()),
    ]
}

const DILEMMA_FORM: &[(&str, &str)] = &[
    ("title", "De groepsfoto"),
    (
        "situation",
        "Iemand zet een groepsfoto online waar één klasgenoot af is geknipt.",
    ),
    ("choice", "Niets zeggen"),
    ("choice", "Er iets van zeggen"),
    ("question", "Wat zou jij doen?"),
    ("age", "groep78"),
];

pub const ROWS: &[Row] = &[
    //                                                                  admin coord advis care  teach other oschl anon
    row(
        "GET",
        "/lessons",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 303],
    ),
    row(
        "POST",
        "/lessons/dilemmas",
        Body::Form(DILEMMA_FORM),
        [403, 303, 403, 403, 303, 303, 403, 303],
    ),
    row(
        "POST",
        "/lessons/dilemmas/{dilemma}/visibility",
        Body::Form(&[("hidden", "0")]),
        [403, 303, 403, 403, 403, 403, 403, 303],
    ),
    row(
        "POST",
        "/lessons/sessions",
        Body::Form(&[("class_id", "{class}"), ("dilemma", "1"), ("dilemma", "2")]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/lessons/sessions/{session}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "GET",
        "/lessons/sessions/{session_done}/events",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/sessions/{session}/step",
        Body::Form(&[]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/sessions/{session_end}/end",
        Body::Form(&[]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/agreements",
        Body::Form(&[("class_id", "{class}"), ("votes_per_pupil", "3")]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/lessons/agreements/{round}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/agreements/{round}/proposals",
        Body::Form(&[("text", "We sturen geen screenshots door")]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/agreements/{round}/remove",
        Body::Form(&[("proposal_id", "0")]),
        [403, 404, 403, 403, 404, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/agreements/{round}/voting",
        Body::Form(&[]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/agreements/{round}/settle",
        Body::Form(&[
            ("proposal", "{round_proposal}"),
            ("review_on", "2027-02-01"),
        ]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "POST",
        "/lessons/agreements/{settled_round}/review",
        Body::Form(&[("review_on", "2027-03-01")]),
        [403, 303, 403, 403, 303, 404, 404, 303],
    ),
    row(
        "GET",
        "/lessons/agreements/{settled_round}/poster",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 303],
    ),
    row(
        "GET",
        "/l",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "GET",
        "/l/{join_code}",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
        "POST",
        "/l/{join_code}/vote",
        Body::Form(&[("dilemma_id", "1"), ("choice", "1")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/l/{join_code}/propose",
        Body::Form(&[("text", "Aardig blijven")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "POST",
        "/l/{join_code}/ballot",
        Body::Form(&[("proposal", "1")]),
        [303, 303, 303, 303, 303, 303, 303, 303],
    ),
    row(
        "GET",
        "/api/v1/dilemmas",
        Body::None,
        [200, 200, 200, 200, 200, 200, 200, 401],
    ),
    row(
        "POST",
        "/api/v1/dilemmas",
        Body::Json(
            r#"{"title":"De poll","situation":"Een poll over wie het irritantst is.","choices":["Meedoen","Niet meedoen"],"questions":["Waarom?"]}"#,
        ),
        [403, 201, 403, 403, 201, 201, 403, 401],
    ),
    row(
        "POST",
        "/api/v1/dilemma-sessions",
        Body::Json(r#"{"class_id":{class},"dilemma_ids":[1,2]}"#),
        [403, 201, 403, 403, 201, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/dilemma-sessions/{session}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/dilemma-sessions/{session}/advance",
        Body::None,
        [403, 200, 403, 403, 200, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/dilemma-sessions/{session}/results",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/votes",
        Body::Json(r#"{"join_code":"{join_code}","dilemma_id":1,"choice":1}"#),
        [201, 201, 201, 201, 201, 201, 201, 201],
    ),
    row(
        "POST",
        "/api/v1/agreement-rounds",
        Body::Json(r#"{"class_id":{class}}"#),
        [403, 201, 403, 403, 201, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/agreement-rounds/{settled_round}",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/agreement-rounds/{api_round}/settle",
        Body::Json(r#"{"proposal_ids":[{api_proposal}]}"#),
        [403, 200, 403, 403, 409, 404, 404, 401],
    ),
    row(
        "GET",
        "/api/v1/classes/{class}/agreements",
        Body::None,
        [200, 200, 200, 200, 200, 404, 404, 401],
    ),
    row(
        "POST",
        "/api/v1/agreement-proposals",
        Body::Json(r#"{"join_code":"{round_code}","text":"Wees aardig in de groep"}"#),
        [201, 201, 201, 201, 201, 201, 201, 201],
    ),
    row(
        "POST",
        "/api/v1/agreement-votes",
        Body::Json(r#"{"join_code":"{vote_round_code}","proposal_ids":[{vote_proposal}]}"#),
        [201, 201, 201, 201, 201, 201, 201, 201],
    ),
];
