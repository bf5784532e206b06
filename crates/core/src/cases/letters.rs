//! Parents' letters by the article's rules.
//!
//! - **Primary school (`po`)**: the parents are informed directly.
//! - **Secondary school (`vo`)**: the mentor first discusses with the pupil whether and how
//!   the parents are informed ([`ParentTalk`]); only then does the form offer the letter.
//!   When the pupil asked "not now", the letter waits until a new talk says otherwise.
//! - **Under 16** (age from the birth date): the parents decide about consent (for help
//!   outside school, for example); the form says so.
//! - The parents of **both sides** (the pupil who is left out and those who exclude) each get
//!   their own letter, about their own child only.
//! - When a pupil was excluded from a **class group app**, a letter to all parents of the
//!   class: it names no child. Its template may not hold `{child}`, and a template that
//!   holds a name of a pupil of the class is refused.
//!
//! Letters are filled from the case with only what that parent may read: the school, the
//! class, the mentor, the date and their own child's name (never the case summary, notes or
//! another child's name). Sent letters are mail jobs keyed by case, letter and address, so a
//! letter goes out once, and logged as a "parents informed" step.

use std::fmt;

use super::{CaseError, CaseId, CaseRight, PersonRole, StepKind, StepRecord};
use crate::platform::AccessError;
use crate::store::PupilRecord;
use crate::{Actor, Date, Email, Platform, PupilId, Role, SchoolKind, UserId};

/// Which letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterKind {
    /// To the parents of the pupil who is left out.
    Excluded,
    /// To the parents of a pupil who excludes.
    Excluding,
    /// To all parents of the class (a pupil was removed from the class group app).
    Class,
}

impl LetterKind {
    pub const ALL: [LetterKind; 3] = [
        LetterKind::Excluded,
        LetterKind::Excluding,
        LetterKind::Class,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            LetterKind::Excluded => "excluded",
            LetterKind::Excluding => "excluding",
            LetterKind::Class => "class",
        }
    }
    pub fn parse(raw: &str) -> Option<LetterKind> {
        LetterKind::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
    }
    /// The placeholders a template of this kind may use.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            LetterKind::Class => &["school", "class", "mentor", "date"],
            _ => &["school", "class", "mentor", "date", "child"],
        }
    }
}

impl fmt::Display for LetterKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The language of a letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterLang {
    Nl,
    En,
}

impl LetterLang {
    pub const ALL: [LetterLang; 2] = [LetterLang::Nl, LetterLang::En];
    pub fn as_str(self) -> &'static str {
        match self {
            LetterLang::Nl => "nl",
            LetterLang::En => "en",
        }
    }
    pub fn parse(raw: &str) -> Option<LetterLang> {
        LetterLang::ALL
            .into_iter()
            .find(|l| l.as_str() == raw.trim())
    }
}

/// What the pupil and the mentor decided about informing the parents (secondary school).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TalkDecision {
    /// The school informs the parents.
    Inform,
    /// The pupil tells their parents first; the school's letter follows.
    PupilTellsFirst,
    /// Not now: the letter waits until a new conversation.
    NotNow,
}

impl TalkDecision {
    pub const ALL: [TalkDecision; 3] = [
        TalkDecision::Inform,
        TalkDecision::PupilTellsFirst,
        TalkDecision::NotNow,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            TalkDecision::Inform => "inform",
            TalkDecision::PupilTellsFirst => "pupil_tells_first",
            TalkDecision::NotNow => "not_now",
        }
    }
    pub fn parse(raw: &str) -> Option<TalkDecision> {
        TalkDecision::ALL
            .into_iter()
            .find(|d| d.as_str() == raw.trim())
    }
}

/// The mentor's conversation with a pupil about informing the parents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentTalk {
    pub case_id: CaseId,
    pub pupil_id: PupilId,
    pub decision: TalkDecision,
    pub note: String,
    pub decided_on: Date,
    pub user_id: UserId,
}

