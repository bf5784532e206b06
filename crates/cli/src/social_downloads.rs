//! Instagram and TikTok data downloads in `erbij analyze`: telling them from chat exports
//! by content and reading them from disk within bounds.
//!
//! Reading the lists is `erbij-social`'s, comparing them with the class `erbij-detect`'s,
//! showing them `erbij-report`'s; this module only opens files, lazily and never more than
//! the reader's limit into memory.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use erbij_social::{
    Download, DownloadSource, EntryError, EntryInfo, Language, MAX_ZIP_ENTRIES, ReadError, Sniffed,
    ZipEntries, is_download_layout, is_download_path, is_tiktok_text_list, read_download, sniff,
};

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
    fn single(path: &Path) -> io::Result<FileEntries> {
        let size = std::fs::metadata(path)?.len();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(FileEntries {
            infos: vec![EntryInfo { path: name, size }],
            paths: vec![path.to_path_buf()],
            skipped: Vec::new(),
        })
    }

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

enum Recognised {
    Folder,
    Single,
    Zip(Box<ZipEntries<File>>),
    /// A zip whose directory cannot be read, but whose first entry is part of a download.
    DamagedZip(ReadError),
}

/// Whether `path` is a data download (by content): a folder, a zip laid out like one, a
/// JSON or HTML file, or TikTok's TXT list. A chat export (a `.txt`, or a zip with a chat
/// text) is not; neither is anything we cannot open (the chat reader then says why).
fn recognise(path: &Path) -> Option<Recognised> {
    let name = path.display().to_string();
    if path.is_dir() {
        return Some(Recognised::Folder);
    }
    let mut head = [0u8; 512];
    let mut file = File::open(path).ok()?;
    let read = file.read(&mut head).ok()?;
    let head = &head[..read];
    match sniff(head) {
        Sniffed::Json | Sniffed::Html => Some(Recognised::Single),
        Sniffed::Zip => {
            let zip = match ZipEntries::open(File::open(path).ok()?, &name) {
                Ok(zip) => zip,
                // Cut off while downloading: the entries' list at the end is gone, the first
                // entry's header at the start is not. Its name says whose zip it is.
                Err(err) => {
                    return first_zip_entry_name(head)
                        .is_some_and(|first| is_download_path(&first))
                        .then_some(Recognised::DamagedZip(err));
                }
            };
            let entries = zip.entries();
            let has_text = entries.iter().any(|e| e.path.ends_with(".txt"));
            let has_json = entries.iter().any(|e| e.path.ends_with(".json"));
            (is_download_layout(entries) || (has_json && !has_text))
                .then(|| Recognised::Zip(Box::new(zip)))
        }
        Sniffed::Other => is_tiktok_text_list(head).then_some(Recognised::Single),
    }
}

/// The name in a zip's first local file header (`PK\x03\x04`, name length at 26, name at 30).
fn first_zip_entry_name(head: &[u8]) -> Option<String> {
    let length = usize::from(*head.get(26)?) | usize::from(*head.get(27)?) << 8;
    let name = head.get(30..30 + length)?;
    Some(String::from_utf8_lossy(name).into_owned())
}

/// Reads `path` when it is a download: `None` when it is not (a chat export), else the
/// download or why it cannot be read (naming the file, in `language`).
pub fn try_read(path: &Path, language: Language) -> Option<Result<Download, String>> {
    let name = path.display().to_string();
    let message = |err: ReadError| format!("{name}: {}", err.message(language));
    let io_message = |err: io::Error| match language {
        Language::Dutch => format!("{name}: kan niet gelezen worden ({err})"),
        Language::English => format!("{name}: cannot be read ({err})"),
    };
    Some(match recognise(path)? {
        Recognised::Folder => FileEntries::folder(path)
            .map_err(io_message)
            .and_then(|mut source| read_download(&mut source).map_err(message)),
        Recognised::Single => FileEntries::single(path)
            .map_err(io_message)
            .and_then(|mut source| read_download(&mut source).map_err(message)),
        Recognised::Zip(mut zip) => read_download(zip.as_mut()).map_err(message),
        Recognised::DamagedZip(err) => Err(err.message(language)),
    })
}
