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
use sign_core::{Algorithm, DigestMethod, KeyAudit, KeyDerivation, KeyRing, Signer};
use tamperproof_memcheck::alloc::{self, Tracking};
use tamperproof_memcheck::hmac_states::{self, Hash};

#[global_allocator]
static ALLOC: Tracking = Tracking;

/// Long and distinctive, so a hit is never a coincidence.
const SECRET: &str = "memcheck-secret-7f3a9c2e51d84b60a1f2e3d4c5b6a798";
/// An older key of a rotation: it must be wiped too.
const OLD_SECRET: &str = "memcheck-old-secret-0c1d2e3f4a5b6c7d8e9f00112233";

/// The needles for one signer configuration: secret, derived key, inner and outer states.
/// The signer's key is `key_prefix + secret` (Django's cookie signer prefixes its keys); the
/// secret needle is the bare secret, which also matches every copy of the prefixed key.
fn needles(
    signer_config: &sign_core::SignerBuilder,
    key_prefix: &[u8],
    secret: &str,
) -> Vec<(String, Vec<u8>)> {
    let key = [key_prefix, secret.as_bytes()].concat();
    let signer = signer_config
        .clone()
        .clear_keys()
        .key(&key)
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
    /// The signer configurations whose key material is searched for (keys ignored).
    configs: Vec<sign_core::SignerBuilder>,
    /// What the object puts in front of each secret to make its signing key.
    key_prefix: &'static [u8],
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
    let _ = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, bad(&token), None, None);
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
    let _ = sign_serde::dangerous::loads_unsafe::<Value, _, _>(&s, bad(&token), None, None);
}

fn flask_scenario() {
    let s = sign_flask::session_builder()
        .key_ring(KeyRing::secret_key_with_fallbacks(SECRET, [OLD_SECRET]))
        .build()
        .unwrap();
    let mut session = BTreeMap::new();
    session.insert("user".to_owned(), "x".repeat(100));
    let cookie = s.dumps(&session).unwrap();
    assert!(s.loads::<BTreeMap<String, String>>(&cookie).is_ok());
    assert!(s.loads::<BTreeMap<String, String>>(bad(&cookie)).is_err());
}

fn django_signer_scenario() {
    let signer =
        sign_django::build_signer(&sign_django::signer_builder().keys([OLD_SECRET, SECRET]))
            .unwrap();
    let token = signer.sign("value");
    assert!(signer.unsign(&token).is_ok());
    let token = String::from_utf8(token).unwrap();
    assert!(signer.unsign(bad(&token).as_str()).is_err());
}

fn django_timestamp_signer_scenario() {
    let signer = sign_django::build_timestamp_signer(
        &sign_django::timestamp_signer_builder().keys([OLD_SECRET, SECRET]),
    )
    .unwrap();
    let token = signer.sign("value");
    assert!(signer.unsign(&token).is_ok());
    let token = String::from_utf8(token).unwrap();
    assert!(signer.unsign(bad(&token).as_str()).is_err());
}

fn django_signing_scenario() {
    for compress in [false, true] {
        let s = sign_django::signing_builder(compress)
            .keys([OLD_SECRET, SECRET])
            .build()
            .unwrap();
        let token = s.dumps(&json!({"a": "b".repeat(200)})).unwrap();
        assert!(s.loads::<Value>(&token).is_ok());
        assert!(s.loads::<Value>(bad(&token)).is_err());
    }
}

fn django_signed_cookie_scenario() {
    let cookie = sign_django::SignedCookie::new([OLD_SECRET, SECRET], "theme", "").unwrap();
    let value = cookie.sign("dark");
    assert_eq!(cookie.unsign(&value, None).unwrap(), "dark");
    // A bad signature is tried once more with the legacy salt.
    assert!(cookie.unsign(&bad(&value), None).is_err());
}

