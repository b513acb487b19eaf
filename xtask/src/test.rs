//! `cargo xtask test [-- CARGO TEST ARGS]`: the workspace's test command. Makes sure the pinned
//! Python environments exist (`cargo xtask venv`), then runs `cargo test --workspace --locked`
//! with `TAMPERPROOF_PYTHON` set to the interpreter of `target/venv/main`, so the end-to-end
//! tests against a real Flask always run.

use std::process::{Command, ExitCode};

use crate::project_root;
use crate::venv::{self, Venv};

/// `cargo xtask test` options.
#[derive(clap::Args, Debug)]
pub(crate) struct Options {
    /// Passed on to `cargo test` (after `--`: test names, `--nocapture`, ...).
    #[arg(last = true, value_name = "ARGS")]
    cargo_args: Vec<String>,
}

/// The variable that names the Python interpreter (with Flask) of the end-to-end tests.
const PYTHON_VARIABLE: &str = "TAMPERPROOF_PYTHON";

pub(crate) fn run(options: Options) -> Result<ExitCode, String> {
    let mut python = None;
    for venv in Venv::ALL {
        let interpreter = venv::ensure(venv)?;
        if venv == Venv::Main {
            python = Some(interpreter);
        }
    }
    let python = python.ok_or("no main Python environment")?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["test", "--workspace", "--locked"])
        .args(&options.cargo_args)
        .env(PYTHON_VARIABLE, &python)
        .current_dir(project_root());
    eprintln!("{PYTHON_VARIABLE}={} {command:?}", python.display());
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
