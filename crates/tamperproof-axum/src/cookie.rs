//! The session cookie's attributes, reading it from `Cookie` and writing `Set-Cookie`.

use std::fmt::{self, Write as _};
use std::time::SystemTime;

use http::HeaderMap;
use http::header::COOKIE;
use sign_flask::HttpDate;

/// The `SameSite` attribute of the session cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SameSite {
    /// `SameSite=Strict`.
    Strict,
    /// `SameSite=Lax`.
    Lax,
    /// `SameSite=None` (browsers then require `Secure`).
    None,
}

impl SameSite {
    /// The attribute's value as written: `Strict`, `Lax` or `None`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Strict => "Strict",
            Self::Lax => "Lax",
            Self::None => "None",
        }
    }
}

impl fmt::Display for SameSite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A cookie setting that no browser could be given safely.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CookieConfigError {
    /// The cookie name is empty or has a character outside RFC 6265's token characters.
    #[error("invalid cookie name")]
    Name,
    /// The domain has a character outside letters, digits, `.` and `-`.
    #[error("invalid cookie domain")]
    Domain,
    /// The path does not start with `/` or has a character that would need quoting.
    #[error("invalid cookie path")]
    Path,
}

/// Why a format's config (`FlaskConfig`, ...) could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SessionConfigError {
    /// A key setting (`SECRET_KEY` missing or empty, ...).
    #[error(transparent)]
    Key(#[from] sign_core::ConfigError),
    /// A cookie attribute.
    #[error(transparent)]
    Cookie(#[from] CookieConfigError),
}

/// The attributes of the session cookie, shared by every format.
///
/// Each format fills them with its framework's defaults (Flask's `SESSION_COOKIE_*`, ...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieSettings {
    name: String,
    domain: Option<String>,
    path: String,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
}

