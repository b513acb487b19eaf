//! [`Starlette`]: Starlette's (and FastAPI's) `SessionMiddleware` cookie as a
//! [`SessionFormat`], configured with the middleware's argument names
//! ([`StarletteConfig`]).
//!
//! This module is the only one that calls sign-starlette.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use python_json::Value;
use sign_core::Clock;
use sign_core::{ConfigError, Error};
use sign_starlette::{StarletteSessions, session_builder};

use crate::clock::SharedClock;
use crate::cookie::{CookieSettings, SameSite, SessionConfigError};
use crate::format::{CookieAction, Decision, Opened, SessionChange, SessionFormat, SessionMap};
use crate::json::{self, JsonValues};
use crate::keys::Keys;
use crate::layer::SessionLayer;
use crate::rotation::Rotation;

/// Starlette's default `max_age`: 14 days.
pub const DEFAULT_STARLETTE_MAX_AGE: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// Starlette's `SessionMiddleware` cookie as a [`SessionFormat`]; built by
/// [`StarletteConfig`].
///
/// What it does at the end of a request (read from Starlette 1.10.0): a modified, non-empty
/// session is signed again with `Max-Age` = `max_age`; a session emptied after a non-empty
/// cookie deletes the cookie (`null`, `expires` at the epoch); `Vary: Cookie` whenever the
/// handler used the session.
#[derive(Debug)]
pub struct Starlette {
    sessions: Rotation<StarletteSessions>,
    cookie: CookieSettings,
    max_age: Option<Duration>,
}

/// `SessionMiddleware`'s arguments, by their names. Defaults are Starlette's:
/// `session_cookie="session"`, `max_age=14 days`, `path="/"`, `same_site="lax"`,
/// `https_only=False`, `domain=None`.
#[derive(Debug)]
#[must_use]
pub struct StarletteConfig {
    keys: Keys,
    session_cookie: String,
    max_age: Option<Duration>,
    path: String,
    same_site: SameSite,
    https_only: bool,
    domain: Option<String>,
    clock: Option<SharedClock>,
}

impl Default for StarletteConfig {
    fn default() -> Self {
        Self {
            keys: Keys::default(),
            session_cookie: "session".to_owned(),
            max_age: Some(DEFAULT_STARLETTE_MAX_AGE),
            path: "/".to_owned(),
            same_site: SameSite::Lax,
            https_only: false,
            domain: None,
            clock: None,
        }
    }
}

impl StarletteConfig {
    /// Starlette's defaults, without a key.
    pub fn new() -> Self {
        Self::default()
    }

    /// `secret_key`.
    pub fn secret_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.keys.set_current(key.as_ref());
        self
    }

    /// Old keys that still verify (an extension: Starlette has one key). Cookies they signed
    /// are re-signed with `secret_key`.
    pub fn fallback_secret_keys<K: AsRef<[u8]>>(
        mut self,
        keys: impl IntoIterator<Item = K>,
    ) -> Self {
        self.keys.add_fallbacks(keys);
        self
    }

    /// `session_cookie` (default `session`).
    pub fn session_cookie(mut self, name: impl Into<String>) -> Self {
        self.session_cookie = name.into();
        self
    }

    /// `max_age` (default 14 days; `None`: no age limit and a browser-session cookie).
    pub const fn max_age(mut self, max_age: Option<Duration>) -> Self {
        self.max_age = max_age;
        self
    }

    /// `path` (default `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// `same_site` (default `lax`).
    pub const fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    /// `https_only` (default false): the `secure` attribute.
    pub const fn https_only(mut self, https_only: bool) -> Self {
        self.https_only = https_only;
        self
    }

    /// `domain` (default none).
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// The clock for signing times and ages (default: the system clock).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(SharedClock::new(clock));
        self
    }

    /// Builds the format.
    ///
    /// # Errors
    /// Without a `secret_key`, for an empty one, or for cookie settings that cannot be sent
    /// safely.
    pub fn build(mut self) -> Result<Starlette, SessionConfigError> {
        let mut cookie = CookieSettings::new(self.session_cookie.clone())?;
        cookie.set_domain(self.domain.as_deref())?;
        cookie.set_path(&self.path)?;
        cookie.set_secure(self.https_only);
        cookie.set_same_site(Some(self.same_site));
        let clock = SharedClock::or_system(self.clock.take());
        let max_age = self.max_age.map(|age| Duration::from_secs(age.as_secs()));
        let store = |keys: &[&[u8]]| -> Result<StarletteSessions, ConfigError> {
            let builder = session_builder().keys(keys.iter().copied());
            let builder = match max_age {
                Some(age) => builder.max_age(age),
                None => builder.no_max_age(),
            };
            let serializer = builder.clock(clock.clone()).build()?;
            Ok(StarletteSessions::from_serializer(serializer))
        };
        let sessions = self.keys.rotation(store)?;
        Ok(Starlette {
            sessions,
            cookie,
            max_age,
        })
    }

    /// Builds the format and its layer.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn layer(self) -> Result<SessionLayer<Starlette>, SessionConfigError> {
        self.build().map(SessionLayer::new)
    }
}

