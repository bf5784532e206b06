//! One self-contained HTML page: inline CSS (with print rules), no scripts, no external
//! assets. The downloads handed in, a summary per pupil, each group's membership timeline
//! as an inline SVG picture, and every finding with its quoted lines (or download entries)
//! and explanation. All chat text, names and accounts are escaped.

use std::fmt::Write as _;

use erbij_detect::unfollow::ClassmateEntry;
use erbij_detect::{Change, Finding, GroupTimeline, How, Language, Provenance, Report};

use crate::labels::{self, short_file};
use crate::text::{account_owner, newest_has_followers, per_pupil};
use crate::{Analysis, DownloadInfo};

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --ink: #1d2430; --muted: #5b6472; --line: #d9dee5; --high: #b3261e; --medium: #a15c00; --low: #49617a; --ok: #2e7d32; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
.lead, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .35rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--low); border-radius: 6px; padding: .75rem 1rem; margin: .75rem 0; break-inside: avoid; }
.finding.high { border-left-color: var(--high); } .finding.medium { border-left-color: var(--medium); }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: .05rem .5rem; border-radius: 1rem; background: #eef1f5; }
.badge.high { background: #fbe9e7; color: var(--high); } .badge.medium { background: #fff3e0; color: var(--medium); }
blockquote { margin: .5rem 0; padding: .4rem .75rem; background: #f6f8fa; border-left: 3px solid var(--line); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85rem; white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote cite { display: block; font-style: normal; color: var(--muted); font-family: system-ui, sans-serif; font-size: .8rem; }
figure { margin: .5rem 0 1rem; } figcaption { color: var(--muted); font-size: .85rem; }
svg { max-width: 100%; height: auto; }
figure.timeline svg { width: 100%; } figure.timeline svg.narrow { display: none; }
@media (max-width: 40rem) { figure.timeline svg.wide { display: none; } figure.timeline svg.narrow { display: block; } }
.scroll { overflow-x: auto; } caption { text-align: left; font-weight: 600; padding: .25rem 0; }
li.question, p.question { color: var(--medium); }
.legend span { margin-right: 1rem; white-space: nowrap; } .legend span.in { color: var(--ok); }
@media (max-width: 40rem) { body { padding: 1rem .75rem; } th, td { padding: .3rem .3rem; } }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media print { body { max-width: none; padding: 0; font-size: 11pt; } .finding, figure { break-inside: avoid; } h2 { break-after: avoid; } a { color: inherit; text-decoration: none; } }
"#;

pub fn render_html(analysis: &Analysis, language: Language) -> String {
    let nl = language == Language::Dutch;
    let mut out = String::new();
    let title = if nl {
        "erbij — analyse van chat-exports"
    } else {
        "erbij — chat export analysis"
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>{title}</h1>\n",
        if nl { "nl" } else { "en" }
    );
    let _ = writeln!(
        out,
        "<p class=\"lead\">{}</p>\n</header>\n<main>",
        if nl {
            "Een bevinding is een signaal om het gesprek aan te gaan, geen oordeel. Elke bevinding toont de regels uit de export zelf; lees ze na."
        } else {
            "A finding is a reason to talk, not a verdict. Each finding shows the lines from the export itself; read them."
        }
    );
    exports(&mut out, analysis, language);
    if !analysis.downloads.is_empty() {
        downloads(&mut out, analysis, language);
    }
    if let Some(report) = &analysis.report {
        summary(&mut out, analysis, report, language);
        for (index, group) in report.groups.iter().enumerate() {
            timeline(&mut out, index, group, analysis, language);
        }
        findings(&mut out, analysis, report, language);
    }
    let _ = writeln!(
        out,
        "</main>\n<footer>{}</footer>\n</body>\n</html>",
        if nl {
            "Gemaakt door erbij op deze computer. Dit bestand bevat persoonsgegevens van leerlingen: bewaar het alleen in het leerlingdossier."
        } else {
            "Made by erbij on this computer. This file holds personal data of pupils: keep it only in the pupil's file."
        }
    );
    out
}

fn exports(out: &mut String, analysis: &Analysis, language: Language) {
    let nl = language == Language::Dutch;
    // "Exports" is the word in both languages.
    out.push_str("<section aria-labelledby=\"exports\">\n<h2 id=\"exports\">Exports</h2>\n");
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        if nl { "Bestand" } else { "File" },
        if nl { "Groep" } else { "Group" },
        if nl { "Periode" } else { "Period" },
        if nl { "Berichten" } else { "Messages" }
    );
    for chat in &analysis.chats {
        let period = match (chat.start, chat.end) {
            (Some(s), Some(e)) => format!(
                "{} – {}",
                labels::time(s, language),
                labels::time(e, language)
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(short_file(&chat.file)),
            escape(chat.group.as_deref().unwrap_or("—")),
            escape(&period),
            chat.messages
        );
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    for error in &analysis.errors {
        let _ = writeln!(
            out,
            "<p role=\"alert\">{}: {}</p>",
            escape(short_file(&error.file)),
            escape(&error.message)
        );
    }
    let _ = writeln!(out, "</section>");
}

fn summary(out: &mut String, analysis: &Analysis, report: &Report, language: Language) {
    let nl = language == Language::Dutch;
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"summary\">\n<h2 id=\"summary\">{}</h2>",
        if nl {
            "Samenvatting per leerling"
        } else {
            "Summary per pupil"
        }
    );
    let (unreadable_files, unreadable_lines) = crate::unreadable(analysis);
    if unreadable_files > 0 {
        let _ = writeln!(
            out,
            "<p class=\"question\" role=\"note\"><strong>{}:</strong> {}</p>",
            if nl { "Let op" } else { "Note" },
            escape(&crate::unreadable_sentence(unreadable_lines, language))
        );
    }
    if report.findings.is_empty() && unreadable_files > 0 {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            if nl {
                "Geen bevindingen in wat erbij kon lezen."
            } else {
                "No findings in what erbij could read."
            }
        );
    } else if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            if nl {
                "Geen bevindingen: in deze exports is geen patroon van buitensluiten gevonden."
            } else {
                "No findings: no pattern of exclusion was found in these exports."
            }
        );
    } else {
        let _ = writeln!(
            out,
            "<table>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
            if nl { "Leerling" } else { "Pupil" },
            if nl {
                "Bevindingen (ernstigste eerst)"
            } else {
                "Findings (most serious first)"
            }
        );
        for (subject, findings) in per_pupil(&report.findings) {
            let items: Vec<String> = findings
                .iter()
                .map(|f| {
                    format!(
                        "{} <span class=\"badge {}\">{}</span>",
                        escape(labels::kind(f.kind, language)),
                        f.confidence.as_str(),
                        labels::confidence(f.confidence, language)
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(labels::subject(subject, language)),
                items.join("<br>")
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
    }
    if report.roster_given {
        let named: Vec<&str> = report.findings.iter().map(|f| f.subject.as_str()).collect();
        let quiet: Vec<String> = report
            .class
            .iter()
            .filter(|n| !named.contains(&n.as_str()))
            .map(|n| escape(n))
            .collect();
        if !quiet.is_empty() {
            let _ = writeln!(
                out,
                "<p class=\"muted\">{}: {}</p>",
                if nl {
                    "Zonder bevindingen"
                } else {
                    "No findings"
                },
                quiet.join(", ")
            );
        }
    }
    let _ = writeln!(out, "</section>");
}

/// The membership timeline as an SVG: one row per person, a bar while they are in the
/// group, marks where a system line (solid) or their writing (hollow) says so.
fn timeline(
    out: &mut String,
    index: usize,
    group: &GroupTimeline,
    analysis: &Analysis,
    language: Language,
) {
    let nl = language == Language::Dutch;
    let (Some(start), Some(end)) = (group.start, group.end) else {
        return;
    };
    let name = group.name.clone().unwrap_or_else(|| {
        if nl {
            "Groep zonder naam".into()
        } else {
            "Unnamed group".into()
        }
    });
    let files: Vec<String> = group
        .chats
        .iter()
        .filter_map(|c| analysis.chats.get(*c))
        .map(|c| short_file(&c.file).to_string())
        .collect();
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"group-{index}\">\n<h2 id=\"group-{index}\">{}: {}{}</h2>",
        if nl {
            "Wie zat in de groep"
        } else {
            "Who was in the group"
        },
        escape(&name),
        if group.class_group {
            if nl {
                " (klassengroep)"
            } else {
                " (class group)"
            }
        } else {
            ""
        }
    );
    let _ = writeln!(out, "<figure class=\"timeline\">");
    timeline_svg(
        out,
        index,
        group,
        &name,
        language,
        start,
        end,
        ("wide", 770.0, 150.0, 600.0),
    );
    timeline_svg(
        out,
        index,
        group,
        &name,
        language,
        start,
        end,
        ("narrow", 360.0, 112.0, 240.0),
    );

    let _ = writeln!(
        out,
        "<figcaption class=\"legend\"><span class=\"in\">● {}</span> <span>○ {}</span> <span style=\"color:#b3261e\">● {}</span> <span style=\"color:#5b6472\">● {}</span> — {}: {}</figcaption>\n</figure>",
        if nl {
            "erbij gekomen (systeemregel)"
        } else {
            "came in (system line)"
        },
        if nl {
            "lid, afgeleid uit schrijven"
        } else {
            "member, inferred from writing"
        },
        if nl { "verwijderd" } else { "removed" },
        if nl {
            "zelf vertrokken"
        } else {
            "left on their own"
        },
        if nl { "bron" } else { "source" },
        escape(&files.join(", "))
    );
    if has_break(group, start, end) {
        let _ = writeln!(
            out,
            "<p class=\"muted\">{}</p>",
            if nl {
                "De grijze strook met schuine strepen is een onderbreking: daar ligt een lange tijd zonder gebeurtenissen (bijvoorbeeld één regel met een datum ver van de rest), die is weggelaten zodat de rest leesbaar blijft."
            } else {
                "The grey strip with slanted lines is a break: a long time without events (for example one line dated far from the rest) is left out so the rest stays readable."
            }
        );
    }
    group_details(out, group, analysis, language);
    let _ = writeln!(out, "</section>");
}

/// One drawing of a group's timeline: `total` pixels wide, names left of `left`, the axis
/// `width` long (a wide one for screens, a narrow one for phones).
#[allow(clippy::too_many_arguments)]
fn timeline_svg(
    out: &mut String,
    index: usize,
    group: &GroupTimeline,
    name: &str,
    language: Language,
    start: erbij_chat::LocalDateTime,
    end: erbij_chat::LocalDateTime,
    (class, total, left, width): (&str, f64, f64, f64),
) {
    let nl = language == Language::Dutch;
    // The axis is scaled on where the events are: a stretch with nothing in it that takes
    // most of the span (a stray line dated a day or a year off) is cut out and marked as a
    // break, so it cannot squeeze the chat itself into a few pixels.
    let row = 26.0;
    let mut moments: Vec<i64> = group
        .members
        .iter()
        .flat_map(|m| m.facts.iter().map(|f| start.seconds_until(f.at)))
        .chain([0, start.seconds_until(end)])
        .collect();
    moments.sort_unstable();
    moments.dedup();
    let axis = Axis::new(&moments, left, width);
    let height = 50.0 + row * group.members.len() as f64;
    let x = |at: erbij_chat::LocalDateTime| axis.x(start.seconds_until(at));
    let _ = writeln!(
        out,
        "<svg role=\"img\" class=\"{class}\" aria-labelledby=\"tl-title-{index}{class} tl-desc-{index}{class}\" viewBox=\"0 0 {total} {height}\" width=\"{total}\" height=\"{height}\">"
    );
    let _ = writeln!(
        out,
        "<title id=\"tl-title-{index}{class}\">{}</title>",
        escape(&format!(
            "{} {}",
            if nl { "Tijdlijn van" } else { "Timeline of" },
            name
        ))
    );
    let mut description = String::new();
    for member in &group.members {
        let facts: Vec<String> = member
            .facts
            .iter()
            .map(|f| {
                format!(
                    "{} {}",
                    labels::time(f.at, language),
                    labels::how(f.how, language)
                )
            })
            .collect();
        let _ = write!(
            description,
            "{}: {}. ",
            labels::person(&member.person, language),
            facts.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "<desc id=\"tl-desc-{index}{class}\">{}</desc>",
        escape(&description)
    );
    // The time at each end of the axis and on both sides of every break; a stretch too
    // narrow for two times gets one, written on a second row when the first is taken.
    let mut taken_until = f64::MIN;
    for (i, (from, to)) in axis.segments.iter().enumerate() {
        let (x0, x1) = (axis.x(*from), axis.x(*to));
        let at = |s: i64| start.plus_seconds(s);
        let wide = x1 - x0 > 240.0;
        let last = i + 1 == axis.segments.len();
        // A narrow first stretch is labelled leftwards, over the names' column.
        let (x, anchor) = if !wide && i == 0 && !last {
            (x1, "end")
        } else {
            (x0, "start")
        };
        let row_y = if x - 110.0 < taken_until && anchor == "end" || x < taken_until {
            28.0
        } else {
            14.0
        };
        let _ = writeln!(
            out,
            "<text x=\"{x:.1}\" y=\"{row_y}\" font-size=\"12\" fill=\"#3d4550\" text-anchor=\"{anchor}\">{}</text>",
            escape(&labels::time(at(*from), language))
        );
        taken_until = if anchor == "end" { x } else { x + 110.0 };
        if wide || last {
            let y = if x1 - 110.0 < taken_until { 28.0 } else { 14.0 };
            let _ = writeln!(
                out,
                "<text x=\"{x1:.1}\" y=\"{y}\" font-size=\"12\" fill=\"#3d4550\" text-anchor=\"end\">{}</text>",
                escape(&labels::time(at(*to), language))
            );
            taken_until = x1;
        }
    }
    for brk in &axis.breaks {
        let _ = writeln!(
            out,
            "<g class=\"break\"><rect x=\"{:.1}\" y=\"34\" width=\"{:.1}\" height=\"{}\" fill=\"#f1f3f6\"/><path d=\"M{:.1} 34 l6 {} M{:.1} 34 l6 {}\" stroke=\"#5b6472\" stroke-width=\"1.5\"/><title>{}</title></g>",
            brk - BREAK / 2.0,
            BREAK,
            height - 34.0,
            brk - 5.0,
            height - 34.0,
            brk + 1.0,
            height - 34.0,
            if nl {
                "Onderbreking: een lange tijd zonder gebeurtenissen is weggelaten"
            } else {
                "Break: a long time without events is left out"
            }
        );
    }
    for (i, member) in group.members.iter().enumerate() {
        let y = 40.0 + row * i as f64;
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"12\" text-anchor=\"end\">{}</text>",
            left - 8.0,
            y + 12.0,
            escape(labels::person(&member.person, language))
        );
        let _ = writeln!(
            out,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"#d9dee5\"/>",
            left + width,
            y + 8.0,
            y + 8.0
        );
        // Bars: from each "in" to the next "out" (or the end).
        let mut inside: Option<f64> = None;
        let first_out = member
            .facts
            .first()
            .is_some_and(|f| f.how.change() == Change::Out);
        if first_out {
            inside = Some(left);
        }
        for fact in &member.facts {
            let fx = x(fact.at);
            match fact.how.change() {
                Change::In => {
                    if inside.is_none() {
                        inside = Some(fx);
                    }
                }
                Change::Out => {
                    if let Some(from) = inside.take() {
                        let _ = writeln!(
                            out,
                            "<rect x=\"{from:.1}\" y=\"{}\" width=\"{:.1}\" height=\"10\" rx=\"3\" fill=\"#8fb3d9\"/>",
                            y + 3.0,
                            (fx - from).max(2.0)
                        );
                    }
                }
            }
        }
        if let Some(from) = inside {
            let _ = writeln!(
                out,
                "<rect x=\"{from:.1}\" y=\"{}\" width=\"{:.1}\" height=\"10\" rx=\"3\" fill=\"#8fb3d9\"/>",
                y + 3.0,
                (left + width - from).max(2.0)
            );
        }
        for fact in &member.facts {
            let fx = x(fact.at);
            let (fill, stroke) = match (fact.how, fact.provenance) {
                (How::Removed, _) => ("#b3261e", "#b3261e"),
                (How::Left, _) => ("#5b6472", "#5b6472"),
                (_, Provenance::Inferred) => ("#ffffff", "#2e7d32"),
                _ => ("#2e7d32", "#2e7d32"),
            };
            let label = format!(
                "{}: {} {}",
                labels::person(&member.person, language),
                labels::how(fact.how, language),
                labels::time(fact.at, language)
            );
            let _ = writeln!(
                out,
                "<circle cx=\"{fx:.1}\" cy=\"{}\" r=\"5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"><title>{}</title></circle>",
                y + 8.0,
                escape(&label)
            );
        }
    }
    let _ = writeln!(out, "</svg>");
}

/// Whether the timeline cuts out a long empty stretch.
fn has_break(
    group: &GroupTimeline,
    start: erbij_chat::LocalDateTime,
    end: erbij_chat::LocalDateTime,
) -> bool {
    let mut moments: Vec<i64> = group
        .members
        .iter()
        .flat_map(|m| m.facts.iter().map(|f| start.seconds_until(f.at)))
        .chain([0, start.seconds_until(end)])
        .collect();
    moments.sort_unstable();
    moments.dedup();
    !Axis::new(&moments, 0.0, 600.0).breaks.is_empty()
}

/// Width of a break in the timeline's axis.
const BREAK: f64 = 18.0;

/// A time axis in pieces: the stretches with events get the width, in proportion to their
/// length; each long empty stretch between them becomes a break of fixed width.
struct Axis {
    /// Stretches kept, in seconds from the start.
    segments: Vec<(i64, i64)>,
    /// x of each break's middle.
    breaks: Vec<f64>,
    left: f64,
    /// Pixels per second in the kept stretches.
    scale: f64,
}

impl Axis {
    fn new(moments: &[i64], left: f64, width: f64) -> Axis {
        let span = moments.last().copied().unwrap_or(0).max(60);
        // An empty stretch becomes a break when it is over a third of the whole span and
        // longer than six hours: then the events elsewhere would be squeezed.
        let mut segments: Vec<(i64, i64)> = Vec::new();
        let mut from = moments.first().copied().unwrap_or(0);
        for pair in moments.windows(2) {
            let gap = pair[1] - pair[0];
            if gap * 3 > span && gap > 6 * 3600 {
                segments.push((from, pair[0]));
                from = pair[1];
            }
        }
        segments.push((from, moments.last().copied().unwrap_or(0).max(from)));
        let breaks = segments.len() - 1;
        let kept: i64 = segments.iter().map(|(a, b)| (b - a).max(60)).sum();
        let scale = (width - BREAK * breaks as f64) / kept.max(60) as f64;
        let mut axis = Axis {
            segments,
            breaks: Vec::new(),
            left,
            scale,
        };
        axis.breaks = (1..axis.segments.len())
            .map(|i| axis.x(axis.segments[i].0) - BREAK / 2.0)
            .collect();
        axis
    }

    fn x(&self, seconds: i64) -> f64 {
        let mut x = self.left;
        for (i, (a, b)) in self.segments.iter().enumerate() {
            let length = (b - a).max(60);
            if seconds <= *b || i + 1 == self.segments.len() {
                let into = (seconds - a).clamp(0, length);
                return x + into as f64 * self.scale;
            }
            x += length as f64 * self.scale + BREAK;
        }
        x
    }
}

/// Where the group's name comes from, which exports were merged and which names in them are
/// one person, and who made each export (or the question who did).
fn group_details(out: &mut String, group: &GroupTimeline, analysis: &Analysis, language: Language) {
    let nl = language == Language::Dutch;
    let file = |chat: usize| {
        analysis
            .chats
            .get(chat)
            .map_or_else(|| "?".to_string(), |c| short_file(&c.file).to_string())
    };
    if let Some(source) = group.name_source {
        let _ = writeln!(
            out,
            "<p>{} {}.</p>",
            if nl {
                "De naam van de groep komt"
            } else {
                "The group's name comes"
            },
            escape(labels::name_source(source, language))
        );
    }
    if group.chats.len() > 1 {
        let files: Vec<String> = group.chats.iter().map(|c| escape(&file(*c))).collect();
        let (label, sentence) = labels::merged_exports(group.chats.len(), language);
        let _ = writeln!(
            out,
            "<p><strong>{label}</strong> {sentence}: {}.</p>",
            files.join(", ")
        );
        let _ = writeln!(
            out,
            "<div class=\"scroll\"><table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
            labels::same_person_heading(language),
            if nl { "Persoon" } else { "Person" },
            if nl {
                "Naam per export"
            } else {
                "Name per export"
            }
        );
        for member in &group.members {
            let mut per_file: Vec<(usize, Vec<String>)> = Vec::new();
            for (chat, name) in &member.names {
                let shown = if name == erbij_detect::EXPORTER_WORD {
                    if nl {
                        "“u”".to_string()
                    } else {
                        "“you”".to_string()
                    }
                } else {
                    format!("“{}”", escape(name))
                };
                match per_file.iter_mut().find(|(c, _)| c == chat) {
                    Some((_, list)) => list.push(shown),
                    None => per_file.push((*chat, vec![shown])),
                }
            }
            let cells: Vec<String> = per_file
                .iter()
                .map(|(chat, names)| {
                    format!(
                        "{} <span class=\"muted\">({})</span>",
                        names.join(if nl { " en " } else { " and " }),
                        escape(&file(*chat))
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(labels::person(&member.person, language)),
                cells.join("<br>")
            );
        }
        let _ = writeln!(out, "</tbody>\n</table></div>");
    }
    let _ = writeln!(
        out,
        "<p><strong>{}</strong></p>\n<ul>",
        if nl {
            "Wie maakte de export?"
        } else {
            "Who made the export?"
        }
    );
    for exporter in &group.exporters {
        match &exporter.person {
            Some(person) => {
                let _ = writeln!(
                    out,
                    "<li>{}: {} <span class=\"muted\">({})</span></li>",
                    escape(&file(exporter.chat)),
                    escape(labels::person(person, language)),
                    escape(labels::exporter_clue(exporter.clue, language))
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<li class=\"question\">{}: {}</li>",
                    escape(&file(exporter.chat)),
                    if nl {
                        "<strong>onbekend — wie maakte deze export?</strong> Een leerling die nergens in de groep te zien is, kan de maker zijn; bevindingen over zo'n leerling krijgen daarom een lagere zekerheid. Geef de maker op (<code>--exporter BESTAND=NAAM</code>)."
                    } else {
                        "<strong>unknown — who made this export?</strong> A pupil seen nowhere in the group may be its maker, so findings about such a pupil get a lower confidence. Name the maker (<code>--exporter FILE=NAME</code>)."
                    }
                );
            }
        }
    }
    let _ = writeln!(out, "</ul>");
}

fn findings(out: &mut String, analysis: &Analysis, report: &Report, language: Language) {
    let nl = language == Language::Dutch;
    if report.findings.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"findings\">\n<h2 id=\"findings\">{}</h2>",
        if nl {
            "Bevindingen met bewijs"
        } else {
            "Findings with evidence"
        }
    );
    for (subject, list) in per_pupil(&report.findings) {
        let _ = writeln!(
            out,
            "<h3>{}</h3>",
            escape(labels::subject(subject, language))
        );
        for f in list {
            finding(out, analysis, report, f, language);
        }
    }
    let _ = writeln!(out, "</section>");
}

fn finding(
    out: &mut String,
    analysis: &Analysis,
    report: &Report,
    f: &Finding,
    language: Language,
) {
    let nl = language == Language::Dutch;
    let place = match f.source {
        // A group without a name has none to show here.
        erbij_detect::FindingSource::Chat { group, .. } => report
            .groups
            .get(group)
            .and_then(|g| g.name.clone())
            .unwrap_or_default(),
        erbij_detect::FindingSource::Downloads { .. } => {
            labels::finding_place(f, &report.groups, language)
        }
    };
    let _ = writeln!(
        out,
        "<article class=\"finding {}\">\n<h4>{} <span class=\"badge {}\">{}: {}</span></h4>",
        f.confidence.as_str(),
        escape(labels::kind(f.kind, language)),
        f.confidence.as_str(),
        if nl { "zekerheid" } else { "confidence" },
        labels::confidence(f.confidence, language)
    );
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} · {}{}</p>",
        escape(&place),
        escape(&labels::finding_time(f.at, language)),
        if f.actors.is_empty() {
            String::new()
        } else {
            format!(
                " · {}: {}",
                if nl { "door" } else { "by" },
                escape(
                    &f.actors
                        .iter()
                        .map(|a| labels::person(a, language))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            )
        }
    );
    let _ = writeln!(out, "<p>{}</p>", escape(f.explanation(language)));
    let _ = writeln!(
        out,
        "<p class=\"muted\">{}: {}</p>",
        if nl {
            "Waarom deze zekerheid"
        } else {
            "Why this confidence"
        },
        escape(f.confidence_reason(language))
    );
    let chat_files: Vec<&str> = analysis.chats.iter().map(|c| c.file.as_str()).collect();
    for e in &f.evidence {
        let _ = writeln!(
            out,
            "<blockquote><cite>{}</cite>{}</blockquote>",
            escape(&labels::evidence_place(e, &chat_files, language)),
            escape(&e.text(language))
        );
    }
    let _ = writeln!(out, "</article>");
}

/// The downloads handed in, and per account what its lists show about the class; the
/// unfollow clusters are named here and shown with their evidence among the findings.
fn downloads(out: &mut String, analysis: &Analysis, language: Language) {
    let nl = language == Language::Dutch;
    let _ = writeln!(
        out,
        "<section aria-labelledby=\"downloads\">\n<h2 id=\"downloads\">{}</h2>",
        if nl {
            "Instagram- en TikTok-downloads"
        } else {
            "Instagram and TikTok downloads"
        }
    );
    let _ = writeln!(
        out,
        "<p class=\"lead\">{}</p>",
        escape(if nl {
            "Een download laat zien wie het account volgde toen hij gemaakt werd, en sinds wanneer. \
             Niet wanneer iemand stopte met volgen (alleen tussen welke twee downloads), en niet wie \
             de berichten van de leerling wel of niet leuk vond: likes op de eigen berichten staan \
             niet in een download. Een screenshot is daarvoor het bewijs."
        } else {
            "A download shows who followed the account when it was made, and since when. Not when \
             someone stopped following (only between which two downloads), and not who liked the \
             pupil's posts or did not: likes on the pupil's own posts are not in a download. A \
             screenshot is the evidence for that."
        })
    );
    let _ = writeln!(
        out,
        "<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">{}</th><th scope=\"col\">Account</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
        if nl { "Bestand" } else { "File" },
        if nl { "Gemaakt" } else { "Made" },
        if nl { "Volgers" } else { "Followers" },
        if nl { "Volgt" } else { "Following" }
    );
    for (index, download) in analysis.downloads.iter().enumerate() {
        download_row(out, index, download, language);
    }
    let _ = writeln!(out, "</tbody>\n</table>");
    let accounts = analysis
        .report
        .iter()
        .flat_map(|r| r.social_accounts.iter());
    for account in accounts {
        let who = account_owner(account, language);
        let _ = writeln!(out, "<h3>{} {}</h3>", account.platform, escape(&who));
        let names = |list: &[ClassmateEntry]| {
            if list.is_empty() {
                if nl { "(niemand)" } else { "(nobody)" }.to_owned()
            } else {
                list.iter()
                    .map(|c| escape(&c.pupil))
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
        let _ = writeln!(
            out,
            "<p>{}: {following}</p>",
            if nl {
                "Klasgenoten die volgen"
            } else {
                "Classmates following"
            },
        );
        if let Some(list) = &account.not_following_back {
            let _ = writeln!(
                out,
                "<p>{}: {}</p>",
                if nl {
                    "Gevolgd maar volgen niet terug"
                } else {
                    "Followed but not following back"
                },
                names(list)
            );
        }
        for (earlier, later) in &account.order_doubts {
            let _ = writeln!(
                out,
                "<p role=\"alert\">{}</p>",
                if nl {
                    format!(
                        "Let op: download {} bevat geen volger die zo recent begon als de nieuwste in download {}. Is de volgorde goed? Geef de oudste download eerst.",
                        later + 1,
                        earlier + 1
                    )
                } else {
                    format!(
                        "Note: download {} holds no follower as recent as the newest in download {}. Is the order right? Give the oldest download first.",
                        later + 1,
                        earlier + 1
                    )
                }
            );
        }
        if !account.unfollows.is_empty() {
            let gone: Vec<String> = account
                .unfollows
                .iter()
                .map(|u| {
                    format!(
                        "{} (download {} → {})",
                        escape(&u.earlier.pupil),
                        u.earlier.download + 1,
                        u.later_download + 1
                    )
                })
                .collect();
            let _ = writeln!(
                out,
                "<p>{}: {}</p>",
                if nl {
                    "Volgt niet meer"
                } else {
                    "Stopped following"
                },
                gone.join(", ")
            );
        }
        for cluster in &account.clusters {
            let confidence = cluster.confidence.confidence();
            let _ = writeln!(
                out,
                "<p>{} <span class=\"badge {}\">{}: {}</span> {} — {}</p>",
                escape(labels::kind(
                    erbij_detect::FindingKind::UnfollowCluster,
                    language
                )),
                confidence.as_str(),
                if nl { "zekerheid" } else { "confidence" },
                labels::confidence(confidence, language),
                escape(&cluster.actors.join(", ")),
                if nl {
                    format!("zie de bevindingen bij {}.", escape(&who))
                } else {
                    format!("see the findings for {}.", escape(&who))
                }
            );
        }
    }
    let _ = writeln!(out, "</section>");
}

fn download_row(out: &mut String, index: usize, download: &DownloadInfo, language: Language) {
    let count = |list: Option<usize>| list.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let made = download
        .made_at
        .map_or_else(|| "—".to_owned(), |(m, _)| crate::text::moment(m, language));
    let _ = writeln!(
        out,
        "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        index + 1,
        escape(short_file(&download.file)),
        download.platform,
        escape(&match (&download.account, &download.exporter) {
            (Some(o), _) => format!("@{o}"),
            (None, Some(name)) if language == Language::Dutch => {
                format!("van {name} (opgegeven)")
            }
            (None, Some(name)) => format!("{name}'s (as given)"),
            (None, None) => "—".to_owned(),
        }),
        escape(&made),
        count(download.followers),
        count(download.following)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_that_could_become_markup() {
        assert_eq!(
            escape("<script>\"x\" & 'y'</script>"),
            "&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;"
        );
    }

    #[test]
    fn a_download_finding_is_in_the_summary_and_escaped() {
        use erbij_detect::{
            Confidence, DownloadEvidence, FindingEvidence, FindingKind, FindingSource, ListFact,
            Report,
        };
        let finding = Finding {
            kind: FindingKind::UnfollowCluster,
            subject: erbij_detect::unfollow::UNNAMED_ACCOUNT_OWNER.to_owned(),
            subject_pupil: None,
            actors: vec!["<b>Jan</b>".into()],
            source: FindingSource::Downloads {
                platform: erbij_social::Platform::Instagram,
                before: 0,
                after: 1,
            },
            at: None,
            confidence: Confidence::Low,
            confidence_reason_nl: "onbekend".into(),
            confidence_reason_en: "unknown".into(),
            evidence: vec![FindingEvidence::Download(DownloadEvidence {
                download: 0,
                file: "map/<img>.zip".into(),
                entry: Some("followers_1.json".into()),
                position: Some(2),
                account: "<i>jan</i>".into(),
                fact: ListFact::Follows { since: None },
            })],
            explanation_nl: "uitleg".into(),
            explanation_en: "explanation".into(),
            statistics: None,
        };
        let analysis = Analysis {
            report: Some(Report {
                chats: Vec::new(),
                groups: Vec::new(),
                findings: vec![finding],
                class: Vec::new(),
                roster_given: false,
                social_accounts: Vec::new(),
                roster_accounts: 0,
            }),
            ..Analysis::default()
        };
        let html = render_html(&analysis, Language::Dutch);
        assert!(html.contains("<tr><th scope=\"row\">de leerling</th><td>Samen ontvolgd <span class=\"badge low\">laag</span></td></tr>"), "{html}");
        assert!(html.contains("Instagram, tussen download 1 en download 2 · tijd onbekend · door: &lt;b&gt;Jan&lt;/b&gt;"), "{html}");
        assert!(html.contains("<blockquote><cite>&lt;img&gt;.zip, followers_1.json, item 2</cite>&lt;i&gt;jan&lt;/i&gt; volgt</blockquote>"), "{html}");
        assert!(!html.contains("<img>") && !html.contains("<i>jan"));
    }
}
