//! Who of the class follows a pupil, who stopped, and whether several stopped together.
//!
//! What downloads can prove: a follower list is a snapshot of who followed the account
//! when the download was made, and each entry says when that follow *began*. No download
//! says when a follow ended. So an unfollow is only known to have happened between two
//! downloads; several classmates unfollowing "together" is shown only as tightly as the
//! downloads are close together. An account also leaves the list when it is renamed,
//! deactivated or blocked, or when the pupil removed that follower: the explanation says
//! so. Likes are not in a download at all (Instagram lists what the pupil liked, not who
//! liked the pupil's posts): a screenshot is the evidence for that.

use std::collections::{BTreeMap, BTreeSet};

use erbij_chat::LocalDateTime;
use erbij_social::{AccountName, Download, Moment, Platform};

use crate::finding::{DownloadEvidence, FindingEvidence, FindingSource, ListFact};
use crate::{Confidence, Finding, FindingKind, Language, PupilId, Roster};

const SECONDS_PER_HOUR: i64 = 3_600;

/// At least this many classmates unfollowing between the same two downloads (or within
/// [`CLUSTER_WINDOW_HOURS`]) make an `unfollow_cluster`. A design value from METHODS.md P6
/// (the same "three or more" as its coordinated non-like rule), not an empirical threshold.
pub const MIN_UNFOLLOW_CLUSTER: usize = 3;

/// METHODS.md P6: "clusters of unfollows within 48 h".
pub const CLUSTER_WINDOW_HOURS: i64 = 48;

/// Between two downloads at most this far apart, a cluster is called `medium`; further
/// apart (or undated) `low`: the unfollows may lie that far apart.
pub const MEDIUM_CONFIDENCE_SPAN_DAYS: i64 = 14;

/// The class list as far as accounts go.
pub trait ClassAccounts {
    /// The pupil (roster name) who owns `account` on `platform`, if any.
    fn pupil_for(&self, platform: Platform, account: &AccountName) -> Option<String>;
}

/// The accounts of a class: from the roster's `accounts` column, or built by hand.
#[derive(Debug, Clone, Default)]
pub struct AccountList {
    accounts: BTreeMap<Platform, BTreeMap<AccountName, String>>,
}

impl AccountList {
    /// Every `instagram:` and `tiktok:` account of the roster's pupils, under the roster name.
    pub fn from_roster(roster: &Roster) -> AccountList {
        let mut list = AccountList::default();
        for pupil in roster.pupils() {
            for (platform, account) in &pupil.accounts {
                list.add(&pupil.name, &format!("{platform}:{account}"));
            }
        }
        list
    }

    /// How many accounts the class list names.
    pub fn len(&self) -> usize {
        self.accounts.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a pupil with the roster's `accounts` text: `instagram:mila.devries|tiktok:milaaa`.
    /// Pairs of other platforms (`phone:...`) are ignored here.
    pub fn add(&mut self, pupil: &str, accounts: &str) {
        for pair in accounts.split('|') {
            let Some((platform, name)) = pair.split_once(':') else {
                continue;
            };
            // A profile link in the roster (`instagram:https://www.instagram.com/mila.devries/`)
            // names the account as well; `split_once` cut at the link's own `:`.
            let name = name
                .rsplit_once(".com/")
                .map_or(name, |(_, path)| path)
                .trim_start_matches("_u/")
                .trim_start_matches('@')
                .trim_end_matches('/');
            if let (Some(platform), Some(name)) =
                (Platform::from_roster_key(platform), AccountName::new(name))
            {
                self.accounts
                    .entry(platform)
                    .or_default()
                    .insert(name, pupil.to_owned());
            }
        }
    }
}

impl ClassAccounts for AccountList {
    fn pupil_for(&self, platform: Platform, account: &AccountName) -> Option<String> {
        self.accounts.get(&platform)?.get(account).cloned()
    }
}

/// A download as handed in: its file name for evidence, in the order given.
#[derive(Debug, Clone, Copy)]
pub struct HandedIn<'a> {
    pub file: &'a str,
    pub download: &'a Download,
    /// Whose download it is as the caller said (a roster name where it fits one), for a
    /// download that does not name its account.
    pub owner_name: Option<&'a str>,
}

