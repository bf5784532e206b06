//! Scenarios: a fictional class, its group chats over a few weeks, and planted exclusion
//! patterns (or look-alikes that must not be flagged), rendered as WhatsApp export text in
//! Dutch (Android, iPhone) or English (Android, 12-hour clock). Deterministic from a seed.

use erbij_chat::LocalDateTime;
use erbij_chat_gen::from_seconds;
use erbij_detect::FindingKind;

use crate::writer::{ExportWriter, Phone, Who};

/// SplitMix64: small, fast, the same on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % (n.max(1) as u64)) as usize
    }
    pub fn range(&mut self, low: usize, high_inclusive: usize) -> usize {
        low + self.below(high_inclusive - low + 1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Fictional first names, unique within a class; several are also Dutch words.
const FIRST_NAMES: &[&str] = &[
    "Mila", "Sanne", "Daan", "Noah", "Liam", "Emma", "Julia", "Lucas", "Tess", "Finn", "Saar",
    "Levi", "Yara", "Thijs", "Lotte", "Ayoub", "Fatima", "Anouk", "Jesse", "Ruben", "Elif", "Zoë",
    "Noëlle", "Daniël", "Roos", "Fleur", "Storm", "Jade", "Noor", "Bas", "Mees", "Bo", "Sem",
    "Femke", "Milan", "Sophie", "Ilias", "Nina", "Olivier", "Hanna",
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
    "Peters",
    "Hendriks",
    "van Dijk",
    "Yılmaz",
    "El Amrani",
    "Kramer",
    "de Groot",
];

const CHATTER_NL: &[&str] = &[
    "Weet iemand wanneer de toets is?",
    "Heeft iemand het rooster van morgen?",
    "Ik heb het huiswerk al af",
    "Hoe laat begint de les morgen?",
    "Haha ja",
    "Top",
    "Ja klopt",
    "Nee toch niet",
    "Wie heeft de aantekeningen van bio?",
    "Is het lokaal veranderd?",
    "Oké thanks",
    "Ik neem de trein van 8 uur",
    "Welke bladzijde moesten we lezen?",
    "Wat een storm vandaag zeg",
    "Gaan we morgen samen fietsen?",
    "Ik ben zo laat, sorry",
    "Jaa leuk",
    "Ik kom ook",
    "Succes morgen allemaal",
    "Wie gaat er vrijdag naar de film?",
    "Morgen vrij toch?",
    "Hier, van de site",
    "Dankjewel!",
    "Heb je het boek al terug?",
    "Kan iemand me helpen met wiskunde?",
];
const CHATTER_EN: &[&str] = &[
    "Does anyone know when the test is?",
    "Has anyone got tomorrow's timetable?",
    "I already finished the homework",
    "What time does class start tomorrow?",
    "Haha yes",
    "Great",
    "Yes right",
    "No not really",
    "Who has the biology notes?",
    "Did the room change?",
    "Ok thanks",
    "I take the 8 o'clock train",
    "Which page did we have to read?",
    "What a storm today",
    "Shall we cycle together tomorrow?",
    "I'll be late, sorry",
    "Yesss nice",
    "I'm coming too",
    "Good luck tomorrow everyone",
    "Who is going to the movies on Friday?",
    "No school tomorrow right?",
    "Here, from the website",
    "Thank you!",
    "Did you get your book back?",
    "Can someone help me with maths?",
];
// Addressing a member who is in the group, sometimes teasing: never about an absent pupil.
const ADDRESS_NL: &[&str] = &[
    "{M}, heb jij het boek nog?",
    "Thanks {M}!",
    "Hoi {M}, kom je ook?",
    "{M} je bent zo stom haha",
    "Wat een stomme toets he {M}",
];
const ADDRESS_EN: &[&str] = &[
    "{M}, do you still have the book?",
    "Thanks {M}!",
    "Hi {M}, are you coming?",
    "{M} you're so weird lol",
    "That test was stupid {M}",
];
const NEGATIVE_NL: &[&str] = &[
    "{V} is echt zo irritant",
    "{V} eruit 🤡",
    "Niemand wil {V} erbij",
    "{V} is zo stom",
    "Ga weg {V}",
    "Wie heeft {V} eigenlijk toegevoegd",
    "{V} hoort er niet bij",
    "{V}'s verhalen zijn zo stom",
    "Echt kankerirritant die {V}",
    "{V} is zo'n aandachtzoeker",
    "kut {V}",
    "{V} doet echt zo raar",
];
const NEGATIVE_EN: &[&str] = &[
    "{V} is so annoying",
    "nobody likes {V}",
    "{V} is such a loser",
    "{V} is so weird lol",
    "don't invite {V}",
    "{V} out 🤡",
    "who added {V} anyway",
];
const FRIENDLY_NL: &[&str] = &[
    "Ik mis {V} wel",
    "Wanneer komt {V} terug?",
    "{V} is echt aardig",
    "Groetjes aan {V}!",
    "{V} is niet irritant hoor",
    "Ah zielig voor {V}",
    "Raar dat {V} er niet is",
    "Sneu voor {V} dat ze ziek is",
];
const FRIENDLY_EN: &[&str] = &[
    "I miss {V}",
    "{V} is really nice",
    "Say hi to {V}!",
    "When is {V} coming back?",
];
const PARTY_NL: &[&str] = &["Feestje", "Weekend", "Verjaardag", "Zaterdag", "Filmavond"];
const PARTY_EN: &[&str] = &["Party", "Weekend", "Birthday", "Saturday", "Movie night"];

/// What a case plants, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plant {
    Control,
    Removed,
    RemovedWithGossip,
    AddedAndRemoved,
    AddedAndRemovedCycle,
    TargetedNameAndShadow,
    Shadow,
    Ignored,
    LeftOnOwn,
    RemovalUndone,
    QuietMember,
    FriendlyWhileAbsent,
    SportsTeam,
    MergedExports,
    ShadowWithGossip,
    LongControl,
}

impl Plant {
    pub const ALL: [Plant; 16] = [
        Plant::Control,
        Plant::Removed,
        Plant::RemovedWithGossip,
        Plant::AddedAndRemoved,
        Plant::AddedAndRemovedCycle,
        Plant::TargetedNameAndShadow,
        Plant::Shadow,
        Plant::Ignored,
        Plant::LeftOnOwn,
        Plant::RemovalUndone,
        Plant::QuietMember,
        Plant::FriendlyWhileAbsent,
        Plant::SportsTeam,
        Plant::MergedExports,
        Plant::ShadowWithGossip,
        Plant::LongControl,
    ];

    /// Chats with no exclusion at all: nothing may be found.
    pub fn is_control(self) -> bool {
        matches!(self, Plant::Control | Plant::LongControl)
    }

    /// Look-alikes: something happens that must not be flagged (or flagged weakly).
    pub fn is_look_alike(self) -> bool {
        matches!(
            self,
            Plant::LeftOnOwn
                | Plant::RemovalUndone
                | Plant::QuietMember
                | Plant::FriendlyWhileAbsent
                | Plant::SportsTeam
        )
    }
}

/// A finding the case must produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub kind: FindingKind,
    pub subject: String,
    /// The finding must carry low confidence (a removal undone within minutes).
    pub low_confidence: bool,
}

