//! The words of the reports in Dutch and English.

use erbij_chat::LocalDateTime;
use erbij_detect::{
    Confidence, ExporterClue, Finding, FindingEvidence, FindingKind, FindingSource, How, Language,
    NameSource,
};

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
        FindingKind::UnfollowCluster if nl => "Samen ontvolgd",
        FindingKind::UnfollowCluster => "Unfollowed together",
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
        Language::Dutch => format!(
            "{:02}-{:02}-{} {:02}:{:02}",
            at.day(),
            at.month(),
            at.year(),
            at.hour(),
            at.minute()
        ),
        Language::English => format!(
            "{}-{:02}-{:02} {:02}:{:02}",
            at.year(),
            at.month(),
            at.day(),
            at.hour(),
            at.minute()
        ),
    }
}

pub fn line_word(language: Language) -> &'static str {
    if language == Language::Dutch {
        "regel"
    } else {
        "line"
    }
}

/// The file name without its folders, for quoting evidence.
pub fn short_file(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// A person's name for display: the unnamed maker of an export, or the unnamed owner of
/// a downloaded account, in the reader's language.
pub fn person(name: &str, language: Language) -> &str {
    if name == erbij_detect::UNNAMED_EXPORTER {
        match language {
            Language::Dutch => "de maker van de export",
            Language::English => "the exporter",
        }
    } else {
        subject(name, language)
    }
}

/// A finding's subject for display and JSON: the unnamed owner of a downloaded account in
/// the reader's language (chat subjects are shown as the detectors named them).
pub fn subject(name: &str, language: Language) -> &str {
    if name == erbij_detect::unfollow::UNNAMED_ACCOUNT_OWNER {
        match language {
            Language::Dutch => "de leerling",
            Language::English => "the pupil",
        }
    } else {
        name
    }
}

/// When a finding happened, or that the sources do not say.
pub fn finding_time(at: Option<LocalDateTime>, language: Language) -> String {
    match (at, language) {
        (Some(at), _) => time(at, language),
        (None, Language::Dutch) => "tijd onbekend".to_owned(),
        (None, Language::English) => "time unknown".to_owned(),
    }
}

/// Where a finding comes from: the group's name (`groups` of the report), or the platform
/// and the two downloads (numbered from 1, as the report lists them).
pub fn finding_place(
    finding: &Finding,
    groups: &[erbij_detect::GroupTimeline],
    language: Language,
) -> String {
    let nl = language == Language::Dutch;
    match finding.source {
        FindingSource::Chat { group, .. } => groups
            .get(group)
            .and_then(|g| g.name.clone())
            .unwrap_or_else(|| {
                if nl {
                    "(groep zonder naam)".into()
                } else {
                    "(unnamed group)".into()
                }
            }),
        FindingSource::Downloads {
            platform,
            before,
            after,
        } if nl => format!(
            "{platform}, tussen download {} en download {}",
            before + 1,
            after + 1
        ),
        FindingSource::Downloads {
            platform,
            before,
            after,
        } => format!(
            "{platform}, between download {} and download {}",
            before + 1,
            after + 1
        ),
    }
}

/// Where a piece of evidence is: `klas.txt regel 22` or `mila.zip, followers_1.json, item 3`.
/// `chat_files` are the chat exports' files; download evidence names its own file.
pub fn evidence_place(
    evidence: &FindingEvidence,
    chat_files: &[&str],
    language: Language,
) -> String {
    match evidence {
        // Line 0: not a line but the file's name (a group name read there).
        FindingEvidence::Line(e) if e.line == 0 => format!(
            "{} ({})",
            chat_files.get(e.chat).map_or("?", |f| short_file(f)),
            if language == Language::Dutch {
                "bestandsnaam"
            } else {
                "file name"
            }
        ),
        FindingEvidence::Line(e) => format!(
            "{} {} {}",
            chat_files.get(e.chat).map_or("?", |f| short_file(f)),
            line_word(language),
            e.line
        ),
        FindingEvidence::Download(e) => match (&e.entry, e.position) {
            (Some(entry), Some(position)) => format!(
                "{}, {entry}, {} {position}",
                short_file(&e.file),
                entry_word(language)
            ),
            _ => short_file(&e.file).to_owned(),
        },
    }
}

/// A position in a download's list.
pub fn entry_word(language: Language) -> &'static str {
    if language == Language::Dutch {
        "item"
    } else {
        "entry"
    }
}

