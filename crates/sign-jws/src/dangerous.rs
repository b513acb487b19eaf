//! Unverified data and the unprotected `none` algorithm.
//!
//! Everything here may hand out attacker-chosen data, or make tokens anyone can forge. Use
//! it to inspect tokens and to talk to legacy systems, never to make decisions.

use python_json::Value;
use serde::de::DeserializeOwned;
use sign_core::encoding::base64_decode;
use sign_core::{ConfigError, Error};

use crate::wire::{self, Header};
use crate::{Flavour, Jws, JwsAlgorithm};

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

/// The payload of a token that failed verification (Python's `e.payload`), decoded.
///
/// Every JWS error that has one carries the signed part of the token (`header.payload`):
/// a bad signature, `"algorithm mismatch"`, a missing or invalid `exp`, and an expired
/// token (whose signature was valid). `None` when the error has none or it does not decode.
#[must_use]
pub fn unverified_payload<T: DeserializeOwned>(error: &Error) -> Option<T> {
    let signed = sign_core::dangerous::unverified_payload(error)?;
    let (_, payload_part) = split_once(signed)?;
    let json_text = base64_decode(payload_part).ok()?;
    python_json::from_slice(&json_text).ok()
}

/// The header of a token that failed verification (Python's `e.header`), decoded: an
/// object for `"algorithm mismatch"`, whatever JSON it is for `"header payload is not a JSON
/// object"`. `None` when the error has none or it does not decode.
#[must_use]
pub fn unverified_header(error: &Error) -> Option<Value> {
    wire::decode_header_unchecked(sign_core::dangerous::unverified_payload(error)?)
}

/// Python's `load_payload(payload, return_header=True)`: decodes the signed part of a token
/// (`b64u(header) "." b64u(payload)`, without the signature) **without verifying anything**.
///
/// # Errors
/// `BadPayload` or `BadHeader` exactly as the checks of [`Jws::loads`] after the
/// signature.
pub fn load_payload<T: DeserializeOwned>(signed: impl AsRef<[u8]>) -> Result<(T, Header), Error> {
    let (header, payload) = wire::load_payload(signed.as_ref())?;
    Ok((wire::from_json(&payload)?, header))
}

/// Python's `loads_unsafe(s, salt=salt)`: `(signature valid?, payload)`.
///
/// - a valid token gives `(true, Some(payload))`;
/// - a bad signature gives `(false, Some(payload))` when the payload decodes anyway,
///   `(false, None)` when it does not; a header that does not decode is an error, as in
///   Python (`BadHeader`);
/// - a valid signature with a bad header, another `alg`, or (timed) a missing, invalid or
///   past `exp` gives `(false, None)`, as itsdangerous 2.0.1 does;
/// - a valid signature over a payload that does not decode is an error (`BadPayload`).
///
/// # Errors
/// As listed: `BadPayload` and `BadHeader`.
pub fn loads_unsafe<T: DeserializeOwned>(
    serializer: &impl JwsLoader,
    token: impl AsRef<[u8]>,
    salt: Option<&[u8]>,
) -> Result<(bool, Option<T>), Error> {
    let (valid, loaded) = serializer.loads_unsafe_with_header(token.as_ref(), salt)?;
    Ok((valid, loaded.map(|(payload, _)| payload)))
}

/// [`loads_unsafe`] that also returns the header (Python's `return_header=True`).
///
/// # Errors
/// As [`loads_unsafe`].
pub fn loads_unsafe_with_header<T: DeserializeOwned>(
    serializer: &impl JwsLoader,
    token: impl AsRef<[u8]>,
    salt: Option<&[u8]>,
) -> Result<(bool, Option<(T, Header)>), Error> {
    serializer.loads_unsafe_with_header(token.as_ref(), salt)
}

mod sealed {
    pub trait Sealed {
        fn loads_unsafe_with_header<T: serde::de::DeserializeOwned>(
            &self,
            token: &[u8],
            salt: Option<&[u8]>,
        ) -> Result<(bool, Option<(T, crate::Header)>), sign_core::Error>;
    }
}

/// The serializers [`loads_unsafe`] works with: [`crate::JwsSerializer`] and
/// [`crate::TimedJwsSerializer`]. Sealed.
pub trait JwsLoader: sealed::Sealed {}

impl<F: Flavour> sealed::Sealed for Jws<F> {
    fn loads_unsafe_with_header<T: DeserializeOwned>(
        &self,
        token: &[u8],
        salt: Option<&[u8]>,
    ) -> Result<(bool, Option<(T, Header)>), Error> {
        self.loads_unsafe_impl(token, salt)
    }
}

impl<F: Flavour> JwsLoader for Jws<F> {}

fn split_once(signed: &[u8]) -> Option<(&[u8], &[u8])> {
    let dot = signed.iter().position(|b| *b == b'.')?;
    let (head, rest) = signed.split_at(dot);
    Some((head, rest.get(1..)?))
}
