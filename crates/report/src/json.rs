//! The JSON contract of `erbij analyze` (DESIGN.md): `chats`, `findings`, plus the
//! membership timelines under `groups` and unreadable files under `errors`.

use serde_json::{Value, json};

use erbij_detect::{Finding, GroupTimeline, Language, Statistics};

use crate::Analysis;

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

fn finding(f: &Finding, language: Language) -> Value {
    let mut value = json!({
        "kind": f.kind.as_str(),
        "subject": f.subject,
        "actors": f.actors,
        "chat": f.chat,
        "group": f.group,
        "at": f.at.to_string(),
        "confidence": f.confidence.as_str(),
        "confidence_reason": f.confidence_reason(language),
        "evidence": f.evidence.iter().map(|e| json!({"chat": e.chat, "line": e.line, "text": e.text})).collect::<Vec<_>>(),
        "explanation": f.explanation(language),
        "explanation_nl": f.explanation_nl,
        "explanation_en": f.explanation_en,
    });
    if let (Some(stats), Some(object)) = (&f.statistics, value.as_object_mut()) {
        object.insert("statistics".into(), statistics(stats));
    }
    value
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
        "chats": g.chats,
        "class_group": g.class_group,
        "created": g.created.map(|t| t.to_string()),
        "start": g.start.map(|t| t.to_string()),
        "end": g.end.map(|t| t.to_string()),
        "members": g.members.iter().map(|m| json!({
            "person": m.person,
            "facts": m.facts.iter().map(|f| json!({
                "at": f.at.to_string(),
                "how": f.how.as_str(),
                "provenance": f.provenance.as_str(),
                "certainty": f.certainty.as_str(),
                "by": f.by,
                "line": f.evidence.as_ref().map(|e| e.line),
                "chat": f.evidence.as_ref().map(|e| e.chat),
                "seen_in_exports": f.seen_in_exports,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
