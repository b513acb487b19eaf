//! A failed verification allocates a small constant, whatever the token's size: errors keep
//! no copy of the unverified payload (only its length), and nothing is decoded before the
//! MAC is checked. Each verifying entry point gets a 10 MB token that no key signed.
//!
//! `cargo test -p tamperproof-memcheck --test failure_allocations -- --nocapture` prints the
//! figures.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::collections::BTreeMap;

use serde_json::Value;
use sign_core::Signer;
use sign_core::TimestampSigner;
use tamperproof_memcheck::alloc::{Tracking, measure};

#[global_allocator]
static ALLOC: Tracking = Tracking;

/// The bound asserted for every failing call: bytes requested in total.
const MAX_FAILURE_BYTES: usize = 1024;
const TOKEN_LEN: usize = 10 * 1000 * 1000;

/// `len` bytes of base64-alphabet payload, then `suffix`.
fn token(len: usize, suffix: &str) -> Vec<u8> {
    let mut token = vec![b'a'; len];
    token.extend_from_slice(suffix.as_bytes());
    token
}

#[test]
fn failing_verification_allocates_a_small_constant() {
    let sig = ".AAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let plain = token(TOKEN_LEN, sig);
    let timed = token(TOKEN_LEN, &format!(".ZvHn1Q{sig}"));
    let mut jws = b"eyJhbGciOiJIUzUxMiJ9.".to_vec();
    jws.extend(token(TOKEN_LEN, sig));

    let signer = Signer::new("k").unwrap();
    let timestamp_signer = TimestampSigner::new("k").unwrap();
    let serializer = sign_serde::Serializer::new("k").unwrap();
    let timed_serializer = sign_serde::TimedSerializer::new("k").unwrap();
    let url_safe = sign_url::UrlSafeSerializer::new("k").unwrap();
    let url_safe_timed = sign_url::UrlSafeTimedSerializer::new("k").unwrap();
    let jws_serializer = sign_jws::JwsSerializer::new("k").unwrap();
    let timed_jws = sign_jws::TimedJwsSerializer::new("k").unwrap();
    let flask = sign_flask::session_serializer("k").unwrap();

    type Check<'a> = (&'static str, &'a [u8], Box<dyn Fn(&[u8]) -> bool + 'a>);
    let checks: Vec<Check<'_>> = vec![
        (
            "Signer::unsign",
            &plain,
            Box::new(|t| signer.unsign(t).is_err()),
        ),
        (
            "TimestampSigner::unsign",
            &timed,
            Box::new(|t| timestamp_signer.unsign(t).is_err()),
        ),
        (
            "TimestampSigner::unsign_max_age",
            &timed,
            Box::new(|t| timestamp_signer.unsign_max_age(t, 60).is_err()),
        ),
        (
            "Serializer::loads",
            &plain,
            Box::new(|t| serializer.loads::<Value>(t).is_err()),
        ),
        (
            "TimedSerializer::loads_max_age",
            &timed,
            Box::new(|t| timed_serializer.loads_max_age::<Value>(t, 60).is_err()),
        ),
        (
            "URLSafeSerializer::loads",
            &plain,
            Box::new(|t| url_safe.loads::<Value>(t).is_err()),
        ),
        (
            "URLSafeTimedSerializer::loads_max_age",
            &timed,
            Box::new(|t| url_safe_timed.loads_max_age::<Value>(t, 60).is_err()),
        ),
        (
            "JwsSerializer::loads",
            &jws,
            Box::new(|t| jws_serializer.loads::<Value>(t).is_err()),
        ),
        (
            "TimedJwsSerializer::loads",
            &jws,
            Box::new(|t| timed_jws.loads::<Value>(t).is_err()),
        ),
        (
            "Flask SessionSerializer::loads",
            &timed,
            Box::new(|t| flask.loads::<BTreeMap<String, Value>>(t).is_err()),
        ),
        // The keyless decoders refuse a payload beyond their limits before decoding it.
        (
            "TimedJws dangerous::loads_unsafe",
            &jws,
            Box::new(|t| {
                sign_serde::dangerous::loads_unsafe::<Value, _, _>(&timed_jws, t, None, None)
                    .is_ok_and(|loaded| loaded == (false, None))
            }),
        ),
        (
            "URLSafeSerializer dangerous::loads_unsafe",
            &plain,
            Box::new(|t| {
                sign_serde::dangerous::loads_unsafe::<Value, _, _>(&url_safe, t, None, None)
                    .is_ok_and(|loaded| loaded == (false, None))
            }),
        ),
        (
            "Flask dangerous::decode_unverified",
            &timed,
            Box::new(|t| sign_flask::dangerous::decode_unverified(t, &Default::default()).is_err()),
        ),
    ];
    let mut over = Vec::new();
    for (name, token, check) in &checks {
        // Warm up once (thread-locals, lazily built state), then measure.
        assert!(check(token), "{name} accepted a forged token");
        let (failed, cost) = measure(|| check(token));
        assert!(failed, "{name} accepted a forged token");
        println!(
            "{name}: {} byte token -> {} allocations, {} bytes, peak {} bytes",
            token.len(),
            cost.allocations,
            cost.allocated_bytes,
            cost.peak
        );
        if cost.allocated_bytes > MAX_FAILURE_BYTES {
            over.push(*name);
        }
    }
    assert!(
        over.is_empty(),
        "failing verification allocated more than {MAX_FAILURE_BYTES} bytes: {over:?}"
    );
}
