//! `erbij analyze`: read chat exports and report what they show.

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// WhatsApp exports: .txt or the .zip WhatsApp makes.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    eprintln!(
        "erbij analyze: not implemented yet ({} files)",
        args.files.len()
    );
    ExitCode::from(1)
}
