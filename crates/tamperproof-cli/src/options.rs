//! Signer options shared by the signing, verifying and audit subcommands (keys: keys.rs).

use clap::Args;
use tamperproof::{DigestMethod, KeyDerivation, SignerBuilder};
use tamperproof_vectors::apply_signer_settings;
use tamperproof_vectors::vector_file::SignerSettings;

/// Signer settings without keys.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct SignerArgs {
    /// Salt (default: the Python default of the chosen kind).
    #[arg(long)]
    pub(crate) salt: Option<String>,
    /// Separator between value and signature (default ".").
    #[arg(long)]
    pub(crate) sep: Option<String>,
    /// Digest: sha1, sha224, sha256, sha384 or sha512 (default: the format's; sha1 for
    /// itsdangerous and Flask, HS512 for JWS where sha256/sha384 choose HS256/HS384; audit:
    /// from the signature length).
    #[arg(long, value_parser = parse_digest)]
    pub(crate) digest: Option<DigestMethod>,
    /// Key derivation: concat, django-concat, hmac or none (default: the format's or
    /// profile's: django-concat for itsdangerous, hmac for Flask, none for JWS).
    #[arg(long, value_parser = parse_derivation)]
    pub(crate) derivation: Option<KeyDerivation>,
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
}
