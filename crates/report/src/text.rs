//! The terminal report: per export and per download what it holds, then the findings
//! grouped per pupil, most serious first, each with its quoted lines or download entries.

use std::fmt::Write as _;

use erbij_chat::{LocalDateTime, MembershipChange, Person, SystemEvent};
use erbij_detect::unfollow::{AccountAnalysis, ClassmateEntry, OrderBasis};
use erbij_detect::{Finding, FindingEvidence, Language};
use erbij_social::MadeAtSource;

use crate::labels::{self, line_word};
use crate::{Analysis, ChatInfo, DownloadInfo, social_language};

pub fn render_text(analysis: &Analysis, language: Language) -> String {
    let mut out = String::new();
    for (i, chat) in analysis.chats.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_chat(&mut out, chat, language);
        if let Some(summary) = analysis.report.as_ref().and_then(|r| r.chats.get(i)) {
            render_ambiguous(&mut out, summary, language);
        }
    }
    if !analysis.downloads.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        render_downloads(&mut out, analysis, language);
    }
    if let Some(report) = &analysis.report {
        render_groups(&mut out, analysis, report, language);
        render_findings(&mut out, analysis, report, language);
    }
    out
}

/// Per group: where its name comes from, which exports were merged into it and which names
/// in them are the same person, and who made each export (or the question who did).
fn render_groups(
    out: &mut String,
    analysis: &Analysis,
    report: &erbij_detect::Report,
    language: Language,
) {
    let nl = language == Language::Dutch;
    let file = |chat: usize| {
        analysis
            .chats
            .get(chat)
            .map_or("?", |c| labels::short_file(&c.file))
    };
    for (index, group) in report.groups.iter().enumerate() {
        let merged = group.chats.len() > 1;
        let unknown: Vec<usize> = group
            .exporters
            .iter()
            .filter(|e| e.person.is_none())
            .map(|e| e.chat)
            .collect();
        if !merged
            && unknown.is_empty()
            && group
                .name_source
                .is_none_or(|s| s == erbij_detect::NameSource::SystemLine)
            && group.exporters.iter().all(|e| e.clue.is_none())
        {
            continue;
        }
        out.push('\n');
        let name = group.name.clone().unwrap_or_else(|| {
            if nl {
                "(groep zonder naam)".into()
            } else {
                "(unnamed group)".into()
            }
        });
        let _ = writeln!(
            out,
            "{} {}: {name}{}",
            if nl { "Groep" } else { "Group" },
            index + 1,
            group
                .name_source
                .map(|s| format!(" ({})", labels::name_source(s, language)))
                .unwrap_or_default()
        );
        for other in group
            .names
            .iter()
            .filter(|n| Some(&n.name) != group.name.as_ref())
        {
            let _ = writeln!(
                out,
                "  {} “{}” {} ({})",
                if nl { "Ook genoemd:" } else { "Also named:" },
                other.name,
                labels::name_source(other.source, language),
                file(other.chat)
            );
        }
        if merged {
            let files: Vec<&str> = group.chats.iter().map(|c| file(*c)).collect();
            let (label, sentence) = labels::merged_exports(group.chats.len(), language);
            let _ = writeln!(out, "  {label} {sentence}: {}", files.join(", "));
            let _ = writeln!(out, "  {}:", labels::same_person_heading(language));
            for member in &group.members {
                let _ = writeln!(
                    out,
                    "    {}: {}",
                    labels::person(&member.person, language),
                    same_person_names(&member.names, &file, language)
                );
            }
        }
        let _ = writeln!(
            out,
            "  {}",
            if nl {
                "Wie maakte de export:"
            } else {
                "Who made the export:"
            }
        );
        for exporter in &group.exporters {
            match &exporter.person {
                Some(person) => {
                    let _ = writeln!(
                        out,
                        "    {}: {} ({})",
                        file(exporter.chat),
                        labels::person(person, language),
                        labels::exporter_clue(exporter.clue, language)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "    {}: {}",
                        file(exporter.chat),
                        if nl {
                            "onbekend. Wie maakte deze export? Een leerling die nergens in de groep te zien is, kan de maker zijn; bevindingen over zo'n leerling krijgen daarom een lagere zekerheid. Geef de maker op met --exporter BESTAND=NAAM."
                        } else {
                            "unknown. Who made this export? A pupil seen nowhere in the group may be its maker, so findings about such a pupil get a lower confidence. Name the maker with --exporter FILE=NAME."
                        }
                    );
                }
            }
        }
    }
}

