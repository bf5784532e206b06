//! The queries of cases (see `erbij_core::cases`), written once for both databases.

use erbij_core::cases::letters::{ParentTalk, TalkDecision};
use erbij_core::cases::{
    AgreementId, AgreementRecord, CaseId, CasePerson, CaseRecord, CaseView, CheckOutcome,
    CheckRecord, CloseOutcome, Closing, Origin, PersonRole, StepKind, StepRecord,
};
use erbij_core::{
    CaseStore, Date, Email, PupilId, SchoolId, SchoolKind, StoreError, Timestamp, UserId,
};

use crate::sql::{Backend, Exec, Row, RowExt, SqlStore, Value, all, corrupt, one, returned_id};

const CASE_COLUMNS: &str = "id, school_id, pupil_id, owner_id, opened_by, origin, origin_ref, summary, opened_at, opened_on, \
     closed_outcome, closed_note, closed_on, closed_by, closed_at";

fn date(text: &str, what: &str) -> Result<Date, StoreError> {
    Date::parse(text).map_err(|_| corrupt(what))
}

fn case_from(row: &Row) -> Result<CaseRecord, StoreError> {
    let closing = match row.opt_text(10)? {
        Some(outcome) => Some(Closing {
            outcome: CloseOutcome::parse(&outcome)
                .ok_or_else(|| corrupt("cases.closed_outcome"))?,
            note: row.opt_text(11)?.unwrap_or_default(),
            closed_on: date(&row.text(12)?, "cases.closed_on")?,
            closed_by: UserId(row.int(13)?),
            closed_at: row.int(14)?,
        }),
        None => None,
    };
    Ok(CaseRecord {
        id: CaseId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        pupil_id: PupilId(row.int(2)?),
        owner_id: UserId(row.int(3)?),
        opened_by: UserId(row.int(4)?),
        origin: Origin::parse(&row.text(5)?).ok_or_else(|| corrupt("cases.origin"))?,
        origin_ref: row.opt_int(6)?,
        summary: row.text(7)?,
        opened_at: row.int(8)?,
        opened_on: date(&row.text(9)?, "cases.opened_on")?,
        closing,
    })
}

fn pupil_ids(db: &mut dyn Exec, sql: &str, id: i64) -> Result<Vec<PupilId>, StoreError> {
    db.query(sql, &[id.into()])?
        .iter()
        .map(|r| r.int(0).map(PupilId))
        .collect()
}

/// The pupils must be of the school: checked in the same transaction as the insert.
fn link_pupils(
    db: &mut dyn Exec,
    school: SchoolId,
    table: &str,
    column: &str,
    id: i64,
    pupils: &[PupilId],
) -> Result<(), StoreError> {
    for pupil in pupils {
        db.execute(
            &format!(
                "INSERT INTO {table} ({column}, pupil_id) SELECT $1, id FROM pupils WHERE school_id = $2 AND id = $3"
            ),
            &[id.into(), school.0.into(), pupil.0.into()],
        )?;
    }
    Ok(())
}

