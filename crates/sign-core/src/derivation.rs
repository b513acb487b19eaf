//! How a secret key and salt become the MAC key (Python's `key_derivation`).

use std::fmt;
use std::str::FromStr;

use crate::mac::{MAX_TAG_LEN, one_off_tag};
use crate::{ConfigError, DerivedKey, DigestMethod};

/// A key derivation scheme.
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
    /// The secret is the MAC key and the salt is ignored.
    ///
    /// # Security
    /// Without derivation, two signers with different salts accept each other's tokens.
    /// Use it only to talk to systems that sign with the raw key (e.g. JWS without salt).
    None,
}

impl KeyDerivation {
    /// Every supported derivation.
    pub const ALL: [Self; 4] = [Self::Concat, Self::DjangoConcat, Self::Hmac, Self::None];

    /// The name Python uses: `"concat"`, `"django-concat"`, `"hmac"`, `"none"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Concat => "concat",
            Self::DjangoConcat => "django-concat",
            Self::Hmac => "hmac",
            Self::None => "none",
        }
    }

    /// Derives the MAC key from `secret` and `salt` with the hash `digest`.
    #[must_use]
    pub fn derive(self, digest: DigestMethod, salt: &[u8], secret: &[u8]) -> DerivedKey {
        let bytes = match self {
            Self::Concat => digest.hash(&[salt, secret]),
            Self::DjangoConcat => digest.hash(&[salt, b"signer", secret]),
            Self::Hmac => {
                let mut tag = [0u8; MAX_TAG_LEN];
                let len = one_off_tag(digest, secret, &[salt], &mut tag);
                let bytes = tag.get(..len).unwrap_or_default().to_vec();
                zeroize::Zeroize::zeroize(&mut tag);
                bytes
            }
            Self::None => secret.to_vec(),
        };
        DerivedKey::from_vec(bytes)
    }
}

impl fmt::Display for KeyDerivation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KeyDerivation {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.name() == s)
            .ok_or_else(|| ConfigError::UnknownKeyDerivation(s.to_owned()))
    }
}
