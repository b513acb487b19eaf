//! Shared fixtures and checks for the fuzz targets in `fuzz_targets/`.
//!
//! Every target feeds arbitrary bytes to one verifying entry point under a fixed key and
//! asserts three things (docs/SECURITY.md, "Fuzzing"):
//!
//! 1. nothing panics (libFuzzer also fails on an allocation over `-malloc_limit_mb`);
//! 2. input that was not produced by signing never verifies: whenever it does, signing its
//!    value again gives the input back byte for byte (signers), or the signature part of the
//!    input is exactly the one our signer computes over its signed part (serializers, whose
//!    JSON may legitimately be re-written differently);
//! 3. the input used as a payload round-trips: `unsign(sign(input)) == input`, or for
//!    serializers `loads(dumps(lossy_utf8(input))) == lossy_utf8(input)`.
//!
//! The serializer checks also sign the input's payload part with the fixed key, so the bytes
//! behind the MAC (base64, zlib, JSON) are fuzzed too: such a token must load or fail with
//! `BadPayload`, and whatever loads must re-serialize to a fixed point.
//!
//! No check here relies on `#[cfg(fuzzing)]` in the library: the targets run the real code.

#![forbid(unsafe_code)]

use std::sync::OnceLock;

use python_json::Value;
use sign_core::{Error, FixedClock, MaxAge, Signer, SigningScheme, TimestampSigner};
use sign_serde::{PayloadCodec, Serializer, SignedSerializer, TimedSerializer};
use sign_url::{UrlSafeSerializer, UrlSafeTimedSerializer};

/// The fixed secret key: the one most of the committed vectors use, so seeds from
/// `vectors/*.json` made with default settings really verify.
pub const KEY: &str = "secret-key";

/// "Now" for the timed targets: the vectors' T0 plus five seconds.
pub const NOW: u64 = 1_308_874_150;

/// The maximum age used by the timed targets, in seconds.
pub const MAX_AGE: i64 = 10;

/// The maximum age as a [`MaxAge`].
#[must_use]
pub const fn max_age() -> MaxAge {
    MaxAge::from_secs(MAX_AGE)
}

fn fixture<T>(cell: &'static OnceLock<T>, build: impl FnOnce() -> Option<T>) -> &'static T {
    cell.get_or_init(|| match build() {
        Some(value) => value,
        None => unreachable!("the fuzz fixture with the fixed key builds"),
    })
}

/// `Signer::new(KEY)`.
pub fn signer() -> &'static Signer {
    static CELL: OnceLock<Signer> = OnceLock::new();
    fixture(&CELL, || Signer::new(KEY).ok())
}

/// `TimestampSigner::new(KEY)` stopped at [`NOW`].
pub fn timestamp_signer() -> &'static TimestampSigner {
    static CELL: OnceLock<TimestampSigner> = OnceLock::new();
    fixture(&CELL, || {
        TimestampSigner::new(KEY)
            .ok()
            .map(|s| s.with_clock(FixedClock(NOW)))
    })
}

/// `Serializer::new(KEY)`.
pub fn serializer() -> &'static Serializer {
    static CELL: OnceLock<Serializer> = OnceLock::new();
    fixture(&CELL, || Serializer::new(KEY).ok())
}

/// `TimedSerializer` with [`KEY`], stopped at [`NOW`].
pub fn timed_serializer() -> &'static TimedSerializer {
    static CELL: OnceLock<TimedSerializer> = OnceLock::new();
    fixture(&CELL, || {
        TimedSerializer::builder()
            .key(KEY)
            .clock(FixedClock(NOW))
            .build()
            .ok()
    })
}

/// `UrlSafeSerializer::new(KEY)` (1 MiB decompression bound).
pub fn url_safe_serializer() -> &'static UrlSafeSerializer {
    static CELL: OnceLock<UrlSafeSerializer> = OnceLock::new();
    fixture(&CELL, || UrlSafeSerializer::new(KEY).ok())
}

/// `UrlSafeTimedSerializer` with [`KEY`], stopped at [`NOW`] (1 MiB decompression bound).
pub fn url_safe_timed_serializer() -> &'static UrlSafeTimedSerializer {
    static CELL: OnceLock<UrlSafeTimedSerializer> = OnceLock::new();
    fixture(&CELL, || {
        UrlSafeTimedSerializer::builder()
            .key(KEY)
            .clock(FixedClock(NOW))
            .build()
            .ok()
    })
}

/// What the checks need from a signing scheme beyond [`SigningScheme`].
pub trait Scheme: SigningScheme {
    /// The plain signer whose signature ends the token.
    fn plain(&self) -> &Signer;
    /// The payload part of `token`: what the serializer's codec would decode.
    fn payload_part<'a>(&self, token: &'a [u8]) -> &'a [u8];
}

