//! The sociogram: a deterministic layout of a group's positive choices and an SVG of it.
//!
//! Layout: concentric rings. The most chosen pupils sit on the inner ring, fewer choices
//! further out, and the pupils nobody chose on a separate outer ring, so they are easy to find
//! and never lost in the middle. Within a ring pupils are ordered by community, then by their
//! place in the pupil list, so friends sit side by side and the same answers always give the
//! same picture. No randomness, no iteration to convergence.
//!
//! Marks never rely on colour alone: pupils nobody chose have a dashed outline, pupils with the
//! status "rejected" are squares, mutual choices are bold lines, one-way choices thin arrows.
//! Negative choices are never drawn. Who named whom as left out is drawn only on request
//! (`left_out`), as dotted dark-red arrows, so the picture of friendships stays the default.
//! The SVG has a `<title>` and a `<desc>` and refers to
//! nothing outside itself.

use std::f64::consts::PI;
use std::fmt::Write as _;

use crate::analysis::GroupAnalysis;
use crate::status::Status;

/// What the circles are labelled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// The pupils' ids (names).
    Names,
    /// Numbers 1..N in the order of the pupil list (for the digital board: no names).
    Numbers,
}

/// Language of the legend, title and description.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Dutch,
    English,
}

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SociogramOptions {
    pub labels: Labels,
    pub language: Language,
    /// Also draw who named whom as left out (when that question was asked).
    pub left_out: bool,
}

/// Where every pupil is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Centre of each pupil's mark, in pupil-list order.
    pub positions: Vec<(f64, f64)>,
    /// Ring radii used (the last one holds the pupils nobody chose, if any).
    pub rings: Vec<f64>,
    /// Centre of the rings.
    pub centre: (f64, f64),
    /// Width and height of the drawing area (the legend comes on top of this).
    pub size: (f64, f64),
}

const NODE_RADIUS: f64 = 15.0;
const NODE_SPACING: f64 = 64.0;
const RING_STEP: f64 = 95.0;
const MARGIN: f64 = 60.0;
const LEGEND_WIDTH: f64 = 430.0;

fn ring_capacity(radius: f64) -> usize {
    ((2.0 * PI * radius / NODE_SPACING).floor() as usize).max(1)
}

