//! The curated lexicon of insults, exclusion phrases and mocking emoji (`lexicon/*.txt`),
//! compiled into the binary, and the check of one message against it.

use std::collections::{HashMap, HashSet};

use crate::text::{self, Word};

const DUTCH: &str = include_str!("../lexicon/nl.txt");
const ENGLISH: &str = include_str!("../lexicon/en.txt");

/// Words that may stand for the pupil in an `X` slot: the pupil is being talked about.
const PRONOUNS: &[&str] = &[
    "haar", "hem", "ze", "zij", "die", "hij", "jou", "her", "him", "she", "he", "them", "they",
];

/// Words pupils slip into a phrase without changing it ("wie heeft Mila *eigenlijk*
/// toegevoegd"): skipped between the words of a phrase.
const FILLERS: &[&str] = &[
    "eigenlijk",
    "nou",
    "echt",
    "toch",
    "gewoon",
    "wel",
    "nog",
    "even",
    "ook",
    "dan",
    "actually",
    "really",
    "just",
];

/// Verbs that make the word after them say what a person *is* ("ze is raar", "jij bent
/// zielig", "hij doet raar", "ze ruikt vies"): the only place where a `[predicate]` word
/// is an insult.
const COPULAS: &[&str] = &[
    "is", "iss", "bent", "ben", "was", "lijkt", "doet", "blijft", "ruikt",
];

/// Subjects of a copula that are no person: "het is zielig", "dat is raar", "alles is nep".
const THING_SUBJECTS: &[&str] = &[
    "het", "t", "'t", "dat", "dit", "da", "wat", "alles", "iets", "niks", "er", "hier", "daar",
];

/// Words between a copula and a `[predicate]` word that do not change it ("ze is *echt zo*
/// raar", "hij is *zo'n* nerd").
const INTENSIFIERS: &[&str] = &[
    "zo", "zoo", "zooo", "super", "heel", "erg", "best", "echt", "een", "zo'n", "zon", "wel",
    "gewoon", "zwaar", "mega", "zoooo",
];

/// Words right after a `[predicate]` word that turn it into sympathy or a remark about a
/// situation: "zielig *voor* haar", "raar *dat* ze er niet is", "sneu *om* te horen".
const SITUATION_FOLLOWERS: &[&str] = &["voor", "dat", "om", "als", "van", "aan"];

/// Words that, directly before an insult, turn it around ("niet irritant", "not stupid").
const NEGATORS: &[&str] = &[
    "niet", "geen", "nooit", "not", "never", "no", "isnt", "isn't",
];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Word(String),
    Pupil,
}

/// The lexicon, compiled for fast look-ups.
#[derive(Debug, Clone)]
pub struct Lexicon {
    insults: HashSet<String, text::FnvBuild>,
    insult_prefixes: Vec<String>,
    /// Words that are an insult only said of a person ("ze is zielig", "kut Mila"), not of
    /// a situation ("zielig voor haar", "kut, mijn fiets is stuk").
    predicates: HashSet<String, text::FnvBuild>,
    /// Phrases indexed by their first literal word; `(offset of that word, phrase)`.
    phrases: HashMap<String, Vec<(usize, Vec<Slot>)>, text::FnvBuild>,
    mocking_emoji: Vec<char>,
}

/// What the lexicon sees in one message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Assessment {
    /// An insult word (not negated).
    pub insult: bool,
    /// An exclusion phrase ("ga weg", "zonder X", "X eruit").
    pub exclusion: bool,
    /// A mocking emoji (weak on its own).
    pub mocking_emoji: bool,
}

impl Assessment {
    /// Negative in words: an insult or an exclusion phrase.
    pub fn negative_in_words(self) -> bool {
        self.insult || self.exclusion
    }
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::builtin()
    }
}

impl Lexicon {
    /// The Dutch and English lists shipped in `lexicon/`.
    pub fn builtin() -> Lexicon {
        let mut lexicon = Lexicon {
            insults: HashSet::default(),
            insult_prefixes: Vec::new(),
            predicates: HashSet::default(),
            phrases: HashMap::default(),
            mocking_emoji: Vec::new(),
        };
        lexicon.add(DUTCH);
        lexicon.add(ENGLISH);
        lexicon
    }

