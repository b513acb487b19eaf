//! Keyless decoding is bounded in memory, not only in inflated size: every keyless decoder,
//! fed every adversarial shape in a token of at most 4 KB, peaks under 4 MiB with the
//! default limits. Shapes within the limits still decode.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use serde_json::Value;
use sign_serde::dangerous::KeylessLimits;
use tamperproof_memcheck::alloc::{Tracking, measure};
use tamperproof_memcheck::keyless::{self, Outcome};
use tamperproof_memcheck::shapes;

#[global_allocator]
static ALLOC: Tracking = Tracking;

/// The allocator's counters are global: the tests of this binary run one at a time.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

const MAX_PEAK: usize = 4 * 1024 * 1024;
const MAX_TOKEN: usize = 4096;

#[test]
fn every_keyless_decoder_peaks_under_4_mib_for_4_kb_tokens() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut over = Vec::new();
    let limits = KeylessLimits::new();
    for entry in keyless::entries() {
        let mut all = shapes::all(entry.json_size);
        all.extend(shapes::largest_accepted(entry.json_size, &limits));
        for shape in all {
            let token = (entry.token)(&shape.json);
            if token.len() > MAX_TOKEN {
                // A largest-accepted shape that does not compress into 4 KB: out of scope.
                continue;
            }
            assert!(
                token.len() <= MAX_TOKEN,
                "{} {}: {}",
                entry.name,
                shape.name,
                token.len()
            );
            let (_, cost) = measure(|| (entry.run)(&token));
            println!("{} / {}: peak {} bytes", entry.name, shape.name, cost.peak);
            if cost.peak > MAX_PEAK {
                over.push(format!("{} / {}: {}", entry.name, shape.name, cost.peak));
            }
        }
    }
    assert!(over.is_empty(), "over 4 MiB: {over:#?}");
}

#[test]
fn payloads_within_the_limits_still_decode() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // The same shapes, small enough for the default limits: decoded, not rejected.
    for entry in keyless::entries() {
        for shape in shapes::all(4000) {
            if shape.name.starts_with("deep") {
                continue; // 2000 levels: beyond any depth limit, by design.
            }
            let token = (entry.token)(&shape.json);
            let outcome = (entry.run)(&token);
            let flask_untaggable = entry.name.starts_with("Flask") && shape.name.contains("Flask");
            if !flask_untaggable {
                assert_eq!(outcome, Outcome::Value, "{} / {}", entry.name, shape.name);
            }
        }
    }
}

#[test]
fn the_limits_are_configurable() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let s = sign_url::UrlSafeSerializer::new("k").unwrap();
    let loads = |token: &[u8], limits: &KeylessLimits| {
        sign_serde::dangerous::loads_unsafe_with_limits::<Value, _, _>(
            &s, token, None, None, limits,
        )
        .unwrap()
    };
    let small = shapes::url_safe_token(br#"[1,2,3,4,5,6,7,8,9,10]"#);
    let (valid, loaded) = loads(&small, &KeylessLimits::new());
    assert!(!valid);
    assert_eq!(loaded.unwrap().as_array().unwrap().len(), 10);
    for tight in [
        KeylessLimits::new().max_json_values(5),
        KeylessLimits::new().max_payload_len(10),
        KeylessLimits::new().max_json_depth(0),
    ] {
        assert_eq!(loads(&small, &tight), (false, None), "{tight:?}");
    }
    // Raising them decodes what the defaults refuse.
    let big = shapes::all(keyless::COMPRESSED_JSON_SIZE)
        .swap_remove(0)
        .json;
    let big = shapes::url_safe_token(&big);
    assert_eq!(loads(&big, &KeylessLimits::new()), (false, None));
    let generous = KeylessLimits::new()
        .max_payload_len(2 << 20)
        .max_json_values(1 << 20);
    assert!(loads(&big, &generous).1.is_some());
}