/// `“Bob Bobsen Work” (alice.txt); “Bob” and “u / you” (bob.txt)`.
fn same_person_names<'a>(
    names: &[(usize, String)],
    file: &dyn Fn(usize) -> &'a str,
    language: Language,
) -> String {
    let nl = language == Language::Dutch;
    let mut per_file: Vec<(usize, Vec<String>)> = Vec::new();
    for (chat, name) in names {
        let shown = if name == erbij_detect::EXPORTER_WORD {
            if nl {
                "“u”".to_string()
            } else {
                "“you”".to_string()
            }
        } else {
            format!("“{name}”")
        };
        match per_file.iter_mut().find(|(c, _)| c == chat) {
            Some((_, list)) => list.push(shown),
            None => per_file.push((*chat, vec![shown])),
        }
    }
    per_file
        .iter()
        .map(|(chat, list)| {
            format!(
                "{} ({})",
                list.join(if nl { " en " } else { " and " }),
                file(*chat)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn render_findings(
    out: &mut String,
    analysis: &Analysis,
    report: &erbij_detect::Report,
    language: Language,
) {
    let nl = language == Language::Dutch;
    out.push('\n');
    let (unreadable_files, unreadable_lines) = crate::unreadable(analysis);
    if unreadable_files > 0 {
        let _ = writeln!(
            out,
            "{}: {}",
            if nl { "Let op" } else { "Note" },
            crate::unreadable_sentence(unreadable_lines, language)
        );
    }
    if report.findings.is_empty() && unreadable_files > 0 {
        out.push_str(if nl {
            "Bevindingen: geen in wat erbij kon lezen.\n"
        } else {
            "Findings: none in what erbij could read.\n"
        });
        return;
    }
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
        if nl {
            "Bevindingen per leerling, ernstigste eerst"
        } else {
            "Findings per pupil, most serious first"
        },
        report.findings.len()
    );
    for (subject, findings) in per_pupil(&report.findings) {
        let _ = writeln!(
            out,
            "\n== {} ({})",
            labels::subject(subject, language),
            findings.len()
        );
        for finding in findings {
            render_finding(out, analysis, finding, language);
        }
    }
    if report.roster_given {
        let named: Vec<&str> = report.findings.iter().map(|f| f.subject.as_str()).collect();
        let quiet: Vec<&str> = report
            .class
            .iter()
            .map(String::as_str)
            .filter(|n| !named.contains(n))
            .collect();
        if !quiet.is_empty() {
            let _ = writeln!(
                out,
                "\n{}: {}",
                if nl {
                    "Zonder bevindingen"
                } else {
                    "No findings"
                },
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
    let groups = analysis
        .report
        .as_ref()
        .map_or(&[][..], |r| r.groups.as_slice());
    let _ = writeln!(
        out,
        "  [{}] {} — {}, {}",
        labels::confidence(f.confidence, language),
        labels::kind(f.kind, language),
        labels::finding_place(f, groups, language),
        labels::finding_time(f.at, language)
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
        let chat_files: Vec<&str> = analysis.chats.iter().map(|c| c.file.as_str()).collect();
        let _ = writeln!(out, "    {}:", if nl { "Bewijs" } else { "Evidence" });
        for e in &f.evidence {
            let place = labels::evidence_place(e, &chat_files, language);
            let text = match e {
                FindingEvidence::Line(line) => line.text.clone(),
                FindingEvidence::Download(entry) => entry.text(language),
            };
            for (i, text_line) in text.lines().enumerate() {
                if i == 0 {
                    let _ = writeln!(out, "      {place}: {text_line}");
                } else {
                    let _ = writeln!(out, "        {text_line}");
                }
            }
        }
    }
}

/// Names that fit more than one pupil are never attributed; the teacher is told how often.
fn render_ambiguous(out: &mut String, summary: &erbij_detect::ChatSummary, language: Language) {
    let nl = language == Language::Dutch;
    if summary.ambiguous_mentions > 0 {
        let _ = writeln!(
            out,
            "  {}: {}",
            if nl {
                "Namen in berichten die bij meer dan één leerling passen (niet toegeschreven)"
            } else {
                "Names in messages that fit more than one pupil (not attributed)"
            },
            summary.ambiguous_mentions
        );
    }
    if !summary.ambiguous_authors.is_empty() {
        let _ = writeln!(
            out,
            "  {}: {}",
            if nl {
                "Afzenders die bij meer dan één leerling passen"
            } else {
                "Senders that fit more than one pupil"
            },
            summary.ambiguous_authors.join(", ")
        );
    }
}

fn short_time(time: LocalDateTime) -> String {
    format!(
        "{:02}-{:02}-{} {:02}:{:02}",
        time.day(),
        time.month(),
        time.year(),
        time.hour(),
        time.minute()
    )
}

fn render_chat(out: &mut String, chat: &ChatInfo, language: Language) {
    let nl = language == Language::Dutch;
    let phone = if chat.variant == "ios" {
        "iPhone"
    } else {
        "Android"
    };
    let phone_language = labels::phone_language(&chat.language, language);
    let _ = writeln!(out, "{}", chat.file);
    if nl {
        let _ = writeln!(out, "  WhatsApp-export ({phone}, {phone_language})");
        let _ = writeln!(
            out,
            "  Groep: {}",
            chat.group.as_deref().unwrap_or("(naam niet in de export)")
        );
    } else {
        let _ = writeln!(out, "  WhatsApp export ({phone}, {phone_language})");
        let _ = writeln!(
            out,
            "  Group: {}",
            chat.group.as_deref().unwrap_or("(name not in the export)")
        );
    }
    if let (Some(start), Some(end)) = (chat.start, chat.end) {
        let (label, to) = if nl {
            ("Periode", "tot")
        } else {
            ("Period", "to")
        };
        let _ = writeln!(
            out,
            "  {label}: {} {to} {}",
            short_time(start),
            short_time(end)
        );
    }
    if nl {
        let _ = writeln!(
            out,
            "  Berichten: {}, meldingen van WhatsApp: {}",
            chat.messages, chat.system_events
        );
        let _ = writeln!(
            out,
            "  Deelnemers gezien ({}): {}",
            chat.participants.len(),
            chat.participants.join(", ")
        );
    } else {
        let _ = writeln!(
            out,
            "  Messages: {}, WhatsApp notices: {}",
            chat.messages, chat.system_events
        );
        let _ = writeln!(
            out,
            "  Members seen ({}): {}",
            chat.participants.len(),
            chat.participants.join(", ")
        );
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
    out.push_str(if nl {
        "  Wie kwam erbij, wie ging eruit:\n"
    } else {
        "  Who joined, who left:\n"
    });
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
            capitalised(&describe(&change.event, language))
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

/// A sentence starts with a capital, also when it starts with "de maker van de export".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn person(p: &Person, language: Language) -> String {
    match (p, language) {
        (Person::Named(name), _) => name.clone(),
        (Person::Exporter, Language::Dutch) => "de maker van de export".into(),
        (Person::Exporter, Language::English) => "the exporter".into(),
    }
}

fn people(list: &[Person], language: Language) -> String {
    let names: Vec<String> = list.iter().map(|p| person(p, language)).collect();
    let and = if language == Language::Dutch {
        " en "
    } else {
        " and "
    };
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
        SystemEvent::JoinedViaLink { who } if nl => {
            format!("{} kwam erbij via de uitnodigingslink", p(who))
        }
        SystemEvent::JoinedViaLink { who } => format!("{} joined via the invite link", p(who)),
        SystemEvent::JoinedViaInvite { who } if nl => {
            format!("{} kwam erbij via een uitnodiging", p(who))
        }
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

/// When a download was made, as the rest of the report writes times.
pub(crate) fn moment(m: erbij_social::Moment, language: Language) -> String {
    m.amsterdam()
        .map_or_else(|| m.to_string(), |t| labels::time(t, language))
}

/// Wraps a paragraph at 96 columns: `first` before the first line, `rest` before the others.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    const WIDTH: usize = 96;
    let mut out = String::from(first);
    let mut column = first.chars().count();
    let mut at_line_start = true;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if !at_line_start && column + 1 + length > WIDTH {
            out.push('\n');
            out.push_str(rest);
            column = rest.chars().count();
            at_line_start = true;
        }
        if !at_line_start {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += length;
        at_line_start = false;
    }
    out.push('\n');
    out
}

/// The account's pupil for display: the roster name, else the account, else "the pupil".
pub(crate) fn account_owner(account: &AccountAnalysis, language: Language) -> String {
    account
        .subject
        .clone()
        .or_else(|| account.owner.as_ref().map(|o| format!("@{o}")))
        .unwrap_or_else(|| {
            labels::subject(erbij_detect::unfollow::UNNAMED_ACCOUNT_OWNER, language).to_owned()
        })
}

/// Whether the account's newest download holds a follower list at all.
pub(crate) fn newest_has_followers(analysis: &Analysis, account: &AccountAnalysis) -> bool {
    account
        .downloads
        .last()
        .and_then(|&i| analysis.downloads.get(i))
        .is_some_and(|d| d.followers.is_some())
}

/// The downloads handed in, what each account's lists show about the class, and what a
/// download can and cannot show. The unfollow clusters are named here and explained with
/// their evidence among the findings per pupil.
fn render_downloads(out: &mut String, analysis: &Analysis, language: Language) {
    let nl = language == Language::Dutch;
    out.push_str(if nl {
        "Instagram- en TikTok-downloads\n"
    } else {
        "Instagram and TikTok downloads\n"
    });
    for (index, download) in analysis.downloads.iter().enumerate() {
        render_download(out, index, download, language);
    }
    let report = analysis.report.as_ref();
    if report.is_some_and(|r| r.roster_accounts == 0) {
        out.push_str(if nl {
            "  Geen klassenlijst met accounts: geef --roster met een kolom accounts \
             (bijvoorbeeld instagram:mila.devries|tiktok:milaaa) om klasgenoten te herkennen.\n"
        } else {
            "  No class list with accounts: give --roster with an accounts column \
             (for example instagram:mila.devries|tiktok:milaaa) to recognise classmates.\n"
        });
    }
    for account in report.into_iter().flat_map(|r| r.social_accounts.iter()) {
        render_account(out, analysis, account, language);
    }
    out.push('\n');
    out.push_str(&wrap(
        if nl {
            "Wat een download kan laten zien: wie het account volgde toen de download \
             gemaakt werd, en sinds wanneer. Niet: wanneer iemand stopte met volgen (alleen \
             tussen welke twee downloads), en niet wie de berichten van de leerling wel of \
             niet leuk vond: likes op de eigen berichten staan niet in een download. Een \
             screenshot is daarvoor het bewijs."
        } else {
            "What a download can show: who followed the account when it was made, and \
             since when. Not: when someone stopped following (only between which two \
             downloads), and not who liked the pupil's posts or did not: likes on the \
             pupil's own posts are not in a download. A screenshot is the evidence for that."
        },
        "  ",
        "  ",
    ));
}

fn render_download(out: &mut String, index: usize, download: &DownloadInfo, language: Language) {
    let nl = language == Language::Dutch;
    let count = |list: Option<usize>| list.map_or_else(|| "-".to_owned(), |n| n.to_string());
    let account = match (&download.account, &download.exporter) {
        (Some(o), _) => format!("@{o}"),
        (None, Some(name)) if nl => format!("account onbekend, van {name} (opgegeven)"),
        (None, Some(name)) => format!("account unknown, {name}'s (as given)"),
        (None, None) if nl => "account onbekend".to_owned(),
        (None, None) => "account unknown".to_owned(),
    };
    let made = download.made_at.map_or_else(
        || {
            if nl {
                "datum onbekend".to_owned()
            } else {
                "date unknown".to_owned()
            }
        },
        |(m, source)| match (source, nl) {
            (MadeAtSource::ZipEntryTimes, true) => {
                format!("ongeveer {}", moment(m, language))
            }
            (MadeAtSource::ZipEntryTimes, false) => {
                format!("about {}", moment(m, language))
            }
            (MadeAtSource::Caller, _) => moment(m, language),
        },
    );
    let (made_word, followers_word, following_word) = if nl {
        ("gemaakt", "volgers", "volgt")
    } else {
        ("made", "followers", "following")
    };
    let _ = writeln!(
        out,
        "  {}. {}\n     {} {account}, {made_word} {made}; {followers_word}: {}, {following_word}: {}",
        index + 1,
        download.file,
        download.platform,
        count(download.followers),
        count(download.following)
    );
    for diagnostic in &download.diagnostics {
        let _ = writeln!(
            out,
            "     - {}",
            diagnostic.message(social_language(language))
        );
    }
}

fn render_account(
    out: &mut String,
    analysis: &Analysis,
    account: &AccountAnalysis,
    language: Language,
) {
    let nl = language == Language::Dutch;
    let who = account_owner(account, language);
    let _ = writeln!(out, "\n  {} {who}", account.platform);
    let names = |list: &[ClassmateEntry]| {
        if list.is_empty() {
            if nl { "(niemand)" } else { "(nobody)" }.to_owned()
        } else {
            list.iter()
                .map(|c| c.pupil.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let following = if newest_has_followers(analysis, account) {
        names(&account.classmates_following)
    } else if nl {
        "(geen volgerslijst in de download)".to_owned()
    } else {
        "(no follower list in the download)".to_owned()
    };
    if nl {
        let _ = writeln!(out, "    Klasgenoten die {who} volgen: {following}");
    } else {
        let _ = writeln!(out, "    Classmates following {who}: {following}");
    }
    match (&account.not_following_back, nl) {
        (Some(list), true) => {
            let _ = writeln!(
                out,
                "    Klasgenoten die {who} volgt maar die niet terugvolgen: {}",
                names(list)
            );
        }
        (Some(list), false) => {
            let _ = writeln!(
                out,
                "    Classmates {who} follows who do not follow back: {}",
                names(list)
            );
        }
        (None, _) => {}
    }
    if account.downloads.len() > 1 {
        if account.order == OrderBasis::GivenOrder {
            out.push_str(if nl {
                "    Niet elke download zegt wanneer hij gemaakt is: vergeleken in de gegeven volgorde.\n"
            } else {
                "    Not every download says when it was made: compared in the order given.\n"
            });
        }
        for (earlier, later) in &account.order_doubts {
            let text = if nl {
                format!(
                    "Let op: download {} bevat geen volger die zo recent begon als de nieuwste in download {}. \
                     Is de volgorde goed? Geef de oudste download eerst; anders lijken nieuwe volgers ontvolgers.",
                    later + 1,
                    earlier + 1
                )
            } else {
                format!(
                    "Note: download {} holds no follower as recent as the newest in download {}. \
                     Is the order right? Give the oldest download first; otherwise new followers look like unfollows.",
                    later + 1,
                    earlier + 1
                )
            };
            out.push_str(&wrap(&text, "    ", "      "));
        }
        if account.unfollows.is_empty() {
            out.push_str(if nl {
                "    Geen klasgenoot volgt niet meer tussen de downloads.\n"
            } else {
                "    No classmate stopped following between the downloads.\n"
            });
        }
        for unfollow in &account.unfollows {
            let e = &unfollow.earlier;
            if nl {
                let _ = writeln!(
                    out,
                    "    Volgt niet meer: {} (@{}) — nog wel in download {} ({}, item {}), niet meer in download {}",
                    e.pupil,
                    e.account,
                    e.download + 1,
                    e.entry,
                    e.position,
                    unfollow.later_download + 1
                );
            } else {
                let _ = writeln!(
                    out,
                    "    Stopped following: {} (@{}) — still in download {} ({}, entry {}), no longer in download {}",
                    e.pupil,
                    e.account,
                    e.download + 1,
                    e.entry,
                    e.position,
                    unfollow.later_download + 1
                );
            }
        }
    }
    // Each cluster is a finding: named here, explained with its evidence under the pupil.
    for cluster in &account.clusters {
        let confidence = cluster.confidence.confidence();
        let paragraph = format!(
            "{} ({}: {}): {} — {}",
            labels::kind(erbij_detect::FindingKind::UnfollowCluster, language),
            if nl { "zekerheid" } else { "confidence" },
            labels::confidence(confidence, language),
            join_names(&cluster.actors, language),
            if nl {
                format!("zie de bevindingen bij {who}.")
            } else {
                format!("see the findings for {who}.")
            }
        );
        out.push_str(&wrap(&paragraph, "    ", "      "));
    }
}

fn join_names(names: &[String], language: Language) -> String {
    let and = if language == Language::Dutch {
        " en "
    } else {
        " and "
    };
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}