/// Where the parents' step stands for one pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentStep {
    /// Primary school: inform the parents directly.
    InformDirectly,
    /// Secondary school: first discuss with the pupil whether and how.
    TalkFirst,
    /// Secondary school, after the conversation: the letter is offered.
    InformAfterTalk(TalkDecision),
    /// Secondary school: the pupil asked not to inform the parents now.
    Waiting,
}

impl ParentStep {
    pub fn offers_letter(self) -> bool {
        matches!(
            self,
            ParentStep::InformDirectly | ParentStep::InformAfterTalk(_)
        )
    }
}

/// The article's rule for one pupil's parents.
pub fn parent_step(kind: SchoolKind, talk: Option<TalkDecision>) -> ParentStep {
    match (kind, talk) {
        (SchoolKind::Primary, _) => ParentStep::InformDirectly,
        (SchoolKind::Secondary, None) => ParentStep::TalkFirst,
        (SchoolKind::Secondary, Some(TalkDecision::NotNow)) => ParentStep::Waiting,
        (SchoolKind::Secondary, Some(decision)) => ParentStep::InformAfterTalk(decision),
    }
}

/// Who decides about consent, by age.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// Under 16 (every pupil of a primary school): the parents decide.
    Parents,
    /// 16 or older: the pupil decides.
    Pupil,
    /// Secondary school without a birth date: the form asks for it.
    Unknown,
}

/// Who decides about consent, for a pupil born on `birth` (when known), on `today`.
pub fn consent(kind: SchoolKind, birth: Option<Date>, today: Date) -> Consent {
    match (kind, birth) {
        (SchoolKind::Primary, _) => Consent::Parents,
        (SchoolKind::Secondary, None) => Consent::Unknown,
        (SchoolKind::Secondary, Some(born)) if born.years_until(today) < 16 => Consent::Parents,
        (SchoolKind::Secondary, Some(_)) => Consent::Pupil,
    }
}

