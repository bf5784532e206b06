//! Evidence on a case: the encrypted vault, the custody log, chat analysis in the case, and
//! pupils' own reports (Meld het).
//!
//! The use cases of this capability (as `impl Platform` blocks) and its access rules live
//! here; storage comes in through [`EvidenceStore`], which `erbij-store` implements, and
//! the bytes through the [`Vault`], which `erbij-vault` implements.
//!
//! - Evidence belongs to a case and is seen by whoever sees the case (the cases policy,
//!   [`crate::cases::case_right`]); [`evidence_allowed`] says which right each act needs.
//! - Bytes are hashed (SHA-256) on arrival, encrypted in the vault, never changed; a
//!   correction is a new file that names the one it corrects.
//! - Every upload, view, download and export is a custody entry chained by hash
//!   (`erbij_bundle::custody`), so the bundle's log can be checked by anyone.
//! - Chat exports and downloads are analysed by `erbij_report::analyze`, the function
//!   `erbij analyze` calls, with the pupils of the case's class as the roster: the findings
//!   in the case equal the command's by construction. Findings are computed when shown and
//!   never stored, so no chat text reaches the database.

mod analysis;
mod bundle;
mod reports;
mod vault;

use std::fmt;

pub use analysis::{AnalysedFile, CaseAnalysis, analyse, class_roster, findings_json, roster_csv};
pub use bundle::{BundleOptions, pseudonymise};
pub use erbij_bundle::GENESIS as CUSTODY_GENESIS;
pub use erbij_bundle::upload::{FileKind, Refusal, clean_file_name};
pub use erbij_report::Language as ReportLanguage;
pub use reports::{NewReport, ReportId, ReportRecord, looks_like_code, sees_reports};
pub use vault::{BlobId, NoVault, Vault, VaultError};

use crate::cases::{CaseId, CaseRecord, CaseRight};
use crate::store::StoreError;
use crate::{AccessError, Actor, Date, Platform, SchoolId, Timestamp, UserId};

/// The largest file a case takes by default (a long chat export with media fits).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// All files of one case together.
pub const MAX_CASE_BYTES: i64 = 500 * 1024 * 1024;
/// Descriptions and names stay short.
pub const MAX_DESCRIPTION: usize = 1000;
pub const MAX_NAME: usize = 120;

/// The database id of an evidence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EvidenceId(pub i64);

impl fmt::Display for EvidenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// One stored file: on a case, or handed in with a pupil's report.
#[derive(Clone, PartialEq, Eq)]
pub struct EvidenceRecord {
    pub id: EvidenceId,
    pub school_id: SchoolId,
    pub case_id: Option<CaseId>,
    pub report_id: Option<ReportId>,
    pub blob: BlobId,
    /// The name it was handed in under, without folders or control characters.
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    /// Lowercase hex SHA-256 of the original bytes, taken on arrival.
    pub sha256: String,
    pub description: String,
    /// When the screenshot or export was made, as the person handing it in says.
    pub made_on: Option<Date>,
    /// Who handed it in ("Mila", "moeder van Mila", "leerling via Meld het").
    pub handed_in_by: String,
    /// Who made a chat export (the file never says; it changes what "U" means).
    pub exporter: Option<String>,
    pub uploaded_by: Option<UserId>,
    pub uploaded_at: Timestamp,
    /// The file this one corrects (never overwritten).
    pub corrects: Option<EvidenceId>,
}

// File names and descriptions can name pupils: keep them out of logs.
impl fmt::Debug for EvidenceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EvidenceRecord")
            .field("id", &self.id)
            .field("school_id", &self.school_id)
            .field("case_id", &self.case_id)
            .field("kind", &self.kind)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// A file as handed in through a form or the API.
#[derive(Clone, Default)]
pub struct NewEvidence {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub description: String,
    /// `YYYY-MM-DD` or empty.
    pub made_on: String,
    pub handed_in_by: String,
    /// For a chat export: who made it (may be empty).
    pub exporter: String,
    pub corrects: Option<EvidenceId>,
}

