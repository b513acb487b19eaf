//! Django's `signing.Signer` and `signing.TimestampSigner` as presets of the shared `Signer`.
//!
//! Django derives the HMAC key as `hash(salt + "signer" + secret)` (`salted_hmac`), which is
//! the engine's `django-concat` key derivation with the same salt; the digest of both the
//! derivation and the HMAC is the `algorithm` (SHA-256 by default).

use sign_core::{ConfigError, DigestMethod, KeyDerivation, Signer, SignerBuilder};

use crate::{Django, DjangoTimestampSigner};

/// `Signer`'s default salt (`"%s.%s" % (module, class)`).
pub const SIGNER_SALT: &str = "django.core.signing.Signer";
/// `TimestampSigner`'s default salt.
pub const TIMESTAMP_SIGNER_SALT: &str = "django.core.signing.TimestampSigner";
/// Django's separator.
pub const SEPARATOR: &str = ":";
/// Django's default algorithm.
pub const DEFAULT_ALGORITHM: DigestMethod = DigestMethod::Sha256;

/// A builder configured as `signing.Signer(key=...)`: salt [`SIGNER_SALT`], separator `:`,
/// `salted_hmac` key derivation, SHA-256. Add the keys (oldest first, as
/// `SECRET_KEY_FALLBACKS` followed by `SECRET_KEY`: the last one signs, all verify) and
/// override salt, separator or digest as Django's keyword arguments do; build it with
/// [`build_signer`] (or [`build_timestamp_signer`]) so that Django's separator rule applies.
#[must_use]
pub fn signer_builder() -> SignerBuilder {
    with_salt(SIGNER_SALT)
}

/// A builder configured as `signing.TimestampSigner(key=...)`: as [`signer_builder`] with
/// the salt [`TIMESTAMP_SIGNER_SALT`].
#[must_use]
pub fn timestamp_signer_builder() -> SignerBuilder {
    with_salt(TIMESTAMP_SIGNER_SALT)
}

/// Django's key derivation, separator and default algorithm with `salt`.
pub(crate) fn with_salt(salt: &str) -> SignerBuilder {
    Signer::builder()
        .salt(salt)
        .separator(SEPARATOR)
        .key_derivation(KeyDerivation::DjangoConcat)
        .digest(DEFAULT_ALGORITHM)
}

/// Builds a `signing.Signer` from `builder`.
///
/// # Errors
/// As [`SignerBuilder::build`]; [`ConfigError::InvalidSeparator`] also for every separator
/// Django refuses (one made only of `A-z0-9-_=`, where `A-z` includes `[\]^_` and the
/// backtick).
pub fn build_signer(builder: &SignerBuilder) -> Result<Signer, ConfigError> {
    let signer = builder.build()?;
    if !separator_is_safe(signer.separator()) {
        return Err(ConfigError::InvalidSeparator);
    }
    Ok(signer)
}

/// Builds a `signing.TimestampSigner` from `builder` (its clock is the system clock; see
/// `TimestampSigner::with_clock`).
///
/// # Errors
/// As [`build_signer`].
pub fn build_timestamp_signer(
    builder: &SignerBuilder,
) -> Result<DjangoTimestampSigner, ConfigError> {
    Ok(DjangoTimestampSigner::from_signer_with_format(
        build_signer(builder)?,
        Django,
    ))
}

/// Django's `_SEP_UNSAFE` rule: a separator is unsafe when it is empty or made only of
/// characters in `A-z0-9-_=`.
#[must_use]
pub fn separator_is_safe(separator: &[u8]) -> bool {
    !separator
        .iter()
        .all(|b| matches!(b, b'A'..=b'z' | b'0'..=b'9' | b'-' | b'='))
}

#[cfg(test)]
mod tests {
    use super::separator_is_safe;

    #[test]
    fn django_separator_rule() {
        for unsafe_sep in ["", "^", "[", "`", "a", "=="] {
            assert!(!separator_is_safe(unsafe_sep.as_bytes()), "{unsafe_sep:?}");
        }
        for safe in [":", "|", "~", "\u{e9}"] {
            assert!(separator_is_safe(safe.as_bytes()), "{safe:?}");
        }
    }
}
