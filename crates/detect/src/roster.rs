//! The class list (`--roster`): pupils with their first names, aliases and accounts, and
//! the index that matches contact names, @mentions and names in text to them.

use std::collections::HashMap;
use std::fmt;

use crate::text::{self, Word};

/// Index of a pupil in the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PupilId(pub u32);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pupil {
    /// The name as the roster writes it ("Mila de Vries"): what reports call the pupil.
    pub name: String,
    pub aliases: Vec<String>,
    /// `platform:name` pairs; `phone:`, `tel:` and `whatsapp:` hold phone numbers.
    pub accounts: Vec<(String, String)>,
}

impl Pupil {
    /// The first word of the name: the roepnaam as pupils write it.
    pub fn first_name(&self) -> &str {
        self.name.split_whitespace().next().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterError {
    Empty,
    MissingNameColumn,
    UnclosedQuote { line: usize },
    EmptyName { line: usize },
}

impl fmt::Display for RosterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RosterError::Empty => write!(
                f,
                "de klassenlijst is leeg; verwacht een kopregel `name,aliases` en één leerling per regel"
            ),
            RosterError::MissingNameColumn => write!(
                f,
                "regel 1: de kolom `name` ontbreekt; de kopregel moet `name,aliases` zijn (optioneel `,accounts`), of die van de klassenlijst die erbij downloadt (`roepnaam;tussenvoegsel;achternaam`)"
            ),
            RosterError::UnclosedQuote { line } => {
                write!(f, "regel {line}: een aanhalingsteken wordt niet gesloten")
            }
            RosterError::EmptyName { line } => {
                write!(f, "regel {line}: de naam van de leerling is leeg")
            }
        }
    }
}

impl std::error::Error for RosterError {}

/// How a name in a chat relates to the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameMatch {
    Pupil(PupilId),
    /// Fits more than one pupil (two Sannes): reported as such, never guessed.
    Ambiguous(Vec<PupilId>),
    None,
}

/// Dutch first names that are also ordinary words (or months, or English words pupils
/// use): written in lower case mid-sentence they are the word, not the pupil. A small
/// built-in list (METHODS.md section 3, point 6) instead of a dictionary download.
pub const NAME_WORDS: &[&str] = &[
    "roos", "fleur", "bo", "noor", "bas", "storm", "jade", "mees", "lot", "pim", "max", "tess",
    "jan", "kim", "sem", "isa", "vera", "amber", "sky", "hazel", "june", "may", "mei", "lente",
    "zon", "sterre", "puck", "rosa", "lief", "joy", "hope", "faith", "bloem", "mark", "frank",
    "ruby", "olive", "luna", "nova", "ben", "ivy", "iris", "lily", "lelie", "dirk", "job", "pier",
    "mus", "vos", "vink", "will", "jet", "fem", "cor", "merel", "dean", "rocky", "hugo",
];

#[derive(Debug, Clone, Default)]
pub struct Roster {
    pupils: Vec<Pupil>,
    /// Folded single-word keys (first names, one-word aliases) -> pupils.
    word_keys: HashMap<String, Vec<PupilId>, text::FnvBuild>,
    /// Folded whole names and aliases -> pupils.
    full_keys: HashMap<String, Vec<PupilId>>,
    phones: HashMap<String, PupilId>,
    /// How the class's names begin: most words of a message begin differently and are
    /// dismissed without folding or a hash look-up.
    prefixes: NamePrefixes,
}

/// The first three letters (a-z) of a set of folded name keys, plus the two-letter names.
#[derive(Debug, Clone)]
pub struct NamePrefixes {
    three: Vec<bool>,
    two: Vec<[u8; 2]>,
    /// A key starts with something else (a digit, a letter outside a-z): no prefiltering.
    other: bool,
}

impl Default for NamePrefixes {
    fn default() -> Self {
        NamePrefixes {
            three: vec![false; 26 * 26 * 26],
            two: Vec::new(),
            other: false,
        }
    }
}

fn letter(c: u8) -> Option<usize> {
    c.is_ascii_lowercase().then(|| usize::from(c - b'a'))
}

impl NamePrefixes {
    pub fn add(&mut self, key: &str) {
        let bytes = key.as_bytes();
        match (
            bytes.first().and_then(|c| letter(*c)),
            bytes.get(1).and_then(|c| letter(*c)),
            bytes.get(2).map(|c| letter(*c)),
        ) {
            (Some(a), Some(b), Some(Some(c))) => self.three[a * 676 + b * 26 + c] = true,
            (Some(_), Some(_), None) => self.two.push([bytes[0], bytes[1]]),
            _ => self.other = true,
        }
    }

