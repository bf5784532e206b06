//! A pruned reading of a JSON document: the top-level shape, section names, and only the
//! parts that can hold followers, following or the profile, with list items reduced to the
//! few fields we read while parsing.
//!
//! A TikTok `user_data.json` holds everything (watch history, comments, messages); we
//! skip all of that while parsing instead of building it in memory. A follower list is
//! read item by item into [`RawItem`]s (a few short strings), never into a generic JSON
//! tree, so memory stays a small multiple of the list's size in the file.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// What a JSON document looks like from above.
#[derive(Debug, Clone, PartialEq)]
pub enum Outline {
    /// A top-level array (Instagram's newer `followers_1.json`), its items reduced.
    Array(Vec<RawItem>),
    /// A top-level object: its sections in file order.
    Object(Vec<(String, Section)>),
    /// Some other JSON value (a string, a number): its kind.
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// A `relationships_*` section that is a list (Instagram's `relationships_followers`).
    Items(Vec<RawItem>),
    /// An object section: each child's name, with the child where it was kept.
    Object(Vec<(String, Option<Child>)>),
    /// A section of another shape; its kind (`string`, `array`, ...).
    Skipped(&'static str),
}

/// A kept child of a section (`Activity > Follower List`).
#[derive(Debug, Clone, PartialEq)]
pub enum Child {
    /// A bare list.
    Items(Vec<RawItem>),
    /// An object: each field's name, with its list where it is one.
    Fields(Vec<(String, Field)>),
    /// A small object kept whole (profile sections).
    Value(Value),
    /// Something else; its kind.
    Other(&'static str),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Items(Vec<RawItem>),
    Null,
    Other(&'static str),
}

/// One list item, reduced to what a follower list can say about an account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawItem {
    /// The item was an object (anything else has no fields at all).
    pub is_object: bool,
    /// The account name: Instagram's non-empty `title` (newer), else its
    /// `string_list_data[0].value` (older); TikTok's `UserName` / `Username` / `uniqueId`.
    pub name: Option<String>,
    /// Instagram's `string_list_data[0].href`, kept only when there is no name.
    pub href: Option<String>,
    /// Instagram's `string_list_data[0].timestamp`.
    pub timestamp: Option<i64>,
    /// TikTok's `Date`, read (as UTC).
    pub date: Option<crate::time::Moment>,
}

/// Lower-case letters and digits only: "Follower List", "FollowerList" and
/// "follower_list" are one name to us.
pub fn normalise_key(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_relationships_section(key: &str) -> bool {
    key.starts_with("relationships_")
}

/// What to keep of a child of a top-level section, by its name.
#[derive(Clone, Copy)]
enum KeepChild {
    Lists,
    Whole,
    No,
}

fn keep_child(key: &str) -> KeepChild {
    let key = normalise_key(key);
    let key = key.as_str();
    if crate::tiktok::FOLLOWER_SECTIONS.contains(&key)
        || crate::tiktok::FOLLOWING_SECTIONS.contains(&key)
    {
        KeepChild::Lists
    } else if crate::tiktok::PROFILE_SECTIONS.contains(&key) {
        KeepChild::Whole
    } else {
        KeepChild::No
    }
}

pub fn parse(bytes: &[u8]) -> Result<Outline, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let outline = TopLevel.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(outline)
}

/// Implements the scalar `visit_*` methods of a visitor by returning a kind name.
macro_rules! scalars_as {
    ($wrap:expr) => {
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($wrap("string"))
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($wrap("boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($wrap("number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($wrap("number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($wrap("number"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($wrap("null"))
        }
    };
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

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Outline, A::Error> {
        ItemsVisitor.visit_seq(seq).map(Outline::Array)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Outline, A::Error> {
        let mut sections = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let section = if is_relationships_section(&key) {
                match map.next_value_seed(ListOrKind)? {
                    Ok(items) => Section::Items(items),
                    Err(kind) => Section::Skipped(kind),
                }
            } else {
                map.next_value_seed(SectionSeed)?
            };
            sections.push((key, section));
        }
        Ok(Outline::Object(sections))
    }

    scalars_as!(Outline::Other);
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
            let child = match keep_child(&key) {
                KeepChild::Lists => Some(map.next_value_seed(ChildSeed)?),
                KeepChild::Whole => Some(Child::Value(map.next_value::<Value>()?)),
                KeepChild::No => {
                    map.next_value::<IgnoredAny>()?;
                    None
                }
            };
            children.push((key, child));
        }
        Ok(Section::Object(children))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Section, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Section::Skipped("array"))
    }

    scalars_as!(Section::Skipped);
}

/// A follower or following child: a bare list, or an object whose array fields are lists.
struct ChildSeed;

impl<'de> DeserializeSeed<'de> for ChildSeed {
    type Value = Child;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Child, D::Error> {
        deserializer.deserialize_any(ChildVisitor)
    }
}

struct ChildVisitor;

impl<'de> Visitor<'de> for ChildVisitor {
    type Value = Child;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list or an object holding one")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Child, A::Error> {
        ItemsVisitor.visit_seq(seq).map(Child::Items)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Child, A::Error> {
        let mut fields = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let field = match map.next_value_seed(ListOrKind)? {
                Ok(items) => Field::Items(items),
                Err("null") => Field::Null,
                Err(kind) => Field::Other(kind),
            };
            fields.push((key, field));
        }
        Ok(Child::Fields(fields))
    }

