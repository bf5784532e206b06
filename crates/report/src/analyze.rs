//! The analysis itself: inputs (the bytes of chat exports and data downloads, a class list,
//! who made each export) -> an [`Analysis`]. `erbij analyze` and the web app both call
//! [`analyze`], so what a coordinator sees in a case equals the command's output by
//! construction.
//!
//! Pure of file-system I/O: a caller hands in content it can reopen ([`Content`]; files
//! for the command, bytes in memory for the web) or an opened download (an unpacked
//! folder). Each chat is read twice (format, then events), reopened in between, and the
//! events stream through the summary and the detectors without being kept, so memory stays
//! bounded whatever the input's size. An input that cannot be read is reported in
//! `Analysis::errors` and the others are still analysed.

use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};

use erbij_chat::{Event, Events, ExportArchive, ReadError, detect_format};
use erbij_detect::{Analyzer, NameSource, Roster, Thresholds};
use erbij_social::{
    DownloadSource, EntryError, EntryInfo, Sniffed, ZipEntries, is_download_layout,
    is_download_path, is_tiktok_text_list, read_download, sniff,
};

use crate::{Analysis, ChatInfo, DownloadInfo, FileError, Language, social_language};

/// A reader that can also seek (zips need both).
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

/// The content of one input, which can be read from the start as often as needed.
pub trait Content {
    /// A fresh reader positioned at the start.
    fn open(&self) -> io::Result<Box<dyn ReadSeek + '_>>;
}

/// Bytes in memory (`Vec<u8>`, `&[u8]`, ...).
impl<T: AsRef<[u8]>> Content for T {
    fn open(&self) -> io::Result<Box<dyn ReadSeek + '_>> {
        Ok(Box::new(Cursor::new(self.as_ref())))
    }
}

/// Where an input's content comes from.
pub enum Source<'a> {
    /// One file's content (a chat `.txt`/`.zip`, a download `.zip`, JSON, HTML or TikTok
    /// TXT), recognised by content.
    Content(&'a dyn Content),
    /// A data download the caller opened itself (an unpacked folder).
    Download(Box<dyn DownloadSource + 'a>),
    /// The caller could not open it; the message (naming the input) is reported as is.
    Unreadable(String),
}

impl std::fmt::Debug for Source<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Content(_) => f.write_str("Content"),
            Source::Download(_) => f.write_str("Download"),
            Source::Unreadable(message) => f.debug_tuple("Unreadable").field(message).finish(),
        }
    }
}

/// One input of an analysis.
#[derive(Debug)]
pub struct Input<'a> {
    /// How the input is named in the report and in messages (a path, a file name).
    pub name: String,
    pub source: Source<'a>,
    /// Who made this export, when known (the file never says).
    pub exporter: Option<String>,
}

/// How to analyse.
#[derive(Debug, Clone)]
pub struct Options {
    pub language: Language,
    pub thresholds: Thresholds,
    /// The class list; without one, names are not matched to pupils.
    pub roster: Option<Roster>,
}

/// Reads every input, runs the detectors and returns what `erbij analyze` reports.
pub fn analyze(inputs: Vec<Input<'_>>, options: Options) -> Analysis {
    let Options {
        language,
        thresholds,
        roster,
    } = options;
    let chat_language = chat_language(language);
    let mut analyzer = Analyzer::new(roster, thresholds);
    // One file has nothing to be aligned with: keep no message fingerprints.
    analyzer.keep_fingerprints(inputs.len() > 1);
    let mut analysis = Analysis::default();
    for input in inputs {
        let Input {
            name,
            source,
            exporter,
        } = input;
        let content = match source {
            Source::Unreadable(message) => {
                analysis.errors.push(FileError {
                    file: name,
                    message,
                });
                continue;
            }
            Source::Download(mut download) => {
                let read = read_download(download.as_mut())
                    .map_err(|err| format!("{name}: {}", err.message(social_language(language))));
                add_download(
                    &mut analysis,
                    &mut analyzer,
                    name,
                    read,
                    exporter.as_deref(),
                );
                continue;
            }
            Source::Content(content) => content,
        };
        // Instagram/TikTok downloads are recognised by content; everything else is a chat.
        if let Some(read) = try_read_download(content, &name, social_language(language)) {
            add_download(
                &mut analysis,
                &mut analyzer,
                name,
                read,
                exporter.as_deref(),
            );
            continue;
        }
        match analyze_chat(
            content,
            &name,
            chat_language,
            &mut analyzer,
            exporter.as_deref(),
        ) {
            Ok(chat) => analysis.chats.push(chat),
            Err(err) => analysis.errors.push(FileError {
                file: name,
                message: err.message(chat_language),
            }),
        }
    }
    if !analysis.chats.is_empty() || !analysis.downloads.is_empty() {
        analysis.report = Some(analyzer.finish());
    }
    analysis
}

