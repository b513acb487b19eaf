//! Helpers shared by the CLI's test binaries: run the binary, temporary files, the venv.
#![allow(
    dead_code,
    unreachable_pub,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr
)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The binary with `args`.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tamperproof"));
    command.args(args).env_remove("TAMPERPROOF_KEY");
    command
}

/// Runs the binary with `args`.
pub fn tamperproof(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// Runs the binary with `args` and `input` on standard input.
pub fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = command(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    // A command that exits early closes its standard input: not an error here.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// Standard output, trailing whitespace trimmed.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned()
}

/// Standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A wordlist file with `lines`.
pub fn wordlist(lines: &[&[u8]]) -> TempPath {
    let path = TempPath::new("wordlist");
    let mut file = std::fs::File::create(&path.0).unwrap();
    for line in lines {
        file.write_all(line).unwrap();
        file.write_all(b"\n").unwrap();
    }
    path
}

/// A file under the target directory, removed on drop (no tempfile dependency).
pub struct TempPath(pub PathBuf);

impl TempPath {
    /// A unique path for `name`.
    pub fn new(name: &str) -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let unique = format!(
            "{name}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        Self(dir.join(unique))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// The pinned Pythons (`python("main")`: Flask; `python("django")`: Django 5.2 and
/// Starlette) and the JSON-lines driver of fixture scripts; each panics with the set-up steps
/// when the venv does not exist, unless `TAMPERPROOF_NO_PYTHON=1` skips the test explicitly.
#[path = "../../../sign-flask/tests/support/python.rs"]
mod python;

// Not every test binary that includes this module drives Python.
#[allow(unused_imports)]
pub(crate) use python::{json_lines, python};
