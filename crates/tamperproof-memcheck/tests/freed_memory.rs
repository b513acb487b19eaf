//! No key material in freed memory: every signer and serializer kind is built, used (sign,
//! verify, a failing verify, the keyless paths) and dropped while the global allocator
//! searches every block it frees for the secret key, the derived key and the HMAC inner and
//! outer chaining values (computed here from the derived key, independently of the hmac
//! crate). Every count must be zero.
//!
//! Run with `cargo test -p tamperproof-memcheck --test freed_memory -- --nocapture` to see
//! the per-scenario report.
#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use serde_json::{Value, json};
use sign_core::TimestampSigner;
use sign_core::{Algorithm, DigestMethod, KeyAudit, KeyDerivation, Signer};
use tamperproof_memcheck::alloc::{self, Tracking};
use tamperproof_memcheck::hmac_states::{self, Hash};

#[global_allocator]
static ALLOC: Tracking = Tracking;

/// Long and distinctive, so a hit is never a coincidence.
const SECRET: &str = "memcheck-secret-7f3a9c2e51d84b60a1f2e3d4c5b6a798";
/// An older key of a rotation: it must be wiped too.
const OLD_SECRET: &str = "memcheck-old-secret-0c1d2e3f4a5b6c7d8e9f00112233";

/// The needles for one signer configuration: secret, derived key, inner and outer states.
fn needles(signer_config: &sign_core::SignerBuilder, secret: &str) -> Vec<(String, Vec<u8>)> {
    let signer = signer_config
        .clone()
        .clear_keys()
        .key(secret)
        .build()
        .unwrap();
    let derived = signer.derive_key().expose_secret().to_vec();
    let mac_digest = match signer.algorithm() {
        Algorithm::Hmac(digest) => *digest,
        other => unreachable!("HMAC expected, got {other:?}"),
    };
    let hash = match mac_digest {
        DigestMethod::Sha1 => Hash::Sha1,
        DigestMethod::Sha256 => Hash::Sha256,
        DigestMethod::Sha512 => Hash::Sha512,
        other => unreachable!("no state computation for {other:?}"),
    };
    let (inner, outer) = hmac_states::inner_outer(hash, &derived);
    vec![
        (format!("secret {secret:.16}.."), secret.as_bytes().to_vec()),
        ("derived key".to_owned(), derived),
        (format!("HMAC-{mac_digest} inner state"), inner),
        (format!("HMAC-{mac_digest} outer state"), outer),
    ]
}

struct Scenario {
    name: &'static str,
    /// The signer configuration whose key material is searched for (keys ignored).
    config: sign_core::SignerBuilder,
    /// Builds, uses and drops the object.
    run: fn(),
}

fn bad(token: &str) -> String {
    let mut bad = token.to_owned();
    bad.pop();
    bad.push(if token.ends_with('A') { 'B' } else { 'A' });
    bad
}

fn signer_scenario() {
    let signer = Signer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = signer.sign("value");
    assert!(signer.unsign(&token).is_ok());
    let mut tampered = token.clone();
    tampered.push(b'x');
    assert!(signer.unsign(&tampered).is_err());
    let copy = signer.clone();
    drop(copy.derive_key());
    drop(signer);
    drop(copy);
}

fn timestamp_signer_scenario() {
    let signer = TimestampSigner::from_signer(
        Signer::builder()
            .key(OLD_SECRET)
            .key(SECRET)
            .build()
            .unwrap(),
    );
    let token = signer.sign("value");
    assert!(signer.unsign(&token).is_ok());
    let token = String::from_utf8(token).unwrap();
    assert!(signer.unsign(bad(&token).as_str()).is_err());
}

fn serializer_scenario() {
    let s = sign_serde::Serializer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps(&json!({"a": [1, 2]})).unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    assert!(s.loads::<Value>(bad(&token)).is_err());
    let _ = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, bad(&token), None, None);
}

fn timed_serializer_scenario() {
    let s = sign_serde::TimedSerializer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps(&json!({"a": 1})).unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    assert!(s.loads::<Value>(bad(&token)).is_err());
}

fn url_safe_scenario() {
    let s = sign_url::UrlSafeSerializer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps(&json!({"a": "b".repeat(200)})).unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    assert!(s.loads::<Value>(bad(&token)).is_err());
    let _ = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, bad(&token), None, None);
}

fn url_safe_timed_scenario() {
    let s = sign_url::UrlSafeTimedSerializer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps(&json!([1, 2, 3])).unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    assert!(s.loads::<Value>(bad(&token)).is_err());
}

fn jws_scenario() {
    let s = sign_jws::JwsSerializer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps(&json!({"a": 1})).unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    assert!(s.loads::<Value>(bad(&token)).is_err());
    let _ =
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(s.serializer(), bad(&token), None, None);
}

