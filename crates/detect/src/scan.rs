//! Reads one export's events, one at a time, into compact facts: system changes with their
//! lines, who wrote when, name mentions (with text kept only for the negative ones), uptake
//! tallies for `ignored`, and message fingerprints for merging exports of one group.
//! Message texts are not kept, so memory stays far below the export's size.

use std::collections::HashMap;

use erbij_chat::{Event, EventKind, LocalDateTime, Message, Person, SystemEvent};

use crate::lexicon::Lexicon;
use crate::roster::{NameMatch, PupilId, Roster};
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
}

#[derive(Debug, Clone)]
pub enum SystemChange {
    Created { by: LocalId, name: Option<String> },
    /// `by` is `None` where WhatsApp does not say who added (`Mila is toegevoegd`).
    Added { by: Option<LocalId>, who: Vec<LocalId> },
    Removed { by: LocalId, who: Vec<LocalId> },
    Left { who: LocalId },
    Joined { who: LocalId, via_link: bool },
    Renamed { by: LocalId, to: String },
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
    pub minute: i64,
    pub hash: u64,
    pub author: LocalId,
}

/// The compact facts of one export.
#[derive(Debug, Clone)]
pub struct ChatFacts {
    pub chat: usize,
    pub people: Vec<ChatPerson>,
    pub system: Vec<SystemFact>,
    pub mentions: Vec<MentionFact>,
    pub uptake: Vec<UptakeTally>,
    pub fingerprints: Vec<Fingerprint>,
    pub messages: u64,
    pub system_events: u64,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    pub ambiguous_mentions: u32,
}

