//! Key and signer options shared by every subcommand.

use clap::Args;
use tamperproof::{DigestMethod, KeyDerivation, SignerBuilder};
use tamperproof_vectors::vector_file::SignerSettings;
use tamperproof_vectors::{apply_keys, apply_signer_settings};
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
        Ok(apply_keys!(
            self.signer.apply(defaults),
            keys.iter().map(|k| k.as_slice()),
            self.allow_empty_key
        ))
    }
}
