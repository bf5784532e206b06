//! The mailers `erbij serve` picks: SMTP (lettre, rustls) in production, a file in the data
//! folder for `--demo`, none when no server is configured (mail then waits in the queue).

use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use erbij_core::mail::{MailError, Mailer, OutgoingMail};
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::Tls;
use lettre::{SmtpTransport, Transport};

/// How the connection to the mail server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpSecurity {
    /// Plain connection upgraded with STARTTLS (required), usually port 587.
    Starttls,
    /// TLS from the first byte, usually port 465.
    Tls,
    /// No encryption: only for a relay on the same machine (127.0.0.1).
    None,
}

impl SmtpSecurity {
    fn parse(raw: &str) -> Option<SmtpSecurity> {
        match raw.trim().to_lowercase().as_str() {
            "starttls" => Some(SmtpSecurity::Starttls),
            "tls" | "ssl" | "smtps" => Some(SmtpSecurity::Tls),
            "none" | "plain" => Some(SmtpSecurity::None),
            _ => None,
        }
    }
    fn default_port(self) -> u16 {
        match self {
            SmtpSecurity::Starttls => 587,
            SmtpSecurity::Tls => 465,
            SmtpSecurity::None => 25,
        }
    }
}

/// The mail settings of `erbij serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct MailArgs {
    /// SMTP server for outgoing mail (reminders, parents' letters) [env: ERBIJ_SMTP_HOST]
    #[arg(long, value_name = "HOST")]
    smtp_host: Option<String>,
    /// SMTP port [env: ERBIJ_SMTP_PORT] [default: 587 for starttls, 465 for tls, 25 for none]
    #[arg(long, value_name = "PORT")]
    smtp_port: Option<u16>,
    /// How the connection is secured [env: ERBIJ_SMTP_SECURITY] [default: starttls]
    #[arg(long, value_enum)]
    smtp_security: Option<SmtpSecurity>,
    /// SMTP user name [env: ERBIJ_SMTP_USER]
    #[arg(long, value_name = "USER")]
    smtp_user: Option<String>,
    /// File holding the SMTP password (or set ERBIJ_SMTP_PASSWORD; never on the command line)
    #[arg(long, value_name = "FILE")]
    smtp_password_file: Option<PathBuf>,
    /// Sender address of erbij's mail, e.g. "erbij <erbij@school.nl>" [env: ERBIJ_MAIL_FROM]
    #[arg(long, value_name = "ADDRESS")]
    mail_from: Option<String>,
    /// The address people open erbij at, for links in mail [env: ERBIJ_PUBLIC_URL] [default: http://LISTEN]
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
    /// Seconds between looks at the jobs table [env: ERBIJ_JOBS_INTERVAL] [default: 20]
    #[arg(long, value_name = "SECONDS")]
    jobs_interval: Option<u64>,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl MailArgs {
    pub fn jobs_interval(&self) -> Result<Duration> {
        let seconds = match self.jobs_interval {
            Some(s) => s,
            None => match env("ERBIJ_JOBS_INTERVAL") {
                Some(raw) => raw.parse().with_context(|| {
                    format!("ERBIJ_JOBS_INTERVAL `{raw}` is not a number of seconds")
                })?,
                None => 20,
            },
        };
        Ok(Duration::from_secs(seconds.clamp(1, 3600)))
    }

    /// The mailer these settings describe; `None` when no SMTP server is configured.
    pub fn smtp(&self) -> Result<Option<SmtpMailer>> {
        let Some(host) = self.smtp_host.clone().or_else(|| env("ERBIJ_SMTP_HOST")) else {
            return Ok(None);
        };
        let security = match self.smtp_security {
            Some(s) => s,
            None => match env("ERBIJ_SMTP_SECURITY") {
                Some(raw) => SmtpSecurity::parse(&raw).with_context(|| {
                    format!("ERBIJ_SMTP_SECURITY `{raw}` is not starttls, tls or none")
                })?,
                None => SmtpSecurity::Starttls,
            },
        };
        let port = match self.smtp_port {
            Some(p) => p,
            None => match env("ERBIJ_SMTP_PORT") {
                Some(raw) => raw
                    .parse()
                    .with_context(|| format!("ERBIJ_SMTP_PORT `{raw}` is not a port number"))?,
                None => security.default_port(),
            },
        };
        let user = self.smtp_user.clone().or_else(|| env("ERBIJ_SMTP_USER"));
        let password = match &self.smtp_password_file {
            Some(path) => Some(
                std::fs::read_to_string(path)
                    .with_context(|| {
                        format!("cannot read the SMTP password file {}", path.display())
                    })?
                    .trim_end_matches(['\r', '\n'])
                    .to_string(),
            ),
            None => env("ERBIJ_SMTP_PASSWORD"),
        };
        let from_raw = self
            .mail_from
            .clone()
            .or_else(|| env("ERBIJ_MAIL_FROM"))
            .context("--smtp-host needs a sender address: --mail-from or ERBIJ_MAIL_FROM")?;
        let from: Mailbox = from_raw
            .parse()
            .with_context(|| format!("`{from_raw}` is not a mail address like erbij@school.nl"))?;
        let builder = match security {
            SmtpSecurity::Starttls => SmtpTransport::starttls_relay(&host)
                .with_context(|| format!("cannot set up STARTTLS for {host}"))?,
            SmtpSecurity::Tls => SmtpTransport::relay(&host)
                .with_context(|| format!("cannot set up TLS for {host}"))?,
            SmtpSecurity::None => SmtpTransport::builder_dangerous(&host).tls(Tls::None),
        };
        // `starttls_relay` requires STARTTLS (no plain-text fallback); `relay` is TLS throughout.
        let mut builder = builder.port(port).timeout(Some(Duration::from_secs(30)));
        match (user, password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user, password));
            }
            (Some(_), None) => {
                bail!("--smtp-user needs a password: ERBIJ_SMTP_PASSWORD or --smtp-password-file")
            }
            _ => {}
        }
        Ok(Some(SmtpMailer {
            transport: builder.build(),
            from,
            description: format!("{host}:{port} ({security:?})"),
        }))
    }
}