fn django_sessions_scenario() {
    let sessions = sign_django::DjangoSessions::new([OLD_SECRET, SECRET]).unwrap();
    let mut session = sign_django::Session::new();
    session.insert(sign_django::AUTH_USER_ID.to_owned(), "x".repeat(100).into());
    let cookie = sessions.dumps(&session).unwrap();
    assert_eq!(sessions.loads(&cookie).unwrap(), session);
    assert!(sessions.loads(&bad(&cookie)).is_err());
}

fn starlette_sessions_scenario() {
    let rotating = sign_starlette::session_builder()
        .keys([OLD_SECRET, SECRET])
        .build()
        .unwrap();
    for sessions in [
        sign_starlette::StarletteSessions::new(SECRET).unwrap(),
        sign_starlette::StarletteSessions::from_serializer(rotating),
    ] {
        let mut session = sign_starlette::Session::new();
        session.insert("user".to_owned(), "x".repeat(100).into());
        let cookie = sessions.dumps(&session).unwrap();
        assert_eq!(sessions.loads(&cookie).unwrap(), session);
        assert!(sessions.loads(&bad(&cookie)).is_err());
    }
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
            configs: vec![default.clone()],
            key_prefix: b"",
            run: signer_scenario,
        },
        Scenario {
            name: "TimestampSigner",
            configs: vec![default.clone()],
            key_prefix: b"",
            run: timestamp_signer_scenario,
        },
        Scenario {
            name: "Serializer",
            configs: vec![serializer.clone()],
            key_prefix: b"",
            run: serializer_scenario,
        },
        Scenario {
            name: "TimedSerializer",
            configs: vec![serializer.clone()],
            key_prefix: b"",
            run: timed_serializer_scenario,
        },
        Scenario {
            name: "URLSafeSerializer",
            configs: vec![serializer.clone()],
            key_prefix: b"",
            run: url_safe_scenario,
        },
        Scenario {
            name: "URLSafeTimedSerializer",
            configs: vec![serializer],
            key_prefix: b"",
            run: url_safe_timed_scenario,
        },
        Scenario {
            name: "JwsSerializer (HS512)",
            configs: vec![jws.clone()],
            key_prefix: b"",
            run: jws_scenario,
        },
        Scenario {
            name: "TimedJwsSerializer (HS512)",
            configs: vec![jws],
            key_prefix: b"",
            run: timed_jws_scenario,
        },
        Scenario {
            name: "Flask SessionSerializer",
            configs: vec![flask.clone()],
            key_prefix: b"",
            run: flask_scenario,
        },
        Scenario {
            name: "Django Signer",
            configs: vec![sign_django::signer_builder()],
            key_prefix: b"",
            run: django_signer_scenario,
        },
        Scenario {
            name: "Django TimestampSigner",
            configs: vec![sign_django::timestamp_signer_builder()],
            key_prefix: b"",
            run: django_timestamp_signer_scenario,
        },
        Scenario {
            name: "Django signing.dumps/loads (plain, compressed)",
            configs: vec![sign_django::signer_builder().salt(sign_django::SIGNING_SALT)],
            key_prefix: b"",
            run: django_signing_scenario,
        },
        Scenario {
            name: "Django SignedCookie (v2 and legacy salts)",
            configs: vec![
                sign_django::timestamp_signer_builder().salt(sign_django::cookie_salt("theme", "")),
                sign_django::timestamp_signer_builder()
                    .salt(sign_django::legacy_cookie_salt("theme", "")),
            ],
            key_prefix: sign_django::COOKIE_KEY_PREFIX,
            run: django_signed_cookie_scenario,
        },
        Scenario {
            name: "DjangoSessions",
            configs: vec![sign_django::signer_builder().salt(sign_django::SESSION_SALT)],
            key_prefix: b"",
            run: django_sessions_scenario,
        },
        Scenario {
            name: "StarletteSessions (HMAC-SHA1)",
            configs: vec![Signer::builder().salt(sign_starlette::SIGNER_SALT)],
            key_prefix: b"",
            run: starlette_sessions_scenario,
        },
        Scenario {
            name: "KeyAudit (django-concat, hmac)",
            // The audit derives the default key and Flask's.
            configs: vec![default, flask],
            key_prefix: b"",
            run: key_audit_scenario,
        },
    ]
}

