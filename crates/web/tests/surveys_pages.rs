//! The survey pages' rules over HTTP: a code answers only for its own round and class, a
//! pupil cannot choose themselves, "niemand" is an answer, a wrong code gets a friendly
//! Dutch page (never a 500); and survey flags reach "Aandacht nodig" and the timeline with
//! the reason in words.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Client, TestApp, seed};
use erbij_core::surveys::RoundRequest;
use erbij_core::{Actor, NewPupil, PupilId, Role, TimelineItem};

fn nominations() -> RoundRequest {
    RoundRequest {
        kind: "nominations".into(),
        questions: vec!["positive".into(), "left_out".into()],
        ..RoundRequest::default()
    }
}

fn add_pupils(app: &TestApp, seed: &common::Seed, names: &[&str]) -> Vec<PupilId> {
    let mut ids = vec![seed.pupil_2b];
    for name in names {
        ids.push(
            app.platform
                .create_pupil(
                    &seed.admin,
                    seed.class_2b,
                    NewPupil::parse(name, "", "Test", "").unwrap(),
                )
                .unwrap()
                .id,
        );
    }
    ids
}

fn mentor(seed: &common::Seed) -> Actor {
    Actor {
        user_id: seed.user_ids["teacher"],
        school_id: seed.admin.school_id,
        role: Role::Teacher,
    }
}

#[test]
fn a_code_answers_only_for_its_own_round_and_never_for_oneself() {
    let app = TestApp::start_sqlite("surveys-pages-rules");
    let seed = seed(&app.platform, "SurveyRules");
    let pupils = add_pupils(&app, &seed, &["Noor", "Daan"]);
    let coordinator = Actor {
        user_id: seed.user_ids["coordinator"],
        school_id: seed.admin.school_id,
        role: Role::Coordinator,
    };
    let (_, codes_2b) = app
        .platform
        .start_survey(&mentor(&seed), seed.class_2b, &nominations())
        .unwrap();
    let (_, codes_3c) = app
        .platform
        .start_survey(&coordinator, seed.class_3c, &nominations())
        .unwrap();
    let mila = codes_2b
        .iter()
        .find(|c| c.pupil_id == pupils[0])
        .unwrap()
        .code
        .clone();
    let other_class = codes_3c[0].code.clone();
    let mut client = Client::new(&app.base);

    // Her own name is not on the form, and choosing herself anyway is refused in Dutch.
    let page = client.get(&format!("/s/{mila}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Noor") && page.body.contains("Daan"));
    assert!(
        !page
            .body
            .contains(&format!("name=\"positive\" value=\"{}\"", pupils[0].0))
    );
    assert!(
        page.body
            .contains(&format!("name=\"positive\" value=\"{}\"", pupils[1].0))
    );
    let own = pupils[0].0.to_string();
    let reply = client.post_form(&format!("/s/{mila}"), &[("positive", &own)]);
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(
        reply.body.contains("Je kunt jezelf niet kiezen"),
        "{}",
        reply.body
    );
    // Choosing someone twice is refused as well.
    let noor = pupils[1].0.to_string();
    let reply = client.post_form(
        &format!("/s/{mila}"),
        &[("positive", &noor), ("positive", &noor)],
    );
    assert_eq!(reply.status, 422);
    // "niemand" together with names is a contradiction the page explains.
    let reply = client.post_form(
        &format!("/s/{mila}"),
        &[("positive", &noor), ("none-positive", "1")],
    );
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("niemand"), "{}", reply.body);

    // A 3C code cannot choose a 2B pupil: the code opens its own round and class only.
    let reply = client.post_form(&format!("/s/{other_class}"), &[("positive", &noor)]);
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("alleen klasgenoten"), "{}", reply.body);
    let page = client.get(&format!("/s/{other_class}"));
    assert!(!page.body.contains("Noor"), "3C's form lists 2B's pupils");

    // "niemand" is an answer; then a real choice replaces it.
    let reply = client.post_form(&format!("/s/{mila}"), &[("none-positive", "1")]);
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.location(), format!("/s/{mila}/thanks"));
    let reply = client.post_form(&format!("/s/{mila}"), &[("positive", &noor)]);
    assert_eq!(reply.status, 303);
    let page = client.get(&format!("/s/{mila}"));
    assert!(page.body.contains("Je hebt al geantwoord"));
    assert!(
        page.body.contains(&format!("value=\"{noor}\" checked")),
        "{}",
        page.body
    );
    let thanks = client.get(&format!("/s/{mila}/thanks"));
    assert!(
        thanks
            .body
            .contains("Alleen je mentor en de zorgcoördinator")
    );

    // The code as typed: lower case with a dash leads to the same page.
    let typed = format!("{}-{}", &mila[..5], &mila[5..]).to_lowercase();
    let reply = client.get(&format!("/s?code={typed}"));
    assert_eq!(reply.status, 303);
    assert_eq!(reply.location(), format!("/s/{mila}"));

    // Wrong codes: a friendly Dutch page, never a 500.
    for path in [
        "/s/ABCDEFGHJK",
        "/s/nonsense",
        "/s?code=%F0%9F%98%80",
        "/s/%00",
    ] {
        let reply = client.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.body.contains("Deze code kennen we niet"), "{path}");
    }
    let reply = client.post_form("/s/ABCDEFGHJK", &[("positive", "1")]);
    assert_eq!(reply.status, 404);

    // Once closed, the form says so and refuses changes (409).
    app.platform
        .close_survey(&mentor(&seed), codes_round(&app, &seed))
        .unwrap();
    let page = client.get(&format!("/s/{mila}"));
    assert!(page.body.contains("gesloten"), "{}", page.body);
    let reply = client.post_form(&format!("/s/{mila}"), &[("positive", &noor)]);
    assert_eq!(reply.status, 409);
}