/// The default template of a letter: `(subject, body)`.
pub fn default_template(kind: LetterKind, lang: LetterLang) -> (&'static str, &'static str) {
    match (kind, lang) {
        (LetterKind::Excluded, LetterLang::Nl) => (
            "Uitnodiging voor een gesprek over {child}",
            "Beste ouder/verzorger van {child},\n\n\
             Op school merken we dat {child} in klas {class} de laatste tijd buiten de groep \
             valt. Dat nemen we serieus. We hebben met de klas en met de leerlingen apart \
             gesproken en afspraken gemaakt, die we de komende weken controleren.\n\n\
             We nodigen u graag uit voor een gesprek, zodat we samen kunnen kijken wat {child} \
             helpt. Wilt u contact opnemen met de mentor, {mentor}?\n\n\
             Praat er thuis rustig over, zonder zelf contact op te nemen met andere ouders of \
             leerlingen. Kinderen kunnen ook zelf terecht bij De Kindertelefoon: 0800-0432 \
             (gratis, anoniem).\n\n\
             Met vriendelijke groet,\n\n{mentor}\n{school}\n{date}",
        ),
        (LetterKind::Excluded, LetterLang::En) => (
            "Invitation to talk about {child}",
            "Dear parent or carer of {child},\n\n\
             At school we have noticed that {child} has lately been left out in class {class}. \
             We take this seriously. We have talked with the class and with the pupils one by \
             one and made agreements, which we will check in the coming weeks.\n\n\
             We would like to invite you for a conversation, so that together we can see what \
             helps {child}. Please get in touch with the mentor, {mentor}.\n\n\
             Talk about it calmly at home, without contacting other parents or pupils yourself. \
             Children can also call De Kindertelefoon: 0800-0432 (free, anonymous).\n\n\
             Kind regards,\n\n{mentor}\n{school}\n{date}",
        ),
        (LetterKind::Excluding, LetterLang::Nl) => (
            "Uitnodiging voor een gesprek over {child}",
            "Beste ouder/verzorger van {child},\n\n\
             Op school zien we dat er in klas {class} een leerling buiten de groep valt, en \
             dat {child} daarbij betrokken is. We hebben met {child} gesproken en afspraken \
             gemaakt, die we de komende weken controleren.\n\n\
             We nodigen u graag uit voor een gesprek, zodat we samen kunnen zorgen dat \
             iedereen erbij hoort. Wilt u contact opnemen met de mentor, {mentor}?\n\n\
             Met vriendelijke groet,\n\n{mentor}\n{school}\n{date}",
        ),
        (LetterKind::Excluding, LetterLang::En) => (
            "Invitation to talk about {child}",
            "Dear parent or carer of {child},\n\n\
             At school we see that a pupil in class {class} is being left out, and that \
             {child} is involved. We have talked with {child} and made agreements, which we \
             will check in the coming weeks.\n\n\
             We would like to invite you for a conversation, so that together we can make \
             sure everyone belongs. Please get in touch with the mentor, {mentor}.\n\n\
             Kind regards,\n\n{mentor}\n{school}\n{date}",
        ),
        (LetterKind::Class, LetterLang::Nl) => (
            "Over de groepsapp van klas {class}",
            "Beste ouders en verzorgers van klas {class},\n\n\
             Onlangs is een leerling uit de groepsapp van de klas verwijderd. Op school hebben \
             we hierover met de klas gesproken en afgesproken dat niemand meer zonder overleg \
             uit de klassenapp wordt gehaald.\n\n\
             Wilt u dit thuis bespreken? Vraag hoe het gaat in de groepsapp, en wat uw kind \
             doet als iemand wordt buitengesloten. Neemt u alstublieft geen contact op met \
             andere ouders of leerlingen over wie het was; dat helpt niemand.\n\n\
             Heeft u vragen, neem dan contact op met de mentor, {mentor}.\n\n\
             Met vriendelijke groet,\n\n{mentor}\n{school}\n{date}",
        ),
        (LetterKind::Class, LetterLang::En) => (
            "About the group chat of class {class}",
            "Dear parents and carers of class {class},\n\n\
             Recently a pupil was removed from the class group chat. At school we talked about \
             this with the class and agreed that nobody is removed from the class chat again \
             without talking it over.\n\n\
             Could you talk about this at home? Ask how things are going in the group chat, \
             and what your child does when someone is left out. Please do not contact other \
             parents or pupils about who it was; that helps nobody.\n\n\
             If you have questions, please contact the mentor, {mentor}.\n\n\
             Kind regards,\n\n{mentor}\n{school}\n{date}",
        ),
    }
}

/// Fills `{name}` placeholders; unknown ones stay as typed.
pub fn fill(template: &str, fields: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match fields.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template that its kind does not allow.
pub fn unknown_placeholders(kind: LetterKind, template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let name = &after[..end];
        if !kind.placeholders().contains(&name) && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &after[end + 1..];
    }
    out
}

/// The names of these pupils that occur in `text` as whole words (given names, family
/// names with their infix, full names): what an all-parents letter may never hold.
pub fn names_in(text: &str, pupils: &[PupilRecord]) -> Vec<String> {
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let lower = text.to_lowercase();
    let mut found = Vec::new();
    for pupil in pupils {
        let full = pupil.full_name();
        let family = [pupil.infix.as_str(), pupil.family_name.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let hit = words
            .iter()
            .any(|w| !pupil.given_name.is_empty() && *w == pupil.given_name)
            || (!full.is_empty() && lower.contains(&full.to_lowercase()))
            || (family.chars().count() > 2
                && words
                    .windows(family.split(' ').count())
                    .any(|win| win.join(" ") == family));
        if hit {
            found.push(full);
        }
    }
    found
}

/// One letter, filled in for its readers.
#[derive(Clone, PartialEq, Eq)]
pub struct Letter {
    pub kind: LetterKind,
    pub lang: LetterLang,
    /// The pupil whose parents it is for (`None`: all parents of the class).
    pub pupil_id: Option<PupilId>,
    pub subject: String,
    pub body: String,
    /// The parents' addresses it goes to (may be empty: print it).
    pub recipients: Vec<Email>,
}

impl fmt::Debug for Letter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Letter")
            .field("kind", &self.kind)
            .field("lang", &self.lang)
            .field("recipients", &self.recipients.len())
            .finish_non_exhaustive()
    }
}

