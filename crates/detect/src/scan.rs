//! Reads one export's events, one at a time, into compact facts: system changes with their
//! lines, who wrote when, name mentions (with text kept only for the negative ones), uptake
//! tallies for `ignored`, and message fingerprints for merging exports of one group.
//! Message texts are not kept, so memory stays far below the export's size.

use std::collections::HashMap;

use erbij_chat::{Event, EventKind, LocalDateTime, MembershipChange, Message, Person, SystemEvent};

use crate::lexicon::Lexicon;
use crate::roster::{NameMatch, NamePrefixes, PupilId, Roster};
use crate::text::{self, Word};
use crate::thresholds::Thresholds;

/// A person within one export: 0 is always the exporter.
pub type LocalId = u32;
pub const EXPORTER: LocalId = 0;

#[derive(Debug, Clone)]
pub struct ChatPerson {
    /// As the export writes the name; empty for the exporter.
    pub written: String,
    pub matched: NameMatch,
    pub messages: u32,
    pub first_message: Option<(LocalDateTime, u32)>,
    pub last_message: Option<LocalDateTime>,
    /// Folded first word of the contact name, to notice others naming this person.
    mention_key: Option<String>,
    /// Named in a line WhatsApp wrote (added, removed, left, ...): the exporter never is,
    /// their phone writes "u" / "you" there.
    pub in_system_line: bool,
    /// Messages of theirs shown as "U hebt dit bericht verwijderd" / "You deleted this
    /// message": only the exporter's own phone writes that.
    pub own_deletions: u32,
}

/// How the maker of an export was recognised among its writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExporterClue {
    /// The teacher said so (`--exporter`).
    Named,
    /// Their deleted message reads "U hebt dit bericht verwijderd" / "You deleted this
    /// message", which only the exporter's phone writes.
    OwnDeletion,
    /// The only writer (not a phone number) never named in WhatsApp's own lines, in an
    /// export where the exporter appears as "u" / "you".
    OnlyUnlistedWriter,
}

impl ExporterClue {
    pub fn as_str(self) -> &'static str {
        match self {
            ExporterClue::Named => "named",
            ExporterClue::OwnDeletion => "own_deletion",
            ExporterClue::OnlyUnlistedWriter => "only_unlisted_writer",
        }
    }
}

/// What the exporter's own phone writes for a message they deleted themselves (folded,
/// without a final full stop), per phone language.
const OWN_DELETION: &[&str] = &[
    "u hebt dit bericht verwijderd",
    "je hebt dit bericht verwijderd",
    "you deleted this message",
    "du hast diese nachricht geloscht",
    "bu mesaji sildiniz",
    "usunieto te wiadomosc",
    "vous avez supprime ce message",
    "eliminaste este mensaje",
];

#[derive(Debug, Clone)]
pub enum SystemChange {
    Created {
        by: LocalId,
        name: Option<String>,
    },
    /// `by` is `None` where WhatsApp does not say who added (`Mila is toegevoegd`).
    Added {
        by: Option<LocalId>,
        who: Vec<LocalId>,
    },
    Removed {
        by: LocalId,
        who: Vec<LocalId>,
    },
    Left {
        who: LocalId,
    },
    Joined {
        who: LocalId,
        via_link: bool,
    },
    Renamed {
        by: LocalId,
        to: String,
    },
}

#[derive(Debug, Clone)]
pub struct SystemFact {
    pub at: LocalDateTime,
    pub line: u32,
    pub raw: String,
    /// Messages written before this line (to count messages between two system lines).
    pub messages_before: u64,
    pub change: SystemChange,
    /// For removals: each removed person's last message before the removal.
    pub last_message_of_removed: Vec<Option<LocalDateTime>>,
}

