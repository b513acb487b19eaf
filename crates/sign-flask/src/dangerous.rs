//! Reading session cookies without a key. Everything here may be attacker-chosen.

use sign_core::Error;
pub use sign_serde::dangerous::KeylessLimits;

use crate::codec::TaggedJsonCodec;
use crate::value::SessionValue;

/// The session in an **unverified** cookie, decoded within `limits` (use
/// `KeylessLimits::default()` unless you know better: a 64 KiB payload, 8192 JSON values,
/// depth 64). For inspection and debugging only: anyone can write a cookie that decodes to
/// anything.
///
/// # Errors
/// `BadPayload` for invalid base64, zlib, JSON or tags, or a payload beyond `limits`.
pub fn decode_unverified(
    cookie: impl AsRef<[u8]>,
    limits: &KeylessLimits,
) -> Result<SessionValue, Error> {
    let json = sign_url::dangerous::decode_unverified_json(cookie.as_ref(), b".", limits)?;
    TaggedJsonCodec.from_slice(&json)
}
