//! Unpacked Instagram and TikTok download folders in `erbij analyze`: listing them and
//! reading their files from disk within bounds (single files and zips are recognised by
//! content in `erbij_report::analyze`).
//!
//! Reading the lists is `erbij-social`'s, comparing them with the class `erbij-detect`'s,
//! showing them `erbij-report`'s; this module only opens files, lazily and never more than
//! the reader's limit into memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use erbij_report::Source;
use erbij_social::{DownloadSource, EntryError, EntryInfo, Language, MAX_ZIP_ENTRIES};

/// Files of a folder (or one file) on disk, read only when asked and never beyond the limit.
#[derive(Debug)]
struct FileEntries {
    infos: Vec<EntryInfo>,
    paths: Vec<PathBuf>,
    skipped: Vec<String>,
}

/// Folders deeper than this are not a download.
const MAX_FOLDER_DEPTH: usize = 16;

impl FileEntries {
    fn folder(root: &Path) -> io::Result<FileEntries> {
        let mut entries = FileEntries {
            infos: Vec::new(),
            paths: Vec::new(),
            skipped: Vec::new(),
        };
        let mut pending = vec![(root.to_path_buf(), 0usize)];
        while let Some((dir, depth)) = pending.pop() {
            let mut children: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
            children.sort_by_key(std::fs::DirEntry::file_name);
            for child in children {
                let path = child.path();
                // Symbolic links could lead out of the download: never followed.
                let kind = child.file_type()?;
                let relative = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                if kind.is_symlink() || (kind.is_dir() && depth >= MAX_FOLDER_DEPTH) {
                    entries.skipped.push(relative);
                } else if kind.is_dir() {
                    pending.push((path, depth + 1));
                } else if kind.is_file() {
                    if entries.infos.len() >= MAX_ZIP_ENTRIES {
                        return Err(io::Error::other(format!(
                            "more than {MAX_ZIP_ENTRIES} files"
                        )));
                    }
                    let size = child.metadata()?.len();
                    entries.infos.push(EntryInfo {
                        path: relative,
                        size,
                    });
                    entries.paths.push(path);
                }
            }
        }
        Ok(entries)
    }
}

impl DownloadSource for FileEntries {
    fn entries(&self) -> &[EntryInfo] {
        &self.infos
    }

    fn read(&mut self, path: &str, limit: u64) -> Result<Vec<u8>, EntryError> {
        let index = self
            .infos
            .iter()
            .position(|info| info.path == path)
            .ok_or(EntryError::NotFound)?;
        let file_path = self.paths.get(index).ok_or(EntryError::NotFound)?;
        let file = File::open(file_path).map_err(|e| EntryError::Damaged(e.to_string()))?;
        let size = file
            .metadata()
            .map_err(|e| EntryError::Damaged(e.to_string()))?
            .len();
        if size > limit {
            return Err(EntryError::TooLarge { limit });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        file.take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| EntryError::Damaged(e.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(EntryError::TooLarge { limit });
        }
        Ok(bytes)
    }

    fn skipped_paths(&self) -> &[String] {
        &self.skipped
    }
}

/// An unpacked download folder as an analysis input: its files, read lazily and within
/// the reader's bounds, or why the folder cannot be listed (naming it, in `language`).
pub fn folder(path: &Path, language: Language) -> Source<'static> {
    match FileEntries::folder(path) {
        Ok(entries) => Source::Download(Box::new(entries)),
        Err(err) => Source::Unreadable(match language {
            Language::Dutch => format!("{}: kan niet gelezen worden ({err})", path.display()),
            Language::English => format!("{}: cannot be read ({err})", path.display()),
        }),
    }
}