fn chat_language(language: Language) -> erbij_chat::Language {
    match language {
        Language::Dutch => erbij_chat::Language::Dutch,
        Language::English => erbij_chat::Language::English,
    }
}

fn add_download(
    analysis: &mut Analysis,
    analyzer: &mut Analyzer,
    file: String,
    read: Result<erbij_social::Download, String>,
    exporter: Option<&str>,
) {
    match read {
        Ok(download) => {
            let mut info = DownloadInfo::new(file.clone(), &download);
            info.exporter = exporter
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned);
            analysis.downloads.push(info);
            // Whose download it is, as said, counts only when the download does not say.
            analyzer.add_download_of(file, download, exporter);
        }
        Err(message) => analysis.errors.push(FileError { file, message }),
    }
}

// ---------------------------------------------------------------------------------------
// Data downloads: recognised by content, read within the reader's bounds.

/// One file's content as a download of a single entry, read only when asked and never
/// beyond the limit.
struct SingleEntry<'a> {
    content: &'a dyn Content,
    infos: Vec<EntryInfo>,
}

impl<'a> SingleEntry<'a> {
    fn new(content: &'a dyn Content, name: &str) -> io::Result<SingleEntry<'a>> {
        let size = content.open()?.seek(SeekFrom::End(0))?;
        let entry = name.rsplit(['/', '\\']).next().unwrap_or(name);
        Ok(SingleEntry {
            content,
            infos: vec![EntryInfo {
                path: entry.to_owned(),
                size,
            }],
        })
    }
}

impl DownloadSource for SingleEntry<'_> {
    fn entries(&self) -> &[EntryInfo] {
        &self.infos
    }

    fn read(&mut self, path: &str, limit: u64) -> Result<Vec<u8>, EntryError> {
        let info = self
            .infos
            .iter()
            .find(|info| info.path == path)
            .ok_or(EntryError::NotFound)?;
        if info.size > limit {
            return Err(EntryError::TooLarge { limit });
        }
        let reader = self
            .content
            .open()
            .map_err(|e| EntryError::Damaged(e.to_string()))?;
        let mut bytes = Vec::with_capacity(usize::try_from(info.size).unwrap_or(0));
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| EntryError::Damaged(e.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(EntryError::TooLarge { limit });
        }
        Ok(bytes)
    }
}

enum Recognised<'a> {
    Single,
    Zip(Box<ZipEntries<Box<dyn ReadSeek + 'a>>>),
    /// A zip whose directory cannot be read, but whose first entry is part of a download.
    DamagedZip(erbij_social::ReadError),
}

