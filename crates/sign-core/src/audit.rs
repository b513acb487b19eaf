//! Checking many candidate secret keys against one token, as fast as the hash allows.
//!
//! This is what an operator uses to find out whether a deployment signs with a weak or default
//! key (the way Apache Superset's default key was found, CVE-2023-27524). Everything that does
//! not depend on the candidate is prepared once.

use crate::mac::one_off_verify;
use crate::{ConfigError, DigestMethod, Error, KeyDerivation, SignerBuilder};

/// A token prepared for checking candidate keys: split, signature decoded, options fixed.
#[derive(Clone, Debug)]
pub struct KeyAudit {
    derivation: KeyDerivation,
    digest: DigestMethod,
    mac_digest: DigestMethod,
    salt: Vec<u8>,
    message: Vec<u8>,
    tag: Vec<u8>,
}

impl KeyAudit {
    /// Prepares `token` for checking candidates under the salt, separator, derivation and
    /// digest of `config` (its keys are ignored).
    ///
    /// # Errors
    /// `BadSignature` when the token has no separator or its signature is not canonical
    /// base64 of the digest's length; `ConfigError` details in the message for an unusable
    /// separator.
    pub fn new(config: &SignerBuilder, token: &[u8]) -> Result<Self, Error> {
        let probe = config
            .clone()
            .clear_keys()
            .key("probe")
            .build()
            .map_err(|e: ConfigError| Error::new(crate::ErrorKind::BadData, e.to_string()))?;
        let (message, signature) = probe
            .split(token)
            .ok_or_else(|| Error::bad_signature("no separator found in value"))?;
        let mac_digest = match probe.algorithm() {
            crate::Algorithm::Hmac(digest) => *digest,
            _ => {
                return Err(Error::new(
                    crate::ErrorKind::BadData,
                    "key audits support HMAC signers only",
                ));
            }
        };
        let tag = crate::encoding::base64_decode(signature)
            .map_err(|_| Error::bad_signature("the signature is not valid base64"))?;
        if tag.len() != mac_digest.output_len() {
            return Err(Error::bad_signature(
                "the signature length does not match the digest",
            ));
        }
        Ok(Self {
            derivation: probe.key_derivation(),
            digest: probe.digest_method(),
            mac_digest,
            salt: probe.salt().to_vec(),
            message: message.to_vec(),
            tag,
        })
    }

    /// Whether `candidate` is the secret key that signed the token. Constant-time compare;
    /// the key is derived by the signers' own routine, without allocating for `hmac`, and wiped
    /// before returning (the candidate may be the real key).
    #[must_use]
    pub fn matches(&self, candidate: &[u8]) -> bool {
        self.derivation
            .derive_with(self.digest, &self.salt, candidate, |key| {
                one_off_verify(self.mac_digest, key, &self.message, &self.tag)
            })
    }
}
