//! The queries of evidence (see `erbij_core::evidence`), written once for both databases.
//! Evidence bytes never come here: rows name the vault's blob.

use erbij_core::cases::CaseId;
use erbij_core::evidence::{
    BlobId, CustodyRecord, EvidenceId, EvidenceRecord, FileKind, ReportId, ReportRecord, Sealer,
};
use erbij_core::{Date, EvidenceStore, SchoolId, StoreError, Timestamp, UserId};

use crate::sql::{Backend, Row, RowExt, SqlStore, all, corrupt, one, returned_id};

const EVIDENCE_COLUMNS: &str = "id, school_id, case_id, report_id, blob, file_name, kind, size, sha256, \
     description, made_on, handed_in_by, exporter, uploaded_by, uploaded_at, corrects";

fn evidence_from(row: &Row) -> Result<EvidenceRecord, StoreError> {
    Ok(EvidenceRecord {
        id: EvidenceId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        case_id: row.opt_int(2)?.map(CaseId),
        report_id: row.opt_int(3)?.map(ReportId),
        blob: BlobId::parse(&row.text(4)?).ok_or_else(|| corrupt("evidence_files.blob"))?,
        file_name: row.text(5)?,
        kind: FileKind::parse(&row.text(6)?).ok_or_else(|| corrupt("evidence_files.kind"))?,
        size: row.int(7)?,
        sha256: row.text(8)?,
        description: row.text(9)?,
        made_on: match row.opt_text(10)? {
            Some(text) => Some(Date::parse(&text).map_err(|_| corrupt("evidence_files.made_on"))?),
            None => None,
        },
        handed_in_by: row.text(11)?,
        exporter: row.opt_text(12)?,
        uploaded_by: row.opt_int(13)?.map(UserId),
        uploaded_at: row.int(14)?,
        corrects: row.opt_int(15)?.map(EvidenceId),
    })
}

const REPORT_COLUMNS: &str =
    "id, school_id, received_at, what, reporter_name, reporter_class, read_at, read_by, case_id";

fn report_from(row: &Row) -> Result<ReportRecord, StoreError> {
    Ok(ReportRecord {
        id: ReportId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        received_at: row.int(2)?,
        what: row.text(3)?,
        reporter_name: row.opt_text(4)?,
        reporter_class: row.opt_text(5)?,
        read_at: row.opt_int(6)?,
        read_by: row.opt_int(7)?.map(UserId),
        case_id: row.opt_int(8)?.map(CaseId),
    })
}

const CUSTODY_COLUMNS: &str = "seq, at, user_id, evidence_id, action, canonical, hash";

fn custody_from(row: &Row) -> Result<CustodyRecord, StoreError> {
    Ok(CustodyRecord {
        seq: row.int(0)?,
        at: row.int(1)?,
        user_id: row.opt_int(2)?.map(UserId),
        evidence_id: row.opt_int(3)?.map(EvidenceId),
        action: row.text(4)?,
        canonical: row.text(5)?,
        hash: row.text(6)?,
    })
}

