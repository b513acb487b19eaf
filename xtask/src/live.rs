//! `cargo xtask compat --live [--cases N] [--seed S] [--summary]`: a two-way check against
//! the Python reference, through two `live.py` processes (JSON lines on stdin/stdout): one
//! under `target/venv/main` (itsdangerous 2.2 and Flask: the six itsdangerous kinds and
//! `flask_session`) and one under `target/venv/jws` (itsdangerous 2.0.1: `jws`, `timed_jws`).
//! Every request goes to the peer of its case's kind.
//!
//! - Rust → Python: N random cases over every implemented kind are signed here; Python must
//!   verify each to the same outcome (ok with an equal value, or `SignatureExpired` when the
//!   clocks say so), sign the payload to the same token (unless zlib is involved, or Rust
//!   signed with a fallback or an older key), and reject every tampered variant with the
//!   same error class as Rust.
//! - Python → Rust: `{"op":"generate"}` returns N reference cases (shared between the peers
//!   by their number of kinds), run here as vector cases.
//!
//! Requests stream to the peers while the Rust cases are still being made, and answers are
//! read on other threads: one start per interpreter, and all sides work at the same time.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;

use serde_json::{Value, json};
use tamperproof_vectors::runner::{
    Outcome, Tally, Verified, check_value, implemented_kinds, run_raw_case, show_bytes, sign_case,
    verify_case,
};
use tamperproof_vectors::vector_file::{Case, Expect, bytes_from_json};

use crate::compat::finish;
use crate::livegen::{self, Rng};
use crate::venv::{self, Venv};
use crate::{display_path, project_root};

/// What one answer from Python is checked for.
enum Check {
    /// The reference's generated cases (this many asked for), to run here.
    Generated(usize),
    /// A case Rust signed: Python's `verify` must give `case.expect` (and the payload).
    Verify(Box<Case>),
    /// Python's `sign` of the case must give the token Rust signed.
    Sign(Box<Case>),
    /// A tampered token: Python's `verify` must fail with the class Rust failed with.
    Tampered(Box<Case>, Outcome),
}

/// The kinds only the itsdangerous 2.0.1 venv has.
const JWS_KINDS: [&str; 2] = ["jws", "timed_jws"];
use tamperproof_vectors::frameworks::KINDS as FRAMEWORK_KINDS;

/// One `live.py` and the checks its answers are for, in request order.
struct Lane {
    name: &'static str,
    kinds: Vec<&'static str>,
    peer: Peer,
    checks: Vec<Check>,
}

impl Lane {
    fn start(venv: Venv, name: &'static str, kinds: Vec<&'static str>) -> Result<Self, String> {
        let python = venv::ensure(venv)?;
        // The framework kinds have their own peer script.
        let script = if venv == Venv::Django {
            "live_frameworks.py"
        } else {
            "live.py"
        };
        Ok(Self {
            name,
            kinds,
            peer: Peer::start(&python, script)?,
            checks: Vec::new(),
        })
    }

    fn request(&mut self, request: Value, check: Check) {
        self.peer.send(request);
        self.checks.push(check);
    }
}

