//! [`Flask`]: Flask 3.1's `SecureCookieSessionInterface` as a [`SessionFormat`], configured
//! with Flask's own config names ([`FlaskConfig`]).
//!
//! This module is the only one that builds sign-flask's `SessionSerializer`.

use std::time::{Duration, SystemTime};

use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::{ConfigError, Error, ErrorKind};
use sign_flask::{SessionSerializer, SessionValue, from_session_value, to_session_value};

use crate::clock::SharedClock;
use crate::config::{CommonConfig, config_setters};
use crate::cookie::{CookieSettings, SessionConfigError};
use crate::format::{
    CookieAction, Decision, Opened, SessionChange, SessionFormat, SessionMap, SessionValues,
};
use crate::layer::SessionLayer;
use crate::rotation::Rotation;

/// Flask's default `PERMANENT_SESSION_LIFETIME`: 31 days.
pub const DEFAULT_PERMANENT_SESSION_LIFETIME: Duration = Duration::from_secs(31 * 24 * 60 * 60);

/// The key under which Flask keeps `session.permanent`.
pub const PERMANENT_KEY: &str = "_permanent";

/// Flask's session cookies: the [`SessionFormat`] of Flask 3.1's
/// `SecureCookieSessionInterface`.
///
/// Built by [`FlaskConfig`]. What it does at the end of a request (read from Flask 3.1.3):
///
/// * an emptied session that was modified deletes the cookie (`Expires` at the epoch,
///   `Max-Age=0`); an empty, unmodified one sends nothing;
/// * a modified session is signed again; a permanent one (`session.permanent`, the
///   `_permanent` key) gets `Expires` = now + `PERMANENT_SESSION_LIFETIME`, and with
///   `SESSION_REFRESH_EACH_REQUEST` (default) is re-signed on every request, even one whose
///   handler never touched it;
/// * `Vary: Cookie` whenever the handler used the session or the cookie was refreshed.
#[derive(Debug)]
pub struct Flask {
    sessions: Rotation<SessionSerializer>,
    cookie: CookieSettings,
    lifetime: Duration,
    refresh_each_request: bool,
    clock: SharedClock,
}

/// Flask's configuration, by Flask's config names, building a [`Flask`] format or its
/// [`SessionLayer`]. Copy the values from the Flask app's config.
///
/// Defaults are Flask 3.1's: `SESSION_COOKIE_NAME = "session"`, no domain, path
/// `APPLICATION_ROOT` (`/`), `HttpOnly`, not `Secure`, no `SameSite`, not `Partitioned`,
/// `PERMANENT_SESSION_LIFETIME` 31 days, `SESSION_REFRESH_EACH_REQUEST = True`.
#[derive(Debug)]
#[must_use]
pub struct FlaskConfig {
    common: CommonConfig,
    salt: Option<Vec<u8>>,
    application_root: String,
    lifetime: Duration,
    refresh_each_request: bool,
}

impl Default for FlaskConfig {
    fn default() -> Self {
        Self {
            common: CommonConfig::new("session", None),
            salt: None,
            application_root: "/".to_owned(),
            lifetime: DEFAULT_PERMANENT_SESSION_LIFETIME,
            refresh_each_request: true,
        }
    }
}

config_setters!(FlaskConfig {
    /// `SECRET_KEY`: signs new cookies and verifies.
    secret_key: secret_key;
    /// `SECRET_KEY_FALLBACKS`: old keys that still verify; cookies they signed are re-signed
    /// with `SECRET_KEY` (see [`SessionLayer::reissue_fallback_cookies`]).
    secret_key_fallbacks: fallbacks;
    /// `SESSION_COOKIE_NAME` (default `session`).
    session_cookie_name: name;
    /// `SESSION_COOKIE_DOMAIN` (default none: the cookie is host-only).
    session_cookie_domain: domain;
    /// `SESSION_COOKIE_PATH` (default: `APPLICATION_ROOT`).
    session_cookie_path: path;
    /// `SESSION_COOKIE_HTTPONLY` (default true).
    session_cookie_httponly: flag http_only;
    /// `SESSION_COOKIE_SECURE` (default false).
    session_cookie_secure: flag secure;
    /// `SESSION_COOKIE_SAMESITE` (default none).
    session_cookie_samesite: same_site;
    /// `SESSION_COOKIE_PARTITIONED` (default false).
    session_cookie_partitioned: flag partitioned;
    /// The clock for signing times, ages and `Expires` (default: the system clock).
    clock: clock;
});