/// Where a group's name was read.
pub fn name_source(source: NameSource, language: Language) -> &'static str {
    let nl = language == Language::Dutch;
    match source {
        NameSource::SystemLine if nl => "uit een regel van WhatsApp",
        NameSource::SystemLine => "from a line WhatsApp wrote",
        NameSource::EncryptionNotice if nl => {
            "uit de melding over versleuteling (iPhone), de naam bij het exporteren"
        }
        NameSource::EncryptionNotice => {
            "from the encryption notice (iPhone), the name when exported"
        }
        NameSource::FileName if nl => "uit de bestandsnaam van de export",
        NameSource::FileName => "from the export's file name",
        NameSource::ZipTitle if nl => "uit de naam van de .zip of het bestand erin",
        NameSource::ZipTitle => "from the name of the .zip or the file inside it",
    }
}

/// How the maker of an export was recognised.
pub fn exporter_clue(clue: Option<ExporterClue>, language: Language) -> &'static str {
    let nl = language == Language::Dutch;
    match clue {
        Some(ExporterClue::Named) if nl => "opgegeven met --exporter",
        Some(ExporterClue::Named) => "given with --exporter",
        Some(ExporterClue::OwnDeletion) if nl => {
            "een verwijderd bericht staat er als “U hebt dit bericht verwijderd”, wat alleen de telefoon van de maker schrijft"
        }
        Some(ExporterClue::OwnDeletion) => {
            "a deleted message reads “You deleted this message”, which only the maker's phone writes"
        }
        Some(ExporterClue::OnlyUnlistedWriter) if nl => {
            "afgeleid: de enige schrijver die WhatsApp nergens bij naam noemt, want de maker heet in die regels “u”"
        }
        Some(ExporterClue::OnlyUnlistedWriter) => {
            "inferred: the only writer WhatsApp never names, as its lines call the maker “you”"
        }
        None if nl => "onbekend",
        None => "unknown",
    }
}

/// "Samengevoegd: 4 exports van dezelfde groep (...)", without the file names: the
/// sentence both the text and the HTML report start a merged group with.
pub fn merged_exports(count: usize, language: Language) -> (&'static str, String) {
    if language == Language::Dutch {
        (
            "Samengevoegd:",
            format!("{count} exports van dezelfde groep (dezelfde berichten op dezelfde minuut)"),
        )
    } else {
        (
            "Merged:",
            format!("{count} exports of the same group (the same messages at the same minute)"),
        )
    }
}

/// The heading over the table of names that are one person across merged exports.
pub fn same_person_heading(language: Language) -> &'static str {
    if language == Language::Dutch {
        "Dezelfde persoon in de exports"
    } else {
        "The same person in the exports"
    }
}

/// "telefoon in het Duits" / "phone in German": the language WhatsApp wrote its own lines in
/// (the chat's `language` code), or that it was not recognised.
pub fn phone_language(code: &str, language: Language) -> &'static str {
    let nl = language == Language::Dutch;
    match (code, nl) {
        ("nl", true) => "telefoon in het Nederlands",
        ("en", true) => "telefoon in het Engels",
        ("de", true) => "telefoon in het Duits",
        ("fr", true) => "telefoon in het Frans",
        ("es", true) => "telefoon in het Spaans",
        ("tr", true) => "telefoon in het Turks",
        ("ar", true) => "telefoon in het Arabisch",
        ("pl", true) => "telefoon in het Pools",
        ("nl", false) => "phone in Dutch",
        ("en", false) => "phone in English",
        ("de", false) => "phone in German",
        ("fr", false) => "phone in French",
        ("es", false) => "phone in Spanish",
        ("tr", false) => "phone in Turkish",
        ("ar", false) => "phone in Arabic",
        ("pl", false) => "phone in Polish",
        (_, true) => "taal van de telefoon niet herkend",
        (_, false) => "phone language not recognised",
    }
}