#[derive(Debug, Clone)]
pub struct MentionFact {
    pub at: LocalDateTime,
    pub line: u32,
    pub author: LocalId,
    pub pupil: PupilId,
    pub negative: bool,
    /// Negative only through a mocking emoji, not in words.
    pub weak: bool,
    pub fingerprint: u64,
    /// The message (and a pronoun follow-up) as quoted evidence; only kept when negative.
    pub evidence: Vec<(u32, String)>,
}

/// Uptake counts of one person (METHODS.md P4).
#[derive(Debug, Clone, Default)]
pub struct UptakeTally {
    pub turns: u32,
    pub taken_up: u32,
    /// Distinct weeks (day number / 7) with a turn nobody took up.
    pub weeks_not_taken_up: Vec<i64>,
    /// A few turns nobody took up, as evidence.
    pub examples: Vec<(u32, String)>,
}

#[derive(Debug, Clone)]
pub struct Fingerprint {
    /// Minutes since 1970 (local time).
    pub minute: u32,
    pub hash: u64,
    pub author: LocalId,
}

/// The compact facts of one export.
#[derive(Debug, Clone)]
pub struct ChatFacts {
    pub chat: usize,
    pub people: Vec<ChatPerson>,
    pub system: Vec<SystemFact>,
    /// Negative mentions of pupils (the only ones kept).
    pub mentions: Vec<MentionFact>,
    /// All mentions of pupils, kind or not.
    pub mentions_seen: u64,
    pub uptake: Vec<UptakeTally>,
    pub fingerprints: Vec<Fingerprint>,
    pub messages: u64,
    pub system_events: u64,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    pub ambiguous_mentions: u32,
    /// Created, added, removed, left, joined, renamed: in file order, as WhatsApp wrote them.
    pub membership: Vec<MembershipChange>,
    /// The writer who made this export (they write under a name, WhatsApp's own lines call
    /// them "u"), when a clue says so.
    pub exporter_alias: Option<(LocalId, ExporterClue)>,
    /// Lines WhatsApp wrote that no phone-language table knows: what they say (someone
    /// removed?) cannot be read.
    pub unreadable_system_lines: u64,
    /// The first few of those lines (line, raw text), for the report.
    pub unreadable_examples: Vec<(u32, String)>,
    /// The encryption notice's line (an iPhone writes it "from" the group's name).
    pub notice_line: Option<(u32, String)>,
    /// Names of the group from outside WhatsApp's system lines (the notice, the file name,
    /// the zip's title), added by the caller with `add_name_hint`.
    pub name_hints: Vec<crate::finding::GroupName>,
}

impl ChatFacts {
    /// Everyone named, as authors or in system lines, in order of first appearance (the
    /// exporter only under the name their messages carry).
    pub fn participants(&self) -> Vec<String> {
        self.people
            .iter()
            .skip(1)
            .map(|p| p.written.clone())
            .filter(|n| !n.is_empty())
            .collect()
    }
}

impl ChatFacts {
    /// A name of the group read outside the system lines: the iPhone encryption notice's
    /// sender (from the reader's first pass), the file name or the zip's title. `raw` is
    /// what it was read from (the file name); the notice's line is known to the scanner.
    pub fn add_name_hint(&mut self, source: crate::finding::NameSource, name: &str, raw: &str) {
        let name = name.trim();
        if name.is_empty()
            || self
                .name_hints
                .iter()
                .any(|h| h.name == name && h.source == source)
        {
            return;
        }
        let (line, raw) = match (source, &self.notice_line) {
            (crate::finding::NameSource::EncryptionNotice, Some((line, raw))) => {
                (Some(*line), Some(raw.clone()))
            }
            _ => (None, Some(raw.to_string())),
        };
        self.name_hints.push(crate::finding::GroupName {
            name: name.to_string(),
            source,
            chat: self.chat,
            line,
            raw,
        });
    }

    pub fn group_name(&self) -> Option<&str> {
        self.system.iter().rev().find_map(|f| match &f.change {
            SystemChange::Renamed { to, .. } => Some(to.as_str()),
            SystemChange::Created {
                name: Some(name), ..
            } => Some(name.as_str()),
            _ => None,
        })
    }

