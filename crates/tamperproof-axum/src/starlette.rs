//! [`Starlette`]: Starlette's (and FastAPI's) `SessionMiddleware` cookie as a
//! [`SessionFormat`], configured with the middleware's argument names
//! ([`StarletteConfig`]).
//!
//! This module is the only one that calls sign-starlette.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use python_json::Value;
use sign_core::ConfigError;
use sign_starlette::{StarletteSessions, session_builder};

use crate::config::{CommonConfig, config_setters};
use crate::cookie::{CookieSettings, SameSite, SessionConfigError};
use crate::format::{CookieAction, Decision, SessionChange, SessionFormat};
use crate::json::{JsonSessions, json_format_items};
use crate::layer::SessionLayer;

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
    sessions: JsonSessions<StarletteSessions>,
    cookie: CookieSettings,
    max_age: Option<Duration>,
}

/// `SessionMiddleware`'s arguments, by their names. Defaults are Starlette's:
/// `session_cookie="session"`, `max_age=14 days`, `path="/"`, `same_site="lax"`,
/// `https_only=False`, `domain=None`.
#[derive(Debug)]
#[must_use]
pub struct StarletteConfig {
    common: CommonConfig,
    max_age: Option<Duration>,
}

impl Default for StarletteConfig {
    fn default() -> Self {
        Self {
            common: CommonConfig::new("session", Some(SameSite::Lax)),
            max_age: Some(DEFAULT_STARLETTE_MAX_AGE),
        }
    }
}

config_setters!(StarletteConfig {
    /// `secret_key`.
    secret_key: secret_key;
    /// Old keys that still verify (an extension: Starlette has one key). Cookies they signed
    /// are re-signed with `secret_key`.
    fallback_secret_keys: fallbacks;
    /// `session_cookie` (default `session`).
    session_cookie: name;
    /// `path` (default `/`).
    path: path;
    /// `same_site` (default `lax`).
    same_site: always_same_site;
    /// `https_only` (default false): the `secure` attribute.
    https_only: flag secure;
    /// `domain` (default none).
    domain: domain;
    /// The clock for signing times and ages (default: the system clock).
    clock: clock;
});

impl StarletteConfig {
    /// Starlette's defaults, without a key.
    pub fn new() -> Self {
        Self::default()
    }

    /// `max_age` (default 14 days; `None`: no age limit and a browser-session cookie).
    pub const fn max_age(mut self, max_age: Option<Duration>) -> Self {
        self.max_age = max_age;
        self
    }

    /// Builds the format.
    ///
    /// # Errors
    /// Without a `secret_key`, for an empty one, or for cookie settings that cannot be sent
    /// safely.
    pub fn build(mut self) -> Result<Starlette, SessionConfigError> {
        let (cookie, clock) = self.common.build("/")?;
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
        let stores = self.common.keys.rotation(store)?;
        Ok(Starlette {
            sessions: JsonSessions::new(stores, StarletteSessions::loads, StarletteSessions::dumps),
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
    json_format_items!();

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
