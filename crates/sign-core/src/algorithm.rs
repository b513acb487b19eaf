//! Signing algorithms: HMAC over a chosen digest, or one of your own.

use std::fmt;
use std::sync::Arc;

use subtle::ConstantTimeEq;

use crate::DigestMethod;

/// A user-supplied signing algorithm (Python's `SigningAlgorithm`).
///
/// Implement it to sign with something other than HMAC. The key passed in is the derived key.
pub trait SigningAlgorithm: Send + Sync + fmt::Debug {
    /// The raw signature of `message` under `key`.
    fn signature(&self, key: &[u8], message: &[u8]) -> Vec<u8>;

    /// Whether `signature` is valid for `message`. The default recomputes the signature and
    /// compares in constant time.
    fn verify_signature(&self, key: &[u8], message: &[u8], signature: &[u8]) -> bool {
        let expected = self.signature(key, message);
        bool::from(expected.as_slice().ct_eq(signature))
    }
}

/// The algorithm a [`crate::Signer`] signs with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC with this digest (Python's `HMACAlgorithm`). By default the signer's digest.
    Hmac(DigestMethod),
    /// A user-supplied algorithm.
    Custom(Arc<dyn SigningAlgorithm>),
}

impl Algorithm {
    /// Wraps a custom algorithm.
    pub fn custom(algorithm: impl SigningAlgorithm + 'static) -> Self {
        Self::Custom(Arc::new(algorithm))
    }
}