    pub fn created(&self) -> Option<LocalDateTime> {
        self.system
            .iter()
            .find(|f| matches!(f.change, SystemChange::Created { .. }))
            .map(|f| f.at)
    }
}

struct PendingTurn {
    author: LocalId,
    last_at: LocalDateTime,
    /// `last_at` in seconds, so the many window checks do no calendar arithmetic.
    last_seconds: i64,
    line: u32,
    raw: Option<String>,
    eligible: bool,
}

#[derive(Clone, Copy)]
struct PendingFollowUp {
    pupil: PupilId,
    remaining: u32,
}

/// Streams the events of one export into `ChatFacts`.
#[derive(Debug)]
pub struct ChatScanner<'a> {
    roster: &'a mut Roster,
    /// No class list was given: every named person becomes one of "the class".
    implicit_roster: bool,
    lexicon: &'a Lexicon,
    thresholds: &'a Thresholds,
    facts: ChatFacts,
    person_index: HashMap<String, LocalId, text::FnvBuild>,
    /// The last person looked up: chats come in runs of one author's messages.
    last_person: Option<LocalId>,
    words: Vec<Word>,
    /// The turn being written (consecutive messages of one author).
    current_turn: Option<PendingTurnDebug>,
    /// Finished turns still waiting for someone to name their author.
    waiting: Vec<PendingTurnDebug>,
    follow_up: Option<PendingFollowUp>,
    keep_fingerprints: bool,
    /// First two letters of the members' contact names (see `may_name_someone`).
    mention_prefixes: NamePrefixes,
}

// A newtype so the scanner can derive Debug without printing chat text.
struct PendingTurnDebug(PendingTurn);

impl std::fmt::Debug for PendingTurnDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "turn(line {})", self.0.line)
    }
}

impl std::fmt::Debug for PendingFollowUp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "follow-up({})", self.remaining)
    }
}

const EXAMPLES_PER_PERSON: usize = 3;

impl<'a> ChatScanner<'a> {
    pub fn new(
        chat: usize,
        roster: &'a mut Roster,
        implicit_roster: bool,
        lexicon: &'a Lexicon,
        thresholds: &'a Thresholds,
        exporter_name: Option<&str>,
        keep_fingerprints: bool,
    ) -> Self {
        let exporter_match = match exporter_name {
            Some(name) => resolve(roster, implicit_roster, name),
            None => NameMatch::None,
        };
        let exporter = ChatPerson {
            written: exporter_name.unwrap_or_default().to_string(),
            matched: exporter_match,
            messages: 0,
            first_message: None,
            last_message: None,
            mention_key: exporter_name.map(first_word_key),
            in_system_line: false,
            own_deletions: 0,
        };
        let mut scanner = ChatScanner {
            roster,
            implicit_roster,
            lexicon,
            thresholds,
            facts: ChatFacts {
                chat,
                people: vec![exporter],
                system: Vec::new(),
                mentions: Vec::new(),
                mentions_seen: 0,
                uptake: vec![UptakeTally::default()],
                fingerprints: Vec::new(),
                messages: 0,
                system_events: 0,
                start: None,
                end: None,
                ambiguous_mentions: 0,
                membership: Vec::new(),
                exporter_alias: None,
                unreadable_system_lines: 0,
                unreadable_examples: Vec::new(),
                notice_line: None,
                name_hints: Vec::new(),
            },
            person_index: HashMap::default(),
            last_person: None,
            words: Vec::new(),
            current_turn: None,
            waiting: Vec::new(),
            follow_up: None,
            keep_fingerprints,
            mention_prefixes: NamePrefixes::default(),
        };
        // One table for the class's names and the members' contact names.
        scanner.mention_prefixes = scanner.roster.prefixes().clone();
        if let Some(key) = scanner.facts.people[0].mention_key.clone() {
            scanner.note_mention_key(&key);
        }
        scanner
    }