/// A classmate in one of the lists of a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassmateEntry {
    pub pupil: String,
    pub account: AccountName,
    pub since: Option<Moment>,
    /// Index of the download in the order given, and its file as handed in.
    pub download: usize,
    pub file: String,
    /// The entry (file inside the download, or TikTok section) and 1-based list position.
    pub entry: String,
    pub position: usize,
}

/// A classmate who followed in one download and not in the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unfollow {
    /// Where they were still following (index in the order given) ...
    pub earlier: ClassmateEntry,
    /// ... and the download where they no longer were.
    pub later_download: usize,
    pub later_file: String,
}

/// How the downloads of one account were put in time order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBasis {
    /// By when each download was made (every one of them says).
    MadeAt,
    /// In the order given (not every download says when it was made).
    GivenOrder,
}

/// Several classmates who unfollowed the pupil together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnfollowCluster {
    pub platform: Platform,
    pub owner: Option<AccountName>,
    /// The pupil whose account it is, when the roster knows the account.
    pub subject: Option<String>,
    /// The classmates who unfollowed, roster names, sorted.
    pub actors: Vec<String>,
    pub unfollows: Vec<Unfollow>,
    /// The download before (still following) and the one after (no longer), in the order given.
    pub before: usize,
    pub after: usize,
    /// When those two downloads were made, where they say.
    pub before_made: Option<Moment>,
    pub after_made: Option<Moment>,
    pub confidence: ClusterConfidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ClusterConfidence {
    /// The downloads are at most 48 hours apart: the unfollows were too.
    High,
    /// At most two weeks apart: together in that period, but not provably within 48 hours.
    Medium,
    /// Further apart, or the downloads do not say when they were made.
    Low,
}

impl ClusterConfidence {
    pub fn as_str(self) -> &'static str {
        self.confidence().as_str()
    }

    /// The confidence levels of the chat findings.
    pub fn confidence(self) -> Confidence {
        match self {
            ClusterConfidence::High => Confidence::High,
            ClusterConfidence::Medium => Confidence::Medium,
            ClusterConfidence::Low => Confidence::Low,
        }
    }
}

/// Everything the downloads of one account show about the class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountAnalysis {
    pub platform: Platform,
    pub owner: Option<AccountName>,
    pub subject: Option<String>,
    /// Indices (order given) of this account's downloads, oldest first.
    pub downloads: Vec<usize>,
    pub order: OrderBasis,
    /// In the newest download: classmates who follow the pupil.
    pub classmates_following: Vec<ClassmateEntry>,
    /// In the newest download: classmates the pupil follows who do not follow back
    /// (`None` when the download lacks the following or the follower list).
    pub not_following_back: Option<Vec<ClassmateEntry>>,
    pub unfollows: Vec<Unfollow>,
    pub clusters: Vec<UnfollowCluster>,
    /// Consecutive downloads `(earlier, later)` (order given) where the later one holds no
    /// follow as recent as the earlier one's newest: perhaps handed in the wrong way round,
    /// which would turn new follows into unfollows. The report asks to check.
    pub order_doubts: Vec<(usize, usize)>,
}

