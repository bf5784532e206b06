//! The JSON contract of `erbij analyze` (DESIGN.md): `chats`, `findings`, plus the
//! membership timelines under `groups`, unreadable files under `errors`, and with
//! Instagram/TikTok downloads the `downloads` read and the `social_accounts` they show.

use serde_json::{Value, json};

use erbij_detect::unfollow::{AccountAnalysis, ClassmateEntry, OrderBasis};
use erbij_detect::{Finding, FindingEvidence, FindingSource, GroupTimeline, Language, Statistics};
use erbij_social::{MadeAtSource, Moment};

use crate::{Analysis, DownloadInfo, labels, social_language};

pub fn render_json(analysis: &Analysis, language: Language) -> String {
    let chats: Vec<Value> = analysis
        .chats
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let mut chat = json!({
                "file": c.file,
                "platform": c.platform,
                "variant": c.variant,
                "language": c.language,
                "language_recognised": c.language != "unknown",
                "unreadable_system_lines": c.unreadable_system_lines,
                "group": c.group,
                "messages": c.messages,
                "system_events": c.system_events,
                "participants": c.participants,
                "start": c.start.map(|t| t.to_string()),
                "end": c.end.map(|t| t.to_string()),
                "diagnostics": c.diagnostics.iter().map(|(line, message)| json!({"line": line, "message": message})).collect::<Vec<_>>(),
            });
            if let (Some(media), Some(object)) = (c.media_files, chat.as_object_mut()) {
                object.insert("media_files".into(), json!(media));
            }
            // Names that fit more than one pupil: counted, never attributed.
            let summary = analysis.report.as_ref().and_then(|r| r.chats.get(index));
            if let (Some(summary), Some(object)) = (summary, chat.as_object_mut()) {
                object.insert("ambiguous_mentions".into(), json!(summary.ambiguous_mentions));
                object.insert("ambiguous_authors".into(), json!(summary.ambiguous_authors));
            }
            chat
        })
        .collect();
    let report = analysis.report.as_ref();
    let (unreadable_files, unreadable_lines) = crate::unreadable(analysis);
    // Written piece by piece rather than as one value tree: an export with thousands of
    // findings would otherwise hold them all twice in memory.
    let mut out = String::from("{\n");
    push_member(
        &mut out,
        "chats",
        std::iter::once(Value::Array(chats)),
        false,
    );
    out.push_str(",\n");
    let findings = report
        .into_iter()
        .flat_map(|r| r.findings.iter().map(|f| finding(f, language)));
    push_member(&mut out, "findings", findings, true);
    out.push_str(",\n");
    let groups = report.into_iter().flat_map(|r| r.groups.iter().map(group));
    push_member(&mut out, "groups", groups, true);
    if let Some(r) = report {
        out.push_str(",\n");
        push_member(&mut out, "class", std::iter::once(json!(r.class)), false);
        out.push_str(",\n");
        push_member(
            &mut out,
            "roster_given",
            std::iter::once(json!(r.roster_given)),
            false,
        );
    }
    if !analysis.downloads.is_empty() {
        out.push_str(",\n");
        let downloads = analysis.downloads.iter().map(|d| download(d, language));
        push_member(&mut out, "downloads", downloads, true);
        out.push_str(",\n");
        let accounts = report
            .into_iter()
            .flat_map(|r| r.social_accounts.iter().map(social_account));
        push_member(&mut out, "social_accounts", accounts, true);
    }
    // Never a silent "nothing found": what could not be read is said.
    if unreadable_files > 0 {
        out.push_str(",\n");
        push_member(
            &mut out,
            "unreadable",
            std::iter::once(json!({
                "files": unreadable_files,
                "system_lines": unreadable_lines,
                "message": crate::unreadable_sentence(unreadable_lines, language),
            })),
            false,
        );
    }
    if !analysis.errors.is_empty() {
        out.push_str(",\n");
        let errors = Value::Array(
            analysis
                .errors
                .iter()
                .map(|e| json!({"file": e.file, "message": e.message}))
                .collect(),
        );
        push_member(&mut out, "errors", std::iter::once(errors), false);
    }
    out.push_str("\n}\n");
    out
}

