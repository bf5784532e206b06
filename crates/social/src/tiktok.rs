//! TikTok's JSON download ("Download your data", format JSON): one `user_data.json`
//! (older) or `user_data_tiktok.json` (newer), zipped or not.
//!
//! As public parsers read it: `Activity` > `Follower List` > `FansList` and
//! `Activity` > `Following List` > `Following`, items `{"Date": "YYYY-MM-DD HH:MM:SS",
//! "UserName": "..."}`; the owner in `Profile` > `Profile Information` > `ProfileMap` >
//! `userName`. Section and key names vary a little between versions, so we compare them
//! without case, spaces or punctuation and accept the variants listed below (each has a
//! test). Anything else is reported with the names we found, not guessed at.

use serde_json::Value;

use crate::download::{AccountName, Download, DuplicateCheck, Platform, Relationship};
use crate::error::{Diagnostic, DiagnosticKind, ReadError};
use crate::outline::{Child, Field, Outline, RawItem, Section, normalise_key};
use crate::source::EntryInfo;

/// Sub-sections (under `Activity`, `Your Activity`, ...) that hold the followers.
pub(crate) const FOLLOWER_SECTIONS: &[&str] =
    &["followerlist", "follower", "followers", "fanslist", "fans"];
/// Sub-sections that hold the accounts followed.
pub(crate) const FOLLOWING_SECTIONS: &[&str] = &["followinglist", "following"];
/// Sub-sections that hold the profile (and so the owner's user name).
pub(crate) const PROFILE_SECTIONS: &[&str] = &["profileinformation", "profileinfo"];

/// Keys of the list inside a follower sub-section.
const FOLLOWER_LIST_KEYS: &[&str] = &["fanslist", "fans", "followerlist", "followers", "list"];
const FOLLOWING_LIST_KEYS: &[&str] = &["following", "followinglist", "list"];

pub(crate) fn is_user_data_file(entry: &EntryInfo) -> bool {
    let name = entry.file_name().to_ascii_lowercase();
    name.starts_with("user_data") && name.ends_with(".json")
}

/// TikTok's TXT download: `Activity/Follower List.txt`, `Following List.txt`, or newer
/// `Follower.txt` / `Following.txt`.
pub(crate) fn is_text_download_file(entry: &EntryInfo) -> bool {
    let name = entry.file_name().to_ascii_lowercase();
    matches!(
        name.as_str(),
        "follower list.txt"
            | "following list.txt"
            | "follower.txt"
            | "following.txt"
            | "user_data.txt"
    )
}

/// One TXT file handed in on its own: `Date: 2025-10-01 12:00:00` then `Username: ...`.
pub(crate) fn looks_like_text_download(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("");
    let second = lines.next().unwrap_or("");
    first.starts_with("Date:")
        && (second.starts_with("Username:") || second.starts_with("UserName:"))
}

/// Reads a TikTok download from its pruned outline.
pub(crate) fn read(outline: Outline, path: &str) -> Result<Download, ReadError> {
    let sections = match outline {
        Outline::Object(sections) => sections,
        Outline::Array(_) => {
            return Err(ReadError::NotADownload {
                found: vec![format!("{path}: JSON-lijst / JSON array")],
            });
        }
        Outline::Other(kind) => {
            return Err(ReadError::NotADownload {
                found: vec![format!("{path}: {kind}")],
            });
        }
    };
    let mut followers = None;
    let mut following = None;
    let mut owner = None;
    let mut diagnostics = Vec::new();
    let mut found_names = Vec::new();
    for (section_name, section) in &sections {
        let children = match section {
            Section::Object(children) if !children.is_empty() => children,
            _ => {
                found_names.push(section_name.clone());
                continue;
            }
        };
        for (child_name, value) in children {
            found_names.push(format!("{section_name} > {child_name}"));
            let Some(value) = value else { continue };
            let key = normalise_key(child_name);
            let place = format!("{path}: {section_name} > {child_name}");
            if FOLLOWER_SECTIONS.contains(&key.as_str()) && followers.is_none() {
                followers = read_list(value, FOLLOWER_LIST_KEYS, &place, &mut diagnostics);
            } else if FOLLOWING_SECTIONS.contains(&key.as_str()) && following.is_none() {
                following = read_list(value, FOLLOWING_LIST_KEYS, &place, &mut diagnostics);
            } else if let (true, None, Child::Value(value)) =
                (PROFILE_SECTIONS.contains(&key.as_str()), &owner, value)
            {
                owner = read_owner(value);
            }
        }
    }
    if followers.is_none() && following.is_none() {
        let looks_like_tiktok = sections.iter().any(|(name, _)| {
            matches!(
                normalise_key(name).as_str(),
                "activity"
                    | "youractivity"
                    | "profile"
                    | "profileandsettings"
                    | "video"
                    | "comment"
            )
        });
        return Err(if looks_like_tiktok {
            ReadError::UnexpectedStructure {
                entry: path.to_owned(),
                found: found_names,
            }
        } else {
            ReadError::NotADownload {
                found: sections.into_iter().map(|(name, _)| name).collect(),
            }
        });
    }
    for (missing, kind) in [
        (followers.is_none(), DiagnosticKind::NoFollowers),
        (following.is_none(), DiagnosticKind::NoFollowing),
        (owner.is_none(), DiagnosticKind::OwnerUnknown),
    ] {
        if missing {
            diagnostics.push(Diagnostic {
                entry: None,
                position: None,
                kind,
            });
        }
    }
    Ok(Download {
        platform: Platform::TikTok,
        owner,
        made_at: None,
        followers,
        following,
        diagnostics,
    })
}

