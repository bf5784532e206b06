//! Instagram's JSON download ("Download your information", format JSON).
//!
//! Layout as public parsers read it (since 2023; verify against a real download when one
//! is handed in): `connections/followers_and_following/followers_1.json`, `followers_2.json`
//! ... (pages) and `following.json`. A followers page is a top-level array (2023 on) or an
//! object with `relationships_followers` (older); `following.json` is an object with
//! `relationships_following`. Each item carries the account name in
//! `string_list_data[0].value` (older) or in `title` (newer, where `value` is gone), the
//! profile link in `href` and the Unix time the follow began in `timestamp`.

use std::sync::Arc;

use serde_json::Value;

use crate::download::{
    AccountName, Direction, Download, DuplicateCheck, Platform, Relationship, json_error,
    parse_outline, read_entry,
};
use crate::error::{Diagnostic, DiagnosticKind, ReadError};
use crate::outline::{Outline, RawItem, Section};
use crate::source::{DownloadSource, EntryInfo};
use crate::time::Moment;

/// `followers.json`, `followers_1.json`, `followers_12.json`; `following.json`, `following_2.json`.
fn relationship_file_kind(file_name: &str, extension: &str) -> Option<(Direction, u32)> {
    let stem = file_name.strip_suffix(extension)?;
    let (direction, rest) = if let Some(rest) = stem.strip_prefix("followers") {
        (Direction::Follower, rest)
    } else if let Some(rest) = stem.strip_prefix("following") {
        (Direction::Following, rest)
    } else {
        return None;
    };
    if rest.is_empty() {
        return Some((direction, 0));
    }
    let page = rest.strip_prefix('_')?;
    page.parse().ok().map(|n| (direction, n))
}

pub(crate) fn is_relationship_file(entry: &EntryInfo) -> bool {
    relationship_file_kind(entry.file_name(), ".json").is_some()
}

pub(crate) fn is_html_relationship_file(entry: &EntryInfo) -> bool {
    relationship_file_kind(entry.file_name(), ".html").is_some()
}

/// A single file handed in on its own that is an Instagram follower or following list.
pub(crate) fn is_relationship_outline(outline: &Outline) -> bool {
    match outline {
        Outline::Array(items) => items.first().is_some_and(|item| {
            item.is_object
                && (item.name.is_some() || item.href.is_some() || item.timestamp.is_some())
                && item.date.is_none()
        }),
        Outline::Object(sections) => sections
            .iter()
            .any(|(key, _)| key == "relationships_followers" || key == "relationships_following"),
        Outline::Other(_) => false,
    }
}

/// Reads a download of many entries: every follower page, the following list, the owner.
pub(crate) fn read(
    source: &mut dyn DownloadSource,
    entries: &[EntryInfo],
) -> Result<Download, ReadError> {
    let mut pages: Vec<(Direction, u32, &EntryInfo)> = entries
        .iter()
        .filter_map(|e| relationship_file_kind(e.file_name(), ".json").map(|(d, n)| (d, n, e)))
        .collect();
    // Followers before following, pages in number order, so positions read naturally.
    pages.sort_by_key(|(direction, page, entry)| {
        (
            *direction == Direction::Following,
            *page,
            entry.path.clone(),
        )
    });

    let mut list = Lists::default();
    for (direction, _, entry) in pages {
        let bytes = read_entry(source, &entry.path)?;
        let outline = parse_outline(&bytes, &entry.path)?;
        drop(bytes);
        list.add_outline(outline, &entry.path, Some(direction))?;
    }
    let owner = read_owner(source, entries, &mut list.diagnostics);
    Ok(list.finish(owner))
}

/// Reads one relationship file handed in on its own (no owner, no other pages).
pub(crate) fn read_single(outline: Outline, entry: &EntryInfo) -> Result<Download, ReadError> {
    let direction = relationship_file_kind(entry.file_name(), ".json").map(|(d, _)| d);
    let mut list = Lists::default();
    list.add_outline(outline, &entry.path, direction)?;
    list.diagnostics.push(Diagnostic {
        entry: None,
        position: None,
        kind: DiagnosticKind::OwnerUnknown,
    });
    Ok(list.finish(None))
}

