//! A pruned reading of a JSON document: the top-level shape, section names, and only the
//! few sub-sections that can hold followers, following or the profile.
//!
//! A TikTok `user_data.json` holds everything (watch history, comments, messages); we
//! skip all of that while parsing instead of building it in memory and throwing it away.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// What a JSON document looks like from above.
#[derive(Debug, Clone, PartialEq)]
pub enum Outline {
    /// A top-level array, kept whole (Instagram's newer `followers_1.json`).
    Array(Vec<Value>),
    /// A top-level object: its sections in file order.
    Object(Vec<(String, Section)>),
    /// Some other JSON value (a string, a number): its kind.
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// A section kept whole (Instagram's `relationships_followers`).
    Kept(Value),
    /// An object section: each child's name, with the child's value where it was kept.
    Object(Vec<(String, Option<Value>)>),
    /// A section that is not an object; skipped.
    Skipped,
}

/// Lower-case letters and digits only: "Follower List", "FollowerList" and
/// "follower_list" are one name to us.
pub fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn keep_section_whole(key: &str) -> bool {
    key.starts_with("relationships_")
}

/// Sub-sections that may hold what we read, under any top-level section.
pub fn keep_child(key: &str) -> bool {
    let key = normalise_key(key);
    crate::tiktok::FOLLOWER_SECTIONS.contains(&key.as_str())
        || crate::tiktok::FOLLOWING_SECTIONS.contains(&key.as_str())
        || crate::tiktok::PROFILE_SECTIONS.contains(&key.as_str())
}

pub fn parse(bytes: &[u8]) -> Result<Outline, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let outline = TopLevel.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(outline)
}

struct TopLevel;

impl<'de> DeserializeSeed<'de> for TopLevel {
    type Value = Outline;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Outline, D::Error> {
        deserializer.deserialize_any(TopLevelVisitor)
    }
}

struct TopLevelVisitor;

impl<'de> Visitor<'de> for TopLevelVisitor {
    type Value = Outline;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Outline, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Outline::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut sections = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let section = if keep_section_whole(&key) {
                Section::Kept(map.next_value::<Value>()?)
            } else {
                map.next_value_seed(SectionSeed)?
            };
            sections.push((key, section));
        }
        Ok(Outline::Object(sections))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Outline, E> {
        Ok(Outline::Other("string"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Outline, E> {
        Ok(Outline::Other("boolean"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Outline, E> {
        Ok(Outline::Other("number"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Outline, E> {
        Ok(Outline::Other("number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Outline, E> {
        Ok(Outline::Other("number"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Outline, E> {
        Ok(Outline::Other("null"))
    }
}

struct SectionSeed;

impl<'de> DeserializeSeed<'de> for SectionSeed {
    type Value = Section;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Section, D::Error> {
        deserializer.deserialize_any(SectionVisitor)
    }
}

struct SectionVisitor;

impl<'de> Visitor<'de> for SectionVisitor {
    type Value = Section;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Section, A::Error> {
        let mut children = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = if keep_child(&key) {
                Some(map.next_value::<Value>()?)
            } else {
                map.next_value::<IgnoredAny>()?;
                None
            };
            children.push((key, value));
        }
        Ok(Section::Object(children))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Section, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Section::Skipped)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Section, E> {
        Ok(Section::Skipped)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Section, E> {
        Ok(Section::Skipped)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Section, E> {
        Ok(Section::Skipped)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Section, E> {
        Ok(Section::Skipped)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Section, E> {
        Ok(Section::Skipped)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Section, E> {
        Ok(Section::Skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_everything_but_the_sections_that_can_hold_relationships() {
        let json = br#"{"Video": {"Videos": {"VideoList": [1, 2, 3]}},
                        "Activity": {"Follower List": {"FansList": []}, "Like List": {"x": 1}},
                        "relationships_followers": [{"title": "a"}], "n": 3}"#;
        let Outline::Object(sections) = parse(json).unwrap() else {
            panic!("object expected")
        };
        let names: Vec<_> = sections.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["Video", "Activity", "relationships_followers", "n"]);
        assert_eq!(
            sections[0].1,
            Section::Object(vec![("Videos".into(), None)])
        );
        let Section::Object(activity) = &sections[1].1 else {
            panic!("object expected")
        };
        assert!(activity[0].1.is_some());
        assert!(activity[1].1.is_none());
        assert!(matches!(sections[2].1, Section::Kept(_)));
        assert_eq!(sections[3].1, Section::Skipped);
    }

    #[test]
    fn trailing_garbage_and_truncation_are_errors_not_panics() {
        assert!(parse(b"{\"a\": 1} x").is_err());
        assert!(parse(b"{\"Activity\": {\"Follower List\": {\"FansList\": [").is_err());
        assert!(parse(b"").is_err());
        assert_eq!(parse(b"\"hallo\"").unwrap(), Outline::Other("string"));
    }
}
