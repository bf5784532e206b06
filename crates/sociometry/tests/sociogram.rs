//! The sociogram SVG: same input, same picture (snapshot), valid XML with a title and a
//! description, every pupil labelled, names hidden on request, and every label visible when
//! headless Chromium renders it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use erbij_sociometry::sociogram::{Labels, Language, SociogramOptions, layout, render_svg};
use erbij_sociometry::{Criteria, GroupAnalysis, Options, Scale, Survey, analyse, read_survey};

fn class_of_35() -> GroupAnalysis {
    let survey = read_survey(include_str!("data/klas-2b-35.nominations.csv"), Scale::Five).unwrap();
    assert!(matches!(survey, Survey::Nominations(_)));
    let options = Options {
        criteria: Criteria::NewcombBukowski,
        ..Options::default()
    };
    analyse(&survey, &options).remove(0)
}

const DUTCH_NAMES: SociogramOptions = SociogramOptions {
    labels: Labels::Names,
    language: Language::Dutch,
    left_out: false,
};

/// Compares `actual` with the snapshot file; `ERBIJ_UPDATE_SNAPSHOTS=1` (or a missing file)
/// writes it instead.
fn assert_snapshot(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(name);
    let update = std::env::var("ERBIJ_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1");
    if update || !path.exists() {
        std::fs::write(&path, actual).unwrap();
        eprintln!("NOTICE: wrote snapshot {}", path.display());
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert!(
        expected == actual,
        "the sociogram differs from {}; if the change is intended, rerun with ERBIJ_UPDATE_SNAPSHOTS=1 and review the diff",
        path.display()
    );
}

#[test]
fn the_sociogram_of_a_class_of_35_matches_its_snapshot_in_both_languages() {
    let analysis = class_of_35();
    assert_snapshot("klas-2b-35.nl.svg", &render_svg(&analysis, &DUTCH_NAMES));
    let english_numbers = SociogramOptions {
        labels: Labels::Numbers,
        language: Language::English,
        left_out: false,
    };
    assert_snapshot(
        "klas-2b-35.en-numbers.svg",
        &render_svg(&analysis, &english_numbers),
    );
}

#[test]
fn the_same_answers_always_give_the_same_picture() {
    let first = render_svg(&class_of_35(), &DUTCH_NAMES);
    let second = render_svg(&class_of_35(), &DUTCH_NAMES);
    assert_eq!(first, second);
}

#[test]
fn pupils_nobody_chose_sit_on_the_outer_ring_and_marks_do_not_overlap() {
    let analysis = class_of_35();
    let layout = layout(&analysis);
    let distance = |i: usize| {
        let (x, y) = layout.positions[i];
        ((x - layout.centre.0).powi(2) + (y - layout.centre.1).powi(2)).sqrt()
    };
    let outermost_chosen = (0..analysis.pupils.len())
        .filter(|i| !analysis.ties.not_chosen.contains(i))
        .map(distance)
        .fold(0.0, f64::max);
    assert!(!analysis.ties.not_chosen.is_empty());
    for &i in &analysis.ties.not_chosen {
        assert!(
            distance(i) > outermost_chosen + 10.0,
            "{} is not outside",
            analysis.pupils[i].id
        );
    }
    for a in 0..analysis.pupils.len() {
        for b in (a + 1)..analysis.pupils.len() {
            let (p, q) = (layout.positions[a], layout.positions[b]);
            let gap = ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2)).sqrt();
            assert!(gap >= 40.0, "pupils {a} and {b} are {gap:.1} apart");
        }
    }
}

fn labels_in(svg: &str) -> Vec<String> {
    let document = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("pupil"))
        .filter_map(|g| {
            g.children()
                .find(|c| c.has_tag_name("text"))
                .and_then(|t| t.text())
                .map(str::to_string)
        })
        .collect()
}

#[test]
fn the_svg_is_valid_xml_with_title_desc_every_pupil_and_no_outside_references() {
    let analysis = class_of_35();
    let svg = render_svg(&analysis, &DUTCH_NAMES);
    let document = roxmltree::Document::parse(&svg).unwrap();
    let root = document.root_element();
    assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
    let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title.text(), Some("Sociogram groep 2B"));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(desc.starts_with("35 leerlingen;"), "{desc}");
    assert!(
        desc.contains("Door niemand gekozen: ") && desc.contains("Mila"),
        "{desc}"
    );
    let mut labels = labels_in(&svg);
    labels.sort();
    let mut names: Vec<String> = analysis.pupils.iter().map(|p| p.id.clone()).collect();
    names.sort();
    assert_eq!(labels, names);
    for node in document.descendants() {
        for attribute in node.attributes() {
            let value = attribute.value();
            assert!(
                attribute.name() == "xmlns" || !value.contains("http"),
                "outside reference in {}={value}",
                attribute.name()
            );
        }
    }
    assert!(!svg.contains("<image") && !svg.contains("<script") && !svg.contains("@import"));
}

