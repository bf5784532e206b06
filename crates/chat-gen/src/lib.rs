//! Synthetic WhatsApp exports, deterministic from a seed, with the exact events they hold.
//!
//! Used by the reader's property tests (any generated chat must read back to exactly the
//! generated events), by the benchmarks (files of 1 MiB to 1 GiB) and by evaluation harnesses
//! that need chats with known membership changes. All names and texts are fictional.
//! The strings WhatsApp writes are spelled out here on their own, not taken from the reader's
//! tables, so a mistake in one is caught by the other. Never used by shipped code.

use std::fmt::Write as _;

use erbij_chat::{
    Event, EventKind, Language, LineRange, LocalDateTime, MediaKind, Message, Person, SystemEvent,
    Variant,
};

/// Which clock the phone shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    TwentyFour,
    /// With a narrow no-break space before AM/PM, as newer exports write it.
    Twelve,
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub seed: u64,
    pub variant: Variant,
    pub language: Language,
    pub clock: Clock,
    /// Members besides the exporter (at least 2).
    pub members: usize,
    /// With `Variant::Ios`: the iPhone format of 2015-2017, without brackets and with `: `
    /// after the time (`13/06/15 10:59:59: Naam: tekst`, `7/1/16, 4:56:55 PM: Name: text`).
    pub old_iphone: bool,
}

impl Options {
    pub fn new(seed: u64, variant: Variant, language: Language, clock: Clock) -> Self {
        Options {
            seed,
            variant,
            language,
            clock,
            members: 12,
            old_iphone: false,
        }
    }
}

/// A whole generated chat: the file's text and the events in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub text: String,
    pub events: Vec<Event>,
}

/// Generates `entries` entries into memory.
pub fn generate(options: Options, entries: usize) -> Generated {
    let mut generator = Generator::new(options);
    let mut text = String::new();
    let mut events = Vec::with_capacity(entries);
    for _ in 0..entries {
        let (entry, event) = generator.next_entry();
        text.push_str(&entry);
        events.push(event);
    }
    Generated { text, events }
}

/// SplitMix64: small, fast, and the same on every machine.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % (n.max(1) as u64)) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const FIRST_NAMES: &[&str] = &[
    "Sanne", "Jan", "Mila", "Daan", "Fleur", "Noah", "Emma", "Liam", "Julia", "Sem", "Tess",
    "Lucas", "Zoë", "Finn", "Saar", "Levi", "Yara", "Bram", "Noor", "Thijs", "Lotte", "Ayoub",
    "Fatima", "Mees", "Anouk", "Jesse", "Iris", "Ruben", "Elif", "Stijn",
];
const SURNAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Yılmaz",
    "El Amrani",
];
const GROUPS: &[&str] = &[
    "Klas 2B",
    "Feestje zonder Mila",
    "Voetbal: zaterdag",
    "Huiswerk 🤓",
    "Mentorgroep",
    "Kamp '25",
];
const WORDS: &[&str] = &[
    "hoi",
    "morgen",
    "toets",
    "wiskunde",
    "haha",
    "ja",
    "nee",
    "zaterdag",
    "feest",
    "bij",
    "mij",
    "school",
    "huiswerk",
    "weet",
    "iemand",
    "wanneer",
    "is",
    "de",
    "het",
    "een",
    "we",
    "gaan",
    "😂",
    "🎉",
    "ok",
    "top",
    "later",
    "fietsen",
    "rooster",
    "werkstuk",
    "Nederlands",
    "16:30",
    "kijk",
    "dit",
    "echt",
    "grappig",
    "wie",
    "komt",
    "ook",
    "!!",
    "?",
    "thanks",
    "oké",
];

/// A member as the exporter's phone shows them: a contact name or a phone number.
#[derive(Debug, Clone)]
struct Member {
    /// As the reader must report it.
    name: String,
    phone: bool,
}

/// Writes one entry at a time, so a 1 GiB file never sits in memory.
#[derive(Debug, Clone)]
pub struct Generator {
    options: Options,
    rng: Rng,
    members: Vec<Member>,
    /// Who is in the group now (indexes into `members`).
    inside: Vec<usize>,
    outside: Vec<usize>,
    group: String,
    time: LocalDateTime,
    line: u32,
    entry: u64,
    media_counter: u32,
}

