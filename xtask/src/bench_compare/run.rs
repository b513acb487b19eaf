//! Running the commands of a bench-compare run from the workspace root, and recording them
//! for the report.

use std::path::Path;
use std::process::Command;

use crate::project_root;

/// The package whose `alloc` bench counts allocations and measures the zip bomb.
const COMPARE_PACKAGE: &str = "tamperproof-bench-compare";

/// The commands run so far, as shown in the report (paths relative to the workspace root).
#[derive(Default)]
pub(super) struct Commands {
    log: Vec<String>,
}

impl Commands {
    /// Runs `command` from the workspace root; fails if it cannot start or fails.
    pub(super) fn run(&mut self, command: &[String]) -> Result<(), String> {
        let root = format!("{}/", project_root().display());
        let shown = command.join(" ").replace(&root, "");
        eprintln!("bench-compare: {shown}");
        let (program, rest) = command
            .split_first()
            .ok_or_else(|| "empty command".to_owned())?;
        let program = if program == "cargo" {
            std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
        } else {
            program.clone()
        };
        let status = Command::new(program)
            .args(rest)
            .current_dir(project_root())
            .status()
            .map_err(|e| format!("cannot run {shown}: {e}"))?;
        if !status.success() {
            return Err(format!("{shown} failed ({status})"));
        }
        self.log.push(shown);
        Ok(())
    }

    /// Every command run, in order.
    pub(super) fn log(&self) -> &[String] {
        &self.log
    }
}

/// `cargo bench -p P --bench B ... FEATURES -- CRITERION_OPTIONS`.
pub(super) fn cargo_bench(
    benches: &[(&str, &str)],
    features: &[&str],
    criterion_options: &[String],
) -> Vec<String> {
    let mut command = vec!["cargo".to_owned(), "bench".to_owned()];
    for (package, bench) in benches {
        command.extend(["-p", package, "--bench", bench].map(str::to_owned));
    }
    command.extend(features.iter().map(|s| (*s).to_owned()));
    command.push("--".to_owned());
    command.extend(criterion_options.iter().cloned());
    command
}

/// An absolute path as an argument: cargo runs bench binaries from their package's
/// directory.
pub(super) fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

/// The `alloc` bench with `extra` arguments.
pub(super) fn alloc_command(extra: &[&str]) -> Vec<String> {
    let mut command = [
        "cargo",
        "bench",
        "-p",
        COMPARE_PACKAGE,
        "--bench",
        "alloc",
        "--",
    ]
    .map(str::to_owned)
    .to_vec();
    command.extend(extra.iter().map(|s| (*s).to_owned()));
    command
}

/// `python script ARGS... LAST`.
pub(super) fn python_command(
    python: &Path,
    script: &Path,
    args: &[&str],
    last: &Path,
) -> Vec<String> {
    let mut command = vec![path_arg(python), path_arg(script)];
    command.extend(args.iter().map(|s| (*s).to_owned()));
    command.push(path_arg(last));
    command
}
