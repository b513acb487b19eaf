//! One behaviour suite, run against every signer and serializer kind: round trip, every
//! single-byte change rejected, truncation at every length rejected, appended bytes rejected,
//! wrong key, wrong salt, rotated keys, and one token from the Python reference.
//!
//! Adding a kind (JWS, Flask sessions) is one `behaviour_suite!` invocation: how to build it
//! from keys and a salt, how to sign a string, how to verify a token back to bytes, and a
//! token that Python produced.
// Test helpers outside `#[test]` functions fail loudly, and index tokens they just made.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use tamperproof::serializer::{Serializer, TimedSerializer};
use tamperproof::url_safe::{UrlSafeSerializer, UrlSafeTimedSerializer};
use tamperproof::{Error, FixedClock, KeyRing, Signer, TimestampSigner};

/// The fixed "now" of the timed kinds: 2023-11-14T22:13:20Z.
const NOW: u64 = 1_700_000_000;
/// The salt every kind is built with (Python: `salt="behaviour"`).
const SALT: &str = "behaviour";
/// The maximum age the timed kinds verify with.
const MAX_AGE: u64 = 3600;

/// The values each check signs: empty, ASCII, separators inside, non-ASCII, controls, and a
/// long compressible one (the URL-safe kinds take the zlib path for it).
fn values() -> Vec<String> {
    vec![
        String::new(),
        "hello world".to_owned(),
        "a.b.c.d".to_owned(),
        "héllo ☃ 🔑".to_owned(),
        "\u{0}\u{1}\n\"\\".to_owned(),
        "tamperproof ".repeat(100),
    ]
}

/// A signer or serializer kind under test.
trait Kind {
    /// The signer or serializer type.
    type S: std::fmt::Debug;
    /// Builds it with `keys` (oldest first; the last one signs) and `salt`, at [`NOW`].
    fn build(keys: &[&str], salt: &str) -> Self::S;
    /// Signs `value` (serializers: as a JSON string).
    fn sign(s: &Self::S, value: &str) -> Vec<u8>;
    /// Verifies `token` (timed kinds: with [`MAX_AGE`]) and returns the value's bytes.
    fn verify(s: &Self::S, token: &[u8]) -> Result<Vec<u8>, Error>;
}

/// Runs the whole suite for one kind. `$python_value` signed at [`NOW`] with key `secret-key`
/// and salt `behaviour` must give `$python_token`.
macro_rules! behaviour_suite {
    (
        $name:ident: $ty:ty,
        build($keys:ident, $salt:ident) $build:block,
        sign($s:ident, $value:ident) $sign:block,
        verify($vs:ident, $token:ident) $verify:block,
        python($python_value:expr, $python_token:expr) $(,)?
    ) => {
        mod $name {
            use super::*;

            struct K;

            impl Kind for K {
                type S = $ty;
                fn build($keys: &[&str], $salt: &str) -> $ty $build
                fn sign($s: &$ty, $value: &str) -> Vec<u8> $sign
                fn verify($vs: &$ty, $token: &[u8]) -> Result<Vec<u8>, Error> $verify
            }

            #[test]
            fn matches_python() {
                super::matches_python::<K>($python_value, $python_token);
            }
            #[test]
            fn round_trip() {
                super::round_trip::<K>();
            }
            #[test]
            fn every_single_byte_change_is_rejected() {
                super::every_single_byte_change_is_rejected::<K>();
            }
            #[test]
            fn every_truncation_is_rejected() {
                super::every_truncation_is_rejected::<K>();
            }
            #[test]
            fn appended_bytes_are_rejected() {
                super::appended_bytes_are_rejected::<K>();
            }
            #[test]
            fn wrong_key_is_rejected() {
                super::wrong_key_is_rejected::<K>();
            }
            #[test]
            fn wrong_salt_is_rejected() {
                super::wrong_salt_is_rejected::<K>();
            }
            #[test]
            fn rotated_keys() {
                super::rotated_keys::<K>();
            }
            #[test]
            fn debug_and_errors_do_not_leak_keys() {
                super::debug_and_errors_do_not_leak_keys::<K>();
            }
        }
    };
}