impl FlaskConfig {
    /// Flask's defaults, without a key.
    pub fn new() -> Self {
        Self::default()
    }

    /// `SecureCookieSessionInterface.salt` (default `cookie-session`), for apps that
    /// subclassed the interface.
    pub fn salt(mut self, salt: impl AsRef<[u8]>) -> Self {
        self.salt = Some(salt.as_ref().to_vec());
        self
    }

    /// `APPLICATION_ROOT` (default `/`): the path when `SESSION_COOKIE_PATH` is not set.
    pub fn application_root(mut self, root: impl Into<String>) -> Self {
        self.application_root = root.into();
        self
    }

    /// `PERMANENT_SESSION_LIFETIME` (default 31 days, to the second): the maximum age of
    /// every session cookie, and the `Expires` of permanent ones.
    pub const fn permanent_session_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// `SESSION_REFRESH_EACH_REQUEST` (default true): re-sign permanent sessions on every
    /// request.
    pub const fn session_refresh_each_request(mut self, refresh: bool) -> Self {
        self.refresh_each_request = refresh;
        self
    }

    /// Builds the format.
    ///
    /// # Errors
    /// [`SessionConfigError::Key`] without a `SECRET_KEY` (Flask then has no session), or for an
    /// empty key; [`SessionConfigError::Cookie`] for a name, domain or path that cannot be
    /// sent safely.
    pub fn build(mut self) -> Result<Flask, SessionConfigError> {
        let (cookie, clock) = self.common.build(&self.application_root)?;
        let lifetime = Duration::from_secs(self.lifetime.as_secs());
        let salt = self.salt.as_deref();
        let sessions = self
            .common
            .keys
            .rotation(|keys| serializer(keys, salt, lifetime, &clock))?;
        Ok(Flask {
            sessions,
            cookie,
            lifetime,
            refresh_each_request: self.refresh_each_request,
            clock,
        })
    }

    /// Builds the format and its layer (re-issuing fallback-signed cookies, no hook).
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn layer(self) -> Result<SessionLayer<Flask>, SessionConfigError> {
        self.build().map(SessionLayer::new)
    }
}

/// The one place that builds sign-flask serializers: `keys` oldest first, the last one is
/// `SECRET_KEY`.
fn serializer(
    keys: &[&[u8]],
    salt: Option<&[u8]>,
    lifetime: Duration,
    clock: &SharedClock,
) -> Result<SessionSerializer, ConfigError> {
    // Oldest first with SECRET_KEY last is the engine's key order; no key is NoSecretKey.
    let mut builder = sign_flask::session_builder()
        .keys(keys)
        .max_age(lifetime)
        .clock(clock.clone());
    if let Some(salt) = salt {
        builder = builder.salt(salt);
    }
    builder.build()
}

/// Python's truth value of a session value, for `session.permanent`.
fn truthy(value: &SessionValue) -> bool {
    match value {
        SessionValue::Null => false,
        SessionValue::Bool(b) => *b,
        SessionValue::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        SessionValue::String(s) => !s.is_empty(),
        SessionValue::List(items) | SessionValue::Tuple(items) => !items.is_empty(),
        SessionValue::Dict(map) => !map.is_empty(),
        SessionValue::Bytes(bytes) => !bytes.is_empty(),
        SessionValue::Markup(markup) => !markup.as_str().is_empty(),
        _ => true,
    }
}

/// The session in a verified value: Flask answers 500 for anything but a dict, including a
/// tagged value such as a tuple (`{" t": [...]}`), which is not read as a dict here either.
fn into_session(value: SessionValue) -> Result<SessionMap<SessionValue>, Error> {
    match value {
        SessionValue::Dict(map) => Ok(map),
        _ => Err(not_a_dict()),
    }
}

