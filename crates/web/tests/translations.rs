//! Every message exists in Dutch and English, parses, and every key the templates and code
//! use is defined.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use erbij_web::{Lang, ftl_source, message_ids};

fn ids(lang: Lang) -> BTreeSet<String> {
    message_ids(lang).into_iter().collect()
}

#[test]
fn dutch_and_english_define_the_same_messages() {
    let nl = ids(Lang::Nl);
    let en = ids(Lang::En);
    assert!(nl.len() > 100, "only {} Dutch messages parsed", nl.len());
    let missing_en: Vec<_> = nl.difference(&en).collect();
    let missing_nl: Vec<_> = en.difference(&nl).collect();
    assert!(
        missing_en.is_empty() && missing_nl.is_empty(),
        "missing in en: {missing_en:?}; missing in nl: {missing_nl:?}"
    );
}

#[test]
fn both_files_parse_without_junk() {
    for (name, source) in [("nl", ftl_source(Lang::Nl)), ("en", ftl_source(Lang::En))] {
        let declared = source
            .lines()
            .filter(|l| {
                l.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && l.contains(" = ")
            })
            .count();
        let parsed = message_ids(if name == "nl" { Lang::Nl } else { Lang::En }).len();
        assert_eq!(
            parsed, declared,
            "{name}.ftl: {declared} messages written, {parsed} parsed"
        );
    }
}

/// Keys written literally as `t("key"`, `t1("key"` or `format("key"` in templates and sources.
fn used_keys() -> BTreeSet<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut keys = BTreeSet::new();
    // Every file under templates/ and src/, at any depth.
    let mut pending = vec![root.join("templates"), root.join("src")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for marker in [
                ".t(\"",
                ".t1(\"",
                ".format(\"",
                "BadRequest(\"",
                "=error-",
                "=done-",
            ] {
                for (at, _) in text.match_indices(marker) {
                    let rest = &text[at + marker.len()..];
                    let key: String = rest
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                        .collect();
                    let key = match marker.strip_prefix('=') {
                        Some(prefix) => format!("{prefix}{key}"),
                        None => key,
                    };
                    if key.contains('-') && !key.ends_with('-') {
                        keys.insert(key);
                    }
                }
            }
        }
    }
    keys
}

#[test]
fn every_key_used_in_templates_and_code_exists() {
    let nl = ids(Lang::Nl);
    let used = used_keys();
    assert!(used.len() > 80, "found only {} used keys", used.len());
    let missing: Vec<_> = used.difference(&nl).collect();
    assert!(missing.is_empty(), "keys used but not defined: {missing:?}");
}

#[test]
fn school_type_picks_groep_or_klas() {
    use erbij_core::SchoolKind;
    use erbij_web::Tr;
    assert_eq!(
        Tr::new(Lang::Nl, SchoolKind::Primary).t("class-word"),
        "Groep"
    );
    assert_eq!(
        Tr::new(Lang::Nl, SchoolKind::Secondary).t("class-word"),
        "Klas"
    );
    assert_eq!(
        Tr::new(Lang::En, SchoolKind::Primary).t("class-word"),
        "Group"
    );
    assert_eq!(
        Tr::new(Lang::Nl, SchoolKind::Primary).t("role-care-coordinator"),
        "intern begeleider"
    );
    assert_eq!(
        Tr::new(Lang::Nl, SchoolKind::Secondary).t1("class-pupil-count", "count", "1"),
        "1 leerling"
    );
    assert_eq!(
        Tr::new(Lang::Nl, SchoolKind::Secondary).t1("class-pupil-count", "count", "27"),
        "27 leerlingen"
    );
}