impl<B: Backend> EvidenceStore for SqlStore<B> {
    fn add_evidence(&self, r: &EvidenceRecord) -> Result<EvidenceId, StoreError> {
        let rows = self.backend().write(|db| {
            db.query(
                "INSERT INTO evidence_files (school_id, case_id, report_id, blob, file_name, kind, size, sha256, \
                 description, made_on, handed_in_by, exporter, uploaded_by, uploaded_at, corrects) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                &[
                    r.school_id.0.into(),
                    r.case_id.map(|c| c.0).into(),
                    r.report_id.map(|c| c.0).into(),
                    r.blob.as_str().into(),
                    r.file_name.as_str().into(),
                    r.kind.as_str().into(),
                    r.size.into(),
                    r.sha256.as_str().into(),
                    r.description.as_str().into(),
                    r.made_on.map(|d| d.to_string()).into(),
                    r.handed_in_by.as_str().into(),
                    r.exporter.clone().into(),
                    r.uploaded_by.map(|u| u.0).into(),
                    r.uploaded_at.into(),
                    r.corrects.map(|c| c.0).into(),
                ],
            )
        })?;
        Ok(EvidenceId(returned_id(&rows)?))
    }

    fn evidence(
        &self,
        school: SchoolId,
        id: EvidenceId,
    ) -> Result<Option<EvidenceRecord>, StoreError> {
        one(
            self.query(
                &format!(
                    "SELECT {EVIDENCE_COLUMNS} FROM evidence_files WHERE school_id = $1 AND id = $2"
                ),
                &[school.0.into(), id.0.into()],
            )?,
            evidence_from,
        )
    }

    fn evidence_of_case(
        &self,
        school: SchoolId,
        case: CaseId,
    ) -> Result<Vec<EvidenceRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {EVIDENCE_COLUMNS} FROM evidence_files WHERE school_id = $1 AND case_id = $2 ORDER BY id"
                ),
                &[school.0.into(), case.0.into()],
            )?,
            evidence_from,
        )
    }

    fn evidence_of_report(
        &self,
        school: SchoolId,
        report: ReportId,
    ) -> Result<Vec<EvidenceRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {EVIDENCE_COLUMNS} FROM evidence_files WHERE school_id = $1 AND report_id = $2 ORDER BY id"
                ),
                &[school.0.into(), report.0.into()],
            )?,
            evidence_from,
        )
    }

    fn evidence_blobs(&self, school: SchoolId) -> Result<Vec<String>, StoreError> {
        all(
            self.query(
                "SELECT DISTINCT blob FROM evidence_files WHERE school_id = $1",
                &[school.0.into()],
            )?,
            |row| row.text(0),
        )
    }

    fn append_custody(
        &self,
        school: SchoolId,
        case: CaseId,
        user: Option<UserId>,
        evidence: Option<EvidenceId>,
        action: &str,
        at: Timestamp,
        seal: Sealer<'_>,
    ) -> Result<CustodyRecord, StoreError> {
        self.backend().write(|db| {
            // A no-op update locks the case's row until the transaction ends (PostgreSQL),
            // so appends to one case's chain queue instead of racing for the same place;
            // SQLite has one writer anyway. Written this way because both accept it.
            db.execute(
                "UPDATE cases SET id = id WHERE school_id = $1 AND id = $2",
                &[school.0.into(), case.0.into()],
            )?;
            let last = db.query(
                "SELECT seq, hash FROM evidence_custody WHERE school_id = $1 AND case_id = $2 \
                 ORDER BY seq DESC LIMIT 1",
                &[school.0.into(), case.0.into()],
            )?;
            let (last_seq, prev) = match last.first() {
                Some(row) => (row.int(0)?, row.text(1)?),
                None => (0, erbij_core::evidence::CUSTODY_GENESIS.to_owned()),
            };
            let (canonical, hash) = seal(last_seq, &prev);
            let seq = last_seq + 1;
            db.execute(
                "INSERT INTO evidence_custody (school_id, case_id, seq, at, user_id, evidence_id, action, canonical, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                &[
                    school.0.into(),
                    case.0.into(),
                    seq.into(),
                    at.into(),
                    user.map(|u| u.0).into(),
                    evidence.map(|e| e.0).into(),
                    action.into(),
                    canonical.as_str().into(),
                    hash.as_str().into(),
                ],
            )?;
            Ok(CustodyRecord {
                seq,
                at,
                user_id: user,
                evidence_id: evidence,
                action: action.to_owned(),
                canonical,
                hash,
            })
        })
    }

    fn custody(&self, school: SchoolId, case: CaseId) -> Result<Vec<CustodyRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {CUSTODY_COLUMNS} FROM evidence_custody WHERE school_id = $1 AND case_id = $2 ORDER BY seq"
                ),
                &[school.0.into(), case.0.into()],
            )?,
            custody_from,
        )
    }

    fn school_code(&self, school: SchoolId) -> Result<Option<String>, StoreError> {
        one(
            self.query(
                "SELECT code FROM evidence_school_codes WHERE school_id = $1",
                &[school.0.into()],
            )?,
            |row| row.text(0),
        )
    }

    fn set_school_code(&self, school: SchoolId, code: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO evidence_school_codes (school_id, code) VALUES ($1, $2)",
            &[school.0.into(), code.into()],
        )?;
        Ok(())
    }

    fn school_by_code(&self, code: &str) -> Result<Option<SchoolId>, StoreError> {
        one(
            self.query(
                "SELECT school_id FROM evidence_school_codes WHERE code = $1",
                &[code.into()],
            )?,
            |row| Ok(SchoolId(row.int(0)?)),
        )
    }

    fn add_report(&self, r: &ReportRecord) -> Result<ReportId, StoreError> {
        let rows = self.backend().write(|db| {
            db.query(
                "INSERT INTO evidence_reports (school_id, received_at, what, reporter_name, reporter_class) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    r.school_id.0.into(),
                    r.received_at.into(),
                    r.what.as_str().into(),
                    r.reporter_name.clone().into(),
                    r.reporter_class.clone().into(),
                ],
            )
        })?;
        Ok(ReportId(returned_id(&rows)?))
    }

    fn report(&self, school: SchoolId, id: ReportId) -> Result<Option<ReportRecord>, StoreError> {
        one(
            self.query(
                &format!(
                    "SELECT {REPORT_COLUMNS} FROM evidence_reports WHERE school_id = $1 AND id = $2"
                ),
                &[school.0.into(), id.0.into()],
            )?,
            report_from,
        )
    }

    fn reports(&self, school: SchoolId) -> Result<Vec<ReportRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {REPORT_COLUMNS} FROM evidence_reports WHERE school_id = $1 ORDER BY received_at DESC, id DESC"
                ),
                &[school.0.into()],
            )?,
            report_from,
        )
    }

    fn mark_report_read(
        &self,
        school: SchoolId,
        id: ReportId,
        user: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE evidence_reports SET read_at = $3, read_by = $4 \
             WHERE school_id = $1 AND id = $2 AND read_at IS NULL",
            &[school.0.into(), id.0.into(), at.into(), user.0.into()],
        )?;
        Ok(())
    }

    fn set_report_case(
        &self,
        school: SchoolId,
        id: ReportId,
        case: CaseId,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE evidence_reports SET case_id = $3 WHERE school_id = $1 AND id = $2",
            &[school.0.into(), id.0.into(), case.0.into()],
        )? > 0)
    }
}
