//! Flask's `TaggedJSONSerializer` as a [`PayloadCodec`].

use python_json::{self as json, Dialect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;
use sign_serde::PayloadCodec;

use crate::de::{DictEntries, from_session_value};
use crate::direct::write_direct;
use crate::ser::to_session_value;
use crate::value::Document;

/// Flask's session JSON: the value is tagged ([`SessionValue`](crate::SessionValue)) and written compact, with
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
    /// Writes the value straight to JSON when it needs no tag of its own (a session of
    /// session values, strings, numbers, lists and sorted dicts: see `direct`), and through
    /// its session tree otherwise; both write the same text.
    fn encode<T: Serialize + ?Sized>(&self, value: &T, out: &mut Vec<u8>) -> Result<(), Error> {
        if write_direct(value, out) {
            return Ok(());
        }
        let tagged = to_session_value(value)
            .map_err(|e| Error::bad_payload("could not tag the session value", e))?;
        json::write(&tagged, Dialect::FLASK, out)
            .map_err(|e| Error::bad_payload("could not serialize the payload", e))
    }

    /// Reads the session straight from the bytes, untagging as it reads (one tree: the
    /// session's own values), then hands it to `T`; a dict (a session) goes to `T` as its
    /// entries, so that a map target is the only map built.
    fn decode<T: DeserializeOwned>(&self, payload: &[u8]) -> Result<T, Error> {
        let bad = |e| Error::bad_payload("could not load the payload", e);
        let is_object = payload
            .iter()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            == Some(&b'{');
        let document = if is_object {
            json::from_slice(payload)
        } else {
            json::from_slice(payload).map(Document::Value)
        }
        .map_err(|e| Error::bad_payload("could not load the payload", e))?;
        match document {
            Document::Dict(entries) => T::deserialize(DictEntries(entries)),
            Document::Value(value) => from_session_value(value),
        }
        .map_err(bad)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use serde::Deserialize;

    use super::*;
    use crate::value::Session;

    /// What decoding was before a dict went to its target as entries: the whole session
    /// value, then the target read from it.
    fn through_the_value<T: DeserializeOwned>(payload: &[u8]) -> Result<T, String> {
        let value: crate::SessionValue = json::from_slice(payload).map_err(|e| e.to_string())?;
        from_session_value(value).map_err(|e| e.to_string())
    }

    fn decoded<T: DeserializeOwned>(payload: &[u8]) -> Result<T, String> {
        TaggedJsonCodec.decode(payload).map_err(|e| {
            std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string)
        })
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Login {
        _fresh: bool,
        #[serde(rename = "_user_id")]
        user: String,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Kind {
        A,
        B(u32),
    }

    fn same_for<T: DeserializeOwned + PartialEq + std::fmt::Debug>(payload: &[u8]) {
        assert_eq!(
            decoded::<T>(payload),
            through_the_value::<T>(payload),
            "{} {}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(payload)
        );
    }

    #[test]
    fn a_dict_read_as_entries_reads_as_the_dict_would() {
        let payloads: [&[u8]; 16] = [
            br#"{"_fresh":true,"_user_id":"42"}"#,
            br#" {"b":1,"a":2,"b":3,"_fresh":false,"_user_id":"7"}"#,
            br#"{"_fresh":true,"_user_id":"42","_fresh":false}"#,
            br#"{}"#,
            br#"{"a":{" t":[1,2]},"c":{" di":{" t__":5}},"n":123456789012345678901234567890}"#,
            br#"{" t":[1,2]}"#,
            br#"{" di":{" t__":5}}"#,
            br#"{"A":null}"#,
            br#"{"B":5}"#,
            br#"{"A":null,"B":5}"#,
            br#""A""#,
            br#"[1,2]"#,
            br#"{"$serde_json::private::Number":"123456789012345678901234567890"}"#,
            br#"{"a":1,"a":{" b":"!!"}}"#,
            br#"{" t":1," t":[1]}"#,
            br#"{"B":1,"B":2}"#,
        ];
        for payload in payloads {
            same_for::<Session>(payload);
            same_for::<crate::SessionValue>(payload);
            same_for::<python_json::Value>(payload);
            same_for::<serde_json::Value>(payload);
            same_for::<Option<Session>>(payload);
            same_for::<HashMap<String, serde_json::Value>>(payload);
            same_for::<BTreeMap<String, i64>>(payload);
            same_for::<Login>(payload);
            same_for::<Kind>(payload);
            same_for::<Vec<serde_json::Value>>(payload);
            same_for::<String>(payload);
            same_for::<()>(payload);
        }
    }
}