/// One pupil's parents in a case: what the form shows and offers.
#[derive(Debug, Clone)]
pub struct ParentEntry {
    pub pupil: PupilRecord,
    pub kind: LetterKind,
    pub step: ParentStep,
    pub talk: Option<ParentTalk>,
    pub consent: Consent,
    pub age: Option<i32>,
    pub emails: Vec<Email>,
    /// A letter to these parents was already sent (logged as a step).
    pub sent: bool,
}

/// The parents' part of a case.
#[derive(Debug, Clone)]
pub struct ParentsOverview {
    pub case_id: CaseId,
    pub closed: bool,
    pub school_kind: SchoolKind,
    pub class_name: String,
    pub entries: Vec<ParentEntry>,
    /// Addresses of the class's parents (for the all-parents letter).
    pub class_addresses: usize,
    pub class_letter_sent: bool,
}

/// What a sent letter did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentLetter {
    /// Messages queued now (0 when the letter was already sent to every address).
    pub queued: usize,
    pub addresses: usize,
    /// The step logged (only the first time).
    pub step: Option<StepRecord>,
}

/// A step note marks which letter a "parents informed" step logged.
fn step_marker(kind: LetterKind, pupil: Option<PupilId>) -> String {
    match pupil {
        Some(p) => format!("[brief:{}:{}]", kind.as_str(), p.0),
        None => format!("[brief:{}]", kind.as_str()),
    }
}

fn letter_error(key: &'static str) -> CaseError {
    CaseError::Invalid(key)
}

impl Platform {
    /// The school's template of a letter (its own text, else the default).
    pub fn letter_template(
        &self,
        actor: &Actor,
        kind: LetterKind,
        lang: LetterLang,
    ) -> Result<(String, String, bool), AccessError> {
        let own = self
            .store()
            .letter_template(actor.school_id, kind.as_str(), lang.as_str())?;
        Ok(match own {
            Some((subject, body)) => (subject, body, true),
            None => {
                let (subject, body) = default_template(kind, lang);
                (subject.to_string(), body.to_string(), false)
            }
        })
    }

    /// May the actor change the school's letters and school type (coordinator, administrator)?
    pub fn may_edit_letters(actor: &Actor) -> bool {
        matches!(actor.role, Role::Coordinator | Role::Administrator)
    }

    /// Saves the school's own text of a letter; an empty subject and body return to the
    /// default. Refuses placeholders the letter does not know (`{child}` in the all-parents
    /// letter) and, for the all-parents letter, a name of a pupil of the school.
    pub fn save_letter_template(
        &self,
        actor: &Actor,
        kind: LetterKind,
        lang: LetterLang,
        subject: &str,
        body: &str,
    ) -> Result<(), CaseError> {
        if !Platform::may_edit_letters(actor) {
            return Err(AccessError::Forbidden.into());
        }
        let subject = super::clean(subject, 200, true, "error-letter-empty")?;
        let body = super::clean(body, 8000, true, "error-letter-empty")?;
        if subject.contains('\n') {
            return Err(letter_error("error-letter-subject-line"));
        }
        if subject.is_empty() && body.is_empty() {
            let (s, b) = default_template(kind, lang);
            return Ok(self.store().set_letter_template(
                actor.school_id,
                kind.as_str(),
                lang.as_str(),
                s,
                b,
            )?);
        }
        if subject.is_empty() || body.is_empty() {
            return Err(letter_error("error-letter-empty"));
        }
        let text = format!("{subject}\n{body}");
        if !unknown_placeholders(kind, &text).is_empty() {
            return Err(letter_error(if kind == LetterKind::Class {
                "error-letter-class-placeholder"
            } else {
                "error-letter-placeholder"
            }));
        }
        if kind == LetterKind::Class {
            let pupils = self.store().pupils_of_school(actor.school_id)?;
            if !names_in(&text, &pupils).is_empty() {
                return Err(letter_error("error-letter-class-names"));
            }
        }
        Ok(self.store().set_letter_template(
            actor.school_id,
            kind.as_str(),
            lang.as_str(),
            &subject,
            &body,
        )?)
    }

