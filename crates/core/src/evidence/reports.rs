//! Meld het: pupils report exclusion on a page reached with the school's public code, with
//! no account, anonymously or by name, optionally with a screenshot or a chat export. The
//! report reaches the coordinator (start page, and an e-mail without any name in it), who
//! can open a case from it. No IP address is stored, for any report.

use std::fmt;

use super::{CustodyNote, EvidenceError, EvidenceRecord, MAX_NAME, NewEvidence, clean_text};
use crate::cases::{CaseId, NewCase, Origin};
use crate::{AccessError, Actor, Platform, PupilId, Role, SchoolId, Timestamp, UserId};

/// What happened, in the pupil's words: room for a story, not a diary.
pub const MAX_REPORT_TEXT: usize = 5000;
/// Letters and digits a code is made of: no 0/o, 1/l/i to misread on a poster.
const CODE_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const CODE_LENGTH: usize = 8;

/// The database id of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportId(pub i64);

impl fmt::Display for ReportId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A report as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct ReportRecord {
    pub id: ReportId,
    pub school_id: SchoolId,
    pub received_at: Timestamp,
    pub what: String,
    /// `None` for an anonymous report.
    pub reporter_name: Option<String>,
    pub reporter_class: Option<String>,
    pub read_at: Option<Timestamp>,
    pub read_by: Option<UserId>,
    /// The case opened from it.
    pub case_id: Option<CaseId>,
}

impl fmt::Debug for ReportRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReportRecord")
            .field("id", &self.id)
            .field("school_id", &self.school_id)
            .field("anonymous", &self.reporter_name.is_none())
            .finish_non_exhaustive()
    }
}

/// A report as a pupil filled it in.
#[derive(Clone, Default)]
pub struct NewReport {
    pub what: String,
    /// Empty: anonymous.
    pub name: String,
    pub class: String,
    /// An optional screenshot or chat export: file name and bytes.
    pub file: Option<(String, Vec<u8>)>,
}

impl fmt::Debug for NewReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewReport")
            .field("anonymous", &self.name.trim().is_empty())
            .field("file", &self.file.as_ref().map(|(_, b)| b.len()))
            .finish_non_exhaustive()
    }
}

/// Who receives pupils' reports: the coordinator (the school's legal contact point for
/// bullying) and the confidential adviser. Not teachers, not the administrator.
pub fn sees_reports(role: Role) -> bool {
    matches!(role, Role::Coordinator | Role::ConfidentialAdviser)
}

/// Who may see and print the school's report code and poster.
fn sees_code(role: Role) -> bool {
    sees_reports(role) || role == Role::Administrator
}

fn new_code() -> Result<String, AccessError> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::getrandom(&mut bytes)
        .map_err(|e| AccessError::Store(crate::StoreError::Backend(e.to_string())))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(*b) % CODE_ALPHABET.len()]))
        .collect())
}

