//! Reading session cookies without a key. Everything here may be attacker-chosen.

use sign_core::Error;

use crate::codec::TaggedJsonCodec;
use crate::value::SessionValue;

/// The session in an **unverified** cookie, decompressing at most `limit` bytes (use
/// [`sign_url::DEFAULT_MAX_DECOMPRESSED_SIZE`] unless you know better). For inspection and
/// debugging only: anyone can write a cookie that decodes to anything.
///
/// # Errors
/// `BadPayload` for invalid base64, zlib, JSON or tags, or output beyond `limit`.
pub fn decode_unverified(cookie: impl AsRef<[u8]>, limit: usize) -> Result<SessionValue, Error> {
    let json = sign_url::dangerous::decode_unverified(cookie.as_ref(), b".", limit)?;
    TaggedJsonCodec.from_slice(&json)
}