fn codes_round(app: &TestApp, seed: &common::Seed) -> erbij_core::surveys::SurveyId {
    app.platform
        .surveys_of_class(&mentor(seed), seed.class_2b)
        .unwrap()[0]
        .id
}

#[test]
fn survey_flags_reach_the_early_warning_list_and_the_timeline_in_words() {
    let app = TestApp::start_sqlite("surveys-pages-flags");
    let seed = seed(&app.platform, "SurveyFlags");
    let pupils = add_pupils(&app, &seed, &["Noor", "Daan", "Lotte", "Finn"]);
    let mentor = mentor(&seed);
    let (round, codes) = app
        .platform
        .start_survey(&mentor, seed.class_2b, &nominations())
        .unwrap();
    let code = |p: PupilId| codes.iter().find(|c| c.pupil_id == p).unwrap().code.clone();
    let mut client = Client::new(&app.base);
    // Noor, Daan, Lotte and Finn choose each other; nobody chooses Mila, and three name
    // her as left out. Mila chooses Noor.
    let circle = &pupils[1..];
    for (i, pupil) in circle.iter().enumerate() {
        let next = circle[(i + 1) % circle.len()].0.to_string();
        let prev = circle[(i + circle.len() - 1) % circle.len()].0.to_string();
        let mila = pupils[0].0.to_string();
        let mut fields = vec![("positive", next.as_str()), ("positive", prev.as_str())];
        if i < 3 {
            fields.push(("left_out", mila.as_str()));
        }
        let reply = client.post_form(&format!("/s/{}", code(*pupil)), &fields);
        assert_eq!(reply.status, 303, "{}", reply.body);
    }
    let noor = pupils[1].0.to_string();
    client.post_form(&format!("/s/{}", code(pupils[0])), &[("positive", &noor)]);
    // An open round flags nobody yet.
    assert!(
        app.platform
            .early_warning(&mentor)
            .unwrap()
            .iter()
            .all(|e| e.rule != "survey")
    );
    app.platform.close_survey(&mentor, round.id).unwrap();

    let list = app.platform.early_warning(&mentor).unwrap();
    let entry = list
        .iter()
        .find(|e| e.pupil_id == pupils[0] && e.rule == "survey")
        .expect("Mila is on the list");
    let (date_nl, _) = erbij_core::surveys::date_words(round.opens_on);
    assert!(
        entry
            .reason_nl
            .starts_with(&format!("volgens de peiling van {date_nl} ")),
        "{}",
        entry.reason_nl
    );
    assert!(
        entry.reason_nl.contains("door niemand gekozen"),
        "{}",
        entry.reason_nl
    );
    assert!(
        entry
            .reason_nl
            .contains("door 3 klasgenoten genoemd als buitengesloten"),
        "{}",
        entry.reason_nl
    );
    assert!(entry.reason_en.contains("chosen by nobody"));
    // The circle has mutual friends and is chosen: not on the list for the survey.
    assert!(
        !list
            .iter()
            .any(|e| e.pupil_id == pupils[2] && e.rule == "survey")
    );
    // The confidential adviser sees no survey flags.
    let adviser = Actor {
        user_id: seed.user_ids["adviser"],
        school_id: seed.admin.school_id,
        role: Role::ConfidentialAdviser,
    };
    assert!(
        app.platform
            .early_warning(&adviser)
            .unwrap()
            .iter()
            .all(|e| e.rule != "survey")
    );

    // The pupil's timeline holds the flag.
    let timeline = app.platform.pupil_timeline(&mentor, pupils[0]).unwrap();
    assert!(timeline.entries.iter().any(|e| matches!(
        &e.item,
        TimelineItem::SurveyFlag(flag) if flag.round_id == round.id && flag.reason_nl.contains("door niemand gekozen")
    )));
    // And the page shows it in words.
    client.login(&seed.emails["teacher"], common::PASSWORD);
    let page = client.get(&format!("/pupils/{}/signals", pupils[0].0));
    assert!(page.body.contains("door niemand gekozen"), "{}", page.body);
    let page = client.get("/early-warning");
    assert!(page.body.contains("door niemand gekozen"));
    // The mentor's results page: statuses, notes and the sociogram; the same statuses as
    // the API.
    let page = client.get(&format!("/surveys/{}", round.id));
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("niemand koos deze leerling"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<figure class=\"sociogram\" tabindex=\"0\"><svg")
    );

    // The coordinator sees the statuses, not who chose whom, until the school allows it.
    let mut coordinator = Client::new(&app.base);
    coordinator.login(&seed.emails["coordinator"], common::PASSWORD);
    let page = coordinator.get(&format!("/surveys/{}", round.id));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("niemand koos deze leerling"));
    assert!(!page.body.contains("class=\"sociogram\""), "{}", page.body);
    assert_eq!(
        coordinator
            .get(&format!("/surveys/{}/answers.csv", round.id))
            .status,
        403
    );
    let rules = coordinator.get("/early-warning/rules");
    assert!(rules.body.contains("action=\"/settings/surveys\""));
    let csrf = coordinator.session_csrf();
    let reply = coordinator.post_form(
        "/settings/surveys",
        &[
            ("csrf", csrf.as_str()),
            ("coordinator_sees_answers", "1"),
            ("alpha", "0.05"),
        ],
    );
    assert_eq!(reply.status, 303);
    let page = coordinator.get(&format!("/surveys/{}", round.id));
    assert!(page.body.contains("class=\"sociogram\""));
    let csv = coordinator.get(&format!("/surveys/{}/answers.csv", round.id));
    assert_eq!(csv.status, 200);
    assert!(
        csv.body.starts_with("group,from,to,question"),
        "{}",
        csv.body
    );
}

