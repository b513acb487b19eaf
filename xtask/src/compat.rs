//! `cargo xtask compat [--vectors PATH]... [--summary]`: runs every case of the vector files
//! (default: `vectors/*.json`), prints `FAIL <id>: <reason>` per failing case and ends with
//! `N passed, M failed`. `--live` hands over to [`crate::live`].

use std::path::PathBuf;
use std::process::ExitCode;

use tamperproof_vectors::runner::{Tally, run_path};

use crate::args::Args;
use crate::{display_path, live, project_root, vectors};

pub(crate) fn run(mut args: Args) -> Result<ExitCode, String> {
    let summary = args.flag("--summary");
    if args.flag("--live") {
        let cases = args.number::<usize>("--cases")?.unwrap_or(2000);
        let seed = args.number::<u64>("--seed")?;
        args.finish()?;
        return live::run(cases, seed, summary);
    }
    let mut paths: Vec<PathBuf> = args
        .values("--vectors")?
        .into_iter()
        .map(PathBuf::from)
        .collect();
    args.finish()?;
    if paths.is_empty() {
        let dir = project_root().join("vectors");
        paths = vectors::json_files(&dir)?;
        if paths.is_empty() {
            return Err(format!("no vector files in {}", display_path(&dir)));
        }
    }

    let mut tally = Tally::default();
    for path in &paths {
        match run_path(path) {
            Ok(results) => {
                for result in results {
                    if let Some(reason) = &result.failure {
                        println!("FAIL {}: {reason}", result.id);
                    }
                    tally.add(&result.kind, result.failure.is_none());
                }
            }
            Err(error) => {
                println!("FAIL {}: {error}", display_path(path));
                tally.add("(unreadable file)", false);
            }
        }
    }
    Ok(finish(&tally, summary))
}

/// Prints the per-kind lines (with `--summary`) and the final line; the exit code.
pub(crate) fn finish(tally: &Tally, summary: bool) -> ExitCode {
    if summary {
        for line in tally.per_kind_lines() {
            println!("{line}");
        }
    }
    println!("{}", tally.final_line());
    if tally.failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
