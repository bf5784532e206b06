//! The words of the reports in Dutch and English.

use erbij_chat::LocalDateTime;
use erbij_detect::{Confidence, FindingKind, How, Language};

pub fn kind(kind: FindingKind, language: Language) -> &'static str {
    let nl = language == Language::Dutch;
    match kind {
        FindingKind::Removed if nl => "Uit de groep verwijderd",
        FindingKind::Removed => "Removed from the group",
        FindingKind::AddedAndRemoved if nl => "Toegevoegd en meteen weer verwijderd",
        FindingKind::AddedAndRemoved => "Added and removed again at once",
        FindingKind::TargetedGroupName if nl => "Groepsnaam gericht tegen de leerling",
        FindingKind::TargetedGroupName => "Group name aimed at the pupil",
        FindingKind::ShadowGroup if nl => "Groep met de klas, behalve deze leerling",
        FindingKind::ShadowGroup => "A group with the class but this pupil",
        FindingKind::AbsentGossip if nl => "Negatief besproken terwijl afwezig",
        FindingKind::AbsentGossip => "Talked about negatively while absent",
        FindingKind::Ignored if nl => "Berichten krijgen geen reactie",
        FindingKind::Ignored => "Messages get no reaction",
    }
}

pub fn confidence(confidence: Confidence, language: Language) -> &'static str {
    match (confidence, language) {
        (Confidence::High, Language::Dutch) => "hoog",
        (Confidence::Medium, Language::Dutch) => "middel",
        (Confidence::Low, Language::Dutch) => "laag",
        (Confidence::High, Language::English) => "high",
        (Confidence::Medium, Language::English) => "medium",
        (Confidence::Low, Language::English) => "low",
    }
}

pub fn how(how: How, language: Language) -> &'static str {
    let nl = language == Language::Dutch;
    match how {
        How::Created if nl => "maakte de groep",
        How::Created => "created the group",
        How::Added if nl => "toegevoegd",
        How::Added => "added",
        How::JoinedViaLink if nl => "kwam erbij via de link",
        How::JoinedViaLink => "joined via the link",
        How::JoinedViaInvite if nl => "kwam erbij via uitnodiging",
        How::JoinedViaInvite => "joined via invitation",
        How::Removed if nl => "verwijderd",
        How::Removed => "removed",
        How::Left if nl => "verliet zelf de groep",
        How::Left => "left on their own",
        How::Wrote if nl => "schreef (lid, afgeleid)",
        How::Wrote => "wrote (member, inferred)",
        How::Exported if nl => "maakte de export",
        How::Exported => "made the export",
    }
}

/// `01-09-2025 19:02` (nl) or `2025-09-01 19:02` (en).
pub fn time(at: LocalDateTime, language: Language) -> String {
    match language {
        Language::Dutch => format!("{:02}-{:02}-{} {:02}:{:02}", at.day(), at.month(), at.year(), at.hour(), at.minute()),
        Language::English => format!("{}-{:02}-{:02} {:02}:{:02}", at.year(), at.month(), at.day(), at.hour(), at.minute()),
    }
}

pub fn line_word(language: Language) -> &'static str {
    if language == Language::Dutch { "regel" } else { "line" }
}

/// The file name without its folders, for quoting evidence.
pub fn short_file(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
