//! The terminal report: per export what it holds, then the findings grouped per pupil,
//! most serious first, each with its quoted lines.

use std::fmt::Write as _;

use erbij_chat::{LocalDateTime, MembershipChange, Person, SystemEvent};
use erbij_detect::{Finding, Language};

use crate::labels::{self, line_word, short_file};
use crate::{Analysis, ChatInfo};

pub fn render_text(analysis: &Analysis, language: Language) -> String {
    let mut out = String::new();
    for (i, chat) in analysis.chats.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_chat(&mut out, chat, language);
    }
    if let Some(report) = &analysis.report {
        render_findings(&mut out, analysis, report, language);
    }
    out
}

fn render_findings(out: &mut String, analysis: &Analysis, report: &erbij_detect::Report, language: Language) {
    let nl = language == Language::Dutch;
    out.push('\n');
    if report.findings.is_empty() {
        out.push_str(if nl {
            "Bevindingen: geen. In deze exports is geen patroon van buitensluiten gevonden.\n"
        } else {
            "Findings: none. No pattern of exclusion was found in these exports.\n"
        });
        return;
    }
    let _ = writeln!(
        out,
        "{} ({}):",
        if nl { "Bevindingen per leerling, ernstigste eerst" } else { "Findings per pupil, most serious first" },
        report.findings.len()
    );
    for (subject, findings) in per_pupil(&report.findings) {
        let _ = writeln!(out, "\n== {subject} ({})", findings.len());
        for finding in findings {
            render_finding(out, analysis, finding, language);
        }
    }
    if report.roster_given {
        let named: Vec<&str> = report.findings.iter().map(|f| f.subject.as_str()).collect();
        let quiet: Vec<&str> = report.class.iter().map(String::as_str).filter(|n| !named.contains(n)).collect();
        if !quiet.is_empty() {
            let _ = writeln!(
                out,
                "\n{}: {}",
                if nl { "Zonder bevindingen" } else { "No findings" },
                quiet.join(", ")
            );
        }
    }
    out.push_str(if nl {
        "\nEen bevinding is een signaal om het gesprek aan te gaan, geen oordeel. Lees de regels zelf na.\n"
    } else {
        "\nA finding is a reason to talk, not a verdict. Read the lines yourself.\n"
    });
}

/// Findings grouped by pupil; pupils ordered by their most serious finding.
pub(crate) fn per_pupil(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut groups: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for finding in findings {
        match groups.iter_mut().find(|(s, _)| *s == finding.subject) {
            Some((_, list)) => list.push(finding),
            None => groups.push((&finding.subject, vec![finding])),
        }
    }
    groups
}

fn render_finding(out: &mut String, analysis: &Analysis, f: &Finding, language: Language) {
    let nl = language == Language::Dutch;
    let group = analysis
        .report
        .as_ref()
        .and_then(|r| r.groups.get(f.group))
        .and_then(|g| g.name.clone())
        .unwrap_or_else(|| if nl { "(groep zonder naam)".into() } else { "(unnamed group)".into() });
    let _ = writeln!(
        out,
        "  [{}] {} — {}, {}",
        labels::confidence(f.confidence, language),
        labels::kind(f.kind, language),
        group,
        labels::time(f.at, language)
    );
    let _ = writeln!(out, "    {}", f.explanation(language));
    let _ = writeln!(
        out,
        "    {}: {} — {}",
        if nl { "Zekerheid" } else { "Confidence" },
        labels::confidence(f.confidence, language),
        f.confidence_reason(language)
    );
    if !f.evidence.is_empty() {
        let _ = writeln!(out, "    {}:", if nl { "Bewijs" } else { "Evidence" });
        for e in &f.evidence {
            let file = analysis.chats.get(e.chat).map_or("?", |c| short_file(&c.file));
            for (i, text_line) in e.text.lines().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "      {file} {} {}: {text_line}", line_word(language), e.line);
                } else {
                    let _ = writeln!(out, "        {text_line}");
                }
            }
        }
    }
}

fn short_time(time: LocalDateTime) -> String {
    format!("{:02}-{:02}-{} {:02}:{:02}", time.day(), time.month(), time.year(), time.hour(), time.minute())
}

