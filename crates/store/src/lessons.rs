//! The queries of lessons (see `erbij_core::lessons`), written once for both databases.
//!
//! A vote is never a row: it is `+1` on a counter (session, dilemma, choice). The voter
//! table holds (session, dilemma, device hash) without the choice, only to refuse a second
//! vote, and is emptied when the session ends.

use erbij_core::lessons::{MAX_PARTICIPANTS, MAX_PROPOSALS_PER_DEVICE, MAX_PROPOSALS_PER_ROUND};
use erbij_core::{
    AgeGroup, AgreementRoundRecord, BallotOutcome, ClassId, Date, DilemmaSessionRecord,
    LessonStore, LiveCounts, NewDilemma, Phase, ProposalOutcome, ProposalRecord, ReviewDue,
    RoundPhase, SchoolDilemmaRecord, SchoolId, StoreError, Tally, Timestamp, UserId, VoteOutcome,
};

use crate::sql::{Backend, Exec, Row, RowExt, SqlStore, Value, all, corrupt, one, returned_id};

const SESSION_COLUMNS: &str = "id, school_id, class_id, created_by, join_code, dilemma_ids, position, phase, started_at, expires_at, ended_at";
const ROUND_COLUMNS: &str = "id, school_id, class_id, created_by, join_code, phase, votes_per_pupil, opened_at, expires_at, settled_at, review_on";
const PROPOSAL_COLUMNS: &str = "id, round_id, text, by_teacher, votes, chosen";

