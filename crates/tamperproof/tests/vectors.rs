//! Runs every committed compatibility vector (`vectors/*.json`, recorded from the Python
//! reference) through the shared runner, so `cargo test` covers them without Python.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use tamperproof_vectors::run::run_path;
use tamperproof_vectors::tally::Tally;

#[test]
fn committed_vectors_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no vector files in {}", dir.display());

    let mut tally = Tally::default();
    for path in &paths {
        let results = run_path(path).unwrap();
        for result in results {
            if let Some(reason) = &result.failure {
                println!("FAIL {}: {reason}", result.id);
            }
            tally.add(&result.kind, result.failure.is_none());
        }
    }
    for line in tally.per_kind_lines() {
        println!("{line}");
    }
    println!("{}", tally.final_line());
    assert_eq!(tally.failed, 0, "{}", tally.final_line());
}
