//! Prints the peak memory and time of every keyless decoder on every adversarial shape, for
//! tokens of at most 4 KB: `cargo run --release -p tamperproof-memcheck --example keyless_table`.
//! docs/SECURITY.md quotes its output. Time is the median of five runs. (A measurement, not a
//! test: the time depends on the machine; `tests/keyless_peak.rs` asserts the memory bound.)
#![allow(clippy::print_stdout)]

use std::time::Instant;

use sign_serde::dangerous::KeylessLimits;
use tamperproof_memcheck::alloc::{Tracking, measure};
use tamperproof_memcheck::{keyless, shapes};

#[global_allocator]
static ALLOC: Tracking = Tracking;

fn main() {
    println!("| entry point | shape | token bytes | peak memory | time | result |");
    println!("|---|---|---:|---:|---:|---|");
    let limits = KeylessLimits::new();
    for entry in keyless::entries() {
        let rejected = shapes::all(entry.json_size);
        let accepted = shapes::largest_accepted(entry.json_size, &limits);
        for (shape, kind) in rejected
            .iter()
            .map(|s| (s, "as large as fits"))
            .chain(accepted.iter().map(|s| (s, "largest accepted")))
        {
            let token = (entry.token)(&shape.json);
            // The median of five runs: the machine may be busy.
            let mut runs: Vec<_> = (0..5)
                .map(|_| {
                    let start = Instant::now();
                    let (outcome, cost) = measure(|| (entry.run)(&token));
                    (start.elapsed(), outcome, cost)
                })
                .collect();
            runs.sort_by_key(|run| run.0);
            let Some(&(elapsed, outcome, cost)) = runs.get(2) else {
                continue;
            };
            println!(
                "| {} | {} ({kind}) | {} | {:.3} MiB | {:.2} ms | {:?} |",
                entry.name,
                shape.name,
                token.len(),
                cost.peak as f64 / 1_048_576.0,
                elapsed.as_secs_f64() * 1000.0,
                outcome,
            );
        }
    }
}
