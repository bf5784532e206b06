//! What WhatsApp writes itself, one table per phone language.
//!
//! Adding a language is adding a file here with one [`LanguageTable`] and listing it in
//! [`TABLES`]. Each file says which of its strings were seen in a real export and which
//! follow WhatsApp's translations without such a check (unverified). Every template is matched against
//! the whole text after the header, with `{slot}`s capturing names:
//!
//! - `{by}`: who did it (one person); a template without `{by}` is the exporter's own action
//!   (`U hebt de groep verlaten`).
//! - `{who}`: who it happened to, one person or a list (`A, B en C`); absent means the exporter.
//! - `{group}`, `{from}`, `{to}`: group names, quotes (`"…"`, `“…”`, `‘…’`) removed.
//! - `{new}`: a new phone number.
//! - `{_}`: anything (the rest of a long notice).
//!
//! Earlier templates win, so specific ones (`heeft de groepsafbeelding verwijderd`) come before
//! general ones (`heeft {who} verwijderd`). A template ending in a literal also matches with a
//! final `.`.

pub(crate) mod ar;
pub(crate) mod de;
pub(crate) mod en;
pub(crate) mod es;
pub(crate) mod fr;
pub(crate) mod nl;
pub(crate) mod pl;
pub(crate) mod tr;

use crate::Language;
use crate::MediaKind;

/// What a template means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    Created,
    Added,
    /// Added, by someone the line does not name (iPhone: `X is toegevoegd`).
    AddedUnattributed,
    Removed,
    Left,
    JoinedViaLink,
    JoinedViaInvite,
    SubjectChanged,
    IconChanged,
    IconDeleted,
    DescriptionChanged,
    AdminGranted,
    AdminRevoked,
    NumberChanged,
    SecurityCodeChanged,
    EncryptionNotice,
}

/// Everything language-specific the reader needs.
#[derive(Debug)]
pub(crate) struct LanguageTable {
    pub language: Language,
    /// Names that mean the exporter (`u`, `U`, `je`, `Je`, `You`, `you`).
    pub exporter: &'static [&'static str],
    /// The word before the last name of a list (`A, B en C`), with its spaces.
    pub list_and: &'static str,
    /// Hints WhatsApp appends to some lines (`Tik voor meer informatie.`), ignored when matching.
    pub trailing_hints: &'static [&'static str],
    pub templates: &'static [(Meaning, &'static str)],
    /// Message texts that stand for a deleted message (a final `.` optional).
    pub deleted: &'static [&'static str],
    /// Message texts that stand for media left out of the export.
    pub media_omitted: &'static [(&'static str, MediaKind)],
    /// Android: `IMG-….jpg (bestand bijgevoegd)`.
    pub attached_suffix: &'static str,
    /// iPhone: `<bijgevoegd: 00000014-PHOTO-….jpg>`.
    pub attached_prefix: &'static str,
    /// Appended to an edited message's text.
    pub edited: &'static [&'static str],
}

/// Every language the reader knows, Dutch first.
pub(crate) static TABLES: &[&LanguageTable] = &[
    &nl::TABLE,
    &en::TABLE,
    &de::TABLE,
    &fr::TABLE,
    &es::TABLE,
    &tr::TABLE,
    &ar::TABLE,
    &pl::TABLE,
];
