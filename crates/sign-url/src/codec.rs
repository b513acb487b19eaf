//! The URL-safe payload: compact JSON, zlib when it pays, base64url, `.` marking compression.

use std::cell::RefCell;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::encoding::{base64_decode, base64_decode_into, base64_encode_into};
use sign_core::{Clock, Error, ErrorKind, SignerBuilder};
use sign_serde::dangerous::KeylessLimits;
use sign_serde::{JsonCodec, PayloadCodec, with_scratch};

use crate::zlib::{InflateError, compress_if_shorter, inflate_bounded};

/// The default bound on a decompressed payload: 1 MiB.
///
/// Cookies and URLs are a few KiB at most; 1 MiB leaves room for API tokens carrying more,
/// while keeping a zip bomb (Python inflates a 64 KB token to 50 MB) harmless.
pub const DEFAULT_MAX_DECOMPRESSED_SIZE: usize = 1 << 20;

/// When payloads are compressed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CompressionPolicy {
    /// Python's rule: compress when it saves at least 2 bytes.
    #[default]
    PythonRule,
    /// Never compress. Use it when a token mixes attacker-controlled and secret data: the
    /// compressed length can reveal the secret (CRIME/BREACH-style), even though the token
    /// is signed. Compressed tokens are still read.
    Never,
}

/// Scratch buffers larger than this are freed after use rather than kept per thread.
const SCRATCH_KEEP: usize = 64 * 1024;

thread_local! {
    /// Scratch buffers for the JSON text and its compressed form, reused across calls.
    static SCRATCH: RefCell<[Vec<u8>; 2]> = const { RefCell::new([Vec::new(), Vec::new()]) };
    /// Scratch buffers for a verified payload's base64-decoded and inflated bytes.
    static DECODE_SCRATCH: RefCell<[Vec<u8>; 2]> = const { RefCell::new([Vec::new(), Vec::new()]) };
}

/// The URL-safe payload codec (Python's `URLSafeSerializerMixin`) around an inner codec
/// (compact JSON by default, Flask's tagged JSON for sessions).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlSafeCodec<C = JsonCodec> {
    inner: C,
    max_decompressed_size: usize,
    compression: CompressionPolicy,
}

impl Default for UrlSafeCodec<JsonCodec> {
    fn default() -> Self {
        Self::new(JsonCodec::COMPACT)
    }
}

impl<C: PayloadCodec> UrlSafeCodec<C> {
    /// Wraps `inner` with Python's compression rule and the default decompression bound.
    #[must_use]
    pub const fn new(inner: C) -> Self {
        Self {
            inner,
            max_decompressed_size: DEFAULT_MAX_DECOMPRESSED_SIZE,
            compression: CompressionPolicy::PythonRule,
        }
    }

    /// Sets the largest decompressed payload accepted (default
    /// [`DEFAULT_MAX_DECOMPRESSED_SIZE`]).
    #[must_use]
    pub const fn max_decompressed_size(mut self, bytes: usize) -> Self {
        self.max_decompressed_size = bytes;
        self
    }

    /// Sets the compression policy.
    #[must_use]
    pub const fn compression(mut self, policy: CompressionPolicy) -> Self {
        self.compression = policy;
        self
    }

    /// The inner codec.
    pub const fn inner(&self) -> &C {
        &self.inner
    }

    /// The decompression bound.
    pub const fn decompression_limit(&self) -> usize {
        self.max_decompressed_size
    }

    /// Undoes base64 and zlib: the inner codec's bytes of a payload. Call it only on a
    /// payload whose signature was verified.
    ///
    /// # Errors
    /// `BadPayload` for invalid base64 or zlib, or output beyond the bound.
    pub fn unwrap_payload(&self, payload: &[u8]) -> Result<Vec<u8>, Error> {
        decode_url_safe_payload(payload, self.max_decompressed_size)
    }
}