fn timed_jws_scenario() {
    let s = sign_jws::TimedJwsSerializer::builder()
        .key(OLD_SECRET)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps(&json!({"a": 1})).unwrap();
    assert!(s.loads::<Value>(&token).is_ok());
    assert!(s.loads::<Value>(bad(&token)).is_err());
    let _ =
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(s.serializer(), bad(&token), None, None);
}

fn flask_scenario() {
    let s = sign_flask::SessionSerializer::builder()
        .secret_key(SECRET)
        .secret_key_fallbacks([OLD_SECRET])
        .build()
        .unwrap();
    let mut session = BTreeMap::new();
    session.insert("user".to_owned(), "x".repeat(100));
    let cookie = s.dumps(&session).unwrap();
    assert!(s.loads::<BTreeMap<String, String>>(&cookie).is_ok());
    assert!(s.loads::<BTreeMap<String, String>>(bad(&cookie)).is_err());
}

fn key_audit_scenario() {
    let config = Signer::builder();
    let token = config.clone().key(SECRET).build().unwrap().sign("value");
    let audit = KeyAudit::new(&config, &token).unwrap();
    assert!(!audit.matches(OLD_SECRET.as_bytes()));
    assert!(audit.matches(SECRET.as_bytes()));
    let flask = Signer::builder()
        .salt("cookie-session")
        .key_derivation(KeyDerivation::Hmac);
    let token = flask.clone().key(SECRET).build().unwrap().sign("value");
    assert!(
        KeyAudit::new(&flask, &token)
            .unwrap()
            .matches(SECRET.as_bytes())
    );
}

fn scenarios() -> Vec<Scenario> {
    let default = Signer::builder();
    let serializer = Signer::builder().salt(sign_serde::DEFAULT_SALT);
    let jws = Signer::builder()
        .salt("itsdangerous")
        .key_derivation(sign_core::dangerous::no_key_derivation())
        .algorithm(Algorithm::Hmac(DigestMethod::Sha512));
    let flask = Signer::builder()
        .salt(sign_flask::DEFAULT_SALT)
        .key_derivation(KeyDerivation::Hmac);
    vec![
        Scenario {
            name: "Signer",
            config: default.clone(),
            run: signer_scenario,
        },
        Scenario {
            name: "TimestampSigner",
            config: default.clone(),
            run: timestamp_signer_scenario,
        },
        Scenario {
            name: "Serializer",
            config: serializer.clone(),
            run: serializer_scenario,
        },
        Scenario {
            name: "TimedSerializer",
            config: serializer.clone(),
            run: timed_serializer_scenario,
        },
        Scenario {
            name: "URLSafeSerializer",
            config: serializer.clone(),
            run: url_safe_scenario,
        },
        Scenario {
            name: "URLSafeTimedSerializer",
            config: serializer,
            run: url_safe_timed_scenario,
        },
        Scenario {
            name: "JwsSerializer (HS512)",
            config: jws.clone(),
            run: jws_scenario,
        },
        Scenario {
            name: "TimedJwsSerializer (HS512)",
            config: jws,
            run: timed_jws_scenario,
        },
        Scenario {
            name: "Flask SessionSerializer",
            config: flask.clone(),
            run: flask_scenario,
        },
        Scenario {
            name: "KeyAudit (django-concat, hmac)",
            config: default,
            run: key_audit_scenario,
        },
    ]
}

#[test]
fn no_key_material_in_freed_memory() {
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let mut all: Vec<(String, Vec<u8>)> = needles(&scenario.config, SECRET);
        all.extend(needles(&scenario.config, OLD_SECRET));
        if scenario.name.starts_with("KeyAudit") {
            // The audit also derives Flask's key.
            let flask = Signer::builder()
                .salt(sign_flask::DEFAULT_SALT)
                .key_derivation(KeyDerivation::Hmac);
            all.extend(needles(&flask, SECRET).into_iter().skip(1));
        }
        let refs: Vec<&[u8]> = all.iter().map(|(_, n)| n.as_slice()).collect();
        alloc::arm(&refs);
        (scenario.run)();
        let report = alloc::disarm();
        let hits: Vec<String> = all
            .iter()
            .zip(&report.hits)
            .zip(&report.last_hit_block_size)
            .map(|(((name, _), hits), size)| {
                if *hits == 0 {
                    format!("{name}: 0")
                } else {
                    format!("{name}: {hits} (last in a {size}-byte block)")
                }
            })
            .collect();
        let total: usize = report.hits.iter().sum();
        println!(
            "{}: {} freed blocks, {} bytes scanned; hits: {}",
            scenario.name,
            report.freed_blocks,
            report.freed_bytes,
            hits.join(", ")
        );
        if total > 0 {
            failures.push(scenario.name);
        }
    }
    assert!(
        failures.is_empty(),
        "key material found in freed memory: {failures:?}"
    );
}
