//! Runs `flask_session` compatibility vectors (format `tamperproof-vectors/1`, see
//! `shared/compat/VECTORS.md`) produced by the Python reference:
//!
//! ```sh
//! target/venv/main/bin/python xtask/python/gen_vectors.py --out /tmp/v --kinds flask_session
//! SIGN_FLASK_VECTORS=/tmp/v cargo test -p sign-flask --test vectors
//! ```
//!
//! `SIGN_FLASK_VECTORS` is a directory holding `flask_session.json`, or that file itself.
// Test helpers outside `#[test]` functions fail loudly on broken fixtures.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::PathBuf;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use python_json::Value;
use sign_flask::{FixedClock, MaxAge, SessionSerializer, SessionValue};

fn bytes(value: &Value) -> Result<Vec<u8>, String> {
    match value {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Object(map) => map
            .get("base64")
            .and_then(Value::as_str)
            .ok_or_else(|| "bad byte string".to_owned())
            .and_then(|b| STANDARD.decode(b).map_err(|e| e.to_string())),
        _ => Err("bad byte string".to_owned()),
    }
}

/// Runs one case; `Err` says why it failed.
fn run_case(case: &Value) -> Result<(), String> {
    if case["kind"] != "flask_session" {
        return Err(format!("unsupported kind {}", case["kind"]));
    }
    let params = case["params"].as_object().ok_or("params missing")?;
    if let Some(extra) = params.keys().find(|k| *k != "secret_key") {
        return Err(format!("unsupported param {extra}"));
    }
    let mut keys = match &params["secret_key"] {
        Value::Array(list) => list.iter().map(bytes).collect::<Result<Vec<_>, _>>()?,
        single => vec![bytes(single)?],
    };
    let secret = keys.pop().ok_or("no secret key")?;
    let now = case["now"].as_u64().ok_or("now missing")?;
    let mut builder = SessionSerializer::builder();
    if keys.iter().any(Vec::is_empty) {
        // Flask accepts an empty key in SECRET_KEY_FALLBACKS.
        builder = builder.allow_empty_fallback_key();
    }
    builder = builder
        .secret_key(secret)
        .secret_key_fallbacks(keys)
        .clock(FixedClock(now));
    builder = match case.get("max_age").and_then(Value::as_i64) {
        Some(max_age) => builder.max_age(MaxAge::from_secs(max_age)),
        None => builder.no_max_age(),
    };
    let sessions = builder.build().map_err(|e| e.to_string())?;
    let token = bytes(&case["token"])?;
    let expect = case["expect"].as_str().ok_or("expect missing")?;

    match (sessions.loads::<SessionValue>(&token), expect) {
        (Ok(value), "ok") => {
            if value.to_tagged_json() != case["payload"] {
                return Err(format!("value {} != payload", value.to_tagged_json()));
            }
        }
        (Ok(_), _) => return Err(format!("verified, expected {expect}")),
        (Err(e), "ok") => return Err(format!("{} ({e}), expected ok", e.class_name())),
        (Err(e), _) if e.class_name() != expect => {
            return Err(format!("{} ({e}), expected {expect}", e.class_name()));
        }
        (Err(_), _) => {}
    }

    match case["direction"].as_str() {
        Some("verify") => Ok(()),
        Some("both") => {
            let value = SessionValue::from_tagged_json(case["payload"].clone())
                .map_err(|e| format!("untag: {e}"))?;
            if value.to_tagged_json() != case["payload"] {
                return Err("tagged form does not round-trip".to_owned());
            }
            let timestamp = case["timestamp"].as_u64().ok_or("timestamp missing")?;
            let signed = sessions
                .dumps_at(&value, timestamp)
                .map_err(|e| e.to_string())?;
            if signed.as_bytes() != token.as_slice() {
                return Err(format!("signed {signed}"));
            }
            Ok(())
        }
        other => Err(format!("unknown direction {other:?}")),
    }
}

#[test]
fn flask_session_vectors() {
    let Some(path) = std::env::var_os("SIGN_FLASK_VECTORS") else {
        eprintln!(
            "note: SIGN_FLASK_VECTORS is not set; flask_session vectors not run (see the \
             header of tests/vectors.rs)"
        );
        return;
    };
    let mut path = PathBuf::from(path);
    if path.is_dir() {
        path.push("flask_session.json");
    }
    let text = std::fs::read_to_string(&path).expect("read vectors");
    let doc: Value = python_json::from_slice(text.as_bytes()).expect("parse vectors");
    assert_eq!(doc["schema"], "tamperproof-vectors/1");
    let cases = doc["cases"].as_array().expect("cases");
    let mut failed = 0;
    for case in cases {
        if let Err(why) = run_case(case) {
            failed += 1;
            eprintln!("{}: {why}", case["id"]);
        }
    }
    eprintln!("{} passed, {failed} failed", cases.len() - failed);
    assert!(!cases.is_empty());
    assert_eq!(failed, 0);
}
