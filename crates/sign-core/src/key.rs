//! Secret and derived key types: private bytes, zeroized on drop, redacted in `Debug`.

use std::fmt;

use zeroize::Zeroize;

/// A secret key as given by the user (Python's `secret_key`).
///
/// The bytes are private, wiped from memory when the key is dropped, and never printed:
/// `Debug` shows only `SecretKey(..)`.
#[derive(Clone)]
pub struct SecretKey(Box<[u8]>);

impl SecretKey {
    /// Copies `bytes` into a new key. Text keys are their UTF-8 bytes, as in Python.
    #[must_use]
    pub fn new(bytes: impl AsRef<[u8]>) -> Self {
        Self(bytes.as_ref().into())
    }

    /// The key bytes.
    ///
    /// # Security
    /// Anything that copies these bytes out takes over the duty of wiping them.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }

    /// True for a zero-length key.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

/// A key derived from a [`SecretKey`] by a [`crate::KeyDerivation`]: the actual MAC key.
///
/// Wiped on drop and redacted in `Debug`, like [`SecretKey`].
#[derive(Clone)]
pub struct DerivedKey(Vec<u8>);

impl DerivedKey {
    pub(crate) const fn from_vec(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The derived key bytes.
    ///
    /// # Security
    /// This is the MAC key itself: whoever holds it can sign tokens.
    #[must_use]
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for DerivedKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for DerivedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DerivedKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_leak_key() {
        let key = SecretKey::new("hunter2-very-secret");
        let printed = format!("{key:?} {key:#?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("104"), "{printed}"); // no byte values either
        let derived = DerivedKey::from_vec(b"derived-secret".to_vec());
        let printed = format!("{derived:?}");
        assert!(!printed.contains("derived-secret"), "{printed}");
    }
}