impl fmt::Debug for NewEvidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewEvidence")
            .field("size", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// A refusal from an evidence use case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceError {
    #[error(transparent)]
    Access(#[from] AccessError),
    /// Input refused; the message key (in `evidence.ftl`) says why and what to do.
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// Over the size limit per file.
    #[error("the file is larger than the limit")]
    TooLarge,
    /// The case's files together would pass the per-case limit.
    #[error("the case holds as much as it may")]
    CaseFull,
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl From<StoreError> for EvidenceError {
    fn from(err: StoreError) -> Self {
        EvidenceError::Access(AccessError::from(err))
    }
}

/// What someone does with evidence; each is allowed by a case right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceAct {
    /// See the list of files, their hashes and the findings.
    List,
    Upload,
    /// Open a file in the browser.
    View,
    Download,
    /// Take a finding into the case as a step.
    TakeFinding,
    /// Export the whole case as a bundle.
    Export,
    /// See the custody log.
    SeeCustody,
}

impl EvidenceAct {
    pub const ALL: [EvidenceAct; 7] = [
        EvidenceAct::List,
        EvidenceAct::Upload,
        EvidenceAct::View,
        EvidenceAct::Download,
        EvidenceAct::TakeFinding,
        EvidenceAct::Export,
        EvidenceAct::SeeCustody,
    ];
}

/// The access policy for evidence, written once: whoever works in a case (the owner, the
/// teachers added to it, the care roles) handles its files; exporting the whole case
/// takes the right to manage it; the custody log is the coordinator's to oversee. Who sees
/// the case at all is the cases policy (`case_right`).
pub fn evidence_allowed(right: CaseRight, act: EvidenceAct) -> bool {
    match act {
        EvidenceAct::List
        | EvidenceAct::Upload
        | EvidenceAct::View
        | EvidenceAct::Download
        | EvidenceAct::TakeFinding => right >= CaseRight::Work,
        EvidenceAct::Export => right >= CaseRight::Manage,
        EvidenceAct::SeeCustody => right >= CaseRight::Oversee,
    }
}

/// One entry of the custody log as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustodyRecord {
    pub seq: i64,
    pub at: Timestamp,
    pub user_id: Option<UserId>,
    pub evidence_id: Option<EvidenceId>,
    pub action: String,
    /// The entry's canonical JSON (without `hash`), exactly as hashed.
    pub canonical: String,
    pub hash: String,
}

impl CustodyRecord {
    /// The JSON line of the bundle's log.
    pub fn line(&self) -> String {
        erbij_bundle::custody::line_of(&self.canonical, &self.hash)
    }

    /// A field of the entry as logged (`actor`, `reason`, `file`, ...).
    pub fn field(&self, name: &str) -> Option<String> {
        let value: serde_json::Value = serde_json::from_str(&self.canonical).ok()?;
        value.get(name)?.as_str().map(str::to_owned)
    }
}

/// What the evidence page of a case shows.
#[derive(Debug, Clone)]
pub struct CaseEvidence {
    pub case: CaseRecord,
    pub right: CaseRight,
    /// The pupil the case is about.
    pub pupil_name: String,
    pub files: Vec<EvidenceRecord>,
}

impl CaseEvidence {
    pub fn may(&self, act: EvidenceAct) -> bool {
        evidence_allowed(self.right, act)
    }
}

/// Seals an entry: given the previous entry's sequence number and hash, the new entry's
/// canonical text and hash.
pub type Sealer<'a> = &'a dyn Fn(i64, &str) -> (String, String);

/// Storage for this capability. Every method that touches a school's data takes the
/// `SchoolId` and implementations filter on it in the query itself.
pub trait EvidenceStore: Send + Sync {
    fn add_evidence(&self, record: &EvidenceRecord) -> Result<EvidenceId, StoreError>;
    fn evidence(
        &self,
        school: SchoolId,
        id: EvidenceId,
    ) -> Result<Option<EvidenceRecord>, StoreError>;
    /// Oldest first.
    fn evidence_of_case(
        &self,
        school: SchoolId,
        case: CaseId,
    ) -> Result<Vec<EvidenceRecord>, StoreError>;
    fn evidence_of_report(
        &self,
        school: SchoolId,
        report: ReportId,
    ) -> Result<Vec<EvidenceRecord>, StoreError>;
    /// Every blob name the school's rows refer to (to find blobs left behind).
    fn evidence_blobs(&self, school: SchoolId) -> Result<Vec<String>, StoreError>;

