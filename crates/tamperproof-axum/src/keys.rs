//! [`Keys`]: `SECRET_KEY` and its fallbacks as a format's config holds them.

use std::fmt;

use sign_core::ConfigError;
use zeroize::Zeroize;

use crate::rotation::Rotation;

/// The current key and the fallbacks (oldest first), until the config is built: never
/// printed, wiped on drop. The serializers keep (and wipe) their own copies.
#[derive(Default)]
pub(crate) struct Keys {
    current: Option<Vec<u8>>,
    fallbacks: Vec<Vec<u8>>,
}

impl Keys {
    pub(crate) fn set_current(&mut self, key: &[u8]) {
        if let Some(old) = &mut self.current {
            old.zeroize();
        }
        self.current = Some(key.to_vec());
    }

    pub(crate) fn add_fallbacks<K: AsRef<[u8]>>(&mut self, keys: impl IntoIterator<Item = K>) {
        self.fallbacks
            .extend(keys.into_iter().map(|k| k.as_ref().to_vec()));
    }

    /// `build` with the current key alone, and (when there are fallbacks) with every key,
    /// oldest first and the current one last.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] or [`ConfigError::EmptySecretKey`] for the current key;
    /// whatever `build` says.
    pub(crate) fn rotation<S>(
        &self,
        build: impl Fn(&[&[u8]]) -> Result<S, ConfigError>,
    ) -> Result<Rotation<S>, ConfigError> {
        let key = self.current.as_deref().ok_or(ConfigError::NoSecretKey)?;
        if key.is_empty() {
            return Err(ConfigError::EmptySecretKey);
        }
        let current = build(&[key])?;
        let with_fallbacks = if self.fallbacks.is_empty() {
            None
        } else {
            let mut keys: Vec<&[u8]> = self.fallbacks.iter().map(Vec::as_slice).collect();
            keys.push(key);
            Some(build(&keys)?)
        };
        Ok(Rotation::new(current, with_fallbacks))
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("secret_key", &self.current.as_ref().map(|_| "<redacted>"))
            .field("fallbacks", &self.fallbacks.len())
            .finish()
    }
}

impl Drop for Keys {
    fn drop(&mut self) {
        for key in self.current.iter_mut().chain(self.fallbacks.iter_mut()) {
            key.zeroize();
        }
    }
}
