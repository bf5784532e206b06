//! Outgoing mail: the [`Mailer`] trait and the `mail` job that sends one message.
//!
//! Use cases never send mail themselves: they schedule a `mail` job
//! ([`Platform::queue_mail`]) with a dedupe key, so a message is queued once however often
//! it is asked for, survives a restart, is retried with back-off while the mail server is
//! away, and is sent by exactly one runner. The binary picks the mailer: SMTP in
//! production, a file in the data folder for `--demo`; tests use [`MemoryMailer`] or a real
//! SMTP server on 127.0.0.1.

use std::sync::Mutex;

use crate::jobs::{JobContext, JobError, JobRecord, NewJob};
use crate::{Email, Platform, SchoolId, StoreError};

/// The job kind that sends one message.
pub const MAIL_JOB: &str = "mail";

/// One message, plain text.
#[derive(Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    pub to: Email,
    pub subject: String,
    pub body: String,
    /// Stable across retries (`<job-17@erbij>`), so a receiving server can drop a copy.
    pub message_id: String,
}

impl std::fmt::Debug for OutgoingMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutgoingMail")
            .field("to", &self.to)
            .field("message_id", &self.message_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The server is away or busy: try again later.
    #[error("mail server unavailable: {0}")]
    Unavailable(String),
    /// The server refused the message for good (a malformed address).
    #[error("mail refused: {0}")]
    Refused(String),
}

/// Sends mail. Blocking; called from the job runner's thread.
pub trait Mailer: Send + Sync {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError>;
}

/// Keeps messages in memory (tests).
#[derive(Debug, Default)]
pub struct MemoryMailer {
    sent: Mutex<Vec<OutgoingMail>>,
}

impl MemoryMailer {
    pub fn sent(&self) -> Vec<OutgoingMail> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Mailer for MemoryMailer {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(mail.clone());
        }
        Ok(())
    }
}

/// A mailer that is never available (no SMTP server configured): mail waits in the queue.
#[derive(Debug, Default)]
pub struct NoMailer;

impl Mailer for NoMailer {
    fn send(&self, _mail: &OutgoingMail) -> Result<(), MailError> {
        Err(MailError::Unavailable(
            "no mail server configured (--smtp-host)".into(),
        ))
    }
}

fn payload(to: &Email, subject: &str, body: &str) -> String {
    let mut map = serde_json::Map::new();
    map.insert("to".into(), to.as_str().into());
    map.insert("subject".into(), subject.into());
    map.insert("body".into(), body.into());
    serde_json::Value::Object(map).to_string()
}

impl Platform {
    /// Queues one message, once per `dedupe_key`; `true` when it was new.
    pub fn queue_mail(
        &self,
        school: Option<SchoolId>,
        dedupe_key: &str,
        to: &Email,
        subject: &str,
        body: &str,
    ) -> Result<bool, StoreError> {
        self.schedule_job(&NewJob {
            school_id: school,
            kind: MAIL_JOB.into(),
            dedupe_key: format!("mail:{dedupe_key}"),
            payload: payload(to, subject, body),
            due_at: self.now(),
        })
    }
}

/// The `mail` job: sends the message in the payload.
pub(crate) fn run_mail_job(context: &JobContext<'_>, job: &JobRecord) -> Result<(), JobError> {
    let value: serde_json::Value = serde_json::from_str(&job.payload)
        .map_err(|_| JobError::Fail("mail payload is not JSON".into()))?;
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let to = Email::new(field("to")).map_err(|_| JobError::Fail("no valid address".into()))?;
    let mail = OutgoingMail {
        to,
        subject: field("subject").to_string(),
        body: field("body").to_string(),
        message_id: format!("<job-{}@erbij>", job.id),
    };
    match context.mailer.send(&mail) {
        Ok(()) => Ok(()),
        Err(MailError::Unavailable(why)) => Err(JobError::Retry(why)),
        Err(MailError::Refused(why)) => Err(JobError::Fail(why)),
    }
}