#[derive(Default)]
struct Lists {
    followers: Option<Vec<Relationship>>,
    following: Option<Vec<Relationship>>,
    seen_followers: DuplicateCheck,
    seen_following: DuplicateCheck,
    diagnostics: Vec<Diagnostic>,
}

impl Lists {
    fn add_outline(
        &mut self,
        outline: Outline,
        path: &str,
        named_direction: Option<Direction>,
    ) -> Result<(), ReadError> {
        match outline {
            // The newer followers pages are a bare array. A bare array does not say which
            // list it is; the file name does (`followers_1.json`), and only a followers
            // page has been seen in this form.
            Outline::Array(items) => {
                let direction = named_direction.unwrap_or(Direction::Follower);
                self.add_items(&items, path, direction);
                Ok(())
            }
            Outline::Object(sections) => {
                let mut found_any = false;
                let mut keys = Vec::new();
                for (key, section) in sections {
                    let direction = match key.as_str() {
                        "relationships_followers" => Direction::Follower,
                        "relationships_following" => Direction::Following,
                        _ => {
                            keys.push(key);
                            continue;
                        }
                    };
                    match section {
                        Section::Items(items) => {
                            self.add_items(&items, path, direction);
                            found_any = true;
                        }
                        Section::Skipped(kind) => {
                            return Err(ReadError::UnexpectedStructure {
                                entry: path.to_owned(),
                                found: vec![format!("{key}: {kind}")],
                            });
                        }
                        Section::Object(_) => {
                            return Err(ReadError::UnexpectedStructure {
                                entry: path.to_owned(),
                                found: vec![format!("{key}: object")],
                            });
                        }
                    }
                }
                if found_any {
                    Ok(())
                } else {
                    Err(ReadError::UnexpectedStructure {
                        entry: path.to_owned(),
                        found: keys,
                    })
                }
            }
            Outline::Other(kind) => Err(ReadError::UnexpectedStructure {
                entry: path.to_owned(),
                found: vec![kind.to_owned()],
            }),
        }
    }

    fn add_items(&mut self, items: &[RawItem], path: &str, direction: Direction) {
        let (list, seen) = match direction {
            Direction::Follower => (
                self.followers.get_or_insert_with(Vec::new),
                &mut self.seen_followers,
            ),
            Direction::Following => (
                self.following.get_or_insert_with(Vec::new),
                &mut self.seen_following,
            ),
        };
        let entry: Arc<str> = Arc::from(path);
        list.reserve(items.len());
        for (index, item) in items.iter().enumerate() {
            let position = index + 1;
            let note = |kind| Diagnostic {
                entry: Some(path.to_owned()),
                position: Some(position),
                kind,
            };
            let Some((account, from_link)) = item_account(item) else {
                self.diagnostics
                    .push(note(DiagnosticKind::EntryWithoutName));
                continue;
            };
            if from_link {
                self.diagnostics.push(note(DiagnosticKind::NameFromLink));
            }
            let since = item_timestamp(item);
            if since.is_none() {
                self.diagnostics
                    .push(note(DiagnosticKind::EntryWithoutTime));
            }
            if seen.is_duplicate(&account, list) {
                self.diagnostics.push(note(DiagnosticKind::Duplicate {
                    account: account.to_string(),
                }));
                continue;
            }
            list.push(Relationship {
                account,
                since,
                entry: Arc::clone(&entry),
                position,
            });
        }
    }

    fn finish(mut self, owner: Option<AccountName>) -> Download {
        if self.followers.is_none() {
            self.diagnostics.push(Diagnostic {
                entry: None,
                position: None,
                kind: DiagnosticKind::NoFollowers,
            });
        }
        if self.following.is_none() {
            self.diagnostics.push(Diagnostic {
                entry: None,
                position: None,
                kind: DiagnosticKind::NoFollowing,
            });
        }
        Download {
            platform: Platform::Instagram,
            owner,
            made_at: None,
            followers: self.followers,
            following: self.following,
            diagnostics: self.diagnostics,
        }
    }
}

