//! Parents' letters by the article's rules, on both databases: primary school informs
//! directly, secondary school asks for the conversation with the pupil first; under 16 the
//! parents decide about consent; the all-parents letter names no child of the class; a
//! letter is mailed once per address and logged as one "parents informed" step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::temp_dir;

use std::sync::Arc;

use erbij_core::cases::letters::{Consent, LetterKind, LetterLang, ParentStep, TalkDecision};
use erbij_core::cases::{CaseError, CaseId, NewCase, Origin, PersonRole, StepKind};
use erbij_core::mail::MemoryMailer;
use erbij_core::{
    Actor, Clock, Date, Email, FixedClock, NewPupil, NewUser, Platform, PupilId, PupilRecord, Role,
    SchoolKind, SchoolName, Store,
};

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A class of fictional pupils: given, infix, family.
const CLASS: [(&str, &str, &str); 12] = [
    ("Mila", "de", "Vries"),
    ("Sanne", "", "Jansen"),
    ("Daan", "van", "Dijk"),
    ("Noor", "", "Bakker"),
    ("Finn", "", "Visser"),
    ("Lotte", "van den", "Berg"),
    ("Sem", "", "Smit"),
    ("Julia", "", "Meijer"),
    ("Lucas", "de", "Boer"),
    ("Emma", "", "Mulder"),
    ("Bram", "", "Kok"),
    ("Tess", "", "Hendriks"),
];

struct World {
    platform: Platform,
    admin: Actor,
    mentor: Actor,
    coordinator: Actor,
    pupils: Vec<PupilRecord>,
}

