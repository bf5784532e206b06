//! Any generated chat reads back to exactly the events generated, in every format.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Read;

/// Hands out at most `step` bytes per read, so every chunk and line boundary gets tried.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

use erbij_chat::{DiagnosticKind, Events, Language, Variant, read};
use erbij_chat_gen::{Clock, Options, generate};
use proptest::prelude::*;

fn options() -> impl Strategy<Value = Options> {
    (
        any::<u64>(),
        prop_oneof![Just(Variant::Android), Just(Variant::Ios)],
        prop_oneof![Just(Language::Dutch), Just(Language::English)],
        prop_oneof![Just(Clock::TwentyFour), Just(Clock::Twelve)],
        2usize..20,
        any::<bool>(),
    )
        .prop_map(|(seed, variant, language, clock, members, old)| Options {
            seed,
            variant,
            language,
            clock,
            members,
            // Only iPhones wrote the old format.
            old_iphone: old && variant == Variant::Ios,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn generated_chats_read_back_exactly(options in options(), entries in 1usize..400) {
        let generated = generate(options, entries);
        let chat = read(generated.text.as_bytes()).unwrap();
        prop_assert_eq!(chat.format.variant, options.variant);
        prop_assert_eq!(chat.format.language, options.language);
        prop_assert_eq!(chat.events.len(), generated.events.len());
        for (read_back, expected) in chat.events.iter().zip(&generated.events) {
            prop_assert_eq!(read_back, expected);
        }
        // Only the diagnostics the generator provoked: late messages, unknown notices and an
        // undecidable date order.
        for d in &chat.diagnostics {
            prop_assert!(
                matches!(
                    d.kind,
                    DiagnosticKind::TimeGoesBack { .. }
                        | DiagnosticKind::UnknownSystemLine
                        | DiagnosticKind::DateOrderUndecided { .. }
                ),
                "{:?}", d
            );
        }
    }

    #[test]
    fn streaming_through_a_tiny_buffer_changes_nothing(options in options(), capacity in 1usize..64) {
        let generated = generate(options, 120);
        let chat = read(generated.text.as_bytes()).unwrap();
        let streamed: Vec<_> =
            Events::new(Trickle { data: generated.text.as_bytes(), step: capacity }, &chat.format).collect();
        prop_assert_eq!(streamed, chat.events);
    }
}

#[test]
fn the_generator_is_deterministic() {
    let options = Options::new(7, Variant::Android, Language::Dutch, Clock::TwentyFour);
    assert_eq!(generate(options, 50), generate(options, 50));
    let other = Options { seed: 8, ..options };
    assert_ne!(generate(options, 50).text, generate(other, 50).text);
}

#[test]
fn a_long_chat_reads_back_in_every_format() {
    for variant in [Variant::Android, Variant::Ios] {
        for language in [Language::Dutch, Language::English] {
            for clock in [Clock::TwentyFour, Clock::Twelve] {
                for old_iphone in [false, true] {
                    let options = Options {
                        old_iphone: old_iphone && variant == Variant::Ios,
                        ..Options::new(2025, variant, language, clock)
                    };
                    let generated = generate(options, 5_000);
                    let chat = read(generated.text.as_bytes()).unwrap();
                    assert_eq!(chat.format.variant, variant, "{options:?}");
                    assert_eq!(chat.events, generated.events, "{options:?}");
                }
            }
        }
    }
}

#[test]
fn the_iphone_notice_names_the_group_even_with_a_colon() {
    // Found by the property test: a group called "Voetbal: zaterdag".
    for seed in 0..64 {
        let options = Options::new(seed, Variant::Ios, Language::Dutch, Clock::TwentyFour);
        let generated = generate(options, 3);
        let chat = read(generated.text.as_bytes()).unwrap();
        let erbij_chat::EventKind::System(erbij_chat::SystemEvent::Created { group, .. }) =
            &generated.events[1].kind
        else {
            panic!("the second entry is the creation");
        };
        assert_eq!(chat.format.group_hint, *group);
    }
}
