//! Reading URL-safe tokens without verifying them. Everything here may be attacker-chosen.

use sign_core::Error;

use sign_serde::dangerous::KeylessLimits;

use crate::codec::{decode_unverified_payload, decode_url_safe_payload};
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
    decode_url_safe_payload(payload_part(token, separator), limit)
}

/// [`decode_unverified`] within keyless `limits`: the base64 is length-checked before it is
/// decoded, at most `limits.payload_len_limit()` bytes are inflated, and the result is
/// checked as JSON text ([`KeylessLimits::check_json`]), so parsing it afterwards is
/// bounded too.
///
/// # Errors
/// `BadPayload` for invalid base64 or zlib, or beyond any limit.
pub fn decode_unverified_json(
    token: &[u8],
    separator: &[u8],
    limits: &KeylessLimits,
) -> Result<Vec<u8>, Error> {
    let text = decode_unverified_payload(payload_part(token, separator), usize::MAX, limits)?;
    limits.check_json(&text)?;
    Ok(text)
}

/// The payload part of an unverified URL-safe token: everything before the first
/// `separator` after the optional `.` compression marker (a payload is base64, which never
/// contains a separator).
#[must_use]
pub fn payload_part<'a>(token: &'a [u8], separator: &[u8]) -> &'a [u8] {
    let (marker, rest) = match token.split_first() {
        Some((b'.', rest)) => (1, rest),
        _ => (0, token),
    };
    let end = find(rest, separator).map_or(token.len(), |i| i.saturating_add(marker));
    token.get(..end).unwrap_or(token)
}

/// The first position of a non-empty `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    match needle {
        [] => None,
        [byte] => memchr::memchr(*byte, haystack),
        _ => memchr::memmem::find(haystack, needle),
    }
}

#[cfg(test)]
mod tests {
    use super::{find, payload_part};
    use proptest::prelude::*;

    /// The search as written before: a window compared at every position.
    fn find_by_windows(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        if needle.is_empty() {
            return None;
        }
        haystack.windows(needle.len()).position(|w| w == needle)
    }

    #[test]
    fn payload_part_stops_at_the_first_separator_after_the_marker() {
        assert_eq!(payload_part(b"abc.def.ghi", b"."), b"abc");
        assert_eq!(payload_part(b".abc.def", b"."), b".abc");
        assert_eq!(payload_part(b"..", b"."), b".");
        assert_eq!(payload_part(b"abc", b"."), b"abc");
        assert_eq!(payload_part(b"", b"."), b"");
        assert_eq!(payload_part(b"ab::cd::ef", b"::"), b"ab");
        assert_eq!(payload_part(b".ab:c::d", b"::"), b".ab:c");
        assert_eq!(payload_part(b"abc", b""), b"abc");
    }

    proptest! {
        #[test]
        fn find_agrees_with_comparing_windows(
            haystack in proptest::collection::vec(prop::sample::select(b"ab.:".to_vec()), 0..80),
            needle in proptest::collection::vec(prop::sample::select(b"ab.:".to_vec()), 0..4),
        ) {
            prop_assert_eq!(find(&haystack, &needle), find_by_windows(&haystack, &needle));
        }
    }
}
