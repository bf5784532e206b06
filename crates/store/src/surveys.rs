//! The queries of surveys (see `erbij_core::surveys`), written once for both databases.

use std::collections::{BTreeMap, BTreeSet};

use erbij_core::surveys::{
    AnswerRow, CodeTarget, MonitorAnswer, MonitorQuestion, MonitorRound, MonitorStore, NewRound,
    NominationQuestion, RoundKind, SurveyCode, SurveyRound, SurveySettings,
};
use erbij_core::{ClassId, Date, PupilId, SchoolId, StoreError, SurveyId, SurveyStore, Timestamp};

use crate::sql::{Backend, Exec, Row, RowExt, SqlStore, Value, all, corrupt, one, returned_id};

const ROUND_COLUMNS: &str = "id, school_id, class_id, kind, scale, questions, max_choices, opens_on, closes_on, closed_at, created_at";

fn date(text: &str, what: &str) -> Result<Date, StoreError> {
    Date::parse(text).map_err(|_| corrupt(what))
}

fn round_from(row: &Row) -> Result<SurveyRound, StoreError> {
    let kind = match row.text(3)?.as_str() {
        "ratings" => RoundKind::Ratings {
            scale: u8::try_from(row.int(4)?).map_err(|_| corrupt("survey_rounds.scale"))?,
        },
        "nominations" => RoundKind::Nominations {
            questions: row
                .text(5)?
                .split(',')
                .filter(|q| !q.is_empty())
                .map(|q| NominationQuestion::parse(q).ok_or_else(|| corrupt("questions")))
                .collect::<Result<_, _>>()?,
            max_choices: row
                .opt_int(6)?
                .map(|n| u32::try_from(n).map_err(|_| corrupt("max_choices")))
                .transpose()?,
        },
        _ => return Err(corrupt("survey_rounds.kind")),
    };
    Ok(SurveyRound {
        id: SurveyId(row.int(0)?),
        school_id: SchoolId(row.int(1)?),
        class_id: ClassId(row.int(2)?),
        kind,
        opens_on: date(&row.text(7)?, "opens_on")?,
        closes_on: row
            .opt_text(8)?
            .map(|t| date(&t, "closes_on"))
            .transpose()?,
        closed_at: row.opt_int(9)?,
        created_at: row.int(10)?,
    })
}

fn monitor_from(row: &Row) -> Result<MonitorRound, StoreError> {
    Ok(MonitorRound {
        id: row.int(0)?,
        school_id: SchoolId(row.int(1)?),
        title: row.text(2)?,
        opens_on: date(&row.text(3)?, "monitor opens_on")?,
        closed_at: row.opt_int(4)?,
        created_at: row.int(5)?,
    })
}

const MONITOR_COLUMNS: &str = "id, school_id, title, opens_on, closed_at, created_at";

/// `safe_school=always;would_tell=mentor,parent`: options are our own keys, never free text.
fn encode_monitor(answer: &MonitorAnswer) -> String {
    answer
        .choices
        .iter()
        .map(|(q, set)| {
            format!(
                "{}={}",
                q.key(),
                set.iter().cloned().collect::<Vec<_>>().join(",")
            )
        })
        .collect::<Vec<_>>()
        .join(";")
}

fn decode_monitor(class_id: Option<i64>, text: &str) -> MonitorAnswer {
    let mut choices = BTreeMap::new();
    for part in text.split(';') {
        let Some((key, options)) = part.split_once('=') else {
            continue;
        };
        let Some(question) = MonitorQuestion::ALL.into_iter().find(|q| q.key() == key) else {
            continue;
        };
        let set: BTreeSet<String> = options
            .split(',')
            .filter(|o| !o.is_empty())
            .map(str::to_string)
            .collect();
        choices.insert(question, set);
    }
    MonitorAnswer {
        class_id: class_id.map(ClassId),
        choices,
    }
}

fn codes_of(db: &mut dyn Exec, school: SchoolId, id: i64) -> Result<Vec<SurveyCode>, StoreError> {
    all(
        db.query(
            "SELECT pupil_id, code, answered_at FROM survey_codes WHERE school_id = $1 AND round_id = $2 ORDER BY pupil_id",
            &[school.0.into(), id.into()],
        )?,
        |r| {
            Ok(SurveyCode {
                pupil_id: PupilId(r.int(0)?),
                code: r.text(1)?,
                answered: r.opt_int(2)?.is_some(),
            })
        },
    )
}