/// Sends over SMTP.
pub struct SmtpMailer {
    transport: SmtpTransport,
    from: Mailbox,
    pub description: String,
}

fn message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .as_str()
        .parse()
        .map_err(|_| MailError::Refused("the address cannot be used".into()))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(mail.message_id.clone()))
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| MailError::Refused(e.to_string()))
}

impl Mailer for SmtpMailer {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let message = message(&self.from, mail)?;
        match self.transport.send(&message) {
            Ok(_) => Ok(()),
            // A 5xx answer means the server will never take this message; anything else
            // (no connection, timeout, 4xx) is worth another try.
            Err(err) if err.is_permanent() => Err(MailError::Refused(err.to_string())),
            Err(err) => Err(MailError::Unavailable(err.to_string())),
        }
    }
}

/// `--demo`: appends every message to a file in the data folder instead of sending it.
pub struct FileMailer {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileMailer {
    pub fn new(path: PathBuf) -> FileMailer {
        FileMailer {
            path,
            lock: Mutex::new(()),
        }
    }
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }
}

impl Mailer for FileMailer {
    fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let _guard = self.lock.lock();
        let from: Mailbox = "erbij demo <erbij@demo.invalid>"
            .parse()
            .map_err(|_| MailError::Refused("sender".into()))?;
        let formatted = message(&from, mail)?.formatted();
        if let Some(dir) = self.path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(|e| MailError::Unavailable(format!("cannot write the outbox: {e}")))?;
        // mbox: one "From " line before each message, readable by any mail program.
        let mut out = b"From erbij@demo.invalid Thu Jan  1 00:00:00 1970\n".to_vec();
        out.extend(formatted.iter().filter(|b| **b != b'\r'));
        out.extend_from_slice(b"\n\n");
        file.write_all(&out)
            .map_err(|e| MailError::Unavailable(format!("cannot write the outbox: {e}")))
    }
}
