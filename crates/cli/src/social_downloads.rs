//! Instagram and TikTok data downloads in `erbij analyze`: telling them from chat exports
//! by content, reading them from disk within bounds, and reporting what they show.
//!
//! The reading and the analysis live in `erbij-social` and `erbij-detect`; this module
//! only opens files (lazily, never more than the readers' limit into memory) and turns
//! results into the JSON and text of the report.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use erbij_detect::Roster;
use erbij_detect::unfollow::{
    AccountAnalysis, AccountList, ClassmateEntry, HandedIn, OrderBasis, UnfollowCluster, analyse,
};
use erbij_social::{
    Download, DownloadSource, EntryError, EntryInfo, MAX_ZIP_ENTRIES, MadeAtSource, ReadError,
    Sniffed, ZipEntries, is_download_layout, is_download_path, is_tiktok_text_list, read_download,
    sniff,
};
use serde_json::{Value, json};

/// Which language the report speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Dutch,
    English,
}

impl Lang {
    fn social(self) -> erbij_social::Language {
        match self {
            Lang::Dutch => erbij_social::Language::Dutch,
            Lang::English => erbij_social::Language::English,
        }
    }

    fn detect(self) -> erbij_detect::Language {
        match self {
            Lang::Dutch => erbij_detect::Language::Dutch,
            Lang::English => erbij_detect::Language::English,
        }
    }
}

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

/// The downloads handed in, in the order given.
#[derive(Debug, Default)]
pub struct Downloads {
    read: Vec<(String, Download)>,
}

impl Downloads {
    /// Reads `path` when it is a download: `None` when it is not (a chat export), else
    /// whether it could be read (the error message in the report's language).
    pub fn try_read(&mut self, path: &Path, lang: Lang) -> Option<Result<(), String>> {
        let name = path.display().to_string();
        let recognised = recognise(path)?;
        let result = match recognised {
            Recognised::Folder => FileEntries::folder(path)
                .map_err(|e| io_message(&name, &e, lang))
                .and_then(|mut source| {
                    read_download(&mut source).map_err(|e| message(&name, &e, lang))
                }),
            Recognised::Single => FileEntries::single(path)
                .map_err(|e| io_message(&name, &e, lang))
                .and_then(|mut source| {
                    read_download(&mut source).map_err(|e| message(&name, &e, lang))
                }),
            Recognised::Zip(mut zip) => {
                read_download(zip.as_mut()).map_err(|e| message(&name, &e, lang))
            }
            Recognised::DamagedZip(err) => Err(err.message(lang.social())),
        };
        Some(result.map(|download| self.read.push((name, download))))
    }

    pub fn is_empty(&self) -> bool {
        self.read.is_empty()
    }

    /// Compares the downloads with the class list.
    pub fn analyse(&self, roster: Option<&Roster>) -> SocialReport<'_> {
        let class = roster.map(AccountList::from_roster).unwrap_or_default();
        let handed_in: Vec<HandedIn<'_>> = self
            .read
            .iter()
            .map(|(file, download)| HandedIn { file, download })
            .collect();
        let accounts = if self.read.is_empty() {
            Vec::new()
        } else {
            analyse(&handed_in, &class)
        };
        SocialReport {
            downloads: &self.read,
            accounts,
            roster_accounts: class.len(),
        }
    }
}

fn message(file: &str, err: &ReadError, lang: Lang) -> String {
    format!("{file}: {}", err.message(lang.social()))
}

fn io_message(file: &str, err: &io::Error, lang: Lang) -> String {
    match lang {
        Lang::Dutch => format!("{file}: kan niet gelezen worden ({err})"),
        Lang::English => format!("{file}: cannot be read ({err})"),
    }
}

/// What the downloads show, ready for the report.
#[derive(Debug)]
pub struct SocialReport<'a> {
    downloads: &'a [(String, Download)],
    accounts: Vec<AccountAnalysis>,
    roster_accounts: usize,
}

fn time_text(moment: Option<erbij_social::Moment>) -> Value {
    moment.map_or(Value::Null, |m| Value::String(m.to_string()))
}

