//! What a chat holds at a glance, gathered while the events stream past.
//!
//! Keeps counts, the names seen and the membership changes, never the messages, so memory
//! grows with the number of members, not with the length of the chat.

use std::collections::HashSet;

use crate::{Event, EventKind, LineRange, LocalDateTime, Person, SystemEvent};

/// A change in who is in the group, or in its name, with where it stands in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipChange {
    pub time: LocalDateTime,
    pub lines: LineRange,
    pub event: SystemEvent,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatSummary {
    /// Entries written by a member (media and deleted placeholders included).
    pub messages: u64,
    /// Lines WhatsApp wrote itself.
    pub system_events: u64,
    /// Everyone named, as authors or in system lines, in order of first appearance; the
    /// exporter only under the name their messages carry.
    pub participants: Vec<String>,
    seen: HashSet<String>,
    /// The last group name a system line gave (created, renamed).
    pub last_group_name: Option<String>,
    pub start: Option<LocalDateTime>,
    pub end: Option<LocalDateTime>,
    /// Created, added, removed, left, joined, renamed: in file order.
    pub membership: Vec<MembershipChange>,
}

impl ChatSummary {
    pub fn new() -> Self {
        Self::default()
    }

    fn saw(&mut self, person: &Person) {
        if let Person::Named(name) = person {
            if !name.is_empty() && !self.seen.contains(name) {
                self.seen.insert(name.clone());
                self.participants.push(name.clone());
            }
        }
    }

    pub fn add(&mut self, event: &Event) {
        self.start = Some(self.start.map_or(event.time, |s| s.min(event.time)));
        self.end = Some(self.end.map_or(event.time, |e| e.max(event.time)));
        let system = match &event.kind {
            EventKind::Message(message) => {
                self.messages += 1;
                self.saw(&message.author);
                return;
            }
            EventKind::System(system) => system,
        };
        self.system_events += 1;
        let membership = match system {
            SystemEvent::Created { by, group } => {
                self.saw(by);
                if let Some(group) = group {
                    self.last_group_name = Some(group.clone());
                }
                true
            }
            SystemEvent::Added { by, who } | SystemEvent::Removed { by, who } => {
                self.saw(by);
                who.iter().for_each(|p| self.saw(p));
                true
            }
            SystemEvent::AddedUnattributed { who } => {
                who.iter().for_each(|p| self.saw(p));
                true
            }
            SystemEvent::Left { who }
            | SystemEvent::JoinedViaLink { who }
            | SystemEvent::JoinedViaInvite { who } => {
                self.saw(who);
                true
            }
            SystemEvent::SubjectChanged { by, to, .. } => {
                self.saw(by);
                self.last_group_name = Some(to.clone());
                true
            }
            SystemEvent::IconChanged { by }
            | SystemEvent::IconDeleted { by }
            | SystemEvent::DescriptionChanged { by } => {
                self.saw(by);
                false
            }
            SystemEvent::AdminChanged { who, .. } | SystemEvent::SecurityCodeChanged { who } => {
                self.saw(who);
                false
            }
            SystemEvent::NumberChanged { who, new } => {
                self.saw(who);
                if let Some(new) = new {
                    self.saw(new);
                }
                false
            }
            SystemEvent::EncryptionNotice | SystemEvent::Unknown { .. } => false,
        };
        if membership {
            self.membership.push(MembershipChange {
                time: event.time,
                lines: event.lines,
                event: system.clone(),
            });
        }
    }
}
