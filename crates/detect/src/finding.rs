//! What the detectors report: findings with their evidence, and the membership timeline.

use erbij_chat::LocalDateTime;
use erbij_social::{Moment, Platform};

use crate::roster::PupilId;

/// The finding kinds of the JSON contract (DESIGN.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    Removed,
    AddedAndRemoved,
    TargetedGroupName,
    ShadowGroup,
    AbsentGossip,
    Ignored,
    /// From Instagram/TikTok downloads: several classmates unfollowed a pupil together.
    UnfollowCluster,
}

impl FindingKind {
    pub const ALL: [FindingKind; 7] = [
        FindingKind::Removed,
        FindingKind::AddedAndRemoved,
        FindingKind::TargetedGroupName,
        FindingKind::ShadowGroup,
        FindingKind::AbsentGossip,
        FindingKind::Ignored,
        FindingKind::UnfollowCluster,
    ];

    /// The kinds found in chat exports (the evaluation harness plants these).
    pub const FROM_CHATS: [FindingKind; 6] = [
        FindingKind::Removed,
        FindingKind::AddedAndRemoved,
        FindingKind::TargetedGroupName,
        FindingKind::ShadowGroup,
        FindingKind::AbsentGossip,
        FindingKind::Ignored,
    ];

    /// The contract's name: `removed`, `added_and_removed`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::Removed => "removed",
            FindingKind::AddedAndRemoved => "added_and_removed",
            FindingKind::TargetedGroupName => "targeted_group_name",
            FindingKind::ShadowGroup => "shadow_group",
            FindingKind::AbsentGossip => "absent_gossip",
            FindingKind::Ignored => "ignored",
            FindingKind::UnfollowCluster => "unfollow_cluster",
        }
    }

    pub fn parse(name: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// How serious the pattern is, for ordering a report (lower = more serious): acts that
    /// throw a pupil out first, then groups made without them, then several classmates
    /// turning away together online (an act, but one a download can only place between
    /// two downloads and that has innocent look-alikes), then talk and silence.
    pub fn seriousness(self) -> u8 {
        match self {
            FindingKind::AddedAndRemoved => 0,
            FindingKind::Removed => 1,
            FindingKind::TargetedGroupName => 2,
            FindingKind::ShadowGroup => 3,
            FindingKind::UnfollowCluster => 4,
            FindingKind::AbsentGossip => 5,
            FindingKind::Ignored => 6,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }
}

/// One quoted line (or lines) of an export.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub chat: usize,
    /// 1-based line in the file as handed in.
    pub line: u32,
    /// The raw text of the source line(s).
    pub text: String,
}

/// What a download shows about one classmate's account in the pupil's follower list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFact {
    /// The account is in the list, following since this time where the download says.
    Follows { since: Option<Moment> },
    /// The account is not in the list (any more).
    NoLongerFollows,
}

/// One place in a data download: a list entry where a classmate still followed, or the
/// download in which they no longer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadEvidence {
    /// Index of the download in the order given, and its file as handed in.
    pub download: usize,
    pub file: String,
    /// The entry inside the download and the 1-based list position, where one applies
    /// (an account that is missing has no position).
    pub entry: Option<String>,
    pub position: Option<usize>,
    /// The classmate's account name.
    pub account: String,
    pub fact: ListFact,
}

impl DownloadEvidence {
    /// What the place shows, in words (a download has no line of text to quote).
    pub fn text(&self, language: Language) -> String {
        let account = &self.account;
        match (self.fact, language) {
            (ListFact::Follows { since: Some(since) }, Language::Dutch) => {
                format!("{account} volgt, sinds {since}")
            }
            (ListFact::Follows { since: None }, Language::Dutch) => format!("{account} volgt"),
            (ListFact::Follows { since: Some(since) }, Language::English) => {
                format!("{account} follows, since {since}")
            }
            (ListFact::Follows { since: None }, Language::English) => {
                format!("{account} follows")
            }
            (ListFact::NoLongerFollows, Language::Dutch) => {
                format!("{account} staat niet meer bij de volgers")
            }
            (ListFact::NoLongerFollows, Language::English) => {
                format!("{account} is no longer among the followers")
            }
        }
    }
}

/// What a finding points at: a quoted chat line, or a place in a data download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingEvidence {
    Line(Evidence),
    Download(DownloadEvidence),
}