    /// Changes the school type (primary/secondary), which decides the parents' rules.
    pub fn set_school_kind(&self, actor: &Actor, kind: SchoolKind) -> Result<(), CaseError> {
        if !Platform::may_edit_letters(actor) {
            return Err(AccessError::Forbidden.into());
        }
        Ok(self.store().set_school_kind(actor.school_id, kind)?)
    }

    /// The school type.
    pub fn school_kind(&self, actor: &Actor) -> Result<SchoolKind, AccessError> {
        Ok(self
            .store()
            .school(actor.school_id)?
            .ok_or(AccessError::NotFound)?
            .kind)
    }

    /// The parents' part of a case: per pupil who is left out or excludes, the rule that
    /// applies, the conversation with the pupil, who decides about consent, the addresses.
    pub fn case_parents(
        &self,
        actor: &Actor,
        case: CaseId,
    ) -> Result<ParentsOverview, AccessError> {
        let (record, _) = self.case_visible(actor, case)?;
        let school = actor.school_id;
        let store = self.store();
        let school_kind = self.school_kind(actor)?;
        let today = self.today();
        let steps = store.steps(school, case)?;
        let talks = store.parent_talks(school, case)?;
        let mut entries: Vec<ParentEntry> = Vec::new();
        let mut people = store.case_people(school, case)?;
        people.sort_by_key(|p| match p.role {
            PersonRole::Excluded => 0,
            PersonRole::Excluding => 1,
            PersonRole::Bystander => 2,
        });
        for person in people {
            let (Some(pid), kind) = (
                person.pupil_id,
                match person.role {
                    PersonRole::Excluded => LetterKind::Excluded,
                    PersonRole::Excluding => LetterKind::Excluding,
                    PersonRole::Bystander => continue,
                },
            ) else {
                continue;
            };
            if entries.iter().any(|e| e.pupil.id == pid) {
                continue;
            }
            let Some(pupil) = store.pupil(school, pid)? else {
                continue;
            };
            let talk = talks.iter().find(|t| t.pupil_id == pid).cloned();
            let birth = store.pupil_birth_date(school, pid)?;
            let marker = step_marker(kind, Some(pid));
            entries.push(ParentEntry {
                step: parent_step(school_kind, talk.as_ref().map(|t| t.decision)),
                consent: consent(school_kind, birth, today),
                age: birth.map(|b| b.years_until(today)),
                emails: store.parent_emails(school, pid)?,
                sent: steps
                    .iter()
                    .any(|s| s.kind == StepKind::ParentsInformed && s.note.contains(&marker)),
                talk,
                kind,
                pupil,
            });
        }
        let class_pupils = self.class_pupils_of_case(school, record.pupil_id)?;
        let mut class_addresses = 0;
        for pupil in &class_pupils {
            class_addresses += store.parent_emails(school, pupil.id)?.len();
        }
        let class_marker = step_marker(LetterKind::Class, None);
        Ok(ParentsOverview {
            case_id: case,
            closed: record.closing.is_some(),
            school_kind,
            class_name: self.class_name_of(school, record.pupil_id)?,
            entries,
            class_addresses,
            class_letter_sent: steps
                .iter()
                .any(|s| s.kind == StepKind::ParentsInformed && s.note.contains(&class_marker)),
        })
    }

    fn class_name_of(
        &self,
        school: crate::SchoolId,
        pupil: PupilId,
    ) -> Result<String, AccessError> {
        let store = self.store();
        let Some(pupil) = store.pupil(school, pupil)? else {
            return Ok(String::new());
        };
        Ok(store
            .class(school, pupil.class_id)?
            .map(|c| c.name)
            .unwrap_or_default())
    }