fn account(store: &dyn Store, school: erbij_core::SchoolId, email: &str, role: Role) -> Actor {
    let record = store
        .create_user(&NewUser {
            school_id: school,
            email: Email::new(email).unwrap(),
            name: format!("Meester {}", email.split('@').next().unwrap()),
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

fn world(store: Arc<dyn Store>, prefix: &str, kind: SchoolKind) -> World {
    let clock = Arc::new(FixedClock::new(date("2026-03-02").amsterdam_time(9, 0)));
    let platform = Platform::new(store.clone(), clock as Arc<dyn Clock>);
    let school = store
        .create_school(&SchoolName::new(&format!("{prefix} School")).unwrap(), kind)
        .unwrap();
    let a = |who: &str, role| account(&*store, school.id, &format!("{who}@{prefix}.example"), role);
    let admin = a("beheer", Role::Administrator);
    let mentor = a("mentor", Role::Teacher);
    let coordinator = a("coordinator", Role::Coordinator);
    let class = platform.create_class(&admin, "2B").unwrap();
    platform
        .assign_teacher(&admin, class.id, mentor.user_id)
        .unwrap();
    let mut pupils = Vec::new();
    for (i, (given, infix, family)) in CLASS.iter().enumerate() {
        let pupil = platform
            .create_pupil(
                &admin,
                class.id,
                NewPupil::parse(given, infix, family, "").unwrap(),
            )
            .unwrap();
        // Every pupil has one or two parents' addresses; two pupils share a parent.
        let own = format!("ouder{i}@{prefix}.example");
        let mut emails = own.clone();
        if i % 3 == 0 {
            emails.push_str(&format!("\nverzorger{i}@{prefix}.example"));
        }
        if i == 11 {
            emails.push_str(&format!(", ouder10@{prefix}.example"));
        }
        platform
            .set_pupil_parent_details(&admin, pupil.id, &emails, "")
            .unwrap();
        pupils.push(pupil);
    }
    World {
        platform,
        admin,
        mentor,
        coordinator,
        pupils,
    }
}

/// A case about Mila with Sanne as the one who excludes.
fn open(w: &World) -> CaseId {
    let case = w
        .platform
        .open_case(
            &w.mentor,
            NewCase {
                pupil_id: w.pupils[0].id,
                origin: Origin::Signal,
                origin_ref: None,
                summary: "Mila is door Sanne uit de klassenapp verwijderd.".into(),
                owner_id: None,
            },
        )
        .unwrap()
        .id;
    w.platform
        .add_case_person(
            &w.mentor,
            case,
            Some(w.pupils[1].id),
            "",
            PersonRole::Excluding,
        )
        .unwrap();
    case
}

fn names(pupil: &PupilRecord) -> Vec<String> {
    let mut out = vec![
        pupil.full_name(),
        pupil.given_name.clone(),
        pupil.family_name.clone(),
    ];
    if !pupil.infix.is_empty() {
        out.push(format!("{} {}", pupil.infix, pupil.family_name));
    }
    out
}

fn invalid<T: std::fmt::Debug>(result: Result<T, CaseError>) -> &'static str {
    match result {
        Err(CaseError::Invalid(key)) => key,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn secondary_school_talks_with_the_pupil_first(store: Arc<dyn Store>) {
    let w = world(store, "vo", SchoolKind::Secondary);
    let p = &w.platform;
    let case = open(&w);
    let (mila, sanne) = (w.pupils[0].id, w.pupils[1].id);
    // Mila turns 16 tomorrow: her parents decide about consent. Sanne is 16.
    p.set_pupil_parent_details(&w.admin, mila, "ouder0@vo.example", "2010-03-03")
        .unwrap();
    p.set_pupil_parent_details(&w.admin, sanne, "ouder1@vo.example", "2010-03-02")
        .unwrap();
    let overview = p.case_parents(&w.mentor, case).unwrap();
    assert_eq!(overview.entries.len(), 2, "both sides' parents");
    let entry = |o: &erbij_core::cases::letters::ParentsOverview, id: PupilId| {
        o.entries.iter().find(|e| e.pupil.id == id).unwrap().clone()
    };
    assert_eq!(entry(&overview, mila).kind, LetterKind::Excluded);
    assert_eq!(entry(&overview, sanne).kind, LetterKind::Excluding);
    assert_eq!(entry(&overview, mila).step, ParentStep::TalkFirst);
    assert_eq!(entry(&overview, mila).consent, Consent::Parents);
    assert_eq!(entry(&overview, mila).age, Some(15));
    assert_eq!(entry(&overview, sanne).consent, Consent::Pupil);

    // No letter before the conversation, not on paper and not by mail.
    let before = |p: &Platform| {
        p.case_letter(
            &w.mentor,
            case,
            LetterKind::Excluded,
            Some(mila),
            LetterLang::Nl,
        )
    };
    assert_eq!(invalid(before(p)), "error-letter-talk-first");
    assert_eq!(
        invalid(p.send_case_letter(
            &w.mentor,
            case,
            LetterKind::Excluded,
            Some(mila),
            LetterLang::Nl
        )),
        "error-letter-talk-first"
    );
    // The pupil asks not to, yet: still no letter.
    p.record_parent_talk(
        &w.mentor,
        case,
        mila,
        TalkDecision::NotNow,
        "",
        date("2026-03-02"),
    )
    .unwrap();
    assert_eq!(invalid(before(p)), "error-letter-pupil-asked-wait");
    // A new conversation: inform them. Now the letter is offered.
    p.record_parent_talk(
        &w.mentor,
        case,
        mila,
        TalkDecision::Inform,
        "Mila wil dat de mentor belt.",
        date("2026-03-02"),
    )
    .unwrap();
    let overview = p.case_parents(&w.mentor, case).unwrap();
    assert_eq!(
        entry(&overview, mila).step,
        ParentStep::InformAfterTalk(TalkDecision::Inform)
    );
    // Sanne's side still waits for its own conversation.
    assert_eq!(entry(&overview, sanne).step, ParentStep::TalkFirst);
    let letter = before(p).unwrap();
    assert!(letter.body.contains("Mila de Vries"));
    assert!(!letter.body.contains("Sanne"), "only their own child");
    assert!(!letter.body.contains("klassenapp verwijderd"), "no summary");
    // A bystander or a pupil outside the case has no conversation to record.
    assert_eq!(
        invalid(p.record_parent_talk(
            &w.mentor,
            case,
            w.pupils[5].id,
            TalkDecision::Inform,
            "",
            date("2026-03-02"),
        )),
        "error-letter-pupil-not-in-case"
    );
    // A date in the future is refused.
    assert_eq!(
        invalid(p.record_parent_talk(
            &w.mentor,
            case,
            sanne,
            TalkDecision::Inform,
            "",
            date("2026-03-03"),
        )),
        "error-case-date-in-future"
    );
}

fn primary_school_informs_directly(store: Arc<dyn Store>) {
    let w = world(store, "po", SchoolKind::Primary);
    let p = &w.platform;
    let case = open(&w);
    let overview = p.case_parents(&w.mentor, case).unwrap();
    assert!(
        overview
            .entries
            .iter()
            .all(|e| e.step == ParentStep::InformDirectly && e.consent == Consent::Parents)
    );
    for lang in LetterLang::ALL {
        let letter = p
            .case_letter(
                &w.mentor,
                case,
                LetterKind::Excluding,
                Some(w.pupils[1].id),
                lang,
            )
            .unwrap();
        assert!(letter.body.contains("Sanne Jansen"));
        assert!(!letter.body.contains("Mila"), "never the other child");
        assert!(!letter.subject.contains('{') && !letter.body.contains('{'));
    }
    // The school type is a setting: secondary from now on, and the rule follows.
    assert!(matches!(
        p.set_school_kind(&w.mentor, SchoolKind::Secondary),
        Err(CaseError::Access(_))
    ));
    p.set_school_kind(&w.coordinator, SchoolKind::Secondary)
        .unwrap();
    let overview = p.case_parents(&w.mentor, case).unwrap();
    assert!(
        overview
            .entries
            .iter()
            .all(|e| e.step == ParentStep::TalkFirst)
    );
}

fn the_all_parents_letter_names_no_child(store: Arc<dyn Store>) {
    let w = world(store, "klas", SchoolKind::Secondary);
    let p = &w.platform;
    let case = open(&w);
    let mailer = MemoryMailer::default();
    for lang in LetterLang::ALL {
        let letter = p
            .case_letter(&w.mentor, case, LetterKind::Class, None, lang)
            .unwrap();
        let text = format!("{}\n{}", letter.subject, letter.body);
        for pupil in &w.pupils {
            for name in names(pupil) {
                assert!(
                    !text.contains(&name),
                    "the all-parents letter ({}) names {name}",
                    lang.as_str()
                );
            }
        }
        assert!(text.contains("2B"));
    }
    // No conversation needed: it names nobody. Every parent of the class gets it once.
    let sent = p
        .send_case_letter(&w.mentor, case, LetterKind::Class, None, LetterLang::Nl)
        .unwrap();
    // 12 own addresses + 4 second carers; the shared parent once.
    assert_eq!(sent.addresses, 16);
    assert_eq!(sent.queued, 16);
    p.run_due_jobs(&mailer, "", 100).unwrap();
    let mails = mailer.sent();
    assert_eq!(mails.len(), 16);
    for mail in &mails {
        for pupil in &w.pupils {
            for name in names(pupil) {
                assert!(
                    !mail.subject.contains(&name) && !mail.body.contains(&name),
                    "a mail to {} names {name}",
                    mail.to.as_str()
                );
            }
        }
    }
    // A school's own template with a child's name (or {child}) is refused.
    assert_eq!(
        invalid(p.save_letter_template(
            &w.coordinator,
            LetterKind::Class,
            LetterLang::Nl,
            "Over de klassenapp",
            "Beste ouders, Noor is uit de app gezet.",
        )),
        "error-letter-class-names"
    );
    assert_eq!(
        invalid(p.save_letter_template(
            &w.coordinator,
            LetterKind::Class,
            LetterLang::Nl,
            "Over {child}",
            "Beste ouders van klas {class}.",
        )),
        "error-letter-class-placeholder"
    );
    // Its own text without names is used.
    p.save_letter_template(
        &w.coordinator,
        LetterKind::Class,
        LetterLang::Nl,
        "Groepsapp {class}",
        "Beste ouders van klas {class}, groet van {mentor} ({school}).",
    )
    .unwrap();
    let letter = p
        .case_letter(&w.mentor, case, LetterKind::Class, None, LetterLang::Nl)
        .unwrap();
    assert_eq!(letter.subject, "Groepsapp 2B");
    assert_eq!(
        letter.body,
        "Beste ouders van klas 2B, groet van Meester mentor (klas School)."
    );
    // A teacher may not change the school's letters.
    assert!(matches!(
        p.save_letter_template(&w.mentor, LetterKind::Class, LetterLang::Nl, "x", "y"),
        Err(CaseError::Access(_))
    ));
}

fn a_letter_is_mailed_once_and_logged_as_a_step(store: Arc<dyn Store>) {
    let w = world(store, "mail", SchoolKind::Primary);
    let p = &w.platform;
    let case = open(&w);
    let mila = w.pupils[0].id;
    let mailer = MemoryMailer::default();
    let send = || {
        p.send_case_letter(
            &w.mentor,
            case,
            LetterKind::Excluded,
            Some(mila),
            LetterLang::Nl,
        )
        .unwrap()
    };
    let first = send();
    assert_eq!((first.addresses, first.queued), (2, 2));
    let step = first.step.expect("a step the first time");
    assert_eq!(step.kind, StepKind::ParentsInformed);
    assert_eq!(step.pupil_ids, vec![mila]);
    let second = send();
    assert_eq!(second.queued, 0, "never twice");
    assert!(second.step.is_none());
    p.run_due_jobs(&mailer, "", 100).unwrap();
    p.run_due_jobs(&mailer, "", 100).unwrap();
    let mails = mailer.sent();
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["ouder0@mail.example", "verzorger0@mail.example"]);
    assert!(mails.iter().all(|m| m.body.contains("Mila de Vries")
        && !m.body.contains("Sanne")
        && m.subject == "Uitnodiging voor een gesprek over Mila de Vries"));
    let steps = p.case_file(&w.mentor, case).unwrap().steps;
    assert_eq!(
        steps
            .iter()
            .filter(|s| s.kind == StepKind::ParentsInformed)
            .count(),
        1
    );
    assert!(p.case_parents(&w.mentor, case).unwrap().entries[0].sent);
    // Without an address: print it instead.
    p.set_pupil_parent_details(&w.admin, w.pupils[1].id, "", "")
        .unwrap();
    assert_eq!(
        invalid(p.send_case_letter(
            &w.mentor,
            case,
            LetterKind::Excluding,
            Some(w.pupils[1].id),
            LetterLang::Nl
        )),
        "error-letter-no-address"
    );
    // Addresses by hand: a bad one is refused with a reason, nothing changes.
    assert_eq!(
        invalid(p.set_pupil_parent_details(&w.admin, mila, "geen-adres", "")),
        "error-parent-email"
    );
    // Only whoever edits pupils (the administrator) sets them.
    assert!(matches!(
        p.set_pupil_parent_details(&w.mentor, mila, "a@b.example", ""),
        Err(CaseError::Access(_))
    ));
    assert_eq!(p.pupil_parent_details(&w.admin, mila).unwrap().0.len(), 2);
}

fn run_suite(store: Arc<dyn Store>) {
    secondary_school_talks_with_the_pupil_first(store.clone());
    primary_school_informs_directly(store.clone());
    the_all_parents_letter_names_no_child(store.clone());
    a_letter_is_mailed_once_and_logged_as_a_step(store);
}

#[test]
fn parents_letters_on_sqlite() {
    let dir = temp_dir("letters");
    run_suite(Arc::new(erbij_store::open_sqlite_in(&dir).unwrap()));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn parents_letters_on_postgres() {
    common::on_postgres(
        &format!("erbij_letters_{}", std::process::id()),
        |url, schema| {
            run_suite(Arc::new(
                erbij_store::open_postgres(url, Some(schema)).unwrap(),
            ));
        },
    );
}
