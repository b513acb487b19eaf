//! Access to data that has **not** been verified, and options that weaken the defaults.
//!
//! Everything here hands out bytes an attacker may have chosen. Use it to inspect or debug
//! tokens, never to make decisions.

use std::time::SystemTime;

use crate::{ConfigError, Error, KeyDerivation, Signer, SigningAlgorithm};

/// The payload carried by `token` whose verification failed with `error` (Python's
/// `e.payload`): for signer errors the value without signature (and without timestamp), for
/// JWS errors the signed part `header.payload`.
///
/// The error stores only the payload's length, so a failed verification costs no copy of
/// the token; pass the same `token` that was verified. `None` when the error carries no
/// payload, or `token` is shorter than the recorded length (another token was passed).
#[must_use]
pub fn unverified_payload<'t>(error: &Error, token: &'t [u8]) -> Option<&'t [u8]> {
    token.get(..error.unverified_payload_len()?)
}

/// The signing time read from a token whether or not its signature was valid (Python's
/// `e.date_signed` on a `BadTimeSignature`). Use [`Error::date_signed`] for the verified one.
#[must_use]
pub fn unverified_date_signed(error: &Error) -> Option<SystemTime> {
    error.unverified_date_signed()
}

/// Splits `signed` at the last separator of `signer` into `(value, signature)` **without
/// verifying anything**: for inspection tools.
#[must_use]
pub fn split_unverified<'a>(signer: &Signer, signed: &'a [u8]) -> Option<(&'a [u8], &'a [u8])> {
    signer.split(signed)
}

/// Python's `NoneAlgorithm`: an empty signature. A signer using it accepts any value
/// followed by the separator, so tokens carry no protection at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoneAlgorithm;

impl SigningAlgorithm for NoneAlgorithm {
    fn signature(&self, _key: &[u8], _message: &[u8]) -> Vec<u8> {
        Vec::new()
    }
}

/// The marker inside [`KeyDerivation::None`]. Only this module can make one, so the
/// unsalted derivation can only be chosen here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NoDerivation(());

/// No key derivation: the secret key itself is the MAC key and the salt is ignored
/// (Python's `key_derivation="none"`).
///
/// # Security
/// Two signers with different salts then accept each other's tokens.
#[must_use]
pub const fn no_key_derivation() -> KeyDerivation {
    KeyDerivation::None(NoDerivation(()))
}

/// Every key derivation Python knows, `none` included.
pub const ALL_KEY_DERIVATIONS: [KeyDerivation; 4] = [
    KeyDerivation::Concat,
    KeyDerivation::DjangoConcat,
    KeyDerivation::Hmac,
    no_key_derivation(),
];

/// Parses any of Python's key derivation names, `"none"` included.
///
/// # Errors
/// [`ConfigError::UnknownKeyDerivation`] for any other name.
pub fn key_derivation_from_name(name: &str) -> Result<KeyDerivation, ConfigError> {
    if name == "none" {
        Ok(no_key_derivation())
    } else {
        name.parse()
    }
}