    /// Adds entries in the `lexicon/*.txt` format.
    pub fn add(&mut self, source: &str) {
        let mut section = "";
        for line in source.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                section = match name {
                    "insult" => "insult",
                    "predicate" => "predicate",
                    "exclusion" => "exclusion",
                    "mocking_emoji" => "mocking_emoji",
                    _ => "",
                };
                continue;
            }
            match section {
                "mocking_emoji" => self
                    .mocking_emoji
                    .extend(line.chars().filter(|c| !c.is_whitespace())),
                "predicate" => {
                    self.predicates.insert(text::fold(line));
                }
                "insult" if !line.contains(' ') => {
                    if let Some(prefix) = line.strip_suffix('*') {
                        self.insult_prefixes.push(text::fold(prefix));
                    } else {
                        self.insults.insert(text::fold(line));
                    }
                }
                "insult" | "exclusion" => {
                    let slots: Vec<Slot> = line
                        .split_whitespace()
                        .map(|w| {
                            if w == "X" {
                                Slot::Pupil
                            } else {
                                Slot::Word(text::fold(w))
                            }
                        })
                        .collect();
                    if let Some((offset, Slot::Word(first))) = slots
                        .iter()
                        .enumerate()
                        .find(|(_, s)| matches!(s, Slot::Word(_)))
                    {
                        self.phrases
                            .entry(first.clone())
                            .or_default()
                            .push((offset, slots.clone()));
                    }
                }
                _ => {}
            }
        }
    }

    /// Checks a message. `is_pupil(i)` tells whether word `i` names a pupil (for `X` slots).
    pub fn assess(
        &self,
        raw: &str,
        words: &[Word],
        is_pupil: &dyn Fn(usize) -> bool,
    ) -> Assessment {
        let mut result = Assessment {
            // Every mocking emoji lies above U+2000: most characters are dismissed at once.
            mocking_emoji: raw
                .chars()
                .any(|c| c > '\u{2000}' && self.mocking_emoji.contains(&c)),
            ..Assessment::default()
        };
        for (i, word) in words.iter().enumerate() {
            let w = word.folded.as_str();
            let negated = words[i.saturating_sub(2)..i]
                .iter()
                .any(|p| NEGATORS.contains(&p.folded.as_str()));
            if !negated
                && (self.insults.contains(w)
                    || self
                        .insult_prefixes
                        .iter()
                        .any(|p| w.len() > p.len() + 1 && w.starts_with(p.as_str())))
            {
                result.insult = true;
            }
            if !negated && self.predicates.contains(w) && said_of_a_person(words, i, is_pupil) {
                result.insult = true;
            }
            if let Some(phrases) = self.phrases.get(w) {
                for (offset, slots) in phrases {
                    let Some(start) = i.checked_sub(*offset) else {
                        continue;
                    };
                    let mut position = start;
                    let mut fits = true;
                    for (k, slot) in slots.iter().enumerate() {
                        if k > 0 {
                            while words.get(position).is_some_and(|w| {
                                FILLERS.contains(&w.folded.as_str())
                                    && !matches!(slot, Slot::Word(expected) if *expected == w.folded)
                            }) {
                                position += 1;
                            }
                        }
                        let Some(candidate) = words.get(position) else {
                            fits = false;
                            break;
                        };
                        let ok = match slot {
                            Slot::Word(expected) => candidate.folded == *expected,
                            Slot::Pupil => {
                                is_pupil(position) || PRONOUNS.contains(&candidate.folded.as_str())
                            }
                        };
                        if !ok {
                            fits = false;
                            break;
                        }
                        position += 1;
                    }
                    if fits {
                        result.exclusion = true;
                    }
                }
            }
        }
        result
    }
}

