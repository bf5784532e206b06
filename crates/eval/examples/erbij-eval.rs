//! `erbij-eval`: runs the detector evaluation and prints precision and recall per kind.
//! An example rather than a binary, so `cargo run` in the workspace still runs `erbij`.
//!
//! ```sh
//! cargo run --release -p erbij-eval --example erbij-eval -- [CASES] [SEED]   # 320, 2025
//! cargo run --release -p erbij-eval --example erbij-eval -- dump INDEX [SEED]
//! cargo run --release -p erbij-eval --example erbij-eval -- bench FILE [ROSTER.csv]
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("dump") {
        let index = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(0);
        let seed = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2025);
        let case = erbij_eval::generate(seed, index);
        println!(
            "# {:?} {:?}\n# roster:\n{}",
            case.plant, case.phone, case.roster_csv
        );
        println!("# expected: {:?}", case.expected);
        for export in &case.exports {
            println!("# export by {}\n{}", export.exporter, export.text);
        }
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("bench") {
        return bench(&args[1..]);
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

/// CPU seconds (user + system) of the calling thread so far, from /proc (Linux); 0 elsewhere.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// CPU seconds (user + system) of this process so far, from /proc (Linux); 0 elsewhere.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// `bench FILE [ROSTER]`: reader alone, then reader plus every detector, one thread, in
/// CPU seconds (so other work on the machine does not count).
fn bench(args: &[String]) -> ExitCode {
    let Some(path) = args.first() else {
        eprintln!("usage: erbij-eval bench FILE [ROSTER.csv]");
        return ExitCode::from(2);
    };
    let roster = args
        .get(1)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| erbij_detect::Roster::from_csv(&t).ok());
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / (1024.0 * 1024.0);
    if let Err(err) = std::fs::File::open(path) {
        eprintln!("{path}: {err}");
        return ExitCode::from(1);
    }
    let open = || -> Box<dyn std::io::BufRead> {
        match std::fs::File::open(path) {
            Ok(file) => Box::new(std::io::BufReader::with_capacity(256 * 1024, file)),
            Err(_) => Box::new(std::io::empty()),
        }
    };
    // The second pass reads big chunks itself: no buffer in between.
    let open_raw = || -> Box<dyn std::io::Read + Send> {
        match std::fs::File::open(path) {
            Ok(file) => Box::new(file),
            Err(_) => Box::new(std::io::empty()),
        }
    };
    let format = match erbij_chat::detect_format(open(), path) {
        Ok(format) => format,
        Err(err) => {
            eprintln!("{}", err.message(erbij_chat::Language::English));
            return ExitCode::from(1);
        }
    };
    let t0 = cpu_seconds();
    let _ = erbij_chat::detect_format(open(), path);
    let mut events = 0u64;
    for _ in erbij_chat::Events::new(open_raw(), &format) {
        events += 1;
    }
    let t1 = cpu_seconds();
    let _ = erbij_chat::detect_format(open(), path);
    let mut analyzer = erbij_detect::Analyzer::new(roster, erbij_detect::Thresholds::default());
    analyzer.keep_fingerprints(false);
    let mut scanner = analyzer.scan_chat(None);
    for event in erbij_chat::Events::new(open_raw(), &format) {
        scanner.push(&event);
    }
    let facts = scanner.finish();
    analyzer.add(facts);
    let t_scan = cpu_seconds();
    let report = analyzer.finish();
    let t2 = cpu_seconds();
    let final_step = t2 - t_scan;
    println!("{size:.1} MiB, {events} events");
    println!(
        "reader (both passes):           {:.2} CPU s = {:.0} MiB/s",
        t1 - t0,
        size / (t1 - t0).max(0.01)
    );
    println!(
        "reader + all detectors:         {:.2} CPU s = {:.0} MiB/s ({} findings)",
        t2 - t1,
        size / (t2 - t1).max(0.01),
        report.findings.len()
    );
    println!("  (of which the detectors' final step: {final_step:.2} CPU s)");

    // As `erbij analyze` runs it: this thread reads, a second one detects. Each thread's own
    // CPU time shows what the wall time is on two free cores.
    let started = std::time::Instant::now();
    let reader_start = thread_cpu_seconds();
    let format = match erbij_chat::detect_format(open(), path) {
        Ok(format) => format,
        Err(_) => return ExitCode::from(1),
    };
    let roster = args
        .get(1)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| erbij_detect::Roster::from_csv(&t).ok());
    let mut analyzer = erbij_detect::Analyzer::new(roster, erbij_detect::Thresholds::default());
    analyzer.keep_fingerprints(false);
    let scanner = analyzer.scan_chat(None);
    let (facts, worker_cpu, reader_cpu) = std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<erbij_chat::Event>>(8);
        let (returner, returned) = std::sync::mpsc::channel::<Vec<erbij_chat::Event>>();
        let worker = scope.spawn(move || {
            let start = thread_cpu_seconds();
            let mut scanner = scanner;
            for batch in receiver {
                for event in &batch {
                    scanner.push(event);
                }
                let _ = returner.send(batch);
            }
            (scanner.finish(), thread_cpu_seconds() - start)
        });
        let mut batch = Vec::with_capacity(1024);
        for event in erbij_chat::Events::new(open_raw(), &format) {
            batch.push(event);
            if batch.len() == 1024 {
                let mut next = returned.try_recv().unwrap_or_default();
                next.clear();
                let full = std::mem::replace(&mut batch, next);
                if sender.send(full).is_err() {
                    break;
                }
            }
        }
        let _ = sender.send(batch);
        drop(sender);
        let reader_cpu = thread_cpu_seconds() - reader_start;
        let (facts, worker_cpu) = worker.join().unwrap_or_else(|_| std::process::exit(1));
        (facts, worker_cpu, reader_cpu)
    });
    analyzer.add(facts);
    let finish_start = thread_cpu_seconds();
    let report = analyzer.finish();
    let finish_cpu = thread_cpu_seconds() - finish_start;
    let wall = started.elapsed().as_secs_f64();
    let idle_wall = reader_cpu.max(worker_cpu) + finish_cpu;
    println!(
        "two threads (as erbij analyze): reading thread {reader_cpu:.2} CPU s, detecting thread {worker_cpu:.2} CPU s, final step {finish_cpu:.2} CPU s"
    );
    println!(
        "  on two free cores: {idle_wall:.2} s = {:.0} MiB/s; measured here: {wall:.2} s wall = {:.0} MiB/s ({} findings)",
        size / idle_wall.max(0.01),
        size / wall.max(0.01),
        report.findings.len()
    );
    ExitCode::SUCCESS
}
