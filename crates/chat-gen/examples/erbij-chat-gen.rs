//! Writes synthetic exports for benchmarks and times the reader on a file.
//!
//! An example rather than a binary, so `cargo run` in the workspace still means `erbij`:
//! `cargo run --release -p erbij-chat-gen --example erbij-chat-gen -- write …`.
//!
//! ```text
//! erbij-chat-gen write --size 100MiB [--seed 1] [--variant android|ios] [--lang nl|en] [--clock 24|12] -o FILE
//! erbij-chat-gen bench FILE [--repeat 3]
//! ```

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use erbij_chat::{Events, Language, Variant, detect_format};
use erbij_chat_gen::{Clock, Generator, Options};

fn usage() -> ExitCode {
    eprintln!(
        "usage:\n  erbij-chat-gen write --size 100MiB [--seed 1] [--variant android|ios] [--lang nl|en] [--clock 24|12] -o FILE\n  erbij-chat-gen bench FILE [--repeat 3]"
    );
    ExitCode::from(2)
}

/// Seconds this process has run on a CPU (Linux `/proc/self/schedstat`), so a benchmark on
/// a shared machine can tell its own work from time spent waiting for a core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

fn parse_size(text: &str) -> Option<u64> {
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, ""), |at| text.split_at(at));
    let n: u64 = number.parse().ok()?;
    let factor = match unit {
        "" | "B" => 1,
        "KiB" | "K" => 1 << 10,
        "MiB" | "M" => 1 << 20,
        "GiB" | "G" => 1 << 30,
        _ => return None,
    };
    Some(n * factor)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    match args.first().map(String::as_str) {
        Some("write") => {
            let Some(size) = value("--size").and_then(|s| parse_size(&s)) else {
                return usage();
            };
            let Some(out) = value("-o") else {
                return usage();
            };
            let seed = value("--seed").and_then(|s| s.parse().ok()).unwrap_or(1);
            let variant = match value("--variant").as_deref() {
                Some("ios") => Variant::Ios,
                _ => Variant::Android,
            };
            let language = match value("--lang").as_deref() {
                Some("en") => Language::English,
                _ => Language::Dutch,
            };
            let clock = match value("--clock").as_deref() {
                Some("12") => Clock::Twelve,
                _ => Clock::TwentyFour,
            };
            let mut options = Options::new(seed, variant, language, clock);
            options.members = 28;
            let file = match File::create(&out) {
                Ok(f) => f,
                Err(e) => {
                    eprintln!("cannot create {out}: {e}");
                    return ExitCode::from(1);
                }
            };
            let mut writer = BufWriter::with_capacity(1 << 20, file);
            let mut generator = Generator::new(options);
            let mut written = 0u64;
            let mut entries = 0u64;
            while written < size {
                let (text, _) = generator.next_entry();
                if let Err(e) = writer.write_all(text.as_bytes()) {
                    eprintln!("cannot write {out}: {e}");
                    return ExitCode::from(1);
                }
                written += text.len() as u64;
                entries += 1;
            }
            if let Err(e) = writer.flush() {
                eprintln!("cannot write {out}: {e}");
                return ExitCode::from(1);
            }
            println!("{out}: {written} bytes, {entries} entries");
            ExitCode::SUCCESS
        }
        Some("bench") => {
            let Some(path) = args.get(1) else {
                return usage();
            };
            let repeat: usize = value("--repeat").and_then(|s| s.parse().ok()).unwrap_or(3);
            let size = match std::fs::metadata(path) {
                Ok(m) => m.len() as f64 / (1 << 20) as f64,
                Err(e) => {
                    eprintln!("cannot read {path}: {e}");
                    return ExitCode::from(1);
                }
            };
            // The floor: reading the file and splitting its lines, nothing else.
            let start = Instant::now();
            let mut lines = 0u64;
            if let Ok(file) = File::open(path) {
                let mut reader = BufReader::with_capacity(256 << 10, file);
                let mut line = Vec::new();
                while std::io::BufRead::read_until(&mut reader, b'\n', &mut line).unwrap_or(0) > 0 {
                    lines += 1;
                    line.clear();
                }
            }
            let split = start.elapsed().as_secs_f64();
            println!(
                "read and split lines only: {lines} lines in {split:.3} s = {:.0} MiB/s",
                size / split
            );
            let mut best = f64::MAX;
            let mut best_cpu = f64::MAX;
            for run in 0..repeat {
                let cpu_start = cpu_seconds();
                let start = Instant::now();
                let open = || File::open(path).map(|f| BufReader::with_capacity(256 << 10, f));
                let format = match open()
                    .map_err(|e| e.to_string())
                    .and_then(|r| detect_format(r, path).map_err(|e| e.to_string()))
                {
                    Ok(f) => f,
                    Err(e) => {
                        eprintln!("{e}");
                        return ExitCode::from(1);
                    }
                };
                let first_pass = start.elapsed().as_secs_f64();
                // The second pass reads 256 KiB chunks itself: no buffer in between.
                let reader = match File::open(path) {
                    Ok(r) => r,
                    Err(e) => {
                        eprintln!("cannot read {path}: {e}");
                        return ExitCode::from(1);
                    }
                };
                let mut events = 0u64;
                let mut bytes_of_text = 0u64;
                // Lent events, each built in the buffers of the one before (as `erbij
                // analyze` reads: it hands used events back).
                let mut reader = Events::new(reader, &format);
                while let Some(event) = reader.next_event() {
                    events += 1;
                    bytes_of_text += event.raw.len() as u64;
                }
                let total = start.elapsed().as_secs_f64();
                best = best.min(total);
                let cpu = match (cpu_start, cpu_seconds()) {
                    (Some(a), Some(b)) => b - a,
                    _ => total,
                };
                best_cpu = best_cpu.min(cpu);
                println!(
                    "run {run}: {size:.1} MiB, {events} events ({bytes_of_text} raw bytes): pass 1 {:.3} s ({:.0} MiB/s), pass 2 {:.3} s ({:.0} MiB/s), both {:.3} s = {:.0} MiB/s wall, {cpu:.3} s on CPU = {:.0} MiB/s",
                    first_pass,
                    size / first_pass,
                    total - first_pass,
                    size / (total - first_pass),
                    total,
                    size / total,
                    size / cpu
                );
            }
            println!(
                "best: {:.0} MiB/s wall, {:.0} MiB/s per CPU second (both passes, one thread)",
                size / best,
                size / best_cpu
            );
            ExitCode::SUCCESS
        }
        _ => usage(),
    }
}
