//! `cargo xtask compat [--vectors PATH]... [--summary]`: runs every case of the vector files
//! (default: `vectors/*.json`; any file in the format of `docs/vectors.md`), prints
//! `FAIL <id>: <reason>` per failing case and ends with `N passed, M failed`. `--live` hands
//! over to [`crate::live`].

use std::path::PathBuf;
use std::process::ExitCode;

use tamperproof_vectors::run::run_path;
use tamperproof_vectors::tally::Tally;

use crate::report::finish;
use crate::{display_path, live, project_root, vectors};

/// `cargo xtask compat` options.
#[derive(clap::Args, Debug)]
pub(crate) struct Options {
    /// A vector file to run (repeatable; default: every vectors/*.json).
    #[arg(long = "vectors", value_name = "PATH", conflicts_with = "live")]
    paths: Vec<PathBuf>,
    /// Also print passed and failed counts per kind.
    #[arg(long)]
    summary: bool,
    /// Two-way live check against the Python reference instead of the files.
    #[arg(long)]
    live: bool,
    /// Live check: cases each way.
    #[arg(long, value_name = "N", default_value_t = 2000, requires = "live")]
    cases: usize,
    /// Live check: the seed of the random cases (default: from the clock; printed).
    #[arg(long, value_name = "S", requires = "live")]
    seed: Option<u64>,
}

pub(crate) fn run(options: Options) -> Result<ExitCode, String> {
    if options.live {
        return live::run(options.cases, options.seed, options.summary);
    }
    let mut paths = options.paths;
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
    Ok(finish(&tally, options.summary))
}
