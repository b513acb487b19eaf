//! Key and signer options shared by every subcommand.

use clap::Args;
use tamperproof::{DigestMethod, KeyDerivation, SignerBuilder};
use zeroize::{Zeroize, Zeroizing};

use crate::Failure;
use crate::input::{base64_key, hex_key};

/// Secret keys and signer settings.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct KeyArgs {
    /// Secret key as text; repeat for rotation (oldest first, the last one signs).
    #[arg(long = "key", value_name = "K")]
    pub(crate) keys: Vec<String>,
    /// Secret key as hexadecimal bytes (after the --key keys).
    #[arg(long = "key-hex", value_name = "HEX")]
    pub(crate) keys_hex: Vec<String>,
    /// Secret key as base64 bytes (after the --key and --key-hex keys).
    #[arg(long = "key-base64", value_name = "B64")]
    pub(crate) keys_base64: Vec<String>,
    /// Allow an empty secret key (anyone can forge tokens signed with it).
    #[arg(long)]
    pub(crate) allow_empty_key: bool,
    #[command(flatten)]
    pub(crate) signer: SignerArgs,
}

/// Signer settings without keys.
#[derive(Args, Debug, Clone, Default)]
pub(crate) struct SignerArgs {
    /// Salt (default: the Python default of the chosen kind).
    #[arg(long)]
    pub(crate) salt: Option<String>,
    /// Separator between value and signature (default ".").
    #[arg(long)]
    pub(crate) sep: Option<String>,
    /// Digest: sha1, sha224, sha256, sha384 or sha512 (default sha1).
    #[arg(long, value_parser = parse_digest)]
    pub(crate) digest: Option<DigestMethod>,
    /// Key derivation: concat, django-concat, hmac or none (default django-concat).
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

/// The key arguments are wiped when the parsed command line is dropped. (The process's own
/// argument vector and clap's intermediate copies are outside our reach; docs/SECURITY.md.)
impl Drop for KeyArgs {
    fn drop(&mut self) {
        self.keys.zeroize();
        self.keys_hex.zeroize();
        self.keys_base64.zeroize();
    }
}

impl KeyArgs {
    /// The keys in order: text, then hex, then base64; each wiped on drop.
    pub(crate) fn key_bytes(&self) -> Result<Vec<Zeroizing<Vec<u8>>>, Failure> {
        let mut keys =
            Vec::with_capacity(self.keys.len() + self.keys_hex.len() + self.keys_base64.len());
        keys.extend(
            self.keys
                .iter()
                .map(|k| Zeroizing::new(k.as_bytes().to_vec())),
        );
        for hex in &self.keys_hex {
            keys.push(hex_key(hex)?);
        }
        for b64 in &self.keys_base64 {
            keys.push(base64_key(b64)?);
        }
        if keys.is_empty() {
            return Err(Failure::Usage(
                "a secret key is required: --key, --key-hex or --key-base64".into(),
            ));
        }
        Ok(keys)
    }

    /// A signer configuration with the keys and settings, on top of `defaults`.
    pub(crate) fn builder(&self, defaults: SignerBuilder) -> Result<SignerBuilder, Failure> {
        let keys = self.key_bytes()?;
        let mut builder = self
            .signer
            .apply(defaults)
            .keys(keys.iter().map(|k| k.as_slice()));
        if self.allow_empty_key {
            builder = builder.allow_empty_key();
        }
        Ok(builder)
    }
}