    scalars_as!(Child::Other);
}

/// A list of items, or the kind of what stood there instead (its contents skipped).
struct ListOrKind;

impl<'de> DeserializeSeed<'de> for ListOrKind {
    type Value = Result<Vec<RawItem>, &'static str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(ListOrKindVisitor)
    }
}

struct ListOrKindVisitor;

impl<'de> Visitor<'de> for ListOrKindVisitor {
    type Value = Result<Vec<RawItem>, &'static str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ItemsVisitor.visit_seq(seq).map(Ok)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Err("object"))
    }

    scalars_as!(Err);
}

struct ItemsVisitor;

impl ItemsVisitor {
    fn visit_seq<'de, A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<RawItem>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(ItemSeed)? {
            items.push(item);
        }
        Ok(items)
    }
}

struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = RawItem;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<RawItem, D::Error> {
        deserializer.deserialize_any(ItemVisitor)
    }
}

struct ItemVisitor;

/// The fields of an item we read, by normalised key.
enum ItemKey {
    Title,
    UserName,
    Date,
    StringListData,
    Other,
}

fn item_key(key: &str) -> ItemKey {
    // The spellings the platforms use, without normalising (an allocation per key).
    match key {
        "title" => return ItemKey::Title,
        "UserName" | "Username" | "userName" | "uniqueId" => return ItemKey::UserName,
        "Date" => return ItemKey::Date,
        "string_list_data" => return ItemKey::StringListData,
        "href" | "media_list_data" | "value" | "timestamp" => return ItemKey::Other,
        _ => {}
    }
    match normalise_key(key).as_str() {
        "title" => ItemKey::Title,
        "username" | "uniqueid" => ItemKey::UserName,
        "date" | "followdate" | "time" => ItemKey::Date,
        "stringlistdata" => ItemKey::StringListData,
        _ => ItemKey::Other,
    }
}

/// A string, or `None` for any other value (skipped).
struct MaybeString;

impl<'de> DeserializeSeed<'de> for MaybeString {
    type Value = Option<String>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(MaybeStringVisitor)
    }
}

struct MaybeStringVisitor;

impl<'de> Visitor<'de> for MaybeStringVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Some(text.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = RawItem;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItem, A::Error> {
        let mut item = RawItem {
            is_object: true,
            ..RawItem::default()
        };
        let mut value = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match item_key(&key) {
                ItemKey::Title | ItemKey::UserName => {
                    let name = map.next_value_seed(MaybeString)?;
                    if name.as_deref().is_some_and(|n| !n.trim().is_empty()) {
                        item.name = name;
                    }
                }
                ItemKey::Date => {
                    item.date = map
                        .next_value_seed(MaybeString)?
                        .as_deref()
                        .and_then(crate::time::Moment::parse_tiktok);
                }
                ItemKey::StringListData => {
                    if let Some(first) = map.next_value_seed(FirstStringListItem)? {
                        value = first.value;
                        item.href = first.href;
                        item.timestamp = first.timestamp;
                    }
                }
                ItemKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if item.name.is_none() {
            item.name = value.filter(|v| !v.trim().is_empty());
        }
        if item.name.is_some() {
            item.href = None;
        }
        Ok(item)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawItem, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(RawItem::default())
    }

    scalars_as!(|_| RawItem::default());
}

/// `string_list_data[0]`: `value`, `href`, `timestamp`.
#[derive(Default)]
struct StringListData {
    value: Option<String>,
    href: Option<String>,
    timestamp: Option<i64>,
}

/// `string_list_data`: only its first element's `value`, `href` and `timestamp`.
struct FirstStringListItem;

impl<'de> DeserializeSeed<'de> for FirstStringListItem {
    type Value = Option<StringListData>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(FirstStringListItemVisitor)
    }
}