impl Scheme for Signer {
    fn plain(&self) -> &Signer {
        self
    }

    fn payload_part<'a>(&self, token: &'a [u8]) -> &'a [u8] {
        sign_core::dangerous::split_unverified(self, token).map_or(token, |(value, _)| value)
    }
}

impl Scheme for TimestampSigner {
    fn plain(&self) -> &Signer {
        self.signer()
    }

    fn payload_part<'a>(&self, token: &'a [u8]) -> &'a [u8] {
        let message =
            sign_core::dangerous::split_unverified(self.signer(), token).map_or(token, |(m, _)| m);
        sign_core::dangerous::split_unverified(self.signer(), message)
            .map_or(message, |(value, _)| value)
    }
}

/// Asserts that the signature part of a verified `token` is exactly the signature `signer`
/// computes over its signed part: the weaker "was produced by signing" check for
/// serializers, whose payload may re-serialize to other bytes.
pub fn assert_signature_part(signer: &Signer, token: &[u8]) {
    let Some((signed, signature)) = sign_core::dangerous::split_unverified(signer, token) else {
        unreachable!("a verified token has a separator");
    };
    assert_eq!(
        signature,
        signer.get_signature(signed).as_bytes(),
        "verified a token whose signature our signer would not compute"
    );
}

/// The whole serializer suite for one fuzz input. `load` is the verifying entry point
/// (`loads`, or `loads_max_age` for timed serializers); `max_age` is passed to the
/// `dangerous::loads_unsafe` cross-check.
pub fn check_serializer<C, S>(
    serializer: &SignedSerializer<C, S>,
    load: impl Fn(&[u8]) -> Result<Value, Error>,
    max_age: Option<MaxAge>,
    data: &[u8],
) where
    C: PayloadCodec,
    S: Scheme,
{
    let Some(primary) = serializer.primary() else {
        unreachable!("a serializer built with a key has a primary signer");
    };

    // 1. The input as a token: verified only if we would have signed it.
    let loaded = load(data);
    match &loaded {
        Ok(_) => assert_signature_part(primary.plain(), data),
        Err(error) => assert!(
            error.is_bad_signature() || error.is_bad_payload(),
            "unexpected error class {error:?}"
        ),
    }

    // 1b. The dangerous path agrees on validity and does not panic either.
    if let Ok((valid, _)) =
        sign_serde::dangerous::loads_unsafe::<Value, _, _>(serializer, data, max_age, None)
    {
        assert_eq!(valid, loaded.is_ok(), "loads_unsafe disagrees with loads");
    }

    // 2. Behind the MAC: the input's payload part, signed with the fixed key.
    check_signed_payload(serializer, &load, primary.payload_part(data));

    // 3. Round trip of the input as a string value.
    let text = String::from_utf8_lossy(data);
    let token = serializer.dumps(&text);
    let Ok(token) = token else {
        unreachable!("a string always serializes: {token:?}");
    };
    match load(token.as_bytes()) {
        Ok(Value::String(back)) => assert_eq!(back, text, "round trip changed the value"),
        other => unreachable!("round trip failed: {other:?}"),
    }
}

/// Signs `payload` (raw payload bytes, as the codec would have written them) with the fixed
/// key and loads it: the result is a value or `BadPayload`, and a loaded value re-serializes
/// to a fixed point of the JSON writer.
pub fn check_signed_payload<C, S>(
    serializer: &SignedSerializer<C, S>,
    load: impl Fn(&[u8]) -> Result<Value, Error>,
    payload: &[u8],
) where
    C: PayloadCodec,
    S: Scheme,
{
    let Some(primary) = serializer.primary() else {
        unreachable!("a serializer built with a key has a primary signer");
    };
    let mut token = payload.to_vec();
    primary.sign_appended(&mut token, 0, None);
    match load(&token) {
        Ok(value) => {
            if let Ok(first) = serializer.dump_payload(&value)
                && let Ok(again) = serializer.load_payload::<Value>(&first)
            {
                let second = serializer.dump_payload(&again);
                assert_eq!(
                    second.as_ref().ok(),
                    Some(&first),
                    "re-serializing a loaded value is not a fixed point"
                );
            }
        }
        Err(error) => assert!(
            error.is_bad_payload(),
            "a token signed with the fixed key failed with {error:?}"
        ),
    }
}

/// `TimedJwsSerializer` with [`KEY`], HS512, expiring after [`MAX_AGE`] seconds, at [`NOW`].
pub fn timed_jws_serializer() -> &'static sign_jws::TimedJwsSerializer {
    static CELL: OnceLock<sign_jws::TimedJwsSerializer> = OnceLock::new();
    fixture(&CELL, || {
        sign_jws::TimedJwsSerializer::builder()
            .key(KEY)
            .map_codec(|codec| codec.with_expires_in(MAX_AGE.unsigned_abs()))
            .clock(FixedClock(NOW))
            .build()
            .ok()
    })
}