    /// The pupils (not left) of the class the case's pupil is in now.
    fn class_pupils_of_case(
        &self,
        school: crate::SchoolId,
        pupil: PupilId,
    ) -> Result<Vec<PupilRecord>, AccessError> {
        let store = self.store();
        let Some(pupil) = store.pupil(school, pupil)? else {
            return Ok(Vec::new());
        };
        Ok(store
            .pupils_of_class(school, pupil.class_id)?
            .into_iter()
            .filter(|p| p.left_on.is_none())
            .collect())
    }

    /// Records the mentor's conversation with a pupil about informing the parents
    /// (secondary school). A new conversation replaces the last.
    pub fn record_parent_talk(
        &self,
        actor: &Actor,
        case: CaseId,
        pupil: PupilId,
        decision: TalkDecision,
        note: &str,
        on: Date,
    ) -> Result<ParentTalk, CaseError> {
        self.case_for_work(actor, case, CaseRight::Work)?;
        let people = self.store().case_people(actor.school_id, case)?;
        if !people
            .iter()
            .any(|p| p.pupil_id == Some(pupil) && p.role != PersonRole::Bystander)
        {
            return Err(letter_error("error-letter-pupil-not-in-case"));
        }
        let talk = ParentTalk {
            case_id: case,
            pupil_id: pupil,
            decision,
            note: super::clean(note, super::MAX_TEXT, true, "error-case-note-empty")?,
            decided_on: self.not_in_future(on)?,
            user_id: actor.user_id,
        };
        self.store().set_parent_talk(actor.school_id, &talk)?;
        Ok(talk)
    }

    /// A letter filled in for its readers: for one pupil's parents (`pupil`) or for all
    /// parents of the class (`LetterKind::Class`, no pupil). Refused while the rules do
    /// not offer it yet (secondary school without the conversation with the pupil).
    pub fn case_letter(
        &self,
        actor: &Actor,
        case: CaseId,
        kind: LetterKind,
        pupil: Option<PupilId>,
        lang: LetterLang,
    ) -> Result<Letter, CaseError> {
        let (record, _) = self.case_visible(actor, case)?;
        let school = actor.school_id;
        let store = self.store();
        let school_record = store.school(school)?.ok_or(AccessError::NotFound)?;
        let mentor = store
            .user(school, record.owner_id)?
            .map(|u| u.name)
            .unwrap_or_default();
        let class_name = self.class_name_of(school, record.pupil_id)?;
        let date = match lang {
            LetterLang::Nl => self.today().dutch(),
            LetterLang::En => self.today().to_string(),
        };
        let (subject, body, _) = self.letter_template(actor, kind, lang)?;
        let (child, recipients) = match (kind, pupil) {
            (LetterKind::Class, _) => {
                let class_pupils = self.class_pupils_of_case(school, record.pupil_id)?;
                let text = format!("{subject}\n{body}");
                // The school's own text could hold a name typed in later: refuse it.
                if !names_in(&text, &class_pupils).is_empty()
                    || !unknown_placeholders(kind, &text).is_empty()
                {
                    return Err(letter_error("error-letter-class-names"));
                }
                let mut all = Vec::new();
                for p in &class_pupils {
                    for email in store.parent_emails(school, p.id)? {
                        if !all.contains(&email) {
                            all.push(email);
                        }
                    }
                }
                (String::new(), all)
            }
            (_, None) => return Err(letter_error("error-letter-pupil-not-in-case")),
            (_, Some(pid)) => {
                let overview = self.case_parents(actor, case)?;
                let entry = overview
                    .entries
                    .iter()
                    .find(|e| e.pupil.id == pid && e.kind == kind)
                    .ok_or(letter_error("error-letter-pupil-not-in-case"))?;
                if !entry.step.offers_letter() {
                    return Err(letter_error(match entry.step {
                        ParentStep::Waiting => "error-letter-pupil-asked-wait",
                        _ => "error-letter-talk-first",
                    }));
                }
                (entry.pupil.full_name(), entry.emails.clone())
            }
        };
        let mut fields = vec![
            ("school", school_record.name.as_str()),
            ("class", class_name.as_str()),
            ("mentor", mentor.as_str()),
            ("date", date.as_str()),
        ];
        if kind != LetterKind::Class {
            fields.push(("child", child.as_str()));
        }
        Ok(Letter {
            kind,
            lang,
            pupil_id: if kind == LetterKind::Class {
                None
            } else {
                pupil
            },
            subject: fill(&subject, &fields),
            body: fill(&body, &fields),
            recipients,
        })
    }

