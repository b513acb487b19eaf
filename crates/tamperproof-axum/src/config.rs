//! [`CommonConfig`]: what every format's config holds (keys, the cookie's attributes, the
//! clock), and [`config_setters!`], which gives a config its setters for them under the
//! framework's own names.

use crate::clock::SharedClock;
use crate::cookie::{CookieSettings, SameSite, SessionConfigError};
use crate::keys::Keys;

/// The settings of a format's config that every framework has, until the config is built.
#[derive(Debug)]
pub(crate) struct CommonConfig {
    pub(crate) keys: Keys,
    pub(crate) name: String,
    pub(crate) domain: Option<String>,
    /// `None`: the format's default path ([`build`](Self::build)'s `default_path`).
    pub(crate) path: Option<String>,
    pub(crate) http_only: bool,
    pub(crate) secure: bool,
    pub(crate) same_site: Option<SameSite>,
    pub(crate) partitioned: bool,
    pub(crate) clock: Option<SharedClock>,
}

impl CommonConfig {
    /// A cookie called `name` with `same_site`, on the default path, `HttpOnly`, not
    /// `Secure`, not partitioned, host-only, no key, the system clock.
    pub(crate) fn new(name: &str, same_site: Option<SameSite>) -> Self {
        Self {
            keys: Keys::default(),
            name: name.to_owned(),
            domain: None,
            path: None,
            http_only: true,
            secure: false,
            same_site,
            partitioned: false,
            clock: None,
        }
    }

    /// The cookie's attributes (the path `default_path` unless one was set) and the clock.
    ///
    /// # Errors
    /// [`SessionConfigError::Cookie`] for a name, domain or path that cannot be sent safely.
    pub(crate) fn build(
        &mut self,
        default_path: &str,
    ) -> Result<(CookieSettings, SharedClock), SessionConfigError> {
        let mut cookie = CookieSettings::new(self.name.clone())?;
        cookie.set_domain(self.domain.as_deref())?;
        cookie.set_path(self.path.as_deref().unwrap_or(default_path))?;
        cookie.set_http_only(self.http_only);
        cookie.set_secure(self.secure);
        cookie.set_same_site(self.same_site);
        cookie.set_partitioned(self.partitioned);
        Ok((cookie, SharedClock::or_system(self.clock.take())))
    }
}

/// Setters for a config's [`CommonConfig`] (in its field `common`), each under the
/// framework's name and with its doc comment: `config_setters!(Config { /// doc
/// name: kind; ... })`, `kind` one of `secret_key`, `fallbacks`, `name`, `domain`, `path`,
/// `flag FIELD` (a `bool` field: `http_only`, `secure`, `partitioned`), `same_site` (an
/// `Option<SameSite>`), `always_same_site` (a `SameSite`), `clock`.
macro_rules! config_setters {
    ($config:ty { $($(#[$doc:meta])* $setter:ident: $($kind:ident)+;)* }) => {
        impl $config {
            $(config_setters!(@setter $(#[$doc])* $setter $($kind)+);)*
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident secret_key) => {
        $(#[$doc])*
        pub fn $setter(mut self, key: impl AsRef<[u8]>) -> Self {
            self.common.keys.set_current(key.as_ref());
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident fallbacks) => {
        $(#[$doc])*
        pub fn $setter<K: AsRef<[u8]>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
            self.common.keys.add_fallbacks(keys);
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident name) => {
        $(#[$doc])*
        pub fn $setter(mut self, name: impl Into<String>) -> Self {
            self.common.name = name.into();
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident domain) => {
        $(#[$doc])*
        pub fn $setter(mut self, domain: impl Into<String>) -> Self {
            self.common.domain = Some(domain.into());
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident path) => {
        $(#[$doc])*
        pub fn $setter(mut self, path: impl Into<String>) -> Self {
            self.common.path = Some(path.into());
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident flag $field:ident) => {
        $(#[$doc])*
        pub const fn $setter(mut self, on: bool) -> Self {
            self.common.$field = on;
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident same_site) => {
        $(#[$doc])*
        pub const fn $setter(mut self, same_site: Option<$crate::SameSite>) -> Self {
            self.common.same_site = same_site;
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident always_same_site) => {
        $(#[$doc])*
        pub const fn $setter(mut self, same_site: $crate::SameSite) -> Self {
            self.common.same_site = Some(same_site);
            self
        }
    };
    (@setter $(#[$doc:meta])* $setter:ident clock) => {
        $(#[$doc])*
        pub fn $setter(mut self, clock: impl sign_core::Clock + 'static) -> Self {
            self.common.clock = Some($crate::clock::SharedClock::new(clock));
            self
        }
    };
}

pub(crate) use config_setters;
