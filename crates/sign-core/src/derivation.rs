//! How a secret key and salt become the MAC key (Python's `key_derivation`).

use std::fmt;
use std::str::FromStr;

use crate::dangerous::NoDerivation;
use crate::mac::{MAX_TAG_LEN, one_off_tag};
use crate::{ConfigError, DerivedKey, DigestMethod};

/// A key derivation scheme.
///
/// The unsalted [`KeyDerivation::None`] can only be chosen through [`crate::dangerous`]
/// ([`crate::dangerous::no_key_derivation`]): its marker cannot be made anywhere else, and
/// `"none".parse()` refuses it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyDerivation {
    /// `H(salt + secret)`.
    Concat,
    /// `H(salt + b"signer" + secret)`: Python's default.
    #[default]
    DjangoConcat,
    /// `HMAC(key=secret, msg=salt, H)`: Flask's choice for sessions.
    Hmac,
    /// The secret is the MAC key and the salt is ignored. Only [`crate::dangerous`] can make
    /// the marker.
    ///
    /// # Security
    /// Without derivation, two signers with different salts accept each other's tokens.
    /// Use it only to talk to systems that sign with the raw key (e.g. JWS without salt).
    None(NoDerivation),
}

impl KeyDerivation {
    /// The salted derivations, which [`FromStr`] accepts.
    pub const SALTED: [Self; 3] = [Self::Concat, Self::DjangoConcat, Self::Hmac];

    /// The name Python uses: `"concat"`, `"django-concat"`, `"hmac"`, `"none"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Concat => "concat",
            Self::DjangoConcat => "django-concat",
            Self::Hmac => "hmac",
            Self::None(_) => "none",
        }
    }

    /// Derives the MAC key from `secret` and `salt` with the hash `digest`.
    #[must_use]
    pub fn derive(self, digest: DigestMethod, salt: &[u8], secret: &[u8]) -> DerivedKey {
        self.derive_with(digest, salt, secret, |key| {
            DerivedKey::from_vec(key.to_vec())
        })
    }

    /// Derives the MAC key and hands it to `use_key`, wiping every intermediate copy: the
    /// one derivation routine behind [`derive`](Self::derive) and [`crate::KeyAudit`] (which
    /// calls it per candidate and must not allocate for the HMAC derivation).
    pub(crate) fn derive_with<R>(
        self,
        digest: DigestMethod,
        salt: &[u8],
        secret: &[u8],
        use_key: impl FnOnce(&[u8]) -> R,
    ) -> R {
        match self {
            Self::Concat | Self::DjangoConcat => {
                let parts: &[&[u8]] = match self {
                    Self::Concat => &[salt, secret],
                    _ => &[salt, b"signer", secret],
                };
                let mut bytes = digest.hash(parts);
                let result = use_key(&bytes);
                zeroize::Zeroize::zeroize(&mut bytes);
                result
            }
            Self::Hmac => {
                let mut tag = [0u8; MAX_TAG_LEN];
                let len = one_off_tag(digest, secret, &[salt], &mut tag);
                let result = use_key(tag.get(..len).unwrap_or_default());
                zeroize::Zeroize::zeroize(&mut tag);
                result
            }
            Self::None(_) => use_key(secret),
        }
    }
}

impl fmt::Display for KeyDerivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyDerivation {
    type Err = ConfigError;

    /// Parses `"concat"`, `"django-concat"` or `"hmac"`. `"none"` is refused: use
    /// [`crate::dangerous::key_derivation_from_name`] to accept it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::SALTED
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| ConfigError::UnknownKeyDerivation(s.to_owned()))
    }
}
