//! Background work inside `erbij serve`: a jobs table and a runner that claims due jobs.
//!
//! A job is a row with a `kind`, a JSON `payload`, a moment it is due and a `dedupe_key`
//! that is unique in the table: scheduling the same work twice (a restart, two servers, a
//! page posted twice) inserts one row. A runner claims one due job at a time with a row
//! lock (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has a single writer), marks it
//! `running` with a lease, runs it outside the transaction and marks it `done`. Two
//! `erbij serve` processes on one database therefore never run a job twice; a process that
//! dies while running a job leaves it `running` until the lease ends, and then another run
//! picks it up. A job that fails for a passing reason (the mail server is away) is retried
//! with back-off; after [`MAX_ATTEMPTS`] it is marked `failed`.
//!
//! ## Adding a kind of job
//! 1. Pick a kind name (`"retention"`, `"lessons-reminder"`) and write a handler
//!    `fn(&JobContext, &JobRecord) -> Result<(), JobError>` in your capability's module.
//! 2. Add one line to [`handler`] below.
//! 3. Schedule work with [`Platform::schedule_job`] (one-off, e.g. a reminder on a date), or
//!    add a line to [`RECURRING`] for work that runs every day.
//!
//! Time comes from the platform's [`crate::Clock`]; tests run [`Platform::run_due_jobs`]
//! by hand with a fixed clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::mail::{MAIL_JOB, Mailer};
use crate::{Date, Platform, SchoolId, StoreError, Timestamp};

/// After this many failed attempts a job is marked `failed` and left for the operator.
pub const MAX_ATTEMPTS: i64 = 12;
/// How long a claimed job is reserved for the process running it.
pub const LEASE_SECONDS: i64 = 300;

/// A job as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: i64,
    /// The school the job is for; `None` for installation-wide work.
    pub school_id: Option<SchoolId>,
    pub kind: String,
    pub dedupe_key: String,
    /// JSON; may hold personal data (a mail's address), so it is emptied when the job is done.
    pub payload: String,
    pub due_at: Timestamp,
    /// Attempts so far, including the one being made.
    pub attempts: i64,
}

// The payload may hold an address or a letter: keep it out of logs.
impl std::fmt::Debug for JobRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobRecord")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("due_at", &self.due_at)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// A job to schedule.
#[derive(Clone)]
#[allow(missing_debug_implementations)] // the payload may hold personal data
pub struct NewJob {
    pub school_id: Option<SchoolId>,
    pub kind: String,
    /// Unique across all jobs: the same key is scheduled once, however often it is asked.
    pub dedupe_key: String,
    pub payload: String,
    pub due_at: Timestamp,
}

/// Storage of jobs. Implemented in `erbij-store` for both databases.
pub trait JobStore: Send + Sync {
    /// Inserts the job unless one with the same `dedupe_key` exists; `true` when inserted.
    fn enqueue_job(&self, job: &NewJob, now: Timestamp) -> Result<bool, StoreError>;
    /// Claims the oldest due job (pending and due, or running with an ended lease) under a
    /// row lock, marks it running until `lease_until` and counts the attempt.
    fn claim_due_job(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
    ) -> Result<Option<JobRecord>, StoreError>;
    /// Marks a job done and empties its payload.
    fn finish_job(&self, id: i64, now: Timestamp) -> Result<(), StoreError>;
    /// Puts a job back to wait until `due_at` (a retry), with the reason.
    fn retry_job(&self, id: i64, due_at: Timestamp, error: &str) -> Result<(), StoreError>;
    /// Gives up on a job, with the reason; the payload is emptied.
    fn fail_job(&self, id: i64, now: Timestamp, error: &str) -> Result<(), StoreError>;
    /// Jobs by state (`pending`, `running`, `done`, `failed`) and kind, for tests and the operator.
    fn count_jobs(&self, kind: &str, state: &str) -> Result<i64, StoreError>;
}

/// Why a job did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Try again later (a server that does not answer).
    #[error("temporary: {0}")]
    Retry(String),
    /// Trying again will not help (a payload that cannot be read).
    #[error("permanent: {0}")]
    Fail(String),
}

impl From<StoreError> for JobError {
    fn from(err: StoreError) -> Self {
        JobError::Retry(err.to_string())
    }
}

/// What a handler gets.
#[allow(missing_debug_implementations)]
pub struct JobContext<'a> {
    pub platform: &'a Platform,
    pub mailer: &'a dyn Mailer,
    /// The address people open erbij at (`https://erbij.school.nl`), for links in mail.
    pub public_url: &'a str,
}

