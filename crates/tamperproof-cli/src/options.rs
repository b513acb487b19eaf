//! Signer options shared by the signing, verifying and audit subcommands (keys: keys.rs).

use clap::Args;
use tamperproof::serializer::{PayloadCodec, SerializerBuilder};
use tamperproof::{DigestMethod, KeyDerivation, SignerBuilder, SigningScheme};
use tamperproof_vectors::apply_signer_settings;
use tamperproof_vectors::vector_file::SignerSettings;

/// Signer settings without keys.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct SignerArgs {
    /// Salt (default: the Python default of the chosen kind; django-cookie: Django's
    /// `salt=` argument of set_signed_cookie / get_signed_cookie, default empty).
    #[arg(long)]
    pub(crate) salt: Option<String>,
    /// Separator between value and signature (default "." for itsdangerous, Flask and
    /// Starlette, ":" for Django).
    #[arg(long)]
    pub(crate) sep: Option<String>,
    /// Digest: sha1, sha224, sha256, sha384 or sha512 (default: the format's; sha1 for
    /// itsdangerous, Flask and Starlette, sha256 for Django (its `algorithm`), HS512 for JWS
    /// where sha256/sha384 choose HS256/HS384; audit: from the signature length).
    #[arg(long, value_parser = parse_digest)]
    pub(crate) digest: Option<DigestMethod>,
    /// Key derivation: concat, django-concat, hmac or none (default: the format's or
    /// profile's: django-concat for itsdangerous, hmac for Flask, none for JWS).
    #[arg(long, value_parser = parse_derivation)]
    pub(crate) derivation: Option<KeyDerivation>,
    /// django-cookie: the cookie's name (the `key` of set_signed_cookie / get_signed_cookie),
    /// part of its salt; `--cookie-name` of the token or of the signing command.
    #[arg(skip)]
    pub(crate) cookie_name: Option<String>,
    /// django-cookie: also accept cookies signed with the salt of Django before 5.2.15, as
    /// Django's SIGNED_COOKIE_LEGACY_SALT_FALLBACK does (default true).
    #[arg(long, value_name = "BOOL")]
    pub(crate) legacy_salt_fallback: Option<bool>,
}

fn parse_digest(text: &str) -> Result<DigestMethod, String> {
    text.parse().map_err(|e| format!("{e}"))
}

/// Any of Python's names, `none` included: the CLI talks to whatever a deployment uses.
fn parse_derivation(text: &str) -> Result<KeyDerivation, String> {
    tamperproof::dangerous::key_derivation_from_name(text).map_err(|e| format!("{e}"))
}

impl SignerArgs {
    /// The settings in the form the vector kinds take them.
    fn settings(&self) -> SignerSettings {
        SignerSettings {
            salt: self.salt.as_ref().map(|salt| salt.as_bytes().to_vec()),
            sep: self.sep.as_ref().map(|sep| sep.as_bytes().to_vec()),
            key_derivation: self.derivation,
            digest_method: self.digest,
        }
    }

    /// Applies the settings to `builder`, whose salt is the kind's default (through the
    /// parameter mapping the compatibility vectors use).
    pub(crate) fn apply(&self, builder: SignerBuilder) -> SignerBuilder {
        apply_signer_settings!(builder, &self.settings())
    }

    /// [`apply`](Self::apply) for a serializer preset (Django's, Starlette's).
    pub(crate) fn apply_serializer<C: PayloadCodec, S: SigningScheme>(
        &self,
        builder: SerializerBuilder<C, S>,
    ) -> SerializerBuilder<C, S> {
        apply_signer_settings!(builder, &self.settings())
    }

    /// Whether Django's legacy cookie salt is accepted (`--legacy-salt-fallback`, on by
    /// default as in Django 5.2).
    pub(crate) fn legacy_salt_fallback(&self) -> bool {
        self.legacy_salt_fallback.unwrap_or(true)
    }
}
