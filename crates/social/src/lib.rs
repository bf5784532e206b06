//! Reads Instagram and TikTok data downloads into follower and following lists.
//!
//! A pupil can ask Instagram or TikTok for a copy of their data and hand it in like a chat
//! export. This crate reads the JSON variants of those downloads (a zip, an unpacked
//! folder, or a single file, handed in as entries by the caller) into typed relationships
//! with the file and list position they came from, plus diagnostics.
//!
//! It never panics and never reads without bound: JSON entries above
//! [`MAX_JSON_ENTRY_BYTES`] are refused with a message, zips are inflated lazily and
//! within limits. It does no file-system I/O itself and knows nothing of pupils or
//! classes; `erbij-detect` matches accounts to a class list. Where a download's structure
//! is not the one we know, it says what it found instead of guessing.

mod download;
mod error;
mod instagram;
mod outline;
mod source;
mod tiktok;
mod time;

pub use download::{
    AccountName, Direction, Download, MadeAtSource, Platform, Relationship, Sniffed,
    is_download_layout, is_download_path, is_tiktok_text_list, read_download, sniff,
};
pub use error::{Diagnostic, DiagnosticKind, Language, ReadError};
pub use source::{
    DownloadSource, EntryError, EntryInfo, MAX_JSON_ENTRY_BYTES, MAX_ZIP_ENTRIES,
    MAX_ZIP_TOTAL_READ_BYTES, MemoryEntries, ZipEntries,
};
pub use time::Moment;
