//! `erbij verify BUNDLE.zip`: checks an evidence bundle (a zipped BagIt bag) without
//! unpacking it: every file against the manifest, the tag files against the tag manifest,
//! and the custody log's hash chain. Exit 0 with a one-line summary; exit 1 naming each
//! altered, missing or extra file and the first broken log entry; 2 on wrong usage.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::analyze::Lang;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The bundle (`.zip`) as exported from a case.
    bundle: PathBuf,
    /// Language of the messages.
    #[arg(long, value_enum, default_value = "nl")]
    lang: Lang,
}

pub fn run(args: Args) -> ExitCode {
    let dutch = matches!(args.lang, Lang::Nl);
    let name = args.bundle.display().to_string();
    let file = match File::open(&args.bundle) {
        Ok(file) => file,
        Err(err) => {
            if dutch {
                eprintln!("erbij verify: kan {name} niet openen: {err}");
            } else {
                eprintln!("erbij verify: cannot open {name}: {err}");
            }
            return ExitCode::from(1);
        }
    };
    let verdict = erbij_bundle::verify_zip(BufReader::new(file));
    if verdict.is_ok() {
        if dutch {
            println!(
                "OK: {name}: {} bestanden kloppen met manifest-sha256.txt, tagbestanden met tagmanifest-sha256.txt, bewaarketen van {} regels ongeschonden",
                verdict.files, verdict.log_entries
            );
        } else {
            println!(
                "OK: {name}: {} files match manifest-sha256.txt, tag files match tagmanifest-sha256.txt, custody log of {} entries intact",
                verdict.files, verdict.log_entries
            );
        }
        return ExitCode::SUCCESS;
    }
    for problem in &verdict.problems {
        println!("{}", problem.message(dutch));
    }
    if dutch {
        eprintln!(
            "erbij verify: {name} is NIET in orde: {} probleem/problemen",
            verdict.problems.len()
        );
    } else {
        eprintln!(
            "erbij verify: {name} does NOT verify: {} problem(s)",
            verdict.problems.len()
        );
    }
    ExitCode::from(1)
}