fn get_normalised<'a>(
    object: &'a serde_json::Map<String, Value>,
    keys: &[&str],
) -> Option<&'a Value> {
    keys.iter().find_map(|wanted| {
        object
            .iter()
            .find(|(key, _)| normalise_key(key) == *wanted)
            .map(|(_, value)| value)
    })
}

/// The list in a sub-section: `{"FansList": [...]}` (or a variant key), a bare array, or
/// `null` / no list for an account without any (an empty list, not an error).
fn read_list(
    child: &Child,
    list_keys: &[&str],
    place: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<Relationship>> {
    let not_understood = |found: Vec<String>| Diagnostic {
        entry: None,
        position: None,
        kind: DiagnosticKind::SectionNotUnderstood {
            section: place.to_owned(),
            found,
        },
    };
    let items: &[RawItem] = match child {
        Child::Items(items) => items,
        Child::Fields(fields) if fields.is_empty() => return Some(Vec::new()),
        Child::Fields(fields) => {
            let wanted = list_keys.iter().find_map(|wanted| {
                fields
                    .iter()
                    .find(|(key, _)| normalise_key(key) == *wanted)
                    .map(|(_, field)| field)
            });
            match wanted {
                Some(Field::Items(items)) => items,
                Some(Field::Null) => return Some(Vec::new()),
                _ => {
                    diagnostics.push(not_understood(
                        fields.iter().map(|(key, _)| key.clone()).collect(),
                    ));
                    return None;
                }
            }
        }
        Child::Value(_) => return None,
        Child::Other("null") => return Some(Vec::new()),
        Child::Other(kind) => {
            diagnostics.push(not_understood(vec![(*kind).to_owned()]));
            return None;
        }
    };
    let mut list = Vec::with_capacity(items.len());
    let mut seen = DuplicateCheck::default();
    let entry: std::sync::Arc<str> = std::sync::Arc::from(place);
    for (index, item) in items.iter().enumerate() {
        let position = index + 1;
        let note = |kind| Diagnostic {
            entry: Some(place.to_owned()),
            position: Some(position),
            kind,
        };
        let Some(account) = item.name.as_deref().and_then(AccountName::new) else {
            diagnostics.push(note(DiagnosticKind::EntryWithoutName));
            continue;
        };
        let since = item.date;
        if since.is_none() {
            diagnostics.push(note(DiagnosticKind::EntryWithoutTime));
        }
        if seen.is_duplicate(&account, &list) {
            diagnostics.push(note(DiagnosticKind::Duplicate {
                account: account.to_string(),
            }));
            continue;
        }
        list.push(Relationship {
            account,
            since,
            entry: std::sync::Arc::clone(&entry),
            position,
        });
    }
    Some(list)
}

fn read_owner(value: &Value) -> Option<AccountName> {
    let object = value.as_object()?;
    let profile = get_normalised(object, &["profilemap"])
        .and_then(Value::as_object)
        .unwrap_or(object);
    get_normalised(profile, &["username"])
        .and_then(Value::as_str)
        .and_then(AccountName::new)
}
