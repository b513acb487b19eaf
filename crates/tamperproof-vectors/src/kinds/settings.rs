//! The one mapping from signer parameters to builder methods, shared by every kind and by
//! the command-line tool.
//!
//! Written as macros over method names (`keys`, `allow_empty_key`, `salt`, `separator`,
//! `key_derivation`, `digest`), so that it applies to every builder that has them (a
//! signer's, a serializer's, a fallback signer's, a JWS serializer's) without naming the
//! builder types.

/// Gives `$builder` the secret keys `$keys` (oldest first; the last one signs), and allows
/// empty keys when `$allow_empty` is true.
#[macro_export]
macro_rules! apply_keys {
    ($builder:expr, $keys:expr, $allow_empty:expr) => {{
        let builder = $builder.keys($keys);
        if $allow_empty {
            builder.allow_empty_key()
        } else {
            builder
        }
    }};
}

/// Applies the settings `$settings` (a
/// [`&SignerSettings`](crate::vector_file::SignerSettings)) to `$builder`; absent settings
/// leave the builder's default.
#[macro_export]
macro_rules! apply_signer_settings {
    ($builder:expr, $settings:expr) => {{
        let settings: &$crate::vector_file::SignerSettings = $settings;
        let mut builder = $builder;
        if let Some(salt) = &settings.salt {
            builder = builder.salt(salt);
        }
        if let Some(sep) = &settings.sep {
            builder = builder.separator(sep);
        }
        if let Some(key_derivation) = settings.key_derivation {
            builder = builder.key_derivation(key_derivation);
        }
        if let Some(digest) = settings.digest_method {
            builder = builder.digest(digest);
        }
        builder
    }};
}