/// Decodes a URL-safe payload (`.`-marked zlib or plain) to the bytes inside it, inflating at
/// most `limit` bytes. Keyless: public only as [`crate::dangerous::decode_payload`].
pub(crate) fn decode_url_safe_payload(payload: &[u8], limit: usize) -> Result<Vec<u8>, Error> {
    let (compressed, encoded) = split_marker(payload);
    if !compressed {
        return base64_decode(encoded).map_err(base64_payload_error);
    }
    // The zlib stream only lives until it is inflated: it goes to this thread's scratch
    // buffer (wiped after use) rather than a fresh allocation per token.
    let mut out = Vec::new();
    with_scratch(&DECODE_SCRATCH, SCRATCH_KEEP, |[raw, _]| {
        decode_base64_into(encoded, raw)?;
        inflate_payload(raw, limit, &mut out)
    })?;
    Ok(out)
}

/// The `BadPayload` for a payload whose base64 did not decode.
fn base64_payload_error(source: Error) -> Error {
    Error::bad_payload("could not base64 decode the payload", source)
}

/// Base64-decodes `encoded` into `raw` (resized to fit, then truncated to the output).
fn decode_base64_into(encoded: &[u8], raw: &mut Vec<u8>) -> Result<(), Error> {
    // Canonical unpadded base64 of n bytes is ceil(4n / 3) characters.
    raw.resize(encoded.len() / 4 * 3 + 2, 0);
    let decoded = base64_decode_into(encoded, raw).map_err(base64_payload_error)?;
    raw.truncate(decoded);
    Ok(())
}

/// Whether a payload is `.`-marked (compressed), and its base64 text.
fn split_marker(payload: &[u8]) -> (bool, &[u8]) {
    match payload.split_first() {
        Some((b'.', rest)) => (true, rest),
        _ => (false, payload),
    }
}

fn inflate_payload(data: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), Error> {
    inflate_bounded(data, limit, out).map_err(|e| match e {
        InflateError::TooLarge { .. } => Error::new(ErrorKind::BadPayload, e.to_string()),
        _ => Error::bad_payload("could not zlib decompress the payload", e),
    })
}

/// [`decode_url_safe_payload`] into this thread's scratch buffers, handing the bytes to
/// `read`: no allocation per token for the base64 and zlib output. The buffers are wiped
/// after use and not kept past [`SCRATCH_KEEP`], like the encoding scratch.
fn with_decoded<R>(
    payload: &[u8],
    limit: usize,
    read: impl FnOnce(&[u8]) -> Result<R, Error>,
) -> Result<R, Error> {
    with_scratch(&DECODE_SCRATCH, SCRATCH_KEEP, |[raw, inflated]| {
        let compressed = decode_into(payload, limit, raw, inflated)?;
        read(if compressed { inflated } else { raw })
    })
}

/// Base64-decodes `payload` into `raw` and, when it is `.`-marked, inflates that into
/// `inflated` (at most `limit` bytes); returns whether it was compressed.
fn decode_into(
    payload: &[u8],
    limit: usize,
    raw: &mut Vec<u8>,
    inflated: &mut Vec<u8>,
) -> Result<bool, Error> {
    let (compressed, encoded) = split_marker(payload);
    decode_base64_into(encoded, raw)?;
    if compressed {
        inflate_payload(raw, limit, inflated)?;
    }
    Ok(compressed)
}

impl<C: PayloadCodec> PayloadCodec for UrlSafeCodec<C> {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        with_scratch(&SCRATCH, SCRATCH_KEEP, |[text, packed]| {
            self.inner.encode(value, text)?;
            let use_compressed = self.compression == CompressionPolicy::PythonRule
                && compress_if_shorter(text, packed);
            if use_compressed {
                out.push(b'.');
                base64_encode_into(packed, out);
            } else {
                base64_encode_into(text, out);
            }
            Ok(())
        })
    }

    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        with_decoded(payload, self.max_decompressed_size, |bytes| {
            self.inner.decode(bytes)
        })
    }

    /// Checks the base64 length before decoding it, inflates at most the smaller of the
    /// keyless payload limit and this codec's bound, and lets the inner codec check and
    /// decode the result.
    fn decode_unverified<T: DeserializeOwned>(
        &self,
        payload: &[u8],
        limits: &KeylessLimits,
    ) -> Result<T, Error> {
        let bytes = decode_unverified_payload(payload, self.max_decompressed_size, limits)?;
        self.inner.decode_unverified(&bytes, limits)
    }

    /// The inner codec's: base64 and zlib do not change how the format signs.
    fn signer_defaults(&self) -> SignerBuilder {
        self.inner.signer_defaults()
    }

    /// The inner codec's.
    fn fixed_signer_options(&self, config: SignerBuilder) -> SignerBuilder {
        self.inner.fixed_signer_options(config)
    }

    /// The inner codec's.
    fn use_clock(&mut self, clock: &Arc<dyn Clock>) {
        self.inner.use_clock(clock);
    }
}