    /// Could a word beginning with these characters (lowercased by the caller) be a name?
    pub fn may_match(&self, first: char, second: Option<char>, third: Option<char>) -> bool {
        if self.other {
            return true;
        }
        let ascii = |c: Option<char>| c.filter(char::is_ascii_lowercase).map(|c| c as u8);
        let unsure = |c: Option<char>| c.is_some_and(|c| !c.is_ascii() && c.is_alphabetic());
        if !first.is_ascii() || unsure(second) || unsure(third) {
            return true;
        }
        let (Some(a), Some(b)) = (ascii(Some(first)), ascii(second)) else {
            return false;
        };
        if self.two.contains(&[a, b]) {
            return true;
        }
        match ascii(third) {
            Some(c) => {
                self.three[usize::from(a - b'a') * 676
                    + usize::from(b - b'a') * 26
                    + usize::from(c - b'a')]
            }
            None => false,
        }
    }

    fn may_match_folded(&self, word: &str) -> bool {
        let mut chars = word.chars();
        match chars.next() {
            Some(first) => self.may_match(first, chars.next(), chars.next()),
            None => false,
        }
    }
}

impl Roster {
    pub fn new(pupils: Vec<Pupil>) -> Roster {
        let mut roster = Roster::default();
        for pupil in pupils {
            roster.push(pupil);
        }
        roster
    }

    /// Adds a person seen in an export as one of the class (used when no roster is given,
    /// so that names in text can still be matched to the people of the chats).
    pub fn add_pupil(&mut self, name: &str) -> PupilId {
        if let NameMatch::Pupil(id) = self.match_contact(name) {
            return id;
        }
        self.push(Pupil {
            name: name.to_string(),
            aliases: Vec::new(),
            accounts: Vec::new(),
        })
    }

