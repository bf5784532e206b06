//! Finds exclusion patterns in chat exports: who was removed from a group, added and
//! removed at once, left out of a new group with the rest of the class, named in a group's
//! name, ignored, or talked about negatively while absent; and in Instagram/TikTok
//! downloads (read by `erbij-social`), classmates who unfollowed a pupil together. Every
//! finding carries the exact lines (or download entries) that prove it, a confidence with
//! its reason, and an explanation in Dutch and English that a teacher understands.
//!
//! Pure: events (from `erbij-chat`), downloads and a class list in, findings out. It never reads files,
//! never logs chat text or names, and never turns an ambiguous name into a guess. Events
//! are consumed one at a time and only compact facts are kept, so an export of hundreds of
//! megabytes is analysed in far less memory than its size.

mod finding;
mod gossip;
mod group;
mod group_name;
mod ignored;
mod lexicon;
mod removal;
mod roster;
mod scan;
mod shadow_group;
mod stats;
pub mod text;
pub mod thresholds;
pub mod unfollow;
mod wording;

use std::collections::HashSet;

use erbij_chat::Event;
use erbij_social::Download;

pub use finding::{
    Change, ChatSummary, Confidence, DownloadEvidence, Evidence, ExporterInfo, Finding,
    FindingEvidence, FindingKind, FindingSource, GroupName, GroupTimeline, How, Language, ListFact,
    MemberTimeline, MembershipFact, NameSource, Provenance, Report, Statistics,
};
pub use lexicon::{Assessment, Lexicon};
pub use roster::{NAME_WORDS, NameMatch, Pupil, PupilId, Roster, RosterError};
pub use scan::{ChatFacts, ChatScanner, ExporterClue};
pub use stats::{binomial_lower_tail, holm};
pub use thresholds::{ThresholdError, Thresholds};

use group::PersonKey;
pub use group::{EXPORTER_WORD, UNNAMED_EXPORTER};

/// Collects the exports and downloads of one analysis, then runs every detector over them
/// together.
#[derive(Debug)]
pub struct Analyzer {
    roster: Roster,
    roster_given: bool,
    lexicon: Lexicon,
    thresholds: Thresholds,
    facts: Vec<ChatFacts>,
    fingerprints: bool,
    /// Instagram/TikTok downloads with their file as handed in and whose they are when the
    /// caller says so (a name), in the order given.
    downloads: Vec<(String, Download, Option<String>)>,
}

impl Analyzer {
    /// `roster: None` makes everyone seen in the exports "the class".
    pub fn new(roster: Option<Roster>, thresholds: Thresholds) -> Analyzer {
        Analyzer {
            roster_given: roster.is_some(),
            roster: roster.unwrap_or_default(),
            lexicon: Lexicon::builtin(),
            thresholds,
            facts: Vec::new(),
            fingerprints: true,
            downloads: Vec::new(),
        }
    }

    /// Whether to keep message fingerprints for recognising exports of one group (on by
    /// default). A caller that knows it has a single export can save that memory.
    pub fn keep_fingerprints(&mut self, keep: bool) {
        self.fingerprints = keep;
    }

