//! Session values as plain JSON, for the formats whose sessions are JSON objects (Django,
//! Starlette).

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sign_core::{Error, ErrorKind};

use crate::format::{SessionMap, SessionValues};

/// Session values as plain JSON ([`serde_json::Value`]): Django's and Starlette's model.
#[derive(Clone, Copy, Debug)]
pub struct JsonValues;

impl SessionValues for JsonValues {
    type Value = Value;

    fn encode_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
        serde_json::to_value(value).map_err(|e| Error::bad_payload("value has no JSON form", e))
    }

    fn decode_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
        serde_json::from_value(value)
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
pub(crate) fn to_object(session: &SessionMap<Value>) -> Map<String, Value> {
    session
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Our sorted map from the framework's JSON object.
pub(crate) fn from_object(object: Map<String, Value>) -> SessionMap<Value> {
    object.into_iter().collect()
}
