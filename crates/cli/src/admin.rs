//! `erbij school add`, `erbij user add`, `erbij token create`: the operator's commands.
//! They open the same database as `serve` (SQLite's busy timeout and WAL let them write
//! while the server runs) and go through the same use cases.

use std::io::BufRead;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use erbij_core::{Platform, Role, SchoolKind, SystemClock};

use crate::serve::StoreArgs;

#[derive(Debug, clap::Subcommand)]
pub enum SchoolCommand {
    /// Add a school; prints its id.
    Add {
        #[arg(long)]
        name: String,
        /// po (primary: groepen) or vo (secondary: klassen)
        #[arg(long = "type", default_value = "vo")]
        kind: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add an account. On an empty installation --school creates the school.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// administrator | coordinator | confidential_adviser | care_coordinator | teacher
        #[arg(long)]
        role: String,
        /// The school's name or id (needed when there are several).
        #[arg(long)]
        school: Option<String>,
        /// Type of a school created here: po or vo.
        #[arg(long = "school-type", default_value = "vo")]
        school_kind: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for an account; prints it as the last line.
    Create {
        #[arg(long)]
        email: String,
        /// What the token is for (shown on the account page).
        #[arg(long, default_value = "command line")]
        label: String,
        /// Days until the token stops working (default 365).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=3650))]
        days: Option<u16>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke an account's API tokens: one (--id, as printed by `token create` and shown on
    /// the account page) or all (--all).
    Revoke {
        #[arg(long)]
        email: String,
        /// The token's number.
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        id: Option<i64>,
        /// Every token of the account.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
}

fn platform(store: StoreArgs) -> Result<Platform> {
    Ok(Platform::new(
        store.open()?,
        std::sync::Arc::new(SystemClock),
    ))
}

fn finish(command: &str, result: Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erbij {command}: {err:#}");
            ExitCode::from(1)
        }
    }
}

pub fn school(command: SchoolCommand) -> ExitCode {
    let SchoolCommand::Add { name, kind, store } = command;
    finish(
        "school add",
        (|| {
            let kind = SchoolKind::parse(&kind)?;
            let school = platform(store)?.add_school(&name, kind)?;
            println!("{}", school.id);
            Ok(())
        })(),
    )
}

pub fn user(command: UserCommand) -> ExitCode {
    let UserCommand::Add {
        email,
        name,
        role,
        school,
        school_kind,
        password_stdin,
        store,
    } = command;
    finish(
        "user add",
        (|| {
            let role = Role::parse(&role)?;
            let kind = SchoolKind::parse(&school_kind)?;
            if !password_stdin {
                bail!(
                    "give the password on standard input with --password-stdin, e.g. `echo 'a long passphrase' | erbij user add ... --password-stdin`"
                );
            }
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\r', '\n']);
            let (school, user) = platform(store)?.operator_add_user(
                school.as_deref(),
                kind,
                &email,
                &name,
                role,
                password,
            )?;
            println!(
                "account {} ({}) added to school {} ({})",
                user.id,
                role.as_str(),
                school.id,
                school.name
            );
            Ok(())
        })(),
    )
}

pub fn token(command: TokenCommand) -> ExitCode {
    match command {
        TokenCommand::Create {
            email,
            label,
            days,
            store,
        } => finish(
            "token create",
            (|| {
                let valid_for = days.map(|d| i64::from(d) * 24 * 3600);
                let (token, record) =
                    platform(store)?.operator_create_token_valid_for(&email, &label, valid_for)?;
                println!(
                    "API token {} created, valid until {} (Europe/Amsterdam); it is shown only once, store it safely:",
                    record.id,
                    erbij_core::hardening::amsterdam_time(record.expires_at)
                );
                println!("{token}");
                Ok(())
            })(),
        ),
        TokenCommand::Revoke {
            email,
            id,
            all,
            store,
        } => finish(
            "token revoke",
            (|| {
                let revoked =
                    platform(store)?.operator_revoke_tokens(&email, if all { None } else { id })?;
                match (revoked, id) {
                    (0, Some(id)) if !all => {
                        bail!("the account has no active token {id}; nothing was revoked")
                    }
                    (n, _) => println!("{n} token(s) revoked"),
                }
                Ok(())
            })(),
        ),
    }
}