pub(crate) fn run(count: usize, seed: Option<u64>, summary: bool) -> Result<ExitCode, String> {
    let seed = seed.unwrap_or_else(time_seed);
    let kinds = implemented_kinds();
    eprintln!(
        "live: seed {seed} (repeat with --seed {seed}), {count} cases each way, kinds {}",
        kinds.join(", ")
    );
    let (framework_kinds, kinds_rest): (Vec<&str>, Vec<&str>) = kinds
        .iter()
        .partition(|kind| FRAMEWORK_KINDS.contains(kind));
    let (jws_kinds, main_kinds): (Vec<&str>, Vec<&str>) =
        kinds_rest.iter().partition(|kind| JWS_KINDS.contains(kind));
    let mut lanes = Vec::new();
    for (venv, name, lane_kinds) in [
        (Venv::Main, "main", main_kinds),
        (Venv::Jws, "jws", jws_kinds),
        (Venv::Django, "django", framework_kinds),
    ] {
        if !lane_kinds.is_empty() {
            lanes.push(Lane::start(venv, name, lane_kinds)?);
        }
    }

    // The reference's own cases: each peer makes its share, by number of kinds.
    let mut left = count;
    let lane_count = lanes.len();
    for (index, lane) in lanes.iter_mut().enumerate() {
        let share = if index.saturating_add(1) == lane_count {
            left
        } else {
            count.saturating_mul(lane.kinds.len()) / kinds.len().max(1)
        };
        left = left.saturating_sub(share);
        let request = json!({"op": "generate", "seed": seed, "count": share, "kinds": lane.kinds});
        lane.request(request, Check::Generated(share));
    }

    let mut tally = Tally::default();
    // Python answers while the rest is prepared here.
    let mut rng = Rng::new(seed);
    for n in 0..count {
        let Some(kind) = kinds.get(rng.index(kinds.len())).copied() else {
            break;
        };
        let Some(lane) = lanes.iter_mut().find(|lane| lane.kinds.contains(&kind)) else {
            fail(&mut tally, kind, kind, "no Python peer has this kind");
            continue;
        };
        let draft = livegen::draft(&mut rng, kind, format!("{kind}/rust-live-{seed}-{n:05}"));
        // Python signs with the case's parameters: comparable only when Rust did too.
        let same_signer = draft.sign_params == draft.case.params;
        let mut case = draft.case;
        case.id = format!("{}-{}", case.id, draft.label);
        let signing = Case {
            params: draft.sign_params.clone(),
            ..case.clone()
        };
        match sign_case(&signing) {
            Ok(token) => case.token = token,
            Err(reason) => {
                fail(
                    &mut tally,
                    &case.id,
                    kind,
                    &format!("Rust cannot sign: {reason}"),
                );
                continue;
            }
        }
        let sep = draft
            .sign_params
            .sep
            .clone()
            .unwrap_or_else(|| b".".to_vec());
        for (label, token) in livegen::tampers(&mut rng, &case, &sep) {
            let tampered = Case {
                id: format!("{}/{label}", case.id),
                token,
                ..case.clone()
            };
            match verify_case(&tampered) {
                Ok(outcome) => lane.request(
                    json!({"op": "verify", "case": tampered.to_json()}),
                    Check::Tampered(Box::new(tampered), outcome),
                ),
                Err(reason) => fail(&mut tally, &tampered.id, kind, &reason),
            }
        }
        if same_signer {
            lane.request(
                json!({"op": "sign", "case": case.to_json()}),
                Check::Sign(Box::new(case.clone())),
            );
        }
        lane.request(
            json!({"op": "verify", "case": case.to_json()}),
            Check::Verify(Box::new(case)),
        );
    }

    // Close every stdin first, so the peers finish their queues side by side.
    let mut finished = Vec::new();
    for lane in lanes {
        let Lane {
            name, peer, checks, ..
        } = lane;
        finished.push((name, peer.close(), checks));
    }
    for (name, peer, checks) in finished {
        let answers = peer.finish()?;
        check_answers(&mut tally, &checks, &answers);
        if answers.len() != checks.len() {
            fail(
                &mut tally,
                &format!("live.py ({name})"),
                "(peer)",
                &format!("answered {} of {} requests", answers.len(), checks.len()),
            );
        }
    }
    Ok(finish(&tally, summary))
}

fn check_answers(tally: &mut Tally, checks: &[Check], answers: &[Value]) {
    for (check, answer) in checks.iter().zip(answers) {
        match check {
            Check::Generated(count) => run_generated(tally, answer, *count),
            Check::Verify(case) => {
                let result = check_verify(case, answer);
                record(tally, &case.id, &case.kind, result.err());
            }
            Check::Sign(case) => {
                let result = check_sign(case, answer);
                record(
                    tally,
                    &format!("{}/sign", case.id),
                    &case.kind,
                    result.err(),
                );
            }
            Check::Tampered(case, rust) => {
                let result = check_tampered(case, rust, answer);
                record(tally, &case.id, &case.kind, result.err());
            }
        }
    }
}

fn time_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() ^ u64::from(d.subsec_nanos()))
        % 1_000_000_000
}

fn record(tally: &mut Tally, id: &str, kind: &str, failure: Option<String>) {
    match failure {
        None => tally.add(kind, true),
        Some(reason) => fail(tally, id, kind, &reason),
    }
}

fn fail(tally: &mut Tally, id: &str, kind: &str, reason: &str) {
    println!("FAIL {id}: {reason}");
    tally.add(kind, false);
}

/// One `live.py` process, with a writer thread feeding its stdin and a reader thread
/// collecting its answers, so neither side ever waits on a full pipe.
struct Peer {
    child: Child,
    requests: mpsc::Sender<String>,
    writer: JoinHandle<std::io::Result<()>>,
    reader: JoinHandle<Result<Vec<Value>, String>>,
}

