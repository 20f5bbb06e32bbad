//! Timing helpers shared by the benchmarks: medians of repeated runs, printed beside a reference
//! measured in the same run, since single timings on shared machines are noise.

use std::time::{Duration, Instant};

/// Median of `runs` timings of `f`.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// Prints a measurement, its reference and their ratio.
pub fn report(name: &str, measured: Duration, reference_name: &str, reference: Duration) {
    println!(
        "{name:<48} {:>9.2} ms   ({reference_name}: {:>7.2} ms, ratio {:>6.1})",
        measured.as_secs_f64() * 1e3,
        reference.as_secs_f64() * 1e3,
        measured.as_secs_f64() / reference.as_secs_f64()
    );
}
