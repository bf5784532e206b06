//! Where the bytes of a download come from: a list of entries the caller read, or a zip
//! the caller opened. The library itself never touches the file system.
//!
//! Every read is bounded: an entry is read through `take(limit + 1)`, so neither a size
//! a zip declares nor a file that grew after it was listed can make us hold more than
//! the limit in memory.

use std::io::{Read, Seek};

use crate::download::MadeAtSource;
use crate::error::ReadError;
use crate::time::Moment;

/// The largest JSON entry we read into memory. Follower files of a pupil's account are
/// kilobytes; a TikTok `user_data.json` of a heavy user is some tens of megabytes. Above
/// this we refuse with a message rather than risk a school laptop's memory.
pub const MAX_JSON_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// The most entries a zip may list. Instagram downloads with years of photos hold some
/// thousands; a million-entry zip is a trick, not a download.
pub const MAX_ZIP_ENTRIES: usize = 200_000;

/// The most bytes we inflate from one zip in total, over all entries we read.
pub const MAX_ZIP_TOTAL_READ_BYTES: u64 = 4 * MAX_JSON_ENTRY_BYTES;

/// One file inside a download: its path with `/` separators, relative to the download's
/// root, and its size as listed (for a zip: as the zip declares, which may lie).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    pub path: String,
    pub size: u64,
}

impl EntryInfo {
    /// The last path component, e.g. `followers_1.json`.
    pub fn file_name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// Why an entry could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryError {
    /// The entry holds more than `limit` bytes.
    TooLarge {
        limit: u64,
    },
    /// The bytes could not be read or inflated (damaged or truncated zip, I/O error).
    Damaged(String),
    /// The zip entry is password-protected.
    Encrypted,
    NotFound,
}

/// A data download as a set of entries that can be read one at a time.
///
/// Implemented here for entries already in memory ([`MemoryEntries`]) and for a zip read
/// from any `Read + Seek` ([`ZipEntries`]); the `erbij` binary implements it for an
/// unpacked folder.
pub trait DownloadSource {
    /// Every file entry (no directories), in a stable order.
    fn entries(&self) -> &[EntryInfo];

    /// The whole entry, refusing more than `limit` bytes whatever its listed size.
    fn read(&mut self, path: &str, limit: u64) -> Result<Vec<u8>, EntryError>;

    /// When the download itself says it was made, if it does (a zip's entry times).
    fn made_at(&self) -> Option<(Moment, MadeAtSource)> {
        None
    }

    /// Paths that were left out because they try to leave the download's folder or are
    /// otherwise unusable (`../x`, absolute paths); reported as diagnostics.
    fn skipped_paths(&self) -> &[String] {
        &[]
    }
}

/// Entries the caller has read already, e.g. an unpacked folder or a single JSON file.
#[derive(Debug, Clone, Default)]
pub struct MemoryEntries {
    infos: Vec<EntryInfo>,
    bytes: Vec<Vec<u8>>,
    made_at: Option<Moment>,
}

impl MemoryEntries {
    /// `entries` are `(path, bytes)` pairs; `\` in paths is read as `/`.
    pub fn new(entries: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        let mut this = MemoryEntries::default();
        for (path, bytes) in entries {
            this.infos.push(EntryInfo {
                path: normalise_separators(&path),
                size: bytes.len() as u64,
            });
            this.bytes.push(bytes);
        }
        this
    }

    /// Says when the download was made, when the caller knows it from the files.
    pub fn with_made_at(mut self, made_at: Option<Moment>) -> Self {
        self.made_at = made_at;
        self
    }
}

impl DownloadSource for MemoryEntries {
    fn entries(&self) -> &[EntryInfo] {
        &self.infos
    }

    fn read(&mut self, path: &str, limit: u64) -> Result<Vec<u8>, EntryError> {
        let index = self
            .infos
            .iter()
            .position(|info| info.path == path)
            .ok_or(EntryError::NotFound)?;
        let bytes = self.bytes.get(index).ok_or(EntryError::NotFound)?;
        if bytes.len() as u64 > limit {
            return Err(EntryError::TooLarge { limit });
        }
        Ok(bytes.clone())
    }

    fn made_at(&self) -> Option<(Moment, MadeAtSource)> {
        self.made_at.map(|m| (m, MadeAtSource::Caller))
    }
}

