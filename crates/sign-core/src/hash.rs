//! The hash functions a signer can use, chosen at run time.

use std::fmt;
use std::str::FromStr;

use crate::ConfigError;

/// A hash function for key derivation and HMAC (Python's `digest_method`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestMethod {
    /// SHA-1, Python's default. HMAC-SHA1 remains secure for signing; collisions of SHA-1
    /// do not break HMAC.
    #[default]
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestMethod {
    /// Every supported digest.
    pub const ALL: [Self; 5] = [
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
    ];

    /// The hashlib name: `"sha1"`, `"sha256"`, ...
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }

    /// Length of the digest (and so of an HMAC tag) in bytes.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes the concatenation of `parts`.
    ///
    /// # Security
    /// Key derivation hashes the secret key here. The hasher's state and buffer wipe
    /// themselves on drop (the hash crates' `zeroize` features), and the stack copy of the
    /// digest is wiped before returning; the returned `Vec` is the caller's to wipe.
    #[must_use]
    pub fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: digest::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut hasher = D::new();
            for part in parts {
                hasher.update(part);
            }
            let mut output = hasher.finalize();
            let bytes = output.to_vec();
            zeroize::Zeroize::zeroize(output.as_mut_slice());
            bytes
        }
        match self {
            Self::Sha1 => run::<sha1::Sha1>(parts),
            Self::Sha224 => run::<sha2::Sha224>(parts),
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }
}

impl fmt::Display for DigestMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for DigestMethod {
    type Err = ConfigError;

    /// Parses a hashlib name, case-insensitively (`"sha256"`, `"SHA-256"`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normalized: String = s
            .chars()
            .filter(|c| *c != '-' && *c != '_')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Self::ALL
            .into_iter()
            .find(|d| d.name() == normalized)
            .ok_or_else(|| ConfigError::UnknownDigest(s.to_owned()))
    }
}
