//! The four real exports of one group (minvws-dsa: Alice, Bob, Carol and Dave each exported
//! the same test group on their own phone) merge into exactly four people, every membership
//! line credited to the right one, and the reports say which files were merged and which
//! names are the same person.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::process::Command;

const FILES: [&str; 4] = [
    "alice-android-en.txt",
    "bob-android-en.txt",
    "carol-android-nl.txt",
    "dave-ios-nl.txt",
];

fn analyze(format: &str) -> Option<String> {
    let fixtures = erbij_testkit::shared_fixtures()?;
    let dir = fixtures.join("whatsapp/minvws-dsa");
    let out = Command::new(env!("CARGO_BIN_EXE_erbij"))
        .args(["analyze", "--format", format])
        .args(FILES.iter().map(|f| dir.join(f)))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn four_exports_merge_into_four_people_with_every_membership_line_pinned() {
    let Some(json) = analyze("json") else { return };
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "one group");
    let group = &groups[0];
    assert_eq!(group["merged"], true);
    let files: Vec<String> = json["chats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            c["file"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut people: Vec<&str> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["person"].as_str().unwrap())
        .collect();
    people.sort();
    assert_eq!(people, ["Alice", "Bob", "Carol", "Dave"]);

    // Every membership line of every file, and whom it is about.
    let mut pinned: BTreeMap<(String, u64), Vec<(String, String)>> = BTreeMap::new();
    for member in group["members"].as_array().unwrap() {
        let person = member["person"].as_str().unwrap().to_string();
        for fact in member["facts"].as_array().unwrap() {
            for line in fact["lines"].as_array().unwrap() {
                let file = files[line["chat"].as_u64().unwrap() as usize].clone();
                pinned
                    .entry((file, line["line"].as_u64().unwrap()))
                    .or_default()
                    .push((person.clone(), fact["how"].as_str().unwrap().to_string()));
            }
        }
    }
    let p = |who: &str, how: &str| vec![(who.to_string(), how.to_string())];
    let expected: BTreeMap<(String, u64), Vec<(String, String)>> = [
        // Alice's phone: she is "you".
        (("alice-android-en.txt", 2), p("Alice", "created")),
        (("alice-android-en.txt", 10), p("Dave", "added")),
        (("alice-android-en.txt", 78), p("Alice", "left")),
        // Bob's phone: Carol and Dave are phone numbers, Bob is "you".
        (("bob-android-en.txt", 2), p("Alice", "created")),
        (("bob-android-en.txt", 3), p("Bob", "added")),
        (("bob-android-en.txt", 11), p("Dave", "added")),
        (("bob-android-en.txt", 78), p("Alice", "left")),
        (("bob-android-en.txt", 81), p("Dave", "left")),
        (("bob-android-en.txt", 83), p("Alice", "added")),
        (("bob-android-en.txt", 84), p("Dave", "added")),
        // Carol's phone: Bob is a phone number, Carol is "u".
        (("carol-android-nl.txt", 2), p("Alice", "created")),
        (("carol-android-nl.txt", 3), p("Carol", "added")),
        (("carol-android-nl.txt", 11), p("Dave", "added")),
        (("carol-android-nl.txt", 79), p("Alice", "left")),
        (("carol-android-nl.txt", 82), p("Dave", "left")),
        (("carol-android-nl.txt", 85), p("Alice", "added")),
        (("carol-android-nl.txt", 86), p("Dave", "added")),
        // Dave's iPhone: Alice, Bob and Carol are phone numbers, Dave is "u".
        (("dave-ios-nl.txt", 2), p("Alice", "created")),
        (("dave-ios-nl.txt", 3), p("Dave", "added")),
        (("dave-ios-nl.txt", 69), p("Alice", "left")),
        (("dave-ios-nl.txt", 72), p("Dave", "left")),
        (("dave-ios-nl.txt", 73), p("Dave", "added")),
        (("dave-ios-nl.txt", 74), p("Alice", "added")),
        (("dave-ios-nl.txt", 78), p("Bob", "left")),
        (("dave-ios-nl.txt", 79), p("Bob", "added")),
    ]
    .into_iter()
    .map(|((f, l), v)| ((f.to_string(), l), v))
    .collect();
    assert_eq!(pinned, expected);

    // Who made each export, and how that is known.
    let exporters: BTreeMap<String, (String, String)> = group["exporters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                files[e["chat"].as_u64().unwrap() as usize].clone(),
                (
                    e["person"].as_str().unwrap_or("?").to_string(),
                    e["clue"].as_str().unwrap_or("?").to_string(),
                ),
            )
        })
        .collect();
    assert_eq!(
        exporters["alice-android-en.txt"],
        ("Alice".into(), "own_deletion".into())
    );
    assert_eq!(
        exporters["bob-android-en.txt"],
        ("Bob".into(), "only_unlisted_writer".into())
    );
    assert_eq!(
        exporters["carol-android-nl.txt"],
        ("Carol".into(), "only_unlisted_writer".into())
    );
    assert_eq!(
        exporters["dave-ios-nl.txt"],
        ("Dave".into(), "own_deletion".into())
    );

    // Which names in each file are the same person.
    let bob = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["person"] == "Bob")
        .unwrap();
    let names: Vec<(String, Option<String>)> = bob["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                files[n["chat"].as_u64().unwrap() as usize].clone(),
                n["name"].as_str().map(str::to_string),
            )
        })
        .collect();
    for expected in [
        ("alice-android-en.txt", Some("Bob Bobsen Work")),
        ("bob-android-en.txt", Some("Bob")),
        ("bob-android-en.txt", None),
        ("carol-android-nl.txt", Some("+31 6 11111111")),
        ("dave-ios-nl.txt", Some("+31 6 11111111")),
    ] {
        let expected = (expected.0.to_string(), expected.1.map(str::to_string));
        assert!(names.contains(&expected), "{expected:?} in {names:?}");
    }
}

#[test]
fn text_and_html_say_which_files_were_merged_and_who_is_who() {
    let Some(text) = analyze("text") else { return };
    assert!(
        text.contains("Samengevoegd: 4 exports van dezelfde groep"),
        "{text}"
    );
    assert!(
        text.contains("Bob: “Bob Bobsen Work” (alice-android-en.txt); “Bob” en “u” (bob-android-en.txt); “+31 6 11111111” (carol-android-nl.txt); “+31 6 11111111” (dave-ios-nl.txt)"),
        "{text}"
    );
    let Some(html) = analyze("html") else { return };
    assert!(html.contains("Samengevoegd"), "html names the merge");
    assert!(
        html.contains("+31 6 33333333"),
        "html lists the names per file"
    );
}