/// Computes the deterministic concentric layout.
pub fn layout(analysis: &GroupAnalysis) -> Layout {
    let ties = &analysis.ties;
    let size = analysis.pupils.len();
    let received: Vec<u32> = (0..size)
        .map(|j| (0..size).filter(|&i| ties.chooses(i, j)).count() as u32)
        .collect();
    let community_of = |i: usize| {
        ties.communities
            .iter()
            .position(|c| c.contains(&i))
            .unwrap_or(ties.communities.len() + i)
    };
    let mut chosen: Vec<usize> = (0..size)
        .filter(|&i| received.get(i).copied().unwrap_or(0) > 0)
        .collect();
    let not_chosen: Vec<usize> = (0..size)
        .filter(|&i| received.get(i).copied().unwrap_or(0) == 0)
        .collect();
    chosen.sort_by_key(|&i| (std::cmp::Reverse(received.get(i).copied().unwrap_or(0)), i));

    // Fill rings from the inside: the inner ring takes about a third of the chosen pupils.
    let mut rings: Vec<(f64, Vec<usize>)> = Vec::new();
    let mut remaining = chosen.as_slice();
    let mut radius = RING_STEP;
    while !remaining.is_empty() {
        let wanted = if rings.is_empty() {
            remaining.len().div_ceil(3).max(1)
        } else {
            remaining.len()
        };
        let take = wanted.min(ring_capacity(radius)).min(remaining.len());
        let (ring, rest) = remaining.split_at(take);
        rings.push((radius, ring.to_vec()));
        remaining = rest;
        radius += RING_STEP;
    }
    let mut remaining = not_chosen.as_slice();
    if !remaining.is_empty() {
        // A visible gap separates the pupils nobody chose.
        radius += if rings.is_empty() {
            0.0
        } else {
            RING_STEP * 0.25
        };
    }
    while !remaining.is_empty() {
        let take = ring_capacity(radius).min(remaining.len());
        let (ring, rest) = remaining.split_at(take);
        rings.push((radius, ring.to_vec()));
        remaining = rest;
        radius += RING_STEP * 0.6;
    }
    let outer = rings.last().map_or(RING_STEP, |(r, _)| *r);
    let half = outer + MARGIN;
    let centre = (half, half);

    // Each community gets a sector of the circle in proportion to its size (pupils outside
    // every community share the rest), so friends end up side by side across the rings.
    let mut order: Vec<usize> = (0..size).collect();
    order.sort_by_key(|&i| (community_of(i), i));
    let target_angle: Vec<f64> = {
        let mut angles = vec![0.0; size];
        for (rank, &pupil) in order.iter().enumerate() {
            if let Some(slot) = angles.get_mut(pupil) {
                *slot = 2.0 * PI * (rank as f64 + 0.5) / size.max(1) as f64;
            }
        }
        angles
    };
    let mut positions = vec![centre; size];
    for (radius, members) in &rings {
        let mut members = members.clone();
        members.sort_by(|&a, &b| {
            let (ta, tb) = (
                target_angle.get(a).copied().unwrap_or(0.0),
                target_angle.get(b).copied().unwrap_or(0.0),
            );
            ta.total_cmp(&tb).then(a.cmp(&b))
        });
        let count = members.len().max(1) as f64;
        let step = 2.0 * PI / count;
        // Rotate the evenly spaced slots to sit as close as possible to the members' sectors
        // (circular mean of the differences), keeping the spacing that prevents overlaps.
        let (sin, cos) = members
            .iter()
            .enumerate()
            .fold((0.0, 0.0), |(s, c), (k, &pupil)| {
                let difference = target_angle.get(pupil).copied().unwrap_or(0.0) - step * k as f64;
                (s + difference.sin(), c + difference.cos())
            });
        let base = if sin == 0.0 && cos == 0.0 {
            0.0
        } else {
            sin.atan2(cos)
        };
        for (k, &pupil) in members.iter().enumerate() {
            let angle = -PI / 2.0 + base + step * k as f64;
            if let Some(slot) = positions.get_mut(pupil) {
                *slot = (
                    centre.0 + radius * angle.cos(),
                    centre.1 + radius * angle.sin(),
                );
            }
        }
    }
    Layout {
        positions,
        rings: rings.iter().map(|(r, _)| *r).collect(),
        centre,
        size: (2.0 * half, 2.0 * half),
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

struct Words {
    title: &'static str,
    mutual: &'static str,
    one_way: &'static str,
    not_chosen: &'static str,
    rejected: &'static str,
    signal: &'static str,
    pupils: &'static str,
    mutual_count: &'static str,
    one_way_count: &'static str,
    nobody_chose: &'static str,
    rejected_list: &'static str,
    none: &'static str,
    negative_hidden: &'static str,
    inner: &'static str,
    fills: &'static str,
    left_out: &'static str,
    left_out_count: &'static str,
}

fn words(language: Language) -> Words {
    match language {
        Language::Dutch => Words {
            title: "Sociogram groep",
            mutual: "wederzijdse keuze",
            one_way: "keuze in één richting",
            not_chosen: "door niemand gekozen (stippellijn, buitenste ring)",
            rejected: "status afgewezen (vierkant)",
            signal: "Een status is een signaal voor een gesprek, geen oordeel.",
            pupils: "leerlingen",
            mutual_count: "wederzijdse keuzes",
            one_way_count: "keuzes in één richting",
            nobody_chose: "Door niemand gekozen",
            rejected_list: "Status afgewezen",
            none: "niemand",
            negative_hidden: "Negatieve keuzes worden niet getekend.",
            fills: "Vulling: blauw populair, grijs genegeerd, paars controversieel.",
            left_out: "noemt als buitengesloten (rode stippelpijl)",
            left_out_count: "keer buitengesloten genoemd",
            inner: "Hoe vaker gekozen, hoe dichter bij het midden.",
        },
        Language::English => Words {
            title: "Sociogram of group",
            mutual: "mutual choice",
            one_way: "one-way choice",
            not_chosen: "chosen by nobody (dashed, outer ring)",
            rejected: "status rejected (square)",
            signal: "A status is a signal for a conversation, not a verdict.",
            pupils: "pupils",
            mutual_count: "mutual choices",
            one_way_count: "one-way choices",
            nobody_chose: "Chosen by nobody",
            rejected_list: "Status rejected",
            none: "nobody",
            negative_hidden: "Negative choices are not drawn.",
            fills: "Fill: blue popular, grey neglected, purple controversial.",
            left_out: "names as left out (red dotted arrow)",
            left_out_count: "times named as left out",
            inner: "The more often chosen, the closer to the centre.",
        },
    }
}

fn status_fill(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Popular) => "#cfe8ff",
        Some(Status::Rejected) => "#ffd9c7",
        Some(Status::Neglected) => "#eeeeee",
        Some(Status::Controversial) => "#f3dcff",
        Some(Status::Average) | Some(Status::Unclassified) | None => "#ffffff",
    }
}

