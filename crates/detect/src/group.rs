//! Groups and their membership: exports of one group (handed in by different members, with
//! different contact names) are recognised by the messages they share at the same minute,
//! aligned person by person, and merged without counting anything twice. Exports of
//! different groups stay apart.

use std::collections::{HashMap, HashSet};

use erbij_chat::LocalDateTime;

use crate::finding::{Confidence, Evidence, How, MemberTimeline, MembershipFact, Provenance};
use crate::roster::{NameMatch, PupilId, Roster};
use crate::scan::{ChatFacts, EXPORTER, LocalId, SystemChange};
use crate::thresholds::Thresholds;

/// A person across the exports of one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonKey {
    Pupil(PupilId),
    /// Someone not on the class list (or not matched): known by their place in one export.
    Local { chat: usize, id: LocalId },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupChange {
    Created { by: PersonKey, name: Option<String> },
    Added { by: Option<PersonKey>, who: Vec<PersonKey> },
    Removed { by: PersonKey, who: Vec<PersonKey> },
    Left { who: PersonKey },
    Joined { who: PersonKey, via_link: bool },
    Renamed { by: PersonKey, to: String },
}

#[derive(Debug, Clone)]
pub struct GroupEvent {
    pub at: LocalDateTime,
    pub chat: usize,
    pub line: u32,
    pub raw: String,
    pub messages_before: u64,
    pub change: GroupChange,
    /// In how many of the group's exports this line appears.
    pub seen_in: u32,
    pub last_message_of_removed: Vec<Option<LocalDateTime>>,
}

/// Why a pupil was not in the group at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absence {
    Removed,
    Left,
    /// Added only later.
    NotYetAdded,
    /// Never seen in the group at all.
    NeverSeen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    Member,
    Absent(Absence),
    /// Cannot tell (a silent member, or perhaps the unnamed exporter).
    Unknown,
}

#[derive(Debug, Clone)]
pub struct Group {
    /// Indices into the facts list; the first is the export with the most messages.
    pub chats: Vec<usize>,
    keys: HashMap<(usize, LocalId), PersonKey>,
    /// Display names of people not on the roster.
    local_names: HashMap<PersonKey, String>,
    pub events: Vec<GroupEvent>,
    /// First message of each person: (time, chat, line).
    pub first_written: HashMap<PersonKey, (LocalDateTime, usize, u32)>,
    pub exporters: Vec<PersonKey>,
    /// Some export's maker could not be named: a pupil never seen may be that person.
    pub exporter_unresolved: bool,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    pub created: Option<LocalDateTime>,
    pub name: Option<String>,
}

impl Group {
    pub fn key(&self, chat: usize, id: LocalId) -> PersonKey {
        self.keys
            .get(&(chat, id))
            .copied()
            .unwrap_or(PersonKey::Local { chat, id })
    }

    pub fn primary(&self) -> usize {
        self.chats.first().copied().unwrap_or(0)
    }

    pub fn display(&self, key: PersonKey, roster: &Roster) -> String {
        match key {
            PersonKey::Pupil(id) => roster.name(id).to_string(),
            PersonKey::Local { .. } => self
                .local_names
                .get(&key)
                .cloned()
                .unwrap_or_else(|| "de exporteur / the exporter".to_string()),
        }
    }

    /// Everyone seen as a member at some time (system line, writing, exporting).
    pub fn ever_members(&self) -> HashSet<PersonKey> {
        let mut members: HashSet<PersonKey> = self.first_written.keys().copied().collect();
        members.extend(self.exporters.iter().copied());
        for event in &self.events {
            match &event.change {
                GroupChange::Created { by, .. } => {
                    members.insert(*by);
                }
                GroupChange::Added { by, who } => {
                    members.extend(by.iter().copied());
                    members.extend(who.iter().copied());
                }
                GroupChange::Removed { by, who } => {
                    members.insert(*by);
                    members.extend(who.iter().copied());
                }
                GroupChange::Left { who } | GroupChange::Joined { who, .. } => {
                    members.insert(*who);
                }
                GroupChange::Renamed { by, .. } => {
                    members.insert(*by);
                }
            }
        }
        members
    }

    /// The system facts that bring `key` in or take them out, in time order.
    pub fn membership_events(&self, key: PersonKey) -> Vec<(&GroupEvent, How)> {
        self.events
            .iter()
            .filter_map(|event| {
                let how = match &event.change {
                    GroupChange::Created { by, .. } if *by == key => How::Created,
                    GroupChange::Added { who, .. } if who.contains(&key) => How::Added,
                    GroupChange::Removed { who, .. } if who.contains(&key) => How::Removed,
                    GroupChange::Left { who } if *who == key => How::Left,
                    GroupChange::Joined { who, via_link } if *who == key => {
                        if *via_link {
                            How::JoinedViaLink
                        } else {
                            How::JoinedViaInvite
                        }
                    }
                    _ => return None,
                };
                Some((event, how))
            })
            .collect()
    }