/// Whether the content is a data download: a zip laid out like one, a JSON or HTML file,
/// or TikTok's TXT list. A chat export (a `.txt`, or a zip with a chat text) is not;
/// neither is anything we cannot open (the chat reader then says why).
fn recognise<'a>(content: &'a dyn Content, name: &str) -> Option<Recognised<'a>> {
    let mut head = [0u8; 512];
    let mut reader = content.open().ok()?;
    let read = read_head(&mut reader, &mut head).ok()?;
    let head = &head[..read];
    match sniff(head) {
        Sniffed::Json | Sniffed::Html => Some(Recognised::Single),
        Sniffed::Zip => {
            let zip = match ZipEntries::open(content.open().ok()?, name) {
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

/// Reads up to `buf.len()` bytes (fewer only at the end).
fn read_head(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// The name in a zip's first local file header (`PK\x03\x04`, name length at 26, name at 30).
fn first_zip_entry_name(head: &[u8]) -> Option<String> {
    let length = usize::from(*head.get(26)?) | usize::from(*head.get(27)?) << 8;
    let name = head.get(30..30 + length)?;
    Some(String::from_utf8_lossy(name).into_owned())
}

/// Reads the content when it is a download: `None` when it is not (a chat export), else
/// the download or why it cannot be read (naming the input, in `language`).
fn try_read_download(
    content: &dyn Content,
    name: &str,
    language: erbij_social::Language,
) -> Option<Result<erbij_social::Download, String>> {
    let message = |err: erbij_social::ReadError| format!("{name}: {}", err.message(language));
    let io_message = |err: io::Error| match language {
        erbij_social::Language::Dutch => format!("{name}: kan niet gelezen worden ({err})"),
        erbij_social::Language::English => format!("{name}: cannot be read ({err})"),
    };
    Some(match recognise(content, name)? {
        Recognised::Single => SingleEntry::new(content, name)
            .map_err(io_message)
            .and_then(|mut source| read_download(&mut source).map_err(message)),
        Recognised::Zip(mut zip) => read_download(zip.as_mut()).map_err(message),
        Recognised::DamagedZip(err) => Err(err.message(language)),
    })
}

// ---------------------------------------------------------------------------------------
// Chat exports: two passes over the text, events streamed to the detectors.

const BUFFER: usize = 256 * 1024;
/// Events handed from the reading thread to the detecting one at a time.
const BATCH: usize = 1024;

fn is_zip(content: &dyn Content) -> io::Result<bool> {
    let mut magic = [0u8; 4];
    let n = read_head(&mut content.open()?, &mut magic)?;
    Ok(n == 4 && magic == *b"PK\x03\x04")
}

/// Runs `pass` on a fresh reader of the chat text: the content itself, or its zip entry.
fn with_chat_text<T>(
    content: &dyn Content,
    name: &str,
    zip: bool,
    pass: impl FnOnce(&mut dyn Read) -> Result<T, ReadError>,
) -> Result<T, ReadError> {
    let io_error = |source| ReadError::Io {
        name: name.to_owned(),
        source,
    };
    let mut reader = content.open().map_err(io_error)?;
    if zip {
        let mut archive = ExportArchive::open(reader, name)?;
        let mut entry = archive.chat_reader()?;
        pass(&mut entry)
    } else {
        pass(&mut reader)
    }
}

/// What an analysis keeps of an archive beyond its chat text.
struct ExportArchiveInfo {
    title: Option<String>,
    media: usize,
}

impl<R: Read + Seek> From<&ExportArchive<R>> for ExportArchiveInfo {
    fn from(archive: &ExportArchive<R>) -> Self {
        ExportArchiveInfo {
            title: archive.chat_title(),
            media: archive.media().len(),
        }
    }
}

fn analyze_chat(
    content: &dyn Content,
    name: &str,
    language: erbij_chat::Language,
    analyzer: &mut Analyzer,
    exporter: Option<&str>,
) -> Result<ChatInfo, ReadError> {
    let io_error = |source| ReadError::Io {
        name: name.to_owned(),
        source,
    };
    let zip = is_zip(content).map_err(io_error)?;
    let archive_info = if zip {
        let reader = content.open().map_err(io_error)?;
        Some(ExportArchiveInfo::from(&ExportArchive::open(reader, name)?))
    } else {
        None
    };
    // The first pass reads line by line through a buffer; the second reads big chunks itself.
    let format = with_chat_text(content, name, zip, |reader| {
        detect_format(BufReader::with_capacity(BUFFER, reader), name)
    })?;
    // Reading and detecting run side by side: this thread reads, a second one feeds the
    // detectors, which also gather the chat's summary; used batches come back to be freed.
    let (diagnostics, facts) = with_chat_text(content, name, zip, |reader| {
        let mut events = Events::new(reader, &format);
        let scanner = analyzer.scan_chat(exporter);
        std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<Event>>(8);
            // Used batches go back to be freed here, which balances the two threads' work.
            let (returner, returned) = std::sync::mpsc::channel::<Vec<Event>>();
            let worker = scope.spawn(move || {
                let mut scanner = scanner;
                for batch in receiver {
                    for event in &batch {
                        scanner.push(event);
                    }
                    let _ = returner.send(batch);
                }
                scanner.finish()
            });
            let mut batch = Vec::with_capacity(BATCH);
            for event in events.by_ref() {
                batch.push(event);
                if batch.len() == BATCH {
                    let mut next = returned.try_recv().unwrap_or_default();
                    next.clear();
                    next.reserve(BATCH);
                    let full = std::mem::replace(&mut batch, next);
                    if sender.send(full).is_err() {
                        break;
                    }
                }
            }
            if !batch.is_empty() {
                let _ = sender.send(batch);
            }
            drop(sender);
            let facts = worker.join().map_err(|_| ReadError::Io {
                name: name.to_owned(),
                source: io::Error::other(
                    "interne fout bij het analyseren / internal error while analysing",
                ),
            })?;
            Ok((events.into_diagnostics(), facts))
        })
    })?;
    let mut facts = facts;
    // Every name source feeds the group's name, each with where it was read.
    if let Some(hint) = &format.group_hint {
        facts.add_name_hint(NameSource::EncryptionNotice, hint, hint);
    }
    if let Some(title) = archive_info.as_ref().and_then(|a| a.title.clone()) {
        facts.add_name_hint(NameSource::ZipTitle, &title, &title);
    }
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if let Some(title) = erbij_chat::title_from_file_name(file_name) {
        let source = if zip {
            NameSource::ZipTitle
        } else {
            NameSource::FileName
        };
        facts.add_name_hint(source, &title, file_name);
    }
    let group = format
        .group_hint
        .clone()
        .or_else(|| facts.group_name().map(str::to_string))
        .or_else(|| facts.name_hints.first().map(|h| h.name.clone()));
    let info = ChatInfo {
        file: name.to_owned(),
        platform: "whatsapp".into(),
        variant: format.variant.code().into(),
        language: if format.language_recognised || facts.unreadable_system_lines == 0 {
            format.language.code().into()
        } else {
            "unknown".into()
        },
        unreadable_system_lines: facts.unreadable_system_lines,
        group,
        messages: facts.messages,
        system_events: facts.system_events,
        participants: facts.participants(),
        start: facts.start,
        end: facts.end,
        diagnostics: diagnostics
            .iter()
            .map(|d| (d.line, d.kind.message(language)))
            .collect(),
        media_files: archive_info.map(|a| a.media),
        membership: facts.membership.clone(),
    };
    analyzer.add(facts);
    Ok(info)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chat_in_memory_is_read_and_an_empty_input_reported() {
        let chat: &[u8] = b"12-03-2024 09:15 - Sanne: Hoi allemaal\n12-03-2024 09:16 - Daan: Hoi\n";
        let empty: &[u8] = b"";
        let analysis = analyze(
            vec![
                Input {
                    name: "chat.txt".into(),
                    source: Source::Content(&chat),
                    exporter: None,
                },
                Input {
                    name: "leeg.txt".into(),
                    source: Source::Content(&empty),
                    exporter: None,
                },
            ],
            Options {
                language: Language::Dutch,
                thresholds: Thresholds::default(),
                roster: None,
            },
        );
        assert_eq!(analysis.chats.len(), 1);
        assert_eq!(analysis.chats[0].messages, 2);
        assert_eq!(analysis.errors.len(), 1);
        assert_eq!(analysis.errors[0].file, "leeg.txt");
        assert!(analysis.report.is_some());
    }
}
