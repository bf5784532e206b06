//! Benchmark: 10,000 classes of 30 pupils rating each other on a 7-point scale, analysed with
//! all three criteria (SSrat, Newcomb & Bukowski, Coie & Dodge), ties included.
//! Run with `cargo bench -p erbij-sociometry`; the figure goes into BENCHMARKS.md.

use std::hint::black_box;
use std::time::Instant;

use erbij_sociometry::{Options, RatingGroup, Scale, ScoreMatrix, analyse_ratings_all_criteria};

/// A small deterministic generator, so every run analyses the same classes.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn class(random: &mut SplitMix, id: usize) -> RatingGroup {
    let size = 30;
    let mut ratings = ScoreMatrix::new(size);
    // Each pupil has a "likeability" and each rater a leniency, so classes are not uniform noise.
    let likeability: Vec<i64> = (0..size).map(|_| (random.next() % 5) as i64 - 2).collect();
    for from in 0..size {
        let leniency = (random.next() % 3) as i64 - 1;
        for (to, liked) in likeability.iter().enumerate() {
            if from != to {
                let noise = (random.next() % 5) as i64 - 2;
                let rating = (4 + liked + leniency + noise).clamp(1, 7);
                ratings.set(from, to, Some(rating as u32));
            }
        }
    }
    RatingGroup {
        id: id.to_string(),
        pupils: (1..=size).map(|i| i.to_string()).collect(),
        scale: Scale::Seven,
        ratings,
    }
}

/// Time this thread has spent on a CPU (Linux `schedstat`, nanoseconds), so the figure does
/// not depend on how busy the machine's other jobs keep the cores. `None` elsewhere.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanoseconds: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanoseconds / 1e9)
}

fn analyse_all(classes: &[RatingGroup]) -> usize {
    let mut statuses = 0;
    for group in classes {
        for analysis in analyse_ratings_all_criteria(black_box(group), &Options::default()) {
            statuses += analysis
                .pupils
                .iter()
                .filter(|p| p.status.is_some())
                .count();
        }
    }
    statuses
}

fn main() {
    let classes_count = 10_000;
    let mut random = SplitMix(2026);
    let classes: Vec<RatingGroup> = (0..classes_count).map(|i| class(&mut random, i)).collect();
    let mut best = f64::INFINITY;
    let mut best_cpu = f64::INFINITY;
    for round in 1..=5 {
        let cpu_start = thread_cpu_seconds();
        let start = Instant::now();
        let statuses = analyse_all(&classes);
        let seconds = start.elapsed().as_secs_f64();
        let cpu = cpu_start.zip(thread_cpu_seconds()).map(|(a, b)| b - a);
        best = best.min(seconds);
        if let Some(cpu) = cpu {
            best_cpu = best_cpu.min(cpu);
        }
        assert_eq!(statuses, classes_count * 30 * 3);
        println!(
            "one thread, round {round}: {classes_count} classes x 30 pupils x 3 criteria: {seconds:.3} s wall, {} on the CPU",
            cpu.map_or("?".to_string(), |c| format!("{c:.3} s"))
        );
    }
    println!(
        "one thread, best of 5: {best:.3} s wall ({:.1} us per class, all criteria), {best_cpu:.3} s on the CPU",
        best * 1e6 / classes_count as f64
    );
    // The library is pure, so classes can be analysed on every core; the machine's other
    // work decides how much that helps.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let start = Instant::now();
    let chunk = classes.len().div_ceil(threads);
    let statuses: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = classes
            .chunks(chunk)
            .map(|part| scope.spawn(move || analyse_all(part)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    });
    assert_eq!(statuses, classes_count * 30 * 3);
    println!(
        "{threads} threads: {:.3} s wall",
        start.elapsed().as_secs_f64()
    );
}