fn not_a_dict() -> Error {
    Error::new(
        ErrorKind::BadPayload,
        "a session must be a map with string keys",
    )
}

/// Flask's session values ([`SessionValue`], tagged JSON) from and to Rust values, through
/// sign-flask's `to_session_value` / `from_session_value`.
#[derive(Clone, Copy, Debug)]
pub struct FlaskValues;

impl SessionValues for FlaskValues {
    type Value = SessionValue;

    fn encode_value<T: Serialize + ?Sized>(value: &T) -> Result<SessionValue, Error> {
        to_session_value(value).map_err(|e| Error::bad_payload("value has no session form", e))
    }

    fn decode_value<T: DeserializeOwned>(value: SessionValue) -> Result<T, Error> {
        from_session_value(value).map_err(|e| Error::bad_payload("session value does not fit", e))
    }

    fn encode_session<T: Serialize + ?Sized>(value: &T) -> Result<SessionMap<SessionValue>, Error> {
        into_session(Self::encode_value(value)?)
    }

    fn decode_session<T: DeserializeOwned>(session: SessionMap<SessionValue>) -> Result<T, Error> {
        Self::decode_value(SessionValue::Dict(session))
    }
}

impl Flask {
    /// Starts a [`FlaskConfig`].
    pub fn config() -> FlaskConfig {
        FlaskConfig::new()
    }

    /// Whether `session` is permanent (`session.permanent`: a true `_permanent` key).
    #[must_use]
    pub fn is_permanent(session: &SessionMap<SessionValue>) -> bool {
        session.get(PERMANENT_KEY).is_some_and(truthy)
    }

    /// `PERMANENT_SESSION_LIFETIME`, to the second.
    #[must_use]
    pub const fn permanent_session_lifetime(&self) -> Duration {
        self.lifetime
    }
}

impl SessionFormat for Flask {
    type Value = SessionValue;
    type Values = FlaskValues;

    fn cookie(&self) -> &CookieSettings {
        &self.cookie
    }

    fn open(&self, cookie: &str) -> Result<Opened<SessionValue>, Error> {
        let (value, fallback) = self.sessions.open(|sessions| sessions.loads(cookie))?;
        Ok(Opened::new(into_session(value)?, fallback))
    }

    fn save(&self, session: &SessionMap<SessionValue>) -> Result<String, Error> {
        self.sessions.current().dumps(session)
    }

    fn reads_untouched_sessions(&self) -> bool {
        self.refresh_each_request
    }

    fn decide(&self, change: &SessionChange<'_, SessionValue>) -> Decision {
        if change.session.is_empty() {
            let action = if change.modified {
                CookieAction::Delete
            } else {
                CookieAction::Keep
            };
            return Decision {
                action,
                vary_cookie: change.accessed,
            };
        }
        let permanent = Self::is_permanent(change.session);
        let refresh = permanent && self.refresh_each_request;
        if change.modified || refresh {
            let expires = if permanent {
                self.clock.after(self.lifetime)
            } else {
                None
            };
            Decision {
                action: CookieAction::Write { expires },
                vary_cookie: true,
            }
        } else {
            Decision {
                action: CookieAction::Keep,
                vary_cookie: change.accessed,
            }
        }
    }

    fn set_cookie(&self, value: &str, expires: Option<SystemTime>) -> String {
        self.cookie.werkzeug_set_cookie(value, expires, None)
    }

    fn delete_cookie(&self) -> String {
        self.cookie.werkzeug_delete_cookie()
    }
}

impl crate::Session<Flask> {
    /// Flask's `session.permanent`.
    #[must_use]
    pub fn permanent(&self) -> bool {
        self.get_value(PERMANENT_KEY).is_some_and(|v| truthy(&v))
    }

    /// Sets Flask's `session.permanent` (the `_permanent` key): a permanent session's cookie
    /// gets `Expires` = now + `PERMANENT_SESSION_LIFETIME`.
    pub fn set_permanent(&self, permanent: bool) {
        self.insert_value(PERMANENT_KEY, SessionValue::Bool(permanent));
    }
}