/// Whether the `[predicate]` word at `i` is said of a person: directly before the pupil's
/// name ("kut Mila"), or after a copula whose subject is not a thing ("ze is echt zo raar",
/// not "het is zielig"), and not followed by a word that makes it about a situation
/// ("zielig voor haar", "raar dat ze er niet is").
fn said_of_a_person(words: &[Word], i: usize, is_pupil: &dyn Fn(usize) -> bool) -> bool {
    if words
        .get(i + 1)
        .is_some_and(|next| SITUATION_FOLLOWERS.contains(&next.folded.as_str()))
    {
        return false;
    }
    // "kut Mila", not "het is raar, Mila".
    if i + 1 < words.len() && !words[i].followed_by_pause && is_pupil(i + 1) {
        return true;
    }
    let mut k = i;
    while k > 0 && INTENSIFIERS.contains(&words[k - 1].folded.as_str()) {
        k -= 1;
    }
    if k == 0 || !COPULAS.contains(&words[k - 1].folded.as_str()) {
        return false;
    }
    // "is" opening the message ("is zo raar") speaks of whoever was just named.
    k < 2 || !THING_SUBJECTS.contains(&words[k - 2].folded.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assess(text: &str, pupil_word: &str) -> Assessment {
        let mut words = Vec::new();
        text::words_into(text, &mut words);
        let names: Vec<bool> = words.iter().map(|w| w.folded == pupil_word).collect();
        Lexicon::builtin().assess(text, &words, &|i| names[i])
    }

    #[test]
    fn finds_insults_prefixes_and_exclusion_phrases() {
        assert!(assess("Mila is echt zo irritant", "mila").insult);
        assert!(assess("kankerlelijk die Mila", "mila").insult);
        assert!(assess("Mila eruit 🤡", "mila").exclusion);
        assert!(assess("Mila eruit 🤡", "mila").mocking_emoji);
        assert!(assess("Niemand wil haar erbij, ze hoort er niet bij", "mila").exclusion);
        assert!(assess("feestje zonder Mila", "mila").exclusion);
        assert!(assess("nobody likes Emma lol", "emma").exclusion);
        assert!(assess("Wie heeft Mila eigenlijk toegevoegd", "mila").exclusion);
    }

    #[test]
    fn friendly_and_negated_remarks_are_not_negative() {
        assert_eq!(
            assess("Mila is niet irritant hoor", "mila"),
            Assessment::default()
        );
        assert_eq!(
            assess("Ik mis Mila, wanneer komt ze terug?", "mila"),
            Assessment::default()
        );
        assert_eq!(assess("Waarom is Mila weg?", "mila"), Assessment::default());
        assert_eq!(
            assess("Mila is super aardig", "mila"),
            Assessment::default()
        );
        // "zonder" needs the pupil (or a pronoun) after it
        assert_eq!(assess("pizza zonder kaas", "mila"), Assessment::default());
    }

    fn negative(text: &str, pupil_word: &str) -> bool {
        assess(text, pupil_word).negative_in_words()
    }

    #[test]
    fn what_pupils_write_about_a_classmate_counts() {
        for remark in [
            "kut Mila",
            "Mila is echt kut",
            "ze is zo kut",
            "Mila is zo'n kutwijf",
            "wat een kutkind die Mila",
            "Mila is echt een aandachtzoeker",
            "aandachtszoeker is ze",
            "Mila is zo'n aandachtstrekker",
            "Mila is zo zielig",
            "jij bent zielig Mila",
            "Mila is echt sneu",
            "Mila is zo nep",
            "zij doet zo nep",
            "Mila is irritant",
            "Mila is vies",
            "Mila ruikt vies",
            "Mila stinkt",
            "kankerlijer die Mila",
            "Mila is een lijer",
            "Mila is zo'n nerd",
            "Mila is echt raar",
            "Mila doet raar",
            "Mila is een freak",
            "Mila is een loser",
            "Mila is zo kinderachtig",
        ] {
            assert!(negative(remark, "mila"), "{remark}");
        }
    }

    #[test]
    fn the_same_words_about_a_situation_do_not_count() {
        for remark in [
            "zielig voor Mila",
            "ahh zielig voor haar",
            "wat zielig dat Mila ziek is",
            "het is zielig",
            "sneu voor Mila dat ze niet mee kan",
            "dat is sneu",
            "raar dat Mila er niet is",
            "het is raar, Mila",
            "kut, Mila is haar fiets kwijt",
            "kut dat Mila ziek is",
            "Mila heeft nep nagels",
            "Mila, is dit nep?",
            "Mila zegt dat het eten vies is",
            "Mila is niet raar",
            "Mila is helemaal niet zielig",
            "Mila is kind van de rekening",
        ] {
            assert!(!negative(remark, "mila"), "{remark}");
        }
    }
}