impl ChatFacts {
    pub fn group_name(&self) -> Option<&str> {
        self.system.iter().rev().find_map(|f| match &f.change {
            SystemChange::Renamed { to, .. } => Some(to.as_str()),
            SystemChange::Created { name: Some(name), .. } => Some(name.as_str()),
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
    line: u32,
    raw: Option<String>,
    eligible: bool,
}

struct PendingFollowUp {
    mention: usize,
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
    person_index: HashMap<String, LocalId>,
    words: Vec<Word>,
    /// The turn being written (consecutive messages of one author).
    current_turn: Option<PendingTurnDebug>,
    /// Finished turns still waiting for someone to name their author.
    waiting: Vec<PendingTurnDebug>,
    follow_ups: Vec<PendingFollowUp>,
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
        write!(f, "follow-up({})", self.mention)
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
        };
        ChatScanner {
            roster,
            implicit_roster,
            lexicon,
            thresholds,
            facts: ChatFacts {
                chat,
                people: vec![exporter],
                system: Vec::new(),
                mentions: Vec::new(),
                uptake: vec![UptakeTally::default()],
                fingerprints: Vec::new(),
                messages: 0,
                system_events: 0,
                start: None,
                end: None,
                ambiguous_mentions: 0,
            },
            person_index: HashMap::new(),
            words: Vec::new(),
            current_turn: None,
            waiting: Vec::new(),
            follow_ups: Vec::new(),
        }
    }

    fn person(&mut self, person: &Person) -> LocalId {
        let Person::Named(name) = person else {
            return EXPORTER;
        };
        if let Some(id) = self.person_index.get(name) {
            return *id;
        }
        let id = self.facts.people.len() as LocalId;
        let matched = resolve(self.roster, self.implicit_roster, name);
        self.facts.people.push(ChatPerson {
            written: name.clone(),
            matched,
            messages: 0,
            first_message: None,
            last_message: None,
            mention_key: text::phone_digits(name).is_none().then(|| first_word_key(name)),
        });
        self.facts.uptake.push(UptakeTally::default());
        self.person_index.insert(name.clone(), id);
        id
    }

    pub fn push(&mut self, event: &Event) {
        if self.facts.start.is_none() {
            self.facts.start = Some(event.time);
        }
        self.facts.end = Some(event.time);
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
            SystemEvent::Left { who } => SystemChange::Left { who: self.person(who) },
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
            _ => return,
        };
        let last_message_of_removed = match &change {
            SystemChange::Removed { who, .. } => who
                .iter()
                .map(|id| self.facts.people.get(*id as usize).and_then(|p| p.last_message))
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
            // A deleted message says nothing we may read; it neither asks nor answers.
            return;
        }
        let media_only = message.media.is_some() && !message.text.trim_end().contains('\n');
        let hash = if media_only {
            None
        } else {
            Some(text::fnv1a(text::fold(&message.text).as_bytes(), 0))
        };
        if let Some(hash) = hash {
            self.facts.fingerprints.push(Fingerprint {
                minute: at.seconds().div_euclid(60),
                hash,
                author,
            });
        }

        // Words and the pupils they name.
        let mut words = std::mem::take(&mut self.words);
        text::words_into(if media_only { "" } else { &message.text }, &mut words);
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
        self.uptake(author, at, line, &words, &named, media_only, &event.raw);

        // Mentions of pupils (P5), with the lexicon only where a pupil is named or a
        // follow-up is pending, so most messages are never checked against it.
        let mut assessment = None;
        if !named.is_empty() {
            let positions: Vec<usize> = named.iter().map(|(i, _)| *i).collect();
            let a = self
                .lexicon
                .assess(&message.text, &words, &|i| positions.contains(&i));
            assessment = Some(a);
            let negative = a.negative_in_words() || a.mocking_emoji;
            let fingerprint = hash.unwrap_or(0) ^ (at.seconds().div_euclid(60) as u64);
            let mut seen: Vec<PupilId> = Vec::new();
            for (_, pupil) in &named {
                if seen.contains(pupil) {
                    continue;
                }
                seen.push(*pupil);
                self.facts.mentions.push(MentionFact {
                    at,
                    line,
                    author,
                    pupil: *pupil,
                    negative,
                    weak: negative && !a.negative_in_words(),
                    fingerprint,
                    evidence: if negative { vec![(line, event.raw.clone())] } else { Vec::new() },
                });
            }
            self.follow_ups.clear();
            if seen.len() == 1 {
                self.follow_ups.push(PendingFollowUp {
                    mention: self.facts.mentions.len() - 1,
                    remaining: self.thresholds.gossip_followup_messages as u32,
                });
            }
        } else if !self.follow_ups.is_empty() {
            // "Niemand wil haar erbij": a pronoun right after a name speaks of that pupil.
            let a = self.lexicon.assess(&message.text, &words, &|_| false);
            assessment = Some(a);
            let has_pronoun = words.iter().any(|w| {
                matches!(
                    w.folded.as_str(),
                    "ze" | "zij" | "haar" | "hem" | "hij" | "die" | "she" | "her" | "he" | "him"
                )
            });
            if a.negative_in_words() && has_pronoun {
                let fingerprint = hash.unwrap_or(0) ^ (at.seconds().div_euclid(60) as u64);
                let pupils: Vec<PupilId> = self
                    .follow_ups
                    .iter()
                    .filter_map(|f| self.facts.mentions.get(f.mention).map(|m| m.pupil))
                    .filter(|p| Some(*p) != author_pupil)
                    .collect();
                for pupil in pupils {
                    // The remark is this author's, about the pupil just named.
                    self.facts.mentions.push(MentionFact {
                        at,
                        line,
                        author,
                        pupil,
                        negative: true,
                        weak: false,
                        fingerprint,
                        evidence: vec![(line, event.raw.clone())],
                    });
                }
            }
            for follow_up in &mut self.follow_ups {
                follow_up.remaining = follow_up.remaining.saturating_sub(1);
            }
            self.follow_ups.retain(|f| f.remaining > 0);
        }
        let _ = assessment;
        self.words = words;
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
        // Night-time and media-only messages do not ask for an answer (P4).
        let eligible = !media_only && !self.is_night(at);
        // Continue the author's turn, or end it.
        if let Some(PendingTurnDebug(turn)) = &mut self.current_turn {
            if turn.author == author && turn.last_at.seconds_until(at) <= window {
                turn.last_at = at;
                turn.eligible |= eligible;
                return;
            }
        }
        if let Some(PendingTurnDebug(turn)) = self.current_turn.take() {
            if turn.author != author && turn.last_at.seconds_until(at) <= next {
                self.resolve_turn(turn, true);
            } else {
                self.waiting.push(PendingTurnDebug(turn));
            }
        }
        // Turns waiting for their author to be named.
        let people = &self.facts.people;
        let mut still_waiting = Vec::new();
        let mut resolved = Vec::new();
        for PendingTurnDebug(turn) in std::mem::take(&mut self.waiting) {
            let expired = turn.last_at.seconds_until(at) > window || turn.author == author;
            let names_author = !expired
                && people.get(turn.author as usize).is_some_and(|p| {
                    let by_roster = match &p.matched {
                        NameMatch::Pupil(id) => named.iter().any(|(_, n)| n == id),
                        _ => false,
                    };
                    by_roster
                        || p.mention_key
                            .as_ref()
                            .is_some_and(|key| words.iter().any(|w| &w.folded == key))
                });
            if names_author {
                resolved.push((turn, true));
            } else if expired {
                resolved.push((turn, false));
            } else {
                still_waiting.push(PendingTurnDebug(turn));
            }
        }
        self.waiting = still_waiting;
        for (turn, taken_up) in resolved {
            self.resolve_turn(turn, taken_up);
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
            line,
            raw: keep_raw.then(|| raw.to_string()),
            eligible,
        }));
    }

    fn is_night(&self, at: LocalDateTime) -> bool {
        let hour = f64::from(at.hour()) + f64::from(at.minute()) / 60.0;
        let (start, end) = (self.thresholds.night_start_hour, self.thresholds.night_end_hour);
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
        self.facts
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
