//! The checks of Python's answers: the reference's own cases run here, Rust's tokens verified
//! and signed by Python, and tampered tokens rejected alike on both sides.

use python_json::Value;
use tamperproof_vectors::kinds::{self, Payload};
use tamperproof_vectors::outcome::{Outcome, Verified};
use tamperproof_vectors::run::{check_value, differs_by_compression, run_raw_case, verify_case};
use tamperproof_vectors::show::show_bytes;
use tamperproof_vectors::tally::Tally;
use tamperproof_vectors::vector_file::{Case, Expect, bytes_from_json};

use super::Check;

pub(super) fn check_answers(tally: &mut Tally, checks: &[Check], answers: &[Value]) {
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
    let verified = if kinds::find(&case.kind)?.payload == Payload::Bytes {
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
    let zlib = kinds::find(&case.kind)?.zlib;
    if token == case.token || differs_by_compression(zlib, &token, &case.token) {
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
        Outcome::Err { class, message } if *class != python => Err(format!(
            "tampered token {}: Rust says {class} ({message}), Python says {python}",
            show_bytes(&case.token)
        )),
        Outcome::Err { .. } if python == Expect::Ok.as_str() => {
            Err("Python accepts the tampered token".to_owned())
        }
        Outcome::Err { .. } => Ok(()),
        // Ok, or anything else that is not a rejection.
        _ => Err(format!(
            "Rust accepts the tampered token {} (Python: {python})",
            show_bytes(&case.token)
        )),
    }
}

fn record(tally: &mut Tally, id: &str, kind: &str, failure: Option<String>) {
    match failure {
        None => tally.add(kind, true),
        Some(reason) => fail(tally, id, kind, &reason),
    }
}

pub(super) fn fail(tally: &mut Tally, id: &str, kind: &str, reason: &str) {
    println!("FAIL {id}: {reason}");
    tally.add(kind, false);
}