/// One export to hand to the reader.
#[derive(Debug, Clone)]
pub struct Export {
    pub text: String,
    pub exporter: String,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub seed: u64,
    pub plant: Plant,
    pub phone: Phone,
    pub roster_csv: String,
    pub exports: Vec<Export>,
    pub expected: Vec<Expected>,
    pub class_size: usize,
}

#[derive(Debug, Clone)]
struct Pupil {
    first: String,
    full: String,
}

#[derive(Debug, Clone)]
enum Action {
    Created { by: usize, name: String },
    Added { by: usize, who: Vec<usize> },
    Removed { by: usize, who: usize },
    Left { who: usize },
    Renamed { by: usize, to: String },
    Message { author: usize, text: String },
}

#[derive(Debug, Clone, Default)]
struct GroupPlan {
    actions: Vec<(i64, Action)>,
}

impl GroupPlan {
    fn at(&mut self, seconds: i64, action: Action) {
        self.actions.push((seconds, action));
    }
}

struct Builder<'a> {
    rng: &'a mut Rng,
    dutch: bool,
    pupils: Vec<Pupil>,
    start: i64,
}

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

impl Builder<'_> {
    fn chatter_text(&mut self, members: &[usize], author: usize) -> String {
        if self.rng.chance(12) && members.len() > 2 {
            let others: Vec<usize> = members.iter().copied().filter(|m| *m != author).collect();
            let m = *self.rng.pick(&others);
            let template = if self.dutch {
                *self.rng.pick(ADDRESS_NL)
            } else {
                *self.rng.pick(ADDRESS_EN)
            };
            return template.replace("{M}", &self.pupils[m].first);
        }
        let pool = if self.dutch { CHATTER_NL } else { CHATTER_EN };
        (*self.rng.pick(pool)).to_string()
    }

    /// Conversation bursts in fixed day slots (10, 13, 16, 19 h, some nights at 23:30), so
    /// planted quiet-time messages at half past the next hour get no answer.
    fn chatter(
        &mut self,
        plan: &mut GroupPlan,
        members: &[usize],
        first_day: i64,
        days: i64,
        per_day: usize,
    ) {
        if members.len() < 2 {
            return;
        }
        for day in first_day..first_day + days {
            let mut slots = vec![10, 13, 16, 19];
            self.rng.shuffle(&mut slots);
            let bursts = self.rng.range(1, per_day);
            for slot in slots.iter().take(bursts) {
                let mut t =
                    self.start + day * DAY + slot * HOUR + self.rng.range(0, 10) as i64 * 60;
                let length = self.rng.range(3, 8);
                let mut previous = usize::MAX;
                for _ in 0..length {
                    let mut author = *self.rng.pick(members);
                    if author == previous {
                        author = members[(members.iter().position(|m| *m == author).unwrap_or(0)
                            + 1)
                            % members.len()];
                    }
                    previous = author;
                    let text = self.chatter_text(members, author);
                    plan.at(t, Action::Message { author, text });
                    t += self.rng.range(20, 150) as i64;
                }
            }
            if self.rng.chance(10) {
                let t = self.start + day * DAY + 23 * HOUR + 30 * 60;
                let author = *self.rng.pick(members);
                plan.at(
                    t,
                    Action::Message {
                        author,
                        text: if self.dutch {
                            "Slaap lekker".into()
                        } else {
                            "Good night".into()
                        },
                    },
                );
            }
        }
    }

    fn name_form(&mut self, v: usize) -> String {
        let first = self.pupils[v].first.clone();
        let is_word = erbij_detect::NAME_WORDS.contains(&erbij_detect::text::fold(&first).as_str());
        match self.rng.below(6) {
            0 if !is_word => first.to_lowercase(),
            1 => {
                let last = first.chars().last().unwrap_or('a');
                format!("{first}{last}{last}")
            }
            _ => first,
        }
    }

    fn remarks(
        &mut self,
        plan: &mut GroupPlan,
        about: usize,
        authors: &[usize],
        from: i64,
        count: usize,
        negative: bool,
    ) {
        let mut t = from;
        for i in 0..count {
            let author = authors[i % authors.len()];
            let pool = match (negative, self.dutch) {
                (true, true) => NEGATIVE_NL,
                (true, false) => NEGATIVE_EN,
                (false, true) => FRIENDLY_NL,
                (false, false) => FRIENDLY_EN,
            };
            let template = *self.rng.pick(pool);
            let name = self.name_form(about);
            plan.at(
                t,
                Action::Message {
                    author,
                    text: template.replace("{V}", &name),
                },
            );
            t += self.rng.range(2, 20) as i64 * HOUR + self.rng.range(0, 59) as i64 * 60;
        }
    }
}

