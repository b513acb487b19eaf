//! Payload codecs: how a value becomes the bytes that get signed, and back.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{Clock, Error, Signer, SignerBuilder};

use python_json::{self as json, Dialect};

use crate::keyless::KeylessLimits;

/// Python's default salt for serializers (the salt [`PayloadCodec::signer_defaults`] starts
/// from).
pub const DEFAULT_SALT: &[u8] = b"itsdangerous";

/// Turns values into payload bytes and verified payload bytes back into values.
///
/// Implement it to sign another format; [`JsonCodec`] is Python's `json` module. Three
/// provided methods let a format that is more than a payload shape (JWS: the header names
/// the HMAC algorithm) tie the signer to it; every other codec keeps their defaults.
pub trait PayloadCodec: Clone + fmt::Debug + Send + Sync + 'static {
    /// Appends the payload for `value` to `out`.
    ///
    /// # Errors
    /// `BadPayload` when the value cannot be represented.
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error>;

    /// Decodes a payload whose signature has been verified.
    ///
    /// # Errors
    /// `BadPayload` with the cause attached.
    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error>;

    /// Decodes the payload of a token whose signature did **not** verify, within `limits`
    /// (the keyless paths of [`crate::dangerous`]): [`decode`](Self::decode) without the
    /// checks that only mean something after verification (a JWS `alg` or expiry). The
    /// default checks the payload as JSON text ([`KeylessLimits::check_json`]) and then
    /// decodes it; a codec that wraps another (base64, zlib) or reads another format
    /// overrides it to check what it unwraps.
    ///
    /// # Errors
    /// `BadPayload` when a limit is exceeded or the payload does not decode; other kinds are
    /// returned to the caller.
    fn decode_unverified<T: DeserializeOwned>(
        &self,
        payload: &[u8],
        limits: &KeylessLimits,
    ) -> Result<T, Error> {
        limits.check_json(payload)?;
        self.decode(payload)
    }

    /// The signer options a builder for this codec starts from
    /// ([`SerializerBuilder::with_codec`](crate::SerializerBuilder::with_codec), and so
    /// `SignedSerializer::builder` and `new`). The default is itsdangerous' `Serializer`:
    /// salt `itsdangerous`, every other option the signer's default.
    #[must_use]
    fn signer_defaults(&self) -> SignerBuilder {
        Signer::builder().salt(DEFAULT_SALT)
    }

    /// The signer options the format fixes, applied to the builder's options whenever the
    /// engine builds its signers (when built, for a per-call salt, for
    /// [`with_signer_config`](crate::SignedSerializer::with_signer_config)), so that no
    /// setting can contradict the payload. The default changes nothing.
    #[must_use]
    fn fixed_signer_options(&self, config: SignerBuilder) -> SignerBuilder {
        config
    }

    /// Takes the engine's clock when the serializer is built, for a format whose payload
    /// carries times of its own (the timed JWS header's `iat` and `exp`). The default ignores
    /// it.
    fn use_clock(&mut self, clock: &Arc<dyn Clock>) {
        let _ = clock;
    }
}

/// JSON exactly as one of Python's `json.dumps` configurations writes it.
///
/// The default is [`Dialect::PYTHON`] (the `json` module's defaults, used by `Serializer`).
/// Loading reads straight into the target type ([`decode_json`]); decode into
/// [`python_json::Value`] to keep integers of any size and object key order exactly.
/// `NaN`/`Infinity` (which Python writes but JSON lacks) are rejected both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JsonCodec {
    dialect: Dialect,
}

impl JsonCodec {
    /// Python's `json.dumps` defaults: `", "`, `": "`, ASCII-only.
    pub const PYTHON: Self = Self::new(Dialect::PYTHON);
    /// itsdangerous' compact JSON: `","`, `":"`, UTF-8 kept (URL-safe serializers, JWS).
    pub const COMPACT: Self = Self::new(Dialect::COMPACT);

    /// A codec writing `dialect`.
    #[must_use]
    pub const fn new(dialect: Dialect) -> Self {
        Self { dialect }
    }

    /// The dialect written.
    #[must_use]
    pub const fn dialect(&self) -> Dialect {
        self.dialect
    }
}

impl Default for JsonCodec {
    fn default() -> Self {
        Self::PYTHON
    }
}

impl PayloadCodec for JsonCodec {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        json::write(value, self.dialect, out)
            .map_err(|e| Error::bad_payload("could not serialize the payload", e))
    }

    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        decode_json(payload)
    }
}

/// Parses verified JSON payload bytes straight into `T`, as Python's `json.loads` reads them
/// ([`python_json::from_slice`]: exact integers for [`python_json::Value`], Python's
/// 4300-digit limit, nesting up to [`python_json::MAX_DEPTH`]).
///
/// # Errors
/// `BadPayload` with the reader's error attached.
pub fn decode_json<T: DeserializeOwned>(payload: &[u8]) -> Result<T, Error> {
    python_json::from_slice(payload)
        .map_err(|e| Error::bad_payload("could not load the payload", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sign_core::ErrorKind;

    #[test]
    fn python_integer_digit_limit() {
        // Python 3.11 + itsdangerous 2.2: 4300 digits load, 4301 raise BadPayload; a sign does
        // not count; floats and strings are unlimited (a float out of f64 range is Python's
        // inf, refused here: deviation 8).
        let ok = [
            "1".repeat(4300),
            format!("-{}", "1".repeat(4300)),
            format!("{}.5e-4300", "1".repeat(4301)),
            format!("{}e-4290", "1".repeat(4301)),
            format!("\"{}\"", "1".repeat(5000)),
            format!("[1.{}]", "1".repeat(5000)),
        ];
        for text in ok {
            assert!(
                decode_json::<python_json::Value>(text.as_bytes()).is_ok(),
                "{}",
                text.len()
            );
        }
        for text in [
            "1".repeat(4301),
            format!("[{}]", "1".repeat(4301)),
            format!("{{\"a\": -{}}}", "9".repeat(4301)),
        ] {
            let err = decode_json::<python_json::Value>(text.as_bytes()).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::BadPayload);
        }
    }
}
