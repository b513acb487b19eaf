//! Unverified data and the unprotected `none` algorithm.
//!
//! Everything here may hand out attacker-chosen data, or make tokens anyone can forge. Use
//! it to inspect tokens and to talk to legacy systems, never to make decisions.

use python_json::Value;
use serde::de::DeserializeOwned;
use sign_core::encoding::base64_decode;
use sign_core::{ConfigError, Error};

pub use sign_serde::dangerous::KeylessLimits;

use crate::wire::{self, Header};
use crate::{Jws, JwsAlgorithm, JwsClaims};

/// The marker inside [`JwsAlgorithm::None`]. Only this module can make one, so the `none`
/// algorithm can only be chosen here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NoSignature(());

/// The `none` algorithm (Python's `algorithm_name="none"`): tokens end in an empty
/// signature (`header.payload.`).
///
/// # Security
/// A serializer built with it accepts any well-formed token whose header says `none`: there
/// is no protection at all. Keyed serializers never accept such tokens.
#[must_use]
pub const fn none_algorithm() -> JwsAlgorithm {
    JwsAlgorithm::None(NoSignature(()))
}

/// Parses any of Python's algorithm names, `"none"` included.
///
/// # Errors
/// `ConfigError::Invalid("algorithm not supported")` for any other name (Python raises
/// `NotImplementedError`).
pub fn algorithm_from_name(name: &str) -> Result<JwsAlgorithm, ConfigError> {
    if name == "none" {
        Ok(none_algorithm())
    } else {
        name.parse()
    }
}

/// The payload of `token` whose verification failed with `error` (Python's `e.payload`),
/// decoded.
///
/// Every JWS error that has one records the signed part of the token (`header.payload`):
/// a bad signature, `"algorithm mismatch"`, a missing or invalid `exp`, and an expired
/// token (whose signature was valid). Pass the token that was verified: the error keeps no
/// copy of it. Decoded within the default [`KeylessLimits`]. `None` when the error has
/// none, it does not decode or it exceeds the limits.
#[must_use]
pub fn unverified_payload<T: DeserializeOwned>(error: &Error, token: &[u8]) -> Option<T> {
    let limits = KeylessLimits::new();
    let signed = sign_core::dangerous::unverified_payload(error, token)?;
    let (_, payload_part) = split_once(signed)?;
    limits.check_encoded(payload_part).ok()?;
    let json_text = base64_decode(payload_part).ok()?;
    limits.check_json(&json_text).ok()?;
    python_json::from_slice(&json_text).ok()
}

/// The header of a token that failed verification (Python's `e.header`), decoded: an
/// object for `"algorithm mismatch"`, whatever JSON it is for `"header payload is not a JSON
/// object"`. Pass the token that was verified. Decoded within the default
/// [`KeylessLimits`]. `None` when the error has none, it does not decode or it exceeds the
/// limits.
#[must_use]
pub fn unverified_header(error: &Error, token: &[u8]) -> Option<Value> {
    wire::decode_header_unchecked(
        sign_core::dangerous::unverified_payload(error, token)?,
        &KeylessLimits::new(),
    )
}

/// Python's `load_payload(payload, return_header=True)`: decodes the signed part of a token
/// (`b64u(header) "." b64u(payload)`, without the signature) **without verifying anything**.
///
/// Decoded within the default [`KeylessLimits`].
///
/// # Errors
/// `BadPayload` or `BadHeader` exactly as the checks of [`Jws`]'s `loads` after the
/// signature; `BadPayload` beyond the limits.
pub fn load_payload<T: DeserializeOwned>(signed: impl AsRef<[u8]>) -> Result<(T, Header), Error> {
    let (header, payload) = wire::load_payload_unverified(signed.as_ref(), &KeylessLimits::new())?;
    Ok((wire::from_json(&payload)?, header))
}

/// Python's `loads_unsafe(s, salt=salt, return_header=True)`: `(signature valid?, (payload,
/// header))`, through the one `loads_unsafe` of the engine
/// ([`sign_serde::dangerous::loads_unsafe_with`]). Without the header, call
/// [`sign_serde::dangerous::loads_unsafe`] on the serializer itself.
///
/// - a valid token gives `(true, Some(..))`;
/// - a bad signature gives `(false, Some(..))` when the payload decodes anyway,
///   `(false, None)` when it does not; a header that does not decode is an error, as in
///   Python (`BadHeader`);
/// - a valid signature with a bad header, another `alg`, or (timed) a missing, invalid or
///   past `exp` gives `(false, None)`, as itsdangerous 2.0.1 does;
/// - a valid signature over a payload that does not decode is an error (`BadPayload`).
///
/// The payload of a bad signature is decoded within the default [`KeylessLimits`] (see
/// [`sign_serde::dangerous::loads_unsafe_with_limits`]); beyond them it gives `(false, None)`.
///
/// # Errors
/// As listed: `BadPayload` and `BadHeader`.
pub fn loads_unsafe_with_header<T: DeserializeOwned>(
    serializer: &Jws<impl JwsClaims>,
    token: impl AsRef<[u8]>,
    salt: Option<&[u8]>,
) -> Result<(bool, Option<(T, Header)>), Error> {
    crate::serializer::loads_unsafe_with_header(
        serializer,
        token.as_ref(),
        salt,
        &KeylessLimits::new(),
    )
}

fn split_once(signed: &[u8]) -> Option<(&[u8], &[u8])> {
    let dot = signed.iter().position(|b| *b == b'.')?;
    let (head, rest) = signed.split_at(dot);
    Some((head, rest.get(1..)?))
}