impl FindingEvidence {
    /// The chat line, when the evidence is one.
    pub fn as_line(&self) -> Option<&Evidence> {
        match self {
            FindingEvidence::Line(line) => Some(line),
            FindingEvidence::Download(_) => None,
        }
    }

    /// The place in a download, when the evidence is one.
    pub fn as_download(&self) -> Option<&DownloadEvidence> {
        match self {
            FindingEvidence::Line(_) => None,
            FindingEvidence::Download(place) => Some(place),
        }
    }

    /// The text shown to the teacher: the raw chat line, or the download's fact in words.
    pub fn text(&self, language: Language) -> String {
        match self {
            FindingEvidence::Line(line) => line.text.clone(),
            FindingEvidence::Download(place) => place.text(language),
        }
    }
}

impl From<Evidence> for FindingEvidence {
    fn from(line: Evidence) -> FindingEvidence {
        FindingEvidence::Line(line)
    }
}

/// Where a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingSource {
    /// A chat export (its index) and the group it belongs to (index into `Report::groups`).
    Chat { chat: usize, group: usize },
    /// Two downloads of one account (indices in the order given): the last one where the
    /// classmates still followed, and the first where they no longer did.
    Downloads {
        platform: Platform,
        before: usize,
        after: usize,
    },
}

/// Numbers behind a statistical finding, for the report and for research.
#[derive(Debug, Clone, PartialEq)]
pub enum Statistics {
    Ignored {
        turns: u32,
        taken_up: u32,
        rate: f64,
        others_turns: u32,
        others_taken_up: u32,
        others_rate: f64,
        p_value: f64,
        p_holm: f64,
        weeks: u32,
    },
    Gossip {
        negative_mentions: u32,
        authors: u32,
        days: f64,
    },
    ShadowGroup {
        coverage: f64,
        class_size: u32,
        missing: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The pupil concerned: the roster name when matched, else the name as written.
    pub subject: String,
    pub subject_pupil: Option<PupilId>,
    pub actors: Vec<String>,
    /// The export (and group) or the downloads the finding (first) comes from.
    pub source: FindingSource,
    /// When it happened, local time; `None` when the sources do not say (undated downloads).
    pub at: Option<LocalDateTime>,
    pub confidence: Confidence,
    /// Why this confidence, in Dutch and English.
    pub confidence_reason_nl: String,
    pub confidence_reason_en: String,
    pub evidence: Vec<FindingEvidence>,
    pub explanation_nl: String,
    pub explanation_en: String,
    pub statistics: Option<Statistics>,
}

impl Finding {
    /// The chat export the finding (first) comes from; `None` for a download finding.
    pub fn chat(&self) -> Option<usize> {
        match self.source {
            FindingSource::Chat { chat, .. } => Some(chat),
            FindingSource::Downloads { .. } => None,
        }
    }

    /// The group (index into `Report::groups`); `None` for a download finding.
    pub fn group(&self) -> Option<usize> {
        match self.source {
            FindingSource::Chat { group, .. } => Some(group),
            FindingSource::Downloads { .. } => None,
        }
    }

    pub fn explanation(&self, language: Language) -> &str {
        match language {
            Language::Dutch => &self.explanation_nl,
            Language::English => &self.explanation_en,
        }
    }

