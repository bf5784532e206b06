//! Text normalisation shared by name matching and the lexicon: invisible marks out,
//! diacritics folded, case folded, words split. Allocation-light because it runs on every
//! message of exports of hundreds of megabytes.

/// Marks WhatsApp and phones put around names and numbers that carry no meaning for us:
/// the reader's table (bidi marks, zero-width characters, BOM) plus the soft hyphen, which
/// can sit inside a name typed in a message but never changes which name it is.
pub fn is_invisible_mark(c: char) -> bool {
    c == '\u{00AD}' || erbij_chat::is_invisible_mark(c)
}

/// Folds one character to lowercase ASCII where it is a Latin letter with a diacritic
/// (Noëlle, Chloë, Zoë, Daniël, Çelik, Øyvind); other characters are lowercased as they are.
/// A small table instead of Unicode decomposition: names in Dutch classes use few of them.
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ā' | 'Ā' | 'ą' => {
            'a'
        }
        'ç' | 'Ç' | 'ć' | 'Ć' | 'č' | 'Č' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ē' | 'ę' | 'ě' | 'Ē' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ī' | 'İ' | 'ı' => 'i',
        'ñ' | 'Ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ō' | 'ő' => {
            'o'
        }
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        'ş' | 'Ş' | 'š' | 'Š' | 'ś' => 's',
        'ž' | 'Ž' | 'ź' | 'ż' => 'z',
        'ğ' | 'Ğ' => 'g',
        'ł' | 'Ł' => 'l',
        'ř' => 'r',
        'ß' => 's',
        // Typographic apostrophes count as the ASCII one, so "Mila’s" reads like "Mila's".
        '\u{2019}' | '\u{2018}' | '\u{02BC}' => '\'',
        other => other.to_lowercase().next().unwrap_or(other),
    }
}

/// A word as found in a message: its folded form and whether it was written with a capital.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub folded: String,
    pub capitalised: bool,
    /// The word directly follows `@` (a WhatsApp mention).
    pub at_mention: bool,
    /// The word is the first of its line or sentence.
    pub sentence_start: bool,
    /// A comma or `!`/`?` directly follows the word (vocative: "Roos, kom je?").
    pub followed_by_pause: bool,
}

/// Splits text into words (letters, digits, apostrophes and inner hyphens), folding each.
pub fn words_into(text: &str, out: &mut Vec<Word>) {
    let n = words_reusing(text, out);
    out.truncate(n);
}

/// Like [`words_into`], but keeps the strings of `out` for reuse and returns how many of
/// its first entries are this text's words: a scanner of millions of messages then
/// allocates almost nothing.
pub fn words_reusing(text: &str, out: &mut Vec<Word>) -> usize {
    let mut count = 0usize;
    let mut push = |out: &mut Vec<Word>,
                    current: &mut String,
                    capitalised,
                    at_mention,
                    sentence_start,
                    followed_by_pause| {
        let trimmed_len = current.trim_end_matches(['\'', '-']).len();
        current.truncate(trimmed_len);
        if count < out.len() {
            let word = &mut out[count];
            std::mem::swap(&mut word.folded, current);
            word.capitalised = capitalised;
            word.at_mention = at_mention;
            word.sentence_start = sentence_start;
            word.followed_by_pause = followed_by_pause;
        } else {
            out.push(Word {
                folded: std::mem::take(current),
                capitalised,
                at_mention,
                sentence_start,
                followed_by_pause,
            });
        }
        current.clear();
        count += 1;
    };
    let mut current = String::new();
    let mut capitalised = false;
    let mut at_mention = false;
    let mut sentence_start = true;
    let mut previous_was_at = false;
    for c in text.chars() {
        if is_invisible_mark(c) {
            continue;
        }
        let in_word = c.is_alphanumeric()
            || ((c == '\'' || c == '\u{2019}' || c == '-') && !current.is_empty());
        if in_word {
            if current.is_empty() {
                capitalised = c.is_uppercase();
                at_mention = previous_was_at;
            }
            current.push(fold_char(c));
            continue;
        }
        if !current.is_empty() {
            let followed_by_pause = matches!(c, ',' | '!' | '?' | ':');
            push(
                out,
                &mut current,
                capitalised,
                at_mention,
                sentence_start,
                followed_by_pause,
            );
            sentence_start = false;
        }
        if matches!(c, '.' | '!' | '?' | '\n') {
            sentence_start = true;
        }
        previous_was_at = c == '@';
    }
    if !current.is_empty() {
        push(
            out,
            &mut current,
            capitalised,
            at_mention,
            sentence_start,
            false,
        );
    }
    count
}

