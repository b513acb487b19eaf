//! Checking many candidate secret keys against one token, as fast as the hash allows.
//!
//! This is what an operator uses to find out whether a deployment signs with a weak or default
//! key (the way Apache Superset's default key was found, CVE-2023-27524). Everything that does
//! not depend on the candidate is prepared once.

use zeroize::Zeroize;

use crate::audit_sha1::{self, PaddedMessage, Sha1Hmac, TagWords};
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
    /// Prepared when the token's MAC is HMAC-SHA-1 (Flask, itsdangerous' default).
    sha1: Option<Sha1Audit>,
}

/// The salt and message padded once for the raw HMAC-SHA-1 of [`audit_sha1`].
#[derive(Clone, Debug)]
struct Sha1Audit {
    /// The padded salt when the key derivation is `hmac` with SHA-1 (Flask's).
    salt: Option<PaddedMessage>,
    /// The padded signed message.
    message: PaddedMessage,
    /// The token's tag as SHA-1 state words.
    tag: TagWords,
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
        let derivation = probe.key_derivation();
        let digest = probe.digest_method();
        let sha1 = TagWords::new(&tag)
            .filter(|_| mac_digest == DigestMethod::Sha1)
            .map(|words| Sha1Audit {
                salt: (matches!(derivation, KeyDerivation::Hmac) && digest == DigestMethod::Sha1)
                    .then(|| PaddedMessage::new(probe.salt())),
                message: PaddedMessage::new(message),
                tag: words,
            });
        Ok(Self {
            derivation,
            digest,
            mac_digest,
            salt: probe.salt().to_vec(),
            message: message.to_vec(),
            tag,
            sha1,
        })
    }

    /// Whether `candidate` is the secret key that signed the token. Constant-time compare;
    /// nothing is allocated. With HMAC-SHA-1 the salt and message were padded once and each
    /// candidate costs only the hash compressions HMAC needs; otherwise the key is derived
    /// by the signers' own routine. To check many candidates, use one
    /// [`matcher`](Self::matcher) per thread: it reuses its working memory and wipes it
    /// once, where this wipes it on every call.
    #[must_use]
    pub fn matches(&self, candidate: &[u8]) -> bool {
        self.matcher().matches(candidate)
    }

    /// A [`KeyMatcher`] for this token: what an audit worker checks its candidates with.
    #[must_use]
    pub fn matcher(&self) -> KeyMatcher<'_> {
        KeyMatcher {
            audit: self,
            hmac: Sha1Hmac::default(),
            derived: [0; audit_sha1::TAG_LEN],
        }
    }

    /// [`matches`](Self::matches) through `hmac` and the signers' derivation, for every
    /// digest.
    fn matches_generic(&self, candidate: &[u8]) -> bool {
        self.derivation
            .derive_with(self.digest, &self.salt, candidate, |key| {
                one_off_verify(self.mac_digest, key, &self.message, &self.tag)
            })
    }
}

/// Checks candidate keys against one [`KeyAudit`]'s token, reusing its working memory (the
/// HMAC key block and states, the derived key) for every candidate; all of it is wiped
/// when the matcher is dropped. One per thread.
pub struct KeyMatcher<'a> {
    audit: &'a KeyAudit,
    hmac: Sha1Hmac,
    derived: [u8; audit_sha1::TAG_LEN],
}

impl core::fmt::Debug for KeyMatcher<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyMatcher")
            .field("audit", self.audit)
            .finish_non_exhaustive()
    }
}

impl Drop for KeyMatcher<'_> {
    fn drop(&mut self) {
        self.derived.zeroize();
    }
}

impl KeyMatcher<'_> {
    /// Whether `candidate` is the secret key that signed the token (as
    /// [`KeyAudit::matches`]).
    #[must_use]
    pub fn matches(&mut self, candidate: &[u8]) -> bool {
        let audit = self.audit;
        let Some(sha1) = &audit.sha1 else {
            return audit.matches_generic(candidate);
        };
        match &sha1.salt {
            Some(salt) => {
                self.hmac.tag(candidate, salt, &mut self.derived);
                self.hmac.verify(&self.derived, &sha1.message, &sha1.tag)
            }
            None => {
                let hmac = &mut self.hmac;
                audit
                    .derivation
                    .derive_with(audit.digest, &audit.salt, candidate, |key| {
                        hmac.verify(key, &sha1.message, &sha1.tag)
                    })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Signer, dangerous::ALL_KEY_DERIVATIONS};

    /// The SHA-1 path agrees with the generic one and with real tokens: every derivation,
    /// salts and messages around the padding boundaries, keys shorter and longer than a block.
    #[test]
    fn sha1_path_agrees_with_signers() {
        for derivation in ALL_KEY_DERIVATIONS {
            for digest in [DigestMethod::Sha1, DigestMethod::Sha256] {
                for salt_len in [0usize, 14, 55, 56, 64, 100] {
                    let salt: Vec<u8> = (0..salt_len).map(|i| b'a' + (i % 26) as u8).collect();
                    for key_len in [1usize, 6, 64, 65, 90] {
                        let key: Vec<u8> = (0..key_len).map(|i| b'k' ^ i as u8).collect();
                        let config = Signer::builder()
                            .salt(&salt)
                            .key_derivation(derivation)
                            .digest(digest);
                        let signer = config.clone().key(&key).build().unwrap();
                        for value_len in [0usize, 17, 40, 55, 56, 64, 130] {
                            let value = vec![b'v'; value_len];
                            let token = signer.sign(&value);
                            let audit = KeyAudit::new(&config, &token).unwrap();
                            assert_eq!(audit.sha1.is_some(), digest == DigestMethod::Sha1);
                            assert!(
                                audit.matches(&key),
                                "{derivation} {digest} {salt_len} {key_len} {value_len}"
                            );
                            assert!(audit.matches_generic(&key));
                            let mut matcher = audit.matcher();
                            assert!(matcher.matches(&key));
                            let mut wrong = key.clone();
                            wrong[0] ^= 1;
                            assert!(!audit.matches(&wrong));
                            assert!(!audit.matches(b""));
                            assert!(!matcher.matches(&wrong));
                            assert!(matcher.matches(&key), "a matcher is reusable");
                        }
                    }
                }
            }
        }
    }
}