/// Appends `"name": value` (one value) or `"name": [values...]` (an array written element
/// by element), pretty-printed at the first level of indentation.
fn push_member(out: &mut String, name: &str, values: impl Iterator<Item = Value>, array: bool) {
    let pretty =
        |value: &Value| serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    out.push_str(&format!("  {}: ", Value::String(name.to_string())));
    if !array {
        for value in values {
            out.push_str(&pretty(&value).replace('\n', "\n  "));
        }
        return;
    }
    let mut first = true;
    out.push('[');
    for value in values {
        out.push_str(if first { "\n    " } else { ",\n    " });
        out.push_str(&pretty(&value).replace('\n', "\n    "));
        first = false;
    }
    out.push_str(if first { "]" } else { "\n  ]" });
}

/// A finding: a chat finding names its `chat` and `group`, a download finding its
/// `platform` and the `downloads` compared (`download` is the later one).
fn finding(f: &Finding, language: Language) -> Value {
    let mut value = json!({
        "kind": f.kind.as_str(),
        "subject": labels::subject(&f.subject, language),
        "actors": f.actors,
    });
    if let Some(object) = value.as_object_mut() {
        match f.source {
            FindingSource::Chat { chat, group } => {
                object.insert("chat".into(), json!(chat));
                object.insert("group".into(), json!(group));
            }
            FindingSource::Downloads {
                platform,
                before,
                after,
            } => {
                object.insert("platform".into(), json!(platform.roster_key()));
                object.insert("download".into(), json!(after));
                object.insert("downloads".into(), json!([before, after]));
            }
        }
        let evidence: Vec<Value> = f.evidence.iter().map(|e| evidence(e, language)).collect();
        for (key, field) in [
            ("at", json!(f.at.map(|t| t.to_string()))),
            ("confidence", json!(f.confidence.as_str())),
            ("confidence_reason", json!(f.confidence_reason(language))),
            ("evidence", Value::Array(evidence)),
            ("explanation", json!(f.explanation(language))),
            ("explanation_nl", json!(f.explanation_nl)),
            ("explanation_en", json!(f.explanation_en)),
        ] {
            object.insert(key.into(), field);
        }
        if let Some(stats) = &f.statistics {
            object.insert("statistics".into(), statistics(stats));
        }
    }
    value
}

/// A chat line as `{"chat", "line", "text"}`; a place in a download as `{"download",
/// "file", "entry", "position", "account", "text"}` (`entry` and `position` are null for
/// the download in which an account is missing).
fn evidence(e: &FindingEvidence, language: Language) -> Value {
    match e {
        FindingEvidence::Line(line) => {
            json!({"chat": line.chat, "line": line.line, "text": line.text})
        }
        FindingEvidence::Download(place) => json!({
            "download": place.download,
            "file": place.file,
            "entry": place.entry,
            "position": place.position,
            "account": place.account,
            "text": place.text(language),
        }),
    }
}

fn time_text(moment: Option<Moment>) -> Value {
    moment.map_or(Value::Null, |m| Value::String(m.to_string()))
}

/// One item of `downloads`: what was read from one download handed in.
fn download(d: &DownloadInfo, language: Language) -> Value {
    json!({
        "file": d.file,
        "platform": d.platform.roster_key(),
        "account": d.account,
        "exporter": d.exporter,
        "made_at": time_text(d.made_at.map(|(m, _)| m)),
        "made_at_source": d.made_at.map(|(_, source)| match source {
            MadeAtSource::ZipEntryTimes => "zip_entry_times",
            MadeAtSource::Caller => "caller",
        }),
        "newest_entry": time_text(d.newest_entry),
        "followers": d.followers,
        "following": d.following,
        "diagnostics": d.diagnostics.iter().map(|diagnostic| json!({
            "entry": diagnostic.entry,
            "position": diagnostic.position,
            "message": diagnostic.message(social_language(language)),
        })).collect::<Vec<_>>(),
    })
}