fn standard<K: Kind>() -> K::S {
    K::build(&["secret-key"], SALT)
}

fn assert_rejected<K: Kind>(s: &K::S, token: &[u8], what: &str) {
    match K::verify(s, token) {
        Ok(value) => panic!("{what}: {token:?} verified as {value:?}"),
        Err(error) => assert!(
            error.is_bad_signature(),
            "{what}: {token:?} failed with {error:?}, not a BadSignature"
        ),
    }
}

fn matches_python<K: Kind>(value: &str, token: &[u8]) {
    let s = standard::<K>();
    assert_eq!(K::sign(&s, value), token, "signing differs from Python");
    assert_eq!(K::verify(&s, token).unwrap(), value.as_bytes());
}

fn round_trip<K: Kind>() {
    let s = standard::<K>();
    for value in values() {
        let token = K::sign(&s, &value);
        assert_eq!(
            K::verify(&s, &token).unwrap(),
            value.as_bytes(),
            "{value:?}"
        );
        // Deterministic: the same value at the same time gives the same token.
        assert_eq!(K::sign(&s, &value), token);
    }
}

fn every_single_byte_change_is_rejected<K: Kind>() {
    let s = standard::<K>();
    for value in values().iter().take(5) {
        let token = K::sign(&s, value);
        for position in 0..token.len() {
            for byte in 0..=u8::MAX {
                if byte == token[position] {
                    continue;
                }
                let mut tampered = token.clone();
                tampered[position] = byte;
                assert_rejected::<K>(&s, &tampered, &format!("byte {position} set to {byte}"));
            }
        }
    }
}

fn every_truncation_is_rejected<K: Kind>() {
    let s = standard::<K>();
    for value in values() {
        let token = K::sign(&s, &value);
        for len in 0..token.len() {
            assert_rejected::<K>(&s, &token[..len], &format!("truncated to {len}"));
            assert_rejected::<K>(&s, &token[len + 1..], &format!("first {} cut", len + 1));
        }
    }
}

fn appended_bytes_are_rejected<K: Kind>() {
    let s = standard::<K>();
    for value in values() {
        let token = K::sign(&s, &value);
        for suffix in [&b"A"[..], b"=", b".", b"\0", b" ", b".A"] {
            let mut longer = token.clone();
            longer.extend_from_slice(suffix);
            assert_rejected::<K>(&s, &longer, &format!("{suffix:?} appended"));
        }
    }
}

fn wrong_key_is_rejected<K: Kind>() {
    let signing = standard::<K>();
    for key in ["secret-kez", "Secret-key", "secret-key ", "other"] {
        let other = K::build(&[key], SALT);
        for value in values() {
            assert_rejected::<K>(&other, &K::sign(&signing, &value), key);
            assert_rejected::<K>(&signing, &K::sign(&other, &value), key);
        }
    }
}

fn wrong_salt_is_rejected<K: Kind>() {
    let signing = standard::<K>();
    for salt in ["", "behaviouR", "behaviour ", "itsdangerous"] {
        let other = K::build(&["secret-key"], salt);
        for value in values() {
            assert_rejected::<K>(&other, &K::sign(&signing, &value), salt);
            assert_rejected::<K>(&signing, &K::sign(&other, &value), salt);
        }
    }
}

fn rotated_keys<K: Kind>() {
    let old = K::build(&["old-key"], SALT);
    let new = K::build(&["new-key"], SALT);
    let rotated = K::build(&["old-key", "new-key"], SALT);
    let stranger = K::build(&["stranger"], SALT);
    for value in values() {
        // The newest key signs; every key verifies.
        let token = K::sign(&rotated, &value);
        assert_eq!(token, K::sign(&new, &value));
        assert_eq!(K::verify(&new, &token).unwrap(), value.as_bytes());
        assert_rejected::<K>(&old, &token, "rotated token under the old key alone");
        let legacy = K::sign(&old, &value);
        assert_eq!(K::verify(&rotated, &legacy).unwrap(), value.as_bytes());
        assert_eq!(K::verify(&rotated, &token).unwrap(), value.as_bytes());
        assert_rejected::<K>(&rotated, &K::sign(&stranger, &value), "unknown key");
    }
}