    /// Was `key` in the group at this moment (of export `chat`, line `line`)?
    pub fn presence(&self, key: PersonKey, at: LocalDateTime, chat: usize, line: u32) -> Presence {
        let events = self.membership_events(key);
        let before = |event: &GroupEvent| {
            if event.chat == chat {
                (event.at, event.line) < (at, line)
            } else {
                event.at <= at
            }
        };
        if let Some((_, how)) = events.iter().rev().find(|(e, _)| before(e)) {
            return match how {
                How::Removed => Presence::Absent(Absence::Removed),
                How::Left => Presence::Absent(Absence::Left),
                _ => Presence::Member,
            };
        }
        if self.exporters.contains(&key) {
            return Presence::Member;
        }
        if let Some((first, _, _)) = self.first_written.get(&key) {
            return if *first <= at {
                Presence::Member
            } else {
                Presence::Unknown
            };
        }
        if events.iter().any(|(_, how)| how.change() == crate::finding::Change::In) {
            return Presence::Absent(Absence::NotYetAdded);
        }
        if !events.is_empty() {
            return Presence::Unknown;
        }
        if self.exporter_unresolved {
            Presence::Unknown
        } else {
            Presence::Absent(Absence::NeverSeen)
        }
    }

    /// The membership timeline of everyone in the group, for the report.
    pub fn timelines(&self, roster: &Roster) -> Vec<MemberTimeline> {
        let mut keys: Vec<PersonKey> = self.ever_members().into_iter().collect();
        keys.sort();
        keys.into_iter()
            .map(|key| {
                let mut facts: Vec<MembershipFact> = self
                    .membership_events(key)
                    .into_iter()
                    .map(|(event, how)| MembershipFact {
                        at: event.at,
                        how,
                        provenance: Provenance::SystemEvent,
                        certainty: Confidence::High,
                        by: match &event.change {
                            GroupChange::Added { by: Some(by), .. } | GroupChange::Removed { by, .. } => {
                                Some(self.display(*by, roster))
                            }
                            _ => None,
                        },
                        evidence: Some(Evidence {
                            chat: event.chat,
                            line: event.line,
                            text: event.raw.clone(),
                        }),
                        seen_in_exports: event.seen_in,
                    })
                    .collect();
                if let Some((at, chat, line)) = self.first_written.get(&key) {
                    // Writing proves membership only where no system line already does.
                    let known = facts.iter().any(|f| f.at <= *at && f.how.change() == crate::finding::Change::In);
                    if !known {
                        facts.push(MembershipFact {
                            at: *at,
                            how: How::Wrote,
                            provenance: Provenance::Inferred,
                            certainty: Confidence::Medium,
                            by: None,
                            evidence: Some(Evidence {
                                chat: *chat,
                                line: *line,
                                text: String::new(),
                            }),
                            seen_in_exports: 1,
                        });
                    }
                }
                if self.exporters.contains(&key) && facts.is_empty() {
                    if let Some(start) = self.start {
                        facts.push(MembershipFact {
                            at: start,
                            how: How::Exported,
                            provenance: Provenance::Inferred,
                            certainty: Confidence::High,
                            by: None,
                            evidence: None,
                            seen_in_exports: 1,
                        });
                    }
                }
                facts.sort_by_key(|f| f.at);
                MemberTimeline {
                    person: self.display(key, roster),
                    pupil: match key {
                        PersonKey::Pupil(id) => Some(id),
                        PersonKey::Local { .. } => None,
                    },
                    facts,
                }
            })
            .collect()
    }
}