    /// A scanner for the next export; feed it events and hand its `finish()` to `add`.
    /// `exporter` is who made the export, when the teacher knows it (the file never says).
    pub fn scan_chat(&mut self, exporter: Option<&str>) -> ChatScanner<'_> {
        ChatScanner::new(
            self.facts.len(),
            &mut self.roster,
            !self.roster_given,
            &self.lexicon,
            &self.thresholds,
            exporter,
            self.fingerprints,
        )
    }

    pub fn add(&mut self, facts: ChatFacts) {
        self.facts.push(facts);
    }

    /// Convenience: scan a whole export given as events.
    pub fn add_events<'e>(
        &mut self,
        events: impl IntoIterator<Item = &'e Event>,
        exporter: Option<&str>,
    ) {
        let mut scanner = self.scan_chat(exporter);
        for event in events {
            scanner.push(event);
        }
        let facts = scanner.finish();
        self.add(facts);
    }

    /// Adds an Instagram or TikTok download (`file` as handed in, for evidence). Several
    /// downloads of one account are compared in time order, else in the order added.
    pub fn add_download(&mut self, file: String, download: Download) {
        self.add_download_of(file, download, None);
    }

    /// Like [`Analyzer::add_download`], with whose download it is when the caller knows
    /// (`--exporter FILE=NAME`): a pupil's name, matched to the class list. Used when the
    /// download does not name its account (a pupil hands in only `followers_1.json`).
    pub fn add_download_of(&mut self, file: String, download: Download, owner: Option<&str>) {
        let owner = owner
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned);
        self.downloads.push((file, download, owner));
    }

    pub fn roster(&self) -> &Roster {
        &self.roster
    }

    /// Runs every detector and returns the findings, most serious first.
    pub fn finish(self) -> Report {
        let Analyzer {
            mut roster,
            roster_given,
            thresholds: t,
            facts,
            downloads,
            ..
        } = self;
        if !roster_given {
            shortest_names(&mut roster, &facts);
        }
        let groups = group::build_groups(&facts, &t);

        // The class: the roster, or (without one) the members of the largest group.
        let class: HashSet<PupilId> = if roster_given {
            roster.ids().collect()
        } else {
            groups
                .iter()
                .map(|g| {
                    g.ever_members()
                        .into_iter()
                        .filter_map(|k| match k {
                            PersonKey::Pupil(id) => Some(id),
                            PersonKey::Local { .. } => None,
                        })
                        .collect::<HashSet<_>>()
                })
                .max_by_key(HashSet::len)
                .unwrap_or_default()
        };
        let coverages: Vec<f64> = groups
            .iter()
            .map(|g| shadow_group::coverage(g, &class))
            .collect();
        let class_group = (0..groups.len())
            .filter(|i| coverages[*i] >= t.class_group_coverage)
            .min_by_key(|i| {
                (
                    groups[*i].created.or(groups[*i].start),
                    std::cmp::Reverse(
                        groups[*i]
                            .chats
                            .iter()
                            .map(|c| facts[*c].messages)
                            .sum::<u64>(),
                    ),
                )
            });

        let mut findings = Vec::new();
        for (index, group) in groups.iter().enumerate() {
            findings.extend(removal::detect(index, group, &roster, &t));
            findings.extend(group_name::detect(index, group, &roster));
            findings.extend(ignored::detect(index, group, &facts, &roster, &t));
            findings.extend(gossip::detect(index, group, &facts, &roster, &t));
        }
        findings.extend(shadow_group::detect(
            &groups,
            &class,
            class_group,
            &roster,
            &t,
        ));
        // Downloads: who of the class follows whom, and who stopped together.
        let accounts = unfollow::AccountList::from_roster(&roster);
        // A name given for a download is the class list's name when it fits one pupil.
        let owner_names: Vec<Option<String>> = downloads
            .iter()
            .map(|(_, _, owner)| {
                owner
                    .as_deref()
                    .map(|name| match roster.match_contact(name) {
                        NameMatch::Pupil(id) => roster.name(id).to_owned(),
                        _ => name.to_owned(),
                    })
            })
            .collect();
        let handed_in: Vec<unfollow::HandedIn<'_>> = downloads
            .iter()
            .zip(&owner_names)
            .map(|((file, download, _), owner_name)| unfollow::HandedIn {
                file,
                download,
                owner_name: owner_name.as_deref(),
            })
            .collect();
        let social_accounts = if handed_in.is_empty() {
            Vec::new()
        } else {
            unfollow::analyse(&handed_in, &accounts)
        };
        findings.extend(unfollow::findings(&social_accounts, &roster));
        findings.sort_by(|a, b| {
            (a.kind.seriousness(), a.confidence, a.at, &a.subject).cmp(&(
                b.kind.seriousness(),
                b.confidence,
                b.at,
                &b.subject,
            ))
        });

        let chats = facts
            .iter()
            .map(|f| {
                let group = groups
                    .iter()
                    .position(|g| g.chats.contains(&f.chat))
                    .unwrap_or(0);
                let mut participants: Vec<String> = f
                    .people
                    .iter()
                    .filter(|p| p.messages > 0 && !p.written.is_empty())
                    .map(|p| p.written.clone())
                    .collect();
                participants.sort();
                ChatSummary {
                    group,
                    messages: f.messages,
                    system_events: f.system_events,
                    participants,
                    start: f.start,
                    end: f.end,
                    group_name: f.group_name().map(str::to_string),
                    ambiguous_mentions: f.ambiguous_mentions,
                    ambiguous_authors: f
                        .people
                        .iter()
                        .filter(|p| matches!(p.matched, NameMatch::Ambiguous(_)))
                        .map(|p| p.written.clone())
                        .collect(),
                }
            })
            .collect();
        let timelines = groups
            .iter()
            .enumerate()
            .map(|(index, g)| GroupTimeline {
                name: g.name.clone(),
                chats: g.chats.clone(),
                start: g.start,
                end: g.end,
                created: g.created,
                class_group: Some(index) == class_group,
                members: g.timelines(&roster),
                exporters: g
                    .chats
                    .iter()
                    .map(|c| {
                        let clue = facts[*c].exporter_alias.map(|(_, clue)| clue);
                        let key = g.key(*c, scan::EXPORTER);
                        let person = (clue.is_some()
                            || !facts[*c].people[0].written.is_empty()
                            || matches!(key, PersonKey::Pupil(_)))
                        .then(|| g.display(key, &roster));
                        ExporterInfo {
                            chat: *c,
                            person,
                            clue,
                        }
                    })
                    .collect(),
                name_source: g.name_source,
                names: g.names.clone(),
            })
            .collect();
        let class_names = if roster_given {
            roster.pupils().iter().map(|p| p.name.clone()).collect()
        } else {
            let mut ids: Vec<&PupilId> = class.iter().collect();
            ids.sort();
            ids.into_iter()
                .map(|id| roster.name(*id).to_string())
                .collect()
        };
        Report {
            chats,
            groups: timelines,
            findings,
            class: class_names,
            roster_given,
            social_accounts,
            roster_accounts: accounts.len(),
        }
    }
}