impl<B: Backend> SurveyStore for SqlStore<B> {
    fn create_round(
        &self,
        round: &NewRound,
        codes: &[(PupilId, String)],
    ) -> Result<SurveyRound, StoreError> {
        let (scale, questions, max_choices) = match &round.kind {
            RoundKind::Ratings { scale } => (Some(i64::from(*scale)), String::new(), None),
            RoundKind::Nominations {
                questions,
                max_choices,
            } => (
                None,
                questions
                    .iter()
                    .map(|q| q.key())
                    .collect::<Vec<_>>()
                    .join(","),
                max_choices.map(i64::from),
            ),
        };
        let id = self.backend().write(|db| {
            let class = db.query(
                "SELECT 1 FROM classes WHERE school_id = $1 AND id = $2",
                &[round.school_id.0.into(), round.class_id.0.into()],
            )?;
            if class.is_empty() {
                return Err(StoreError::Backend("class not in this school".into()));
            }
            let id = returned_id(&db.query(
                "INSERT INTO survey_rounds (school_id, class_id, kind, scale, questions, max_choices, opens_on, closes_on, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                &[
                    round.school_id.0.into(),
                    round.class_id.0.into(),
                    round.kind.key().into(),
                    scale.into(),
                    questions.as_str().into(),
                    max_choices.into(),
                    round.opens_on.to_string().as_str().into(),
                    round.closes_on.map(|d| d.to_string()).into(),
                    round.created_by.0.into(),
                    round.created_at.into(),
                ],
            )?)?;
            for (pupil, code) in codes {
                // The pupil must be of this school and class: checked in the insert itself.
                let inserted = db.execute(
                    "INSERT INTO survey_codes (code, school_id, round_id, pupil_id) \
                     SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), id FROM pupils WHERE school_id = $2 AND class_id = $4 AND id = $5",
                    &[
                        code.as_str().into(),
                        round.school_id.0.into(),
                        id.into(),
                        round.class_id.0.into(),
                        pupil.0.into(),
                    ],
                )?;
                if inserted != 1 {
                    return Err(StoreError::Backend("pupil not in this class".into()));
                }
            }
            Ok(id)
        })?;
        self.round(round.school_id, SurveyId(id))?
            .ok_or_else(|| corrupt("survey_rounds.id"))
    }

    fn round(&self, school: SchoolId, id: SurveyId) -> Result<Option<SurveyRound>, StoreError> {
        let sql =
            format!("SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE school_id = $1 AND id = $2");
        one(
            self.query(&sql, &[school.0.into(), id.0.into()])?,
            round_from,
        )
    }

    fn rounds_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<SurveyRound>, StoreError> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM survey_rounds WHERE school_id = $1 AND class_id = $2 ORDER BY created_at DESC, id DESC"
        );
        all(
            self.query(&sql, &[school.0.into(), class.0.into()])?,
            round_from,
        )
    }

    fn close_round(&self, school: SchoolId, id: SurveyId, at: Timestamp) -> Result<(), StoreError> {
        self.execute(
            "UPDATE survey_rounds SET closed_at = $3 WHERE school_id = $1 AND id = $2 AND closed_at IS NULL",
            &[school.0.into(), id.0.into(), at.into()],
        )?;
        Ok(())
    }

    fn round_codes(&self, school: SchoolId, id: SurveyId) -> Result<Vec<SurveyCode>, StoreError> {
        self.backend().read(|db| codes_of(db, school, id.0))
    }

    fn survey_code(&self, code: &str) -> Result<Option<CodeTarget>, StoreError> {
        let sql = format!(
            "SELECT c.school_id, c.pupil_id, c.answered_at, {} FROM survey_codes c \
             JOIN survey_rounds r ON r.id = c.round_id AND r.school_id = c.school_id WHERE c.code = $1",
            ROUND_COLUMNS
                .split(", ")
                .map(|c| format!("r.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        one(self.query(&sql, &[code.into()])?, |r| {
            let round_row: Row = r.iter().skip(3).cloned().collect();
            Ok(CodeTarget {
                school_id: SchoolId(r.int(0)?),
                pupil_id: PupilId(r.int(1)?),
                answered: r.opt_int(2)?.is_some(),
                round: round_from(&round_row)?,
            })
        })
    }

    fn save_answer(
        &self,
        school: SchoolId,
        round: SurveyId,
        pupil: PupilId,
        rows: &[(PupilId, String, i64)],
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        self.backend().write(|db| {
            let before = db.query(
                "SELECT answered_at FROM survey_codes WHERE school_id = $1 AND round_id = $2 AND pupil_id = $3",
                &[school.0.into(), round.0.into(), pupil.0.into()],
            )?;
            let Some(first) = before.first() else {
                return Err(StoreError::Backend("no code for this pupil".into()));
            };
            let first = first.opt_int(0)?.is_none();
            db.execute(
                "DELETE FROM survey_answers WHERE school_id = $1 AND round_id = $2 AND from_pupil = $3",
                &[school.0.into(), round.0.into(), pupil.0.into()],
            )?;
            for (to, question, value) in rows {
                db.execute(
                    "INSERT INTO survey_answers (school_id, round_id, from_pupil, to_pupil, question, value) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                    &[
                        school.0.into(),
                        round.0.into(),
                        pupil.0.into(),
                        to.0.into(),
                        question.as_str().into(),
                        (*value).into(),
                    ],
                )?;
            }
            db.execute(
                "UPDATE survey_codes SET answered_at = $4 WHERE school_id = $1 AND round_id = $2 AND pupil_id = $3",
                &[school.0.into(), round.0.into(), pupil.0.into(), at.into()],
            )?;
            Ok(first)
        })
    }

    fn answer_rows(&self, school: SchoolId, round: SurveyId) -> Result<Vec<AnswerRow>, StoreError> {
        all(
            self.query(
                "SELECT from_pupil, to_pupil, question, value FROM survey_answers \
                 WHERE school_id = $1 AND round_id = $2 ORDER BY from_pupil, question, to_pupil",
                &[school.0.into(), round.0.into()],
            )?,
            |r| {
                Ok(AnswerRow {
                    from: PupilId(r.int(0)?),
                    to: PupilId(r.int(1)?),
                    question: r.text(2)?,
                    value: r.int(3)?,
                })
            },
        )
    }

    fn survey_settings(&self, school: SchoolId) -> Result<SurveySettings, StoreError> {
        let rows = self.query(
            "SELECT allow_negative, coordinator_sees_answers, alpha FROM survey_settings WHERE school_id = $1",
            &[school.0.into()],
        )?;
        Ok(match rows.first() {
            None => SurveySettings::default(),
            Some(r) => SurveySettings {
                allow_negative: r.int(0)? != 0,
                coordinator_sees_answers: r.int(1)? != 0,
                alpha: r
                    .text(2)?
                    .parse()
                    .map_err(|_| corrupt("survey_settings.alpha"))?,
            },
        })
    }

    fn set_survey_settings(
        &self,
        school: SchoolId,
        settings: &SurveySettings,
    ) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "DELETE FROM survey_settings WHERE school_id = $1",
                &[school.0.into()],
            )?;
            db.execute(
                "INSERT INTO survey_settings (school_id, allow_negative, coordinator_sees_answers, alpha) VALUES ($1, $2, $3, $4)",
                &[
                    school.0.into(),
                    i64::from(settings.allow_negative).into(),
                    i64::from(settings.coordinator_sees_answers).into(),
                    settings.alpha.to_string().as_str().into(),
                ],
            )?;
            Ok(())
        })
    }
}