    /// Appends a custody entry in one transaction: reads the last entry of the case, asks
    /// `seal` for the new entry's text and hash, and stores it as the next one. Two appends
    /// at once cannot take the same place (a unique sequence per case).
    #[allow(clippy::too_many_arguments)]
    fn append_custody(
        &self,
        school: SchoolId,
        case: CaseId,
        user: Option<UserId>,
        evidence: Option<EvidenceId>,
        action: &str,
        at: Timestamp,
        seal: Sealer<'_>,
    ) -> Result<CustodyRecord, StoreError>;
    /// In order.
    fn custody(&self, school: SchoolId, case: CaseId) -> Result<Vec<CustodyRecord>, StoreError>;

    fn school_code(&self, school: SchoolId) -> Result<Option<String>, StoreError>;
    /// Fails with `Conflict` when another school has the code.
    fn set_school_code(&self, school: SchoolId, code: &str) -> Result<(), StoreError>;
    fn school_by_code(&self, code: &str) -> Result<Option<SchoolId>, StoreError>;

    fn add_report(&self, report: &ReportRecord) -> Result<ReportId, StoreError>;
    fn report(&self, school: SchoolId, id: ReportId) -> Result<Option<ReportRecord>, StoreError>;
    /// Newest first.
    fn reports(&self, school: SchoolId) -> Result<Vec<ReportRecord>, StoreError>;
    fn mark_report_read(
        &self,
        school: SchoolId,
        id: ReportId,
        user: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError>;
    fn set_report_case(
        &self,
        school: SchoolId,
        id: ReportId,
        case: CaseId,
    ) -> Result<bool, StoreError>;
}

/// Trims a text field; refuses control characters (but newlines where `multiline`).
pub(crate) fn clean_text(raw: &str, max: usize, multiline: bool) -> Result<String, &'static str> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().count() > max {
        return Err("error-evidence-text-too-long");
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')))
    {
        return Err("error-evidence-control");
    }
    Ok(text)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a UTC timestamp.
pub fn utc_text(at: Timestamp) -> String {
    let date = Date::from_timestamp(at);
    let seconds = at.rem_euclid(86_400);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// What a custody entry says beyond who and when.
#[derive(Debug, Clone, Default)]
pub(crate) struct CustodyNote<'a> {
    pub evidence: Option<&'a EvidenceRecord>,
    pub reason: Option<String>,
}

impl Platform {
    /// The case with the actor's right, when the actor may do `act` with its evidence.
    pub fn evidence_case(
        &self,
        actor: &Actor,
        case: CaseId,
        act: EvidenceAct,
    ) -> Result<(CaseRecord, CaseRight), AccessError> {
        let (record, right) = self.case_visible(actor, case)?;
        if !evidence_allowed(right, act) {
            return Err(AccessError::Forbidden);
        }
        Ok((record, right))
    }

    /// How the custody log names an account.
    fn custody_actor(&self, school: SchoolId, user: Option<UserId>) -> Result<String, StoreError> {
        Ok(match user {
            Some(id) => match self.store().user(school, id)? {
                Some(user) => format!("{} ({}, account {})", user.name, user.role.as_str(), id.0),
                None => format!("account {}", id.0),
            },
            None => "leerling via Meld het".to_owned(),
        })
    }

    /// Writes one custody entry for `action` on a case.
    pub(crate) fn log_custody(
        &self,
        school: SchoolId,
        case: CaseId,
        user: Option<UserId>,
        action: &str,
        note: CustodyNote<'_>,
    ) -> Result<CustodyRecord, StoreError> {
        let at = self.now();
        let fields = erbij_bundle::EntryFields {
            at: utc_text(at),
            actor: self.custody_actor(school, user)?,
            action: action.to_owned(),
            evidence: note.evidence.map(|e| e.id.0),
            file: note.evidence.map(|e| e.file_name.clone()),
            sha256: note.evidence.map(|e| e.sha256.clone()),
            reason: note.reason.clone(),
        };
        let seal = |last_seq: i64, prev: &str| {
            let sealed =
                erbij_bundle::seal(&fields, u64::try_from(last_seq + 1).unwrap_or(1), prev);
            (sealed.canonical, sealed.hash)
        };
        let evidence = note.evidence.map(|e| e.id);
        // Two appends at once race for the same place; the loser tries again.
        let mut attempt = 0;
        loop {
            match self
                .store()
                .append_custody(school, case, user, evidence, action, at, &seal)
            {
                Err(StoreError::Conflict(_)) if attempt < 5 => attempt += 1,
                other => return other,
            }
        }
    }