/// Groups the downloads by account (platform and owner; downloads that do not say whose
/// they are count as the same account as the others of their platform), orders each
/// group in time and compares consecutive downloads.
pub fn analyse(handed_in: &[HandedIn<'_>], class: &dyn ClassAccounts) -> Vec<AccountAnalysis> {
    // Keyed by platform, the account the download names, else the owner the caller named.
    type Key = (Platform, Option<AccountName>, Option<String>);
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (index, item) in handed_in.iter().enumerate() {
        let named = match item.download.owner {
            Some(_) => None,
            None => item.owner_name.map(str::to_owned),
        };
        groups
            .entry((item.download.platform, item.download.owner.clone(), named))
            .or_default()
            .push(index);
    }
    // Downloads that say nothing of whose they are join the one account of their platform
    // the others name, if there is exactly one: a pupil hands in their own downloads.
    let unnamed: Vec<_> = groups
        .keys()
        .filter(|(_, owner, named)| owner.is_none() && named.is_none())
        .cloned()
        .collect();
    for key in unnamed {
        let named: Vec<_> = groups
            .keys()
            .filter(|(platform, owner, named)| {
                *platform == key.0 && (owner.is_some() || named.is_some())
            })
            .cloned()
            .collect();
        if let [target] = named.as_slice() {
            if let Some(mut moved) = groups.remove(&key) {
                if let Some(list) = groups.get_mut(target) {
                    list.append(&mut moved);
                    list.sort_unstable();
                }
            }
        }
    }
    groups
        .into_iter()
        .map(|((platform, owner, _), indices)| {
            analyse_account(handed_in, class, platform, owner, indices)
        })
        .collect()
}

fn analyse_account(
    handed_in: &[HandedIn<'_>],
    class: &dyn ClassAccounts,
    platform: Platform,
    owner: Option<AccountName>,
    mut indices: Vec<usize>,
) -> AccountAnalysis {
    let made = |i: usize| {
        handed_in
            .get(i)
            .and_then(|h| h.download.made_at)
            .map(|(m, _)| m)
    };
    let order = if indices.iter().all(|&i| made(i).is_some()) {
        // Stable: equal times keep the order given.
        indices.sort_by_key(|&i| made(i));
        OrderBasis::MadeAt
    } else {
        OrderBasis::GivenOrder
    };
    // The pupil: whose account it is by the class list, else whom the caller named.
    let subject = owner
        .as_ref()
        .and_then(|account| class.pupil_for(platform, account))
        .or_else(|| {
            indices
                .iter()
                .find_map(|&i| handed_in.get(i).and_then(|h| h.owner_name))
                .map(str::to_owned)
        });
    let classmates = |index: usize, followers: bool| -> Vec<ClassmateEntry> {
        let Some(item) = handed_in.get(index) else {
            return Vec::new();
        };
        let list = if followers {
            &item.download.followers
        } else {
            &item.download.following
        };
        list.iter()
            .flatten()
            .filter_map(|r| {
                let pupil = class.pupil_for(platform, &r.account)?;
                // The pupil's own second account is not a classmate.
                if subject.as_deref() == Some(pupil.as_str()) {
                    return None;
                }
                Some(ClassmateEntry {
                    pupil,
                    account: r.account.clone(),
                    since: r.since,
                    download: index,
                    file: item.file.to_owned(),
                    entry: r.entry.to_string(),
                    position: r.position,
                })
            })
            .collect()
    };

    let newest = indices.last().copied().unwrap_or(0);
    let classmates_following = classmates(newest, true);
    // Only with both lists: without the followers, nobody is known not to follow back.
    let not_following_back = handed_in
        .get(newest)
        .and_then(|h| {
            h.download
                .following
                .as_ref()
                .zip(h.download.followers.as_ref())
        })
        .map(|_| {
            let followers: BTreeSet<&AccountName> =
                classmates_following.iter().map(|c| &c.account).collect();
            classmates(newest, false)
                .into_iter()
                .filter(|c| !followers.contains(&c.account))
                .collect()
        });

    // Unfollows between consecutive downloads that both hold a follower list.
    let with_followers: Vec<usize> = indices
        .iter()
        .copied()
        .filter(|&i| {
            handed_in
                .get(i)
                .is_some_and(|h| h.download.followers.is_some())
        })
        .collect();
    let mut intervals: Vec<(usize, usize, Vec<Unfollow>)> = Vec::new();
    for pair in with_followers.windows(2) {
        let [before, after] = [pair[0], pair[1]];
        let Some(later) = handed_in.get(after) else {
            continue;
        };
        let gone: Vec<Unfollow> = classmates(before, true)
            .into_iter()
            .filter(|c| later.download.follower(&c.account).is_none())
            .map(|earlier| Unfollow {
                earlier,
                later_download: after,
                later_file: later.file.to_owned(),
            })
            .collect();
        intervals.push((before, after, gone));
    }
    let unfollows: Vec<Unfollow> = intervals.iter().flat_map(|(_, _, g)| g.clone()).collect();

    let mut clusters: Vec<UnfollowCluster> = Vec::new();
    let cluster = |first: usize, last: usize| -> Option<UnfollowCluster> {
        let window = intervals.get(first..=last)?;
        let before = window.first()?.0;
        let after = window.last()?.1;
        let mut by_pupil: BTreeMap<String, Unfollow> = BTreeMap::new();
        for (_, _, gone) in window {
            for unfollow in gone {
                by_pupil
                    .entry(unfollow.earlier.pupil.clone())
                    .or_insert_with(|| unfollow.clone());
            }
        }
        if by_pupil.len() < MIN_UNFOLLOW_CLUSTER {
            return None;
        }
        let (before_made, after_made) = (made(before), made(after));
        let span = before_made.zip(after_made).map(|(b, a)| b.seconds_until(a));
        let confidence = match span {
            Some(s) if s <= CLUSTER_WINDOW_HOURS * SECONDS_PER_HOUR => ClusterConfidence::High,
            Some(s) if s <= MEDIUM_CONFIDENCE_SPAN_DAYS * 24 * SECONDS_PER_HOUR => {
                ClusterConfidence::Medium
            }
            _ => ClusterConfidence::Low,
        };
        Some(UnfollowCluster {
            platform,
            owner: owner.clone(),
            subject: subject.clone(),
            actors: by_pupil.keys().cloned().collect(),
            unfollows: by_pupil.into_values().collect(),
            before,
            after,
            before_made,
            after_made,
            confidence,
        })
    };
    // (a) Between the same two downloads.
    for index in 0..intervals.len() {
        if let Some(found) = cluster(index, index) {
            clusters.push(found);
        }
    }
    // (b) Over several consecutive downloads that together span at most 48 hours: the
    // dates then show the unfollows were within 48 hours of each other.
    for first in 0..intervals.len() {
        let mut last = first;
        while last + 1 < intervals.len()
            && {
                let start = made(intervals[first].0);
                let end = made(intervals[last + 1].1);
                matches!(start.zip(end), Some((s, e)) if s.seconds_until(e) <= CLUSTER_WINDOW_HOURS * SECONDS_PER_HOUR)
            }
        {
            last += 1;
        }
        if last == first {
            continue;
        }
        if let Some(found) = cluster(first, last) {
            let actors: BTreeSet<&String> = found.actors.iter().collect();
            let covered = clusters
                .iter()
                .any(|c| actors.iter().all(|a| c.actors.contains(a)));
            if !covered {
                clusters.push(found);
            }
        }
    }

    // A download is made after its newest follow began; a later download whose newest
    // follow is older than the earlier one's is odd (it happens only when the newest
    // followers all left and nobody new came) and is worth a question. Only when the order
    // is the one given: downloads that say when they were made are in their true order,
    // and there a newest follower who left is exactly the unfollow the report is about.
    let newest = |i: usize| {
        handed_in
            .get(i)
            .and_then(|h| h.download.newest_entry_time())
    };
    let order_doubts =
        if order == OrderBasis::MadeAt {
            Vec::new()
        } else {
            indices
        .windows(2)
        .filter(|pair| matches!((newest(pair[0]), newest(pair[1])), (Some(a), Some(b)) if b < a))
        .map(|pair| (pair[0], pair[1]))
        .collect()
        };
    AccountAnalysis {
        platform,
        owner,
        subject,
        order_doubts,
        downloads: indices,
        order,
        classmates_following,
        not_following_back,
        unfollows,
        clusters,
    }
}

/// The unfollow clusters of every account as findings of the report.
pub fn findings(accounts: &[AccountAnalysis], roster: &Roster) -> Vec<Finding> {
    accounts
        .iter()
        .flat_map(|account| account.clusters.iter())
        .map(|cluster| {
            let pupil = cluster
                .subject
                .as_deref()
                .and_then(|name| roster.ids().find(|id| roster.name(*id) == name));
            cluster.finding(pupil)
        })
        .collect()
}

/// The subject of a finding about an account that neither the download nor the class list
/// names; the report shows it as "de leerling" / "the pupil".
pub const UNNAMED_ACCOUNT_OWNER: &str = "de leerling / the pupil";

impl UnfollowCluster {
    /// The finding kind in the JSON contract.
    pub const KIND: &'static str = "unfollow_cluster";

    /// The pupil concerned: the roster name, else the account, else "the pupil".
    pub fn subject_name(&self, language: Language) -> String {
        match (&self.subject, &self.owner, language) {
            (Some(pupil), _, _) => pupil.clone(),
            (None, Some(owner), _) => format!("@{owner}"),
            (None, None, Language::Dutch) => "de leerling".to_owned(),
            (None, None, Language::English) => "the pupil".to_owned(),
        }
    }

    /// When it was certainly done: when the later download was made (Dutch local time),
    /// where it says.
    pub fn at(&self) -> Option<LocalDateTime> {
        self.after_made.and_then(Moment::amsterdam)
    }

    /// For each classmate: the entry where they still followed, then the later download
    /// where they no longer did.
    pub fn evidence(&self) -> Vec<DownloadEvidence> {
        let mut evidence = Vec::new();
        for unfollow in &self.unfollows {
            let earlier = &unfollow.earlier;
            evidence.push(DownloadEvidence {
                download: earlier.download,
                file: earlier.file.clone(),
                entry: Some(earlier.entry.clone()),
                position: Some(earlier.position),
                account: earlier.account.to_string(),
                fact: ListFact::Follows {
                    since: earlier.since,
                },
            });
            evidence.push(DownloadEvidence {
                download: unfollow.later_download,
                file: unfollow.later_file.clone(),
                entry: None,
                position: None,
                account: earlier.account.to_string(),
                fact: ListFact::NoLongerFollows,
            });
        }
        evidence
    }

    /// The cluster as a finding of the report, beside the chat findings. `subject_pupil`
    /// is the roster's id of the pupil whose account it is, where known.
    pub fn finding(&self, subject_pupil: Option<PupilId>) -> Finding {
        Finding {
            kind: FindingKind::UnfollowCluster,
            subject: match (&self.subject, &self.owner) {
                (Some(pupil), _) => pupil.clone(),
                (None, Some(owner)) => format!("@{owner}"),
                (None, None) => UNNAMED_ACCOUNT_OWNER.to_owned(),
            },
            subject_pupil,
            actors: self.actors.clone(),
            source: FindingSource::Downloads {
                platform: self.platform,
                before: self.before,
                after: self.after,
            },
            at: self.at(),
            confidence: self.confidence.confidence(),
            confidence_reason_nl: self.confidence_reason(Language::Dutch),
            confidence_reason_en: self.confidence_reason(Language::English),
            evidence: self
                .evidence()
                .into_iter()
                .map(FindingEvidence::Download)
                .collect(),
            explanation_nl: self.explanation(Language::Dutch),
            explanation_en: self.explanation(Language::English),
            statistics: None,
        }
    }

    /// Hours between the two downloads, where both say when they were made.
    pub fn span_hours(&self) -> Option<i64> {
        self.before_made
            .zip(self.after_made)
            .map(|(b, a)| b.seconds_until(a) / SECONDS_PER_HOUR)
    }

    /// What the finding means and what it cannot show.
    pub fn explanation(&self, language: Language) -> String {
        let who = self.subject_name(language);
        let actors = join_names(&self.actors, language);
        let count = self.actors.len();
        let platform = self.platform;
        let when = match (self.before_made, self.after_made, language) {
            (Some(b), Some(a), Language::Dutch) => format!(
                "tussen de download van {} en die van {}",
                b.amsterdam().map_or(b.to_string(), format_dutch),
                a.amsterdam().map_or(a.to_string(), format_dutch)
            ),
            (Some(b), Some(a), Language::English) => {
                format!("between the download of {b} and the one of {a}")
            }
            (_, _, Language::Dutch) => format!(
                "tussen download {} en download {} (de downloads zeggen niet wanneer ze gemaakt zijn)",
                self.before + 1,
                self.after + 1
            ),
            (_, _, Language::English) => format!(
                "between download {} and download {} (the downloads do not say when they were made)",
                self.before + 1,
                self.after + 1
            ),
        };
        match language {
            Language::Dutch => format!(
                "{count} klasgenoten ({actors}) volgden {who} op {platform} niet meer, {when}. \
                 Een download laat zien wie volgde op het moment dat hij gemaakt werd en sinds \
                 wanneer, niet wanneer iemand stopte met volgen. {} Een account verdwijnt ook \
                 uit de lijst als het een andere naam kreeg, werd verwijderd of geblokkeerd, \
                 of als {who} de volger zelf verwijderde: vraag het na in een gesprek. \
                 Likes op de berichten van {who} staan niet in een download; een screenshot \
                 is daarvoor het bewijs.",
                self.timing_sentence(Language::Dutch)
            ),
            Language::English => format!(
                "{count} classmates ({actors}) stopped following {who} on {platform}, {when}. \
                 A download shows who followed when it was made and since when, not when \
                 someone stopped following. {} An account also leaves the list when it is \
                 renamed, deleted or blocked, or when {who} removed the follower: ask in a \
                 conversation. Likes on {who}'s posts are not in a download; a screenshot is \
                 the evidence for those.",
                self.timing_sentence(Language::English)
            ),
        }
    }

    /// Why this confidence.
    pub fn confidence_reason(&self, language: Language) -> String {
        self.timing_sentence(language)
    }

    fn timing_sentence(&self, language: Language) -> String {
        match (self.span_hours(), language) {
            (Some(hours), Language::Dutch) if hours <= CLUSTER_WINDOW_HOURS => format!(
                "De downloads liggen {hours} uur uit elkaar, dus stopten zij binnen {CLUSTER_WINDOW_HOURS} uur na elkaar."
            ),
            (Some(hours), Language::English) if hours <= CLUSTER_WINDOW_HOURS => format!(
                "The downloads are {hours} hours apart, so they stopped within {CLUSTER_WINDOW_HOURS} hours of each other."
            ),
            (Some(hours), Language::Dutch) => format!(
                "De downloads liggen {} dagen uit elkaar; of zij tegelijk stopten of dagen na elkaar, is niet te zien.",
                hours / 24
            ),
            (Some(hours), Language::English) => format!(
                "The downloads are {} days apart; whether they stopped together or days apart cannot be seen.",
                hours / 24
            ),
            (None, Language::Dutch) => "Hoe ver de downloads uit elkaar liggen is onbekend, dus ook of zij tegelijk stopten.".to_owned(),
            (None, Language::English) => "How far apart the downloads are is unknown, so whether they stopped together is too.".to_owned(),
        }
    }
}

fn format_dutch(time: LocalDateTime) -> String {
    format!(
        "{}-{}-{} {:02}:{:02}",
        time.day(),
        time.month(),
        time.year(),
        time.hour(),
        time.minute()
    )
}

fn join_names(names: &[String], language: Language) -> String {
    let and = match language {
        Language::Dutch => " en ",
        Language::English => " and ",
    };
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{and}{last}", rest.join(", ")),
    }
}
