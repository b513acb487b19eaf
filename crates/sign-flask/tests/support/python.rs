//! The Python interpreters of the pinned environments that the end-to-end tests drive, and
//! the JSON-lines driver of their fixture scripts: the one test-support file of the
//! end-to-end tests of sign-flask, sign-django, sign-starlette, tamperproof-axum and
//! tamperproof-cli (each includes it with `#[path = ...]`).
//!
//! Flask's is `$TAMPERPROOF_PYTHON` (set by `cargo xtask test`), else
//! `target/venv/main/bin/python`; every other environment's is `target/venv/<name>/bin/python`
//! (all made by `cargo xtask venv`). When the interpreter does not exist the test fails and
//! says how to set up; on a machine without Python, `TAMPERPROOF_NO_PYTHON=1` skips these
//! tests explicitly.
#![allow(dead_code)]

use std::fmt::Display;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Names the interpreter of the main environment (`cargo xtask test` sets it).
const PYTHON_VARIABLE: &str = "TAMPERPROOF_PYTHON";
/// Set to `1` to skip the tests that need Python.
const OPT_OUT_VARIABLE: &str = "TAMPERPROOF_NO_PYTHON";

/// The interpreter with Flask, or `None` when the tests are explicitly skipped.
///
/// # Panics
/// When there is no interpreter and no opt-out: a test that cannot run must not pass.
pub(crate) fn flask_python() -> Option<PathBuf> {
    if opted_out("Flask") {
        return None;
    }
    if let Some(python) = std::env::var_os(PYTHON_VARIABLE) {
        let python = PathBuf::from(python);
        assert!(
            python.exists(),
            "{PYTHON_VARIABLE}={} does not exist",
            python.display()
        );
        return Some(python);
    }
    Some(existing(venv_path("main"), "a real Flask app"))
}

/// The interpreter of `target/venv/<name>` (`django`: Django and Starlette), or `None` when
/// the tests are explicitly skipped.
///
/// # Panics
/// When there is no interpreter and no opt-out: a test that cannot run must not pass.
pub(crate) fn venv_python(name: &str) -> Option<PathBuf> {
    if opted_out(name) {
        return None;
    }
    Some(existing(
        venv_path(name),
        &format!("the packages of target/venv/{name}"),
    ))
}

/// The interpreter of the environment `venv`: [`flask_python`] for `main`, else
/// [`venv_python`]. `None` only when the tests are explicitly skipped.
///
/// # Panics
/// As those two.
pub(crate) fn python(venv: &str) -> Option<PathBuf> {
    if venv == "main" {
        flask_python()
    } else {
        venv_python(venv)
    }
}

/// Runs the fixture `script` with the Python of `venv` ([`python`]): each request one line of
/// stdin, each answer one line of stdout, read with `parse`. `None` only when the tests are
/// explicitly skipped.
///
/// # Panics
/// Without an interpreter (and no opt-out), when the script fails (`what` names it), or when
/// it does not answer each request with one line.
pub(crate) fn json_lines<T>(
    venv: &str,
    script: &Path,
    what: &str,
    requests: &[impl Display],
    parse: impl Fn(&str) -> T,
) -> Option<Vec<T>> {
    let python = python(venv)?;
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn python");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for request in requests {
            writeln!(stdin, "{request}").expect("write request");
        }
    }
    let output = child.wait_with_output().expect("python output");
    assert!(output.status.success(), "the {what} fixture failed");
    let text = String::from_utf8(output.stdout).expect("utf-8");
    let answers: Vec<T> = text.lines().map(parse).collect();
    assert_eq!(answers.len(), requests.len(), "one answer per request");
    Some(answers)
}

fn opted_out(what: &str) -> bool {
    let skip = std::env::var_os(OPT_OUT_VARIABLE).is_some_and(|v| v == "1");
    if skip {
        eprintln!("{OPT_OUT_VARIABLE}=1: this test needs Python ({what}) and is skipped");
    }
    skip
}

/// `target/venv/<name>`'s interpreter. Canonicalize the root, not the interpreter: the venv's
/// python is a symlink, and it only finds its venv when called through the venv's own bin
/// directory.
fn venv_path(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize()
        .unwrap_or(root)
        .join("target/venv")
        .join(name)
        .join("bin/python")
}

fn existing(venv: PathBuf, what: &str) -> PathBuf {
    assert!(
        venv.exists(),
        "this test drives {what} and needs the pinned Python environment {}, which does not \
         exist: run the tests with `cargo xtask test` (it creates target/venv/ first), or run \
         `cargo xtask venv` once; on a machine without Python, set {OPT_OUT_VARIABLE}=1 to skip \
         the tests that need it",
        venv.display()
    );
    venv
}