    /// The files of a case, oldest first, with what the evidence page shows of the case.
    pub fn case_evidence(&self, actor: &Actor, case: CaseId) -> Result<CaseEvidence, AccessError> {
        let (record, right) = self.evidence_case(actor, case, EvidenceAct::List)?;
        let files = self.store().evidence_of_case(actor.school_id, case)?;
        let pupil_name = self
            .store()
            .pupil(actor.school_id, record.pupil_id)?
            .map(|p| p.full_name())
            .unwrap_or_default();
        Ok(CaseEvidence {
            case: record,
            right,
            pupil_name,
            files,
        })
    }

    /// The custody log of a case (the coordinator).
    pub fn case_custody(
        &self,
        actor: &Actor,
        case: CaseId,
    ) -> Result<Vec<CustodyRecord>, AccessError> {
        self.evidence_case(actor, case, EvidenceAct::SeeCustody)?;
        Ok(self.store().custody(actor.school_id, case)?)
    }

    /// Checks, hashes, encrypts and stores a file on a case, and logs the upload.
    pub fn add_evidence(
        &self,
        actor: &Actor,
        case: CaseId,
        new: NewEvidence,
    ) -> Result<EvidenceRecord, EvidenceError> {
        self.evidence_case(actor, case, EvidenceAct::Upload)?;
        if let Some(corrected) = new.corrects {
            let old = self
                .store()
                .evidence(actor.school_id, corrected)?
                .filter(|e| e.case_id == Some(case))
                .ok_or(EvidenceError::Invalid("error-evidence-corrects"))?;
            let _ = old;
        }
        let record =
            self.store_file(actor.school_id, Some(case), None, Some(actor.user_id), new)?;
        self.log_custody(
            actor.school_id,
            case,
            Some(actor.user_id),
            "upload",
            CustodyNote {
                evidence: Some(&record),
                reason: None,
            },
        )?;
        Ok(record)
    }

    /// Validates and stores a file in the vault and its row; on any failure nothing stays.
    pub(crate) fn store_file(
        &self,
        school: SchoolId,
        case: Option<CaseId>,
        report: Option<ReportId>,
        uploaded_by: Option<UserId>,
        new: NewEvidence,
    ) -> Result<EvidenceRecord, EvidenceError> {
        if new.bytes.len() > MAX_FILE_BYTES {
            return Err(EvidenceError::TooLarge);
        }
        let file_name = clean_file_name(&new.file_name);
        let kind = erbij_bundle::upload::classify(&file_name, &new.bytes)
            .map_err(|refusal| EvidenceError::Invalid(refusal.key()))?;
        let description =
            clean_text(&new.description, MAX_DESCRIPTION, true).map_err(EvidenceError::Invalid)?;
        let handed_in_by =
            clean_text(&new.handed_in_by, MAX_NAME, false).map_err(EvidenceError::Invalid)?;
        let exporter =
            clean_text(&new.exporter, MAX_NAME, false).map_err(EvidenceError::Invalid)?;
        let made_on = match new.made_on.trim() {
            "" => None,
            text => {
                let date = Date::parse(text)
                    .map_err(|_| EvidenceError::Invalid("error-evidence-made-on"))?;
                if date > Date::in_amsterdam(self.now()) {
                    return Err(EvidenceError::Invalid("error-evidence-made-on-future"));
                }
                Some(date)
            }
        };
        if let Some(case) = case {
            let held: i64 = self
                .store()
                .evidence_of_case(school, case)?
                .iter()
                .map(|e| e.size)
                .sum();
            if held + new.bytes.len() as i64 > MAX_CASE_BYTES {
                return Err(EvidenceError::CaseFull);
            }
        }
        let sha256 = erbij_bundle::sha256_hex(&new.bytes);
        let blob = self.vault().put(school, &new.bytes)?;
        let mut record = EvidenceRecord {
            id: EvidenceId(0),
            school_id: school,
            case_id: case,
            report_id: report,
            blob: blob.clone(),
            file_name,
            kind,
            size: new.bytes.len() as i64,
            sha256,
            description,
            made_on,
            handed_in_by: if handed_in_by.is_empty() {
                "onbekend".to_owned()
            } else {
                handed_in_by
            },
            exporter: (!exporter.is_empty() && kind.is_analysable()).then_some(exporter),
            uploaded_by,
            uploaded_at: self.now(),
            corrects: new.corrects,
        };
        match self.store().add_evidence(&record) {
            Ok(id) => {
                record.id = id;
                Ok(record)
            }
            Err(err) => {
                // Nothing half-stored: the row failed, so the blob goes.
                let _ = self.vault().remove(school, &blob);
                Err(err.into())
            }
        }
    }

