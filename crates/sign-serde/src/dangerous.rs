//! Loading without a valid signature. Everything here may return attacker-chosen data.

use serde::de::DeserializeOwned;
use sign_core::{Error, MaxAge, SigningScheme};

use crate::codec::PayloadCodec;
pub use crate::keyless::KeylessLimits;
use crate::serializer::{LoadError, SignedSerializer};

/// Python's `loads_unsafe`: `(signature valid?, value)`.
///
/// Returns `(true, Some(value))` for a valid token. For an invalid signature, the payload is
/// decoded anyway: `(false, Some(value))`, or `(false, None)` when there is no payload or it
/// does not decode. For a timed serializer, an expired token gives `(false, Some(value))`;
/// `max_age` `None` means the serializer's default maximum age, if it has one.
///
/// # Errors
/// As in Python, a **valid** signature over a payload that does not decode is an error
/// (`BadPayload`), not `(false, None)`.
pub fn loads_unsafe<T, C, S>(
    serializer: &SignedSerializer<C, S>,
    token: impl AsRef<[u8]>,
    max_age: Option<MaxAge>,
    salt: Option<&[u8]>,
) -> Result<(bool, Option<T>), Error>
where
    T: DeserializeOwned,
    C: PayloadCodec,
    S: SigningScheme,
{
    loads_unsafe_with_limits(serializer, token, max_age, salt, &KeylessLimits::new())
}

/// [`loads_unsafe`] with explicit bounds for decoding the unverified payload.
///
/// # Errors
/// As [`loads_unsafe`].
pub fn loads_unsafe_with_limits<T, C, S>(
    serializer: &SignedSerializer<C, S>,
    token: impl AsRef<[u8]>,
    max_age: Option<MaxAge>,
    salt: Option<&[u8]>,
    limits: &KeylessLimits,
) -> Result<(bool, Option<T>), Error>
where
    T: DeserializeOwned,
    C: PayloadCodec,
    S: SigningScheme,
{
    loads_unsafe_with(
        serializer,
        token,
        max_age,
        salt,
        |codec, payload| codec.decode(payload),
        |codec, payload| codec.decode_unverified(payload, limits),
    )
}

/// [`loads_unsafe`] with the decoding of the payload in the caller's hands: `verified` for a
/// payload whose signature is valid, `unverified` for one whose signature failed (so token
/// formats can return more than the value, e.g. the JWS header). Same verdicts:
///
/// - valid: `(true, Some(verified(..)?))`; a `BadPayload` from `verified` is returned, any
///   other error of it (a later check, e.g. a JWS `alg` or expiry) gives `(false, None)`;
/// - not valid: `(false, unverified(..))` on the payload the error carries, `None` when it
///   carries none or `unverified` fails with `BadPayload`; other errors are returned.
///
/// # Errors
/// As listed.
pub fn loads_unsafe_with<R, C, S>(
    serializer: &SignedSerializer<C, S>,
    token: impl AsRef<[u8]>,
    max_age: Option<MaxAge>,
    salt: Option<&[u8]>,
    verified: impl FnOnce(&C, &[u8]) -> Result<R, Error>,
    unverified: impl FnOnce(&C, &[u8]) -> Result<R, Error>,
) -> Result<(bool, Option<R>), Error>
where
    C: PayloadCodec,
    S: SigningScheme,
{
    let schemes = serializer.schemes_or_salted(salt)?;
    let token = token.as_ref();
    match serializer.load_stages(&schemes, token, max_age, verified) {
        Ok((value, _)) => Ok((true, Some(value))),
        Err(LoadError::Decode(error)) if error.is_bad_payload() => Err(error),
        Err(LoadError::Decode(_)) => Ok((false, None)),
        Err(LoadError::Verify(error)) => {
            let Some(payload) = sign_core::dangerous::unverified_payload(&error, token) else {
                return Ok((false, None));
            };
            match unverified(serializer.codec(), payload) {
                Ok(value) => Ok((false, Some(value))),
                Err(error) if error.is_bad_payload() => Ok((false, None)),
                Err(error) => Err(error),
            }
        }
    }
}