fn debug_and_errors_do_not_leak_keys<K: Kind>() {
    const OLD: &str = "0ld-k3y-that-must-not-leak";
    const NEW: &str = "n3w-k3y-that-must-not-leak";
    let s = K::build(&[OLD, NEW], SALT);
    let debug = format!("{s:?}");
    assert!(!debug.contains("must-not-leak"), "{debug}");
    let other = standard::<K>();
    for value in values() {
        let error = K::verify(&s, &K::sign(&other, &value)).unwrap_err();
        let text = format!("{error} {error:?}");
        assert!(!text.contains("must-not-leak"), "{text}");
        // Nor the signature the verifier expected.
        let expected = K::sign(&s, &value);
        let signature = expected.rsplit(|b| *b == b'.').next().unwrap();
        let signature = String::from_utf8_lossy(signature);
        assert!(!text.contains(&*signature), "{text}");
    }
}

behaviour_suite! {
    signer: Signer,
    build(keys, salt) { Signer::builder().keys(keys).salt(salt).build().unwrap() },
    sign(s, value) { s.sign(value) },
    verify(s, token) { s.unsign(token).map(<[u8]>::to_vec) },
    // Python: Signer("secret-key", salt="behaviour").sign("hello world")
    python("hello world", b"hello world.Tl9360jVpWYzkudpKyMo4M49BSA"),
}

behaviour_suite! {
    timestamp_signer: TimestampSigner,
    build(keys, salt) {
        let signer = Signer::builder().keys(keys).salt(salt).build().unwrap();
        TimestampSigner::from_signer(signer).with_clock(FixedClock(NOW))
    },
    sign(s, value) { s.sign(value) },
    verify(s, token) { s.unsign_max_age(token, MAX_AGE).map(<[u8]>::to_vec) },
    // Python, time.time() == 1700000000:
    // TimestampSigner("secret-key", salt="behaviour").sign("hello world")
    python("hello world", b"hello world.ZVPxAA.X6stxqdDsYGx-i08WrTESlCAG7o"),
}

