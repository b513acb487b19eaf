//! Runs `jws` / `timed_jws` cases of `tamperproof-vectors/1` files against this crate.
//!
//! The files are made by the Python reference (itsdangerous 2.0.1):
//!
//! ```sh
//! target/venv/jws/bin/python xtask/python/gen_vectors.py --out /tmp/jwsvec --kinds jws,timed_jws
//! SIGN_JWS_VECTORS=/tmp/jwsvec cargo test -p sign-jws --test vectors -- --nocapture
//! ```
//!
//! `SIGN_JWS_VECTORS` is a directory holding `jws.json` and/or `timed_jws.json`, or one
//! file. Without it the test prints a note and passes.

// Helpers shared by the tests are test code too.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use python_json::Value;
use sign_core::ErrorKind;
use sign_jws::dangerous::algorithm_from_name;
use sign_jws::{FixedClock, JwsBuilder, JwsSerializer, TimedJwsSerializer, TimedOptions};
use sign_serde::json::{Dialect, to_vec};

fn bytes(value: &Value) -> Result<Vec<u8>, String> {
    match value {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Object(map) => match map.get("base64") {
            Some(Value::String(b64)) => STANDARD.decode(b64).map_err(|e| e.to_string()),
            _ => Err(format!("bad byte string {value}")),
        },
        _ => Err(format!("bad byte string {value}")),
    }
}

fn u64_field(case: &Value, name: &str) -> Result<Option<u64>, String> {
    match case.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("{name} is not a u64: {v}")),
    }
}

/// The shared builder options of a case's `params`.
fn configure<F>(mut builder: JwsBuilder<F>, params: &Value) -> Result<JwsBuilder<F>, String> {
    let Value::Object(params) = params else {
        return Err("params is not an object".into());
    };
    for (name, value) in params {
        builder = match name.as_str() {
            "secret_key" => {
                let keys = match value {
                    Value::Array(list) => list.iter().map(bytes).collect::<Result<Vec<_>, _>>()?,
                    single => vec![bytes(single)?],
                };
                builder.keys(keys).allow_empty_key()
            }
            "salt" => builder.salt(bytes(value)?),
            "algorithm_name" => builder.algorithm(
                algorithm_from_name(value.as_str().ok_or("algorithm_name not a string")?)
                    .map_err(|e| e.to_string())?,
            ),
            "expires_in" => builder, // timed only, applied below
            other => return Err(format!("unsupported parameter {other}")),
        };
    }
    Ok(builder)
}

fn timed(params: &Value, clock: u64) -> Result<TimedJwsSerializer, String> {
    let mut builder: JwsBuilder<TimedOptions> =
        configure(TimedJwsSerializer::builder(), params)?.clock(FixedClock(clock));
    if let Some(expires_in) = params.get("expires_in") {
        builder = builder.expires_in(expires_in.as_u64().ok_or("expires_in not a u64")?);
    }
    builder.build().map_err(|e| e.to_string())
}

fn python_json(value: &Value) -> Result<Vec<u8>, String> {
    to_vec(value, Dialect::COMPACT).map_err(|e| e.to_string())
}

/// Runs one case; `Err` says why it failed.
fn run(case: &Value) -> Result<(), String> {
    let kind = case["kind"].as_str().ok_or("no kind")?;
    let params = &case["params"];
    let token = bytes(&case["token"])?;
    let expect = case["expect"].as_str().ok_or("no expect")?;
    let direction = case["direction"].as_str().ok_or("no direction")?;
    let payload = &case["payload"];

    let (signed, verified) = match kind {
        "jws" => {
            let s: JwsSerializer = configure(JwsSerializer::builder(), params)?
                .build()
                .map_err(|e| e.to_string())?;
            let signed = (direction == "both")
                .then(|| s.dumps(payload))
                .transpose()
                .map_err(|e| format!("dumps failed: {e}"))?;
            (signed, s.loads::<Value>(&token))
        }
        "timed_jws" => {
            let now = u64_field(case, "now")?.ok_or("no now")?;
            let signed = if direction == "both" {
                let at = u64_field(case, "timestamp")?.ok_or("no timestamp")?;
                Some(
                    timed(params, at)?
                        .dumps(payload)
                        .map_err(|e| format!("dumps failed: {e}"))?,
                )
            } else {
                None
            };
            (signed, timed(params, now)?.loads::<Value>(&token))
        }
        other => return Err(format!("unsupported kind {other}")),
    };
    if let Some(signed) = signed
        && signed.as_bytes() != token.as_slice()
    {
        return Err(format!(
            "signed to {signed}, expected {}",
            String::from_utf8_lossy(&token)
        ));
    }
    match (expect, verified) {
        ("ok", Ok(value)) if python_json(&value)? == python_json(payload)? => Ok(()),
        ("ok", Ok(value)) => Err(format!("loaded {value}, expected {payload}")),
        ("ok", Err(e)) => Err(format!("expected ok, got {} ({e})", e.class_name())),
        (class, Ok(value)) => Err(format!("expected {class}, loaded {value}")),
        (class, Err(e)) => {
            let expected = ErrorKind::from_class_name(class)
                .ok_or_else(|| format!("unknown expect {class}"))?;
            if e.kind() == expected {
                Ok(())
            } else {
                Err(format!("expected {class}, got {} ({e})", e.class_name()))
            }
        }
    }
}

fn files(root: &Path) -> Vec<PathBuf> {
    if root.is_dir() {
        ["jws.json", "timed_jws.json"]
            .iter()
            .map(|name| root.join(name))
            .filter(|path| path.exists())
            .collect()
    } else {
        vec![root.to_path_buf()]
    }
}

#[test]
fn python_vectors() {
    let Some(root) = std::env::var_os("SIGN_JWS_VECTORS") else {
        println!("SIGN_JWS_VECTORS is not set: no vector files run (see tests/vectors.rs)");
        return;
    };
    let mut total_failed = 0;
    for path in files(Path::new(&root)) {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = python_json::from_slice(text.as_bytes()).unwrap();
        assert_eq!(doc["schema"], "tamperproof-vectors/1");
        let cases = doc["cases"].as_array().unwrap();
        let (mut passed, mut failed) = (0, 0);
        for case in cases {
            match run(case) {
                Ok(()) => passed += 1,
                Err(why) => {
                    failed += 1;
                    println!("FAIL {}: {why}", case["id"]);
                }
            }
        }
        println!("{}: {passed} passed, {failed} failed", path.display());
        total_failed += failed;
    }
    assert_eq!(total_failed, 0);
}
