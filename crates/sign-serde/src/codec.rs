//! Payload codecs: how a value becomes the bytes that get signed, and back.

use std::fmt;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;

use crate::json::{self, Dialect};

/// Turns values into payload bytes and verified payload bytes back into values.
///
/// Implement it to sign another format; [`JsonCodec`] is Python's `json` module.
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
}

/// JSON exactly as one of Python's `json.dumps` configurations writes it.
///
/// The default is [`Dialect::PYTHON`] (the `json` module's defaults, used by `Serializer`).
/// Loading uses serde_json: integers of any size are kept exactly, object key order is kept,
/// and `NaN`/`Infinity` (which Python writes but JSON lacks) are rejected both ways.
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

/// Parses verified JSON payload bytes.
///
/// # Errors
/// `BadPayload` with the serde_json error attached.
pub fn decode_json<T: DeserializeOwned>(payload: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(payload).map_err(|e| Error::bad_payload("could not load the payload", e))
}