/// Generates case number `index` of a run with `seed`.
pub fn generate(seed: u64, index: usize) -> Case {
    let plant = Plant::ALL[index % Plant::ALL.len()];
    let phone = match (index / Plant::ALL.len()) % 3 {
        0 => Phone::AndroidDutch,
        1 => Phone::AndroidEnglish,
        _ => Phone::IphoneDutch,
    };
    let case_seed = seed.wrapping_mul(1_000_003).wrapping_add(index as u64);
    let mut rng = Rng::new(case_seed);
    let class_size = match plant {
        Plant::LongControl => rng.range(20, 28),
        _ => rng.range(8, 26),
    };
    let mut firsts: Vec<&str> = FIRST_NAMES.to_vec();
    rng.shuffle(&mut firsts);
    let pupils: Vec<Pupil> = firsts
        .iter()
        .take(class_size)
        .map(|first| {
            let surname = *rng.pick(SURNAMES);
            Pupil {
                first: (*first).to_string(),
                full: format!("{first} {surname}"),
            }
        })
        .collect();
    let roster_csv = std::iter::once("name,aliases".to_string())
        .chain(pupils.iter().map(|p| format!("{},", p.full)))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n";
    // Roles: victim 0, actor 1, exporter 2, creator 3 (after shuffling the class).
    let mut order: Vec<usize> = (0..class_size).collect();
    rng.shuffle(&mut order);
    let (victim, actor, exporter, creator) = (order[0], order[1], order[2], order[3]);
    let day0 = 20_089 + rng.range(0, 180) as i64; // from 2025-01-01 on
    // `start` is midnight of day 0: every planted time is "day * DAY + hour" after it.
    let start = day0 * DAY;
    let days = match plant {
        Plant::LongControl => rng.range(40, 60) as i64,
        _ => rng.range(16, 30) as i64,
    };
    let dutch = phone.dutch();
    let mut builder = Builder {
        rng: &mut rng,
        dutch,
        pupils: pupils.clone(),
        start,
    };
    let everyone: Vec<usize> = (0..class_size).collect();
    let mut expected = Vec::new();
    let expect = |kind: FindingKind, who: usize, expected: &mut Vec<Expected>| {
        expected.push(Expected {
            kind,
            subject: pupils[who].full.clone(),
            low_confidence: false,
        });
    };

    // The class group: everyone added at once by the creator.
    let mut class_group = GroupPlan::default();
    let class_name = if dutch {
        format!(
            "Klas {}{}",
            builder.rng.range(1, 4),
            ["A", "B", "C"][builder.rng.below(3)]
        )
    } else {
        "Class 2B".to_string()
    };
    class_group.at(
        start + 9 * HOUR,
        Action::Created {
            by: creator,
            name: class_name,
        },
    );
    class_group.at(
        start + 9 * HOUR + 5,
        Action::Added {
            by: creator,
            who: everyone.iter().copied().filter(|p| *p != creator).collect(),
        },
    );
    let without_victim: Vec<usize> = everyone.iter().copied().filter(|p| *p != victim).collect();
    let event_day = days / 2;
    let event_time = start + event_day * DAY + 20 * HOUR + 7 * 60;
    let mut side_groups: Vec<GroupPlan> = Vec::new();

    match plant {
        Plant::Control | Plant::LongControl => {
            builder.chatter(
                &mut class_group,
                &everyone,
                0,
                days,
                if plant == Plant::LongControl { 4 } else { 3 },
            );
        }
        Plant::Removed | Plant::RemovedWithGossip | Plant::MergedExports => {
            builder.chatter(&mut class_group, &everyone, 0, event_day, 3);
            class_group.at(
                event_time,
                Action::Removed {
                    by: actor,
                    who: victim,
                },
            );
            builder.chatter(
                &mut class_group,
                &without_victim,
                event_day + 1,
                days - event_day - 1,
                3,
            );
            expect(FindingKind::Removed, victim, &mut expected);
            if plant != Plant::Removed {
                let authors: Vec<usize> = without_victim
                    .iter()
                    .copied()
                    .filter(|p| *p != exporter)
                    .take(3)
                    .collect();
                let count = builder.rng.range(3, 5);
                builder.remarks(
                    &mut class_group,
                    victim,
                    &authors,
                    event_time + 10 * 60,
                    count,
                    true,
                );
                expect(FindingKind::AbsentGossip, victim, &mut expected);
            }
        }
        Plant::AddedAndRemoved | Plant::AddedAndRemovedCycle => {
            builder.chatter(&mut class_group, &everyone, 0, days, 3);
            let size = builder.rng.range(3, (class_size / 2).max(3));
            let mut members: Vec<usize> = vec![actor, exporter];
            members.extend(
                without_victim
                    .iter()
                    .copied()
                    .filter(|p| *p != actor && *p != exporter)
                    .take(size),
            );
            let mut side = GroupPlan::default();
            let name = if dutch {
                *builder.rng.pick(PARTY_NL)
            } else {
                *builder.rng.pick(PARTY_EN)
            };
            let t0 = start + 3 * DAY + 15 * HOUR;
            side.at(
                t0,
                Action::Created {
                    by: actor,
                    name: name.to_string(),
                },
            );
            side.at(
                t0 + 10,
                Action::Added {
                    by: actor,
                    who: members[1..].to_vec(),
                },
            );
            builder.chatter(&mut side, &members, 3, 3, 1);
            let cycles = if plant == Plant::AddedAndRemovedCycle {
                2
            } else {
                1
            };
            for cycle in 0..cycles {
                let t = start + (7 + cycle) * DAY + 20 * HOUR;
                side.at(
                    t,
                    Action::Added {
                        by: actor,
                        who: vec![victim],
                    },
                );
                side.at(
                    t + 40,
                    Action::Message {
                        author: members[1],
                        text: "😂😂".into(),
                    },
                );
                side.at(
                    t + builder.rng.range(60, 480) as i64,
                    Action::Removed {
                        by: actor,
                        who: victim,
                    },
                );
            }
            side_groups.push(side);
            expect(FindingKind::AddedAndRemoved, victim, &mut expected);
        }
        Plant::TargetedNameAndShadow | Plant::Shadow | Plant::ShadowWithGossip => {
            builder.chatter(&mut class_group, &everyone, 0, days, 3);
            let mut missing = vec![victim];
            if plant == Plant::Shadow && class_size >= 14 && builder.rng.chance(50) {
                missing.push(order[4]);
            }
            let members: Vec<usize> = everyone
                .iter()
                .copied()
                .filter(|p| !missing.contains(p))
                .collect();
            let mut side = GroupPlan::default();
            let victim_name = pupils[victim].first.clone();
            let name = if plant == Plant::TargetedNameAndShadow {
                let forms_nl = [
                    format!("Feestje zonder {victim_name}"),
                    format!("{victim_name}-vrije zone"),
                    format!("Anti-{victim_name}"),
                    format!("Iedereen behalve {victim_name}"),
                ];
                let forms_en = [
                    format!("Party without {victim_name}"),
                    format!("No {victim_name} allowed"),
                    format!("Anti-{victim_name}"),
                    format!("{victim_name}-free zone"),
                ];
                if dutch {
                    builder.rng.pick(&forms_nl).clone()
                } else {
                    builder.rng.pick(&forms_en).clone()
                }
            } else {
                let pool = if dutch { PARTY_NL } else { PARTY_EN };
                (*builder.rng.pick(pool)).to_string()
            };
            let t0 = start + 4 * DAY + 18 * HOUR;
            let renamed = plant == Plant::TargetedNameAndShadow && builder.rng.chance(50);
            // "Weekend" in both languages: the aimed name comes with the rename.
            let first_name = if renamed {
                "Weekend".to_string()
            } else {
                name.clone()
            };
            side.at(
                t0,
                Action::Created {
                    by: actor,
                    name: first_name,
                },
            );
            side.at(
                t0 + 10,
                Action::Added {
                    by: actor,
                    who: members.iter().copied().filter(|p| *p != actor).collect(),
                },
            );
            if renamed {
                side.at(
                    t0 + 60,
                    Action::Renamed {
                        by: actor,
                        to: name,
                    },
                );
            }
            builder.chatter(&mut side, &members, 4, 8, 2);
            for m in &missing {
                expect(FindingKind::ShadowGroup, *m, &mut expected);
            }
            if plant == Plant::TargetedNameAndShadow {
                expect(FindingKind::TargetedGroupName, victim, &mut expected);
            }
            if plant == Plant::ShadowWithGossip {
                let authors: Vec<usize> = members
                    .iter()
                    .copied()
                    .filter(|p| *p != exporter)
                    .take(2)
                    .collect();
                builder.remarks(
                    &mut side,
                    victim,
                    &authors,
                    t0 + DAY + 2 * HOUR + 30 * 60,
                    3,
                    true,
                );
                expect(FindingKind::AbsentGossip, victim, &mut expected);
            }
            side_groups.push(side);
        }
        Plant::Ignored | Plant::QuietMember => {
            builder.chatter(&mut class_group, &without_victim, 0, days, 3);
            let turns = if plant == Plant::Ignored {
                builder.rng.range(18, 30)
            } else {
                builder.rng.range(3, 8)
            };
            for i in 0..turns {
                let day = (i as i64 * days) / turns as i64;
                let slot = [11, 14, 17, 20][builder.rng.below(4)];
                let t =
                    start + day * DAY + slot * HOUR + 30 * 60 + builder.rng.range(0, 9) as i64 * 60;
                let text = builder.chatter_text(&without_victim, victim);
                class_group.at(
                    t,
                    Action::Message {
                        author: victim,
                        text,
                    },
                );
                // Now and then someone does answer (about one turn in seven): the test has
                // to tell "rarely" from "as often as the others", not just find zero.
                if builder.rng.chance(15) {
                    let author = *builder.rng.pick(&without_victim);
                    let text = builder.chatter_text(&without_victim, author);
                    class_group.at(t + 90, Action::Message { author, text });
                }
            }
            if plant == Plant::Ignored {
                expect(FindingKind::Ignored, victim, &mut expected);
            }
        }
        Plant::LeftOnOwn | Plant::FriendlyWhileAbsent => {
            builder.chatter(&mut class_group, &everyone, 0, event_day, 3);
            class_group.at(event_time, Action::Left { who: victim });
            builder.chatter(
                &mut class_group,
                &without_victim,
                event_day + 1,
                days - event_day - 1,
                3,
            );
            let authors: Vec<usize> = without_victim
                .iter()
                .copied()
                .filter(|p| *p != exporter)
                .take(3)
                .collect();
            if plant == Plant::FriendlyWhileAbsent {
                builder.remarks(
                    &mut class_group,
                    victim,
                    &authors,
                    event_time + 30 * 60,
                    4,
                    false,
                );
            } else {
                // One classmate's unkind remarks after someone left: not yet a group pattern.
                builder.remarks(
                    &mut class_group,
                    victim,
                    &authors[..1],
                    event_time + 30 * 60,
                    2,
                    true,
                );
            }
        }
        Plant::RemovalUndone => {
            builder.chatter(&mut class_group, &everyone, 0, days, 3);
            class_group.at(
                event_time,
                Action::Removed {
                    by: actor,
                    who: victim,
                },
            );
            class_group.at(
                event_time + builder.rng.range(40, 300) as i64,
                Action::Added {
                    by: actor,
                    who: vec![victim],
                },
            );
            expected.push(Expected {
                kind: FindingKind::Removed,
                subject: pupils[victim].full.clone(),
                low_confidence: true,
            });
        }
        Plant::SportsTeam => {
            builder.chatter(&mut class_group, &everyone, 0, days, 3);
            let size = (class_size * builder.rng.range(30, 60)) / 100;
            let mut members: Vec<usize> = vec![actor, exporter];
            members.extend(
                without_victim
                    .iter()
                    .copied()
                    .filter(|p| *p != actor && *p != exporter)
                    .take(size.max(2)),
            );
            let mut side = GroupPlan::default();
            let name = if dutch {
                "Voetbal JO14-2"
            } else {
                "Football U14"
            };
            let t0 = start + 2 * DAY + 17 * HOUR;
            side.at(
                t0,
                Action::Created {
                    by: actor,
                    name: name.into(),
                },
            );
            side.at(
                t0 + 10,
                Action::Added {
                    by: actor,
                    who: members[1..].to_vec(),
                },
            );
            builder.chatter(&mut side, &members, 2, 10, 1);
            side_groups.push(side);
        }
    }

    // Render: the class group from the exporter's phone (and, for merged exports, a second
    // member's phone with other contact names); side groups from the exporter's phone.
    let mut exports = vec![render(
        &class_group,
        &pupils,
        exporter,
        phone,
        start,
        &|p: &Pupil| p.first.clone(),
    )];
    if plant == Plant::MergedExports {
        let second = order[5 % class_size.max(6)].min(class_size - 1);
        let second = if second == victim || second == exporter {
            creator
        } else {
            second
        };
        let contact = |p: &Pupil| {
            let initial = p
                .full
                .split_whitespace()
                .last()
                .and_then(|s| s.chars().next())
                .unwrap_or('X');
            format!("{} {initial}", p.first)
        };
        exports.push(render(
            &class_group,
            &pupils,
            second,
            phone,
            start,
            &contact,
        ));
    }
    for side in &side_groups {
        exports.push(render(
            side,
            &pupils,
            exporter,
            phone,
            start,
            &|p: &Pupil| p.first.clone(),
        ));
    }
    Case {
        seed: case_seed,
        plant,
        phone,
        roster_csv,
        exports,
        expected,
        class_size,
    }
}