impl<B: Backend> MonitorStore for SqlStore<B> {
    fn create_monitor(
        &self,
        school: SchoolId,
        title: &str,
        opens_on: Date,
        at: Timestamp,
        codes: &[(ClassId, String)],
    ) -> Result<MonitorRound, StoreError> {
        let id = self.backend().write(|db| {
            let id = returned_id(&db.query(
                "INSERT INTO monitor_rounds (school_id, title, opens_on, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                &[
                    school.0.into(),
                    title.into(),
                    opens_on.to_string().as_str().into(),
                    at.into(),
                ],
            )?)?;
            for (class, code) in codes {
                let inserted = db.execute(
                    "INSERT INTO monitor_codes (code, school_id, round_id, class_id) \
                     SELECT CAST($1 AS TEXT), CAST($2 AS BIGINT), CAST($3 AS BIGINT), id FROM classes WHERE school_id = $2 AND id = $4",
                    &[code.as_str().into(), school.0.into(), id.into(), class.0.into()],
                )?;
                if inserted != 1 {
                    return Err(StoreError::Backend("class not in this school".into()));
                }
            }
            Ok(id)
        })?;
        self.monitor(school, id)?
            .ok_or_else(|| corrupt("monitor_rounds.id"))
    }

    fn monitor(&self, school: SchoolId, id: i64) -> Result<Option<MonitorRound>, StoreError> {
        let sql = format!(
            "SELECT {MONITOR_COLUMNS} FROM monitor_rounds WHERE school_id = $1 AND id = $2"
        );
        one(
            self.query(&sql, &[school.0.into(), id.into()])?,
            monitor_from,
        )
    }

    fn monitors(&self, school: SchoolId) -> Result<Vec<MonitorRound>, StoreError> {
        let sql = format!(
            "SELECT {MONITOR_COLUMNS} FROM monitor_rounds WHERE school_id = $1 ORDER BY created_at DESC, id DESC"
        );
        all(self.query(&sql, &[school.0.into()])?, monitor_from)
    }

    fn close_monitor(&self, school: SchoolId, id: i64, at: Timestamp) -> Result<(), StoreError> {
        self.backend().write(|db| {
            db.execute(
                "UPDATE monitor_rounds SET closed_at = $3 WHERE school_id = $1 AND id = $2 AND closed_at IS NULL",
                &[school.0.into(), id.into(), at.into()],
            )?;
            // Unused codes are of no use any more.
            db.execute(
                "DELETE FROM monitor_codes WHERE school_id = $1 AND round_id = $2",
                &[school.0.into(), id.into()],
            )?;
            Ok(())
        })
    }

    fn monitor_codes(
        &self,
        school: SchoolId,
        id: i64,
    ) -> Result<Vec<(ClassId, String)>, StoreError> {
        all(
            self.query(
                "SELECT class_id, code FROM monitor_codes WHERE school_id = $1 AND round_id = $2 ORDER BY class_id, code",
                &[school.0.into(), id.into()],
            )?,
            |r| Ok((ClassId(r.int(0)?), r.text(1)?)),
        )
    }

    fn monitor_code(&self, code: &str) -> Result<Option<(MonitorRound, ClassId)>, StoreError> {
        let sql = format!(
            "SELECT c.class_id, {} FROM monitor_codes c JOIN monitor_rounds r ON r.id = c.round_id AND r.school_id = c.school_id WHERE c.code = $1",
            MONITOR_COLUMNS
                .split(", ")
                .map(|c| format!("r.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        one(self.query(&sql, &[code.into()])?, |r| {
            let round_row: Row = r.iter().skip(1).cloned().collect();
            Ok((monitor_from(&round_row)?, ClassId(r.int(0)?)))
        })
    }

    fn use_monitor_code(&self, code: &str, answer: &MonitorAnswer) -> Result<bool, StoreError> {
        self.backend().write(|db| {
            let rows = db.query(
                "SELECT school_id, round_id, class_id FROM monitor_codes WHERE code = $1",
                &[code.into()],
            )?;
            let Some(row) = rows.first() else {
                return Ok(false);
            };
            let (school, round, class) = (row.int(0)?, row.int(1)?, row.int(2)?);
            db.execute("DELETE FROM monitor_codes WHERE code = $1", &[code.into()])?;
            // A random id: the ids and SQLite's row order do not tell the order of arrival.
            let id = erbij_core::surveys::monitor::random_answer_id()?;
            db.execute(
                "INSERT INTO monitor_answers (id, school_id, round_id, class_id, answers) VALUES ($5, $1, $2, $3, $4)",
                &[
                    school.into(),
                    round.into(),
                    Value::Int(Some(class)),
                    encode_monitor(answer).as_str().into(),
                    id.into(),
                ],
            )?;
            Ok(true)
        })
    }

    fn monitor_answers(&self, school: SchoolId, id: i64) -> Result<Vec<MonitorAnswer>, StoreError> {
        all(
            self.query(
                "SELECT class_id, answers FROM monitor_answers WHERE school_id = $1 AND round_id = $2",
                &[school.0.into(), id.into()],
            )?,
            |r| Ok(decode_monitor(r.opt_int(0)?, &r.text(1)?)),
        )
    }
}
