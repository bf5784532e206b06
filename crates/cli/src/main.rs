//! The `erbij` binary: a thin layer that parses arguments, picks implementations and
//! turns library results into output and exit codes. No analysis logic lives here.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod admin;
mod analyze;
mod mail;
mod serve;
mod social_downloads;
mod sociometry;

#[derive(Debug, Parser)]
#[command(
    name = "erbij",
    version,
    about = "erbij: zie en stop buitensluiten in de klas / see and stop exclusion in class"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse chat exports (WhatsApp .txt or .zip) and Instagram/TikTok data downloads, and report what they show.
    Analyze(analyze::Args),
    /// Analyse a class survey (ratings or nominations): statuses, choices, sociogram.
    Sociometry(sociometry::Args),
    /// Serve the school's web app and JSON API (SQLite in --data-dir, or PostgreSQL).
    Serve(serve::Args),
    /// Manage schools (`school add`).
    #[command(subcommand)]
    School(admin::SchoolCommand),
    /// Manage accounts (`user add`).
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Manage API tokens (`token create`).
    #[command(subcommand)]
    Token(admin::TokenCommand),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap exits 2 on wrong usage and 0 for --help/--version; keep that contract.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Sociometry(args) => sociometry::run(args),
        Command::Serve(args) => serve::run(args),
        Command::School(command) => admin::school(command),
        Command::User(command) => admin::user(command),
        Command::Token(command) => admin::token(command),
    }
}