/// Flask's cookie signer for [`KEY`] (salt `cookie-session`, HMAC key derivation, SHA-1),
/// stopped at [`NOW`]: signs payloads the way [`flask_sessions`] verifies them.
pub fn flask_timestamp_signer() -> &'static TimestampSigner {
    static CELL: OnceLock<TimestampSigner> = OnceLock::new();
    fixture(&CELL, || {
        Signer::builder()
            .key(KEY)
            .salt(sign_flask::DEFAULT_SALT)
            .key_derivation(sign_core::KeyDerivation::Hmac)
            .build()
            .ok()
            .map(|s| TimestampSigner::from_signer(s).with_clock(FixedClock(NOW)))
    })
}

/// Limits generous enough that a keyless decoder accepts whatever the verified decoder with
/// the same bounds accepts (1 MiB of text, the decompression bound; any number of values;
/// depth left to the JSON parser's own recursion limit). Used by the cross-checks.
#[must_use]
pub fn generous_limits() -> sign_serde::dangerous::KeylessLimits {
    sign_serde::dangerous::KeylessLimits::new()
        .max_payload_len(sign_url::DEFAULT_MAX_DECOMPRESSED_SIZE)
        .max_json_values(usize::MAX)
        .max_json_depth(usize::MAX)
}

/// Splits fuzz input at its first `0xff` byte (which never occurs in UTF-8 text) into a
/// header and a payload part; without one, the header is empty.
#[must_use]
pub fn split_two(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|b| *b == 0xff) {
        Some(i) => (
            data.get(..i).unwrap_or_default(),
            data.get(i + 1..).unwrap_or_default(),
        ),
        None => (&[], data),
    }
}

/// A JWS signed part `b64u(header) "." b64u(payload)` from raw header and payload bytes.
#[must_use]
pub fn jws_signed_part(header: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut signed = Vec::new();
    sign_core::encoding::base64_encode_into(header, &mut signed);
    signed.push(b'.');
    sign_core::encoding::base64_encode_into(payload, &mut signed);
    signed
}

/// Flask's session serializer with `SECRET_KEY = KEY` at [`NOW`] (31-day max age).
pub fn flask_sessions() -> &'static sign_flask::SessionSerializer {
    static CELL: OnceLock<sign_flask::SessionSerializer> = OnceLock::new();
    fixture(&CELL, || {
        sign_flask::session_builder()
            .key(KEY)
            .clock(FixedClock(NOW))
            .build()
            .ok()
    })
}

/// A session cookie's serializer (Django's `signed_cookies`, Starlette's `SessionMiddleware`)
/// on arbitrary bytes at [`NOW`] with `max_age` seconds: what verifies carries our signature,
/// anything else is a bad signature (or expired, when `may_expire`) or a bad payload; the
/// input as the payload, validly signed, loads or is a `BadPayload`.
pub fn check_session_serializer<C: PayloadCodec, F: sign_core::TimestampFormat>(
    serializer: &SignedSerializer<C, TimestampSigner<F>>,
    data: &[u8],
    max_age: u64,
    may_expire: bool,
) {
    let Some(primary) = serializer.primary() else {
        unreachable!("a serializer has a primary signer");
    };
    match serializer.loads_max_age::<Value>(data, max_age) {
        Ok(_) => assert_signature_part(primary.signer(), data),
        Err(error) => assert!(
            error.is_bad_signature()
                || (may_expire && error.is_expired())
                || error.is_bad_payload(),
            "unexpected error class {error:?}"
        ),
    }
    // Behind the MAC: the input as the payload, validly signed.
    let token = primary.sign_at(data, NOW);
    if let Err(error) = serializer.loads_max_age::<Value>(&token, max_age) {
        assert!(
            error.is_bad_payload(),
            "a validly signed token failed with {error:?}"
        );
    }
}

/// A session holding the input (as lossy UTF-8) under `v` comes back from `loads(dumps(..))`
/// unchanged.
pub fn assert_session_round_trip(
    data: &[u8],
    dumps: impl FnOnce(&python_json::Map) -> Result<String, Error>,
    loads: impl FnOnce(&str) -> Result<python_json::Map, Error>,
) {
    let mut session = python_json::Map::new();
    session.insert(
        "v".to_owned(),
        Value::String(String::from_utf8_lossy(data).into_owned()),
    );
    let Ok(cookie) = dumps(&session) else {
        unreachable!("a string session serializes");
    };
    match loads(&cookie) {
        Ok(back) => assert_eq!(back, session, "round trip changed the session"),
        Err(error) => unreachable!("round trip failed: {error:?}"),
    }
}
