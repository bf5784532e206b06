//! Groups and their membership: exports of one group (handed in by different members, with
//! different contact names) are recognised by the messages they share at the same minute,
//! aligned person by person, and merged without counting anything twice. Exports of
//! different groups stay apart.

use std::collections::{HashMap, HashSet};

use erbij_chat::LocalDateTime;

use crate::finding::{
    Confidence, Evidence, GroupName, How, MemberTimeline, MembershipFact, NameSource, Provenance,
};
use crate::roster::{NameMatch, PupilId, Roster};
use crate::scan::{ChatFacts, EXPORTER, LocalId, SystemChange};
use crate::thresholds::Thresholds;

/// How findings and timelines name the maker of an export whose name is not known (the file
/// says only "u" / "you"); reports put it in the reader's language.
pub const UNNAMED_EXPORTER: &str = "de exporteur / the exporter";

/// How the list of a person's names in each export writes the exporter's "u" / "you".
pub const EXPORTER_WORD: &str = "u / you";

/// A person across the exports of one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonKey {
    Pupil(PupilId),
    /// Someone not on the class list (or not matched): known by their place in one export.
    Local {
        chat: usize,
        id: LocalId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupChange {
    Created {
        by: PersonKey,
        name: Option<String>,
    },
    Added {
        by: Option<PersonKey>,
        who: Vec<PersonKey>,
    },
    Removed {
        by: PersonKey,
        who: Vec<PersonKey>,
    },
    Left {
        who: PersonKey,
    },
    Joined {
        who: PersonKey,
        via_link: bool,
    },
    Renamed {
        by: PersonKey,
        to: String,
    },
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
    /// Every export's line that shows this fact: `(chat, line)`.
    pub lines: Vec<(usize, u32)>,
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
    pub name_source: Option<NameSource>,
    /// Every name of the group with where it was read, system lines first.
    pub names: Vec<GroupName>,
    /// Per person, the indices of the events that bring them in or take them out.
    by_person: HashMap<PersonKey, Vec<(usize, How)>>,
    members: HashSet<PersonKey>,
    /// Per person, the names they have in each export (`EXPORTER_WORD` for "u" / "you").
    pub person_names: HashMap<PersonKey, Vec<(usize, String)>>,
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
                .unwrap_or_else(|| UNNAMED_EXPORTER.to_string()),
        }
    }

    /// Everyone seen as a member at some time (system line, writing, exporting).
    pub fn ever_members(&self) -> HashSet<PersonKey> {
        self.members.clone()
    }

    fn compute_members(&self) -> HashSet<PersonKey> {
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
        self.by_person
            .get(&key)
            .map(|list| {
                list.iter()
                    .filter_map(|(i, how)| self.events.get(*i).map(|e| (e, *how)))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn compute_by_person(&mut self) {
        let mut by_person: HashMap<PersonKey, Vec<(usize, How)>> = HashMap::new();
        for (index, event) in self.events.iter().enumerate() {
            let mut note =
                |key: PersonKey, how: How| by_person.entry(key).or_default().push((index, how));
            match &event.change {
                GroupChange::Created { by, .. } => note(*by, How::Created),
                GroupChange::Added { who, .. } => who.iter().for_each(|w| note(*w, How::Added)),
                GroupChange::Removed { who, .. } => who.iter().for_each(|w| note(*w, How::Removed)),
                GroupChange::Left { who } => note(*who, How::Left),
                GroupChange::Joined { who, via_link } => note(
                    *who,
                    if *via_link {
                        How::JoinedViaLink
                    } else {
                        How::JoinedViaInvite
                    },
                ),
                GroupChange::Renamed { .. } => {}
            }
        }
        self.by_person = by_person;
    }

    #[allow(dead_code)]
    fn membership_events_by_scan(&self, key: PersonKey) -> Vec<(&GroupEvent, How)> {
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
        if events
            .iter()
            .any(|(_, how)| how.change() == crate::finding::Change::In)
        {
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
                            GroupChange::Added { by: Some(by), .. }
                            | GroupChange::Removed { by, .. } => Some(self.display(*by, roster)),
                            _ => None,
                        },
                        evidence: Some(Evidence {
                            chat: event.chat,
                            line: event.line,
                            text: event.raw.clone(),
                        }),
                        seen_in_exports: event.seen_in,
                        lines: event.lines.clone(),
                    })
                    .collect();
                if let Some((at, chat, line)) = self.first_written.get(&key) {
                    // Writing proves membership only where no system line already does.
                    let known = facts
                        .iter()
                        .any(|f| f.at <= *at && f.how.change() == crate::finding::Change::In);
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
                            lines: Vec::new(),
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
                            lines: Vec::new(),
                        });
                    }
                }
                facts.sort_by_key(|f| f.at);
                MemberTimeline {
                    names: self.person_names.get(&key).cloned().unwrap_or_default(),
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
    // One export needs no alignment: do not build the (large) fingerprint sets.
    let sets: Vec<HashSet<(i64, u64)>> = if n < 2 {
        Vec::new()
    } else {
        facts
            .iter()
            .map(|f| {
                f.fingerprints
                    .iter()
                    .map(|fp| (i64::from(fp.minute), fp.hash))
                    .collect()
            })
            .collect()
    };
    for i in 0..n {
        for j in (i + 1)..n {
            let (small, large) = if sets[i].len() <= sets[j].len() {
                (i, j)
            } else {
                (j, i)
            };
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
            let shared = in_range
                .iter()
                .filter(|fp| sets[large].contains(fp))
                .count();
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
    groups
        .into_iter()
        .map(|chats| merge(facts, chats))
        .collect()
}

/// People named in the same places of the same system lines (same minute, same kind) of two
/// exports: `(person in a, person in b)`.
fn system_pairs(a: &ChatFacts, b: &ChatFacts) -> Vec<(LocalId, LocalId)> {
    let mut pairs = Vec::new();
    for fa in &a.system {
        let minute = fa.at.seconds().div_euclid(60);
        for fb in b
            .system
            .iter()
            .filter(|f| f.at.seconds().div_euclid(60) == minute)
        {
            match (&fa.change, &fb.change) {
                (SystemChange::Created { by: x, .. }, SystemChange::Created { by: y, .. })
                | (SystemChange::Renamed { by: x, .. }, SystemChange::Renamed { by: y, .. })
                | (SystemChange::Left { who: x }, SystemChange::Left { who: y })
                | (SystemChange::Joined { who: x, .. }, SystemChange::Joined { who: y, .. }) => {
                    pairs.push((*x, *y));
                }
                (
                    SystemChange::Added { by: bx, who: x },
                    SystemChange::Added { by: by_, who: y },
                ) if x.len() == y.len() => {
                    if let (Some(bx), Some(by_)) = (bx, by_) {
                        pairs.push((*bx, *by_));
                    }
                    pairs.extend(x.iter().copied().zip(y.iter().copied()));
                }
                // "Dave joined using your invite" on one phone is "Alice added Dave" on another.
                (SystemChange::Joined { who: x, .. }, SystemChange::Added { who: y, .. })
                    if y.len() == 1 =>
                {
                    pairs.push((*x, y[0]));
                }
                (SystemChange::Added { who: x, .. }, SystemChange::Joined { who: y, .. })
                    if x.len() == 1 =>
                {
                    pairs.push((x[0], *y));
                }
                (
                    SystemChange::Removed { by: bx, who: x },
                    SystemChange::Removed { by: by_, who: y },
                ) if x.len() == y.len() => {
                    pairs.push((*bx, *by_));
                    pairs.extend(x.iter().copied().zip(y.iter().copied()));
                }
                _ => {}
            }
        }
    }
    pairs
}

/// Union-find over the people of a group's exports, `(chat, local id)`, that never joins two
/// people of one export (a person has one name per export, apart from the exporter's "u")
/// nor two different pupils of the class list.
struct People {
    nodes: Vec<(usize, LocalId)>,
    index: HashMap<(usize, LocalId), usize>,
    parent: Vec<usize>,
    /// Per root: the exports its people come from, and the pupils they were matched to.
    chats: Vec<Vec<usize>>,
    pupils: Vec<Vec<PupilId>>,
}

impl People {
    fn new(facts: &[ChatFacts], chats: &[usize]) -> People {
        let mut people = People {
            nodes: Vec::new(),
            index: HashMap::new(),
            parent: Vec::new(),
            chats: Vec::new(),
            pupils: Vec::new(),
        };
        for &chat in chats {
            for (id, person) in facts[chat].people.iter().enumerate() {
                let n = people.nodes.len();
                people.nodes.push((chat, id as LocalId));
                people.index.insert((chat, id as LocalId), n);
                people.parent.push(n);
                people.chats.push(vec![chat]);
                people.pupils.push(match person.matched {
                    NameMatch::Pupil(p) => vec![p],
                    _ => Vec::new(),
                });
            }
        }
        people
    }

    fn find(&mut self, mut n: usize) -> usize {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    /// Joins two people; `same_export` allows it within one export (the exporter's alias).
    fn union(&mut self, a: (usize, LocalId), b: (usize, LocalId), same_export: bool) -> bool {
        let (Some(&a), Some(&b)) = (self.index.get(&a), self.index.get(&b)) else {
            return false;
        };
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        if !same_export && self.chats[ra].iter().any(|c| self.chats[rb].contains(c)) {
            return false;
        }
        let mut pupils = self.pupils[ra].clone();
        for p in &self.pupils[rb] {
            if !pupils.contains(p) {
                pupils.push(*p);
            }
        }
        if pupils.len() > 1 {
            return false;
        }
        let chats_b = std::mem::take(&mut self.chats[rb]);
        for c in chats_b {
            if !self.chats[ra].contains(&c) {
                self.chats[ra].push(c);
            }
        }
        self.pupils[ra] = pupils;
        self.pupils[rb].clear();
        self.parent[rb] = ra;
        true
    }
}

/// Votes that person `a` of one export is person `b` of another: the messages both exports
/// hold at the same minute, and the people named in the same places of the same system lines.
fn votes_between(a: &ChatFacts, b: &ChatFacts) -> HashMap<(LocalId, LocalId), u32> {
    let authors_b: HashMap<(u32, u64), LocalId> = b
        .fingerprints
        .iter()
        .map(|fp| ((fp.minute, fp.hash), fp.author))
        .collect();
    let mut votes: HashMap<(LocalId, LocalId), u32> = HashMap::new();
    for fp in &a.fingerprints {
        if let Some(author) = authors_b.get(&(fp.minute, fp.hash)) {
            *votes.entry((fp.author, *author)).or_default() += 1;
        }
    }
    // The same system line in both exports names the same people, whatever each phone calls
    // them ("Alice added you" in Bob's export is "Alice added Bob" in Alice's). Two exports'
    // "you" are two members (each export is made on its maker's phone): "Alice added you"
    // on two phones in one minute is two people added, never one.
    for (x, y) in system_pairs(a, b) {
        if x == EXPORTER && y == EXPORTER {
            continue;
        }
        *votes.entry((x, y)).or_default() += 1;
    }
    votes
}

/// What makes two system lines of different exports (in the same minute) one fact: the same
/// people in and out, however each phone words it. The group's name is left out (iPhone does
/// not write it when a group is made); "joined using your invite" is "X added Y" on another
/// phone.
fn same_fact_key(change: &GroupChange) -> String {
    match change {
        GroupChange::Created { by, .. } => format!("created {by:?}"),
        GroupChange::Added { who, .. } => format!("in {who:?}"),
        GroupChange::Joined {
            who,
            via_link: false,
        } => format!("in {:?}", [*who]),
        other => format!("{other:?}"),
    }
}

/// How much a system line says, to pick the evidence among lines of one fact.
fn informative(change: &GroupChange) -> u8 {
    match change {
        GroupChange::Added { by: Some(_), .. } | GroupChange::Created { name: Some(_), .. } => 2,
        GroupChange::Joined { .. } => 1,
        _ => 0,
    }
}

fn merge(facts: &[ChatFacts], chats: Vec<usize>) -> Group {
    let mut people = People::new(facts, &chats);
    // Within each export: the exporter writes under a name that the clues tell.
    for &chat in &chats {
        if let Some((alias, _)) = facts[chat].exporter_alias {
            people.union((chat, EXPORTER), (chat, alias), true);
        }
    }
    // Across exports: the class list first (the same pupil is the same person), then the
    // strongest evidence first, each person of an export matched to at most one of another.
    let mut first_of_pupil: HashMap<PupilId, (usize, LocalId)> = HashMap::new();
    for &chat in &chats {
        for (id, person) in facts[chat].people.iter().enumerate() {
            if let NameMatch::Pupil(pupil) = person.matched {
                let node = (chat, id as LocalId);
                match first_of_pupil.get(&pupil) {
                    Some(first) => {
                        let same_export = first.0 == chat;
                        people.union(*first, node, same_export);
                    }
                    None => {
                        first_of_pupil.insert(pupil, node);
                    }
                }
            }
        }
    }
    let mut edges: Vec<(u32, usize, LocalId, usize, LocalId)> = Vec::new();
    for (i, &a) in chats.iter().enumerate() {
        for &b in chats.iter().skip(i + 1) {
            for ((x, y), count) in votes_between(&facts[a], &facts[b]) {
                edges.push((count, a, x, b, y));
            }
        }
    }
    edges.sort_by(|p, q| {
        q.0.cmp(&p.0)
            .then((p.1, p.2, p.3, p.4).cmp(&(q.1, q.2, q.3, q.4)))
    });
    for (_, a, x, b, y) in edges {
        people.union((a, x), (b, y), false);
    }
    // One key per person: their pupil, else their first place in the exports (by the order
    // of `chats`, so the export with the most messages names them first).
    let mut keys: HashMap<(usize, LocalId), PersonKey> = HashMap::new();
    let mut root_key: HashMap<usize, PersonKey> = HashMap::new();
    let mut names: HashMap<PersonKey, Vec<(usize, String)>> = HashMap::new();
    for n in 0..people.nodes.len() {
        let root = people.find(n);
        let (chat, id) = people.nodes[n];
        let key = *root_key
            .entry(root)
            .or_insert_with(|| match people.pupils[root].first() {
                Some(p) => PersonKey::Pupil(*p),
                None => PersonKey::Local { chat, id },
            });
        keys.insert((chat, id), key);
        let written = facts[chat]
            .people
            .get(id as usize)
            .map(|p| p.written.clone())
            .unwrap_or_default();
        let list = names.entry(key).or_default();
        if id == EXPORTER {
            list.push((chat, EXPORTER_WORD.to_string()));
        }
        if !written.is_empty() && !list.contains(&(chat, written.clone())) {
            list.push((chat, written));
        }
    }
    // Names of people not on the class list: a contact name rather than a phone number.
    let mut local_names = HashMap::new();
    for (key, list) in &names {
        if matches!(key, PersonKey::Local { .. }) {
            let named: Vec<&String> = list
                .iter()
                .map(|(_, n)| n)
                .filter(|n| n.as_str() != EXPORTER_WORD)
                .collect();
            let best = named
                .iter()
                .find(|n| crate::text::phone_digits(n).is_none())
                .or_else(|| named.first());
            if let Some(best) = best {
                local_names.insert(*key, (*best).clone());
            }
        }
    }
    for list in names.values_mut() {
        list.sort();
    }
    let key = |chat: usize, id: LocalId| {
        keys.get(&(chat, id))
            .copied()
            .unwrap_or(PersonKey::Local { chat, id })
    };

    // System lines, once each: the same line in two exports is one fact seen twice.
    let mut events: Vec<GroupEvent> = Vec::new();
    let mut index: HashMap<(i64, String), usize> = HashMap::new();
    for &chat in &chats {
        for fact in &facts[chat].system {
            let change = match &fact.change {
                SystemChange::Created { by, name } => GroupChange::Created {
                    by: key(chat, *by),
                    name: name.clone(),
                },
                SystemChange::Added { by, who } => GroupChange::Added {
                    by: by.map(|b| key(chat, b)),
                    who: who.iter().map(|w| key(chat, *w)).collect(),
                },
                SystemChange::Removed { by, who } => GroupChange::Removed {
                    by: key(chat, *by),
                    who: who.iter().map(|w| key(chat, *w)).collect(),
                },
                SystemChange::Left { who } => GroupChange::Left {
                    who: key(chat, *who),
                },
                SystemChange::Joined { who, via_link } => GroupChange::Joined {
                    who: key(chat, *who),
                    via_link: *via_link,
                },
                SystemChange::Renamed { by, to } => GroupChange::Renamed {
                    by: key(chat, *by),
                    to: to.clone(),
                },
            };
            let dedupe = (fact.at.seconds().div_euclid(60), same_fact_key(&change));
            let event = GroupEvent {
                at: fact.at,
                chat,
                line: fact.line,
                raw: fact.raw.clone(),
                messages_before: fact.messages_before,
                change,
                seen_in: 1,
                lines: vec![(chat, fact.line)],
                last_message_of_removed: fact.last_message_of_removed.clone(),
            };
            if let Some(existing) = index.get(&dedupe) {
                let existing = &mut events[*existing];
                if existing.chat != chat {
                    // One fact seen in another export: the line that says most is the evidence
                    // ("Alice added Dave" rather than "Dave joined using your invite").
                    let seen_in = existing.seen_in + 1;
                    let mut lines = std::mem::take(&mut existing.lines);
                    lines.push((chat, fact.line));
                    if informative(&event.change) > informative(&existing.change) {
                        *existing = event;
                    }
                    existing.seen_in = seen_in;
                    existing.lines = lines;
                    continue;
                }
            }
            index.insert(dedupe, events.len());
            events.push(event);
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
    let exporter_unresolved = exporters
        .iter()
        .any(|k| matches!(k, PersonKey::Local { .. }));
    let start = chats.iter().filter_map(|c| facts[*c].start).min();
    let end = chats.iter().filter_map(|c| facts[*c].end).max();
    let created = events
        .iter()
        .find(|e| matches!(e.change, GroupChange::Created { .. }))
        .map(|e| e.at);
    // Every name the group has: WhatsApp's own lines, then the iPhone notice, the zip's
    // title and the file name of each export.
    let mut names_seen: Vec<GroupName> = Vec::new();
    for event in &events {
        let name = match &event.change {
            GroupChange::Renamed { to, .. } => to,
            GroupChange::Created {
                name: Some(name), ..
            } => name,
            _ => continue,
        };
        names_seen.push(GroupName {
            name: name.clone(),
            source: NameSource::SystemLine,
            chat: event.chat,
            line: Some(event.line),
            raw: Some(event.raw.clone()),
        });
    }
    let mut hints: Vec<&GroupName> = chats.iter().flat_map(|c| &facts[*c].name_hints).collect();
    hints.sort_by_key(|h| h.source);
    for hint in hints {
        if !names_seen
            .iter()
            .any(|n| n.name == hint.name && n.source == hint.source)
        {
            names_seen.push(hint.clone());
        }
    }
    let (name, name_source) = match names_seen
        .iter()
        .rfind(|n| n.source == NameSource::SystemLine)
        .or_else(|| {
            names_seen
                .iter()
                .find(|n| n.source != NameSource::SystemLine)
        }) {
        Some(n) => (Some(n.name.clone()), Some(n.source)),
        None => (None, None),
    };
    let mut group = Group {
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
        name_source,
        names: names_seen,
        by_person: HashMap::new(),
        members: HashSet::new(),
        person_names: names,
    };
    group.compute_by_person();
    group.members = group.compute_members();
    group
}
