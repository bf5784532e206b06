//! The `erbij` binary: a thin layer that parses arguments, picks implementations and
//! turns library results into output and exit codes. No analysis logic lives here.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod admin;
mod analyze;
mod backup;
mod mail;
mod serve;
mod signin;
mod social_downloads;
mod sociometry;
mod verify;

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
    /// Check an evidence bundle (BagIt zip exported from a case): files, manifests and the custody log's chain.
    Verify(verify::Args),
    /// Manage schools (`school add`).
    #[command(subcommand)]
    School(admin::SchoolCommand),
    /// Manage accounts (`user add`).
    #[command(subcommand)]
    User(admin::UserCommand),
    /// Manage API tokens (`token create`, `token revoke`).
    #[command(subcommand)]
    Token(admin::TokenCommand),
    /// Write a consistent backup of the database while the server runs.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data folder or PostgreSQL database.
    Restore(backup::RestoreArgs),
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
        Command::Verify(args) => verify::run(args),
        Command::School(command) => admin::school(command),
        Command::User(command) => admin::user(command),
        Command::Token(command) => admin::token(command),
        Command::Backup(args) => backup::backup(args),
        Command::Restore(args) => backup::restore(args),
    }
}

#[cfg(test)]
mod tests {
    /// clap checks its definition only when a command is parsed: two flags of one name (as
    /// once `--public-url` from the mail and the sign-in settings) would make every
    /// `erbij serve` panic at start.
    #[test]
    fn the_command_line_definition_is_valid() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