/// Analyses exports given as event lists (one per file) in one go.
pub fn analyze(exports: &[Vec<Event>], roster: Option<Roster>, thresholds: Thresholds) -> Report {
    let mut analyzer = Analyzer::new(roster, thresholds);
    for events in exports {
        analyzer.add_events(events, None);
    }
    analyzer.finish()
}

/// Without a class list, the people seen are "the class" under the first name an export gave
/// them; a shorter name that another export gives the same person and that starts the same
/// ("Bob" for "Bob Bobsen Work") reads better and is used instead.
fn shortest_names(roster: &mut Roster, facts: &[ChatFacts]) {
    let mut best: std::collections::HashMap<PupilId, String> = std::collections::HashMap::new();
    for f in facts {
        for person in &f.people {
            let NameMatch::Pupil(id) = person.matched else {
                continue;
            };
            let written = person.written.trim();
            if written.is_empty() || text::phone_digits(written).is_some() {
                continue;
            }
            let current = best
                .get(&id)
                .cloned()
                .unwrap_or_else(|| roster.name(id).to_string());
            let (short, long) = (text::fold(written), text::fold(&current));
            let prefix = long
                .strip_prefix(short.as_str())
                .is_some_and(|rest| rest.starts_with(' '));
            if prefix && written.chars().count() < current.chars().count() {
                best.insert(id, written.to_string());
            }
        }
    }
    for (id, name) in best {
        roster.rename(id, &name);
    }
}