impl<B: Backend> CaseStore for SqlStore<B> {
    fn create_case(&self, case: &CaseRecord) -> Result<CaseId, StoreError> {
        self.backend().write(|db| {
            let pupil = db.query(
                "SELECT 1 FROM pupils WHERE school_id = $1 AND id = $2",
                &[case.school_id.0.into(), case.pupil_id.0.into()],
            )?;
            if pupil.is_empty() {
                return Err(StoreError::Backend("pupil not in this school".into()));
            }
            let rows = db.query(
                "INSERT INTO cases (school_id, pupil_id, owner_id, opened_by, origin, origin_ref, summary, opened_at, opened_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                &[
                    case.school_id.0.into(),
                    case.pupil_id.0.into(),
                    case.owner_id.0.into(),
                    case.opened_by.0.into(),
                    case.origin.as_str().into(),
                    case.origin_ref.into(),
                    case.summary.as_str().into(),
                    case.opened_at.into(),
                    case.opened_on.to_string().as_str().into(),
                ],
            )?;
            Ok(CaseId(returned_id(&rows)?))
        })
    }

    fn case(&self, school: SchoolId, id: CaseId) -> Result<Option<CaseRecord>, StoreError> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE school_id = $1 AND id = $2");
        one(
            self.query(&sql, &[school.0.into(), id.0.into()])?,
            case_from,
        )
    }

    fn cases(&self, school: SchoolId) -> Result<Vec<CaseRecord>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE school_id = $1 ORDER BY opened_at DESC, id DESC"
        );
        all(self.query(&sql, &[school.0.into()])?, case_from)
    }

    fn cases_of_user(&self, school: SchoolId, user: UserId) -> Result<Vec<CaseRecord>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE school_id = $1 AND (owner_id = $2 OR id IN \
             (SELECT case_id FROM case_members WHERE school_id = $1 AND user_id = $2)) \
             ORDER BY opened_at DESC, id DESC"
        );
        all(
            self.query(&sql, &[school.0.into(), user.0.into()])?,
            case_from,
        )
    }

    fn open_cases(&self, school: SchoolId) -> Result<Vec<CaseRecord>, StoreError> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE school_id = $1 AND closed_outcome IS NULL ORDER BY id"
        );
        all(self.query(&sql, &[school.0.into()])?, case_from)
    }

    fn close_case(
        &self,
        school: SchoolId,
        id: CaseId,
        closing: &Closing,
    ) -> Result<bool, StoreError> {
        let changed = self.execute(
            "UPDATE cases SET closed_outcome = $3, closed_note = $4, closed_on = $5, closed_by = $6, closed_at = $7 \
             WHERE school_id = $1 AND id = $2 AND closed_outcome IS NULL",
            &[
                school.0.into(),
                id.0.into(),
                closing.outcome.as_str().into(),
                closing.note.as_str().into(),
                closing.closed_on.to_string().as_str().into(),
                closing.closed_by.0.into(),
                closing.closed_at.into(),
            ],
        )?;
        Ok(changed > 0)
    }

    fn add_case_member(
        &self,
        school: SchoolId,
        case: CaseId,
        user: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO case_members (school_id, case_id, user_id, added_at) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM cases WHERE school_id = $1 AND id = $2) \
             AND EXISTS (SELECT 1 FROM users WHERE school_id = $1 AND id = $3) \
             AND NOT EXISTS (SELECT 1 FROM case_members WHERE case_id = $2 AND user_id = $3)",
            &[school.0.into(), case.0.into(), user.0.into(), at.into()],
        )
        .map(|_| ())
    }

    fn case_members(&self, school: SchoolId, case: CaseId) -> Result<Vec<UserId>, StoreError> {
        self.query(
            "SELECT user_id FROM case_members WHERE school_id = $1 AND case_id = $2 ORDER BY added_at, user_id",
            &[school.0.into(), case.0.into()],
        )?
        .iter()
        .map(|r| r.int(0).map(UserId))
        .collect()
    }

    fn add_case_person(
        &self,
        school: SchoolId,
        case: CaseId,
        person: &CasePerson,
    ) -> Result<i64, StoreError> {
        self.backend().write(|db| {
            if let Some(pupil) = person.pupil_id {
                let found = db.query(
                    "SELECT 1 FROM pupils WHERE school_id = $1 AND id = $2",
                    &[school.0.into(), pupil.0.into()],
                )?;
                if found.is_empty() {
                    return Err(StoreError::Backend("pupil not in this school".into()));
                }
            }
            let rows = db.query(
                "INSERT INTO case_people (school_id, case_id, pupil_id, outside_name, role) \
                 SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM cases WHERE school_id = $1 AND id = $2) RETURNING id",
                &[
                    school.0.into(),
                    case.0.into(),
                    person.pupil_id.map(|p| p.0).into(),
                    person.outside_name.clone().into(),
                    person.role.as_str().into(),
                ],
            )?;
            returned_id(&rows)
        })
    }

    fn case_people(&self, school: SchoolId, case: CaseId) -> Result<Vec<CasePerson>, StoreError> {
        all(
            self.query(
                "SELECT id, pupil_id, outside_name, role FROM case_people WHERE school_id = $1 AND case_id = $2 ORDER BY id",
                &[school.0.into(), case.0.into()],
            )?,
            |row| {
                Ok(CasePerson {
                    id: row.int(0)?,
                    pupil_id: row.opt_int(1)?.map(PupilId),
                    outside_name: row.opt_text(2)?,
                    role: PersonRole::parse(&row.text(3)?)
                        .ok_or_else(|| corrupt("case_people.role"))?,
                })
            },
        )
    }

    fn add_step(&self, school: SchoolId, step: &StepRecord) -> Result<i64, StoreError> {
        self.backend().write(|db| {
            let rows = db.query(
                "INSERT INTO case_steps (school_id, case_id, kind, on_date, user_id, note, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM cases WHERE school_id = $1 AND id = $2) RETURNING id",
                &[
                    school.0.into(),
                    step.case_id.0.into(),
                    step.kind.as_str().into(),
                    step.on.to_string().as_str().into(),
                    step.user_id.0.into(),
                    step.note.as_str().into(),
                    step.created_at.into(),
                ],
            )?;
            let id = returned_id(&rows)?;
            link_pupils(db, school, "case_step_pupils", "step_id", id, &step.pupil_ids)?;
            Ok(id)
        })
    }

    fn steps(&self, school: SchoolId, case: CaseId) -> Result<Vec<StepRecord>, StoreError> {
        self.backend().read(|db| {
            let rows = db.query(
                "SELECT id, case_id, kind, on_date, user_id, note, created_at FROM case_steps \
                 WHERE school_id = $1 AND case_id = $2 ORDER BY on_date, id",
                &[school.0.into(), case.0.into()],
            )?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                let id = row.int(0)?;
                out.push(StepRecord {
                    id,
                    case_id: CaseId(row.int(1)?),
                    kind: StepKind::parse(&row.text(2)?).ok_or_else(|| corrupt("case_steps.kind"))?,
                    on: date(&row.text(3)?, "case_steps.on_date")?,
                    user_id: UserId(row.int(4)?),
                    note: row.text(5)?,
                    created_at: row.int(6)?,
                    pupil_ids: pupil_ids(
                        db,
                        "SELECT pupil_id FROM case_step_pupils WHERE step_id = $1 ORDER BY pupil_id",
                        id,
                    )?,
                });
            }
            Ok(out)
        })
    }

    fn add_agreement(
        &self,
        school: SchoolId,
        agreement: &AgreementRecord,
    ) -> Result<AgreementId, StoreError> {
        self.backend().write(|db| {
            let rows = db.query(
                "INSERT INTO case_agreements (school_id, case_id, text, check_on, created_by, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM cases WHERE school_id = $1 AND id = $2) RETURNING id",
                &[
                    school.0.into(),
                    agreement.case_id.0.into(),
                    agreement.text.as_str().into(),
                    agreement.check_on.to_string().as_str().into(),
                    agreement.created_by.0.into(),
                    agreement.created_at.into(),
                ],
            )?;
            let id = returned_id(&rows)?;
            link_pupils(
                db,
                school,
                "case_agreement_pupils",
                "agreement_id",
                id,
                &agreement.pupil_ids,
            )?;
            Ok(AgreementId(id))
        })
    }

    fn agreement(
        &self,
        school: SchoolId,
        id: AgreementId,
    ) -> Result<Option<AgreementRecord>, StoreError> {
        Ok(self
            .agreements_where(school, "id = $2", id.0)?
            .into_iter()
            .next())
    }

    fn agreements(
        &self,
        school: SchoolId,
        case: CaseId,
    ) -> Result<Vec<AgreementRecord>, StoreError> {
        self.agreements_where(school, "case_id = $2", case.0)
    }

    fn add_check(&self, school: SchoolId, check: &CheckRecord) -> Result<i64, StoreError> {
        let rows = self.backend().write(|db| {
            db.query(
                "INSERT INTO case_checks (school_id, agreement_id, on_date, outcome, note, next_check_on, user_id, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE EXISTS (SELECT 1 FROM case_agreements WHERE school_id = $1 AND id = $2) RETURNING id",
                &[
                    school.0.into(),
                    check.agreement_id.0.into(),
                    check.on.to_string().as_str().into(),
                    check.outcome.as_str().into(),
                    check.note.as_str().into(),
                    check.next_check_on.map(|d| d.to_string()).into(),
                    check.user_id.0.into(),
                    check.created_at.into(),
                ],
            )
        })?;
        returned_id(&rows)
    }

    fn checks(&self, school: SchoolId, case: CaseId) -> Result<Vec<CheckRecord>, StoreError> {
        all(
            self.query(
                "SELECT c.id, c.agreement_id, c.on_date, c.outcome, c.note, c.next_check_on, c.user_id, c.created_at \
                 FROM case_checks c JOIN case_agreements a ON a.id = c.agreement_id AND a.school_id = c.school_id \
                 WHERE c.school_id = $1 AND a.case_id = $2 ORDER BY c.on_date, c.id",
                &[school.0.into(), case.0.into()],
            )?,
            |row| {
                Ok(CheckRecord {
                    id: row.int(0)?,
                    agreement_id: AgreementId(row.int(1)?),
                    on: date(&row.text(2)?, "case_checks.on_date")?,
                    outcome: CheckOutcome::parse(&row.text(3)?)
                        .ok_or_else(|| corrupt("case_checks.outcome"))?,
                    note: row.text(4)?,
                    next_check_on: match row.opt_text(5)? {
                        Some(text) => Some(date(&text, "case_checks.next_check_on")?),
                        None => None,
                    },
                    user_id: UserId(row.int(6)?),
                    created_at: row.int(7)?,
                })
            },
        )
    }

    fn record_case_view(
        &self,
        school: SchoolId,
        case: CaseId,
        user: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO case_views (school_id, case_id, user_id, at) \
             SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM cases WHERE school_id = $1 AND id = $2)",
            &[school.0.into(), case.0.into(), user.0.into(), at.into()],
        )
        .map(|_| ())
    }

    fn case_views(&self, school: SchoolId, case: CaseId) -> Result<Vec<CaseView>, StoreError> {
        all(
            self.query(
                "SELECT user_id, at FROM case_views WHERE school_id = $1 AND case_id = $2 ORDER BY at DESC, id DESC",
                &[school.0.into(), case.0.into()],
            )?,
            |row| {
                Ok(CaseView {
                    user_id: UserId(row.int(0)?),
                    at: row.int(1)?,
                })
            },
        )
    }

    fn pupil_birth_date(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Option<Date>, StoreError> {
        let rows = self.query(
            "SELECT birth_date FROM pupils WHERE school_id = $1 AND id = $2",
            &[school.0.into(), pupil.0.into()],
        )?;
        match rows.first().map(|r| r.opt_text(0)).transpose()?.flatten() {
            Some(text) => Ok(Some(date(&text, "pupils.birth_date")?)),
            None => Ok(None),
        }
    }

    fn set_pupil_birth_date(
        &self,
        school: SchoolId,
        pupil: PupilId,
        birth_date: Option<Date>,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE pupils SET birth_date = $3 WHERE school_id = $1 AND id = $2",
            &[
                school.0.into(),
                pupil.0.into(),
                birth_date.map(|d| d.to_string()).into(),
            ],
        )? > 0)
    }

    fn parent_emails(&self, school: SchoolId, pupil: PupilId) -> Result<Vec<Email>, StoreError> {
        self.query(
            "SELECT email FROM pupil_parents WHERE school_id = $1 AND pupil_id = $2 ORDER BY email",
            &[school.0.into(), pupil.0.into()],
        )?
        .iter()
        .map(|r| Email::new(&r.text(0)?).map_err(|_| corrupt("pupil_parents.email")))
        .collect()
    }

    fn set_parent_emails(
        &self,
        school: SchoolId,
        pupil: PupilId,
        emails: &[Email],
    ) -> Result<bool, StoreError> {
        self.backend().write(|db| {
            let found = db.query(
                "SELECT 1 FROM pupils WHERE school_id = $1 AND id = $2",
                &[school.0.into(), pupil.0.into()],
            )?;
            if found.is_empty() {
                return Ok(false);
            }
            set_parent_emails_in(db, school, pupil, emails)?;
            Ok(true)
        })
    }

    fn letter_template(
        &self,
        school: SchoolId,
        kind: &str,
        lang: &str,
    ) -> Result<Option<(String, String)>, StoreError> {
        one(
            self.query(
                "SELECT subject, body FROM letter_templates WHERE school_id = $1 AND kind = $2 AND lang = $3",
                &[school.0.into(), kind.into(), lang.into()],
            )?,
            |row| Ok((row.text(0)?, row.text(1)?)),
        )
    }

    fn set_letter_template(
        &self,
        school: SchoolId,
        kind: &str,
        lang: &str,
        subject: &str,
        body: &str,
    ) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "DELETE FROM letter_templates WHERE school_id = $1 AND kind = $2 AND lang = $3",
                &[school.0.into(), kind.into(), lang.into()],
            )?;
            db.execute(
                "INSERT INTO letter_templates (school_id, kind, lang, subject, body) VALUES ($1, $2, $3, $4, $5)",
                &[
                    school.0.into(),
                    kind.into(),
                    lang.into(),
                    subject.into(),
                    body.into(),
                ],
            )
        })?;
        Ok(())
    }
    fn parent_talks(&self, school: SchoolId, case: CaseId) -> Result<Vec<ParentTalk>, StoreError> {
        self.query(
            "SELECT case_id, pupil_id, decision, note, decided_on, user_id FROM case_parent_talks \
             WHERE school_id = $1 AND case_id = $2 ORDER BY pupil_id",
            &[school.0.into(), case.0.into()],
        )?
        .iter()
        .map(|row| {
            Ok(ParentTalk {
                case_id: CaseId(row.int(0)?),
                pupil_id: PupilId(row.int(1)?),
                decision: TalkDecision::parse(&row.text(2)?)
                    .ok_or_else(|| corrupt("case_parent_talks.decision"))?,
                note: row.text(3)?,
                decided_on: date(&row.text(4)?, "case_parent_talks.decided_on")?,
                user_id: UserId(row.int(5)?),
            })
        })
        .collect()
    }

    fn set_parent_talk(&self, school: SchoolId, talk: &ParentTalk) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "DELETE FROM case_parent_talks WHERE school_id = $1 AND case_id = $2 AND pupil_id = $3",
                &[school.0.into(), talk.case_id.0.into(), talk.pupil_id.0.into()],
            )?;
            db.execute(
                "INSERT INTO case_parent_talks (school_id, case_id, pupil_id, decision, note, decided_on, user_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    school.0.into(),
                    talk.case_id.0.into(),
                    talk.pupil_id.0.into(),
                    talk.decision.as_str().into(),
                    talk.note.as_str().into(),
                    talk.decided_on.to_string().as_str().into(),
                    talk.user_id.0.into(),
                ],
            )
        })?;
        Ok(())
    }

    fn set_school_kind(&self, school: SchoolId, kind: SchoolKind) -> Result<(), StoreError> {
        self.execute(
            "UPDATE schools SET kind = $2 WHERE id = $1",
            &[school.0.into(), kind.as_str().into()],
        )?;
        Ok(())
    }
}