fn classmate(entry: &ClassmateEntry) -> Value {
    json!({
        "pupil": entry.pupil,
        "account": entry.account.as_str(),
        "since": time_text(entry.since),
        "download": entry.download,
        "file": entry.file,
        "entry": entry.entry,
        "position": entry.position,
    })
}

/// One item of `social_accounts`: per account, the class in its lists and who stopped.
fn social_account(account: &AccountAnalysis) -> Value {
    json!({
        "platform": account.platform.roster_key(),
        "account": account.owner.as_ref().map(|o| o.as_str()),
        "pupil": account.subject,
        "downloads": account.downloads,
        "order": match account.order {
            OrderBasis::MadeAt => "made_at",
            OrderBasis::GivenOrder => "given_order",
        },
        "classmates_following": account.classmates_following.iter().map(classmate).collect::<Vec<_>>(),
        "not_following_back": account.not_following_back.as_ref().map(|list| list.iter().map(classmate).collect::<Vec<_>>()),
        "order_doubts": account.order_doubts,
        "unfollows": account.unfollows.iter().map(|u| json!({
            "pupil": u.earlier.pupil,
            "account": u.earlier.account.as_str(),
            "followed_since": time_text(u.earlier.since),
            "still_following_in": u.earlier.download,
            "no_longer_in": u.later_download,
        })).collect::<Vec<_>>(),
    })
}

fn statistics(s: &Statistics) -> Value {
    match s {
        Statistics::Ignored {
            turns,
            taken_up,
            rate,
            others_turns,
            others_taken_up,
            others_rate,
            p_value,
            p_holm,
            weeks,
        } => json!({
            "turns": turns, "taken_up": taken_up, "rate": rate,
            "others_turns": others_turns, "others_taken_up": others_taken_up, "others_rate": others_rate,
            "p_value": p_value, "p_holm": p_holm, "weeks_not_taken_up": weeks,
            "test": "exact one-sided binomial against the others' pooled uptake, Holm-corrected over all members",
        }),
        Statistics::Gossip {
            negative_mentions,
            authors,
            days,
        } => json!({
            "negative_mentions": negative_mentions, "authors": authors, "days": days,
        }),
        Statistics::ShadowGroup {
            coverage,
            class_size,
            missing,
        } => json!({
            "coverage": coverage, "class_size": class_size, "missing": missing,
        }),
    }
}

fn group(g: &GroupTimeline) -> Value {
    json!({
        "name": g.name,
        "name_source": g.name_source.map(|s| s.as_str()),
        "name_confidence": g.name_source.map(|s| s.confidence().as_str()),
        "names": g.names.iter().map(|n| json!({
            "name": n.name,
            "source": n.source.as_str(),
            "confidence": n.source.confidence().as_str(),
            "chat": n.chat,
            "line": n.line,
        })).collect::<Vec<_>>(),
        "chats": g.chats,
        "merged": g.chats.len() > 1,
        "exporters": g.exporters.iter().map(|e| json!({
            "chat": e.chat,
            "person": e.person,
            "clue": e.clue.map(|c| c.as_str()),
            "question": e.person.is_none().then_some("who_made_this_export"),
        })).collect::<Vec<_>>(),
        "class_group": g.class_group,
        "created": g.created.map(|t| t.to_string()),
        "start": g.start.map(|t| t.to_string()),
        "end": g.end.map(|t| t.to_string()),
        "members": g.members.iter().map(|m| json!({
            "person": m.person,
            "names": m.names.iter().map(|(chat, name)| json!({
                "chat": chat,
                "name": if name == erbij_detect::EXPORTER_WORD { None } else { Some(name) },
                "exporter": name == erbij_detect::EXPORTER_WORD,
            })).collect::<Vec<_>>(),
            "facts": m.facts.iter().map(|f| json!({
                "at": f.at.to_string(),
                "how": f.how.as_str(),
                "provenance": f.provenance.as_str(),
                "certainty": f.certainty.as_str(),
                "by": f.by,
                "line": f.evidence.as_ref().map(|e| e.line),
                "chat": f.evidence.as_ref().map(|e| e.chat),
                "seen_in_exports": f.seen_in_exports,
                "lines": f.lines.iter().map(|(chat, line)| json!({"chat": chat, "line": line})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
