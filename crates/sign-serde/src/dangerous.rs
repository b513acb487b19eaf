//! Loading without a valid signature. Everything here may return attacker-chosen data.

use serde::de::DeserializeOwned;
use sign_core::Error;
use sign_timed::MaxAge;

use crate::codec::PayloadCodec;
pub use crate::keyless::KeylessLimits;
use crate::scheme::SigningScheme;
use crate::serializer::SignedSerializer;

/// Python's `loads_unsafe`: `(signature valid?, value)`.
///
/// Returns `(true, Some(value))` for a valid token. For an invalid signature, the payload is
/// decoded anyway within the default [`KeylessLimits`]: `(false, Some(value))`, or
/// `(false, None)` when there is no payload, it does not decode, or it exceeds the limits.
/// For a timed serializer, an expired token gives `(false, Some(value))`.
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
    let token = token.as_ref();
    let schemes = serializer.schemes_or_salted(salt)?;
    match serializer.load_with::<T>(&schemes, token, max_age) {
        Ok((value, _)) => Ok((true, Some(value))),
        Err(error) if error.is_bad_payload() => Err(error),
        Err(error) => Ok((
            false,
            sign_core::dangerous::unverified_payload(&error, token)
                .and_then(|payload| serializer.codec().decode_unverified(payload, limits).ok()),
        )),
    }
}