/// Whether `raw` can be a report code at all (so junk never reaches the database).
pub fn looks_like_code(raw: &str) -> bool {
    (4..=16).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl Platform {
    /// The school's public report code, made on first use.
    pub fn report_code(&self, actor: &Actor) -> Result<String, AccessError> {
        if !sees_code(actor.role) {
            return Err(AccessError::Forbidden);
        }
        self.ensure_report_code(actor.school_id)
    }

    pub(crate) fn ensure_report_code(&self, school: SchoolId) -> Result<String, AccessError> {
        if let Some(code) = self.store().school_code(school)? {
            return Ok(code);
        }
        for _ in 0..5 {
            let code = new_code()?;
            match self.store().set_school_code(school, &code) {
                Ok(()) => return Ok(code),
                Err(crate::StoreError::Conflict(_)) => {
                    // Another school has it, or another request just set ours.
                    if let Some(code) = self.store().school_code(school)? {
                        return Ok(code);
                    }
                }
                Err(err) => return Err(err.into()),
            }
        }
        Err(AccessError::Conflict("report code".into()))
    }

    /// The school behind a public code (its name for the page), or `NotFound`.
    pub fn school_for_report_code(&self, code: &str) -> Result<crate::SchoolRecord, AccessError> {
        let code = code.trim().to_ascii_lowercase();
        if !looks_like_code(&code) {
            return Err(AccessError::NotFound);
        }
        let school = self
            .store()
            .school_by_code(&code)?
            .ok_or(AccessError::NotFound)?;
        self.store().school(school)?.ok_or(AccessError::NotFound)
    }

    /// A pupil's report. The file is checked before anything is stored; the coordinators
    /// get an e-mail that names no one.
    pub fn submit_report(&self, code: &str, new: NewReport) -> Result<ReportId, EvidenceError> {
        let school = self.school_for_report_code(code)?;
        let what = clean_text(&new.what, MAX_REPORT_TEXT, true).map_err(EvidenceError::Invalid)?;
        if what.is_empty() {
            return Err(EvidenceError::Invalid("error-report-empty"));
        }
        let name = clean_text(&new.name, MAX_NAME, false).map_err(EvidenceError::Invalid)?;
        let class = clean_text(&new.class, 40, false).map_err(EvidenceError::Invalid)?;
        if let Some((file_name, bytes)) = &new.file {
            if bytes.len() > super::MAX_FILE_BYTES {
                return Err(EvidenceError::TooLarge);
            }
            erbij_bundle::upload::classify(&super::clean_file_name(file_name), bytes)
                .map_err(|r| EvidenceError::Invalid(r.key()))?;
        }
        let anonymous = name.is_empty();
        let id = self.store().add_report(&ReportRecord {
            id: ReportId(0),
            school_id: school.id,
            received_at: self.now(),
            what,
            reporter_name: (!anonymous).then_some(name.clone()),
            reporter_class: (!anonymous && !class.is_empty()).then_some(class),
            read_at: None,
            read_by: None,
            case_id: None,
        })?;
        if let Some((file_name, bytes)) = new.file {
            self.store_file(
                school.id,
                None,
                Some(id),
                None,
                NewEvidence {
                    file_name,
                    bytes,
                    handed_in_by: if anonymous {
                        "leerling via Meld het (anoniem)".into()
                    } else {
                        format!("{name} via Meld het")
                    },
                    ..NewEvidence::default()
                },
            )?;
        }
        for user in self.store().users(school.id)? {
            if user.role == Role::Coordinator {
                // The mail names nobody: a pupil's report is read in erbij, after login.
                let _ = self.queue_mail(
                    Some(school.id),
                    &format!("report-{}-{}", id.0, user.id.0),
                    &user.email,
                    "Nieuwe melding via Meld het",
                    &format!(
                        "Er is een nieuwe melding binnengekomen via Meld het.\n\nLees hem in erbij: /reports/{}\n\nDeze mail bevat met opzet geen namen of details.\n",
                        id.0
                    ),
                );
            }
        }
        Ok(id)
    }

    /// The school's reports, newest first (coordinator, confidential adviser).
    pub fn reports(&self, actor: &Actor) -> Result<Vec<ReportRecord>, AccessError> {
        if !sees_reports(actor.role) {
            return Err(AccessError::Forbidden);
        }
        Ok(self.store().reports(actor.school_id)?)
    }

    /// Reports nobody has read yet (the start page); empty for those who do not see them.
    pub fn unread_reports(&self, actor: &Actor) -> Result<Vec<ReportRecord>, AccessError> {
        if !sees_reports(actor.role) {
            return Ok(Vec::new());
        }
        Ok(self
            .store()
            .reports(actor.school_id)?
            .into_iter()
            .filter(|r| r.read_at.is_none())
            .collect())
    }

    /// One report with its files; opening it marks it read. Invisible (404) to roles that
    /// do not receive reports.
    pub fn report_detail(
        &self,
        actor: &Actor,
        id: ReportId,
    ) -> Result<(ReportRecord, Vec<EvidenceRecord>), AccessError> {
        if !sees_reports(actor.role) {
            return Err(AccessError::NotFound);
        }
        let mut report = self
            .store()
            .report(actor.school_id, id)?
            .ok_or(AccessError::NotFound)?;
        if report.read_at.is_none() {
            self.store()
                .mark_report_read(actor.school_id, id, actor.user_id, self.now())?;
            report.read_at = Some(self.now());
            report.read_by = Some(actor.user_id);
        }
        let files = self.store().evidence_of_report(actor.school_id, id)?;
        Ok((report, files))
    }

    /// A file handed in with a report (not yet in a case).
    pub fn report_file(
        &self,
        actor: &Actor,
        id: ReportId,
        file: super::EvidenceId,
    ) -> Result<(EvidenceRecord, Vec<u8>), EvidenceError> {
        let (_, files) = self.report_detail(actor, id)?;
        let record = files
            .into_iter()
            .find(|f| f.id == file)
            .ok_or(AccessError::NotFound)?;
        let bytes = self.vault().get(actor.school_id, &record.blob)?;
        Ok((record, bytes))
    }

    /// Opens a case from a report for the pupil it is about; the report's files become the
    /// case's evidence (the same encrypted bytes, logged as arrived from the report).
    pub fn open_case_from_report(
        &self,
        actor: &Actor,
        id: ReportId,
        pupil: PupilId,
        summary: &str,
    ) -> Result<CaseId, EvidenceError> {
        let (report, files) = self.report_detail(actor, id)?;
        if report.case_id.is_some() {
            return Err(EvidenceError::Invalid("error-report-has-case"));
        }
        let summary = if summary.trim().is_empty() {
            "Melding via Meld het".to_owned()
        } else {
            summary.to_owned()
        };
        let case = self
            .open_case(
                actor,
                NewCase {
                    pupil_id: pupil,
                    origin: Origin::Report,
                    origin_ref: Some(id.0),
                    summary,
                    owner_id: None,
                },
            )
            .map_err(|err| match err {
                crate::cases::CaseError::Access(access) => EvidenceError::Access(access),
                crate::cases::CaseError::Invalid(key) => EvidenceError::Invalid(key),
                crate::cases::CaseError::HeldOpen(_) => EvidenceError::Invalid("error-report-case"),
            })?;
        for file in files {
            let mut copy = file.clone();
            copy.case_id = Some(case.id);
            copy.report_id = None;
            copy.uploaded_by = Some(actor.user_id);
            copy.uploaded_at = self.now();
            copy.id = self.store().add_evidence(&copy)?;
            self.log_custody(
                actor.school_id,
                case.id,
                Some(actor.user_id),
                "upload",
                CustodyNote {
                    evidence: Some(&copy),
                    reason: Some(format!("uit melding {} (Meld het)", id.0)),
                },
            )?;
        }
        self.store().set_report_case(actor.school_id, id, case.id)?;
        Ok(case.id)
    }
}

/// The demo school's code (`vaart2b`) and one report, once.
pub(crate) fn seed_demo(
    platform: &Platform,
    school: &crate::SchoolRecord,
) -> Result<(), crate::SetupError> {
    let store = platform.store();
    if store.school_code(school.id)?.is_none() {
        match store.set_school_code(school.id, "vaart2b") {
            Ok(()) | Err(crate::StoreError::Conflict(_)) => {}
            Err(err) => return Err(err.into()),
        }
    }
    if store.reports(school.id)?.is_empty() {
        store.add_report(&ReportRecord {
            id: ReportId(0),
            school_id: school.id,
            received_at: platform.now() - 3 * 3600,
            what: "In de groepsapp van de klas is een nieuwe groep gemaakt zonder één meisje. \
                   Ze wordt steeds uit groepjes gehouden en in de pauze staat ze alleen. \
                   Ik durf het niet in de klas te zeggen."
                .into(),
            reporter_name: None,
            reporter_class: None,
            read_at: None,
            read_by: None,
            case_id: None,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_reach_the_coordinator_and_the_confidential_adviser_only() {
        let table = [
            (Role::Administrator, false),
            (Role::Coordinator, true),
            (Role::ConfidentialAdviser, true),
            (Role::CareCoordinator, false),
            (Role::Teacher, false),
        ];
        for (role, expected) in table {
            assert_eq!(sees_reports(role), expected, "{role:?}");
        }
    }

    #[test]
    fn codes_are_short_unambiguous_and_checked_before_any_query() {
        let code = new_code().unwrap_or_default();
        assert_eq!(code.len(), CODE_LENGTH);
        assert!(looks_like_code(&code));
        assert!(!looks_like_code("../etc"));
        assert!(!looks_like_code("ABC123"));
        assert!(!looks_like_code("ab"));
    }
}