    fn push(&mut self, pupil: Pupil) -> PupilId {
        let id = PupilId(self.pupils.len() as u32);
        fn push<S: std::hash::BuildHasher>(
            map: &mut HashMap<String, Vec<PupilId>, S>,
            key: String,
            id: PupilId,
        ) {
            if key.chars().count() < 2 {
                return;
            }
            let ids = map.entry(key).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        push(&mut self.full_keys, text::fold(&pupil.name), id);
        let mut word_keys = vec![text::fold(pupil.first_name())];
        for alias in &pupil.aliases {
            let folded = text::fold(alias);
            if !folded.contains(' ') {
                word_keys.push(folded.clone());
            }
            push(&mut self.full_keys, folded, id);
        }
        for key in word_keys {
            self.prefixes.add(&key);
            push(&mut self.word_keys, key, id);
        }
        for (platform, account) in &pupil.accounts {
            if matches!(platform.as_str(), "phone" | "tel" | "whatsapp") {
                if let Some(digits) = text::phone_digits(account) {
                    self.phones.insert(digits, id);
                }
            }
        }
        self.pupils.push(pupil);
        id
    }

    /// Reads the roster CSV: header `name,aliases[,accounts]`, aliases separated by `|`,
    /// accounts as `platform:name` pairs separated by `|`. The class list the web app
    /// downloads (`/classes/{id}/export.csv`: `roepnaam;tussenvoegsel;achternaam;klas;
    /// stamnummer;vertrokken`, formula-escaped cells) is read as it is: the name is
    /// roepnaam, tussenvoegsel and achternaam, and pupils with a leaving date are left out.
    pub fn from_csv(input: &str) -> Result<Roster, RosterError> {
        let mut rows = Vec::new();
        let mut lines = input.lines().enumerate().map(|(i, l)| (i + 1, l));
        let header = loop {
            match lines.next() {
                Some((_, line)) if line.trim().is_empty() => continue,
                Some((number, line)) => break split_csv_line(line, number)?,
                None => return Err(RosterError::Empty),
            }
        };
        let column = |name: &str| {
            header.iter().position(|h| {
                h.trim()
                    .trim_start_matches('\u{feff}')
                    .eq_ignore_ascii_case(name)
            })
        };
        // The roster format, or the class list erbij's web app downloads.
        let name_columns = match column("name") {
            Some(name) => vec![name],
            None => match (column("roepnaam"), column("achternaam")) {
                (Some(given), Some(family)) => [Some(given), column("tussenvoegsel"), Some(family)]
                    .into_iter()
                    .flatten()
                    .collect(),
                _ => return Err(RosterError::MissingNameColumn),
            },
        };
        let alias_column = column("aliases");
        let account_column = column("accounts");
        let left_column = column("vertrokken");
        for (number, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let fields = split_csv_line(line, number)?;
            let field = |column: Option<usize>| {
                column
                    .and_then(|c| fields.get(c))
                    .map(|s| unescape_formula(s.trim()).to_string())
                    .unwrap_or_default()
            };
            if !field(left_column).is_empty() {
                // Left the class: not one of the pupils a group could leave out.
                continue;
            }
            let name = name_columns
                .iter()
                .map(|c| field(Some(*c)))
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            if name.is_empty() {
                return Err(RosterError::EmptyName { line: number });
            }
            let list = |text: String| -> Vec<String> {
                text.split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            };
            let accounts = list(field(account_column))
                .into_iter()
                .map(|pair| match pair.split_once(':') {
                    Some((platform, account)) => (
                        platform.trim().to_ascii_lowercase(),
                        account.trim().to_string(),
                    ),
                    None => ("phone".to_string(), pair),
                })
                .collect();
            rows.push(Pupil {
                name,
                aliases: list(field(alias_column)),
                accounts,
            });
        }
        if rows.is_empty() {
            return Err(RosterError::Empty);
        }
        Ok(Roster::new(rows))
    }

    /// How the class's names begin, for a quick pre-check of message text.
    pub fn prefixes(&self) -> &NamePrefixes {
        &self.prefixes
    }

    /// Shows a pupil under another name (matching is unchanged): without a class list, the
    /// short name a person has in one export ("Bob") rather than a longer contact name
    /// ("Bob Bobsen Work") another phone saved.
    pub fn rename(&mut self, id: PupilId, name: &str) {
        if let Some(pupil) = self.pupils.get_mut(id.0 as usize) {
            pupil.name = name.to_string();
        }
    }

    pub fn pupils(&self) -> &[Pupil] {
        &self.pupils
    }

    pub fn len(&self) -> usize {
        self.pupils.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pupils.is_empty()
    }

    pub fn pupil(&self, id: PupilId) -> Option<&Pupil> {
        self.pupils.get(id.0 as usize)
    }

    pub fn name(&self, id: PupilId) -> &str {
        self.pupil(id).map_or("?", |p| p.name.as_str())
    }

    pub fn ids(&self) -> impl Iterator<Item = PupilId> {
        (0..self.pupils.len() as u32).map(PupilId)
    }

    /// Matches a contact name or phone number as an export writes it ("Mila 💖",
    /// "Mila vd Berg", "Mil school", "+31 6 12345678") to a pupil.
    pub fn match_contact(&self, contact: &str) -> NameMatch {
        if let Some(digits) = text::phone_digits(contact) {
            return match self.phones.get(&digits) {
                Some(id) => NameMatch::Pupil(*id),
                None => NameMatch::None,
            };
        }
        let without_emoji: String = contact
            .chars()
            .filter(|c| !text::is_emoji_like(*c))
            .collect();
        let folded = text::fold(&without_emoji);
        let folded = folded.trim();
        if folded.is_empty() {
            return NameMatch::None;
        }
        if let Some(ids) = self.full_keys.get(folded) {
            return to_match(ids.clone());
        }
        let mut tokens = folded.split(' ');
        let first = tokens.next().unwrap_or_default();
        let rest: Vec<&str> = tokens.collect();
        let mut candidates = self.word_keys.get(first).cloned().unwrap_or_default();
        if candidates.is_empty() && first.chars().count() >= 5 {
            // One typo in a longer first name ("Sannne", "Mlia") still names the pupil,
            // but only when exactly one pupil is that close.
            candidates = self
                .pupils
                .iter()
                .enumerate()
                .filter(|(_, p)| strsim_damerau(&text::fold(p.first_name()), first) <= 1)
                .map(|(i, _)| PupilId(i as u32))
                .collect();
        }
        if candidates.len() > 1 {
            // Two pupils share the first name: the initial of a further word decides.
            if let Some(last) = rest.last().and_then(|w| w.chars().next()) {
                let narrowed: Vec<PupilId> = candidates
                    .iter()
                    .copied()
                    .filter(|id| {
                        self.pupil(*id)
                            .and_then(|p| p.name.split_whitespace().last())
                            .and_then(|s| text::fold(s).chars().next())
                            == Some(last)
                    })
                    .collect();
                if !narrowed.is_empty() {
                    candidates = narrowed;
                }
            }
        }
        to_match(candidates)
    }

    /// Matches one word of a message (with its neighbours for context) to a pupil.
    /// `previous` is the word before it, for greetings ("hoi roos").
    pub fn match_word(&self, word: &Word, previous: Option<&Word>) -> NameMatch {
        if word.at_mention
            && word.folded.len() >= 9
            && word.folded.bytes().all(|b| b.is_ascii_digit())
        {
            // `@31612345678`: WhatsApp mentions a contact without a saved name by number.
            return match text::phone_digits(&format!("+{}", word.folded))
                .and_then(|d| self.phones.get(&d))
            {
                Some(id) => NameMatch::Pupil(*id),
                None => NameMatch::None,
            };
        }
        if word.folded.len() < 2 || word.folded.as_bytes()[0].is_ascii_digit() {
            return NameMatch::None;
        }
        if !self.prefixes.may_match_folded(&word.folded) {
            return NameMatch::None;
        }
        for candidate in word_variants(&word.folded) {
            let Some(ids) = self.word_keys.get(candidate.as_str()) else {
                continue;
            };
            if NAME_WORDS.contains(&candidate.as_str()) && !written_as_name(word, previous) {
                return NameMatch::None;
            }
            return to_match(ids.clone());
        }
        NameMatch::None
    }
}

fn to_match(mut ids: Vec<PupilId>) -> NameMatch {
    ids.sort();
    ids.dedup();
    match ids.len() {
        0 => NameMatch::None,
        1 => NameMatch::Pupil(ids[0]),
        _ => NameMatch::Ambiguous(ids),
    }
}

/// A name that is also a word counts as a name when written as one: with a capital, as an
/// @mention, as an address ("roos, kom je?" at the start of a sentence), or after a greeting.
fn written_as_name(word: &Word, previous: Option<&Word>) -> bool {
    const GREETINGS: &[&str] = &[
        "hoi",
        "hey",
        "hee",
        "hallo",
        "hi",
        "hello",
        "doei",
        "dag",
        "bedankt",
        "thanks",
        "thx",
        "dankje",
        "dankjewel",
        "sorry",
        "yo",
    ];
    word.capitalised
        || word.at_mention
        || (word.sentence_start && word.followed_by_pause)
        || previous.is_some_and(|p| GREETINGS.contains(&p.folded.as_str()))
}

/// The forms a written name may take back to its roster form: letter runs ("milaaa"),
/// possessives ("mila's", "milas"), diminutives ("milaatje", "mila-tje", "sannetje").
fn word_variants(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if let Some((one, two)) = text::collapse_letter_runs(word) {
        out.push(one);
        out.push(two);
    }
    let base_count = out.len();
    for i in 0..base_count {
        let w = out[i].clone();
        for suffix in [
            "'s", "'", "s", "-tje", "-je", "etje", "tje", "pje", "kje", "je",
        ] {
            if let Some(stem) = w.strip_suffix(suffix) {
                if stem.chars().count() >= 2 {
                    out.push(stem.trim_end_matches('-').to_string());
                    // After a long vowel the diminutive doubles it: Mila -> Milaatje.
                    if let Some(single) = undouble_final_vowel(stem) {
                        out.push(single);
                    }
                }
            }
        }
    }
    out
}

fn undouble_final_vowel(stem: &str) -> Option<String> {
    let bytes = stem.as_bytes();
    let n = bytes.len();
    (n >= 3
        && bytes[n - 1] == bytes[n - 2]
        && matches!(bytes[n - 1], b'a' | b'e' | b'o' | b'u' | b'i'))
    .then(|| stem[..n - 1].to_string())
}

fn strsim_damerau(a: &str, b: &str) -> usize {
    // Optimal string alignment distance; names are short, so the quadratic table is fine.
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Undoes the spreadsheet formula escaping of erbij's own downloads (`'=...` -> `=...`).
fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn split_csv_line(line: &str, number: usize) -> Result<Vec<String>, RosterError> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.trim().is_empty() => in_quotes = true,
            (',' | ';', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    if in_quotes {
        return Err(RosterError::UnclosedQuote { line: number });
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roster() -> Roster {
        Roster::from_csv(
            "name,aliases,accounts\nMila de Vries,Mil|Milaatje,phone:06 12345678\nRoos Bakker,\nSanne Jansen,\nSanne Visser,Sanvis\nNoëlle Peters,\nDaan Smit,\n",
        )
        .unwrap()
    }

    fn in_text(roster: &Roster, text: &str) -> Vec<NameMatch> {
        let mut words = Vec::new();
        text::words_into(text, &mut words);
        (0..words.len())
            .map(|i| roster.match_word(&words[i], i.checked_sub(1).map(|p| &words[p])))
            .filter(|m| *m != NameMatch::None)
            .collect()
    }

    #[test]
    fn contact_names_match_with_emoji_surnames_and_phones() {
        let r = roster();
        assert_eq!(r.match_contact("Mila 💖"), NameMatch::Pupil(PupilId(0)));
        assert_eq!(r.match_contact("Mil school"), NameMatch::Pupil(PupilId(0)));
        assert_eq!(
            r.match_contact("\u{202A}+31 6 12345678\u{202C}"),
            NameMatch::Pupil(PupilId(0))
        );
        assert_eq!(r.match_contact("Sanne V"), NameMatch::Pupil(PupilId(3)));
        assert_eq!(
            r.match_contact("Sanne"),
            NameMatch::Ambiguous(vec![PupilId(2), PupilId(3)])
        );
        assert_eq!(r.match_contact("Noelle"), NameMatch::Pupil(PupilId(4)));
        assert_eq!(r.match_contact("Noellle P"), NameMatch::Pupil(PupilId(4)));
        assert_eq!(r.match_contact("Onbekend"), NameMatch::None);
    }

    #[test]
    fn names_in_text_in_their_dutch_forms() {
        let r = roster();
        let mila = NameMatch::Pupil(PupilId(0));
        for text in [
            "Milaatje",
            "Mila's fiets",
            "Milas fiets",
            "de fiets van Mila",
            "MILAAA",
            "Mila-tje",
            "@\u{2068}Mila de Vries\u{2069}",
        ] {
            assert_eq!(in_text(&r, text).first(), Some(&mila), "{text}");
        }
        assert_eq!(in_text(&r, "daantje"), [NameMatch::Pupil(PupilId(5))]);
        assert_eq!(
            in_text(&r, "hoi @\u{2068}31612345678\u{2069}"),
            [NameMatch::Pupil(PupilId(0))]
        );
    }

    #[test]
    fn names_that_are_words_count_only_when_written_as_names() {
        let r = roster();
        assert!(in_text(&r, "ik kreeg een roos van hem").is_empty());
        assert_eq!(in_text(&r, "ik kreeg een Roos").len(), 1);
        assert_eq!(in_text(&r, "roos, kom je ook?").len(), 1);
        assert_eq!(in_text(&r, "hoi roos").len(), 1);
    }

    #[test]
    fn a_shared_first_name_in_text_is_ambiguous() {
        let r = roster();
        assert_eq!(
            in_text(&r, "Sanne komt niet"),
            [NameMatch::Ambiguous(vec![PupilId(2), PupilId(3)])]
        );
    }

    #[test]
    fn the_class_list_the_web_app_downloads_is_a_roster() {
        // Exactly what `/classes/{id}/export.csv` writes: BOM, `;`, CRLF, escaped formulas.
        let export = "\u{feff}roepnaam;tussenvoegsel;achternaam;klas;stamnummer;vertrokken\r\n\
            Mila;de;Vries;2B;2001;\r\n\
            Noah;;Bakker;2B;2002;\r\n\
            Sem;;Smit;2B;2003;2026-10-01\r\n\
            '=Lex;van der;'+Berg;2B;'@x;\r\n";
        let r = Roster::from_csv(export).unwrap();
        let names: Vec<&str> = r.pupils().iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["Mila de Vries", "Noah Bakker", "=Lex van der +Berg"]
        );
        assert_eq!(r.match_contact("Mila"), NameMatch::Pupil(PupilId(0)));
        // Only the first line's columns matter: a file without any name column still fails.
        assert_eq!(
            Roster::from_csv("roepnaam;klas\nMila;2B\n").unwrap_err(),
            RosterError::MissingNameColumn
        );
    }

    #[test]
    fn bad_rosters_say_what_is_wrong() {
        assert_eq!(Roster::from_csv("").unwrap_err(), RosterError::Empty);
        assert_eq!(
            Roster::from_csv("naam\nMila\n").unwrap_err(),
            RosterError::MissingNameColumn
        );
        assert!(
            Roster::from_csv("name\n\"Mila\n")
                .unwrap_err()
                .to_string()
                .contains("regel 2")
        );
    }
}