    /// Sends a letter by mail to every known address (once per case, letter and address)
    /// and logs a "parents informed" step the first time.
    pub fn send_case_letter(
        &self,
        actor: &Actor,
        case: CaseId,
        kind: LetterKind,
        pupil: Option<PupilId>,
        lang: LetterLang,
    ) -> Result<SentLetter, CaseError> {
        self.case_for_work(actor, case, CaseRight::Work)?;
        let letter = self.case_letter(actor, case, kind, pupil, lang)?;
        if letter.recipients.is_empty() {
            return Err(letter_error("error-letter-no-address"));
        }
        let target = letter
            .pupil_id
            .map_or("class".to_string(), |p| p.0.to_string());
        let mut queued = 0;
        for to in &letter.recipients {
            let key = format!("case-letter:{}:{}:{}:{}", case.0, kind.as_str(), target, to);
            if self.queue_mail(
                Some(actor.school_id),
                &key,
                to,
                &letter.subject,
                &letter.body,
            )? {
                queued += 1;
            }
        }
        let marker = step_marker(kind, letter.pupil_id);
        let already = self
            .store()
            .steps(actor.school_id, case)?
            .iter()
            .any(|s| s.kind == StepKind::ParentsInformed && s.note.contains(&marker));
        let step = if already {
            None
        } else {
            let count = letter.recipients.len();
            let what = match kind {
                LetterKind::Class => format!(
                    "Brief aan alle ouders van de klas gemaild ({count} adressen; noemt geen kind)."
                ),
                _ => format!("Brief aan de ouders gemaild ({count} adres(sen))."),
            };
            let mut step = StepRecord {
                id: 0,
                case_id: case,
                kind: StepKind::ParentsInformed,
                on: self.today(),
                user_id: actor.user_id,
                pupil_ids: letter.pupil_id.into_iter().collect(),
                note: format!("{what} {marker}"),
                created_at: self.now(),
            };
            step.id = self.store().add_step(actor.school_id, &step)?;
            Some(step)
        };
        Ok(SentLetter {
            queued,
            addresses: letter.recipients.len(),
            step,
        })
    }

    /// The parents' addresses and birth date of a pupil (the pupil page).
    pub fn pupil_parent_details(
        &self,
        actor: &Actor,
        pupil: PupilId,
    ) -> Result<(Vec<Email>, Option<Date>), AccessError> {
        let pupil = self.pupil(actor, pupil)?;
        Ok((
            self.store().parent_emails(actor.school_id, pupil.id)?,
            self.store().pupil_birth_date(actor.school_id, pupil.id)?,
        ))
    }

