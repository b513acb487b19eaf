//! Flask's `TaggedJSONSerializer` as a [`PayloadCodec`].

use python_json::{self as json, Dialect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;
use sign_serde::PayloadCodec;

use crate::de::from_session_value;
use crate::ser::to_session_value;
use crate::value::SessionValue;

/// Flask's session JSON: the value is tagged ([`SessionValue`]) and written compact, with
/// keys sorted and non-ASCII escaped ([`Dialect::FLASK`]), as Flask writes it inside an app
/// context; loading untags it.
///
/// Wrap it in [`sign_url::UrlSafeCodec`] for the cookie payload ([`SessionCodec`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaggedJsonCodec;

impl TaggedJsonCodec {
    /// The tagged JSON text Flask signs for `value` (Python's
    /// `session_json_serializer.dumps(value)` inside an app context).
    ///
    /// # Errors
    /// `BadPayload` when the value has no session form (see
    /// [`to_session_value`](crate::to_session_value)).
    pub fn to_vec<T: Serialize + ?Sized>(&self, value: &T) -> Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        self.encode(value, &mut out)?;
        Ok(out)
    }

    /// Parses and untags tagged JSON text (Python's `session_json_serializer.loads`).
    ///
    /// # Errors
    /// `BadPayload` for invalid JSON, a tag Flask would reject, or a value that does not
    /// fit `T`.
    pub fn from_slice<T: DeserializeOwned>(&self, text: &[u8]) -> Result<T, Error> {
        self.decode(text)
    }
}

/// The cookie payload codec: tagged JSON inside Python's URL-safe wrapping (zlib when it
/// saves at least 2 bytes, base64url, bounded decompression).
pub type SessionCodec = sign_url::UrlSafeCodec<TaggedJsonCodec>;

impl PayloadCodec for TaggedJsonCodec {
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        let tagged = to_session_value(value)
            .map_err(|e| Error::bad_payload("could not tag the session value", e))?;
        json::write(&tagged, Dialect::FLASK, out)
            .map_err(|e| Error::bad_payload("could not serialize the payload", e))
    }

    /// Reads the session straight from the bytes, untagging as it reads (one tree: the
    /// session's own values), then hands it to `T`.
    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        let value: SessionValue = json::from_slice(payload)
            .map_err(|e| Error::bad_payload("could not load the payload", e))?;
        from_session_value(value).map_err(|e| Error::bad_payload("could not load the payload", e))
    }
}