    fn person(&mut self, person: &Person) -> LocalId {
        let Person::Named(name) = person else {
            return EXPORTER;
        };
        if let Some(id) = self.last_person {
            if self
                .facts
                .people
                .get(id as usize)
                .is_some_and(|p| p.written == *name)
            {
                return id;
            }
        }
        if let Some(id) = self.person_index.get(name) {
            let id = *id;
            self.last_person = Some(id);
            return id;
        }
        let id = self.facts.people.len() as LocalId;
        let matched = resolve(self.roster, self.implicit_roster, name);
        if self.implicit_roster {
            // The class grew by this person: their names may now appear in text.
            self.mention_prefixes = self.roster.prefixes().clone();
            for person in &self.facts.people {
                if let Some(key) = &person.mention_key {
                    self.mention_prefixes.add(key);
                }
            }
        }
        let mention_key = text::phone_digits(name)
            .is_none()
            .then(|| first_word_key(name));
        if let Some(key) = &mention_key {
            self.note_mention_key(key);
        }
        self.facts.people.push(ChatPerson {
            written: name.clone(),
            matched,
            messages: 0,
            first_message: None,
            last_message: None,
            mention_key,
            in_system_line: false,
            own_deletions: 0,
        });
        self.facts.uptake.push(UptakeTally::default());
        self.person_index.insert(name.clone(), id);
        id
    }

    pub fn push(&mut self, event: &Event) {
        // Earliest and latest, not first and last: a phone's clock can go back.
        self.facts.start = Some(self.facts.start.map_or(event.time, |s| s.min(event.time)));
        self.facts.end = Some(self.facts.end.map_or(event.time, |e| e.max(event.time)));
        match &event.kind {
            EventKind::Message(message) => self.message(event, message),
            EventKind::System(system) => self.system(event, system),
        }
    }

    fn system(&mut self, event: &Event, system: &SystemEvent) {
        self.facts.system_events += 1;
        let change = match system {
            SystemEvent::Created { by, group } => SystemChange::Created {
                by: self.person(by),
                name: group.clone(),
            },
            SystemEvent::Added { by, who } => SystemChange::Added {
                by: Some(self.person(by)),
                who: who.iter().map(|p| self.person(p)).collect(),
            },
            SystemEvent::AddedUnattributed { who } => SystemChange::Added {
                by: None,
                who: who.iter().map(|p| self.person(p)).collect(),
            },
            SystemEvent::Removed { by, who } => SystemChange::Removed {
                by: self.person(by),
                who: who.iter().map(|p| self.person(p)).collect(),
            },
            SystemEvent::Left { who } => SystemChange::Left {
                who: self.person(who),
            },
            SystemEvent::JoinedViaLink { who } => SystemChange::Joined {
                who: self.person(who),
                via_link: true,
            },
            SystemEvent::JoinedViaInvite { who } => SystemChange::Joined {
                who: self.person(who),
                via_link: false,
            },
            SystemEvent::SubjectChanged { by, to, .. } => SystemChange::Renamed {
                by: self.person(by),
                to: to.clone(),
            },
            // Not about membership, but the people named are participants of the chat.
            SystemEvent::IconChanged { by }
            | SystemEvent::IconDeleted { by }
            | SystemEvent::DescriptionChanged { by } => {
                let id = self.person(by);
                self.mark_system(id);
                return;
            }
            SystemEvent::AdminChanged { who, .. } | SystemEvent::SecurityCodeChanged { who } => {
                let id = self.person(who);
                self.mark_system(id);
                return;
            }
            SystemEvent::NumberChanged { who, new } => {
                let id = self.person(who);
                self.mark_system(id);
                if let Some(new) = new {
                    let id = self.person(new);
                    self.mark_system(id);
                }
                return;
            }
            SystemEvent::EncryptionNotice => {
                if self.facts.notice_line.is_none() {
                    self.facts.notice_line = Some((event.lines.first, event.raw.clone()));
                }
                return;
            }
            SystemEvent::Unknown { .. } => {
                self.facts.unreadable_system_lines += 1;
                if self.facts.unreadable_examples.len() < UNREADABLE_EXAMPLES {
                    self.facts
                        .unreadable_examples
                        .push((event.lines.first, event.raw.clone()));
                }
                return;
            }
        };
        match &change {
            SystemChange::Created { by, .. } | SystemChange::Renamed { by, .. } => {
                self.mark_system(*by);
            }
            SystemChange::Added { by, who } => {
                if let Some(by) = by {
                    self.mark_system(*by);
                }
                for id in who.clone() {
                    self.mark_system(id);
                }
            }
            SystemChange::Removed { by, who } => {
                self.mark_system(*by);
                for id in who.clone() {
                    self.mark_system(id);
                }
            }
            SystemChange::Left { who } | SystemChange::Joined { who, .. } => {
                self.mark_system(*who);
            }
        }
        self.facts.membership.push(MembershipChange {
            time: event.time,
            lines: event.lines,
            event: system.clone(),
        });
        let last_message_of_removed = match &change {
            SystemChange::Removed { who, .. } => who
                .iter()
                .map(|id| {
                    self.facts
                        .people
                        .get(*id as usize)
                        .and_then(|p| p.last_message)
                })
                .collect(),
            _ => Vec::new(),
        };
        self.facts.system.push(SystemFact {
            at: event.time,
            line: event.lines.first,
            raw: event.raw.clone(),
            messages_before: self.facts.messages,
            change,
            last_message_of_removed,
        });
    }

