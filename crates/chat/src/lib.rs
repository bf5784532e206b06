//! Reads WhatsApp chat exports into events.
//!
//! The reader never panics and never gives up on a file that is mostly readable:
//! it returns the events it could read and a diagnostic for every line it could not.
//! It knows nothing of pupils, classes, databases or HTTP; `erbij-detect` gives the
//! events their meaning.

mod event;
mod time;

pub use event::{Diagnostic, Event, EventKind, LineRange, MediaKind, Message, Person, SystemEvent};
pub use time::LocalDateTime;
