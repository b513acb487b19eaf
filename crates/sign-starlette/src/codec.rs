//! Standard, padded base64 around an inner codec: the payload of Starlette's session cookie.
//!
//! Both directions avoid a buffer per call: the inner codec writes into the output buffer,
//! whose base64 form is written after it and moved down over it; decoding goes into a
//! per-thread scratch buffer that the inner codec reads from.

use std::cell::RefCell;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::encoding::{base64_standard_decode_into, base64_standard_encode_into};
use sign_core::{Error, ErrorKind, Signer, SignerBuilder};
use sign_serde::{JsonCodec, PayloadCodec, with_scratch};

/// The salt of itsdangerous' `TimestampSigner`, which Starlette builds with no salt.
pub const SIGNER_SALT: &str = "itsdangerous.Signer";

/// The largest payload decoded, in base64 bytes: far above any cookie (browsers keep 4 KiB),
/// so that decoding allocates a bounded amount whatever a caller passes in.
pub const MAX_PAYLOAD_LEN: usize = 1 << 20;

/// A scratch buffer that grew beyond this (a payload far above a cookie's size) is freed
/// after use rather than kept per thread.
const SCRATCH_KEEP: usize = 16 * 1024;

thread_local! {
    /// The decoded bytes of the payload being loaded, reused across calls.
    static DECODED: RefCell<[Vec<u8>; 1]> = const { RefCell::new([Vec::new()]) };
}

/// `base64.b64encode(inner)` for writing; strict, canonical standard base64 (with `+`, `/`
/// and `=` padding) for reading.
///
/// It is Starlette's format, so its signer defaults are Starlette's: a builder started from
/// it ([`SerializerBuilder::with_codec`](sign_serde::SerializerBuilder::with_codec)) signs
/// with salt [`SIGNER_SALT`], `django-concat`, HMAC-SHA1 and separator `.`. It has no
/// `Default`, so `StarletteSessionSerializer::new` / `::builder` (which would have no
/// `max_age`) do not exist: start from [`session_builder`](crate::session_builder).
///
/// ```compile_fail
/// // No way to get a Starlette serializer without Starlette's 14-day max age by accident.
/// let _ = sign_starlette::StarletteSessionSerializer::new("key");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardBase64Codec<C = JsonCodec> {
    inner: C,
}

impl StandardBase64Codec<JsonCodec> {
    /// Python's `json.dumps` defaults inside: what Starlette writes.
    pub const PYTHON_JSON: Self = Self::new(JsonCodec::PYTHON);
}

impl<C> StandardBase64Codec<C> {
    /// Wraps `inner`.
    #[must_use]
    pub const fn new(inner: C) -> Self {
        Self { inner }
    }
}

impl<C: PayloadCodec> PayloadCodec for StandardBase64Codec<C> {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        // out = [before][text] -> [before][text][base64] -> [before][base64]
        let start = out.len();
        self.inner.encode(value, out)?;
        let text_end = out.len();
        let encoded_len = base64::encoded_len(text_end - start, true)
            .ok_or_else(|| Error::new(ErrorKind::BadPayload, "the payload is too large"))?;
        out.resize(text_end + encoded_len, 0);
        let (head, tail) = out.split_at_mut(text_end);
        let written = base64_standard_encode_into(head.get(start..).unwrap_or_default(), tail)
            .ok_or_else(|| {
                Error::new(ErrorKind::BadPayload, "could not base64 encode the payload")
            })?;
        out.copy_within(text_end..text_end + written, start);
        out.truncate(start + written);
        Ok(())
    }

    /// Starlette's signer: itsdangerous' `TimestampSigner(secret_key)`, salt
    /// [`SIGNER_SALT`], every other option the signer's default.
    fn signer_defaults(&self) -> SignerBuilder {
        Signer::builder().salt(SIGNER_SALT)
    }

    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        if payload.len() > MAX_PAYLOAD_LEN {
            return Err(Error::new(
                ErrorKind::BadPayload,
                "the payload is too large",
            ));
        }
        // The session's bytes do not stay behind in the thread's buffer.
        with_scratch(&DECODED, SCRATCH_KEEP, |[buffer]| {
            buffer.resize(payload.len().div_ceil(4) * 3, 0);
            match base64_standard_decode_into(payload, buffer) {
                Ok(len) => self.inner.decode(buffer.get(..len).unwrap_or_default()),
                Err(e) => Err(Error::bad_payload("could not base64 decode the payload", e)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use python_json::{Value, json};

    #[test]
    fn encodes_after_what_the_buffer_holds() {
        // Python: base64.b64encode(json.dumps({"a": "\u00e9", "n": [1, 2]}).encode())
        let mut out = b"prefix.".to_vec();
        let value = json!({"a": "\u{e9}", "n": [1, 2]});
        StandardBase64Codec::PYTHON_JSON
            .encode(&value, &mut out)
            .unwrap();
        assert_eq!(out, b"prefix.eyJhIjogIlx1MDBlOSIsICJuIjogWzEsIDJdfQ==");
    }

    #[test]
    fn decodes_strict_padded_base64_only() {
        let codec = StandardBase64Codec::PYTHON_JSON;
        let value: Value = codec
            .decode(b"eyJhIjogIlx1MDBlOSIsICJuIjogWzEsIDJdfQ==")
            .unwrap();
        assert_eq!(value, json!({"a": "\u{e9}", "n": [1, 2]}));
        // Python's b64decode: "Incorrect padding", "Only base64 data is allowed" (validate),
        // b'{}' (non-zero trailing bits: deviation S1, refused here), "Excess data after
        // padding", "Leading padding not allowed".
        for bad in [&b"e30"[..], b"e3-=", b"e31=", b"e30=!", b"===="] {
            let error = codec.decode::<Value>(bad).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::BadPayload, "{bad:?}");
        }
        assert_eq!(codec.decode::<Value>(b"e30=").unwrap(), json!({}));
        let too_long = vec![b'A'; MAX_PAYLOAD_LEN + 4];
        assert!(codec.decode::<Value>(&too_long).is_err());
    }
}
