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
    "eigenlijk", "nou", "echt", "toch", "gewoon", "wel", "nog", "even", "ook", "dan", "actually", "really", "just",
];

/// Words that, directly before an insult, turn it around ("niet irritant", "not stupid").
const NEGATORS: &[&str] = &["niet", "geen", "nooit", "not", "never", "no", "isnt", "isn't"];

#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    Word(String),
    Pupil,
}

/// The lexicon, compiled for fast look-ups.
#[derive(Debug, Clone)]
pub struct Lexicon {
    insults: HashSet<String>,
    insult_prefixes: Vec<String>,
    /// Phrases indexed by their first literal word; `(offset of that word, phrase)`.
    phrases: HashMap<String, Vec<(usize, Vec<Slot>)>>,
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
            insults: HashSet::new(),
            insult_prefixes: Vec::new(),
            phrases: HashMap::new(),
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
                    "exclusion" => "exclusion",
                    "mocking_emoji" => "mocking_emoji",
                    _ => "",
                };
                continue;
            }
            match section {
                "mocking_emoji" => self.mocking_emoji.extend(line.chars().filter(|c| !c.is_whitespace())),
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
                        .map(|w| if w == "X" { Slot::Pupil } else { Slot::Word(text::fold(w)) })
                        .collect();
                    if let Some((offset, Slot::Word(first))) =
                        slots.iter().enumerate().find(|(_, s)| matches!(s, Slot::Word(_)))
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
    pub fn assess(&self, raw: &str, words: &[Word], is_pupil: &dyn Fn(usize) -> bool) -> Assessment {
        let mut result = Assessment {
            mocking_emoji: raw.chars().any(|c| self.mocking_emoji.contains(&c)),
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
            if let Some(phrases) = self.phrases.get(w) {
                for (offset, slots) in phrases {
                    let Some(start) = i.checked_sub(*offset) else { continue };
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
                            Slot::Pupil => is_pupil(position) || PRONOUNS.contains(&candidate.folded.as_str()),
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
        assert_eq!(assess("Mila is niet irritant hoor", "mila"), Assessment::default());
        assert_eq!(assess("Ik mis Mila, wanneer komt ze terug?", "mila"), Assessment::default());
        assert_eq!(assess("Waarom is Mila weg?", "mila"), Assessment::default());
        assert_eq!(assess("Mila is super aardig", "mila"), Assessment::default());
        // "zonder" needs the pupil (or a pronoun) after it
        assert_eq!(assess("pizza zonder kaas", "mila"), Assessment::default());
    }
}