impl Peer {
    fn start(python: &Path, script: &str) -> Result<Self, String> {
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
                let answer = serde_json::from_str(&line)
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
    fn send(&self, request: Value) {
        let _ = self.requests.send(request.to_string());
    }

    /// Closes stdin (once the queued requests are written): the peer stops at EOF.
    fn close(self) -> ClosedPeer {
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
struct ClosedPeer {
    child: Child,
    writer: JoinHandle<std::io::Result<()>>,
    reader: JoinHandle<Result<Vec<Value>, String>>,
}

impl ClosedPeer {
    /// Waits for the peer and returns every answer, in request order.
    fn finish(self) -> Result<Vec<Value>, String> {
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

fn peer_error(answer: &Value) -> Option<String> {
    answer.get("error").map(|e| {
        format!(
            "Python error: {}",
            e.as_str().map_or_else(|| e.to_string(), str::to_owned)
        )
    })
}

/// Runs the reference's generated cases here.
fn run_generated(tally: &mut Tally, answer: &Value, count: usize) {
    if let Some(error) = peer_error(answer) {
        fail(tally, "generate", "(peer)", &error);
        return;
    }
    let Some(Value::Array(cases)) = answer.get("cases") else {
        fail(
            tally,
            "generate",
            "(peer)",
            "the answer has no `cases` list",
        );
        return;
    };
    if cases.len() < count {
        eprintln!(
            "live: the reference generated {} of {count} cases",
            cases.len()
        );
    }
    for (index, raw) in cases.iter().enumerate() {
        let result = run_raw_case(raw, index);
        let id = format!("{} (from Python)", result.id);
        record(tally, &id, &result.kind, result.failure);
    }
}

/// Python's verdict on a verify request: `ok` with its value, or an error class.
fn python_outcome(case: &Case, answer: &Value) -> Result<(String, Option<Verified>), String> {
    if let Some(error) = peer_error(answer) {
        return Err(error);
    }
    let expect = answer
        .get("expect")
        .and_then(Value::as_str)
        .ok_or("the answer has no `expect`")?
        .to_owned();
    if expect != "ok" {
        return Ok((expect, None));
    }
    let value = answer.get("value").cloned().unwrap_or(Value::Null);
    let verified = if matches!(case.kind.as_str(), "signer" | "timestamp_signer")
        || crate::livegen_frameworks::is_bytes_kind(&case.kind)
    {
        Verified::Bytes(bytes_from_json(&value).map_err(|e| format!("Python's value: {e}"))?)
    } else {
        Verified::Json(value)
    };
    Ok((expect, Some(verified)))
}

fn check_verify(case: &Case, answer: &Value) -> Result<(), String> {
    let want = case.expect.as_str();
    let rust = verify_case(case)?;
    if rust.class() != want {
        return Err(format!(
            "Rust verifies its own token as {} ({rust:?}), expected {want}",
            rust.class()
        ));
    }
    if let Outcome::Ok(value) = &rust {
        check_value(case, value).map_err(|e| format!("Rust: {e}"))?;
    }
    let (python, value) = python_outcome(case, answer)?;
    if python != want {
        return Err(format!(
            "Python verifies the Rust token {} as {python}, expected {want}",
            show_bytes(&case.token)
        ));
    }
    if let Some(value) = value {
        check_value(case, &value).map_err(|e| format!("Python: {e}"))?;
    }
    Ok(())
}

fn check_sign(case: &Case, answer: &Value) -> Result<(), String> {
    if let Some(error) = peer_error(answer) {
        return Err(error);
    }
    let token = bytes_from_json(answer.get("token").unwrap_or(&Value::Null))
        .map_err(|e| format!("Python's token: {e}"))?;
    let compressed = |t: &[u8]| livegen::is_url_kind(&case.kind) && t.first() == Some(&b'.');
    if token == case.token || compressed(&token) || compressed(&case.token) {
        // zlib streams may differ between implementations; both verify everywhere.
        return Ok(());
    }
    Err(format!(
        "Python signs {} where Rust signs {}",
        show_bytes(&token),
        show_bytes(&case.token)
    ))
}

fn check_tampered(case: &Case, rust: &Outcome, answer: &Value) -> Result<(), String> {
    let (python, _) = python_outcome(case, answer)?;
    match rust {
        Outcome::Ok(_) => Err(format!(
            "Rust accepts the tampered token {} (Python: {python})",
            show_bytes(&case.token)
        )),
        Outcome::Err { class, message } if *class != python => Err(format!(
            "tampered token {}: Rust says {class} ({message}), Python says {python}",
            show_bytes(&case.token)
        )),
        Outcome::Err { .. } if python == Expect::Ok.as_str() => {
            Err("Python accepts the tampered token".to_owned())
        }
        Outcome::Err { .. } => Ok(()),
    }
}
