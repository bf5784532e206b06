//! Every text the app shows goes through Fluent: Dutch (`nl`, the default) and English
//! (`en`). A test checks that both languages define the same messages and that every key
//! the templates and code use exists.

use std::sync::OnceLock;

use erbij_core::SchoolKind;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

// The platform's messages, then one file per capability (same keys in both languages).
const NL: &str = concat!(
    include_str!("../locales/nl.ftl"),
    include_str!("../locales/nl/signals.ftl"),
    include_str!("../locales/nl/surveys.ftl"),
    include_str!("../locales/nl/monitor.ftl"),
    include_str!("../locales/nl/cases.ftl"),
    include_str!("../locales/nl/evidence.ftl"),
    include_str!("../locales/nl/lessons.ftl"),
    include_str!("../locales/nl/hardening.ftl"),
    include_str!("../locales/nl/auth.ftl")
);
const EN: &str = concat!(
    include_str!("../locales/en.ftl"),
    include_str!("../locales/en/signals.ftl"),
    include_str!("../locales/en/surveys.ftl"),
    include_str!("../locales/en/monitor.ftl"),
    include_str!("../locales/en/cases.ftl"),
    include_str!("../locales/en/evidence.ftl"),
    include_str!("../locales/en/lessons.ftl"),
    include_str!("../locales/en/hardening.ftl"),
    include_str!("../locales/en/auth.ftl")
);

/// The whole Fluent source of one language (for the completeness test).
pub fn ftl_source(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => NL,
        Lang::En => EN,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub fn parse(raw: &str) -> Option<Lang> {
        match raw {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
    /// The other language, for the switch link.
    pub fn other(self) -> Lang {
        match self {
            Lang::Nl => Lang::En,
            Lang::En => Lang::Nl,
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

fn build(source: &'static str, lang: &str) -> Bundle {
    let id: LanguageIdentifier = lang.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would end up inside attribute values and e-mail addresses.
    bundle.set_use_isolating(false);
    let resource =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    let _ = bundle.add_resource(resource);
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static NL_BUNDLE: OnceLock<Bundle> = OnceLock::new();
    static EN_BUNDLE: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::Nl => NL_BUNDLE.get_or_init(|| build(NL, "nl")),
        Lang::En => EN_BUNDLE.get_or_init(|| build(EN, "en")),
    }
}

/// The message ids of one language's file, for the completeness test.
pub fn message_ids(lang: Lang) -> Vec<String> {
    let source = match lang {
        Lang::Nl => NL,
        Lang::En => EN,
    };
    let resource =
        FluentResource::try_new(source.to_string()).unwrap_or_else(|(partial, _)| partial);
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect()
}

/// Every message formatted once per language and school type: a page uses dozens, and
/// formatting through Fluent each time was most of the class page's rendering time.
fn plain_messages() -> &'static [std::collections::HashMap<String, String>; 4] {
    static CACHE: OnceLock<[std::collections::HashMap<String, String>; 4]> = OnceLock::new();
    CACHE.get_or_init(|| {
        let build = |lang: Lang, kind: SchoolKind| {
            let tr = Tr { lang, kind };
            message_ids(lang)
                .into_iter()
                .map(|id| (tr.format(&id, &[]), id))
                .map(|(text, id)| (id, text))
                .collect()
        };
        [
            build(Lang::Nl, SchoolKind::Primary),
            build(Lang::Nl, SchoolKind::Secondary),
            build(Lang::En, SchoolKind::Primary),
            build(Lang::En, SchoolKind::Secondary),
        ]
    })
}

/// The translator a template uses: a language and the school's type, which picks
/// "groep" (primary) or "klas" (secondary).
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
    pub kind: SchoolKind,
}

impl Tr {
    pub fn new(lang: Lang, kind: SchoolKind) -> Tr {
        Tr { lang, kind }
    }

    /// The message `key`; the key itself when it is missing (the test catches that).
    pub fn t(&self, key: &str) -> String {
        let index = match (self.lang, self.kind) {
            (Lang::Nl, SchoolKind::Primary) => 0,
            (Lang::Nl, SchoolKind::Secondary) => 1,
            (Lang::En, SchoolKind::Primary) => 2,
            (Lang::En, SchoolKind::Secondary) => 3,
        };
        match plain_messages()[index].get(key) {
            Some(text) => text.clone(),
            None => self.format(key, &[]),
        }
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.format(key, &[(name, value)])
    }

    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let bundle = bundle(self.lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fluent_args = FluentArgs::new();
        fluent_args.set("kind", FluentValue::from(self.kind.as_str()));
        for (name, value) in args {
            // Numbers as numbers, so plural selectors work.
            match value.parse::<i64>() {
                Ok(n) => fluent_args.set(*name, FluentValue::from(n)),
                Err(_) => fluent_args.set(*name, FluentValue::from(*value)),
            }
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned()
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }
}

/// A date as this interface writes it, the one place for it: `05-12-2026` in Dutch (as
/// Dutch people write dates, always two-digit day and month), `2026-12-05` in English.
/// Values of `<input type="date">` stay ISO; this is for text only.
pub(crate) fn show_date(date: erbij_core::Date, lang: Lang) -> String {
    match lang {
        Lang::Nl => date.dutch(),
        Lang::En => date.to_string(),
    }
}

/// A moment in Amsterdam time, `05-12-2026 14:16` (`2026-12-05 14:16` in English).
pub(crate) fn show_time(ts: erbij_core::Timestamp, lang: Lang) -> String {
    let local = ts + erbij_core::Date::amsterdam_offset(ts);
    let seconds = local.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        show_date(erbij_core::Date::from_timestamp(local), lang),
        seconds / 3600,
        seconds / 60 % 60
    )
}
