//! [`Django`]: Django 5.2's signed-cookie sessions
//! (`SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"`) as a
//! [`SessionFormat`], configured with Django's setting names ([`DjangoConfig`]).
//!
//! This module is the only one that calls sign-django.

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use python_json::Value;
use sign_core::ConfigError;
use sign_django::{DjangoSessions, session_builder};
use sign_flask::HttpDate;

use crate::clock::SharedClock;
use crate::config::{CommonConfig, config_setters};
use crate::cookie::{CookieSettings, SameSite, SessionConfigError};
use crate::format::{CookieAction, Decision, SessionChange, SessionFormat};
use crate::json::{JsonSessions, json_format_items};
use crate::layer::SessionLayer;

/// Django's default `SESSION_COOKIE_AGE`: two weeks.
pub const DEFAULT_SESSION_COOKIE_AGE: Duration = Duration::from_secs(1_209_600);

/// Django's signed-cookie sessions as a [`SessionFormat`]; built by [`DjangoConfig`].
///
/// What it does at the end of a request (read from Django 5.2.19): a modified, non-empty
/// session is signed again with `expires` and `Max-Age` = `SESSION_COOKIE_AGE` (neither with
/// `SESSION_EXPIRE_AT_BROWSER_CLOSE`); with `SESSION_SAVE_EVERY_REQUEST` on every request;
/// a cookie that was rejected (expired, forged, malformed) is replaced by a new, empty
/// session when the handler used the session; a session the handler emptied
/// ([`Session::clear`](crate::Session::clear), Django's `flush()`) deletes the cookie;
/// `Vary: Cookie` whenever the handler used the session.
#[derive(Debug)]
pub struct Django {
    sessions: JsonSessions<DjangoSessions>,
    cookie: CookieSettings,
    age: Duration,
    save_every_request: bool,
    expire_at_browser_close: bool,
    clock: SharedClock,
}

/// Django's settings, by their names, building a [`Django`] format or its
/// [`SessionLayer`]. Defaults are Django 5.2's: `SESSION_COOKIE_NAME = "sessionid"`,
/// `SESSION_COOKIE_AGE = 1209600`, path `/`, no domain, `SameSite=Lax`, `HttpOnly`, not
/// `Secure`, `SESSION_SAVE_EVERY_REQUEST = False`, `SESSION_EXPIRE_AT_BROWSER_CLOSE = False`.
#[derive(Debug)]
#[must_use]
pub struct DjangoConfig {
    common: CommonConfig,
    age: Duration,
    save_every_request: bool,
    expire_at_browser_close: bool,
}

impl Default for DjangoConfig {
    fn default() -> Self {
        Self {
            common: CommonConfig::new("sessionid", Some(SameSite::Lax)),
            age: DEFAULT_SESSION_COOKIE_AGE,
            save_every_request: false,
            expire_at_browser_close: false,
        }
    }
}

config_setters!(DjangoConfig {
    /// `SECRET_KEY`.
    secret_key: secret_key;
    /// `SECRET_KEY_FALLBACKS`.
    secret_key_fallbacks: fallbacks;
    /// `SESSION_COOKIE_NAME` (default `sessionid`).
    session_cookie_name: name;
    /// `SESSION_COOKIE_DOMAIN` (default none).
    session_cookie_domain: domain;
    /// `SESSION_COOKIE_PATH` (default `/`).
    session_cookie_path: path;
    /// `SESSION_COOKIE_SECURE` (default false).
    session_cookie_secure: flag secure;
    /// `SESSION_COOKIE_HTTPONLY` (default true).
    session_cookie_httponly: flag http_only;
    /// `SESSION_COOKIE_SAMESITE` (default `Lax`; Django's `False` is `None`).
    session_cookie_samesite: same_site;
    /// The clock for signing times, ages and `expires` (default: the system clock).
    clock: clock;
});

impl DjangoConfig {
    /// Django's defaults, without a key.
    pub fn new() -> Self {
        Self::default()
    }

    /// `SESSION_COOKIE_AGE` (default 1209600 seconds), to the second.
    pub const fn session_cookie_age(mut self, age: Duration) -> Self {
        self.age = age;
        self
    }

    /// `SESSION_SAVE_EVERY_REQUEST` (default false).
    pub const fn session_save_every_request(mut self, save: bool) -> Self {
        self.save_every_request = save;
        self
    }