fn render(
    plan: &GroupPlan,
    pupils: &[Pupil],
    exporter: usize,
    phone: Phone,
    start: i64,
    contact: &dyn Fn(&Pupil) -> String,
) -> Export {
    let mut actions = plan.actions.clone();
    actions.sort_by_key(|(t, _)| *t);
    let mut writer = ExportWriter::new(phone);
    let first = actions.first().map_or(start, |(t, _)| *t);
    writer.encryption_notice(time(first));
    let who = |p: usize| {
        if p == exporter {
            Who::Exporter
        } else {
            Who::Contact(contact(&pupils[p]))
        }
    };
    for (t, action) in &actions {
        let at = time(*t);
        match action {
            Action::Created { by, name } => writer.created(at, &who(*by), name),
            Action::Added { by, who: list } => {
                let list: Vec<Who> = list.iter().map(|p| who(*p)).collect();
                writer.added(at, &who(*by), &list);
            }
            Action::Removed { by, who: target } => {
                writer.removed(at, &who(*by), &who(*target));
            }
            Action::Left { who: target } => writer.left(at, &who(*target)),
            Action::Renamed { by, to } => writer.renamed(at, &who(*by), to),
            Action::Message { author, text } => {
                // Your own messages carry your own name in your own export.
                writer.message(at, &contact(&pupils[*author]), text);
            }
        }
    }
    Export {
        text: writer.text,
        exporter: pupils[exporter].first.clone(),
    }
}

fn time(seconds: i64) -> LocalDateTime {
    from_seconds(seconds)
}
