//! Retention that deletes: a daily job inside `erbij serve` (no outside scheduler).
//!
//! For every school, with its retention period (default [`crate::auth::DEFAULT_RETENTION_DAYS`],
//! set by the administrator):
//! - every pupil who left on or before today minus the period (archived with that date, or
//!   still in a class archived on or before it) is deleted with everything about them, in one
//!   transaction per pupil (`AuthStore::delete_pupil`: signals, class moves, survey codes and
//!   answers given and received, cases with steps, agreements, checks, parents' talks and
//!   custody, evidence rows, the reports that became their cases, parents' addresses and the
//!   access log of their pages); then the evidence files no row refers to any more are
//!   removed from the vault;
//! - reports (Meld het) that never became a case are deleted once they are older than the
//!   period, with their files;
//! - the access log keeps entries for the period only.
//!
//! Each run is logged per school with counts and the cutoff date only (`retention_runs`),
//! never names. On SQLite `secure_delete` is on, and the run ends with a WAL checkpoint, so
//! deleted rows are overwritten in the database file and leave no copy in the log.
//!
//! The job is one `RECURRING` entry: one row per day (`retention:YYYY-MM-DD`) claimed by one
//! runner, so several servers on one PostgreSQL run it once.

use crate::auth::RetentionRun;
use crate::evidence::{BlobId, VaultError};
use crate::jobs::{JobContext, JobError, JobRecord};
use crate::{Date, Platform, SchoolId, StoreError};

/// The job's kind (see [`crate::jobs::RECURRING`]).
pub const RETENTION_JOB: &str = "retention";
/// When it runs: 03:00 Dutch time, when nobody works.
pub const RETENTION_HOUR: u8 = 3;

/// Why a run did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Rows were deleted but a file could not be removed from the vault; the sweep at the
    /// next start (or the next run) removes it.
    #[error("an evidence file could not be removed: {0}")]
    Vault(String),
}

/// The job handler (one line in [`crate::jobs::handler`]).
pub fn run_retention_job(context: &JobContext<'_>, _job: &JobRecord) -> Result<(), JobError> {
    context
        .platform
        .run_retention()
        .map(|_| ())
        .map_err(|err| JobError::Retry(err.to_string()))
}

impl Platform {
    /// Runs retention for every school now (the job; tests call it with a fixed clock).
    /// Returns the run logged per school.
    pub fn run_retention(&self) -> Result<Vec<RetentionRun>, RetentionError> {
        let now = self.now();
        let today = Date::in_amsterdam(now);
        let mut runs = Vec::new();
        let mut vault_failure = None;
        for settings in self.store().all_school_settings()? {
            let school = settings.school_id;
            let days = settings.retention_days.max(1);
            let cutoff = today.add_days(-days);
            let mut pupils_deleted = 0;
            let mut files_deleted = 0;
            for pupil in self
                .store()
                .pupils_left_on_or_before(school, &cutoff.to_string())?
            {
                if let Some(blobs) = self.store().delete_pupil(school, pupil)? {
                    pupils_deleted += 1;
                    files_deleted += self.remove_blobs(school, &blobs, &mut vault_failure);
                }
            }
            let before = now - days * 86_400;
            let (_, blobs) = self
                .store()
                .delete_reports_received_before(school, before)?;
            files_deleted += self.remove_blobs(school, &blobs, &mut vault_failure);
            self.store().prune_access_log(school, before)?;
            let run = RetentionRun {
                school_id: school,
                ran_at: now,
                cutoff: cutoff.to_string(),
                pupils_deleted,
                files_deleted,
            };
            self.store().log_retention_run(&run)?;
            runs.push(run);
        }
        self.store().flush_deletes()?;
        match vault_failure {
            Some(why) => Err(RetentionError::Vault(why)),
            None => Ok(runs),
        }
    }

    /// Removes blobs from the vault; counts the removed ones and remembers a failure.
    fn remove_blobs(
        &self,
        school: SchoolId,
        blobs: &[String],
        failure: &mut Option<String>,
    ) -> i64 {
        let mut removed = 0;
        for name in blobs {
            let Some(blob) = BlobId::parse(name) else {
                continue;
            };
            match self.vault().remove(school, &blob) {
                Ok(()) => removed += 1,
                // Gone already, or no vault (so no file was ever stored).
                Err(VaultError::Missing | VaultError::NotConfigured) => {}
                Err(err) => *failure = Some(err.to_string()),
            }
        }
        removed
    }
}
