//! The JSON contract of `erbij analyze` (DESIGN.md): `chats`, `findings`, plus the
//! membership timelines under `groups` and unreadable files under `errors`.

use serde_json::{Map, Value, json};

use erbij_detect::{Finding, GroupTimeline, Language, Statistics};

use crate::Analysis;

pub fn render_json(analysis: &Analysis, language: Language) -> String {
    let chats: Vec<Value> = analysis
        .chats
        .iter()
        .map(|c| {
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
            chat
        })
        .collect();
    let report = analysis.report.as_ref();
    let findings: Vec<Value> = report.map_or_else(Vec::new, |r| r.findings.iter().map(|f| finding(f, language)).collect());
    let groups: Vec<Value> = report.map_or_else(Vec::new, |r| r.groups.iter().map(group).collect());
    let mut root = Map::new();
    root.insert("chats".into(), Value::Array(chats));
    root.insert("findings".into(), Value::Array(findings));
    root.insert("groups".into(), Value::Array(groups));
    if let Some(r) = report {
        root.insert("class".into(), json!(r.class));
        root.insert("roster_given".into(), json!(r.roster_given));
    }
    if !analysis.errors.is_empty() {
        root.insert(
            "errors".into(),
            Value::Array(analysis.errors.iter().map(|e| json!({"file": e.file, "message": e.message})).collect()),
        );
    }
    serde_json::to_string_pretty(&Value::Object(root)).unwrap_or_else(|_| "{}".into()) + "\n"
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
        Statistics::Ignored { turns, taken_up, rate, others_turns, others_taken_up, others_rate, p_value, p_holm, weeks } => json!({
            "turns": turns, "taken_up": taken_up, "rate": rate,
            "others_turns": others_turns, "others_taken_up": others_taken_up, "others_rate": others_rate,
            "p_value": p_value, "p_holm": p_holm, "weeks_not_taken_up": weeks,
            "test": "exact one-sided binomial against the others' pooled uptake, Holm-corrected over all members",
        }),
        Statistics::Gossip { negative_mentions, authors, days, absent_mentions } => json!({
            "negative_mentions": negative_mentions, "authors": authors, "days": days, "absent_mentions": absent_mentions,
        }),
        Statistics::ShadowGroup { coverage, class_size, missing } => json!({
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