/// [`decode_url_safe_payload`] for a payload nobody verified: the base64 is length-checked
/// before it is decoded, and at most `min(limit, limits.payload_len_limit())` bytes are
/// inflated. The result is not yet checked as JSON.
///
/// # Errors
/// `BadPayload` for invalid base64 or zlib, or beyond either bound.
pub(crate) fn decode_unverified_payload(
    payload: &[u8],
    limit: usize,
    limits: &KeylessLimits,
) -> Result<Vec<u8>, Error> {
    limits.check_encoded(payload)?;
    decode_url_safe_payload(payload, limit.min(limits.payload_len_limit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sign_core::encoding::base64_encode;

    #[test]
    fn scratch_decoding_agrees_with_the_allocating_path_at_every_length() {
        let codec = UrlSafeCodec::default();
        for n in 0..300usize {
            let text: Vec<u8> = (0..n).map(|i| b'a' + (i * 7 % 26) as u8).collect();
            let value = String::from_utf8(text).unwrap();
            let mut payload = Vec::new();
            codec.encode(&value, &mut payload).unwrap();
            let plain = base64_encode(serde_json::to_vec(&value).unwrap());
            for token in [payload, plain.into_bytes()] {
                let decoded: String = codec.decode(&token).unwrap();
                assert_eq!(decoded, value, "{n}");
                assert_eq!(
                    decode_url_safe_payload(&token, 1 << 20).unwrap(),
                    serde_json::to_vec(&value).unwrap()
                );
            }
        }
    }

    /// The keyless decoder's compressed path decodes its base64 into the thread's scratch:
    /// its errors keep their messages and source chains, and it still works while the
    /// scratch is taken (a nested call gets fresh buffers).
    #[test]
    fn keyless_compressed_decoding_keeps_its_errors_and_nests() {
        use std::error::Error as _;
        let err = decode_url_safe_payload(b".!!!!", 1 << 20).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadPayload);
        assert_eq!(err.to_string(), "could not base64 decode the payload");
        let inner = err.source().unwrap();
        assert_eq!(inner.to_string(), "invalid base64-encoded data");
        assert!(inner.source().is_some());
        let err = decode_url_safe_payload(b".AAAA", 1 << 20).unwrap_err();
        assert_eq!(err.to_string(), "could not zlib decompress the payload");
        let mut token = Vec::new();
        UrlSafeCodec::default()
            .encode(&"x".repeat(100), &mut token)
            .unwrap();
        let nested = with_decoded(&token, 1 << 20, |outer| {
            Ok((outer.to_vec(), decode_url_safe_payload(&token, 1 << 20)?))
        })
        .unwrap();
        assert_eq!(nested.0, nested.1);
        assert_eq!(nested.1, serde_json::to_vec(&"x".repeat(100)).unwrap());
    }

    #[test]
    fn scratch_decoding_rejects_what_the_allocating_path_rejects() {
        let codec = UrlSafeCodec::default().max_decompressed_size(10);
        let mut long = Vec::new();
        UrlSafeCodec::default()
            .encode(&"x".repeat(100), &mut long)
            .unwrap();
        assert!(long.starts_with(b"."));
        for bad in [&b"!!!!"[..], b"A", b".", b".AAAA", b"eyJ", &long] {
            let err = codec.decode::<serde_json::Value>(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::BadPayload, "{bad:?}");
            assert!(decode_url_safe_payload(bad, 10).is_err(), "{bad:?}");
        }
    }
}