/// The account name: `title` (newer), else `string_list_data[0].value` (older), else the
/// last part of the profile link (the flag says so).
fn item_account(item: &RawItem) -> Option<(AccountName, bool)> {
    if let Some(name) = item.name.as_deref().and_then(AccountName::new) {
        return Some((name, false));
    }
    item.href
        .as_deref()
        .and_then(name_from_link)
        .map(|name| (name, true))
}

/// `https://www.instagram.com/mila.devries` or `https://www.instagram.com/_u/mila.devries`.
fn name_from_link(href: &str) -> Option<AccountName> {
    let path = href.split("instagram.com/").nth(1)?;
    let path = path.split(['?', '#']).next()?;
    let path = path.strip_prefix("_u/").unwrap_or(path);
    let name = path.trim_end_matches('/');
    if name.is_empty() || name.contains('/') {
        return None;
    }
    AccountName::new(name)
}

fn item_timestamp(item: &RawItem) -> Option<Moment> {
    let seconds = item.timestamp?;
    // 0 means "unknown" in some exports; nothing on Instagram predates 2010.
    (seconds > 1_262_304_000).then(|| Moment::from_unix(seconds))
}

/// The owner's user name from `personal_information.json`
/// (`profile_user[0].string_map_data.Username.value`; the key is translated in downloads
/// made in Dutch: `Gebruikersnaam`).
fn read_owner(
    source: &mut dyn DownloadSource,
    entries: &[EntryInfo],
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<AccountName> {
    let owner = entries
        .iter()
        .find(|e| e.file_name() == "personal_information.json")
        .and_then(|entry| {
            let bytes = read_entry(source, &entry.path).ok()?;
            let value: Value = serde_json::from_slice(&bytes)
                .map_err(|err| json_error(&err, &entry.path))
                .ok()?;
            let map = value
                .get("profile_user")?
                .get(0)?
                .get("string_map_data")?
                .as_object()?;
            map.iter()
                .find(|(key, _)| {
                    matches!(
                        crate::outline::normalise_key(key).as_str(),
                        "username" | "gebruikersnaam"
                    )
                })
                .and_then(|(_, field)| field.get("value")?.as_str())
                .and_then(AccountName::new)
        });
    if owner.is_none() {
        diagnostics.push(Diagnostic {
            entry: None,
            position: None,
            kind: DiagnosticKind::OwnerUnknown,
        });
    }
    owner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_paged_and_unpaged_relationship_files_by_name() {
        assert_eq!(
            relationship_file_kind("followers_2.json", ".json"),
            Some((Direction::Follower, 2))
        );
        assert_eq!(
            relationship_file_kind("following.json", ".json"),
            Some((Direction::Following, 0))
        );
        assert_eq!(relationship_file_kind("followers_x.json", ".json"), None);
        assert_eq!(
            relationship_file_kind("follow_requests.json", ".json"),
            None
        );
        assert_eq!(relationship_file_kind("followers_1.html", ".json"), None);
    }

    #[test]
    fn names_come_from_title_then_value_then_link() {
        let item = |json: &str| match crate::outline::parse(json.as_bytes()).unwrap() {
            Outline::Array(mut items) => items.remove(0),
            other => panic!("{other:?}"),
        };
        let newer = item(
            r#"[{"title": "Mila.DeVries", "string_list_data": [{"href": "https://www.instagram.com/_u/mila.devries", "timestamp": 1759320000}]}]"#,
        );
        let older = item(
            r#"[{"title": "", "string_list_data": [{"href": "x", "value": "@sanne_j", "timestamp": 1759320000}]}]"#,
        );
        let link_only = item(
            r#"[{"title": "", "string_list_data": [{"href": "https://www.instagram.com/_u/daan.v/", "timestamp": 1759320000}]}]"#,
        );
        let nothing = item(r#"[{"title": "", "string_list_data": []}]"#);
        assert_eq!(item_account(&newer).unwrap().0.as_str(), "mila.devries");
        assert_eq!(item_account(&older).unwrap().0.as_str(), "sanne_j");
        assert_eq!(
            item_account(&link_only),
            Some((AccountName::new("daan.v").unwrap(), true))
        );
        assert_eq!(item_account(&nothing), None);
    }
}