    pub fn confidence_reason(&self, language: Language) -> &str {
        match language {
            Language::Dutch => &self.confidence_reason_nl,
            Language::English => &self.confidence_reason_en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Dutch,
    English,
}

/// Whether someone came into the group or went out of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    In,
    Out,
}

/// How a membership fact is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum How {
    Created,
    Added,
    JoinedViaLink,
    JoinedViaInvite,
    Removed,
    Left,
    /// Inferred: the person wrote in the group, so they were a member then.
    Wrote,
    /// The person exported the chat, so they were a member.
    Exported,
}

impl How {
    pub fn change(self) -> Change {
        match self {
            How::Removed | How::Left => Change::Out,
            _ => Change::In,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            How::Created => "created",
            How::Added => "added",
            How::JoinedViaLink => "joined_via_link",
            How::JoinedViaInvite => "joined_via_invite",
            How::Removed => "removed",
            How::Left => "left",
            How::Wrote => "wrote",
            How::Exported => "exported",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Provenance {
    /// A line WhatsApp wrote itself (created, added, removed, left, joined).
    SystemEvent,
    /// Inferred from someone writing (or exporting).
    Inferred,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::SystemEvent => "system_event",
            Provenance::Inferred => "inferred",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipFact {
    pub at: LocalDateTime,
    pub how: How,
    pub provenance: Provenance,
    pub certainty: Confidence,
    /// Who did it (the adder, the remover), where a system line says so.
    pub by: Option<String>,
    pub evidence: Option<Evidence>,
    /// How many exports show this same fact (merged exports of one group).
    pub seen_in_exports: u32,
    /// Every export's line that shows this fact: `(chat, line)`.
    pub lines: Vec<(usize, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberTimeline {
    pub person: String,
    /// The names this person has in each merged export: `(chat, name)`, with
    /// `EXPORTER_WORD` where an export's own lines call them "u" / "you".
    pub names: Vec<(usize, String)>,
    pub pupil: Option<PupilId>,
    pub facts: Vec<MembershipFact>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupTimeline {
    /// The group's name: the last one a system line gave, or `None` when no line says.
    pub name: Option<String>,
    /// The exports merged into this group (indices of chats).
    pub chats: Vec<usize>,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    pub created: Option<LocalDateTime>,
    /// Covers the class: the observed members are at least the class-group share of the roster.
    pub class_group: bool,
    pub members: Vec<MemberTimeline>,
    /// Who made each export: `(chat, person or None when no clue tells, clue)`.
    pub exporters: Vec<ExporterInfo>,
    /// Where the name comes from (`None` when nothing names the group).
    pub name_source: Option<NameSource>,
    /// Every name the group has in the exports, with where it comes from.
    pub names: Vec<GroupName>,
}

/// Who made one export of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExporterInfo {
    pub chat: usize,
    pub person: Option<String>,
    pub clue: Option<crate::scan::ExporterClue>,
}

/// Where a group's name was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameSource {
    /// "X heeft de groep ... gemaakt" / "X heeft de groepsnaam gewijzigd naar ...".
    SystemLine,
    /// iPhone writes the encryption notice "from" the group: its name when exported.
    EncryptionNotice,
    /// The export's file name ("WhatsApp-chat met Klas 2B.txt").
    FileName,
    /// The title of the `.zip` or of the `.txt` inside it.
    ZipTitle,
}

impl NameSource {
    pub fn as_str(self) -> &'static str {
        match self {
            NameSource::SystemLine => "system_line",
            NameSource::EncryptionNotice => "encryption_notice",
            NameSource::FileName => "file_name",
            NameSource::ZipTitle => "zip_title",
        }
    }

    /// How sure the name is the group's: a system line and the notice are WhatsApp's own
    /// words; a file name may have been changed by whoever handed it in.
    pub fn confidence(self) -> Confidence {
        match self {
            NameSource::SystemLine | NameSource::EncryptionNotice => Confidence::High,
            NameSource::FileName | NameSource::ZipTitle => Confidence::Medium,
        }
    }
}

/// One name of a group and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName {
    pub name: String,
    pub source: NameSource,
    /// The export it was read in; for a system line also the line.
    pub chat: usize,
    pub line: Option<u32>,
    pub raw: Option<String>,
}

/// A short per-export summary for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSummary {
    pub group: usize,
    pub messages: u64,
    pub system_events: u64,
    pub participants: Vec<String>,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    pub group_name: Option<String>,
    /// Name mentions in text that fit more than one pupil (never attributed).
    pub ambiguous_mentions: u32,
    /// Contact names that fit more than one pupil.
    pub ambiguous_authors: Vec<String>,
}

/// Everything the detectors found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub chats: Vec<ChatSummary>,
    pub groups: Vec<GroupTimeline>,
    /// Most serious first.
    pub findings: Vec<Finding>,
    /// Per social-media account handed in: the class in its lists and who stopped following.
    pub social_accounts: Vec<crate::unfollow::AccountAnalysis>,
    /// How many accounts the class list names (without them no classmate is recognised).
    pub roster_accounts: usize,
    /// Names of the class (the roster, or the people seen when no roster was given).
    pub class: Vec<String>,
    pub roster_given: bool,
}