struct FirstStringListItemVisitor;

impl<'de> Visitor<'de> for FirstStringListItemVisitor {
    type Value = Option<StringListData>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let first = seq.next_element_seed(StringListDataSeed)?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(first)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    scalars_as!(|_| None);
}

struct StringListDataSeed;

impl<'de> DeserializeSeed<'de> for StringListDataSeed {
    type Value = StringListData;
    fn deserialize<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<StringListData, D::Error> {
        deserializer.deserialize_any(StringListDataVisitor)
    }
}

struct StringListDataVisitor;

impl<'de> Visitor<'de> for StringListDataVisitor {
    type Value = StringListData;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with value, href and timestamp")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StringListData, A::Error> {
        let mut item = StringListData::default();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match &*key {
                "value" => item.value = map.next_value_seed(MaybeString)?,
                "href" => item.href = map.next_value_seed(MaybeString)?,
                "timestamp" => item.timestamp = map.next_value_seed(Timestamp)?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(item)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<StringListData, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(StringListData::default())
    }

    scalars_as!(|_| StringListData::default());
}

/// A Unix timestamp as a number or a numeric string; `None` for anything else.
struct Timestamp;

impl<'de> DeserializeSeed<'de> for Timestamp {
    type Value = Option<i64>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Option<i64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Unix timestamp")
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Some(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(n).ok())
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Self::Value, E> {
        // Whole seconds only; anything else is not a timestamp we trust.
        Ok((n.fract() == 0.0 && n.abs() < 1e15).then_some(n as i64))
    }
    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Ok(text.trim().parse().ok())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_everything_but_the_sections_that_can_hold_relationships() {
        let json = br#"{"Video": {"Videos": {"VideoList": [1, 2, 3]}},
                        "Activity": {"Follower List": {"FansList": [{"UserName": "a", "Date": "2025-09-01 10:00:00", "X": [1]}]}, "Like List": {"x": 1}},
                        "relationships_followers": [{"title": "b", "string_list_data": [{"href": "h", "value": "v", "timestamp": 5}, {"value": "second"}]}], "n": 3}"#;
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
        let fan = RawItem {
            is_object: true,
            name: Some("a".into()),
            date: crate::time::Moment::parse_tiktok("2025-09-01 10:00:00"),
            ..RawItem::default()
        };
        assert_eq!(
            activity[0].1,
            Some(Child::Fields(vec![(
                "FansList".into(),
                Field::Items(vec![fan])
            )]))
        );
        assert!(activity[1].1.is_none());
        // The name is the title; the link is dropped when there is a name.
        let follower = RawItem {
            is_object: true,
            name: Some("b".into()),
            timestamp: Some(5),
            ..RawItem::default()
        };
        assert_eq!(sections[2].1, Section::Items(vec![follower]));
        assert_eq!(sections[3].1, Section::Skipped("number"));
    }

    #[test]
    fn items_of_unexpected_shapes_are_kept_empty_not_rejected() {
        let Outline::Array(items) =
            parse(br#"[3, "x", {"title": 5, "string_list_data": {"value": "y"}}, {"string_list_data": [{"timestamp": "1759320000"}]}]"#)
                .unwrap()
        else {
            panic!("array expected")
        };
        assert_eq!(items[0], RawItem::default());
        assert_eq!(items[1], RawItem::default());
        assert_eq!(
            items[2],
            RawItem {
                is_object: true,
                ..RawItem::default()
            }
        );
        assert_eq!(items[3].timestamp, Some(1_759_320_000));
    }

    #[test]
    fn trailing_garbage_and_truncation_are_errors_not_panics() {
        assert!(parse(b"{\"a\": 1} x").is_err());
        assert!(parse(b"{\"Activity\": {\"Follower List\": {\"FansList\": [").is_err());
        assert!(parse(b"").is_err());
        assert_eq!(parse(b"\"hallo\"").unwrap(), Outline::Other("string"));
    }
}
