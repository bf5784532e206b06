//! The queries of signals (see `erbij_core::signals`), written once for both databases.

use erbij_core::{
    ChangeAction, ClassId, ClassMove, Correction, Date, EarlyWarningRule, NewSignal, PupilId,
    PupilRecord, RuleKind, RuleSet, SchoolId, SignalChange, SignalId, SignalKind, SignalRecord,
    SignalStore, StoreError, Timestamp, UserId,
};

use crate::sql::{
    Backend, Exec, PUPIL_COLUMNS, Row, RowExt, SqlStore, Value, all, corrupt, one, pupil_from,
    returned_id,
};

/// The columns `signal_from` reads, with the recorder's name joined from `users`.
const SIGNAL_SELECT: &str = "SELECT s.id, s.school_id, s.pupil_id, s.class_id, s.kind, s.seen_on, s.note, \
     s.recorded_by, COALESCE(u.name, ''), s.recorded_at, s.withdrawn_at, s.withdrawn_by \
     FROM signals s LEFT JOIN users u ON u.id = s.recorded_by";

fn date_from(text: &str, what: &str) -> Result<Date, StoreError> {
    Date::parse(text).map_err(|_| corrupt(what))
}

fn kind_from(text: &str) -> Result<SignalKind, StoreError> {
    SignalKind::parse(text).ok_or_else(|| corrupt("signals.kind"))
}

fn signal_from(row: &Row) -> Result<SignalRecord, StoreError> {
    Ok(SignalRecord {
        id: SignalId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        pupil_id: PupilId(row.int(2)?),
        class_id: ClassId(row.int(3)?),
        kind: kind_from(&row.text(4)?)?,
        seen_on: date_from(&row.text(5)?, "signals.seen_on")?,
        note: row.text(6)?,
        recorded_by: UserId(row.int(7)?),
        recorded_by_name: row.text(8)?,
        recorded_at: row.int(9)?,
        withdrawn_at: row.opt_int(10)?,
        withdrawn_by: row.opt_int(11)?.map(UserId),
    })
}

fn change_from(row: &Row) -> Result<SignalChange, StoreError> {
    Ok(SignalChange {
        signal_id: SignalId(row.int(0)?),
        action: ChangeAction::parse(&row.text(1)?)
            .ok_or_else(|| corrupt("signal_changes.action"))?,
        changed_by: UserId(row.int(2)?),
        changed_by_name: row.text(3)?,
        changed_at: row.int(4)?,
        old_kind: kind_from(&row.text(5)?)?,
        old_seen_on: date_from(&row.text(6)?, "signal_changes.old_seen_on")?,
        old_note: row.text(7)?,
        reason: row.text(8)?,
    })
}

fn rule_from(row: &Row) -> Result<EarlyWarningRule, StoreError> {
    let kinds = row.text(3)?;
    Ok(EarlyWarningRule {
        kind: RuleKind::parse(&row.text(0)?).ok_or_else(|| corrupt("early_warning_rules.kind"))?,
        min_count: row.int(1)?,
        window_days: row.int(2)?,
        signal_kinds: kinds
            .split(',')
            .filter(|k| !k.is_empty())
            .map(kind_from)
            .collect::<Result<_, _>>()?,
        enabled: row.int(4)? != 0,
    })
}

fn signal_in(
    db: &mut dyn Exec,
    school: SchoolId,
    id: SignalId,
) -> Result<Option<SignalRecord>, StoreError> {
    let sql = format!("{SIGNAL_SELECT} WHERE s.school_id = $1 AND s.id = $2");
    one(
        db.query(&sql, &[school.0.into(), id.0.into()])?,
        signal_from,
    )
}

fn insert_change(
    db: &mut dyn Exec,
    before: &SignalRecord,
    action: ChangeAction,
    by: UserId,
    at: Timestamp,
    reason: &str,
) -> Result<(), StoreError> {
    db.execute(
        "INSERT INTO signal_changes (school_id, signal_id, pupil_id, action, changed_by, changed_at, \
         old_kind, old_seen_on, old_note, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            before.school_id.0.into(),
            before.id.0.into(),
            before.pupil_id.0.into(),
            action.as_str().into(),
            by.0.into(),
            at.into(),
            before.kind.as_str().into(),
            before.seen_on.to_string().as_str().into(),
            before.note.as_str().into(),
            reason.into(),
        ],
    )
    .map(|_| ())
}