behaviour_suite! {
    serializer: Serializer,
    build(keys, salt) { Serializer::builder().keys(keys).salt(salt).build().unwrap() },
    sign(s, value) { s.dumps(value).unwrap().into_bytes() },
    verify(s, token) { s.loads::<String>(token).map(String::into_bytes) },
    // Python: Serializer("secret-key", salt="behaviour").dumps("hello world")
    python("hello world", br#""hello world".uLaTdB35lbO7KRGzF-gSDNkZRJA"#),
}

behaviour_suite! {
    timed_serializer: TimedSerializer,
    build(keys, salt) {
        TimedSerializer::builder().keys(keys).salt(salt).clock(FixedClock(NOW)).build().unwrap()
    },
    sign(s, value) { s.dumps(value).unwrap().into_bytes() },
    verify(s, token) { s.loads_max_age::<String>(token, MAX_AGE).map(String::into_bytes) },
    // Python, time.time() == 1700000000:
    // TimedSerializer("secret-key", salt="behaviour").dumps("hello world")
    python("hello world", br#""hello world".ZVPxAA.S5W3q2Y9EXT4ErKaKjXGZSd_MFY"#),
}

behaviour_suite! {
    url_safe_serializer: UrlSafeSerializer,
    build(keys, salt) { UrlSafeSerializer::builder().keys(keys).salt(salt).build().unwrap() },
    sign(s, value) { s.dumps(value).unwrap().into_bytes() },
    verify(s, token) { s.loads::<String>(token).map(String::into_bytes) },
    // Python: URLSafeSerializer("secret-key", salt="behaviour").dumps("hello world")
    python("hello world", b"ImhlbGxvIHdvcmxkIg.QuuQ8mo6rua-PWUZ6pl0f_k6nGQ"),
}

behaviour_suite! {
    url_safe_timed_serializer: UrlSafeTimedSerializer,
    build(keys, salt) {
        UrlSafeTimedSerializer::builder()
            .keys(keys)
            .salt(salt)
            .clock(FixedClock(NOW))
            .build()
            .unwrap()
    },
    sign(s, value) { s.dumps(value).unwrap().into_bytes() },
    verify(s, token) { s.loads_max_age::<String>(token, MAX_AGE).map(String::into_bytes) },
    // Python, time.time() == 1700000000:
    // URLSafeTimedSerializer("secret-key", salt="behaviour").dumps("hello world")
    python("hello world", b"ImhlbGxvIHdvcmxkIg.ZVPxAA.qQ-cJx4dNYb6WfT9IUlr-nlhwT4"),
}

behaviour_suite! {
    jws: tamperproof::jws::JwsSerializer,
    build(keys, salt) { tamperproof::jws::JwsSerializer::builder().keys(keys).salt(salt).build().unwrap() },
    sign(s, value) { s.dumps(value).unwrap().into_bytes() },
    verify(s, token) { s.loads::<String>(token).map(String::into_bytes) },
    // itsdangerous 2.0.1: JSONWebSignatureSerializer("secret-key", salt="behaviour").dumps("hello world")
    python(
        "hello world",
        b"eyJhbGciOiJIUzUxMiJ9.ImhlbGxvIHdvcmxkIg.lIA8iRhSBpww9n6-iO8Xfl7GGpRp4OGaGpQ2MmFy_RGdCMRwr_y7QkD_ITD2RUmTFyA94-YWOvHsEm_SK-h1wQ"
    ),
}

behaviour_suite! {
    timed_jws: tamperproof::jws::TimedJwsSerializer,
    build(keys, salt) {
        tamperproof::jws::TimedJwsSerializer::builder()
            .keys(keys)
            .salt(salt)
            .map_codec(|codec| codec.with_expires_in(MAX_AGE))
            .clock(FixedClock(NOW))
            .build()
            .unwrap()
    },
    sign(s, value) { s.dumps(value).unwrap().into_bytes() },
    verify(s, token) { s.loads::<String>(token).map(String::into_bytes) },
    // itsdangerous 2.0.1, time.time() == 1700000000.25:
    // TimedJSONWebSignatureSerializer("secret-key", salt="behaviour", expires_in=3600).dumps("hello world")
    python(
        "hello world",
        b"eyJhbGciOiJIUzUxMiIsImlhdCI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwfQ.ImhlbGxvIHdvcmxkIg.bPIch6V5thhPCQDjP3Mm5Ed9fLgb9wUbKIWiHL0mfQ3LN73TGzhlfIAGMkTPVWFUTr2LrZ1AMVoe5Zy5Ga-Wlw"
    ),
}

behaviour_suite! {
    flask_session: tamperproof::flask::SessionSerializer,
    build(keys, salt) {
        let (secret, fallbacks) = keys.split_last().unwrap();
        tamperproof::flask::session_builder()
            .key_ring(KeyRing::secret_key_with_fallbacks(secret, fallbacks))
            .salt(salt)
            .max_age(MAX_AGE)
            .clock(FixedClock(NOW))
            .build()
            .unwrap()
    },
    sign(s, value) {
        let session = std::collections::BTreeMap::from([("v", value)]);
        s.dumps(&session).unwrap().into_bytes()
    },
    verify(s, token) {
        s.loads::<std::collections::BTreeMap<String, String>>(token)
            .map(|session| session.get("v").cloned().unwrap_or_default().into_bytes())
    },
    // Flask 3.1.3 in an app context, time.time() == 1700000000.25:
    // URLSafeTimedSerializer("secret-key", salt="behaviour", serializer=session_json_serializer,
    //     signer_kwargs={"key_derivation": "hmac", "digest_method": sha1}).dumps({"v": "hello world"})
    python("hello world", b"eyJ2IjoiaGVsbG8gd29ybGQifQ.ZVPxAA.fa3AVOsgF1vnFXekwhw2aBa9Slo"),
}
