//! [`KeyRing`]: the secret keys of a signer or serializer, oldest first, held once.

use std::fmt;
use std::sync::Arc;

use crate::{ConfigError, SecretKey};

/// The secret keys of a signer or serializer, oldest to newest: the newest signs, all of
/// them verify (newest first). Python's list of secret keys.
///
/// Every builder holds one by value and every signer built from it shares it: cloning a
/// ring (or a signer, or building fallback signers) never copies key bytes, so each key
/// exists once in memory and is wiped when the last holder drops it.
///
/// A ring is checked when a signer is built ([`validate`](Self::validate)): it must hold a
/// key, and no key may be empty unless [`allow_empty_key`](Self::allow_empty_key) (every
/// key) or [`allow_empty_older_keys`](Self::allow_empty_older_keys) (all but the signing key,
/// Flask's rule for `SECRET_KEY_FALLBACKS`) says so.
///
/// ```
/// use sign_core::{KeyRing, Signer};
///
/// let ring = KeyRing::new().with_keys(["old-key", "new-key"]);
/// assert_eq!(ring.len(), 2);
/// let signer = Signer::builder().key_ring(ring).build()?;
/// assert!(signer.validate(signer.sign("value")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Default)]
pub struct KeyRing {
    keys: Arc<Vec<SecretKey>>,
    empty: EmptyKeys,
}

/// Which keys of a ring may be empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum EmptyKeys {
    #[default]
    None,
    Older,
    All,
}

impl KeyRing {
    /// An empty ring.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The ring of a framework's `SECRET_KEY` and `SECRET_KEY_FALLBACKS` (Flask, Django):
    /// `secret_key` signs and verifies, the `fallbacks` (oldest first) only verify. The ring
    /// is `fallbacks` followed by `secret_key`, so the argument order cannot put a fallback
    /// in the signing place.
    ///
    /// Empty keys are refused when a signer is built; add
    /// [`allow_empty_older_keys`](Self::allow_empty_older_keys) for Flask's rule (empty
    /// fallbacks accepted, an empty `SECRET_KEY` never).
    ///
    /// ```
    /// use sign_core::KeyRing;
    ///
    /// let ring = KeyRing::secret_key_with_fallbacks("new", ["older", "old"]);
    /// assert_eq!(ring.signing_key().map(|key| key.expose_secret()), Some(&b"new"[..]));
    /// assert_eq!(ring.len(), 3);
    /// ```
    #[must_use]
    pub fn secret_key_with_fallbacks<K: AsRef<[u8]>>(
        secret_key: impl AsRef<[u8]>,
        fallbacks: impl IntoIterator<Item = K>,
    ) -> Self {
        Self::new().with_keys(fallbacks).with_key(secret_key)
    }

