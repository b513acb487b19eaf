//! `cargo xtask compat --live [--cases N] [--seed S] [--summary]`: a two-way check against
//! the Python reference, through one `live.py` process (JSON lines on stdin/stdout).
//!
//! - Rust → Python: N random cases over every implemented kind are signed here; Python must
//!   verify each to the same outcome (ok with an equal value, or `SignatureExpired` when the
//!   clocks say so), sign the payload to the same token (unless zlib is involved), and reject
//!   every tampered variant with the same error class as Rust.
//! - Python → Rust: `{"op":"generate"}` returns N reference cases, run here as vector cases.
//!
//! Requests stream to the peer while the Rust cases are still being made, and answers are
//! read on another thread: one interpreter start, and both sides work at the same time.

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
    /// The reference's generated cases, to run here.
    Generated,
    /// A case Rust signed: Python's `verify` must give `case.expect` (and the payload).
    Verify(Box<Case>),
    /// Python's `sign` of the case must give the token Rust signed.
    Sign(Box<Case>),
    /// A tampered token: Python's `verify` must fail with the class Rust failed with.
    Tampered(Box<Case>, Outcome),
}

pub(crate) fn run(count: usize, seed: Option<u64>, summary: bool) -> Result<ExitCode, String> {
    let python = venv::ensure(Venv::Main)?;
    let seed = seed.unwrap_or_else(time_seed);
    let kinds = implemented_kinds();
    eprintln!(
        "live: seed {seed} (repeat with --seed {seed}), {count} cases each way, kinds {}",
        kinds.join(", ")
    );

    let mut tally = Tally::default();
    let mut checks: Vec<Check> = Vec::new();
    let peer = Peer::start(&python)?;
    peer.send(json!({"op": "generate", "seed": seed, "count": count, "kinds": kinds}));
    checks.push(Check::Generated);

    // Python answers while the rest is prepared here.
    let mut rng = Rng::new(seed);
    for n in 0..count {
        let Some(kind) = kinds.get(rng.index(kinds.len())).copied() else {
            break;
        };
        let draft = livegen::draft(&mut rng, kind, format!("{kind}/rust-live-{seed}-{n:05}"));
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
                Ok(outcome) => {
                    peer.send(json!({"op": "verify", "case": tampered.to_json()}));
                    checks.push(Check::Tampered(Box::new(tampered), outcome));
                }
                Err(reason) => fail(&mut tally, &tampered.id, kind, &reason),
            }
        }
        if draft.label != "fallback" {
            peer.send(json!({"op": "sign", "case": case.to_json()}));
            checks.push(Check::Sign(Box::new(case.clone())));
        }
        peer.send(json!({"op": "verify", "case": case.to_json()}));
        checks.push(Check::Verify(Box::new(case)));
    }

    let answers = peer.finish()?;
    for (check, answer) in checks.iter().zip(&answers) {
        match check {
            Check::Generated => run_generated(&mut tally, answer, count),
            Check::Verify(case) => {
                let result = check_verify(case, answer);
                record(&mut tally, &case.id, &case.kind, result.err());
            }
            Check::Sign(case) => {
                let result = check_sign(case, answer);
                record(
                    &mut tally,
                    &format!("{}/sign", case.id),
                    &case.kind,
                    result.err(),
                );
            }
            Check::Tampered(case, rust) => {
                let result = check_tampered(case, rust, answer);
                record(&mut tally, &case.id, &case.kind, result.err());
            }
        }
    }
    if answers.len() != checks.len() {
        fail(
            &mut tally,
            "live.py",
            "(peer)",
            &format!("answered {} of {} requests", answers.len(), checks.len()),
        );
    }
    Ok(finish(&tally, summary))
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
    fn start(python: &Path) -> Result<Self, String> {
        let script = project_root().join("xtask").join("python").join("live.py");
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

    /// Closes stdin and returns every answer, in request order.
    fn finish(self) -> Result<Vec<Value>, String> {
        let Self {
            mut child,
            requests,
            writer,
            reader,
        } = self;
        drop(requests);
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
    let verified = if matches!(case.kind.as_str(), "signer" | "timestamp_signer") {
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
    let compressed = |t: &[u8]| case.kind.starts_with("url_safe") && t.first() == Some(&b'.');
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
