//! Session values as plain JSON, for the formats whose sessions are JSON objects (Django,
//! Starlette).

use python_json::{Map, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{Error, ErrorKind};

use crate::format::{SessionMap, SessionValues};

/// Session values as Python holds them ([`python_json::Value`]: key order kept, numbers
/// exact): Django's and Starlette's model.
#[derive(Clone, Copy, Debug)]
pub struct JsonValues;

impl SessionValues for JsonValues {
    type Value = Value;

    fn encode_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
        python_json::to_value(value).map_err(|e| Error::bad_payload("value has no JSON form", e))
    }

    fn decode_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
        // Through the JSON text: python_json reads straight into `T` from bytes.
        let text = python_json::to_vec(&value, python_json::Dialect::COMPACT)
            .map_err(|e| Error::bad_payload("session value has no JSON form", e))?;
        python_json::from_slice(&text)
            .map_err(|e| Error::bad_payload("session value does not fit", e))
    }

    fn encode_session<T: Serialize + ?Sized>(value: &T) -> Result<SessionMap<Value>, Error> {
        match Self::encode_value(value)? {
            Value::Object(map) => Ok(map.into_iter().collect()),
            _ => Err(Error::new(
                ErrorKind::BadPayload,
                "a session must be a map with string keys",
            )),
        }
    }

    fn decode_session<T: DeserializeOwned>(session: SessionMap<Value>) -> Result<T, Error> {
        Self::decode_value(Value::Object(session.into_iter().collect()))
    }
}

/// The framework's JSON object from our sorted map (the signature covers what we write).
pub(crate) fn to_object(session: &SessionMap<Value>) -> Map {
    session
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Our sorted map from the framework's JSON object.
pub(crate) fn from_object(object: Map) -> SessionMap<Value> {
    object.into_iter().collect()
}