    /// Adds `key` as the newest key (the one that signs).
    #[must_use]
    pub fn with_key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.push(SecretKey::new(key));
        self
    }

    /// Adds `keys`, oldest first, after the keys already in the ring.
    #[must_use]
    pub fn with_keys<K: AsRef<[u8]>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.extend(keys.into_iter().map(SecretKey::new));
        self
    }

    /// Adds `key` as the newest key.
    pub fn push(&mut self, key: SecretKey) {
        Arc::make_mut(&mut self.keys).push(key);
    }

    /// Adds `keys`, oldest first, after the keys already in the ring.
    pub fn extend(&mut self, keys: impl IntoIterator<Item = SecretKey>) {
        Arc::make_mut(&mut self.keys).extend(keys);
    }

    /// Drops every key.
    pub fn clear(&mut self) {
        self.keys = Arc::default();
    }

    /// Allows zero-length keys. Python accepts them, and real Flask apps have had them.
    ///
    /// # Security
    /// Anyone who knows the configuration can forge tokens signed with an empty key.
    #[must_use]
    pub const fn allow_empty_key(mut self) -> Self {
        self.empty = EmptyKeys::All;
        self
    }

    /// Allows zero-length keys among the older (verify-only) keys, never as the signing key:
    /// Flask's rule for `SECRET_KEY_FALLBACKS`.
    ///
    /// # Security
    /// An empty key that verifies lets anyone forge tokens.
    #[must_use]
    pub const fn allow_empty_older_keys(mut self) -> Self {
        if !matches!(self.empty, EmptyKeys::All) {
            self.empty = EmptyKeys::Older;
        }
        self
    }

    /// The keys, oldest first.
    #[must_use]
    pub fn keys(&self) -> &[SecretKey] {
        &self.keys
    }

    /// The newest key: the one that signs.
    #[must_use]
    pub fn signing_key(&self) -> Option<&SecretKey> {
        self.keys.last()
    }

    /// The number of keys.
    #[must_use]
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when the ring holds no key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Checks the ring as building a signer does.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] for an empty ring, [`ConfigError::EmptySecretKey`] for an
    /// empty key the ring does not allow.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let Some((newest, older)) = self.keys.split_last() else {
            return Err(ConfigError::NoSecretKey);
        };
        let empty_ok = |older: bool| match self.empty {
            EmptyKeys::All => true,
            EmptyKeys::Older => older,
            EmptyKeys::None => false,
        };
        if (newest.is_empty() && !empty_ok(false))
            || (older.iter().any(SecretKey::is_empty) && !empty_ok(true))
        {
            return Err(ConfigError::EmptySecretKey);
        }
        Ok(())
    }
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_key_bytes() {
        let ring = KeyRing::new().with_keys(["a", "b"]);
        let copy = ring.clone();
        assert!(Arc::ptr_eq(&ring.keys, &copy.keys));
    }

    #[test]
    fn signers_and_fallback_signers_share_one_copy() {
        use crate::{Clock, DigestMethod, Fallback, Signer, SigningScheme, SystemClock};
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let builder = Signer::builder().keys(["old", "new"]);
        let fallback = Fallback::new().digest(DigestMethod::Sha256);
        let set = Signer::build_set(&builder, &[fallback], &clock, Some(b"per-call"));
        let set = set.unwrap_or_default();
        assert_eq!(set.len(), 2);
        let clones: Vec<Signer> = set.clone();
        let Some(first) = set.first() else { return };
        assert!(
            set.iter()
                .chain(&clones)
                .all(|signer| Arc::ptr_eq(&signer.key_ring().keys, &first.key_ring().keys))
        );
    }

    #[test]
    fn validation() {
        assert_eq!(KeyRing::new().validate(), Err(ConfigError::NoSecretKey));
        let empty_old = KeyRing::new().with_keys(["", "new"]);
        assert_eq!(empty_old.validate(), Err(ConfigError::EmptySecretKey));
        assert_eq!(
            empty_old.clone().allow_empty_older_keys().validate(),
            Ok(())
        );
        let empty_new = KeyRing::new().with_keys(["old", ""]);
        assert_eq!(
            empty_new.clone().allow_empty_older_keys().validate(),
            Err(ConfigError::EmptySecretKey)
        );
        assert_eq!(empty_new.allow_empty_key().validate(), Ok(()));
    }

    #[test]
    fn secret_key_with_fallbacks_puts_the_secret_key_last() {
        let ring = KeyRing::secret_key_with_fallbacks("new", ["older", "old"]);
        let keys: Vec<&[u8]> = ring.keys().iter().map(SecretKey::expose_secret).collect();
        assert_eq!(keys, [&b"older"[..], b"old", b"new"]);
        // Flask's errors: an empty SECRET_KEY never, an empty fallback only on request.
        let empty_secret = KeyRing::secret_key_with_fallbacks("", ["old"]);
        assert_eq!(
            empty_secret.allow_empty_older_keys().validate(),
            Err(ConfigError::EmptySecretKey)
        );
        let empty_fallback = KeyRing::secret_key_with_fallbacks("new", [""]);
        assert_eq!(
            empty_fallback.clone().validate(),
            Err(ConfigError::EmptySecretKey)
        );
        assert_eq!(empty_fallback.allow_empty_older_keys().validate(), Ok(()));
        let no_fallbacks: [&str; 0] = [];
        assert_eq!(
            KeyRing::secret_key_with_fallbacks("k", no_fallbacks).len(),
            1
        );
    }

    #[test]
    fn debug_shows_only_the_count() {
        let printed = format!("{:?}", KeyRing::new().with_key("hunter2"));
        assert!(!printed.contains("hunter2"), "{printed}");
    }
}