    /// Sets the parents' addresses (one per line, or separated by commas or semicolons)
    /// and the birth date of a pupil by hand. Those who may change pupils may do this.
    pub fn set_pupil_parent_details(
        &self,
        actor: &Actor,
        pupil: PupilId,
        emails: &str,
        birth_date: &str,
    ) -> Result<(), CaseError> {
        let record = self.pupil(actor, pupil)?;
        if !actor.role.manages_school() {
            return Err(AccessError::Forbidden.into());
        }
        let mut list: Vec<Email> = Vec::new();
        for raw in emails
            .split(['\n', ',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let email = Email::new(raw).map_err(|_| letter_error("error-parent-email"))?;
            if !list.contains(&email) {
                list.push(email);
            }
        }
        if list.len() > 6 {
            return Err(letter_error("error-parent-email-many"));
        }
        let birth = match birth_date.trim() {
            "" => None,
            raw => {
                let date = Date::parse(raw).map_err(|_| letter_error("error-invalid-date"))?;
                if date > self.today() || date.years_until(self.today()) > 30 {
                    return Err(letter_error("error-birth-date"));
                }
                Some(date)
            }
        };
        self.store()
            .set_parent_emails(actor.school_id, record.id, &list)?;
        self.store()
            .set_pupil_birth_date(actor.school_id, record.id, birth)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ClassId, SchoolId};

    fn date(s: &str) -> Date {
        Date::parse(s).unwrap_or_else(|_| unreachable!())
    }

    fn pupil(id: i64, given: &str, infix: &str, family: &str) -> PupilRecord {
        PupilRecord {
            id: PupilId(id),
            school_id: SchoolId(1),
            class_id: ClassId(1),
            given_name: given.into(),
            infix: infix.into(),
            family_name: family.into(),
            external_id: None,
            left_on: None,
        }
    }

    #[test]
    fn primary_school_informs_directly_and_secondary_talks_with_the_pupil_first() {
        assert_eq!(
            parent_step(SchoolKind::Primary, None),
            ParentStep::InformDirectly
        );
        assert!(parent_step(SchoolKind::Primary, None).offers_letter());
        assert_eq!(
            parent_step(SchoolKind::Secondary, None),
            ParentStep::TalkFirst
        );
        assert!(!parent_step(SchoolKind::Secondary, None).offers_letter());
        assert!(parent_step(SchoolKind::Secondary, Some(TalkDecision::Inform)).offers_letter());
        assert!(
            parent_step(SchoolKind::Secondary, Some(TalkDecision::PupilTellsFirst)).offers_letter()
        );
        assert_eq!(
            parent_step(SchoolKind::Secondary, Some(TalkDecision::NotNow)),
            ParentStep::Waiting
        );
    }

    #[test]
    fn under_sixteen_the_parents_decide_about_consent() {
        let today = date("2026-03-02");
        assert_eq!(consent(SchoolKind::Primary, None, today), Consent::Parents);
        assert_eq!(
            consent(SchoolKind::Secondary, None, today),
            Consent::Unknown
        );
        // Sixteen tomorrow: still the parents; sixteen today: the pupil.
        assert_eq!(
            consent(SchoolKind::Secondary, Some(date("2010-03-03")), today),
            Consent::Parents
        );
        assert_eq!(
            consent(SchoolKind::Secondary, Some(date("2010-03-02")), today),
            Consent::Pupil
        );
    }

    #[test]
    fn placeholders_fill_and_the_class_letter_has_no_child() {
        assert_eq!(
            fill(
                "Beste ouder van {child}, klas {class}. {x}",
                &[("child", "Mila"), ("class", "2B")]
            ),
            "Beste ouder van Mila, klas 2B. {x}"
        );
        assert_eq!(
            unknown_placeholders(LetterKind::Class, "{class} {child} {mentor}"),
            vec!["child".to_string()]
        );
        for lang in LetterLang::ALL {
            let (s, b) = default_template(LetterKind::Class, lang);
            assert!(unknown_placeholders(LetterKind::Class, &format!("{s}{b}")).is_empty());
            for kind in [LetterKind::Excluded, LetterKind::Excluding] {
                let (s, b) = default_template(kind, lang);
                assert!(unknown_placeholders(kind, &format!("{s}{b}")).is_empty());
                assert!(b.contains("{child}"));
            }
        }
    }

    #[test]
    fn names_are_found_as_whole_words_only() {
        let pupils = [
            pupil(1, "Mila", "de", "Vries"),
            pupil(2, "Roos", "", "Bakker"),
        ];
        assert_eq!(names_in("Beste Mila,", &pupils), vec!["Mila de Vries"]);
        assert_eq!(names_in("familie De Vries", &pupils).len(), 0);
        assert_eq!(names_in("familie de Vries", &pupils), vec!["Mila de Vries"]);
        assert!(names_in("Milan en de roos", &pupils).is_empty());
        assert_eq!(names_in("Roos Bakker", &pupils), vec!["Roos Bakker"]);
    }
}
