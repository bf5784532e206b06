//! Chat exports and data downloads analysed in a case, or for a quick look from the class
//! page: the bytes go to `erbij_report::analyze` (the function `erbij analyze` calls) with
//! the class as the roster and who made each export as its exporter.

use erbij_detect::{Pupil, Roster, Thresholds};
use erbij_report::{Analysis, Input, Language, Options, Source};

use super::{CustodyNote, EvidenceAct, EvidenceError, EvidenceId, EvidenceRecord, clean_file_name};
use crate::cases::CaseId;
use crate::store::PupilRecord;
use crate::{AccessError, Actor, ClassId, Platform, Role};

/// The class as the analysis's roster: each pupil by full name (the first name is matched
/// by the roster itself). `erbij analyze --roster` with [`roster_csv`] reads the same.
pub fn class_roster(pupils: &[PupilRecord]) -> Roster {
    Roster::new(
        pupils
            .iter()
            .filter(|p| p.left_on.is_none())
            .map(|p| Pupil {
                name: p.full_name(),
                aliases: Vec::new(),
                accounts: Vec::new(),
            })
            .collect(),
    )
}

/// The same class as an `erbij analyze --roster` CSV.
pub fn roster_csv(pupils: &[PupilRecord]) -> String {
    let mut out = String::from("name,aliases\n");
    for pupil in pupils.iter().filter(|p| p.left_on.is_none()) {
        out.push('"');
        out.push_str(&pupil.full_name().replace('"', "\"\""));
        out.push_str("\",\n");
    }
    out
}

/// The findings exactly as `erbij analyze --format json` writes them.
pub fn findings_json(analysis: &Analysis, language: Language) -> Vec<serde_json::Value> {
    serde_json::from_str::<serde_json::Value>(&erbij_report::render_json(analysis, language))
        .ok()
        .and_then(|mut doc| doc.get_mut("findings").map(serde_json::Value::take))
        .and_then(|v| match v {
            serde_json::Value::Array(items) => Some(items),
            _ => None,
        })
        .unwrap_or_default()
}

/// One input of an analysis: a name, the bytes and who made the export.
#[derive(Clone)]
pub struct AnalysedFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub exporter: Option<String>,
    /// The evidence it is, in a case (none for a quick look).
    pub evidence: Option<EvidenceId>,
}

impl std::fmt::Debug for AnalysedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnalysedFile")
            .field("size", &self.bytes.len())
            .field("evidence", &self.evidence)
            .finish_non_exhaustive()
    }
}

/// An analysis with, for each chat and download index of the findings, the file it is.
#[derive(Debug, Clone)]
pub struct CaseAnalysis {
    pub analysis: Analysis,
    /// `chat_files[i]` is the input behind `analysis.chats[i]`.
    pub chat_files: Vec<Option<EvidenceId>>,
    pub download_files: Vec<Option<EvidenceId>>,
    pub class_names: Vec<String>,
}

/// Runs the shared analysis; names are made unique so each finding maps to one file.
pub fn analyse(files: &[AnalysedFile], roster: Option<Roster>, language: Language) -> CaseAnalysis {
    let class_names = roster
        .as_ref()
        .map(|r| r.pupils().iter().map(|p| p.name.clone()).collect())
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for file in files {
        let base = clean_file_name(&file.name);
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base} ({n})");
            n += 1;
        }
        names.push(name);
    }
    let inputs = files
        .iter()
        .zip(&names)
        .map(|(file, name)| Input {
            name: name.clone(),
            source: Source::Content(&file.bytes),
            exporter: file.exporter.clone(),
        })
        .collect();
    let analysis = erbij_report::analyze(
        inputs,
        Options {
            language,
            thresholds: Thresholds::default(),
            roster,
        },
    );
    let by_name = |name: &str| {
        names
            .iter()
            .position(|n| n == name)
            .and_then(|i| files.get(i))
            .and_then(|f| f.evidence)
    };
    CaseAnalysis {
        chat_files: analysis.chats.iter().map(|c| by_name(&c.file)).collect(),
        download_files: analysis
            .downloads
            .iter()
            .map(|d| by_name(&d.file))
            .collect(),
        analysis,
        class_names,
    }
}

impl Platform {
    /// The pupils of the case's class (the roster of its analysis).
    pub(crate) fn case_class_pupils(
        &self,
        actor: &Actor,
        pupil: crate::PupilId,
    ) -> Result<Vec<PupilRecord>, AccessError> {
        let Some(pupil) = self.store().pupil(actor.school_id, pupil)? else {
            return Ok(Vec::new());
        };
        Ok(self
            .store()
            .pupils_of_class(actor.school_id, pupil.class_id)?)
    }