    fn message(&mut self, event: &Event, message: &Message) {
        self.facts.messages += 1;
        let author = self.person(&message.author);
        let at = event.time;
        let line = event.lines.first;
        if let Some(person) = self.facts.people.get_mut(author as usize) {
            person.messages += 1;
            if person.first_message.is_none() {
                person.first_message = Some((at, line));
            }
            person.last_message = Some(at);
        }
        if message.deleted {
            if author != EXPORTER && is_own_deletion(&message.text) {
                if let Some(person) = self.facts.people.get_mut(author as usize) {
                    person.own_deletions += 1;
                }
            }
            // A deleted message says nothing we may read; it neither asks nor answers.
            return;
        }
        let media_only = message.media.is_some() && !message.text.trim_end().contains('\n');
        let minute = at.seconds().div_euclid(60);
        // Fingerprints are only needed to align several exports, and for the (rare)
        // negative mentions: hashing every message is skipped otherwise.
        let fingerprint = || {
            let hash = if media_only {
                0
            } else {
                text::folded_hash(&message.text)
            };
            hash ^ (minute as u64)
        };
        if !media_only && self.keep_fingerprints {
            self.facts.fingerprints.push(Fingerprint {
                minute: u32::try_from(minute).unwrap_or(0),
                hash: text::folded_hash(&message.text),
                author,
            });
        }

        // Words and the pupils they name.
        let mut buffer = std::mem::take(&mut self.words);
        // Most messages name nobody: a quick look at the first two letters of each word
        // decides whether the message needs to be split into folded words at all.
        let needs_words =
            !media_only && (self.follow_up.is_some() || self.may_name_someone(&message.text));
        let count = text::words_reusing(if needs_words { &message.text } else { "" }, &mut buffer);
        let words = &buffer[..count];
        let mut named: Vec<(usize, PupilId)> = Vec::new();
        let author_pupil = match self.facts.people.get(author as usize).map(|p| &p.matched) {
            Some(NameMatch::Pupil(id)) => Some(*id),
            _ => None,
        };
        for i in 0..words.len() {
            let previous = i.checked_sub(1).map(|p| &words[p]);
            match self.roster.match_word(&words[i], previous) {
                NameMatch::Pupil(id) if Some(id) != author_pupil => named.push((i, id)),
                NameMatch::Ambiguous(_) => self.facts.ambiguous_mentions += 1,
                _ => {}
            }
        }

        // Uptake (P4): does this message take up the turns waiting for a reaction?
        self.uptake(author, at, line, words, &named, media_only, &event.raw);

        // Mentions of pupils (P5), with the lexicon only where a pupil is named or a
        // follow-up is pending, so most messages are never checked against it. Only the
        // negative mentions are kept (with their lines); the others are counted.
        if !named.is_empty() {
            let a = self.lexicon.assess(&message.text, words, &|i| {
                named.iter().any(|(p, _)| *p == i)
            });
            let negative = a.negative_in_words() || a.mocking_emoji;
            let mut seen: Vec<PupilId> = Vec::new();
            for (_, pupil) in &named {
                if seen.contains(pupil) {
                    continue;
                }
                seen.push(*pupil);
                self.facts.mentions_seen += 1;
                if negative {
                    self.facts.mentions.push(MentionFact {
                        at,
                        line,
                        author,
                        pupil: *pupil,
                        negative,
                        weak: !a.negative_in_words(),
                        fingerprint: fingerprint(),
                        evidence: vec![(line, event.raw.clone())],
                    });
                }
            }
            self.follow_up = match seen.as_slice() {
                [only] => Some(PendingFollowUp {
                    pupil: *only,
                    remaining: self.thresholds.gossip_followup_messages as u32,
                }),
                _ => None,
            };
        } else if let Some(follow_up) = self.follow_up.take() {
            // "Niemand wil haar erbij": a pronoun right after a name speaks of that pupil.
            let a = self.lexicon.assess(&message.text, words, &|_| false);
            let has_pronoun = words.iter().any(|w| {
                matches!(
                    w.folded.as_str(),
                    "ze" | "zij" | "haar" | "hem" | "hij" | "die" | "she" | "her" | "he" | "him"
                )
            });
            if a.negative_in_words() && has_pronoun && Some(follow_up.pupil) != author_pupil {
                // The remark is this author's, about the pupil just named.
                self.facts.mentions.push(MentionFact {
                    at,
                    line,
                    author,
                    pupil: follow_up.pupil,
                    negative: true,
                    weak: false,
                    fingerprint: fingerprint(),
                    evidence: vec![(line, event.raw.clone())],
                });
            }
            if follow_up.remaining > 1 {
                self.follow_up = Some(PendingFollowUp {
                    remaining: follow_up.remaining - 1,
                    ..follow_up
                });
            }
        }
        self.words = buffer;
    }

