#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod algorithm;
mod audit;
pub mod dangerous;
mod derivation;
pub mod encoding;
mod error;
mod hash;
mod key;
mod mac;
mod signer;

pub use algorithm::{Algorithm, SigningAlgorithm};
pub use audit::KeyAudit;
pub use derivation::KeyDerivation;
pub use error::{ConfigError, Error, ErrorKind};
pub use hash::DigestMethod;
pub use key::{DerivedKey, SecretKey};
pub use signer::{DEFAULT_SALT, DEFAULT_SEPARATOR, Signer, SignerBuilder};
