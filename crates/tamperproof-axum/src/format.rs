//! [`SessionFormat`]: what a framework's session cookie is, as one trait.

use std::collections::BTreeMap;
use std::fmt;
use std::time::SystemTime;

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;

use crate::cookie::CookieSettings;

/// The contents of a session: string keys, sorted, to the format's values.
pub type SessionMap<V> = BTreeMap<String, V>;

/// A session cookie format: how a framework signs its session dict into a cookie, and when
/// it writes the cookie back.
///
/// Flask is the first implementation ([`Flask`](crate::Flask)); each other framework
/// (Django's signed-cookie sessions, Starlette's `SessionMiddleware`) is one more
/// implementation with its own defaults. The layer does the mechanics (finding the cookie,
/// handing the session to the handler, appending `Set-Cookie` and `Vary`); the format
/// decides everything a framework decides.
pub trait SessionFormat: Send + Sync + fmt::Debug + 'static {
    /// One value of the session dict (Flask: a tagged-JSON [`SessionValue`](sign_flask::SessionValue)).
    type Value: Clone + fmt::Debug + PartialEq + Send + Sync + 'static;

    /// How Rust values become session values and back.
    type Values: SessionValues<Value = Self::Value>;

    /// The cookie's name and attributes.
    fn cookie(&self) -> &CookieSettings;

    /// Verifies a cookie value and decodes the session in it.
    ///
    /// # Errors
    /// The error of the signature check (bad signature, expired, malformed) or, for a
    /// validly signed cookie, of decoding (`BadPayload`).
    fn open(&self, cookie: &str) -> Result<Opened<Self::Value>, Error>;

    /// Signs `session` into a cookie value, now.
    ///
    /// # Errors
    /// When a value has no form in this format.
    fn save(&self, session: &SessionMap<Self::Value>) -> Result<String, Error>;

    /// Whether the cookie must be read at the end of a request whose handler never touched
    /// the session (Flask: to refresh permanent sessions under `SESSION_REFRESH_EACH_REQUEST`).
    fn reads_untouched_sessions(&self) -> bool;

    /// What to do with the cookie at the end of a request.
    fn decide(&self, request: &SessionChange<'_, Self::Value>) -> Decision;

    /// The `Set-Cookie` header value for a session cookie with `value`.
    fn set_cookie(&self, value: &str, expires: Option<SystemTime>) -> String;

    /// The `Set-Cookie` header value that removes the cookie.
    fn delete_cookie(&self) -> String;
}

/// How Rust values (`Serialize` / `Deserialize`) become one format's session values and
/// back; shared by the formats with the same value model (Django and Starlette: JSON).
pub trait SessionValues: 'static {
    /// One value of the session dict.
    type Value;

    /// One Rust value as a session value.
    ///
    /// # Errors
    /// When the value has no form in this format.
    fn encode_value<T: Serialize + ?Sized>(value: &T) -> Result<Self::Value, Error>;

    /// A session value as a Rust value.
    ///
    /// # Errors
    /// When the value does not fit `T`.
    fn decode_value<T: DeserializeOwned>(value: Self::Value) -> Result<T, Error>;

    /// A whole Rust struct (or map) as a session.
    ///
    /// # Errors
    /// When the value is not a map with string keys, or has no form in this format.
    fn encode_session<T: Serialize + ?Sized>(value: &T) -> Result<SessionMap<Self::Value>, Error>;

    /// A whole session as a Rust struct (or map).
    ///
    /// # Errors
    /// When the session does not fit `T`.
    fn decode_session<T: DeserializeOwned>(session: SessionMap<Self::Value>) -> Result<T, Error>;
}

/// A session read from a verified cookie.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Opened<V> {
    /// The session's contents.
    pub session: SessionMap<V>,
    /// True when a fallback (old) key verified the cookie, not the current one.
    pub signed_with_fallback: bool,
}

impl<V> Opened<V> {
    /// A session verified with the current key (`fallback = false`) or an old one.
    #[must_use]
    pub const fn new(session: SessionMap<V>, signed_with_fallback: bool) -> Self {
        Self {
            session,
            signed_with_fallback,
        }
    }
}

/// What happened to the session during one request: the input of [`SessionFormat::decide`].
#[derive(Debug)]
#[non_exhaustive]
pub struct SessionChange<'a, V> {
    /// The session as the handler left it.
    pub session: &'a SessionMap<V>,
    /// The handler read or wrote the session.
    pub accessed: bool,
    /// The handler changed the session, or it must be re-signed (a cookie signed with a
    /// fallback key, when re-issuing is on).
    pub modified: bool,
    /// The request carried a cookie of this name (valid or not).
    pub had_cookie: bool,
    /// The session opened from the cookie was not empty.
    pub was_non_empty: bool,
    /// The request's cookie was rejected (expired, bad signature, bad payload).
    pub rejected: bool,
}

/// The outcome of [`SessionFormat::decide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decision {
    /// What to do with the cookie.
    pub action: CookieAction,
    /// Add `Vary: Cookie` to the response.
    pub vary_cookie: bool,
}

/// What to do with the session cookie at the end of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CookieAction {
    /// Send no `Set-Cookie`.
    Keep,
    /// Sign the session and set the cookie, expiring at the given time (or at the end of
    /// the browser session).
    Write {
        /// The `Expires` attribute.
        expires: Option<SystemTime>,
    },
    /// Remove the cookie from the browser.
    Delete,
}