impl CookieSettings {
    /// A cookie called `name` on path `/`, `HttpOnly`, without the other attributes.
    ///
    /// # Errors
    /// [`CookieConfigError::Name`] for a name that is not an RFC 6265 token.
    pub fn new(name: impl Into<String>) -> Result<Self, CookieConfigError> {
        let name = name.into();
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            return Err(CookieConfigError::Name);
        }
        Ok(Self {
            name,
            domain: None,
            path: "/".to_owned(),
            secure: false,
            http_only: true,
            same_site: None,
            partitioned: false,
        })
    }

    /// Sets the `Domain` attribute. As Flask, a leading `.` and a `:port` are dropped.
    ///
    /// # Errors
    /// [`CookieConfigError::Domain`] for characters other than letters, digits, `.` and `-`
    /// (Flask would send them; see docs/compatibility.md).
    pub fn set_domain(&mut self, domain: Option<&str>) -> Result<(), CookieConfigError> {
        self.domain = match domain {
            None => None,
            Some(domain) => {
                let host = domain.split(':').next().unwrap_or_default();
                let host = host.strip_prefix('.').unwrap_or(host);
                let valid = !host.is_empty()
                    && host
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
                if !valid {
                    return Err(CookieConfigError::Domain);
                }
                Some(host.to_owned())
            }
        };
        Ok(())
    }

    /// Sets the `Path` attribute.
    ///
    /// # Errors
    /// [`CookieConfigError::Path`] unless it starts with `/` and has only the characters
    /// Flask writes unquoted: letters, digits and `-._~/%!$&'()*+,:=@` (Flask percent-encodes
    /// the rest; we refuse them, see docs/compatibility.md).
    pub fn set_path(&mut self, path: &str) -> Result<(), CookieConfigError> {
        let valid = path.starts_with('/')
            && path
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~/%!$&'()*+,:=@".contains(&b));
        if !valid {
            return Err(CookieConfigError::Path);
        }
        path.clone_into(&mut self.path);
        Ok(())
    }

    /// Sets the `Secure` attribute.
    pub const fn set_secure(&mut self, secure: bool) {
        self.secure = secure;
    }

    /// Sets the `HttpOnly` attribute.
    pub const fn set_http_only(&mut self, http_only: bool) {
        self.http_only = http_only;
    }

    /// Sets (or, with `None`, leaves out) the `SameSite` attribute.
    pub const fn set_same_site(&mut self, same_site: Option<SameSite>) {
        self.same_site = same_site;
    }

    /// Sets the `Partitioned` attribute (CHIPS).
    pub const fn set_partitioned(&mut self, partitioned: bool) {
        self.partitioned = partitioned;
    }

    /// The cookie's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The `Domain` attribute, if any.
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The `Path` attribute.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether `Secure` is set.
    #[must_use]
    pub const fn secure(&self) -> bool {
        self.secure
    }

    /// Whether `HttpOnly` is set.
    #[must_use]
    pub const fn http_only(&self) -> bool {
        self.http_only
    }

    /// The `SameSite` attribute, if any.
    #[must_use]
    pub const fn same_site(&self) -> Option<SameSite> {
        self.same_site
    }

    /// Whether `Partitioned` is set.
    #[must_use]
    pub const fn partitioned(&self) -> bool {
        self.partitioned
    }

    /// The first value of this cookie in the request's `Cookie` headers (the one Flask and
    /// werkzeug read when a name repeats), without surrounding double quotes.
    #[must_use]
    pub fn find_in<'h>(&self, headers: &'h HeaderMap) -> Option<&'h str> {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|line| line.split(';'))
            .find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                (name.trim() == self.name).then(|| {
                    let value = value.trim();
                    value
                        .strip_prefix('"')
                        .and_then(|v| v.strip_suffix('"'))
                        .unwrap_or(value)
                })
            })
    }

    /// `Set-Cookie` in werkzeug's attribute order, as Flask writes it: `name=value`, then
    /// `Domain`, `Expires`, `Max-Age`, `Secure`, `HttpOnly`, `Path`, `SameSite`,
    /// `Partitioned`.
    ///
    /// `value` must be cookie-safe (the signed session formats only produce URL-safe
    /// base64, `.`, `:` and `-`); `expires` is written to the second.
    #[must_use]
    pub fn werkzeug_set_cookie(
        &self,
        value: &str,
        expires: Option<SystemTime>,
        max_age: Option<u64>,
    ) -> String {
        let mut out = String::with_capacity(self.name.len() + value.len() + 96);
        // Writing into a String cannot fail.
        let _ = write!(out, "{}={}", self.name, value);
        if let Some(domain) = &self.domain {
            let _ = write!(out, "; Domain={domain}");
        }
        if let Some(expires) = expires.and_then(HttpDate::from_system_time) {
            let _ = write!(out, "; Expires={expires}");
        }
        if let Some(max_age) = max_age {
            let _ = write!(out, "; Max-Age={max_age}");
        }
        if self.secure {
            out.push_str("; Secure");
        }
        if self.http_only {
            out.push_str("; HttpOnly");
        }
        let _ = write!(out, "; Path={}", self.path);
        if let Some(same_site) = self.same_site {
            let _ = write!(out, "; SameSite={same_site}");
        }
        if self.partitioned {
            out.push_str("; Partitioned");
        }
        out
    }

    /// The `Set-Cookie` werkzeug's `delete_cookie` writes: an empty value, `Expires` at the
    /// epoch and `Max-Age=0`, with the same `Domain` and `Path` so the browser matches it.
    #[must_use]
    pub fn werkzeug_delete_cookie(&self) -> String {
        self.werkzeug_set_cookie("", Some(SystemTime::UNIX_EPOCH), Some(0))
    }
}

/// RFC 6265 `token` characters (no separators, controls or spaces).
const fn is_token_byte(b: u8) -> bool {
    b.is_ascii_graphic()
        && !matches!(
            b,
            b'(' | b')'
                | b'<'
                | b'>'
                | b'@'
                | b','
                | b';'
                | b':'
                | b'\\'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'?'
                | b'='
                | b'{'
                | b'}'
        )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use http::HeaderValue;

    #[test]
    fn finds_the_first_cookie_of_that_name() {
        let settings = CookieSettings::new("session").unwrap();
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("a=1; session=\"x.y\"; session=z"),
        );
        assert_eq!(settings.find_in(&headers), Some("x.y"));
        headers.clear();
        headers.append(COOKIE, HeaderValue::from_static("sessions=1; xsession=2"));
        assert_eq!(settings.find_in(&headers), None);
    }

    #[test]
    fn refuses_what_would_break_the_header() {
        assert_eq!(CookieSettings::new("a b"), Err(CookieConfigError::Name));
        assert_eq!(CookieSettings::new(""), Err(CookieConfigError::Name));
        let mut settings = CookieSettings::new("session").unwrap();
        assert_eq!(settings.set_path("/a;b"), Err(CookieConfigError::Path));
        assert_eq!(settings.set_path("a"), Err(CookieConfigError::Path));
        assert_eq!(
            settings.set_domain(Some("a.com; x")),
            Err(CookieConfigError::Domain)
        );
        settings.set_domain(Some(".Example.com:8000")).unwrap();
        assert_eq!(settings.domain(), Some("Example.com"));
    }
}