pub type JobHandler = fn(&JobContext<'_>, &JobRecord) -> Result<(), JobError>;

/// Every kind of job and the function that runs it: one line per kind.
pub fn handler(kind: &str) -> Option<JobHandler> {
    match kind {
        MAIL_JOB => Some(crate::mail::run_mail_job),
        crate::cases::CHECK_REMINDER_JOB => Some(crate::cases::run_check_reminder),
        crate::retention::RETENTION_JOB => Some(crate::retention::run_retention_job),
        crate::lessons::REVIEW_REMINDER_JOB => Some(crate::lessons::run_review_reminder),
        _ => None,
    }
}

/// Work that runs daily: (kind, local hour in the Netherlands). The runner schedules one
/// job per kind per day with the key `kind:YYYY-MM-DD`, payload `{}`, no school.
pub const RECURRING: &[(&str, u8)] = &[(
    crate::retention::RETENTION_JOB,
    crate::retention::RETENTION_HOUR,
)];

/// Back-off before attempt `attempts + 1`: 1, 2, 4 ... minutes, at most an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.clamp(1, 7) - 1).unwrap_or(0);
    (60_i64 << exponent).min(3600)
}

impl Platform {
    /// Schedules a job once per `dedupe_key`; `true` when it was new.
    pub fn schedule_job(&self, job: &NewJob) -> Result<bool, StoreError> {
        self.store().enqueue_job(job, self.now())
    }

    /// Runs due jobs until none is due or `limit` ran; returns how many ran (done, retried
    /// or failed).
    pub fn run_due_jobs(
        &self,
        mailer: &dyn Mailer,
        public_url: &str,
        limit: usize,
    ) -> Result<usize, StoreError> {
        self.schedule_recurring()?;
        let context = JobContext {
            platform: self,
            mailer,
            public_url,
        };
        let mut ran = 0;
        while ran < limit {
            let now = self.now();
            let Some(job) = self.store().claim_due_job(now, now + LEASE_SECONDS)? else {
                break;
            };
            ran += 1;
            let result = match handler(&job.kind) {
                Some(run) => run(&context, &job),
                None => Err(JobError::Retry(format!("no handler for `{}`", job.kind))),
            };
            let now = self.now();
            match result {
                Ok(()) => self.store().finish_job(job.id, now)?,
                Err(JobError::Retry(why)) if job.attempts < MAX_ATTEMPTS => {
                    self.store()
                        .retry_job(job.id, now + retry_delay(job.attempts), &why)?;
                }
                Err(err) => {
                    self.store().fail_job(job.id, now, &err.to_string())?;
                }
            }
        }
        Ok(ran)
    }

    fn schedule_recurring(&self) -> Result<(), StoreError> {
        let now = self.now();
        let today = Date::in_amsterdam(now);
        for (kind, hour) in RECURRING {
            self.store().enqueue_job(
                &NewJob {
                    school_id: None,
                    kind: (*kind).to_string(),
                    dedupe_key: format!("{kind}:{today}"),
                    payload: "{}".into(),
                    due_at: today.amsterdam_time(*hour, 0),
                },
                now,
            )?;
        }
        Ok(())
    }
}

/// The runner thread inside `erbij serve`: polls for due jobs every `interval`.
#[derive(Debug)]
pub struct Runner {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Runner {
    /// Starts polling on a plain thread (the store is blocking). `on_error` hears about a
    /// store that does not answer (the caller logs it).
    pub fn start(
        platform: Platform,
        mailer: Arc<dyn Mailer>,
        public_url: String,
        interval: std::time::Duration,
        on_error: impl Fn(&StoreError) + Send + 'static,
    ) -> Runner {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("erbij-jobs".into())
            .spawn(move || {
                while !flag.load(Ordering::SeqCst) {
                    if let Err(err) = platform.run_due_jobs(mailer.as_ref(), &public_url, 50) {
                        on_error(&err);
                    }
                    // Sleep in small steps so stopping is quick.
                    let mut slept = std::time::Duration::ZERO;
                    while slept < interval && !flag.load(Ordering::SeqCst) {
                        let step = std::time::Duration::from_millis(100).min(interval - slept);
                        std::thread::sleep(step);
                        slept += step;
                    }
                }
            })
            .ok();
        Runner { stop, thread }
    }

    /// Stops after the job in hand (if any) and waits for the thread.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay(1), 60);
        assert_eq!(retry_delay(2), 120);
        assert_eq!(retry_delay(3), 240);
        assert_eq!(retry_delay(7), 3600);
        assert_eq!(retry_delay(50), 3600);
    }
}