    #[allow(clippy::too_many_arguments)]
    fn uptake(
        &mut self,
        author: LocalId,
        at: LocalDateTime,
        line: u32,
        words: &[Word],
        named: &[(usize, PupilId)],
        media_only: bool,
        raw: &str,
    ) {
        let window = (self.thresholds.uptake_window_minutes * 60.0) as i64;
        let next = (self.thresholds.uptake_next_message_minutes * 60.0) as i64;
        let now = at.seconds();
        // Night-time and media-only messages do not ask for an answer (P4).
        let eligible = !media_only && !self.is_night(at);
        // Continue the author's turn, or end it.
        if let Some(PendingTurnDebug(turn)) = &mut self.current_turn {
            if turn.author == author && now - turn.last_seconds <= window {
                turn.last_at = at;
                turn.last_seconds = now;
                turn.eligible |= eligible;
                return;
            }
        }
        if let Some(PendingTurnDebug(turn)) = self.current_turn.take() {
            // A clock that went back (a late message from an offline phone) is no answer.
            if turn.author != author && (0..=next).contains(&(now - turn.last_seconds)) {
                self.resolve_turn(turn, true);
            } else {
                self.waiting.push(PendingTurnDebug(turn));
            }
        }
        // Turns waiting for their author to be named.
        // Decided in place: most messages resolve nothing, and then nothing is allocated.
        let mut index = 0;
        while index < self.waiting.len() {
            let turn = &self.waiting[index].0;
            let expired = now - turn.last_seconds > window || turn.author == author;
            let names_author = !expired
                && self
                    .facts
                    .people
                    .get(turn.author as usize)
                    .is_some_and(|p| {
                        let by_roster = match &p.matched {
                            NameMatch::Pupil(id) => named.iter().any(|(_, n)| n == id),
                            _ => false,
                        };
                        by_roster
                            || p.mention_key
                                .as_ref()
                                .is_some_and(|key| words.iter().any(|w| &w.folded == key))
                    });
            if names_author || expired {
                let PendingTurnDebug(turn) = self.waiting.remove(index);
                self.resolve_turn(turn, names_author);
            } else {
                index += 1;
            }
        }
        let keep_raw = eligible
            && self
                .facts
                .uptake
                .get(author as usize)
                .is_some_and(|t| t.examples.len() < EXAMPLES_PER_PERSON);
        self.current_turn = Some(PendingTurnDebug(PendingTurn {
            author,
            last_at: at,
            last_seconds: now,
            line,
            raw: keep_raw.then(|| raw.to_string()),
            eligible,
        }));
    }