#[test]
fn no_key_material_in_freed_memory() {
    check_django_and_starlette_needle_configs();
    let mut failures = Vec::new();
    for scenario in scenarios() {
        let mut all: Vec<(String, Vec<u8>)> = Vec::new();
        for (index, config) in scenario.configs.iter().enumerate() {
            for secret in [SECRET, OLD_SECRET] {
                for (name, needle) in needles(config, scenario.key_prefix, secret) {
                    // Configurations share the secret needle; search each needle once.
                    if !all.iter().any(|(_, known)| *known == needle) {
                        let name = if scenario.configs.len() > 1 {
                            format!("[config {index}] {name}")
                        } else {
                            name
                        };
                        all.push((name, needle));
                    }
                }
            }
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

/// The needle configurations of the Django and Starlette scenarios are the objects' own: a
/// signer built from each one (with the object's key) signs exactly as the object does, so
/// the derived keys and HMAC states searched for are the ones the objects hold. Run before
/// the scan, in the same test: the allocator's counters are global (one thread at a time).
fn check_django_and_starlette_needle_configs() {
    const AT: u64 = 1_700_000_000;
    let timed = |config: sign_core::SignerBuilder, key: &[u8]| {
        sign_django::build_timestamp_signer(&config.key(key)).unwrap()
    };
    // The signed part of a timed token: everything before the signature's separator.
    let signed_part =
        |token: &str, separator: char| token.rsplit_once(separator).unwrap().0.to_owned();

    let cookie = sign_django::SignedCookie::new([SECRET], "theme", "").unwrap();
    let key = [sign_django::COOKIE_KEY_PREFIX, SECRET.as_bytes()].concat();
    let config =
        sign_django::timestamp_signer_builder().salt(sign_django::cookie_salt("theme", ""));
    assert_eq!(
        cookie.sign_at("dark", AT).into_bytes(),
        timed(config, &key).sign_at("dark", AT)
    );
    let legacy = timed(
        sign_django::timestamp_signer_builder().salt(sign_django::legacy_cookie_salt("theme", "")),
        &key,
    );
    let legacy_cookie = String::from_utf8(legacy.sign_at("dark", AT)).unwrap();
    assert_eq!(cookie.unsign(&legacy_cookie, None).unwrap(), "dark");

    let mut session = sign_django::Session::new();
    session.insert(sign_django::AUTH_USER_ID.to_owned(), "1".into());
    let token = sign_django::DjangoSessions::new([SECRET])
        .unwrap()
        .dumps_at(&session, AT)
        .unwrap();
    let signer = timed(
        sign_django::signer_builder().salt(sign_django::SESSION_SALT),
        SECRET.as_bytes(),
    );
    let payload = signed_part(&signed_part(&token, ':'), ':');
    assert_eq!(signer.sign_at(&payload, AT), token.into_bytes());

    let s = sign_django::signing_builder(false)
        .key(SECRET)
        .build()
        .unwrap();
    let token = s.dumps_at(&json!({"a": 1}), AT).unwrap();
    let signer = timed(
        sign_django::signer_builder().salt(sign_django::SIGNING_SALT),
        SECRET.as_bytes(),
    );
    let payload = signed_part(&signed_part(&token, ':'), ':');
    assert_eq!(signer.sign_at(&payload, AT), token.into_bytes());

    let mut session = sign_starlette::Session::new();
    session.insert("user".to_owned(), 42.into());
    let token = sign_starlette::StarletteSessions::new(SECRET)
        .unwrap()
        .dumps_at(&session, AT)
        .unwrap();
    let signer = TimestampSigner::from_signer(
        Signer::builder()
            .salt(sign_starlette::SIGNER_SALT)
            .key(SECRET)
            .build()
            .unwrap(),
    );
    let payload = signed_part(&signed_part(&token, '.'), '.');
    assert_eq!(signer.sign_at(&payload, AT), token.into_bytes());
}
