//! Evaluation harness for `erbij-detect`: generates chats with planted exclusion patterns
//! and look-alikes (fixed seeds, Dutch and English, varying size and activity), reads them
//! with the real reader, runs the detectors, and reports precision and recall per kind.
//!
//! Test and research tooling only: never a dependency of a shipped crate, and every name
//! and text it makes is fictional.

pub mod scenario;
pub mod writer;

use std::collections::BTreeMap;

use erbij_detect::{Analyzer, Confidence, FindingKind, Report, Roster, Thresholds};

pub use scenario::{Case, Plant, generate};

/// Counts for one finding kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub true_positives: u32,
    pub false_positives: u32,
    pub false_negatives: u32,
}

impl Tally {
    pub fn precision(&self) -> f64 {
        let found = self.true_positives + self.false_positives;
        if found == 0 {
            1.0
        } else {
            f64::from(self.true_positives) / f64::from(found)
        }
    }
    pub fn recall(&self) -> f64 {
        let planted = self.true_positives + self.false_negatives;
        if planted == 0 {
            1.0
        } else {
            f64::from(self.true_positives) / f64::from(planted)
        }
    }
}

/// The result of a run.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub cases: usize,
    pub chats: usize,
    pub messages: u64,
    pub per_kind: BTreeMap<&'static str, Tally>,
    pub control_cases: usize,
    pub findings_on_controls: usize,
    /// Look-alike cases that produced a finding they must not (or with the wrong confidence).
    pub look_alike_failures: Vec<String>,
    /// Cases with a mistake, for debugging: (seed, plant, missing, unexpected).
    pub mistakes: Vec<String>,
}

impl Evaluation {
    /// A table for the terminal and BENCHMARKS.md.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} cases, {} chats, {} messages; controls: {} cases, {} findings; look-alike failures: {}\n\n| kind | planted | found | true pos. | precision | recall |\n| --- | --- | --- | --- | --- | --- |\n",
            self.cases,
            self.chats,
            self.messages,
            self.control_cases,
            self.findings_on_controls,
            self.look_alike_failures.len()
        );
        for (kind, t) in &self.per_kind {
            out.push_str(&format!(
                "| `{kind}` | {} | {} | {} | {:.3} | {:.3} |\n",
                t.true_positives + t.false_negatives,
                t.true_positives + t.false_positives,
                t.true_positives,
                t.precision(),
                t.recall()
            ));
        }
        out
    }
}

/// Reads a case's exports with the real reader and runs the detectors.
pub fn analyze_case(case: &Case) -> Result<Report, String> {
    let roster = Roster::from_csv(&case.roster_csv).map_err(|e| e.to_string())?;
    let mut analyzer = Analyzer::new(Some(roster), Thresholds::default());
    for export in &case.exports {
        let chat = erbij_chat::read(export.text.as_bytes())
            .map_err(|e| e.message(erbij_chat::Language::English))?;
        analyzer.add_events(&chat.events, Some(&export.exporter));
    }
    Ok(analyzer.finish())
}

/// Runs `count` cases from `seed`.
pub fn evaluate(seed: u64, count: usize) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for kind in FindingKind::FROM_CHATS {
        evaluation.per_kind.insert(kind.as_str(), Tally::default());
    }
    for index in 0..count {
        let case = generate(seed, index);
        evaluation.cases += 1;
        evaluation.chats += case.exports.len();
        let report = match analyze_case(&case) {
            Ok(report) => report,
            Err(err) => {
                evaluation.mistakes.push(format!(
                    "case {index} ({:?}): unreadable: {err}",
                    case.plant
                ));
                continue;
            }
        };
        evaluation.messages += report.chats.iter().map(|c| c.messages).sum::<u64>();
        if case.plant.is_control() {
            evaluation.control_cases += 1;
            evaluation.findings_on_controls += report.findings.len();
        }
        let mut open: Vec<&scenario::Expected> = case.expected.iter().collect();
        let mut unexpected = Vec::new();
        for finding in &report.findings {
            let position = open
                .iter()
                .position(|e| e.kind == finding.kind && e.subject == finding.subject);
            let tally = evaluation
                .per_kind
                .entry(finding.kind.as_str())
                .or_default();
            match position {
                Some(p) => {
                    let expected = open.remove(p);
                    tally.true_positives += 1;
                    if expected.low_confidence && finding.confidence != Confidence::Low {
                        evaluation
                            .look_alike_failures
                            .push(format!("case {index}: undone removal not low confidence"));
                    }
                }
                None => {
                    tally.false_positives += 1;
                    unexpected.push(format!("{} {}", finding.kind.as_str(), finding.subject));
                }
            }
        }
        for missing in &open {
            evaluation
                .per_kind
                .entry(missing.kind.as_str())
                .or_default()
                .false_negatives += 1;
        }
        if case.plant.is_look_alike() && !unexpected.is_empty() {
            evaluation.look_alike_failures.push(format!(
                "case {index} ({:?}): {}",
                case.plant,
                unexpected.join(", ")
            ));
        }
        if !open.is_empty() || !unexpected.is_empty() {
            let missing: Vec<String> = open
                .iter()
                .map(|e| format!("{} {}", e.kind.as_str(), e.subject))
                .collect();
            evaluation.mistakes.push(format!(
                "case {index} ({:?}, {:?}, seed {}): missing [{}], unexpected [{}]",
                case.plant,
                case.phone,
                case.seed,
                missing.join(", "),
                unexpected.join(", ")
            ));
        }
    }
    evaluation
}