/// Renders the group's sociogram as a standalone SVG document.
pub fn render_svg(analysis: &GroupAnalysis, options: &SociogramOptions) -> String {
    let w = words(options.language);
    let layout = layout(analysis);
    let ties = &analysis.ties;
    let size = analysis.pupils.len();
    let label = |i: usize| match options.labels {
        Labels::Names => analysis
            .pupils
            .get(i)
            .map_or_else(String::new, |p| p.id.clone()),
        Labels::Numbers => (i + 1).to_string(),
    };
    let chooses = |i: usize, j: usize| ties.chooses(i, j);
    let rejected: Vec<usize> = (0..size)
        .filter(|&i| analysis.pupils.get(i).and_then(|p| p.status) == Some(Status::Rejected))
        .collect();
    let one_way = (0..size)
        .flat_map(|i| (0..size).map(move |j| (i, j)))
        .filter(|&(i, j)| chooses(i, j) && !chooses(j, i))
        .count();
    let list = |pupils: &[usize]| {
        if pupils.is_empty() {
            w.none.to_string()
        } else {
            pupils
                .iter()
                .map(|&i| label(i))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let (draw_w, draw_h) = layout.size;
    let width = draw_w + LEGEND_WIDTH;
    let height = draw_h.max(320.0);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-labelledby="sociogram-title sociogram-desc" font-family="sans-serif">"#
    );
    let _ = writeln!(
        svg,
        r#"<title id="sociogram-title">{} {}</title>"#,
        w.title,
        escape(&analysis.id)
    );
    let _ = writeln!(
        svg,
        r#"<desc id="sociogram-desc">{} {}; {} {}; {} {}. {}: {}. {}: {}. {} {}</desc>"#,
        size,
        w.pupils,
        ties.mutual_pairs.len(),
        w.mutual_count,
        one_way,
        w.one_way_count,
        w.nobody_chose,
        escape(&list(&ties.not_chosen)),
        w.rejected_list,
        escape(&list(&rejected)),
        w.inner,
        w.negative_hidden
    );
    svg.push_str(concat!(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">",
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555555\"/></marker>",
        "<marker id=\"arrow-left-out\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">",
        "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#a4161a\"/></marker></defs>\n"
    ));
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{width:.0}" height="{height:.0}" fill="#ffffff"/>"##
    );
    // Faint ring guides help the eye read "closer to the centre = chosen more often".
    svg.push_str("<g fill=\"none\" stroke=\"#e4e4e4\" stroke-width=\"1\">\n");
    for radius in &layout.rings {
        let _ = writeln!(
            svg,
            r#"<circle cx="{:.1}" cy="{:.1}" r="{radius:.1}"/>"#,
            layout.centre.0, layout.centre.1
        );
    }
    svg.push_str("</g>\n");
    let position = |i: usize| layout.positions.get(i).copied().unwrap_or(layout.centre);
    let shortened = |from: (f64, f64), to: (f64, f64), gap_from: f64, gap_to: f64| {
        let (dx, dy) = (to.0 - from.0, to.1 - from.1);
        let length = (dx * dx + dy * dy).sqrt().max(1e-9);
        (
            (
                from.0 + dx / length * gap_from,
                from.1 + dy / length * gap_from,
            ),
            (to.0 - dx / length * gap_to, to.1 - dy / length * gap_to),
        )
    };
    svg.push_str("<g id=\"one-way-choices\" stroke=\"#777777\" stroke-width=\"1.3\" marker-end=\"url(#arrow)\">\n");
    for i in 0..size {
        for j in 0..size {
            if chooses(i, j) && !chooses(j, i) {
                let (a, b) = shortened(position(i), position(j), NODE_RADIUS, NODE_RADIUS + 2.0);
                let _ = writeln!(
                    svg,
                    r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
                    a.0, a.1, b.0, b.1
                );
            }
        }
    }
    svg.push_str("</g>\n<g id=\"mutual-choices\" stroke=\"#1a1a1a\" stroke-width=\"4\" stroke-linecap=\"round\">\n");
    for &(a, b) in &ties.mutual_pairs {
        let (p, q) = shortened(position(a), position(b), NODE_RADIUS, NODE_RADIUS);
        let _ = writeln!(
            svg,
            r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
            p.0, p.1, q.0, q.1
        );
    }
    svg.push_str("</g>\n");
    let draw_left_out = options.left_out && !ties.left_out_named.is_empty();
    if draw_left_out {
        svg.push_str("<g id=\"left-out-nominations\" stroke=\"#a4161a\" stroke-width=\"1.6\" stroke-dasharray=\"2 4\" stroke-linecap=\"round\" marker-end=\"url(#arrow-left-out)\">\n");
        for &(from, to) in &ties.left_out_named {
            let (a, b) = shortened(position(from), position(to), NODE_RADIUS, NODE_RADIUS + 2.0);
            let _ = writeln!(
                svg,
                r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/>"#,
                a.0, a.1, b.0, b.1
            );
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("<g id=\"pupils\">\n");
    for i in 0..size {
        let (x, y) = position(i);
        let status = analysis.pupils.get(i).and_then(|p| p.status);
        let not_chosen = ties.not_chosen.contains(&i);
        let dash = if not_chosen {
            r#" stroke-dasharray="4 3""#
        } else {
            ""
        };
        let fill = status_fill(status);
        let name = escape(&label(i));
        let mut tooltip = name.clone();
        if let Some(status) = status {
            let _ = write!(
                tooltip,
                " ({})",
                crate::report::status_word(Some(status), options.language)
            );
        }
        if not_chosen {
            let _ = write!(tooltip, "; {}", w.nobody_chose.to_lowercase());
        }
        if draw_left_out {
            let named = ties
                .left_out_named
                .iter()
                .filter(|(_, to)| *to == i)
                .count();
            if named > 0 {
                let _ = write!(tooltip, "; {named} {}", w.left_out_count);
            }
        }
        let _ = writeln!(svg, r#"<g class="pupil"><title>{tooltip}</title>"#);
        if status == Some(Status::Rejected) {
            let side = NODE_RADIUS * 1.8;
            let _ = writeln!(
                svg,
                r##"<rect x="{:.1}" y="{:.1}" width="{side:.1}" height="{side:.1}" fill="{fill}" stroke="#1a1a1a" stroke-width="2"{dash}/>"##,
                x - side / 2.0,
                y - side / 2.0
            );
        } else {
            let _ = writeln!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="{NODE_RADIUS:.1}" fill="{fill}" stroke="#1a1a1a" stroke-width="2"{dash}/>"##
            );
        }
        match options.labels {
            Labels::Numbers => {
                let _ = writeln!(
                    svg,
                    r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="12" font-weight="bold">{name}</text>"#,
                    y + 4.0
                );
            }
            Labels::Names => {
                let _ = writeln!(
                    svg,
                    r##"<text x="{x:.1}" y="{:.1}" text-anchor="middle" font-size="12" paint-order="stroke" stroke="#ffffff" stroke-width="3">{name}</text>"##,
                    y + NODE_RADIUS + 13.0
                );
            }
        }
        svg.push_str("</g>\n");
    }
    svg.push_str("</g>\n");
    // Legend.
    let lx = draw_w + 10.0;
    let _ = writeln!(svg, r#"<g id="legend" font-size="13">"#);
    let _ = writeln!(
        svg,
        r#"<text x="{lx:.1}" y="30" font-size="15" font-weight="bold">{} {}</text>"#,
        w.title,
        escape(&analysis.id)
    );
    let row = |k: usize| 60.0 + 34.0 * k as f64;
    let _ = writeln!(
        svg,
        r##"<line x1="{lx:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#1a1a1a" stroke-width="4"/><text x="{:.1}" y="{:.1}">{}</text>"##,
        lx + 40.0,
        lx + 50.0,
        row(0) + 4.0,
        w.mutual,
        y = row(0)
    );
    let _ = writeln!(
        svg,
        r##"<line x1="{lx:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#777777" stroke-width="1.3" marker-end="url(#arrow)"/><text x="{:.1}" y="{:.1}">{}</text>"##,
        lx + 40.0,
        lx + 50.0,
        row(1) + 4.0,
        w.one_way,
        y = row(1)
    );
    let _ = writeln!(
        svg,
        r##"<circle cx="{:.1}" cy="{:.1}" r="10" fill="#ffffff" stroke="#1a1a1a" stroke-width="2" stroke-dasharray="4 3"/><text x="{:.1}" y="{:.1}">{}</text>"##,
        lx + 20.0,
        row(2),
        lx + 50.0,
        row(2) + 4.0,
        w.not_chosen
    );
    let _ = writeln!(
        svg,
        r##"<rect x="{:.1}" y="{:.1}" width="20" height="20" fill="#ffd9c7" stroke="#1a1a1a" stroke-width="2"/><text x="{:.1}" y="{:.1}">{}</text>"##,
        lx + 10.0,
        row(3) - 10.0,
        lx + 50.0,
        row(3) + 4.0,
        w.rejected
    );
    let extra = if draw_left_out {
        let _ = writeln!(
            svg,
            r##"<line x1="{lx:.1}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#a4161a" stroke-width="1.6" stroke-dasharray="2 4" stroke-linecap="round" marker-end="url(#arrow-left-out)"/><text x="{:.1}" y="{:.1}">{}</text>"##,
            lx + 40.0,
            lx + 50.0,
            row(4) + 4.0,
            w.left_out,
            y = row(4)
        );
        34.0
    } else {
        0.0
    };
    let row = |k: usize| 60.0 + 34.0 * k as f64 + if k >= 4 { extra } else { 0.0 };
    let _ = writeln!(
        svg,
        r#"<text x="{lx:.1}" y="{:.1}" font-size="12">{}</text>"#,
        row(4) + 4.0,
        w.inner
    );
    let _ = writeln!(
        svg,
        r#"<text x="{lx:.1}" y="{:.1}" font-size="12">{}</text>"#,
        row(4) + 22.0,
        w.negative_hidden
    );
    let _ = writeln!(
        svg,
        r#"<text x="{lx:.1}" y="{:.1}" font-size="12">{}</text>"#,
        row(4) + 40.0,
        w.fills
    );
    let _ = writeln!(
        svg,
        r#"<text x="{lx:.1}" y="{:.1}" font-size="12" font-style="italic">{}</text>"#,
        row(4) + 58.0,
        w.signal
    );
    svg.push_str("</g>\n</svg>\n");
    svg
}
