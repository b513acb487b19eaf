//! Fallback signers: other configurations accepted when verifying, never used to sign.

use crate::{DigestMethod, KeyDerivation, SignerBuilder};

/// One fallback signer configuration (an entry of Python's `fallback_signers`): a serializer
/// verifies with it, over the same [`crate::KeyRing`] (shared, not copied), after its
/// primary signer.
///
/// Fields left unset take the **signer's defaults** (django-concat, SHA-1, `.`), not the
/// serializer's own options, exactly as Python builds `Signer(key, salt=salt, **fallback)`.
/// The salt defaults to the serializer's salt (or the per-call salt).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fallback {
    key_derivation: Option<KeyDerivation>,
    digest: Option<DigestMethod>,
    salt: Option<Vec<u8>>,
    separator: Option<Vec<u8>>,
}

impl Fallback {
    /// A fallback with every option at the signer's default.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the key derivation.
    #[must_use]
    pub const fn key_derivation(mut self, key_derivation: KeyDerivation) -> Self {
        self.key_derivation = Some(key_derivation);
        self
    }

    /// Sets the digest.
    #[must_use]
    pub const fn digest(mut self, digest: DigestMethod) -> Self {
        self.digest = Some(digest);
        self
    }

    /// Sets a salt of its own (Python does not allow this; an extension). It replaces the
    /// serializer's salt, but never a per-call salt: `loads_with_salt` verifies every
    /// fallback under the salt of the call, so a token cannot cross purposes.
    #[must_use]
    pub fn salt(mut self, salt: impl AsRef<[u8]>) -> Self {
        self.salt = Some(salt.as_ref().to_vec());
        self
    }

    /// Sets the separator.
    #[must_use]
    pub fn separator(mut self, separator: impl AsRef<[u8]>) -> Self {
        self.separator = Some(separator.as_ref().to_vec());
        self
    }

    /// The signer configuration for this fallback, given the serializer's keys (inside
    /// `base`), the salt in effect and whether it is a per-call salt (which wins over the
    /// fallback's own).
    pub(crate) fn apply(&self, base: &SignerBuilder, salt: &[u8], per_call: bool) -> SignerBuilder {
        let salt = match &self.salt {
            Some(own) if !per_call => own.as_slice(),
            _ => salt,
        };
        base.same_keys_with_defaults()
            .key_derivation(self.key_derivation.unwrap_or_default())
            .digest(self.digest.unwrap_or_default())
            .separator(
                self.separator
                    .as_deref()
                    .unwrap_or(crate::DEFAULT_SEPARATOR),
            )
            .salt(salt)
    }
}