impl<B: Backend> SignalStore for SqlStore<B> {
    fn create_signal(&self, signal: &NewSignal) -> Result<SignalRecord, StoreError> {
        let id = self.backend().write(|db| {
            // The pupil must belong to the school: checked in the same transaction.
            let pupil = db.query(
                "SELECT 1 FROM pupils WHERE school_id = $1 AND id = $2",
                &[signal.school_id.0.into(), signal.pupil_id.0.into()],
            )?;
            if pupil.is_empty() {
                return Err(StoreError::Backend("pupil not in this school".into()));
            }
            let rows = db.query(
                "INSERT INTO signals (school_id, pupil_id, class_id, kind, seen_on, note, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    signal.school_id.0.into(),
                    signal.pupil_id.0.into(),
                    signal.class_id.0.into(),
                    signal.kind.as_str().into(),
                    signal.seen_on.to_string().as_str().into(),
                    signal.note.as_str().into(),
                    signal.recorded_by.0.into(),
                    signal.recorded_at.into(),
                ],
            )?;
            returned_id(&rows)
        })?;
        self.signal(signal.school_id, SignalId(id))?
            .ok_or_else(|| corrupt("signals.id"))
    }

    fn signal(&self, school: SchoolId, id: SignalId) -> Result<Option<SignalRecord>, StoreError> {
        self.backend().read(|db| signal_in(db, school, id))
    }

    fn signals_of_pupil(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Vec<SignalRecord>, StoreError> {
        let sql = format!(
            "{SIGNAL_SELECT} WHERE s.school_id = $1 AND s.pupil_id = $2 ORDER BY s.seen_on DESC, s.id DESC"
        );
        all(
            self.query(&sql, &[school.0.into(), pupil.0.into()])?,
            signal_from,
        )
    }

    fn signals_seen_since(
        &self,
        school: SchoolId,
        since: Date,
    ) -> Result<Vec<SignalRecord>, StoreError> {
        let sql = format!(
            "{SIGNAL_SELECT} WHERE s.school_id = $1 AND s.seen_on >= $2 AND s.withdrawn_at IS NULL \
             ORDER BY s.pupil_id, s.seen_on DESC, s.id DESC"
        );
        all(
            self.query(&sql, &[school.0.into(), since.to_string().as_str().into()])?,
            signal_from,
        )
    }

    fn signals_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
        from: Date,
        to: Date,
    ) -> Result<Vec<SignalRecord>, StoreError> {
        let sql = format!(
            "{SIGNAL_SELECT} JOIN pupils p ON p.id = s.pupil_id AND p.school_id = s.school_id \
             WHERE s.school_id = $1 AND p.class_id = $2 AND s.seen_on >= $3 AND s.seen_on <= $4 \
             AND s.withdrawn_at IS NULL ORDER BY s.seen_on DESC, s.id DESC"
        );
        all(
            self.query(
                &sql,
                &[
                    school.0.into(),
                    class.0.into(),
                    from.to_string().as_str().into(),
                    to.to_string().as_str().into(),
                ],
            )?,
            signal_from,
        )
    }

    fn correct_signal(
        &self,
        school: SchoolId,
        id: SignalId,
        correction: &Correction,
        by: UserId,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.backend().write(|db| {
            let Some(before) = signal_in(db, school, id)? else {
                return Ok(false);
            };
            if before.is_withdrawn() {
                return Ok(false);
            }
            insert_change(db, &before, ChangeAction::Corrected, by, at, "")?;
            db.execute(
                "UPDATE signals SET kind = $3, seen_on = $4, note = $5 WHERE school_id = $1 AND id = $2",
                &[
                    school.0.into(),
                    id.0.into(),
                    correction.kind.as_str().into(),
                    correction.seen_on.to_string().as_str().into(),
                    correction.note.as_str().into(),
                ],
            )?;
            Ok(true)
        })
    }

    fn withdraw_signal(
        &self,
        school: SchoolId,
        id: SignalId,
        by: UserId,
        at: Timestamp,
        reason: &str,
    ) -> Result<bool, StoreError> {
        self.backend().write(|db| {
            let Some(before) = signal_in(db, school, id)? else {
                return Ok(false);
            };
            if before.is_withdrawn() {
                return Ok(false);
            }
            insert_change(db, &before, ChangeAction::Withdrawn, by, at, reason)?;
            db.execute(
                "UPDATE signals SET withdrawn_at = $3, withdrawn_by = $4 WHERE school_id = $1 AND id = $2",
                &[school.0.into(), id.0.into(), at.into(), by.0.into()],
            )?;
            Ok(true)
        })
    }

    fn delete_signal(&self, school: SchoolId, id: SignalId) -> Result<bool, StoreError> {
        Ok(self.execute(
            "DELETE FROM signals WHERE school_id = $1 AND id = $2",
            &[school.0.into(), id.0.into()],
        )? > 0)
    }

    fn signal_changes_of_pupil(
        &self,
        school: SchoolId,
        pupil: PupilId,
    ) -> Result<Vec<SignalChange>, StoreError> {
        all(
            self.query(
                "SELECT c.signal_id, c.action, c.changed_by, COALESCE(u.name, ''), c.changed_at, \
                 c.old_kind, c.old_seen_on, c.old_note, c.reason \
                 FROM signal_changes c LEFT JOIN users u ON u.id = c.changed_by \
                 WHERE c.school_id = $1 AND c.pupil_id = $2 ORDER BY c.changed_at, c.id",
                &[school.0.into(), pupil.0.into()],
            )?,
            change_from,
        )
    }

    fn pupils_of_school(&self, school: SchoolId) -> Result<Vec<PupilRecord>, StoreError> {
        let sql = format!(
            "SELECT {PUPIL_COLUMNS} FROM pupils WHERE school_id = $1 ORDER BY family_name, given_name, id"
        );
        all(self.query(&sql, &[school.0.into()])?, pupil_from)
    }

    fn early_warning_rules(&self, school: SchoolId) -> Result<Option<RuleSet>, StoreError> {
        self.backend().read(|db| {
            let settings = db.query(
                "SELECT COALESCE(u.name, ''), e.updated_at FROM early_warning_settings e \
                 LEFT JOIN users u ON u.id = e.updated_by WHERE e.school_id = $1",
                &[school.0.into()],
            )?;
            let Some(settings) = settings.first() else {
                return Ok(None);
            };
            let rules = all(
                db.query(
                    "SELECT kind, min_count, window_days, signal_kinds, enabled FROM early_warning_rules \
                     WHERE school_id = $1 ORDER BY position, id",
                    &[school.0.into()],
                )?,
                rule_from,
            )?;
            Ok(Some(RuleSet {
                rules,
                updated_by_name: Some(settings.text(0)?),
                updated_at: Some(settings.int(1)?),
            }))
        })
    }

    fn save_early_warning_rules(
        &self,
        school: SchoolId,
        rules: &[EarlyWarningRule],
        by: UserId,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "DELETE FROM early_warning_rules WHERE school_id = $1",
                &[school.0.into()],
            )?;
            for (position, rule) in rules.iter().enumerate() {
                let kinds: Vec<&str> = rule.signal_kinds.iter().map(|k| k.as_str()).collect();
                db.execute(
                    "INSERT INTO early_warning_rules (school_id, position, kind, min_count, window_days, signal_kinds, enabled) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    &[
                        school.0.into(),
                        i64::try_from(position).unwrap_or(i64::MAX).into(),
                        rule.kind.as_str().into(),
                        rule.min_count.into(),
                        rule.window_days.into(),
                        kinds.join(",").as_str().into(),
                        i64::from(rule.enabled).into(),
                    ],
                )?;
            }
            db.execute(
                "DELETE FROM early_warning_settings WHERE school_id = $1",
                &[school.0.into()],
            )?;
            db.execute(
                "INSERT INTO early_warning_settings (school_id, updated_by, updated_at) VALUES ($1, $2, $3)",
                &[school.0.into(), by.0.into(), at.into()],
            )?;
            Ok(())
        })
    }

    fn record_class_move(&self, school: SchoolId, change: &ClassMove) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO pupil_class_moves (school_id, pupil_id, from_class_id, to_class_id, moved_on, moved_at, moved_by) \
             SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM pupils WHERE school_id = $1 AND id = $2)",
            &[
                school.0.into(),
                change.pupil_id.0.into(),
                change.from_class.0.into(),
                change.to_class.0.into(),
                change.moved_on.to_string().as_str().into(),
                change.moved_at.into(),
                Value::from(change.moved_by.map(|u| u.0)),
            ],
        )
        .map(|_| ())
    }

    fn class_moves(&self, school: SchoolId, pupil: PupilId) -> Result<Vec<ClassMove>, StoreError> {
        all(
            self.query(
                "SELECT m.pupil_id, m.from_class_id, m.to_class_id, COALESCE(a.name, ''), COALESCE(b.name, ''), \
                 m.moved_on, m.moved_at, m.moved_by FROM pupil_class_moves m \
                 LEFT JOIN classes a ON a.id = m.from_class_id AND a.school_id = m.school_id \
                 LEFT JOIN classes b ON b.id = m.to_class_id AND b.school_id = m.school_id \
                 WHERE m.school_id = $1 AND m.pupil_id = $2 ORDER BY m.moved_at, m.id",
                &[school.0.into(), pupil.0.into()],
            )?,
            |row| {
                Ok(ClassMove {
                    pupil_id: PupilId(row.int(0)?),
                    from_class: ClassId(row.int(1)?),
                    to_class: ClassId(row.int(2)?),
                    from_class_name: row.text(3)?,
                    to_class_name: row.text(4)?,
                    moved_on: date_from(&row.text(5)?, "pupil_class_moves.moved_on")?,
                    moved_at: row.int(6)?,
                    moved_by: row.opt_int(7)?.map(UserId),
                })
            },
        )
    }
}
