//! `cargo xtask`: developer tasks for the tamperproof workspace.
//!
//! Each task is a module with a `run` function taking its options (a clap `Args` struct);
//! adding one is a new module and one variant of [`Task`].
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench_compare;
mod compat;
mod fuzz;
mod live;
mod report;
mod test;
mod vectors;
mod venv;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Developer tasks for the tamperproof workspace.
#[derive(Parser, Debug)]
#[command(name = "cargo xtask", about)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Subcommand, Debug)]
enum Task {
    /// Run every test of the workspace (`cargo test --workspace --locked`), after making
    /// sure the pinned Python environments the end-to-end tests need exist.
    Test(test::Options),
    /// Regenerate vectors/*.json with the Python reference (target/venv/*).
    Vectors(vectors::Options),
    /// Run every case of the vector files, or (--live) a two-way live check against Python.
    Compat(compat::Options),
    /// Create (or reuse) the pinned Python environments under target/venv/.
    Venv,
    /// Build the cargo-fuzz targets with nightly and run each for a while.
    Fuzz(fuzz::Options),
    /// Criterion benches, Python itsdangerous/Flask/Django/Starlette and the itsdangerous
    /// crate in one run, plus allocation counts and zip-bomb memory; writes
    /// docs/PERFORMANCE.md.
    BenchCompare(bench_compare::Options),
    /// The ratios behind the performance targets, each operation timed on both sides back
    /// to back in alternating rounds (robust to a machine whose speed drifts); writes its
    /// section of docs/PERFORMANCE.md.
    BenchPairs(bench_compare::pairs::Options),
}

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Test(options) => test::run(options),
        Task::Vectors(options) => vectors::run(options),
        Task::Compat(options) => compat::run(options),
        Task::Venv => venv::run_task(),
        Task::Fuzz(options) => fuzz::run(options),
        Task::BenchCompare(options) => bench_compare::run(options),
        Task::BenchPairs(options) => bench_compare::pairs::run(options),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error}");
        ExitCode::FAILURE
    })
}

/// The workspace root (the parent of `xtask/`).
pub(crate) fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `path` relative to the workspace root, for messages.
pub(crate) fn display_path(path: &Path) -> String {
    let root = project_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Task};

    #[test]
    fn command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_flags_of_ci_and_the_docs_parse() {
        for line in [
            "x test",
            "x test -- --nocapture",
            "x vectors --check",
            "x vectors --kinds jws,timed_jws --kinds signer",
            "x compat",
            "x compat --summary --vectors a.json --vectors=b.json",
            "x compat --live --cases 2000 --seed 7",
            "x venv",
            "x fuzz --seconds 20",
            "x fuzz --seconds 300 --target url_safe_loads",
            "x fuzz --seed-only --write-seeds",
            "x bench-compare --warm-up-time 1 --measurement-time 3 --python-repeat 7",
            "x bench-compare --output /tmp/p.md",
        ] {
            let parsed = Cli::try_parse_from(line.split(' '));
            assert!(parsed.is_ok(), "{line}: {parsed:?}");
        }
        let Ok(Cli {
            task: Task::Vectors(options),
        }) = Cli::try_parse_from([
            "x",
            "vectors",
            "--kinds",
            "jws, timed_jws",
            "--kinds=signer",
        ])
        else {
            panic!("vectors --kinds does not parse");
        };
        assert_eq!(options.kinds(), ["jws", "timed_jws", "signer"]);
        for wrong in ["x compat --cases 5", "x nonsense", "x fuzz --seconds x"] {
            assert!(Cli::try_parse_from(wrong.split(' ')).is_err(), "{wrong}");
        }
    }
}
