//! The jobs table (see `erbij_core::jobs`): idempotent scheduling and claiming under a row lock.

use erbij_core::jobs::{JobRecord, JobStore, NewJob};
use erbij_core::{SchoolId, StoreError, Timestamp};

use crate::sql::{Backend, RowExt, SqlStore, corrupt};

impl<B: Backend> JobStore for SqlStore<B> {
    fn enqueue_job(&self, job: &NewJob, now: Timestamp) -> Result<bool, StoreError> {
        let inserted = self.execute(
            "INSERT INTO jobs (school_id, kind, dedupe_key, payload, due_at, state, attempts, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6) ON CONFLICT (dedupe_key) DO NOTHING",
            &[
                job.school_id.map(|s| s.0).into(),
                job.kind.as_str().into(),
                job.dedupe_key.as_str().into(),
                job.payload.as_str().into(),
                job.due_at.into(),
                now.into(),
            ],
        )?;
        Ok(inserted > 0)
    }

    fn claim_due_job(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<JobRecord>, StoreError> {
        let sql = format!(
            "SELECT id, school_id, kind, dedupe_key, payload, due_at, attempts FROM jobs \
             WHERE (state = 'pending' AND due_at <= $1) OR (state = 'running' AND lease_until <= $1) \
             ORDER BY due_at, id LIMIT 1{}",
            self.backend().claim_clause()
        );
        self.backend().write(|db| {
            let rows = db.query(&sql, &[now.into()])?;
            let Some(row) = rows.first() else {
                return Ok(None);
            };
            let job = JobRecord {
                id: row.int(0)?,
                school_id: row.opt_int(1)?.map(SchoolId),
                kind: row.text(2)?,
                dedupe_key: row.text(3)?,
                payload: row.text(4)?,
                due_at: row.int(5)?,
                attempts: row.int(6)? + 1,
            };
            // The same condition again: a row another process claimed in between is not ours.
            let claimed = db.execute(
                "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_until = $2 \
                 WHERE id = $3 AND ((state = 'pending' AND due_at <= $1) OR (state = 'running' AND lease_until <= $1))",
                &[now.into(), lease_until.into(), job.id.into()],
            )?;
            if claimed != 1 {
                return Ok(None);
            }
            Ok(Some(job))
        })
    }

    fn finish_job(&self, id: i64, now: Timestamp) -> Result<(), StoreError> {
        self.execute(
            "UPDATE jobs SET state = 'done', payload = '', lease_until = NULL, finished_at = $2 WHERE id = $1",
            &[id.into(), now.into()],
        )
        .map(|_| ())
    }

    fn retry_job(&self, id: i64, due_at: Timestamp, error: &str) -> Result<(), StoreError> {
        let error: String = error.chars().take(300).collect();
        self.execute(
            "UPDATE jobs SET state = 'pending', due_at = $2, lease_until = NULL, last_error = $3 WHERE id = $1",
            &[id.into(), due_at.into(), error.as_str().into()],
        )
        .map(|_| ())
    }

    fn fail_job(&self, id: i64, now: Timestamp, error: &str) -> Result<(), StoreError> {
        let error: String = error.chars().take(300).collect();
        self.execute(
            "UPDATE jobs SET state = 'failed', payload = '', lease_until = NULL, last_error = $3, finished_at = $2 WHERE id = $1",
            &[id.into(), now.into(), error.as_str().into()],
        )
        .map(|_| ())
    }

    fn count_jobs(&self, kind: &str, state: &str) -> Result<i64, StoreError> {
        let rows = self.query(
            "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND state = $2",
            &[kind.into(), state.into()],
        )?;
        rows.first().ok_or_else(|| corrupt("count"))?.int(0)
    }
}
