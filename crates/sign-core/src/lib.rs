#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod algorithm;
mod audit;
mod audit_sha1;
pub mod base62;
mod clock;
pub mod dangerous;
mod derivation;
pub mod encoding;
mod error;
mod fallback;
mod format;
mod hash;
mod key;
mod key_ring;
mod mac;
mod max_age;
mod raw_hmac;
mod scheme;
mod signer;
mod timed;

pub use algorithm::{Algorithm, SigningAlgorithm};
pub use audit::{KeyAudit, KeyMatcher};
pub use clock::{Clock, FixedClock, SystemClock};
pub use derivation::KeyDerivation;
pub use error::{ConfigError, Error, ErrorKind};
pub use fallback::Fallback;
pub use format::{
    Django, Itsdangerous, MAX_PYTHON_TIMESTAMP, TimestampFormat, Verified, timestamp_to_time,
};
pub use hash::DigestMethod;
pub use key::{DerivedKey, SecretKey};
pub use key_ring::KeyRing;
pub use max_age::MaxAge;
pub use scheme::SigningScheme;
pub use signer::{DEFAULT_SALT, DEFAULT_SEPARATOR, Signer, SignerBuilder};
pub use timed::TimestampSigner;