fn entry_json(entry: &ClassmateEntry) -> Value {
    json!({
        "pupil": entry.pupil,
        "account": entry.account.as_str(),
        "since": time_text(entry.since),
        "download": entry.download,
        "file": entry.file,
        "entry": entry.entry,
        "position": entry.position,
    })
}

impl SocialReport<'_> {
    /// Whether the account's newest download holds a follower list at all.
    fn newest_has_followers(&self, account: &AccountAnalysis) -> bool {
        account
            .downloads
            .last()
            .and_then(|&i| self.downloads.get(i))
            .is_some_and(|(_, d)| d.followers.is_some())
    }

    /// Adds `unfollow_cluster` findings to `findings`, and the `downloads` and
    /// `social_accounts` sections, to the JSON erbij-report rendered.
    pub fn add_to_json(&self, rendered: &str, lang: Lang) -> String {
        let Ok(Value::Object(mut root)) = serde_json::from_str::<Value>(rendered) else {
            return rendered.to_owned();
        };
        let mut findings = match root.remove("findings") {
            Some(Value::Array(findings)) => findings,
            _ => Vec::new(),
        };
        findings.extend(self.findings_json(lang));
        root.insert("findings".into(), Value::Array(findings));
        root.insert("downloads".into(), Value::Array(self.downloads_json(lang)));
        root.insert("social_accounts".into(), Value::Array(self.accounts_json()));
        serde_json::to_string_pretty(&Value::Object(root))
            .map_or_else(|_| rendered.to_owned(), |json| json + "\n")
    }

    /// Appends the downloads' section to the text report.
    pub fn add_to_text(&self, mut rendered: String, lang: Lang) -> String {
        if !rendered.is_empty() && !rendered.ends_with("\n\n") {
            rendered.push('\n');
        }
        rendered.push_str(&self.render_text(lang));
        rendered
    }

    /// Inserts the downloads' section into the HTML page, before its `</main>`.
    pub fn add_to_html(&self, mut rendered: String, lang: Lang) -> String {
        let section = self.render_html(lang);
        match rendered.rfind("</main>") {
            Some(at) => rendered.insert_str(at, &section),
            None => rendered.push_str(&section),
        }
        rendered
    }

    /// `unfollow_cluster` findings in the shape of the chat findings; evidence points at
    /// a download (`download`, `file`, `entry`, `position`) instead of a chat line.
    fn findings_json(&self, lang: Lang) -> Vec<Value> {
        self.clusters()
            .map(|cluster| {
                let language = lang.detect();
                json!({
                    "kind": UnfollowCluster::KIND,
                    "subject": cluster.subject_name(language),
                    "actors": cluster.actors,
                    "platform": cluster.platform.roster_key(),
                    "download": cluster.after,
                    "downloads": [cluster.before, cluster.after],
                    "at": cluster.at().map(|t| t.to_string()),
                    "confidence": cluster.confidence.as_str(),
                    "confidence_reason": cluster.confidence_reason(language),
                    "evidence": cluster.evidence(language).into_iter().map(|e| json!({
                        "download": e.download,
                        "file": e.file,
                        "entry": e.entry,
                        "position": e.position,
                        "text": e.text,
                    })).collect::<Vec<_>>(),
                    "explanation": cluster.explanation(language),
                })
            })
            .collect()
    }

    fn clusters(&self) -> impl Iterator<Item = &UnfollowCluster> {
        self.accounts.iter().flat_map(|a| a.clusters.iter())
    }

    /// The `downloads` section: one item per download handed in.
    fn downloads_json(&self, lang: Lang) -> Vec<Value> {
        self.downloads
            .iter()
            .map(|(file, download)| {
                json!({
                    "file": file,
                    "platform": download.platform.roster_key(),
                    "account": download.owner.as_ref().map(|o| o.as_str()),
                    "made_at": time_text(download.made_at.map(|(m, _)| m)),
                    "made_at_source": download.made_at.map(|(_, source)| match source {
                        MadeAtSource::ZipEntryTimes => "zip_entry_times",
                        MadeAtSource::Caller => "caller",
                    }),
                    "newest_entry": time_text(download.newest_entry_time()),
                    "followers": download.followers.as_ref().map(Vec::len),
                    "following": download.following.as_ref().map(Vec::len),
                    "diagnostics": download.diagnostics.iter().map(|d| json!({
                        "entry": d.entry,
                        "position": d.position,
                        "message": d.message(lang.social()),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    /// The `social_accounts` section: per account, the class in its lists and who stopped.
    fn accounts_json(&self) -> Vec<Value> {
        self.accounts
            .iter()
            .map(|account| {
                json!({
                    "platform": account.platform.roster_key(),
                    "account": account.owner.as_ref().map(|o| o.as_str()),
                    "pupil": account.subject,
                    "downloads": account.downloads,
                    "order": match account.order {
                        OrderBasis::MadeAt => "made_at",
                        OrderBasis::GivenOrder => "given_order",
                    },
                    "classmates_following": account.classmates_following.iter().map(entry_json).collect::<Vec<_>>(),
                    "not_following_back": account.not_following_back.as_ref().map(|list| list.iter().map(entry_json).collect::<Vec<_>>()),
                    "order_doubts": account.order_doubts,
                    "unfollows": account.unfollows.iter().map(|u| json!({
                        "pupil": u.earlier.pupil,
                        "account": u.earlier.account.as_str(),
                        "followed_since": time_text(u.earlier.since),
                        "still_following_in": u.earlier.download,
                        "no_longer_in": u.later_download,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect()
    }

    /// The text report's section on downloads, with what they can and cannot show.
    fn render_text(&self, lang: Lang) -> String {
        let nl = lang == Lang::Dutch;
        let mut out = String::new();
        if self.downloads.is_empty() {
            return out;
        }
        out.push_str(if nl {
            "Instagram- en TikTok-downloads\n"
        } else {
            "Instagram and TikTok downloads\n"
        });
        for (index, (file, download)) in self.downloads.iter().enumerate() {
            let count = |list: &Option<Vec<erbij_social::Relationship>>| {
                list.as_ref()
                    .map_or_else(|| "-".to_owned(), |l| l.len().to_string())
            };
            let account = download.owner.as_ref().map_or_else(
                || {
                    if nl {
                        "account onbekend".to_owned()
                    } else {
                        "account unknown".to_owned()
                    }
                },
                |o| format!("@{o}"),
            );
            let made = download.made_at.map_or_else(
                || {
                    if nl {
                        "datum onbekend".to_owned()
                    } else {
                        "date unknown".to_owned()
                    }
                },
                |(m, source)| match (source, nl) {
                    (MadeAtSource::ZipEntryTimes, true) => {
                        format!("ongeveer {}", short(&m.to_string()))
                    }
                    (MadeAtSource::ZipEntryTimes, false) => {
                        format!("about {}", short(&m.to_string()))
                    }
                    (MadeAtSource::Caller, _) => short(&m.to_string()),
                },
            );
            if nl {
                out.push_str(&format!(
                    "  {}. {file}\n     {} {account}, gemaakt {made}; volgers: {}, volgt: {}\n",
                    index + 1,
                    download.platform,
                    count(&download.followers),
                    count(&download.following)
                ));
            } else {
                out.push_str(&format!(
                    "  {}. {file}\n     {} {account}, made {made}; followers: {}, following: {}\n",
                    index + 1,
                    download.platform,
                    count(&download.followers),
                    count(&download.following)
                ));
            }
            for diagnostic in &download.diagnostics {
                out.push_str(&format!("     - {}\n", diagnostic.message(lang.social())));
            }
        }
        if self.roster_accounts == 0 {
            out.push_str(if nl {
                "  Geen klassenlijst met accounts: geef --roster met een kolom accounts \
                 (bijvoorbeeld instagram:mila.devries|tiktok:milaaa) om klasgenoten te herkennen.\n"
            } else {
                "  No class list with accounts: give --roster with an accounts column \
                 (for example instagram:mila.devries|tiktok:milaaa) to recognise classmates.\n"
            });
        }
        for account in &self.accounts {
            let who = account
                .subject
                .clone()
                .or_else(|| account.owner.as_ref().map(|o| format!("@{o}")))
                .unwrap_or_else(|| {
                    if nl {
                        "de leerling".into()
                    } else {
                        "the pupil".into()
                    }
                });
            out.push_str(&format!("\n  {} {who}\n", account.platform));
            let names = |list: &[ClassmateEntry]| {
                if list.is_empty() {
                    if nl {
                        "(niemand)".to_owned()
                    } else {
                        "(nobody)".to_owned()
                    }
                } else {
                    list.iter()
                        .map(|c| c.pupil.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            let following = if self.newest_has_followers(account) {
                names(&account.classmates_following)
            } else if nl {
                "(geen volgerslijst in de download)".to_owned()
            } else {
                "(no follower list in the download)".to_owned()
            };
            if nl {
                out.push_str(&format!("    Klasgenoten die {who} volgen: {following}\n"));
            } else {
                out.push_str(&format!("    Classmates following {who}: {following}\n"));
            }
            match (&account.not_following_back, nl) {
                (Some(list), true) => out.push_str(&format!(
                    "    Klasgenoten die {who} volgt maar die niet terugvolgen: {}\n",
                    names(list)
                )),
                (Some(list), false) => out.push_str(&format!(
                    "    Classmates {who} follows who do not follow back: {}\n",
                    names(list)
                )),
                (None, _) => {}
            }
            if account.downloads.len() > 1 {
                if account.order == OrderBasis::GivenOrder {
                    out.push_str(if nl {
                        "    Niet elke download zegt wanneer hij gemaakt is: vergeleken in de gegeven volgorde.\n"
                    } else {
                        "    Not every download says when it was made: compared in the order given.\n"
                    });
                }
                for (earlier, later) in &account.order_doubts {
                    let text = if nl {
                        format!(
                            "Let op: download {} bevat geen volger die zo recent begon als de nieuwste in download {}. \
                             Is de volgorde goed? Geef de oudste download eerst; anders lijken nieuwe volgers ontvolgers.",
                            later + 1,
                            earlier + 1
                        )
                    } else {
                        format!(
                            "Note: download {} holds no follower as recent as the newest in download {}. \
                             Is the order right? Give the oldest download first; otherwise new followers look like unfollows.",
                            later + 1,
                            earlier + 1
                        )
                    };
                    out.push_str(&wrap(&text, "    ", "      "));
                }
                if account.unfollows.is_empty() {
                    out.push_str(if nl {
                        "    Geen klasgenoot volgt niet meer tussen de downloads.\n"
                    } else {
                        "    No classmate stopped following between the downloads.\n"
                    });
                }
                for unfollow in &account.unfollows {
                    let e = &unfollow.earlier;
                    if nl {
                        out.push_str(&format!(
                            "    Volgt niet meer: {} (@{}) — nog wel in download {} ({}, item {}), niet meer in download {}\n",
                            e.pupil, e.account, e.download + 1, e.entry, e.position, unfollow.later_download + 1
                        ));
                    } else {
                        out.push_str(&format!(
                            "    Stopped following: {} (@{}) — still in download {} ({}, entry {}), no longer in download {}\n",
                            e.pupil, e.account, e.download + 1, e.entry, e.position, unfollow.later_download + 1
                        ));
                    }
                }
            }
            for cluster in &account.clusters {
                let language = lang.detect();
                let confidence = match (cluster.confidence.as_str(), nl) {
                    ("high", true) => "hoog",
                    ("medium", true) => "middel",
                    ("low", true) => "laag",
                    (other, _) => other,
                };
                let paragraph = format!(
                    "{} ({}: {confidence}): {}",
                    if nl {
                        "Samen ontvolgd"
                    } else {
                        "Unfollowed together"
                    },
                    if nl { "zekerheid" } else { "confidence" },
                    cluster.explanation(language)
                );
                out.push_str(&wrap(&paragraph, "    ", "      "));
                for evidence in cluster.evidence(language) {
                    let place = match (&evidence.entry, evidence.position) {
                        (Some(entry), Some(position)) => format!(
                            "{}, {entry}, {} {position}",
                            short_file(&evidence.file),
                            if nl { "item" } else { "entry" }
                        ),
                        _ => short_file(&evidence.file).to_owned(),
                    };
                    out.push_str(&format!("      [{place}] {}\n", evidence.text));
                }
            }
        }
        out.push('\n');
        out.push_str(&wrap(
            if nl {
                "Wat een download kan laten zien: wie het account volgde toen de download \
             gemaakt werd, en sinds wanneer. Niet: wanneer iemand stopte met volgen (alleen \
             tussen welke twee downloads), en niet wie de berichten van de leerling wel of \
             niet leuk vond: likes op de eigen berichten staan niet in een download. Een \
             screenshot is daarvoor het bewijs."
            } else {
                "What a download can show: who followed the account when it was made, and \
             since when. Not: when someone stopped following (only between which two \
             downloads), and not who liked the pupil's posts or did not: likes on the \
             pupil's own posts are not in a download. A screenshot is the evidence for that."
            },
            "  ",
            "  ",
        ));
        out
    }
}

/// `2025-10-02T19:00:00` -> `02-10-2025 19:00`.
fn short(time: &str) -> String {
    let (date, clock) = time.split_once('T').unwrap_or((time, ""));
    match date.split('-').collect::<Vec<_>>().as_slice() {
        [y, m, d] => format!("{d}-{m}-{y} {}", clock.get(..5).unwrap_or(clock)),
        _ => time.to_owned(),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

impl SocialReport<'_> {
    /// The downloads' section of the HTML page, in the page's own classes (`finding`,
    /// `badge`, `blockquote`); every name and account is escaped.
    fn render_html(&self, lang: Lang) -> String {
        use std::fmt::Write as _;
        let nl = lang == Lang::Dutch;
        let language = lang.detect();
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<section aria-labelledby=\"downloads\">\n<h2 id=\"downloads\">{}</h2>",
            if nl {
                "Instagram- en TikTok-downloads"
            } else {
                "Instagram and TikTok downloads"
            }
        );
        let _ = writeln!(
            out,
            "<p class=\"lead\">{}</p>",
            escape(if nl {
                "Een download laat zien wie het account volgde toen hij gemaakt werd, en sinds wanneer. \
                 Niet wanneer iemand stopte met volgen (alleen tussen welke twee downloads), en niet wie \
                 de berichten van de leerling wel of niet leuk vond: likes op de eigen berichten staan \
                 niet in een download. Een screenshot is daarvoor het bewijs."
            } else {
                "A download shows who followed the account when it was made, and since when. Not when \
                 someone stopped following (only between which two downloads), and not who liked the \
                 pupil's posts or did not: likes on the pupil's own posts are not in a download. A \
                 screenshot is the evidence for that."
            })
        );
        let _ = writeln!(
            out,
            "<table>\n<thead><tr><th scope=\"col\">#</th><th scope=\"col\">{}</th><th scope=\"col\">Account</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>",
            if nl { "Bestand" } else { "File" },
            if nl { "Gemaakt" } else { "Made" },
            if nl { "Volgers" } else { "Followers" },
            if nl { "Volgt" } else { "Following" }
        );
        for (index, (file, download)) in self.downloads.iter().enumerate() {
            let count = |list: &Option<Vec<erbij_social::Relationship>>| {
                list.as_ref()
                    .map_or_else(|| "—".to_owned(), |l| l.len().to_string())
            };
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                index + 1,
                escape(short_file(file)),
                download.platform,
                escape(
                    &download
                        .owner
                        .as_ref()
                        .map_or_else(|| "—".to_owned(), |o| format!("@{o}"))
                ),
                escape(
                    &download
                        .made_at
                        .map_or_else(|| "—".to_owned(), |(m, _)| short(&m.to_string()))
                ),
                count(&download.followers),
                count(&download.following)
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>");
        for account in &self.accounts {
            let who = account
                .subject
                .clone()
                .or_else(|| account.owner.as_ref().map(|o| format!("@{o}")))
                .unwrap_or_else(|| {
                    if nl {
                        "de leerling".into()
                    } else {
                        "the pupil".into()
                    }
                });
            let _ = writeln!(out, "<h3>{} {}</h3>", account.platform, escape(&who));
            let names = |list: &[ClassmateEntry]| {
                if list.is_empty() {
                    if nl {
                        "(niemand)".to_owned()
                    } else {
                        "(nobody)".to_owned()
                    }
                } else {
                    list.iter()
                        .map(|c| escape(&c.pupil))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            let following = if self.newest_has_followers(account) {
                names(&account.classmates_following)
            } else if nl {
                "(geen volgerslijst in de download)".to_owned()
            } else {
                "(no follower list in the download)".to_owned()
            };
            let _ = writeln!(
                out,
                "<p>{}: {following}</p>",
                if nl {
                    "Klasgenoten die volgen"
                } else {
                    "Classmates following"
                },
            );
            if let Some(list) = &account.not_following_back {
                let _ = writeln!(
                    out,
                    "<p>{}: {}</p>",
                    if nl {
                        "Gevolgd maar volgen niet terug"
                    } else {
                        "Followed but not following back"
                    },
                    names(list)
                );
            }
            for (earlier, later) in &account.order_doubts {
                let _ = writeln!(
                    out,
                    "<p role=\"alert\">{}</p>",
                    if nl {
                        format!(
                            "Let op: download {} bevat geen volger die zo recent begon als de nieuwste in download {}. Is de volgorde goed? Geef de oudste download eerst.",
                            later + 1,
                            earlier + 1
                        )
                    } else {
                        format!(
                            "Note: download {} holds no follower as recent as the newest in download {}. Is the order right? Give the oldest download first.",
                            later + 1,
                            earlier + 1
                        )
                    }
                );
            }
            if !account.unfollows.is_empty() {
                let gone: Vec<String> = account
                    .unfollows
                    .iter()
                    .map(|u| {
                        format!(
                            "{} ({} {} → {})",
                            escape(&u.earlier.pupil),
                            "download",
                            u.earlier.download + 1,
                            u.later_download + 1
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "<p>{}: {}</p>",
                    if nl {
                        "Volgt niet meer"
                    } else {
                        "Stopped following"
                    },
                    gone.join(", ")
                );
            }
            for cluster in &account.clusters {
                let confidence = cluster.confidence.as_str();
                let label = match (confidence, nl) {
                    ("high", true) => "zekerheid: hoog",
                    ("medium", true) => "zekerheid: middel",
                    ("low", true) => "zekerheid: laag",
                    ("high", false) => "confidence: high",
                    ("medium", false) => "confidence: medium",
                    _ => "confidence: low",
                };
                let _ = writeln!(
                    out,
                    "<article class=\"finding {confidence}\">\n<h4>{} <span class=\"badge {confidence}\">{label}</span></h4>\n<p>{}</p>",
                    if nl {
                        "Samen ontvolgd"
                    } else {
                        "Unfollowed together"
                    },
                    escape(&cluster.explanation(language))
                );
                for evidence in cluster.evidence(language) {
                    let place = match (&evidence.entry, evidence.position) {
                        (Some(entry), Some(position)) => format!(
                            "{}, {entry}, {} {position}",
                            short_file(&evidence.file),
                            if nl { "item" } else { "entry" }
                        ),
                        _ => short_file(&evidence.file).to_owned(),
                    };
                    let _ = writeln!(
                        out,
                        "<blockquote><cite>{}</cite>{}</blockquote>",
                        escape(&place),
                        escape(&evidence.text)
                    );
                }
                let _ = writeln!(out, "</article>");
            }
        }
        let _ = writeln!(out, "</section>");
        out
    }
}

/// Wraps a paragraph at 96 columns: `first` before the first line, `rest` before the others.
fn wrap(text: &str, first: &str, rest: &str) -> String {
    const WIDTH: usize = 96;
    let mut out = String::from(first);
    let mut column = first.chars().count();
    let mut at_line_start = true;
    for word in text.split_whitespace() {
        let length = word.chars().count();
        if !at_line_start && column + 1 + length > WIDTH {
            out.push('\n');
            out.push_str(rest);
            column = rest.chars().count();
            at_line_start = true;
        }
        if !at_line_start {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += length;
        at_line_start = false;
    }
    out.push('\n');
    out
}

/// The file name without its folders, as the chat part of the report shows files.
fn short_file(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}