    /// Whether any word of `text` starts like a name of the class or of a member (a
    /// prefilter: a `true` may still name nobody, a `false` never names anyone).
    fn may_name_someone(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let char_at = |i: usize| -> Option<char> {
            match bytes.get(i) {
                Some(b) if b.is_ascii() => Some(b.to_ascii_lowercase() as char),
                Some(_) => text.get(i..).and_then(|rest| rest.chars().next()),
                None => None,
            }
        };
        let mut i = 0;
        let mut in_word = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii() {
                let word_char = b.is_ascii_alphanumeric() || b == b'\'';
                if word_char && !in_word && b.is_ascii_alphabetic() {
                    let first = b.to_ascii_lowercase() as char;
                    let second = char_at(i + 1);
                    let third = second.and_then(|c| char_at(i + 1 + c.len_utf8()));
                    if self.mention_prefixes.may_match(first, second, third) {
                        return true;
                    }
                }
                in_word = word_char;
                i += 1;
            } else {
                let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                    return true;
                };
                let word_char = c.is_alphanumeric();
                if word_char && !in_word {
                    // A word that starts outside ASCII: let the full check decide.
                    return true;
                }
                in_word = word_char || text::is_invisible_mark(c);
                i += c.len_utf8();
            }
        }
        false
    }

    fn mark_system(&mut self, id: LocalId) {
        if let Some(person) = self.facts.people.get_mut(id as usize) {
            person.in_system_line = true;
        }
    }

    fn note_mention_key(&mut self, key: &str) {
        self.mention_prefixes.add(key);
    }

    fn is_night(&self, at: LocalDateTime) -> bool {
        let hour = f64::from(at.hour()) + f64::from(at.minute()) / 60.0;
        let (start, end) = (
            self.thresholds.night_start_hour,
            self.thresholds.night_end_hour,
        );
        if start > end {
            hour >= start || hour < end
        } else {
            hour >= start && hour < end
        }
    }

    fn resolve_turn(&mut self, turn: PendingTurn, taken_up: bool) {
        if !turn.eligible {
            return;
        }
        let Some(tally) = self.facts.uptake.get_mut(turn.author as usize) else {
            return;
        };
        tally.turns += 1;
        if taken_up {
            tally.taken_up += 1;
        } else {
            let week = turn.last_at.day_number().div_euclid(7);
            if !tally.weeks_not_taken_up.contains(&week) {
                tally.weeks_not_taken_up.push(week);
            }
            if tally.examples.len() < EXAMPLES_PER_PERSON {
                if let Some(raw) = turn.raw {
                    tally.examples.push((turn.line, raw));
                }
            }
        }
    }

    /// Ends the export: turns still open are resolved (nobody took them up before the end).
    pub fn finish(mut self) -> ChatFacts {
        if let Some(PendingTurnDebug(turn)) = self.current_turn.take() {
            self.waiting.push(PendingTurnDebug(turn));
        }
        // A turn at the very end of an export cannot be judged: nobody had the chance yet.
        let end = self.facts.end;
        let window = (self.thresholds.uptake_window_minutes * 60.0) as i64;
        for PendingTurnDebug(turn) in std::mem::take(&mut self.waiting) {
            if end.is_some_and(|e| turn.last_at.seconds_until(e) > window) {
                self.resolve_turn(turn, false);
            }
        }
        self.facts.exporter_alias = exporter_alias(&self.facts);
        self.facts
    }
}