pub(crate) fn set_parent_emails_in(
    db: &mut dyn Exec,
    school: SchoolId,
    pupil: PupilId,
    emails: &[Email],
) -> Result<(), StoreError> {
    db.execute(
        "DELETE FROM pupil_parents WHERE school_id = $1 AND pupil_id = $2",
        &[school.0.into(), pupil.0.into()],
    )?;
    for email in emails {
        db.execute(
            "INSERT INTO pupil_parents (school_id, pupil_id, email) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[school.0.into(), pupil.0.into(), email.as_str().into()],
        )?;
    }
    Ok(())
}

impl<B: Backend> SqlStore<B> {
    fn agreements_where(
        &self,
        school: SchoolId,
        condition: &str,
        value: i64,
    ) -> Result<Vec<AgreementRecord>, StoreError> {
        let sql = format!(
            "SELECT id, case_id, text, check_on, created_by, created_at FROM case_agreements \
             WHERE school_id = $1 AND {condition} ORDER BY id"
        );
        self.backend().read(|db| {
            let rows = db.query(&sql, &[school.0.into(), Value::from(value)])?;
            let mut out = Vec::with_capacity(rows.len());
            for row in &rows {
                let id = row.int(0)?;
                out.push(AgreementRecord {
                    id: AgreementId(id),
                    case_id: CaseId(row.int(1)?),
                    text: row.text(2)?,
                    check_on: date(&row.text(3)?, "case_agreements.check_on")?,
                    created_by: UserId(row.int(4)?),
                    created_at: row.int(5)?,
                    pupil_ids: pupil_ids(
                        db,
                        "SELECT pupil_id FROM case_agreement_pupils WHERE agreement_id = $1 ORDER BY pupil_id",
                        id,
                    )?,
                });
            }
            Ok(out)
        })
    }
}
