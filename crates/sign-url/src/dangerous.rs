//! Reading URL-safe tokens without verifying them. Everything here may be attacker-chosen.

use sign_core::Error;

use crate::codec::decode_url_safe_payload;
pub use crate::zlib::inflate_bounded;

/// Decodes a URL-safe payload (`.`-marked zlib or plain, without separator, timestamp or
/// signature) to the bytes inside it, inflating at most `limit` bytes, **without any key**.
///
/// # Errors
/// `BadPayload` for invalid base64 or zlib, or output beyond `limit`.
pub fn decode_payload(payload: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    decode_url_safe_payload(payload, limit)
}

/// The inner (usually JSON) bytes of an **unverified** URL-safe token: everything before the
/// first `separator` (or, for timed tokens, before the timestamp) decoded from base64 and
/// inflated, at most `limit` bytes.
///
/// # Errors
/// `BadPayload` for invalid base64 or zlib, or output beyond `limit`.
pub fn decode_unverified(token: &[u8], separator: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    // A compressed payload starts with "."; the payload itself never contains the separator
    // (base64 has no separator characters), so it ends at the first separator after it.
    let (marker, rest) = match token.split_first() {
        Some((b'.', rest)) => (1, rest),
        _ => (0, token),
    };
    let end = find(rest, separator).map_or(token.len(), |i| i.saturating_add(marker));
    decode_url_safe_payload(token.get(..end).unwrap_or(token), limit)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}