    /// The chat exports and downloads of a case, decrypted for analysis; each read is a
    /// custody entry.
    pub(crate) fn analysable_files(
        &self,
        actor: &Actor,
        case: CaseId,
        files: &[EvidenceRecord],
        reason: &str,
    ) -> Result<Vec<AnalysedFile>, EvidenceError> {
        let mut out = Vec::new();
        for record in files.iter().filter(|f| f.kind.is_analysable()) {
            let bytes = self.vault().get(actor.school_id, &record.blob)?;
            self.log_custody(
                actor.school_id,
                case,
                Some(actor.user_id),
                "view",
                CustodyNote {
                    evidence: Some(record),
                    reason: Some(reason.to_owned()),
                },
            )?;
            out.push(AnalysedFile {
                name: record.file_name.clone(),
                bytes,
                exporter: record.exporter.clone(),
                evidence: Some(record.id),
            });
        }
        Ok(out)
    }

    /// Every chat export and download of the case analysed together, with the case's class
    /// as the roster (several exports of one group are aligned, as on the command line).
    pub fn analyse_case(
        &self,
        actor: &Actor,
        case: CaseId,
        language: Language,
    ) -> Result<CaseAnalysis, EvidenceError> {
        self.analyse_case_because(actor, case, language, "bevindingen bekeken")
    }

    /// [`Platform::analyse_case`] with the reason its custody entries give: each file it
    /// decrypts is a `view` entry (the case's print view says "afdrukweergave").
    pub fn analyse_case_because(
        &self,
        actor: &Actor,
        case: CaseId,
        language: Language,
        reason: &str,
    ) -> Result<CaseAnalysis, EvidenceError> {
        let (record, _) = self.evidence_case(actor, case, EvidenceAct::List)?;
        let files = self.store().evidence_of_case(actor.school_id, case)?;
        let inputs = self.analysable_files(actor, case, &files, reason)?;
        let pupils = self.case_class_pupils(actor, record.pupil_id)?;
        Ok(analyse(&inputs, Some(class_roster(&pupils)), language))
    }

    /// One file analysed alone with the case's class (the answer to an upload).
    pub fn analyse_one(
        &self,
        actor: &Actor,
        case: CaseId,
        record: &EvidenceRecord,
        bytes: Vec<u8>,
        language: Language,
    ) -> Result<CaseAnalysis, EvidenceError> {
        let (case_record, _) = self.evidence_case(actor, case, EvidenceAct::List)?;
        if !record.kind.is_analysable() {
            return Ok(analyse(&[], None, language));
        }
        let pupils = self.case_class_pupils(actor, case_record.pupil_id)?;
        let input = AnalysedFile {
            name: record.file_name.clone(),
            bytes,
            exporter: record.exporter.clone(),
            evidence: Some(record.id),
        };
        Ok(analyse(&[input], Some(class_roster(&pupils)), language))
    }

    /// A quick look from the class page: the files analysed with the class as roster,
    /// nothing stored. Teachers of the class and the care roles; not the administrator,
    /// who manages accounts, not pupils' matters.
    pub fn quick_look(
        &self,
        actor: &Actor,
        class: ClassId,
        files: &[AnalysedFile],
        language: Language,
    ) -> Result<CaseAnalysis, AccessError> {
        self.class(actor, class)?;
        if actor.role == Role::Administrator {
            return Err(AccessError::Forbidden);
        }
        let pupils = self.store().pupils_of_class(actor.school_id, class)?;
        Ok(analyse(files, Some(class_roster(&pupils)), language))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    /// An Instagram `followers_1.json` alone (no profile: it does not say whose it is).
    fn followers(accounts: &[&str]) -> Vec<u8> {
        let items: Vec<String> = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                format!(
                    r#"{{"title": "", "media_list_data": [], "string_list_data": [{{"href": "https://www.instagram.com/{a}", "value": "{a}", "timestamp": {}}}]}}"#,
                    1_756_713_600 + i * 3_600
                )
            })
            .collect();
        format!("[{}]", items.join(",")).into_bytes()
    }

    #[test]
    fn the_exporter_field_names_whose_download_it_is() {
        let roster = || {
            Roster::from_csv(
                "name,aliases,accounts\nMila de Vries,,instagram:mila.devries\nSanne Jansen,,instagram:sanne.j\nJan Bakker,,instagram:jan.b\nDaan Visser,,instagram:daanv\nNoah Smit,,instagram:noah.s\n",
            )
            .unwrap()
        };
        let files = |exporter: Option<&str>| {
            vec![
                AnalysedFile {
                    name: "followers_1.json".into(),
                    bytes: followers(&["sanne.j", "jan.b", "daanv", "noah.s"]),
                    exporter: exporter.map(str::to_owned),
                    evidence: None,
                },
                AnalysedFile {
                    name: "followers_1.json".into(),
                    bytes: followers(&["sanne.j"]),
                    exporter: exporter.map(str::to_owned),
                    evidence: None,
                },
            ]
        };
        let subjects = |exporter: Option<&str>| -> Vec<String> {
            let case = analyse(&files(exporter), Some(roster()), Language::Dutch);
            case.analysis
                .report
                .unwrap()
                .findings
                .iter()
                .map(|f| f.subject.clone())
                .collect()
        };
        assert_eq!(
            subjects(None),
            [erbij_detect::unfollow::UNNAMED_ACCOUNT_OWNER]
        );
        assert_eq!(subjects(Some("Mila de Vries")), ["Mila de Vries"]);
    }
}