#[test]
fn hidden_names_leave_no_name_anywhere_in_the_picture() {
    let analysis = class_of_35();
    let options = SociogramOptions {
        labels: Labels::Numbers,
        language: Language::Dutch,
        left_out: false,
    };
    let svg = render_svg(&analysis, &options);
    for pupil in &analysis.pupils {
        assert!(
            !svg.contains(&pupil.id) || pupil.id.parse::<u32>().is_ok(),
            "{} is visible",
            pupil.id
        );
    }
    let mut labels = labels_in(&svg);
    labels.sort_by_key(|l| l.parse::<u32>().unwrap());
    assert_eq!(labels, (1..=35).map(|i| i.to_string()).collect::<Vec<_>>());
}

#[test]
fn a_name_with_xml_characters_is_escaped() {
    let text = "group,from,to,question\n\"<b>&co\",Jan,\"Zoë & \"\"Bo\"\"\",positive\n<b>&co,Zoë,Jan,positive\n";
    let survey = read_survey(text, Scale::Five).unwrap();
    let analysis = analyse(&survey, &Options::default()).remove(0);
    let svg = render_svg(&analysis, &DUTCH_NAMES);
    let labels = labels_in(&svg);
    assert!(labels.contains(&"Zoë & \"Bo\"".to_string()), "{labels:?}");
    assert!(svg.contains("Sociogram groep &lt;b&gt;&amp;co"));
}

fn run_chromium(chromium: &Path, profile: &Path, args: &[String]) -> String {
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn headless_chromium_renders_every_pupils_label_inside_the_picture() {
    let Some((chromium, _driver)) = erbij_testkit::browser() else {
        return;
    };
    let analysis = class_of_35();
    let svg = render_svg(&analysis, &DUTCH_NAMES);
    let work: PathBuf =
        std::env::temp_dir().join(format!("erbij-sociogram-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    // The page checks, after layout, that every label has a real box inside the drawing, and
    // writes what it found into the DOM for --dump-dom to show.
    let page = format!(
        r#"<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>sociogram</title></head>
<body style="margin:0">{svg}<pre id="report"></pre>
<script>
const svg = document.querySelector('svg');
const frame = svg.getBoundingClientRect();
const found = [];
for (const g of document.querySelectorAll('g.pupil')) {{
  const text = g.querySelector('text');
  const box = text.getBoundingClientRect();
  const inside = box.width > 0 && box.height > 0 && box.left >= frame.left && box.right <= frame.right
    && box.top >= frame.top && box.bottom <= frame.bottom;
  if (inside) found.push(text.textContent);
}}
document.getElementById('report').textContent = 'VISIBLE:' + JSON.stringify(found.sort());
</script></body></html>"#
    );
    let html = work.join("sociogram.html");
    std::fs::write(&html, &page).unwrap();
    let url = format!("file://{}", html.display());
    let dom = run_chromium(
        &chromium,
        &work.join("profile-dom"),
        &["--dump-dom".into(), url.clone()],
    );
    let report = dom
        .split("VISIBLE:")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| {
            panic!(
                "no report in the rendered page: {}",
                &dom[..dom.len().min(500)]
            )
        });
    let report = report.replace("&quot;", "\"").replace("&amp;", "&");
    let mut names: Vec<String> = analysis.pupils.iter().map(|p| p.id.clone()).collect();
    names.sort();
    for name in &names {
        assert!(
            report.contains(&format!("\"{name}\"")),
            "{name} is not visible on the rendered page: {report}"
        );
    }
    assert_eq!(report.matches("\",\"").count() + 1, names.len());
    let (width, height) = (svg_size(&svg, "width"), svg_size(&svg, "height"));
    let screenshot = erbij_testkit::artifacts_dir().join("sociogram-klas-2b-35.png");
    let _ = std::fs::remove_file(&screenshot);
    run_chromium(
        &chromium,
        &work.join("profile-shot"),
        &[
            format!("--screenshot={}", screenshot.display()),
            format!("--window-size={width},{height}"),
            url,
        ],
    );
    assert!(
        std::fs::metadata(&screenshot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot"
    );
    let _ = std::fs::remove_dir_all(&work);
}

fn svg_size(svg: &str, attribute: &str) -> u32 {
    let start = svg.find(&format!("{attribute}=\"")).unwrap() + attribute.len() + 2;
    svg[start..].split('"').next().unwrap().parse().unwrap()
}