impl Starlette {
    /// Starts a [`StarletteConfig`].
    pub fn config() -> StarletteConfig {
        StarletteConfig::new()
    }

    /// `name=value; path=...; [Max-Age=...; | expires=...; ]httponly; samesite=...[; secure][; domain=...]`,
    /// as the middleware writes it.
    fn header(&self, value: &str, max_age: Option<u64>, expires: Option<&str>) -> String {
        let cookie = &self.cookie;
        let mut out = String::with_capacity(value.len() + 96);
        // Writing into a String cannot fail.
        let _ = write!(out, "{}={value}; path={}", cookie.name(), cookie.path());
        if let Some(max_age) = max_age {
            let _ = write!(out, "; Max-Age={max_age}");
        }
        if let Some(expires) = expires {
            let _ = write!(out, "; expires={expires}");
        }
        out.push_str("; httponly");
        if let Some(same_site) = cookie.same_site() {
            let _ = write!(
                out,
                "; samesite={}",
                same_site.as_str().to_ascii_lowercase()
            );
        }
        if cookie.secure() {
            out.push_str("; secure");
        }
        if let Some(domain) = cookie.domain() {
            let _ = write!(out, "; domain={domain}");
        }
        out
    }
}

impl SessionFormat for Starlette {
    type Value = Value;
    type Values = JsonValues;

    fn cookie(&self) -> &CookieSettings {
        &self.cookie
    }

    fn open(&self, cookie: &str) -> Result<Opened<Value>, Error> {
        let (object, fallback) = self.sessions.open(|sessions| sessions.loads(cookie))?;
        Ok(Opened::new(json::from_object(object), fallback))
    }

    fn save(&self, session: &SessionMap<Value>) -> Result<String, Error> {
        self.sessions.current().dumps(&json::to_object(session))
    }

    fn reads_untouched_sessions(&self) -> bool {
        false
    }

    fn decide(&self, change: &SessionChange<'_, Value>) -> Decision {
        let action = if !change.session.is_empty() {
            if change.modified {
                CookieAction::Write { expires: None }
            } else {
                CookieAction::Keep
            }
        } else if change.was_non_empty {
            CookieAction::Delete
        } else {
            CookieAction::Keep
        };
        Decision {
            action,
            vary_cookie: change.accessed,
        }
    }

    fn set_cookie(&self, value: &str, _expires: Option<SystemTime>) -> String {
        self.header(value, self.max_age.map(|age| age.as_secs()), None)
    }

    fn delete_cookie(&self) -> String {
        self.header("null", None, Some("Thu, 01 Jan 1970 00:00:00 GMT"))
    }
}