fn render_chat(out: &mut String, chat: &ChatInfo, language: Language) {
    let nl = language == Language::Dutch;
    let phone = if chat.variant == "ios" { "iPhone" } else { "Android" };
    let phone_language = match (chat.language.as_str(), nl) {
        ("nl", true) => "Nederlands",
        ("en", true) => "Engels",
        ("nl", false) => "Dutch",
        _ => "English",
    };
    let _ = writeln!(out, "{}", chat.file);
    if nl {
        let _ = writeln!(out, "  WhatsApp-export ({phone}, telefoon in het {phone_language})");
        let _ = writeln!(out, "  Groep: {}", chat.group.as_deref().unwrap_or("(naam niet in de export)"));
    } else {
        let _ = writeln!(out, "  WhatsApp export ({phone}, phone in {phone_language})");
        let _ = writeln!(out, "  Group: {}", chat.group.as_deref().unwrap_or("(name not in the export)"));
    }
    if let (Some(start), Some(end)) = (chat.start, chat.end) {
        let (label, to) = if nl { ("Periode", "tot") } else { ("Period", "to") };
        let _ = writeln!(out, "  {label}: {} {to} {}", short_time(start), short_time(end));
    }
    if nl {
        let _ = writeln!(out, "  Berichten: {}, meldingen van WhatsApp: {}", chat.messages, chat.system_events);
        let _ = writeln!(out, "  Deelnemers gezien ({}): {}", chat.participants.len(), chat.participants.join(", "));
    } else {
        let _ = writeln!(out, "  Messages: {}, WhatsApp notices: {}", chat.messages, chat.system_events);
        let _ = writeln!(out, "  Members seen ({}): {}", chat.participants.len(), chat.participants.join(", "));
    }
    if let Some(media) = chat.media_files {
        if nl {
            let _ = writeln!(out, "  Mediabestanden in de zip: {media} (niet geopend)");
        } else {
            let _ = writeln!(out, "  Media files in the zip: {media} (not opened)");
        }
    }
    let mut changes: Vec<&MembershipChange> = chat.membership.iter().collect();
    changes.sort_by_key(|c| c.time);
    out.push_str(if nl { "  Wie kwam erbij, wie ging eruit:\n" } else { "  Who joined, who left:\n" });
    if changes.is_empty() {
        out.push_str(if nl { "    (geen)\n" } else { "    (none)\n" });
    }
    for change in changes {
        let _ = writeln!(
            out,
            "    {} {:>5}  {}  {}",
            line_word(language),
            change.lines.first,
            short_time(change.time),
            describe(&change.event, language)
        );
    }
    if !chat.diagnostics.is_empty() {
        out.push_str(if nl { "  Opmerkingen:\n" } else { "  Notes:\n" });
        for (line, message) in &chat.diagnostics {
            match line {
                Some(line) => {
                    let _ = writeln!(out, "    {} {line}: {message}", line_word(language));
                }
                None => {
                    let _ = writeln!(out, "    {message}");
                }
            }
        }
    }
}

fn person(p: &Person, language: Language) -> String {
    match (p, language) {
        (Person::Named(name), _) => name.clone(),
        (Person::Exporter, Language::Dutch) => "wie de export maakte".into(),
        (Person::Exporter, Language::English) => "the exporter".into(),
    }
}

fn people(list: &[Person], language: Language) -> String {
    let names: Vec<String> = list.iter().map(|p| person(p, language)).collect();
    let and = if language == Language::Dutch { " en " } else { " and " };
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// One membership change in words.
pub(crate) fn describe(event: &SystemEvent, language: Language) -> String {
    let nl = language == Language::Dutch;
    let p = |x: &Person| person(x, language);
    let ps = |x: &[Person]| people(x, language);
    match event {
        SystemEvent::Created { by, group } => match (group, nl) {
            (Some(g), true) => format!("{} maakte de groep \"{g}\"", p(by)),
            (None, true) => format!("{} maakte de groep", p(by)),
            (Some(g), false) => format!("{} created the group \"{g}\"", p(by)),
            (None, false) => format!("{} created the group", p(by)),
        },
        SystemEvent::Added { by, who } if nl => format!("{} voegde {} toe", p(by), ps(who)),
        SystemEvent::Added { by, who } => format!("{} added {}", p(by), ps(who)),
        SystemEvent::AddedUnattributed { who } if nl => format!("{} toegevoegd", ps(who)),
        SystemEvent::AddedUnattributed { who } => format!("{} added", ps(who)),
        SystemEvent::Removed { by, who } if nl => format!("{} verwijderde {}", p(by), ps(who)),
        SystemEvent::Removed { by, who } => format!("{} removed {}", p(by), ps(who)),
        SystemEvent::Left { who } if nl => format!("{} verliet de groep", p(who)),
        SystemEvent::Left { who } => format!("{} left", p(who)),
        SystemEvent::JoinedViaLink { who } if nl => format!("{} kwam erbij via de uitnodigingslink", p(who)),
        SystemEvent::JoinedViaLink { who } => format!("{} joined via the invite link", p(who)),
        SystemEvent::JoinedViaInvite { who } if nl => format!("{} kwam erbij via een uitnodiging", p(who)),
        SystemEvent::JoinedViaInvite { who } => format!("{} joined via an invitation", p(who)),
        SystemEvent::SubjectChanged { by, from, to } => match (from, nl) {
            (Some(f), true) => format!("{} hernoemde de groep van \"{f}\" naar \"{to}\"", p(by)),
            (None, true) => format!("{} hernoemde de groep naar \"{to}\"", p(by)),
            (Some(f), false) => format!("{} renamed the group from \"{f}\" to \"{to}\"", p(by)),
            (None, false) => format!("{} renamed the group to \"{to}\"", p(by)),
        },
        other => format!("{other:?}"),
    }
}