    /// `SESSION_EXPIRE_AT_BROWSER_CLOSE` (default false).
    pub const fn session_expire_at_browser_close(mut self, at_close: bool) -> Self {
        self.expire_at_browser_close = at_close;
        self
    }

    /// Builds the format.
    ///
    /// # Errors
    /// Without a `SECRET_KEY`, for an empty one, or for cookie settings that cannot be sent
    /// safely.
    pub fn build(mut self) -> Result<Django, SessionConfigError> {
        let (cookie, clock) = self.common.build("/")?;
        let age = Duration::from_secs(self.age.as_secs());
        let store = |keys: &[&[u8]]| -> Result<DjangoSessions, ConfigError> {
            let serializer = session_builder()
                .keys(keys.iter().copied())
                .max_age(age)
                .clock(clock.clone())
                .build()?;
            DjangoSessions::from_serializer(serializer)
        };
        let stores = self.common.keys.rotation(store)?;
        Ok(Django {
            sessions: JsonSessions::new(stores, DjangoSessions::loads, DjangoSessions::dumps),
            cookie,
            age,
            save_every_request: self.save_every_request,
            expire_at_browser_close: self.expire_at_browser_close,
            clock,
        })
    }

    /// Builds the format and its layer.
    ///
    /// # Errors
    /// As [`build`](Self::build).
    pub fn layer(self) -> Result<SessionLayer<Django>, SessionConfigError> {
        self.build().map(SessionLayer::new)
    }
}

impl Django {
    /// Starts a [`DjangoConfig`].
    pub fn config() -> DjangoConfig {
        DjangoConfig::new()
    }
}

impl SessionFormat for Django {
    json_format_items!();

    fn reads_untouched_sessions(&self) -> bool {
        self.save_every_request
    }

    fn decide(&self, change: &SessionChange<'_, Value>) -> Decision {
        let vary_cookie = change.accessed;
        let expires = if self.expire_at_browser_close {
            None
        } else {
            self.clock.after(self.age)
        };
        let action = if change.session.is_empty() {
            if change.had_cookie && change.rejected && change.accessed {
                // Django starts a new, empty session for a cookie it cannot load, and saves
                // it: the browser gets a valid empty session in place of the bad cookie.
                CookieAction::Write { expires }
            } else if change.had_cookie && change.modified {
                CookieAction::Delete
            } else {
                CookieAction::Keep
            }
        } else if change.modified || self.save_every_request {
            CookieAction::Write { expires }
        } else {
            CookieAction::Keep
        };
        Decision {
            action,
            vary_cookie,
        }
    }

    fn set_cookie(&self, value: &str, expires: Option<SystemTime>) -> String {
        morsel(
            &self.cookie,
            value,
            expires,
            expires.map(|_| self.age.as_secs()),
            self.cookie.http_only(),
            self.cookie.secure(),
        )
    }

    fn delete_cookie(&self) -> String {
        // Django's deletion carries no HttpOnly, and Secure only where browsers demand it.
        let name = self.cookie.name();
        let secure = self.cookie.same_site() == Some(SameSite::None)
            || name.starts_with("__Secure-")
            || name.starts_with("__Host-");
        morsel(
            &self.cookie,
            "\"\"",
            Some(SystemTime::UNIX_EPOCH),
            Some(0),
            false,
            secure,
        )
    }
}

/// A `Set-Cookie` as Python's `http.cookies` writes it for Django: attributes sorted by name
/// (`Domain`, `expires`, `HttpOnly`, `Max-Age`, `Path`, `SameSite`, `Secure`).
fn morsel(
    cookie: &CookieSettings,
    value: &str,
    expires: Option<SystemTime>,
    max_age: Option<u64>,
    http_only: bool,
    secure: bool,
) -> String {
    let mut out = String::with_capacity(value.len() + 128);
    // Writing into a String cannot fail.
    let _ = write!(out, "{}={value}", cookie.name());
    if let Some(domain) = cookie.domain() {
        let _ = write!(out, "; Domain={domain}");
    }
    if let Some(expires) = expires.and_then(HttpDate::from_system_time) {
        let _ = write!(out, "; expires={expires}");
    }
    if http_only {
        out.push_str("; HttpOnly");
    }
    if let Some(max_age) = max_age {
        let _ = write!(out, "; Max-Age={max_age}");
    }
    let _ = write!(out, "; Path={}", cookie.path());
    if let Some(same_site) = cookie.same_site() {
        let _ = write!(out, "; SameSite={same_site}");
    }
    if secure {
        out.push_str("; Secure");
    }
    out
}