/// Sorts exports into groups and builds each group's merged facts.
pub fn build_groups(facts: &[ChatFacts], thresholds: &Thresholds) -> Vec<Group> {
    let n = facts.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], i: usize) -> usize {
        let mut root = i;
        while parent[root] != root {
            root = parent[root];
        }
        parent[i] = root;
        root
    }
    let sets: Vec<HashSet<(i64, u64)>> = facts
        .iter()
        .map(|f| f.fingerprints.iter().map(|fp| (fp.minute, fp.hash)).collect())
        .collect();
    for i in 0..n {
        for j in (i + 1)..n {
            let (small, large) = if sets[i].len() <= sets[j].len() { (i, j) } else { (j, i) };
            let (Some(start), Some(end)) = (facts[large].start, facts[large].end) else {
                continue;
            };
            let (start, end) = (start.seconds().div_euclid(60), end.seconds().div_euclid(60));
            let in_range: Vec<&(i64, u64)> = sets[small]
                .iter()
                .filter(|(minute, _)| (start..=end).contains(minute))
                .collect();
            if in_range.is_empty() {
                continue;
            }
            let shared = in_range.iter().filter(|fp| sets[large].contains(fp)).count();
            if shared >= in_range.len().min(3)
                && shared as f64 >= thresholds.same_group_min_shared * in_range.len() as f64
            {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        members.entry(root).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = members.into_values().collect();
    for chats in &mut groups {
        chats.sort_by_key(|c| (std::cmp::Reverse(facts[*c].messages), *c));
    }
    groups.sort_by_key(|chats| chats.iter().min().copied());
    groups.into_iter().map(|chats| merge(facts, chats)).collect()
}

fn merge(facts: &[ChatFacts], chats: Vec<usize>) -> Group {
    let primary = chats[0];
    let mut keys: HashMap<(usize, LocalId), PersonKey> = HashMap::new();
    let mut local_names = HashMap::new();
    for &chat in &chats {
        for (id, person) in facts[chat].people.iter().enumerate() {
            let id = id as LocalId;
            if let NameMatch::Pupil(pupil) = person.matched {
                keys.insert((chat, id), PersonKey::Pupil(pupil));
            } else if id != EXPORTER || !person.written.is_empty() {
                local_names.insert(PersonKey::Local { chat, id }, person.written.clone());
            }
        }
    }
    // Align each other export's people to the primary one by the messages they share.
    let primary_authors: HashMap<(i64, u64), LocalId> = facts[primary]
        .fingerprints
        .iter()
        .map(|fp| ((fp.minute, fp.hash), fp.author))
        .collect();
    for &chat in chats.iter().skip(1) {
        let mut votes: HashMap<(LocalId, LocalId), u32> = HashMap::new();
        for fp in &facts[chat].fingerprints {
            if let Some(author) = primary_authors.get(&(fp.minute, fp.hash)) {
                *votes.entry((fp.author, *author)).or_default() += 1;
            }
        }
        let mut best: HashMap<LocalId, (u32, LocalId)> = HashMap::new();
        for ((mine, theirs), count) in votes {
            let entry = best.entry(mine).or_insert((0, theirs));
            if count > entry.0 || (count == entry.0 && theirs < entry.1) {
                *entry = (count, theirs);
            }
        }
        for (mine, (_, theirs)) in best {
            let target = keys
                .get(&(primary, theirs))
                .copied()
                .unwrap_or(PersonKey::Local { chat: primary, id: theirs });
            let existing = keys.get(&(chat, mine)).copied();
            if existing.is_none() || matches!(existing, Some(PersonKey::Local { .. })) {
                keys.insert((chat, mine), target);
            }
        }
    }
    let key = |chat: usize, id: LocalId| keys.get(&(chat, id)).copied().unwrap_or(PersonKey::Local { chat, id });

    // System lines, once each: the same line in two exports is one fact seen twice.
    let mut events: Vec<GroupEvent> = Vec::new();
    let mut index: HashMap<(i64, String), usize> = HashMap::new();
    for &chat in &chats {
        for fact in &facts[chat].system {
            let change = match &fact.change {
                SystemChange::Created { by, name } => GroupChange::Created { by: key(chat, *by), name: name.clone() },
                SystemChange::Added { by, who } => GroupChange::Added {
                    by: by.map(|b| key(chat, b)),
                    who: who.iter().map(|w| key(chat, *w)).collect(),
                },
                SystemChange::Removed { by, who } => GroupChange::Removed {
                    by: key(chat, *by),
                    who: who.iter().map(|w| key(chat, *w)).collect(),
                },
                SystemChange::Left { who } => GroupChange::Left { who: key(chat, *who) },
                SystemChange::Joined { who, via_link } => GroupChange::Joined { who: key(chat, *who), via_link: *via_link },
                SystemChange::Renamed { by, to } => GroupChange::Renamed { by: key(chat, *by), to: to.clone() },
            };
            let dedupe = (fact.at.seconds().div_euclid(60), format!("{change:?}"));
            if let Some(existing) = index.get(&dedupe) {
                if events[*existing].chat != chat {
                    events[*existing].seen_in += 1;
                    continue;
                }
            }
            index.insert(dedupe, events.len());
            events.push(GroupEvent {
                at: fact.at,
                chat,
                line: fact.line,
                raw: fact.raw.clone(),
                messages_before: fact.messages_before,
                change,
                seen_in: 1,
                last_message_of_removed: fact.last_message_of_removed.clone(),
            });
        }
    }
    events.sort_by_key(|e| (e.at, e.chat, e.line));

    let mut first_written: HashMap<PersonKey, (LocalDateTime, usize, u32)> = HashMap::new();
    for &chat in &chats {
        for (id, person) in facts[chat].people.iter().enumerate() {
            if let Some((at, line)) = person.first_message {
                let k = key(chat, id as LocalId);
                let entry = first_written.entry(k).or_insert((at, chat, line));
                if at < entry.0 {
                    *entry = (at, chat, line);
                }
            }
        }
    }
    let exporters: Vec<PersonKey> = chats.iter().map(|c| key(*c, EXPORTER)).collect();
    let exporter_unresolved = exporters.iter().any(|k| matches!(k, PersonKey::Local { .. }));
    let start = chats.iter().filter_map(|c| facts[*c].start).min();
    let end = chats.iter().filter_map(|c| facts[*c].end).max();
    let created = events
        .iter()
        .find(|e| matches!(e.change, GroupChange::Created { .. }))
        .map(|e| e.at);
    let name = events.iter().rev().find_map(|e| match &e.change {
        GroupChange::Renamed { to, .. } => Some(to.clone()),
        GroupChange::Created { name: Some(name), .. } => Some(name.clone()),
        _ => None,
    });
    Group {
        chats,
        keys,
        local_names,
        events,
        first_written,
        exporters,
        exporter_unresolved,
        start,
        end,
        created,
        name,
    }
}
