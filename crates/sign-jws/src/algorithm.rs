//! The JWS `alg` a serializer signs and verifies with.

use std::fmt;
use std::str::FromStr;

use sign_core::{Algorithm, ConfigError, DigestMethod};

use crate::dangerous::NoSignature;

/// The algorithm of a JWS serializer (Python's `algorithm_name`).
///
/// It is fixed when the serializer is built and written into every header; a token's own
/// `alg` never chooses how it is verified. The default is [`JwsAlgorithm::Hs512`], as in
/// itsdangerous 2.0.1.
///
/// The unprotected `none` algorithm exists only as [`JwsAlgorithm::None`], whose marker can
/// only be made in [`crate::dangerous`] (see [`crate::dangerous::none_algorithm`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JwsAlgorithm {
    /// `HS256`: HMAC-SHA256.
    Hs256,
    /// `HS384`: HMAC-SHA384.
    Hs384,
    /// `HS512`: HMAC-SHA512, the default.
    #[default]
    Hs512,
    /// `none`: an empty signature, so tokens carry no protection at all. Only
    /// [`crate::dangerous`] can make the marker.
    None(NoSignature),
}

impl JwsAlgorithm {
    /// The keyed algorithms, strongest last.
    pub const HMAC: [Self; 3] = [Self::Hs256, Self::Hs384, Self::Hs512];

    /// The `alg` header value: `"HS256"`, `"HS384"`, `"HS512"` or `"none"`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Hs256 => "HS256",
            Self::Hs384 => "HS384",
            Self::Hs512 => "HS512",
            Self::None(_) => "none",
        }
    }

    /// The HMAC digest, `None` for the `none` algorithm.
    #[must_use]
    pub const fn digest(self) -> Option<DigestMethod> {
        match self {
            Self::Hs256 => Some(DigestMethod::Sha256),
            Self::Hs384 => Some(DigestMethod::Sha384),
            Self::Hs512 => Some(DigestMethod::Sha512),
            Self::None(_) => None,
        }
    }

    /// The sign-core algorithm that computes the signature.
    pub(crate) fn signing_algorithm(self) -> Algorithm {
        match self.digest() {
            Some(digest) => Algorithm::Hmac(digest),
            None => Algorithm::custom(sign_core::dangerous::NoneAlgorithm),
        }
    }
}

impl fmt::Display for JwsAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for JwsAlgorithm {
    type Err = ConfigError;

    /// Parses `"HS256"`, `"HS384"` or `"HS512"` (exactly, as Python does).
    ///
    /// `"none"` is refused here: use [`crate::dangerous::algorithm_from_name`] to accept it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "none" => Err(ConfigError::Invalid(
                "the none algorithm is only available through sign_jws::dangerous".into(),
            )),
            _ => Self::HMAC
                .into_iter()
                .find(|a| a.name() == s)
                .ok_or_else(|| ConfigError::Invalid("algorithm not supported".into())),
        }
    }
}