#[test]
fn guessing_codes_on_the_answer_page_is_stopped_with_a_friendly_page() {
    let app = TestApp::start_sqlite("surveys-pages-guesses");
    let seed = seed(&app.platform, "SurveyGuesses");
    let (_, codes) = app
        .platform
        .start_survey(&mentor(&seed), seed.class_2b, &nominations())
        .unwrap();
    let mut client = Client::new(&app.base);
    // `pages::surveys::WRONG_CODE_LIMIT` wrong codes per address per quarter of an hour.
    let limit = 200;
    for i in 0..limit {
        let reply = client.get(&format!("/s/{:010}", i));
        assert_eq!(reply.status, 404, "guess {i}");
    }
    // Now even a right code waits: the address guessed too often.
    for path in [
        "/s/0000000001".to_string(),
        format!("/s/{}", codes[0].code),
        "/s?code=0000000002".to_string(),
    ] {
        let reply = client.get(&path);
        assert_eq!(reply.status, 429, "{path}");
        assert!(reply.header("retry-after").is_some(), "{path}");
        assert!(
            reply.body.contains("Te veel verkeerde codes"),
            "{}",
            reply.body
        );
    }
}

#[test]
fn the_results_page_explains_by_what_the_class_reported_and_warns_about_few_respondents() {
    let app = TestApp::start_sqlite("surveys-pages-explained");
    let seed = seed(&app.platform, "SurveyExplained");
    let others: Vec<String> = (1..=10).map(|i| format!("Kind{i:02}")).collect();
    let names: Vec<&str> = others.iter().map(String::as_str).collect();
    let pupils = add_pupils(&app, &seed, &names);
    let mentor = mentor(&seed);
    let (round, codes) = app
        .platform
        .start_survey(&mentor, seed.class_2b, &nominations())
        .unwrap();
    let code = |p: PupilId| codes.iter().find(|c| c.pupil_id == p).unwrap().code.clone();
    let mut client = Client::new(&app.base);
    let circle = &pupils[1..];
    let mila = pupils[0].0.to_string();
    let answer = |client: &mut Client, i: usize| {
        let next = circle[(i + 1) % circle.len()].0.to_string();
        let reply = client.post_form(
            &format!("/s/{}", code(circle[i])),
            &[("positive", next.as_str()), ("left_out", mila.as_str())],
        );
        assert_eq!(reply.status, 303, "{}", reply.body);
    };
    // Five of eleven answer, and all five name Mila as left out.
    for i in 0..5 {
        answer(&mut client, i);
    }
    client.login(&seed.emails["teacher"], common::PASSWORD);
    let page = client.get(&format!("/surveys/{}", round.id));
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Let op: 5 leerlingen deden mee, minder dan 10. Bij zo weinig antwoorden zijn de statussen niet te vertrouwen"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "<strong>Mila</strong>: 5 klasgenoten noemen Mila als iemand die buitengesloten wordt."
        ),
        "{}",
        page.body
    );
    // The sociogram leaves the left-out nominations out until the mentor asks, by a plain
    // link (no JavaScript), which keeps the other choices of the page.
    assert!(!page.body.contains("id=\"left-out-nominations\""));
    let toggle = format!(
        "href=\"/surveys/{}?criteria=nb&amp;alpha=0.05&amp;left_out=1#sociogram\"",
        round.id
    );
    assert!(page.body.contains(&toggle), "{}", page.body);
    assert!(page.body.contains("Toon wie wie buitengesloten noemt"));
    let shown = client.get(&format!(
        "/surveys/{}?criteria=nb&alpha=0.05&left_out=1",
        round.id
    ));
    assert!(shown.body.contains("id=\"left-out-nominations\""));
    assert!(shown.body.contains("Verberg wie wie buitengesloten noemt"));
    let arrows = shown
        .body
        .split("<g id=\"left-out-nominations\"")
        .nth(1)
        .and_then(|rest| rest.split("</g>").next())
        .unwrap();
    assert_eq!(arrows.matches("<line ").count(), 5);

    // Ten answers: the note goes.
    for i in 5..10 {
        answer(&mut client, i);
    }
    let page = client.get(&format!("/surveys/{}", round.id));
    assert!(!page.body.contains("niet te vertrouwen"), "{}", page.body);
    assert!(page.body.contains(
        "<strong>Mila</strong>: 10 klasgenoten noemen Mila als iemand die buitengesloten wordt."
    ));
}