/// A zip archive read lazily: listing reads only the central directory; an entry is
/// inflated only when asked for, and never beyond the limit.
#[derive(Debug)]
pub struct ZipEntries<R: Read + Seek> {
    archive: zip::ZipArchive<R>,
    infos: Vec<EntryInfo>,
    /// Index in the archive for each entry in `infos`.
    indices: Vec<usize>,
    skipped: Vec<String>,
    made_at: Option<Moment>,
    read_so_far: u64,
}

impl<R: Read + Seek> ZipEntries<R> {
    /// Opens the archive's directory. `file` names the zip in messages.
    pub fn open(reader: R, file: &str) -> Result<Self, ReadError> {
        let mut archive = zip::ZipArchive::new(reader).map_err(|err| ReadError::DamagedZip {
            file: file.to_owned(),
            detail: err.to_string(),
        })?;
        if archive.len() > MAX_ZIP_ENTRIES {
            return Err(ReadError::TooManyEntries {
                file: file.to_owned(),
                count: archive.len(),
                limit: MAX_ZIP_ENTRIES,
            });
        }
        let mut infos = Vec::new();
        let mut indices = Vec::new();
        let mut skipped = Vec::new();
        let mut latest: Option<Moment> = None;
        for index in 0..archive.len() {
            // `by_index_raw` reads metadata without starting to inflate anything.
            let Ok(entry) = archive.by_index_raw(index) else {
                skipped.push(format!("#{}", index + 1));
                continue;
            };
            if entry.is_dir() {
                continue;
            }
            let raw_name = normalise_separators(entry.name());
            // We never write entries to disk, but a path that climbs out of the download
            // or is absolute is not something Instagram or TikTok make: leave it out.
            if entry.enclosed_name().is_none() || raw_name.starts_with('/') {
                skipped.push(raw_name);
                continue;
            }
            if let Some(time) = entry.last_modified().and_then(zip_time_to_moment) {
                latest = Some(latest.map_or(time, |l| l.max(time)));
            }
            infos.push(EntryInfo {
                path: raw_name,
                size: entry.size(),
            });
            indices.push(index);
        }
        Ok(ZipEntries {
            archive,
            infos,
            indices,
            skipped,
            made_at: latest,
            read_so_far: 0,
        })
    }
}

impl<R: Read + Seek> DownloadSource for ZipEntries<R> {
    fn entries(&self) -> &[EntryInfo] {
        &self.infos
    }

    fn read(&mut self, path: &str, limit: u64) -> Result<Vec<u8>, EntryError> {
        let position = self
            .infos
            .iter()
            .position(|info| info.path == path)
            .ok_or(EntryError::NotFound)?;
        let index = *self.indices.get(position).ok_or(EntryError::NotFound)?;
        let budget = MAX_ZIP_TOTAL_READ_BYTES.saturating_sub(self.read_so_far);
        let limit = limit.min(budget);
        let entry = match self.archive.by_index(index) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(reason))
                if reason == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                return Err(EntryError::Encrypted);
            }
            Err(err) => return Err(EntryError::Damaged(err.to_string())),
        };
        if entry.encrypted() {
            return Err(EntryError::Encrypted);
        }
        // The declared size is a hint for the early refusal only; the `take` below is
        // what actually bounds memory.
        if entry.size() > limit {
            return Err(EntryError::TooLarge { limit });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size().min(limit)).unwrap_or(0));
        let read = entry
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|err| EntryError::Damaged(err.to_string()))?;
        self.read_so_far = self.read_so_far.saturating_add(read as u64);
        if read as u64 > limit {
            return Err(EntryError::TooLarge { limit });
        }
        Ok(bytes)
    }

    fn made_at(&self) -> Option<(Moment, MadeAtSource)> {
        self.made_at.map(|m| (m, MadeAtSource::ZipEntryTimes))
    }

    fn skipped_paths(&self) -> &[String] {
        &self.skipped
    }
}

fn normalise_separators(path: &str) -> String {
    path.replace('\\', "/").trim_start_matches("./").to_owned()
}

// Zip entry times are MS-DOS wall-clock times without a zone. We read them as Dutch time,
// so the report shows the time a teacher sees when opening the zip; the report calls the
// result approximate (the platform may have written UTC: up to two hours off).
fn zip_time_to_moment(time: zip::DateTime) -> Option<Moment> {
    // DOS times start in 1980; the zip crate's default for "no time" is 1980-01-01.
    if time.year() <= 1980 {
        return None;
    }
    Moment::from_amsterdam_fields(
        time.year(),
        time.month(),
        time.day(),
        time.hour(),
        time.minute(),
        time.second(),
    )
}