const UNREADABLE_EXAMPLES: usize = 5;

fn is_own_deletion(text: &str) -> bool {
    let folded = text::fold(text);
    let folded = folded.trim().trim_end_matches('.').trim();
    OWN_DELETION.contains(&folded)
}

/// Which writer made the export, from the clues the file holds (see `ExporterClue`).
fn exporter_alias(facts: &ChatFacts) -> Option<(LocalId, ExporterClue)> {
    let exporter = facts.people.first()?;
    let writers = || {
        facts
            .people
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, p)| p.messages > 0)
    };
    if !exporter.written.is_empty() {
        let same = |p: &ChatPerson| {
            p.written == exporter.written
                || (matches!(exporter.matched, NameMatch::Pupil(_))
                    && p.matched == exporter.matched)
        };
        let found: Vec<usize> = writers().filter(|(_, p)| same(p)).map(|(i, _)| i).collect();
        return match found.as_slice() {
            [only] => Some((*only as LocalId, ExporterClue::Named)),
            _ => None,
        };
    }
    let deleted: Vec<usize> = writers()
        .filter(|(_, p)| p.own_deletions > 0)
        .map(|(i, _)| i)
        .collect();
    if let [only] = deleted.as_slice() {
        return Some((*only as LocalId, ExporterClue::OwnDeletion));
    }
    if !deleted.is_empty() {
        return None;
    }
    let exporter_in_system = facts.system.iter().any(|f| match &f.change {
        SystemChange::Created { by, .. } | SystemChange::Renamed { by, .. } => *by == EXPORTER,
        SystemChange::Added { by, who } => *by == Some(EXPORTER) || who.contains(&EXPORTER),
        SystemChange::Removed { by, who } => *by == EXPORTER || who.contains(&EXPORTER),
        SystemChange::Left { who } | SystemChange::Joined { who, .. } => *who == EXPORTER,
    });
    if !exporter_in_system {
        return None;
    }
    let unlisted: Vec<usize> = writers()
        .filter(|(_, p)| !p.in_system_line && text::phone_digits(&p.written).is_none())
        .map(|(i, _)| i)
        .collect();
    match unlisted.as_slice() {
        [only] => Some((*only as LocalId, ExporterClue::OnlyUnlistedWriter)),
        _ => None,
    }
}

fn first_word_key(name: &str) -> String {
    let without_emoji: String = name.chars().filter(|c| !text::is_emoji_like(*c)).collect();
    text::fold(&without_emoji)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn resolve(roster: &mut Roster, implicit: bool, name: &str) -> NameMatch {
    let matched = roster.match_contact(name);
    if implicit && matched == NameMatch::None && text::phone_digits(name).is_none() {
        let cleaned: String = name.chars().filter(|c| !text::is_emoji_like(*c)).collect();
        let cleaned = cleaned.trim();
        if !cleaned.is_empty() {
            return NameMatch::Pupil(roster.add_pupil(cleaned));
        }
    }
    matched
}