    /// A file of a case the actor may see.
    pub fn evidence_record(
        &self,
        actor: &Actor,
        id: EvidenceId,
        act: EvidenceAct,
    ) -> Result<(EvidenceRecord, CaseRecord), AccessError> {
        let record = self
            .store()
            .evidence(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        let case = record.case_id.ok_or(AccessError::NotFound)?;
        let (case, _) = self.evidence_case(actor, case, act)?;
        Ok((record, case))
    }

    /// The original bytes of a file (checked against its hash), logged as a view or a
    /// download with the reason given.
    pub fn evidence_content(
        &self,
        actor: &Actor,
        id: EvidenceId,
        act: EvidenceAct,
        reason: &str,
    ) -> Result<(EvidenceRecord, Vec<u8>), EvidenceError> {
        let (record, case) = self.evidence_record(actor, id, act)?;
        let bytes = self.vault().get(actor.school_id, &record.blob)?;
        if erbij_bundle::sha256_hex(&bytes) != record.sha256 {
            return Err(EvidenceError::Vault(VaultError::Tampered));
        }
        let reason = clean_text(reason, MAX_DESCRIPTION, false).map_err(EvidenceError::Invalid)?;
        self.log_custody(
            actor.school_id,
            case.id,
            Some(actor.user_id),
            if act == EvidenceAct::Download {
                "download"
            } else {
                "view"
            },
            CustodyNote {
                evidence: Some(&record),
                reason: (!reason.is_empty()).then_some(reason),
            },
        )?;
        Ok((record, bytes))
    }

    /// Deletes blobs that no row refers to any more (a case or pupil deleted, a refused
    /// upload): deleted means deleted. Returns how many went.
    pub fn sweep_evidence_blobs(&self) -> Result<usize, EvidenceError> {
        let mut removed = 0;
        for school in self.store().schools()? {
            let used: std::collections::HashSet<String> = self
                .store()
                .evidence_blobs(school.id)?
                .into_iter()
                .collect();
            for blob in self.vault().list(school.id)? {
                if !used.contains(blob.as_str()) {
                    self.vault().remove(school.id, &blob)?;
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

/// Adds this capability's fictional data to the demo school (idempotent: `--demo` reloads
/// an existing demo school): the school's public report code and a pupil's report.
pub(crate) fn seed_demo(
    platform: &crate::Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    reports::seed_demo(platform, school)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy as a table: rows are rights, columns the acts in `EvidenceAct::ALL`.
    #[test]
    fn evidence_access_follows_the_case_right() {
        let table = [
            (
                CaseRight::Work,
                [true, true, true, true, true, false, false],
            ),
            (
                CaseRight::Manage,
                [true, true, true, true, true, true, false],
            ),
            (
                CaseRight::Oversee,
                [true, true, true, true, true, true, true],
            ),
        ];
        for (right, expected) in table {
            for (act, allowed) in EvidenceAct::ALL.into_iter().zip(expected) {
                assert_eq!(evidence_allowed(right, act), allowed, "{right:?} {act:?}");
            }
        }
    }

    #[test]
    fn utc_times_are_written_as_iso_8601() {
        assert_eq!(utc_text(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_text(1_772_445_600 + 3_723), "2026-03-02T11:02:03Z");
    }
}
