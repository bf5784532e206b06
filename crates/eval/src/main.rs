//! `erbij-eval`: runs the detector evaluation and prints precision and recall per kind.
//!
//! ```sh
//! cargo run --release -p erbij-eval -- [CASES] [SEED]      # default 320 cases, seed 2025
//! cargo run --release -p erbij-eval -- dump INDEX [SEED]   # print one generated case
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("dump") {
        let index = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
        let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2025);
        let case = erbij_eval::generate(seed, index);
        println!("# {:?} {:?}\n# roster:\n{}", case.plant, case.phone, case.roster_csv);
        println!("# expected: {:?}", case.expected);
        for export in &case.exports {
            println!("# export by {}\n{}", export.exporter, export.text);
        }
        return ExitCode::SUCCESS;
    }
    let cases = args.first().and_then(|a| a.parse().ok()).unwrap_or(320);
    let seed = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(2025);
    let started = std::time::Instant::now();
    let evaluation = erbij_eval::evaluate(seed, cases);
    print!("{}", evaluation.table());
    println!("\nseed {seed}, {:.1} s", started.elapsed().as_secs_f64());
    for mistake in evaluation.mistakes.iter().take(40) {
        println!("{mistake}");
    }
    for failure in &evaluation.look_alike_failures {
        println!("look-alike: {failure}");
    }
    ExitCode::SUCCESS
}
