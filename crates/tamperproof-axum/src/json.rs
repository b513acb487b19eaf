//! Session values as plain JSON, for the formats whose sessions are JSON objects (Django,
//! Starlette).

use python_json::{Map, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{Error, ErrorKind};

use crate::format::{Opened, SessionMap, SessionValues};
use crate::rotation::Rotation;

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

/// The session stores of a format whose sessions are JSON objects (sign-django's
/// `DjangoSessions`, sign-starlette's `StarletteSessions`), by their `loads` and `dumps`.
#[derive(Debug)]
pub(crate) struct JsonSessions<S> {
    stores: Rotation<S>,
    loads: fn(&S, &str) -> Result<Map, Error>,
    dumps: fn(&S, &Map) -> Result<String, Error>,
}

impl<S> JsonSessions<S> {
    pub(crate) const fn new(
        stores: Rotation<S>,
        loads: fn(&S, &str) -> Result<Map, Error>,
        dumps: fn(&S, &Map) -> Result<String, Error>,
    ) -> Self {
        Self {
            stores,
            loads,
            dumps,
        }
    }

    /// [`SessionFormat::open`](crate::SessionFormat::open): the session in `cookie`, and
    /// whether a fallback key verified it.
    pub(crate) fn open(&self, cookie: &str) -> Result<Opened<Value>, Error> {
        let (object, fallback) = self.stores.open(|store| (self.loads)(store, cookie))?;
        Ok(Opened::new(from_object(object), fallback))
    }

    /// [`SessionFormat::save`](crate::SessionFormat::save): `session` signed with the
    /// current key.
    pub(crate) fn save(&self, session: &SessionMap<Value>) -> Result<String, Error> {
        (self.dumps)(self.stores.current(), &to_object(session))
    }
}

/// The items of [`SessionFormat`](crate::SessionFormat) that a format whose sessions are
/// JSON objects shares, for an `impl SessionFormat` of a type with the fields
/// `cookie: CookieSettings` and `sessions: JsonSessions<_>`: the values, the cookie, `open`
/// and `save`.
macro_rules! json_format_items {
    () => {
        type Value = python_json::Value;
        type Values = $crate::json::JsonValues;

        fn cookie(&self) -> &$crate::cookie::CookieSettings {
            &self.cookie
        }

        fn open(
            &self,
            cookie: &str,
        ) -> Result<$crate::format::Opened<python_json::Value>, sign_core::Error> {
            self.sessions.open(cookie)
        }

        fn save(
            &self,
            session: &$crate::format::SessionMap<python_json::Value>,
        ) -> Result<String, sign_core::Error> {
            self.sessions.save(session)
        }
    };
}

pub(crate) use json_format_items;

/// The framework's JSON object from our sorted map (the signature covers what we write).
fn to_object(session: &SessionMap<Value>) -> Map {
    session
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Our sorted map from the framework's JSON object.
fn from_object(object: Map) -> SessionMap<Value> {
    object.into_iter().collect()
}
