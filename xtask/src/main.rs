//! `cargo xtask`: developer tasks for the tamperproof workspace.
//!
//! Each task is a module with `run(Args) -> Result<ExitCode, String>`; adding one is a new
//! module, one arm in [`main`]'s `match` and one line of [`USAGE`].
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod bench_compare;
mod compat;
mod fuzz;
mod live;
mod livegen;
mod livegen_frameworks;
mod vectors;
mod venv;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use args::Args;

const USAGE: &str = "\
usage: cargo xtask <task> [options]

tasks:
  vectors [--check] [--kinds K1,K2,...]
        regenerate vectors/*.json with the Python reference (target/venv/*);
        --check regenerates into target/ and fails if vectors/ differs
  compat [--vectors PATH]... [--summary]
        run every case of the vector files (default: vectors/*.json)
  compat --live [--cases N] [--seed S] [--summary]
        two-way live check against the Python reference (default 2000 cases)
  venv
        create (or reuse) the pinned Python environments under target/venv/
  fuzz [--seconds N] [--target NAME]
        build the cargo-fuzz targets with nightly and run each for N seconds (default 60)
  bench-compare [--warm-up-time S] [--measurement-time S] [--python-repeat N] [--output PATH]
        criterion benches, Python itsdangerous/Flask and the itsdangerous crate in one run,
        plus allocation counts and zip-bomb memory; writes docs/PERFORMANCE.md
";

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1);
    let Some(task) = argv.next() else {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    let args = Args::new(argv.collect());
    let result = match task.as_str() {
        "vectors" => vectors::run(args),
        "compat" => compat::run(args),
        "fuzz" => fuzz::run(args),
        "bench-compare" => bench_compare::run(args),
        "venv" => venv::run_task(),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => {
            eprint!("unknown task {other:?}\n\n{USAGE}");
            Ok(ExitCode::from(2))
        }
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