impl Generator {
    pub fn new(options: Options) -> Self {
        let mut rng = Rng(options.seed);
        let count = options.members.max(2);
        let mut members = Vec::with_capacity(count);
        let mut used = std::collections::HashSet::new();
        while members.len() < count {
            let member = if rng.chance(15) {
                let digits = 10_000_000 + rng.below(89_999_999);
                Member {
                    name: format!("+31 6 {digits}"),
                    phone: true,
                }
            } else if rng.chance(40) {
                Member {
                    name: format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(SURNAMES)),
                    phone: false,
                }
            } else {
                Member {
                    name: (*rng.pick(FIRST_NAMES)).to_owned(),
                    phone: false,
                }
            };
            if used.insert(member.name.clone()) {
                members.push(member);
            }
        }
        let group = (*rng.pick(GROUPS)).to_owned();
        let start = LocalDateTime::new(
            2025,
            1 + rng.below(12) as u8,
            1 + rng.below(28) as u8,
            8,
            0,
            0,
        )
        .unwrap_or_else(fallback_time);
        Generator {
            options,
            rng,
            members,
            inside: Vec::new(),
            outside: (0..count).collect(),
            group,
            time: start,
            line: 0,
            entry: 0,
            media_counter: 0,
        }
    }

    fn nl(&self) -> bool {
        self.options.language == Language::Dutch
    }

    fn ios(&self) -> bool {
        self.options.variant == Variant::Ios
    }

    /// The next entry's text (ending in `\n`) and the event it holds.
    pub fn next_entry(&mut self) -> (String, Event) {
        self.advance_time();
        let entry = self.entry;
        self.entry += 1;
        let (body, kind, extra_lines) = match entry {
            0 => self.encryption_notice(),
            1 => self.created(),
            2 => {
                let who: Vec<usize> = self.outside.clone();
                self.added(Some(0), who)
            }
            _ => self.random_entry(),
        };
        let header = self.header();
        let mut raw = String::with_capacity(header.len() + body.len() + 16);
        let lrm_before_header = self.ios()
            && matches!(&kind, EventKind::Message(m) if m.media.is_some_and(|k| k != MediaKind::Omitted));
        if lrm_before_header {
            raw.push('\u{200E}');
        }
        raw.push_str(&header);
        raw.push_str(&body);
        for line in &extra_lines {
            raw.push('\n');
            raw.push_str(line);
        }
        let first = self.line + 1;
        self.line += 1 + extra_lines.len() as u32;
        let event = Event {
            time: self.time,
            lines: LineRange {
                first,
                last: self.line,
            },
            raw: raw.clone(),
            kind,
        };
        raw.push('\n');
        (raw, event)
    }

    fn advance_time(&mut self) {
        if self.entry < 3 {
            return;
        }
        let step = match self.rng.below(10) {
            0..=6 => self.rng.below(120),
            7..=8 => self.rng.below(1_800),
            _ => self.rng.below(14_400),
        } as i64;
        let mut seconds = self.time.seconds() + step;
        // Now and then a phone that was offline sends late: time goes back.
        if self.rng.chance(1) {
            seconds -= 600;
        }
        if self.options.variant == Variant::Android {
            seconds -= seconds.rem_euclid(60);
        }
        self.time = from_seconds(seconds.max(self.time.seconds() - 3_600));
        if self.options.variant == Variant::Android {
            let s = self.time.seconds();
            self.time = from_seconds(s - s.rem_euclid(60));
        }
    }

    fn header(&self) -> String {
        let t = self.time;
        let mut out = String::with_capacity(32);
        let (hour, suffix) = match self.options.clock {
            Clock::TwentyFour => (t.hour(), ""),
            Clock::Twelve => (
                if t.hour() % 12 == 0 {
                    12
                } else {
                    t.hour() % 12
                },
                if t.hour() < 12 {
                    "\u{202F}AM"
                } else {
                    "\u{202F}PM"
                },
            ),
        };
        if self.ios() && self.options.old_iphone {
            // No brackets, a two-digit year with slashes, `: ` after the seconds; the
            // 12-hour clock with a plain space.
            let suffix = suffix.trim_start_matches('\u{202F}');
            let (date, sep) = if self.nl() {
                (
                    format!("{:02}/{:02}/{:02}", t.day(), t.month(), t.year() % 100),
                    " ",
                )
            } else {
                (
                    format!("{}/{}/{:02}", t.month(), t.day(), t.year() % 100),
                    ", ",
                )
            };
            let space = if suffix.is_empty() { "" } else { " " };
            let clock = match self.options.clock {
                Clock::TwentyFour => format!("{hour:02}:{:02}", t.minute()),
                Clock::Twelve => format!("{hour}:{:02}", t.minute()),
            };
            let _ = write!(out, "{date}{sep}{clock}:{:02}{space}{suffix}: ", t.second());
            return out;
        }
        let date = if self.nl() {
            format!("{:02}-{:02}-{}", t.day(), t.month(), t.year())
        } else {
            format!("{}/{}/{:02}", t.month(), t.day(), t.year() % 100)
        };
        let sep = if self.nl() { " " } else { ", " };
        let clock = match self.options.clock {
            Clock::TwentyFour => format!("{hour:02}:{:02}", t.minute()),
            Clock::Twelve => format!("{hour}:{:02}", t.minute()),
        };
        if self.ios() {
            let _ = write!(out, "[{date}{sep}{clock}:{:02}{suffix}] ", t.second());
        } else {
            let _ = write!(out, "{date}{sep}{clock}{suffix} - ");
        }
        out
    }

    /// A name as written in the file: iPhone wraps phone numbers in bidi marks with no-break
    /// spaces inside.
    fn written(&self, member: usize) -> String {
        let m = &self.members[member];
        if m.phone && self.ios() {
            format!("\u{202A}{}\u{202C}", m.name.replace(' ', "\u{00A0}"))
        } else {
            m.name.clone()
        }
    }

    fn person(&self, member: usize) -> Person {
        Person::Named(self.members[member].name.clone())
    }

    fn list(&self, members: &[usize]) -> String {
        let names: Vec<String> = members.iter().map(|m| self.written(*m)).collect();
        let and = if self.nl() { " en " } else { " and " };
        match names.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{}{and}{last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => String::new(),
        }
    }

    fn system_body(&self, text: String) -> String {
        format!("\u{200E}{text}")
    }

    fn encryption_notice(&mut self) -> (String, EventKind, Vec<String>) {
        let text = match (self.nl(), self.ios()) {
            (true, false) => {
                "Berichten en oproepen worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet. Tik voor meer informatie."
            }
            (true, true) => {
                "Berichten en gesprekken worden end-to-end versleuteld. Niemand buiten deze chat kan ze lezen of beluisteren, zelfs WhatsApp niet."
            }
            (false, _) => {
                "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them."
            }
        };
        let body = if self.ios() {
            // iPhone writes the notice as if the group had sent it.
            format!("{}: \u{200E}{text}", self.group)
        } else {
            text.to_owned()
        };
        (
            body,
            EventKind::System(SystemEvent::EncryptionNotice),
            Vec::new(),
        )
    }

    fn created(&mut self) -> (String, EventKind, Vec<String>) {
        let by = self.outside.remove(0);
        self.inside.push(by);
        let name = self.written(by);
        let group = self.group.clone();
        let text = match (self.nl(), self.ios()) {
            (true, false) => format!("{name} heeft de groep {group} gemaakt"),
            (true, true) => format!("{name} heeft groep “{group}” aangemaakt"),
            (false, false) => format!("{name} created group \"{group}\""),
            (false, true) => format!("{name} created group “{group}”"),
        };
        let event = SystemEvent::Created {
            by: self.person(by),
            group: Some(group),
        };
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    /// `by`: index in `inside`, or `None` for the exporter.
    fn added(&mut self, by: Option<usize>, who: Vec<usize>) -> (String, EventKind, Vec<String>) {
        let by_member = by.map(|i| self.inside[i]);
        let list = self.list(&who);
        let text = match (by_member, self.nl()) {
            (Some(b), true) => format!("{} heeft {list} toegevoegd", self.written(b)),
            (None, true) => format!("U hebt {list} toegevoegd"),
            (Some(b), false) => format!("{} added {list}", self.written(b)),
            (None, false) => format!("You added {list}"),
        };
        let event = SystemEvent::Added {
            by: by_member.map_or(Person::Exporter, |b| self.person(b)),
            who: who.iter().map(|m| self.person(*m)).collect(),
        };
        for m in &who {
            self.outside.retain(|o| o != m);
            self.inside.push(*m);
        }
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    fn random_entry(&mut self) -> (String, EventKind, Vec<String>) {
        if self.inside.len() < 2 {
            let who = self.outside.clone();
            return self.added(None, who);
        }
        match self.rng.below(1000) {
            0..=959 => self.message(),
            960..=969 if !self.outside.is_empty() => {
                let n = 1 + self.rng.below(self.outside.len().min(3));
                let who: Vec<usize> = self.outside[..n].to_vec();
                let by = if self.rng.chance(20) {
                    None
                } else {
                    Some(self.rng.below(self.inside.len()))
                };
                self.added(by, who)
            }
            970..=976 => self.removed_or_left(),
            977..=980 if !self.outside.is_empty() => self.joined(),
            981..=984 => self.subject_changed(),
            985..=992 => self.by_someone_notice(),
            993..=996 => self.about_someone_notice(),
            _ => self.unknown(),
        }
    }

    fn removed_or_left(&mut self) -> (String, EventKind, Vec<String>) {
        let i = 1 + self.rng.below(self.inside.len() - 1);
        let who = self.inside.remove(i);
        self.outside.push(who);
        let name = self.written(who);
        if self.rng.chance(50) {
            let text = if self.nl() {
                format!("{name} heeft de groep verlaten")
            } else {
                format!("{name} left")
            };
            let event = SystemEvent::Left {
                who: self.person(who),
            };
            return (self.system_body(text), EventKind::System(event), Vec::new());
        }
        let by = self.inside[self.rng.below(self.inside.len())];
        let exporter = self.rng.chance(20);
        let text = match (exporter, self.nl()) {
            (false, true) => format!("{} heeft {name} verwijderd", self.written(by)),
            (true, true) => format!("U hebt {name} verwijderd"),
            (false, false) => format!("{} removed {name}", self.written(by)),
            (true, false) => format!("You removed {name}"),
        };
        let event = SystemEvent::Removed {
            by: if exporter {
                Person::Exporter
            } else {
                self.person(by)
            },
            who: vec![self.person(who)],
        };
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    fn joined(&mut self) -> (String, EventKind, Vec<String>) {
        let who = self.outside.remove(self.rng.below(self.outside.len()));
        self.inside.push(who);
        let name = self.written(who);
        let link = self.rng.chance(50);
        let text = match (link, self.nl()) {
            (true, true) => format!("{name} neemt deel via de uitnodigingslink van deze groep"),
            (false, true) => format!("{name} neemt deel via uw uitnodiging"),
            (true, false) => format!("{name} joined using this group's invite link"),
            (false, false) => format!("{name} joined using your invite"),
        };
        let person = self.person(who);
        let event = if link {
            SystemEvent::JoinedViaLink { who: person }
        } else {
            SystemEvent::JoinedViaInvite { who: person }
        };
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    fn subject_changed(&mut self) -> (String, EventKind, Vec<String>) {
        let by = self.inside[self.rng.below(self.inside.len())];
        let from = self.group.clone();
        let mut to = (*self.rng.pick(GROUPS)).to_owned();
        if to == from {
            to.push_str(" 2");
        }
        self.group = to.clone();
        let name = self.written(by);
        let with_from = self.rng.chance(50);
        let text = match (with_from, self.nl()) {
            (true, true) => {
                format!("{name} heeft het onderwerp gewijzigd van “{from}” naar “{to}”")
            }
            (false, true) => format!("{name} heeft het onderwerp gewijzigd naar “{to}”"),
            (true, false) => format!("{name} changed the subject from “{from}” to “{to}”"),
            (false, false) => format!("{name} changed the subject to “{to}”"),
        };
        let event = SystemEvent::SubjectChanged {
            by: self.person(by),
            from: with_from.then_some(from),
            to,
        };
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    fn by_someone_notice(&mut self) -> (String, EventKind, Vec<String>) {
        let by = self.inside[self.rng.below(self.inside.len())];
        let name = self.written(by);
        let person = self.person(by);
        let (text, event) = match (self.rng.below(3), self.nl()) {
            (0, true) => (
                format!("{name} heeft de groepsafbeelding gewijzigd"),
                SystemEvent::IconChanged { by: person },
            ),
            (1, true) => (
                format!("{name} heeft de groepsafbeelding verwijderd"),
                SystemEvent::IconDeleted { by: person },
            ),
            (_, true) => (
                format!("{name} heeft de groepsbeschrijving gewijzigd"),
                SystemEvent::DescriptionChanged { by: person },
            ),
            (0, false) => (
                format!("{name} changed this group's icon"),
                SystemEvent::IconChanged { by: person },
            ),
            (1, false) => (
                format!("{name} deleted this group's icon"),
                SystemEvent::IconDeleted { by: person },
            ),
            (_, false) => (
                format!("{name} changed the group description"),
                SystemEvent::DescriptionChanged { by: person },
            ),
        };
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    fn about_someone_notice(&mut self) -> (String, EventKind, Vec<String>) {
        let who = self.inside[self.rng.below(self.inside.len())];
        let name = self.written(who);
        let person = self.person(who);
        let (text, event) = match (self.rng.below(4), self.nl()) {
            (0, true) => (
                "U bent nu beheerder".to_owned(),
                SystemEvent::AdminChanged {
                    who: Person::Exporter,
                    admin: true,
                },
            ),
            (1, true) => (
                format!("{name} is nu beheerder"),
                SystemEvent::AdminChanged {
                    who: person,
                    admin: true,
                },
            ),
            (2, true) => (
                format!("{name} is geen beheerder meer"),
                SystemEvent::AdminChanged {
                    who: person,
                    admin: false,
                },
            ),
            (_, true) => (
                format!("Uw beveiligingscode met {name} is gewijzigd. Tik voor meer informatie."),
                SystemEvent::SecurityCodeChanged { who: person },
            ),
            (0, false) => (
                "You're now an admin".to_owned(),
                SystemEvent::AdminChanged {
                    who: Person::Exporter,
                    admin: true,
                },
            ),
            (1, false) => (
                format!("{name} is now an admin"),
                SystemEvent::AdminChanged {
                    who: person,
                    admin: true,
                },
            ),
            (2, false) => (
                format!("{name} is no longer an admin"),
                SystemEvent::AdminChanged {
                    who: person,
                    admin: false,
                },
            ),
            (_, false) => (
                format!("Your security code with {name} changed. Tap to learn more."),
                SystemEvent::SecurityCodeChanged { who: person },
            ),
        };
        (self.system_body(text), EventKind::System(event), Vec::new())
    }

    fn unknown(&mut self) -> (String, EventKind, Vec<String>) {
        let text = if self.nl() {
            "Verdwijnende berichten zijn ingeschakeld voor nieuwe berichten in deze chat"
        } else {
            "Disappearing messages were turned on for new messages in this chat"
        };
        let event = SystemEvent::Unknown {
            text: text.to_owned(),
        };
        (
            self.system_body(text.to_owned()),
            EventKind::System(event),
            Vec::new(),
        )
    }

    fn words(&mut self, min: usize, max: usize) -> String {
        let n = min + self.rng.below(max - min + 1);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            let word = WORDS[self.rng.below(WORDS.len())];
            out.push_str(word);
        }
        // Never empty, never a leading digit a header could be mistaken for.
        if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
            out.insert_str(0, "ok ");
        }
        out
    }

    fn message(&mut self) -> (String, EventKind, Vec<String>) {
        let author = self.inside[self.rng.below(self.inside.len())];
        let name = self.written(author);
        let mut extra = Vec::new();
        let mut media = None;
        let mut deleted = false;
        let mut edited = false;
        let roll = self.rng.below(100);
        let first = match roll {
            0..=3 => {
                media = Some(MediaKind::Omitted);
                match (self.nl(), self.ios()) {
                    (true, false) => "<Media weggelaten>".to_owned(),
                    (false, false) => "<Media omitted>".to_owned(),
                    (true, true) => {
                        media = Some(MediaKind::Image);
                        "\u{200E}afbeelding weggelaten".to_owned()
                    }
                    (false, true) => {
                        media = Some(MediaKind::Image);
                        "\u{200E}image omitted".to_owned()
                    }
                }
            }
            4..=6 => {
                self.media_counter += 1;
                let n = self.media_counter;
                media = Some(MediaKind::Image);
                let t = self.time;
                let file = if self.ios() {
                    format!(
                        "{n:08}-PHOTO-{}-{:02}-{:02}-{:02}-{:02}-{:02}.jpg",
                        t.year(),
                        t.month(),
                        t.day(),
                        t.hour(),
                        t.minute(),
                        t.second()
                    )
                } else {
                    format!(
                        "IMG-{}{:02}{:02}-WA{n:04}.jpg",
                        t.year(),
                        t.month(),
                        t.day()
                    )
                };
                if self.rng.chance(50) {
                    extra.push(self.words(1, 5));
                }
                match (self.nl(), self.ios()) {
                    (true, false) => format!("\u{200E}{file} (bestand bijgevoegd)"),
                    (false, false) => format!("{file} (file attached)"),
                    (true, true) => format!("\u{200E}<bijgevoegd: {file}>"),
                    (false, true) => format!("\u{200E}<attached: {file}>"),
                }
            }
            7..=8 => {
                deleted = true;
                match (self.nl(), self.ios()) {
                    (true, false) => "Dit bericht is verwijderd".to_owned(),
                    (false, false) => "This message was deleted".to_owned(),
                    (true, true) => "\u{200E}Dit bericht is verwijderd.".to_owned(),
                    (false, true) => "\u{200E}This message was deleted.".to_owned(),
                }
            }
            9..=17 => {
                // More lines; now and then a forward pasted in another header format.
                let lines = 1 + self.rng.below(3);
                for _ in 0..lines {
                    if self.rng.chance(30) {
                        let pick = self.rng.below(self.inside.len());
                        let other = self.written(self.inside[pick]);
                        let forward = if self.ios() {
                            format!(
                                "{} - {other}: {}",
                                self.foreign_android_date(),
                                self.words(1, 6)
                            )
                        } else {
                            format!(
                                "[{}] {other}: {}",
                                self.foreign_ios_date(),
                                self.words(1, 6)
                            )
                        };
                        extra.push(forward);
                    } else if self.rng.chance(20) {
                        extra.push(String::new());
                    } else {
                        extra.push(self.words(1, 10));
                    }
                }
                self.words(1, 12)
            }
            18 => {
                edited = true;
                let marker = if self.nl() {
                    "<Dit bericht is bewerkt>"
                } else {
                    "<This message was edited>"
                };
                format!("{} {marker}", self.words(2, 8))
            }
            _ => self.words(1, 16),
        };
        let mut text = first.clone();
        for line in &extra {
            text.push('\n');
            text.push_str(line);
        }
        let kind = EventKind::Message(Message {
            author: self.person(author),
            text,
            media,
            deleted,
            edited,
        });
        (format!("{name}: {first}"), kind, extra)
    }

    /// A date in iPhone form inside an Android export (or the two-part form of a forward).
    fn foreign_ios_date(&mut self) -> String {
        let t = self.time;
        if self.rng.chance(50) {
            format!(
                "{}/{}, {:02}:{:02}",
                t.day(),
                t.month(),
                t.hour(),
                t.minute()
            )
        } else {
            format!(
                "{:02}-{:02}-{} {:02}:{:02}:{:02}",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minute(),
                t.second()
            )
        }
    }

    fn foreign_android_date(&mut self) -> String {
        let t = self.time;
        format!(
            "{:02}-{:02}-{} {:02}:{:02}",
            t.day(),
            t.month(),
            t.year(),
            t.hour(),
            t.minute()
        )
    }
}

fn fallback_time() -> LocalDateTime {
    from_seconds(1_735_718_400)
}

/// The inverse of [`LocalDateTime::seconds`].
pub fn from_seconds(seconds: i64) -> LocalDateTime {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
    LocalDateTime::new(
        year,
        month,
        day,
        (rest / 3600) as u8,
        (rest % 3600 / 60) as u8,
        (rest % 60) as u8,
    )
    .unwrap_or_else(|| LocalDateTime::new(2025, 1, 1, 0, 0, 0).unwrap_or_else(unreachable_time))
}

#[allow(clippy::panic)]
fn unreachable_time() -> LocalDateTime {
    panic!("2025-01-01 00:00:00 is a valid time")
}
