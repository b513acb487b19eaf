//! Standard, padded base64 around an inner codec: the payload of Starlette's session cookie.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;
use sign_serde::{JsonCodec, PayloadCodec};

/// The largest payload decoded, in base64 bytes: far above any cookie (browsers keep 4 KiB),
/// so that decoding allocates a bounded amount whatever a caller passes in.
pub const MAX_PAYLOAD_LEN: usize = 1 << 20;

/// `base64.b64encode(inner)` for writing; strict, canonical standard base64 (with `+`, `/`
/// and `=` padding) for reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StandardBase64Codec<C = JsonCodec> {
    inner: C,
}

impl Default for StandardBase64Codec<JsonCodec> {
    /// Python's `json.dumps` defaults inside (what Starlette writes).
    fn default() -> Self {
        Self::new(JsonCodec::PYTHON)
    }
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
        let mut text = Vec::new();
        self.inner.encode(value, &mut text)?;
        let start = out.len();
        out.resize(
            start + base64::encoded_len(text.len(), true).unwrap_or(0),
            0,
        );
        let written = STANDARD
            .encode_slice(&text, out.get_mut(start..).unwrap_or_default())
            .map_err(|e| Error::bad_payload("could not base64 encode the payload", e))?;
        out.truncate(start + written);
        Ok(())
    }

    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        if payload.len() > MAX_PAYLOAD_LEN {
            return Err(Error::new(
                sign_core::ErrorKind::BadPayload,
                "the payload is too large",
            ));
        }
        let bytes = STANDARD
            .decode(payload)
            .map_err(|e| Error::bad_payload("could not base64 decode the payload", e))?;
        self.inner.decode(&bytes)
    }
}