/// A stable hash of a text's folded, whitespace-free form, without building that form.
pub fn folded_hash(text: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for c in text.chars() {
        if c.is_whitespace() || is_invisible_mark(c) {
            continue;
        }
        let folded = fold_char(c) as u32;
        for b in folded.to_le_bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Folded, invisible-free, whitespace-collapsed form of a whole name or phrase.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if is_invisible_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(fold_char(c));
    }
    out
}

/// Collapses runs of three or more equal letters to one ("Milaaa" -> "mila") and, as a
/// second guess, to two ("Daaaan" -> "daan"); returns `None` when there is no such run.
pub fn collapse_letter_runs(word: &str) -> Option<(String, String)> {
    let chars: Vec<char> = word.chars().collect();
    let mut has_run = false;
    let mut to_one = String::with_capacity(word.len());
    let mut to_two = String::with_capacity(word.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let mut j = i;
        while j < chars.len() && chars[j] == c {
            j += 1;
        }
        let run = j - i;
        if run >= 3 && c.is_alphabetic() {
            has_run = true;
            to_one.push(c);
            to_two.push(c);
            to_two.push(c);
        } else {
            for _ in 0..run {
                to_one.push(c);
                to_two.push(c);
            }
        }
        i = j;
    }
    has_run.then_some((to_one, to_two))
}

/// Digits of a phone number in international form without `+`: `06 12345678` ->
/// `31612345678`, `0031 6 …` -> `316…`, `+31 6-…` -> `316…`. `None` when it is not a number.
pub fn phone_digits(text: &str) -> Option<String> {
    let cleaned: String = text.chars().filter(|c| !is_invisible_mark(*c)).collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty()
        || !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '\u{a0}'))
    {
        return None;
    }
    let plus = trimmed.starts_with('+');
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 8 {
        return None;
    }
    let international = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        // A Dutch national number: the school's roster is Dutch.
        format!("31{rest}")
    } else {
        digits
    };
    Some(international)
}

/// True for characters that are emoji or pictographs (for stripping them from contact names).
pub fn is_emoji_like(c: char) -> bool {
    let code = c as u32;
    (0x1F000..=0x1FAFF).contains(&code)
        || (0x2600..=0x27BF).contains(&code)
        || (0x2B00..=0x2BFF).contains(&code)
        || code == 0xFE0F
        || code == 0x20E3
        || (0x1F1E6..=0x1F1FF).contains(&code)
}

/// FNV-1a as a `Hasher` for the hot maps of short keys (contact names, name keys): much
/// cheaper than SipHash, and these maps hold no attacker-chosen volume of keys.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

/// A cheap, stable 64-bit hash (FNV-1a) for message fingerprints: the same on every run and
/// every machine, which `std`'s randomised hasher is not.
pub fn fnv1a(bytes: &[u8], seed: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64 ^ seed;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(text: &str) -> Vec<String> {
        let mut words = Vec::new();
        words_into(text, &mut words);
        words.into_iter().map(|w| w.folded).collect()
    }

    #[test]
    fn words_lose_diacritics_case_and_bidi_marks() {
        assert_eq!(
            folded("Noëlle en Zoë, @\u{2068}Daniël\u{2069}!"),
            ["noelle", "en", "zoe", "daniel"]
        );
        assert_eq!(folded("Mila’s fiets"), ["mila's", "fiets"]);
    }

    #[test]
    fn marks_mentions_and_vocatives() {
        let mut words = Vec::new();
        words_into("Roos, kom je? @Bo", &mut words);
        assert!(words[0].followed_by_pause && words[0].capitalised && words[0].sentence_start);
        assert!(words[3].at_mention);
        assert!(!words[1].sentence_start);
    }

    #[test]
    fn letter_runs_collapse_to_one_or_two() {
        assert_eq!(
            collapse_letter_runs("milaaa"),
            Some(("mila".into(), "milaa".into()))
        );
        assert_eq!(
            collapse_letter_runs("daaaan"),
            Some(("dan".into(), "daan".into()))
        );
        assert_eq!(collapse_letter_runs("daan"), None);
    }

    #[test]
    fn phone_numbers_become_international_digits() {
        assert_eq!(phone_digits("06 12345678").as_deref(), Some("31612345678"));
        assert_eq!(
            phone_digits("\u{202A}+31 6 12345678\u{202C}").as_deref(),
            Some("31612345678")
        );
        assert_eq!(
            phone_digits("0031612345678").as_deref(),
            Some("31612345678")
        );
        assert_eq!(phone_digits("Mila"), None);
    }
}
