//! The Python interpreter with Flask that the end-to-end tests drive (shared by the tests of
//! sign-flask and tamperproof-cli).
//!
//! It is `$TAMPERPROOF_PYTHON` (set by `cargo xtask test`), else `target/venv/main/bin/python`
//! (made by `cargo xtask venv`). When neither exists the test fails and says how to set up;
//! on a machine without Python, `TAMPERPROOF_NO_PYTHON=1` skips these tests explicitly.

use std::path::{Path, PathBuf};

/// Names the interpreter (`cargo xtask test` sets it).
const PYTHON_VARIABLE: &str = "TAMPERPROOF_PYTHON";
/// Set to `1` to skip the tests that need Python.
const OPT_OUT_VARIABLE: &str = "TAMPERPROOF_NO_PYTHON";

/// The interpreter, or `None` when the tests are explicitly skipped.
///
/// # Panics
/// When there is no interpreter and no opt-out: a test that cannot run must not pass.
pub(crate) fn flask_python() -> Option<PathBuf> {
    if std::env::var_os(OPT_OUT_VARIABLE).is_some_and(|v| v == "1") {
        eprintln!("{OPT_OUT_VARIABLE}=1: this test needs Python with Flask and is skipped");
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
    // Canonicalize the root, not the interpreter: the venv's python is a symlink, and it
    // only finds its venv when called through the venv's own bin directory.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let venv = root
        .canonicalize()
        .unwrap_or(root)
        .join("target/venv/main/bin/python");
    assert!(
        venv.exists(),
        "this test drives a real Flask app and needs the pinned Python environment, which does \
         not exist: run the tests with `cargo xtask test` (it creates target/venv/ first), or \
         run `cargo xtask venv` once; on a machine without Python, set {OPT_OUT_VARIABLE}=1 \
         to skip the tests that need it"
    );
    Some(venv)
}
