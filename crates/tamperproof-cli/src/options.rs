//! Signer options shared by the signing, verifying and audit subcommands (keys: keys.rs).

use clap::Args;
use tamperproof::{DigestMethod, KeyDerivation, SignerBuilder};

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

fn parse_derivation(text: &str) -> Result<KeyDerivation, String> {
    text.parse().map_err(|e| format!("{e}"))
}

impl SignerArgs {
    /// Applies the settings to `builder`, whose salt is the kind's default.
    pub(crate) fn apply(&self, mut builder: SignerBuilder) -> SignerBuilder {
        if let Some(salt) = &self.salt {
            builder = builder.salt(salt);
        }
        if let Some(sep) = &self.sep {
            builder = builder.separator(sep);
        }
        if let Some(digest) = self.digest {
            builder = builder.digest(digest);
        }
        if let Some(derivation) = self.derivation {
            builder = builder.key_derivation(derivation);
        }
        builder
    }
}
