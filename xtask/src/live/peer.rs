//! One `live.py` process per Python environment, fed and read on threads of its own.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;

use python_json::Value;

use crate::{display_path, project_root};

/// One `live.py` process, with a writer thread feeding its stdin and a reader thread
/// collecting its answers, so neither side ever waits on a full pipe.
pub(super) struct Peer {
    child: Child,
    requests: mpsc::Sender<String>,
    writer: JoinHandle<std::io::Result<()>>,
    reader: JoinHandle<Result<Vec<Value>, String>>,
}

impl Peer {
    /// Starts `xtask/python/<script>` with `python`.
    pub(super) fn start(python: &Path, script: &str) -> Result<Self, String> {
        let script = project_root().join("xtask").join("python").join(script);
        let mut child = Command::new(python)
            .arg(&script)
            .current_dir(project_root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", display_path(&script)))?;
        let stdin = child.stdin.take().ok_or("no stdin for live.py")?;
        let stdout = child.stdout.take().ok_or("no stdout for live.py")?;
        let (requests, queue) = mpsc::channel::<String>();
        let writer = std::thread::spawn(move || -> std::io::Result<()> {
            let mut stdin = std::io::BufWriter::new(stdin);
            for request in queue {
                stdin.write_all(request.as_bytes())?;
                stdin.write_all(b"\n")?;
            }
            stdin.flush()
            // Dropping stdin closes it: live.py stops at EOF.
        });
        let reader = std::thread::spawn(move || -> Result<Vec<Value>, String> {
            let mut answers = Vec::new();
            for line in BufReader::new(stdout).lines() {
                let line = line.map_err(|e| format!("reading from live.py: {e}"))?;
                let answer = python_json::from_slice(line.as_bytes())
                    .map_err(|e| format!("live.py sent a line that is not JSON ({e}): {line}"))?;
                answers.push(answer);
            }
            Ok(answers)
        });
        Ok(Self {
            child,
            requests,
            writer,
            reader,
        })
    }

    /// Queues one request (a failed send shows up as a missing answer).
    pub(super) fn send(&self, request: Value) {
        let _ = self.requests.send(request.to_string());
    }

    /// Closes stdin (once the queued requests are written): the peer stops at EOF.
    pub(super) fn close(self) -> ClosedPeer {
        let Self {
            child,
            requests,
            writer,
            reader,
        } = self;
        drop(requests);
        ClosedPeer {
            child,
            writer,
            reader,
        }
    }
}

/// A [`Peer`] whose stdin is closing: only its answers are left to collect.
pub(super) struct ClosedPeer {
    child: Child,
    writer: JoinHandle<std::io::Result<()>>,
    reader: JoinHandle<Result<Vec<Value>, String>>,
}

impl ClosedPeer {
    /// Waits for the peer and returns every answer, in request order.
    pub(super) fn finish(self) -> Result<Vec<Value>, String> {
        let Self {
            mut child,
            writer,
            reader,
        } = self;
        let written = writer.join();
        let answers = reader.join();
        let status = child
            .wait()
            .map_err(|e| format!("waiting for live.py: {e}"))?;
        match written {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(format!("writing to live.py: {e}")),
            Err(_) => return Err("the writer thread panicked".to_owned()),
        }
        let answers = answers.map_err(|_| "the reader thread panicked".to_owned())??;
        if !status.success() {
            return Err(format!("live.py exited with {status}"));
        }
        Ok(answers)
    }
}