fn lines(text: &str) -> Vec<String> {
    text.split('\n')
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn school_dilemma_from(row: &Row) -> Result<SchoolDilemmaRecord, StoreError> {
    Ok(SchoolDilemmaRecord {
        id: row.int(0)?,
        school_id: SchoolId(row.int(1)?),
        created_by: UserId(row.int(2)?),
        title: row.text(3)?,
        situation: row.text(4)?,
        choices: lines(&row.text(5)?),
        questions: lines(&row.text(6)?),
        ages: row
            .text(7)?
            .split(',')
            .filter_map(AgeGroup::parse)
            .collect(),
        created_at: row.int(8)?,
    })
}

fn session_from(row: &Row) -> Result<DilemmaSessionRecord, StoreError> {
    Ok(DilemmaSessionRecord {
        id: row.int(0)?,
        school_id: SchoolId(row.int(1)?),
        class_id: ClassId(row.int(2)?),
        created_by: UserId(row.int(3)?),
        join_code: row.opt_text(4)?,
        dilemma_ids: row
            .text(5)?
            .split(',')
            .map(|id| {
                id.parse::<i64>()
                    .map_err(|_| corrupt("dilemma_sessions.dilemma_ids"))
            })
            .collect::<Result<_, _>>()?,
        position: usize::try_from(row.int(6)?).map_err(|_| corrupt("dilemma_sessions.position"))?,
        phase: Phase::parse(&row.text(7)?).ok_or_else(|| corrupt("dilemma_sessions.phase"))?,
        started_at: row.int(8)?,
        expires_at: row.int(9)?,
        ended_at: row.opt_int(10)?,
    })
}

fn round_from(row: &Row) -> Result<AgreementRoundRecord, StoreError> {
    Ok(AgreementRoundRecord {
        id: row.int(0)?,
        school_id: SchoolId(row.int(1)?),
        class_id: ClassId(row.int(2)?),
        created_by: UserId(row.int(3)?),
        join_code: row.opt_text(4)?,
        phase: RoundPhase::parse(&row.text(5)?).ok_or_else(|| corrupt("agreement_rounds.phase"))?,
        votes_per_pupil: row.int(6)?,
        opened_at: row.int(7)?,
        expires_at: row.int(8)?,
        settled_at: row.opt_int(9)?,
        review_on: match row.opt_text(10)? {
            Some(text) => {
                Some(Date::parse(&text).map_err(|_| corrupt("agreement_rounds.review_on"))?)
            }
            None => None,
        },
    })
}

fn proposal_from(row: &Row) -> Result<ProposalRecord, StoreError> {
    Ok(ProposalRecord {
        id: row.int(0)?,
        round_id: row.int(1)?,
        text: row.text(2)?,
        by_teacher: row.int(3)? != 0,
        votes: row.int(4)?,
        chosen: row.int(5)? != 0,
    })
}

fn count(db: &mut dyn Exec, sql: &str, params: &[Value]) -> Result<i64, StoreError> {
    db.query(sql, params)?
        .first()
        .ok_or_else(|| corrupt("COUNT"))?
        .int(0)
}

/// Deletes a session's device traces and clears its code, in the caller's transaction.
fn end_session_in(db: &mut dyn Exec, session: i64, now: Timestamp) -> Result<(), StoreError> {
    db.execute(
        "DELETE FROM dilemma_participants WHERE session_id = $1",
        &[session.into()],
    )?;
    db.execute(
        "DELETE FROM dilemma_voters WHERE session_id = $1",
        &[session.into()],
    )?;
    db.execute(
        "UPDATE dilemma_sessions SET join_code = NULL, ended_at = COALESCE(ended_at, $2) WHERE id = $1",
        &[session.into(), now.into()],
    )?;
    Ok(())
}

fn join_in(db: &mut dyn Exec, session: i64, hash: &str) -> Result<bool, StoreError> {
    let known = count(
        db,
        "SELECT COUNT(*) FROM dilemma_participants WHERE session_id = $1 AND device_hash = $2",
        &[session.into(), hash.into()],
    )?;
    if known > 0 {
        return Ok(true);
    }
    let joined = count(
        db,
        "SELECT COUNT(*) FROM dilemma_participants WHERE session_id = $1",
        &[session.into()],
    )?;
    if joined >= MAX_PARTICIPANTS {
        return Ok(false);
    }
    db.execute(
        "INSERT INTO dilemma_participants (session_id, device_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[session.into(), hash.into()],
    )?;
    Ok(true)
}

impl<B: Backend> LessonStore for SqlStore<B> {
    fn school_dilemmas(&self, school: SchoolId) -> Result<Vec<SchoolDilemmaRecord>, StoreError> {
        all(
            self.query(
                "SELECT id, school_id, created_by, title, situation, choices, questions, ages, created_at \
                 FROM school_dilemmas WHERE school_id = $1 ORDER BY id",
                &[school.0.into()],
            )?,
            school_dilemma_from,
        )
    }

    fn create_school_dilemma(
        &self,
        school: SchoolId,
        by: UserId,
        dilemma: &NewDilemma,
        now: Timestamp,
    ) -> Result<SchoolDilemmaRecord, StoreError> {
        // Lines are the separator: validation collapsed every whitespace run to one space.
        let choices = dilemma.choices.join("\n");
        let questions = dilemma.questions.join("\n");
        let ages = dilemma
            .ages
            .iter()
            .map(|a| a.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let id = self.backend().write(|db| {
            returned_id(&db.query(
                "INSERT INTO school_dilemmas (school_id, created_by, title, situation, choices, questions, ages, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    school.0.into(),
                    by.0.into(),
                    dilemma.title.as_str().into(),
                    dilemma.situation.as_str().into(),
                    choices.as_str().into(),
                    questions.as_str().into(),
                    ages.as_str().into(),
                    now.into(),
                ],
            )?)
        })?;
        Ok(SchoolDilemmaRecord {
            id,
            school_id: school,
            created_by: by,
            title: dilemma.title.clone(),
            situation: dilemma.situation.clone(),
            choices: dilemma.choices.clone(),
            questions: dilemma.questions.clone(),
            ages: dilemma.ages.clone(),
            created_at: now,
        })
    }

    fn hidden_dilemmas(&self, school: SchoolId) -> Result<Vec<i64>, StoreError> {
        all(
            self.query(
                "SELECT dilemma_id FROM hidden_dilemmas WHERE school_id = $1",
                &[school.0.into()],
            )?,
            |r| r.int(0),
        )
    }

    fn set_dilemma_hidden(
        &self,
        school: SchoolId,
        dilemma: i64,
        hidden: bool,
        by: UserId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        if hidden {
            self.execute(
                "INSERT INTO hidden_dilemmas (school_id, dilemma_id, hidden_by, hidden_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT DO NOTHING",
                &[school.0.into(), dilemma.into(), by.0.into(), now.into()],
            )?;
        } else {
            self.execute(
                "DELETE FROM hidden_dilemmas WHERE school_id = $1 AND dilemma_id = $2",
                &[school.0.into(), dilemma.into()],
            )?;
        }
        Ok(())
    }

    fn create_dilemma_session(
        &self,
        session: &DilemmaSessionRecord,
    ) -> Result<DilemmaSessionRecord, StoreError> {
        let ids = session
            .dilemma_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let id = self.backend().write(|db| {
            returned_id(&db.query(
                "INSERT INTO dilemma_sessions (school_id, class_id, created_by, join_code, dilemma_ids, position, phase, started_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                &[
                    session.school_id.0.into(),
                    session.class_id.0.into(),
                    session.created_by.0.into(),
                    session.join_code.clone().into(),
                    ids.as_str().into(),
                    i64::try_from(session.position).unwrap_or(0).into(),
                    session.phase.as_str().into(),
                    session.started_at.into(),
                    session.expires_at.into(),
                ],
            )?)
        })?;
        Ok(DilemmaSessionRecord {
            id,
            ..session.clone()
        })
    }

    fn dilemma_session(
        &self,
        school: SchoolId,
        id: i64,
    ) -> Result<Option<DilemmaSessionRecord>, StoreError> {
        one(
            self.query(
                &format!("SELECT {SESSION_COLUMNS} FROM dilemma_sessions WHERE school_id = $1 AND id = $2"),
                &[school.0.into(), id.into()],
            )?,
            session_from,
        )
    }

    fn dilemma_session_by_code(
        &self,
        code: &str,
    ) -> Result<Option<DilemmaSessionRecord>, StoreError> {
        one(
            self.query(
                &format!("SELECT {SESSION_COLUMNS} FROM dilemma_sessions WHERE join_code = $1"),
                &[code.into()],
            )?,
            session_from,
        )
    }

    fn dilemma_sessions_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<DilemmaSessionRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {SESSION_COLUMNS} FROM dilemma_sessions WHERE school_id = $1 AND class_id = $2 ORDER BY id DESC"
                ),
                &[school.0.into(), class.0.into()],
            )?,
            session_from,
        )
    }

    fn set_dilemma_position(
        &self,
        school: SchoolId,
        id: i64,
        position: usize,
        phase: Phase,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE dilemma_sessions SET position = $3, phase = $4 WHERE school_id = $1 AND id = $2 AND ended_at IS NULL",
            &[
                school.0.into(),
                id.into(),
                i64::try_from(position).unwrap_or(0).into(),
                phase.as_str().into(),
            ],
        )? > 0)
    }

    fn end_dilemma_session(
        &self,
        school: SchoolId,
        id: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.backend().write(|db| {
            let found = count(
                db,
                "SELECT COUNT(*) FROM dilemma_sessions WHERE school_id = $1 AND id = $2",
                &[school.0.into(), id.into()],
            )?;
            if found > 0 {
                end_session_in(db, id, now)?;
            }
            Ok(())
        })
    }

    fn end_expired_dilemma_sessions(&self, now: Timestamp) -> Result<u64, StoreError> {
        self.backend().write(|db| {
            let expired = db.query(
                "SELECT id, expires_at FROM dilemma_sessions WHERE ended_at IS NULL AND expires_at <= $1",
                &[now.into()],
            )?;
            for row in &expired {
                end_session_in(db, row.int(0)?, row.int(1)?)?;
            }
            Ok(u64::try_from(expired.len()).unwrap_or(0))
        })
    }

    fn join_dilemma_session(
        &self,
        session: &DilemmaSessionRecord,
        device_hash: &str,
    ) -> Result<bool, StoreError> {
        self.backend()
            .write(|db| join_in(db, session.id, device_hash))
    }

    fn record_dilemma_vote(
        &self,
        session: &DilemmaSessionRecord,
        dilemma: i64,
        choice: i64,
        device_hash: &str,
    ) -> Result<VoteOutcome, StoreError> {
        self.backend().write(|db| {
            if !join_in(db, session.id, device_hash)? {
                return Ok(VoteOutcome::Full);
            }
            let first = db.execute(
                "INSERT INTO dilemma_voters (session_id, dilemma_id, device_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                &[session.id.into(), dilemma.into(), device_hash.into()],
            )?;
            if first == 0 {
                return Ok(VoteOutcome::AlreadyVoted);
            }
            db.execute(
                "INSERT INTO dilemma_tallies (school_id, session_id, dilemma_id, choice, votes) VALUES ($1, $2, $3, $4, 1) \
                 ON CONFLICT (session_id, dilemma_id, choice) DO UPDATE SET votes = dilemma_tallies.votes + 1",
                &[
                    session.school_id.0.into(),
                    session.id.into(),
                    dilemma.into(),
                    choice.into(),
                ],
            )?;
            Ok(VoteOutcome::Counted)
        })
    }

    fn has_voted(&self, session: i64, dilemma: i64, device_hash: &str) -> Result<bool, StoreError> {
        self.backend().read(|db| {
            Ok(count(
                db,
                "SELECT COUNT(*) FROM dilemma_voters WHERE session_id = $1 AND dilemma_id = $2 AND device_hash = $3",
                &[session.into(), dilemma.into(), device_hash.into()],
            )? > 0)
        })
    }

    fn dilemma_tallies(&self, school: SchoolId, session: i64) -> Result<Vec<Tally>, StoreError> {
        all(
            self.query(
                "SELECT dilemma_id, choice, votes FROM dilemma_tallies WHERE school_id = $1 AND session_id = $2 \
                 ORDER BY dilemma_id, choice",
                &[school.0.into(), session.into()],
            )?,
            |r| {
                Ok(Tally {
                    dilemma_id: r.int(0)?,
                    choice: r.int(1)?,
                    votes: r.int(2)?,
                })
            },
        )
    }

    fn dilemma_live_counts(
        &self,
        school: SchoolId,
        session: i64,
    ) -> Result<LiveCounts, StoreError> {
        self.backend().read(|db| {
            let joined = count(
                db,
                "SELECT COUNT(*) FROM dilemma_participants p JOIN dilemma_sessions s ON s.id = p.session_id \
                 WHERE s.school_id = $1 AND p.session_id = $2",
                &[school.0.into(), session.into()],
            )?;
            let votes = db
                .query(
                    "SELECT dilemma_id, CAST(SUM(votes) AS BIGINT) FROM dilemma_tallies WHERE school_id = $1 AND session_id = $2 \
                     GROUP BY dilemma_id ORDER BY dilemma_id",
                    &[school.0.into(), session.into()],
                )?
                .iter()
                .map(|r| Ok((r.int(0)?, r.int(1)?)))
                .collect::<Result<_, StoreError>>()?;
            Ok(LiveCounts { joined, votes })
        })
    }

    fn create_agreement_round(
        &self,
        round: &AgreementRoundRecord,
    ) -> Result<AgreementRoundRecord, StoreError> {
        let id = self.backend().write(|db| {
            returned_id(&db.query(
                "INSERT INTO agreement_rounds (school_id, class_id, created_by, join_code, phase, votes_per_pupil, opened_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    round.school_id.0.into(),
                    round.class_id.0.into(),
                    round.created_by.0.into(),
                    round.join_code.clone().into(),
                    round.phase.as_str().into(),
                    round.votes_per_pupil.into(),
                    round.opened_at.into(),
                    round.expires_at.into(),
                ],
            )?)
        })?;
        Ok(AgreementRoundRecord {
            id,
            ..round.clone()
        })
    }

    fn agreement_round(
        &self,
        school: SchoolId,
        id: i64,
    ) -> Result<Option<AgreementRoundRecord>, StoreError> {
        one(
            self.query(
                &format!(
                    "SELECT {ROUND_COLUMNS} FROM agreement_rounds WHERE school_id = $1 AND id = $2"
                ),
                &[school.0.into(), id.into()],
            )?,
            round_from,
        )
    }

    fn agreement_round_by_code(
        &self,
        code: &str,
    ) -> Result<Option<AgreementRoundRecord>, StoreError> {
        one(
            self.query(
                &format!("SELECT {ROUND_COLUMNS} FROM agreement_rounds WHERE join_code = $1"),
                &[code.into()],
            )?,
            round_from,
        )
    }

    fn agreement_rounds_of_class(
        &self,
        school: SchoolId,
        class: ClassId,
    ) -> Result<Vec<AgreementRoundRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {ROUND_COLUMNS} FROM agreement_rounds WHERE school_id = $1 AND class_id = $2 ORDER BY id DESC"
                ),
                &[school.0.into(), class.0.into()],
            )?,
            round_from,
        )
    }

    fn agreement_proposals(
        &self,
        school: SchoolId,
        round: i64,
    ) -> Result<Vec<ProposalRecord>, StoreError> {
        all(
            self.query(
                &format!(
                    "SELECT {PROPOSAL_COLUMNS} FROM agreement_proposals WHERE school_id = $1 AND round_id = $2 \
                     ORDER BY votes DESC, id"
                ),
                &[school.0.into(), round.into()],
            )?,
            proposal_from,
        )
    }

    fn add_agreement_proposal(
        &self,
        round: &AgreementRoundRecord,
        text: &str,
        device_hash: Option<&str>,
    ) -> Result<ProposalOutcome, StoreError> {
        self.backend().write(|db| {
            let total = count(
                db,
                "SELECT COUNT(*) FROM agreement_proposals WHERE round_id = $1",
                &[round.id.into()],
            )?;
            if total >= MAX_PROPOSALS_PER_ROUND {
                return Ok(ProposalOutcome::LimitReached);
            }
            if let Some(hash) = device_hash {
                let made = db
                    .query(
                        "SELECT proposals FROM agreement_devices WHERE round_id = $1 AND device_hash = $2",
                        &[round.id.into(), hash.into()],
                    )?
                    .first()
                    .map(|r| r.int(0))
                    .transpose()?;
                match made {
                    Some(n) if n >= MAX_PROPOSALS_PER_DEVICE => {
                        return Ok(ProposalOutcome::LimitReached);
                    }
                    Some(_) => {
                        db.execute(
                            "UPDATE agreement_devices SET proposals = proposals + 1 WHERE round_id = $1 AND device_hash = $2",
                            &[round.id.into(), hash.into()],
                        )?;
                    }
                    None => {
                        let devices = count(
                            db,
                            "SELECT COUNT(*) FROM agreement_devices WHERE round_id = $1",
                            &[round.id.into()],
                        )?;
                        if devices >= MAX_PARTICIPANTS {
                            return Ok(ProposalOutcome::LimitReached);
                        }
                        db.execute(
                            "INSERT INTO agreement_devices (round_id, device_hash, proposals, voted) VALUES ($1, $2, 1, 0)",
                            &[round.id.into(), hash.into()],
                        )?;
                    }
                }
            }
            let id = returned_id(&db.query(
                "INSERT INTO agreement_proposals (school_id, round_id, text, by_teacher, votes, chosen) \
                 VALUES ($1, $2, $3, $4, 0, 0) RETURNING id",
                &[
                    round.school_id.0.into(),
                    round.id.into(),
                    text.into(),
                    i64::from(device_hash.is_none()).into(),
                ],
            )?)?;
            Ok(ProposalOutcome::Added(id))
        })
    }

    fn remove_agreement_proposal(
        &self,
        school: SchoolId,
        round: i64,
        proposal: i64,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "DELETE FROM agreement_proposals WHERE school_id = $1 AND round_id = $2 AND id = $3",
            &[school.0.into(), round.into(), proposal.into()],
        )? > 0)
    }

    fn set_round_phase(
        &self,
        school: SchoolId,
        round: i64,
        phase: RoundPhase,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE agreement_rounds SET phase = $3 WHERE school_id = $1 AND id = $2 AND phase <> 'settled'",
            &[school.0.into(), round.into(), phase.as_str().into()],
        )? > 0)
    }

    fn cast_agreement_ballot(
        &self,
        round: &AgreementRoundRecord,
        proposals: &[i64],
        device_hash: &str,
    ) -> Result<BallotOutcome, StoreError> {
        self.backend().write(|db| {
            let voted = db
                .query(
                    "SELECT voted FROM agreement_devices WHERE round_id = $1 AND device_hash = $2",
                    &[round.id.into(), device_hash.into()],
                )?
                .first()
                .map(|r| r.int(0))
                .transpose()?;
            match voted {
                Some(v) if v != 0 => return Ok(BallotOutcome::AlreadyVoted),
                Some(_) => {
                    db.execute(
                        "UPDATE agreement_devices SET voted = 1 WHERE round_id = $1 AND device_hash = $2 AND voted = 0",
                        &[round.id.into(), device_hash.into()],
                    )?;
                }
                None => {
                    let inserted = db.execute(
                        "INSERT INTO agreement_devices (round_id, device_hash, proposals, voted) VALUES ($1, $2, 0, 1) \
                         ON CONFLICT DO NOTHING",
                        &[round.id.into(), device_hash.into()],
                    )?;
                    if inserted == 0 {
                        return Ok(BallotOutcome::AlreadyVoted);
                    }
                }
            }
            for proposal in proposals {
                db.execute(
                    "UPDATE agreement_proposals SET votes = votes + 1 WHERE school_id = $1 AND round_id = $2 AND id = $3",
                    &[round.school_id.0.into(), round.id.into(), (*proposal).into()],
                )?;
            }
            Ok(BallotOutcome::Counted)
        })
    }

    fn has_cast_ballot(&self, round: i64, device_hash: &str) -> Result<bool, StoreError> {
        self.backend().read(|db| {
            Ok(count(
                db,
                "SELECT COUNT(*) FROM agreement_devices WHERE round_id = $1 AND device_hash = $2 AND voted = 1",
                &[round.into(), device_hash.into()],
            )? > 0)
        })
    }

    fn settle_agreement_round(
        &self,
        school: SchoolId,
        round: i64,
        chosen: &[i64],
        review_on: Date,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.backend().write(|db| {
            let changed = db.execute(
                "UPDATE agreement_rounds SET phase = 'settled', join_code = NULL, settled_at = $3, review_on = $4 \
                 WHERE school_id = $1 AND id = $2 AND phase <> 'settled'",
                &[
                    school.0.into(),
                    round.into(),
                    now.into(),
                    review_on.to_string().as_str().into(),
                ],
            )?;
            if changed == 0 {
                return Ok(false);
            }
            for proposal in chosen {
                db.execute(
                    "UPDATE agreement_proposals SET chosen = 1 WHERE school_id = $1 AND round_id = $2 AND id = $3",
                    &[school.0.into(), round.into(), (*proposal).into()],
                )?;
            }
            db.execute(
                "DELETE FROM agreement_devices WHERE round_id = $1",
                &[round.into()],
            )?;
            Ok(true)
        })
    }

    fn set_agreement_review(
        &self,
        school: SchoolId,
        round: i64,
        review_on: Date,
    ) -> Result<bool, StoreError> {
        Ok(self.execute(
            "UPDATE agreement_rounds SET review_on = $3 WHERE school_id = $1 AND id = $2 AND phase = 'settled'",
            &[school.0.into(), round.into(), review_on.to_string().as_str().into()],
        )? > 0)
    }

    fn agreement_reviews_due(
        &self,
        school: SchoolId,
        until: Date,
    ) -> Result<Vec<ReviewDue>, StoreError> {
        // Only the newest settled round of each class counts: an older list was replaced.
        let rows = self.query(
            "SELECT r.id, r.class_id, c.name, r.review_on FROM agreement_rounds r JOIN classes c ON c.id = r.class_id \
             WHERE r.school_id = $1 AND c.school_id = $1 AND r.phase = 'settled' AND r.review_on <= $2 \
             AND r.id = (SELECT MAX(r2.id) FROM agreement_rounds r2 WHERE r2.school_id = $1 AND r2.class_id = r.class_id AND r2.phase = 'settled') \
             ORDER BY r.review_on",
            &[school.0.into(), until.to_string().as_str().into()],
        )?;
        all(rows, |r| {
            Ok(ReviewDue {
                round_id: r.int(0)?,
                class_id: ClassId(r.int(1)?),
                class_name: r.text(2)?,
                review_on: Date::parse(&r.text(3)?)
                    .map_err(|_| corrupt("agreement_rounds.review_on"))?,
            })
        })
    }
}
