//! `Signer`: appends an HMAC of a value to it, and checks it (Python's `itsdangerous.Signer`).

use std::fmt;
use std::sync::Arc;

use crate::algorithm::{Algorithm, SigningAlgorithm};
use crate::encoding::{base64_decode, base64_decode_into, base64_encode_into, encoded_len};
use crate::mac::{HmacState, MAX_TAG_LEN};
use crate::{ConfigError, DerivedKey, DigestMethod, Error, KeyDerivation, KeyRing, SecretKey};

/// Python's default salt for `Signer`.
pub const DEFAULT_SALT: &[u8] = b"itsdangerous.Signer";
/// Python's default separator.
pub const DEFAULT_SEPARATOR: &[u8] = b".";
/// The URL-safe base64 alphabet plus `=`: no separator may contain any of these bytes.
const BASE64_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=";

/// Configuration for a [`Signer`]. Start from [`Signer::builder`].
///
/// Defaults are Python's: salt `itsdangerous.Signer`, separator `.`, key derivation
/// `django-concat`, HMAC-SHA1.
#[derive(Clone, Debug)]
pub struct SignerBuilder {
    keys: KeyRing,
    /// `None` until [`salt`](Self::salt) is called: the signer then uses [`DEFAULT_SALT`].
    salt: Option<Vec<u8>>,
    separator: Vec<u8>,
    key_derivation: KeyDerivation,
    digest: DigestMethod,
    algorithm: Option<Algorithm>,
}

impl Default for SignerBuilder {
    fn default() -> Self {
        Self {
            keys: KeyRing::new(),
            salt: None,
            separator: DEFAULT_SEPARATOR.to_vec(),
            key_derivation: KeyDerivation::DjangoConcat,
            digest: DigestMethod::Sha1,
            algorithm: None,
        }
    }
}

impl SignerBuilder {
    /// Adds a secret key (text or bytes). Keys are oldest first: the last one added signs,
    /// and all of them verify, newest first.
    #[must_use]
    pub fn key(mut self, key: impl AsRef<[u8]>) -> Self {
        self.keys.push(SecretKey::new(key));
        self
    }

    /// Adds several secret keys, oldest first.
    #[must_use]
    pub fn keys<K: AsRef<[u8]>>(mut self, keys: impl IntoIterator<Item = K>) -> Self {
        self.keys.extend(keys.into_iter().map(SecretKey::new));
        self
    }

    /// Adds already-wrapped secret keys, oldest first.
    #[must_use]
    pub fn secret_keys(mut self, keys: impl IntoIterator<Item = SecretKey>) -> Self {
        self.keys.extend(keys);
        self
    }

    /// Replaces the keys (and their empty-key rule) with `ring`. The ring is shared, not
    /// copied.
    #[must_use]
    pub fn key_ring(mut self, ring: KeyRing) -> Self {
        self.keys = ring;
        self
    }

    /// Drops every key added so far.
    #[must_use]
    pub fn clear_keys(mut self) -> Self {
        self.keys.clear();
        self
    }

    /// Allows a zero-length secret key (see [`KeyRing::allow_empty_key`]). Python accepts
    /// one, and real Flask apps have had them; anyone who knows the configuration can then
    /// forge tokens.
    #[must_use]
    pub fn allow_empty_key(mut self) -> Self {
        self.keys = self.keys.allow_empty_key();
        self
    }

    /// Sets the salt (default `itsdangerous.Signer`). The empty salt is a real, empty salt.
    #[must_use]
    pub fn salt(mut self, salt: impl AsRef<[u8]>) -> Self {
        self.salt = Some(salt.as_ref().to_vec());
        self
    }

    /// Sets the separator between value and signature (default `.`).
    ///
    /// [`build`](Self::build) rejects a separator that is empty or contains any character of
    /// the URL-safe base64 alphabet (`A-Z a-z 0-9 - _ =`).
    #[must_use]
    pub fn separator(mut self, separator: impl AsRef<[u8]>) -> Self {
        self.separator = separator.as_ref().to_vec();
        self
    }

    /// Sets the key derivation (default `django-concat`).
    #[must_use]
    pub const fn key_derivation(mut self, key_derivation: KeyDerivation) -> Self {
        self.key_derivation = key_derivation;
        self
    }

    /// Sets the digest used for key derivation and, unless [`algorithm`](Self::algorithm)
    /// says otherwise, for the HMAC (default SHA-1).
    #[must_use]
    pub const fn digest(mut self, digest: DigestMethod) -> Self {
        self.digest = digest;
        self
    }

    /// Sets the signing algorithm. The key is still derived with [`digest`](Self::digest),
    /// as Python does.
    #[must_use]
    pub fn algorithm(mut self, algorithm: Algorithm) -> Self {
        self.algorithm = Some(algorithm);
        self
    }

    /// The salt the signer uses: the configured one, or [`DEFAULT_SALT`].
    pub(crate) fn salt_bytes(&self) -> &[u8] {
        self.salt.as_deref().unwrap_or(DEFAULT_SALT)
    }

    /// The salt set with [`salt`](Self::salt), or `None` when the default
    /// (`itsdangerous.Signer`) applies. Formats whose key derivation depends on whether a
    /// salt was given read it (JWS: no salt, no derivation).
    #[must_use]
    pub fn configured_salt(&self) -> Option<&[u8]> {
        self.salt.as_deref()
    }

    /// A builder with the same key ring (shared, not copied) and every other option at its
    /// default. Fallback signers are built from it, as Python does.
    pub(crate) fn same_keys_with_defaults(&self) -> Self {
        Self {
            keys: self.keys.clone(),
            ..Self::default()
        }
    }

    /// Builds the signer, deriving every key and HMAC key schedule once.
    ///
    /// # Errors
    /// [`ConfigError::NoSecretKey`] without keys, [`ConfigError::EmptySecretKey`] for an empty
    /// key without [`allow_empty_key`](Self::allow_empty_key),
    /// [`ConfigError::InvalidSeparator`] for an unusable separator.
    pub fn build(&self) -> Result<Signer, ConfigError> {
        self.keys.validate()?;
        if self.separator.is_empty() || self.separator.iter().any(|b| BASE64_ALPHABET.contains(b)) {
            return Err(ConfigError::InvalidSeparator);
        }
        let algorithm = self
            .algorithm
            .clone()
            .unwrap_or(Algorithm::Hmac(self.digest));
        let derived = self.keys.keys().iter().rev().map(|key| {
            self.key_derivation
                .derive(self.digest, self.salt_bytes(), key.expose_secret())
        });
        let verifiers = match &algorithm {
            Algorithm::Hmac(mac_digest) => Verifiers::Hmac(
                derived
                    .map(|key| HmacState::new(*mac_digest, key.expose_secret()))
                    .collect(),
            ),
            Algorithm::Custom(custom) => Verifiers::Custom(Arc::clone(custom), derived.collect()),
        };
        Ok(Signer {
            config: self.clone(),
            algorithm,
            verifiers,
        })
    }
}

/// The prepared MAC keys, newest first.
#[derive(Clone)]
enum Verifiers {
    Hmac(Vec<HmacState>),
    Custom(Arc<dyn SigningAlgorithm>, Vec<DerivedKey>),
}

/// Signs values and verifies signed values.
///
/// A token is `value SEP base64url(MAC(derived_key, value))`. Keys and HMAC schedules are
/// prepared when the signer is built; signing allocates once, verifying not at all (not even to fail).
///
/// ```
/// use sign_core::Signer;
///
/// let signer = Signer::new("secret-key")?;
/// let token = signer.sign("my string");
/// assert_eq!(token, b"my string.wh6tMHxLgJqB6oY1uT73iMlyrOA");
/// assert_eq!(signer.unsign(&token)?, b"my string");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Signer {
    config: SignerBuilder,
    algorithm: Algorithm,
    verifiers: Verifiers,
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("keys", &self.config.keys.len())
            .field("salt", &String::from_utf8_lossy(self.config.salt_bytes()))
            .field(
                "separator",
                &String::from_utf8_lossy(&self.config.separator),
            )
            .field("key_derivation", &self.config.key_derivation)
            .field("digest", &self.config.digest)
            .field("algorithm", &self.algorithm)
            .finish_non_exhaustive()
    }
}

impl Signer {
    /// A signer with one key and Python's defaults.
    ///
    /// # Errors
    /// [`ConfigError::EmptySecretKey`] for an empty key.
    pub fn new(key: impl AsRef<[u8]>) -> Result<Self, ConfigError> {
        Self::builder().key(key).build()
    }

    /// A builder with Python's defaults and no keys.
    #[must_use]
    pub fn builder() -> SignerBuilder {
        SignerBuilder::default()
    }

    /// The configuration this signer was built from, e.g. to build a variant of it.
    #[must_use]
    pub const fn config(&self) -> &SignerBuilder {
        &self.config
    }

    /// The secret keys, oldest first.
    #[must_use]
    pub fn secret_keys(&self) -> &[SecretKey] {
        self.config.keys.keys()
    }

    /// The key ring, shared with the builder it came from.
    #[must_use]
    pub const fn key_ring(&self) -> &KeyRing {
        &self.config.keys
    }

    /// The salt.
    #[must_use]
    pub fn salt(&self) -> &[u8] {
        self.config.salt_bytes()
    }

    /// The separator.
    #[must_use]
    pub fn separator(&self) -> &[u8] {
        &self.config.separator
    }

    /// The key derivation.
    #[must_use]
    pub const fn key_derivation(&self) -> KeyDerivation {
        self.config.key_derivation
    }

    /// The digest used for key derivation.
    #[must_use]
    pub const fn digest_method(&self) -> DigestMethod {
        self.config.digest
    }

    /// The signing algorithm.
    #[must_use]
    pub const fn algorithm(&self) -> &Algorithm {
        &self.algorithm
    }

    /// The derived key of the newest secret key (Python's `derive_key()`).
    #[must_use]
    pub fn derive_key(&self) -> DerivedKey {
        let newest = self
            .config
            .keys
            .signing_key()
            .map_or(&[][..], SecretKey::expose_secret);
        self.derive_key_for(newest)
    }

    /// The key that `secret` derives to under this signer's salt, derivation and digest.
    #[must_use]
    pub fn derive_key_for(&self, secret: &[u8]) -> DerivedKey {
        self.config
            .key_derivation
            .derive(self.config.digest, self.config.salt_bytes(), secret)
    }

    /// The base64 signature of `value` under the newest key (Python's `get_signature`).
    #[must_use]
    pub fn get_signature(&self, value: impl AsRef<[u8]>) -> String {
        let mut out = Vec::new();
        self.push_signature(&[value.as_ref()], &mut out);
        // base64 output is ASCII.
        String::from_utf8(out).unwrap_or_default()
    }

    /// Signs `value`: returns `value SEP signature`.
    #[must_use]
    pub fn sign(&self, value: impl AsRef<[u8]>) -> Vec<u8> {
        let value = value.as_ref();
        let mut out = Vec::with_capacity(
            value
                .len()
                .saturating_add(self.config.separator.len())
                .saturating_add(self.signature_len_hint()),
        );
        out.extend_from_slice(value);
        self.append_signature(&mut out, 0);
        out
    }

    /// Signs `buf[start..]` in place: appends `SEP signature` to `buf`.
    ///
    /// This lets callers build the value directly in the output buffer (as the timestamp
    /// signer and serializers do), so a token costs one allocation. A `start` past the end
    /// signs the empty value.
    pub(crate) fn append_signature(&self, buf: &mut Vec<u8>, start: usize) {
        let mut tag = [0u8; MAX_TAG_LEN];
        let message = buf.get(start..).unwrap_or_default();
        match self.raw_signature(&[message], &mut tag) {
            Some(len) => {
                buf.extend_from_slice(&self.config.separator);
                base64_encode_into(tag.get(..len).unwrap_or_default(), buf);
            }
            None => {
                let signature = self.custom_signature(message);
                buf.extend_from_slice(&self.config.separator);
                base64_encode_into(&signature, buf);
            }
        }
    }

    /// Appends the base64 signature of the concatenated `parts` to `out`.
    fn push_signature(&self, parts: &[&[u8]], out: &mut Vec<u8>) {
        let mut tag = [0u8; MAX_TAG_LEN];
        match self.raw_signature(parts, &mut tag) {
            Some(len) => base64_encode_into(tag.get(..len).unwrap_or_default(), out),
            None => {
                let message = parts.concat();
                base64_encode_into(&self.custom_signature(&message), out);
            }
        }
    }

    /// For HMAC: writes the tag into `tag` and returns its length. `None` for custom
    /// algorithms, which produce their own `Vec`.
    fn raw_signature(&self, parts: &[&[u8]], tag: &mut [u8; MAX_TAG_LEN]) -> Option<usize> {
        match &self.verifiers {
            Verifiers::Hmac(keys) => keys.first().map(|key| key.tag(parts, tag)),
            Verifiers::Custom(..) => None,
        }
    }

    fn custom_signature(&self, message: &[u8]) -> Vec<u8> {
        match &self.verifiers {
            Verifiers::Custom(algorithm, keys) => keys
                .first()
                .map(|key| algorithm.signature(key.expose_secret(), message))
                .unwrap_or_default(),
            Verifiers::Hmac(_) => Vec::new(),
        }
    }

    fn signature_len_hint(&self) -> usize {
        match &self.verifiers {
            Verifiers::Hmac(keys) => keys.first().map_or(0, |k| encoded_len(k.tag_len())),
            Verifiers::Custom(..) => 0,
        }
    }

    /// Whether `signature` (base64) is a valid signature of `value` under any key, newest
    /// first. The comparison is constant-time.
    #[must_use]
    pub fn verify_signature(&self, value: impl AsRef<[u8]>, signature: impl AsRef<[u8]>) -> bool {
        let (value, signature) = (value.as_ref(), signature.as_ref());
        match &self.verifiers {
            Verifiers::Hmac(keys) => {
                let Some(tag_len) = keys.first().map(HmacState::tag_len) else {
                    return false;
                };
                if signature.len() != encoded_len(tag_len) {
                    return false;
                }
                let mut tag = [0u8; MAX_TAG_LEN];
                match base64_decode_into(signature, &mut tag) {
                    Ok(len) if len == tag_len => {
                        let tag = tag.get(..len).unwrap_or_default();
                        keys.iter().any(|key| key.verify(value, tag))
                    }
                    _ => false,
                }
            }
            Verifiers::Custom(algorithm, keys) => match base64_decode(signature) {
                Ok(raw) => keys
                    .iter()
                    .any(|key| algorithm.verify_signature(key.expose_secret(), value, &raw)),
                Err(_) => false,
            },
        }
    }

    /// Splits `signed` at its last separator into `(value, signature)`, without verifying
    /// (public as [`crate::dangerous::split_unverified`]).
    pub(crate) fn split<'a>(&self, signed: &'a [u8]) -> Option<(&'a [u8], &'a [u8])> {
        rsplit_once(signed, &self.config.separator)
    }

    /// Verifies `signed` and returns the value it carries, borrowed from the input.
    ///
    /// # Errors
    /// `BadSignature` when there is no separator or no key's signature matches; the value
    /// that failed is then only available through [`crate::dangerous::unverified_payload`].
    pub fn unsign<'a, T: AsRef<[u8]> + ?Sized>(&self, signed: &'a T) -> Result<&'a [u8], Error> {
        let signed = signed.as_ref();
        let Some((value, signature)) = self.split(signed) else {
            return Err(Error::bad_signature("no separator found in value"));
        };
        if self.verify_signature(value, signature) {
            Ok(value)
        } else {
            Err(Error::bad_signature("signature does not match")
                .with_unverified_payload_len(value.len()))
        }
    }

    /// [`unsign`](Self::unsign) for text tokens.
    ///
    /// # Errors
    /// As `unsign`; `BadPayload` if the verified value is not UTF-8 (only possible with a
    /// separator that is not itself UTF-8).
    pub fn unsign_str<'a>(&self, signed: &'a str) -> Result<&'a str, Error> {
        let value = self.unsign(signed)?;
        std::str::from_utf8(value)
            .map_err(|e| Error::bad_payload("the signed value is not UTF-8", e))
    }

    /// Whether `signed` carries a valid signature (Python's `validate`).
    #[must_use]
    pub fn validate(&self, signed: impl AsRef<[u8]>) -> bool {
        self.unsign(signed.as_ref()).is_ok()
    }
}

/// Splits at the last occurrence of `needle` (which is non-empty).
pub(crate) fn rsplit_once<'a>(haystack: &'a [u8], needle: &[u8]) -> Option<(&'a [u8], &'a [u8])> {
    if needle.is_empty() || needle.len() > haystack.len() {
        return None;
    }
    let position = match needle {
        [byte] => rposition_byte(haystack, *byte)?,
        _ => haystack.windows(needle.len()).rposition(|w| w == needle)?,
    };
    let (head, rest) = haystack.split_at(position);
    Some((head, rest.get(needle.len()..)?))
}

/// The position of the last `byte` in `haystack`, eight bytes at a time from the end: the
/// signature and the timestamp behind a separator are 27 and 6 bytes or more, scanned a byte
/// at a time before.
fn rposition_byte(haystack: &[u8], byte: u8) -> Option<usize> {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    let (head, words) = haystack.as_rchunks::<8>();
    let pattern = u64::from_le_bytes([byte; 8]);
    for (index, word) in words.iter().enumerate().rev() {
        let x = u64::from_le_bytes(*word) ^ pattern;
        // 0x80 in exactly the bytes of `x` that are zero (the bytes equal to `byte`): the sum
        // of a byte's low seven bits and 0x7f reaches bit 7 unless they are all zero, and no
        // carry leaves a byte (at most 0x7f + 0x7f), so no byte is flagged for its neighbour.
        let zeros = !(((x & LOW7) + LOW7) | x | LOW7);
        if zeros != 0 {
            // Little-endian: the highest flagged byte is the last match in the word.
            let in_word = 7 - (zeros.leading_zeros() / 8) as usize;
            return Some(head.len() + index * 8 + in_word);
        }
    }
    head.iter().rposition(|b| *b == byte)
}

#[cfg(test)]
mod rposition_tests {
    use super::rposition_byte;

    /// Every length up to 40, the needle at every position (or nowhere, or twice), among
    /// bytes next to it in value and with the high bit set, against `rposition`.
    #[test]
    fn finds_the_last_byte_like_rposition() {
        for needle in [0u8, 1, b'.', 0x7f, 0x80, 0xff] {
            for filler in [
                needle.wrapping_add(1),
                needle.wrapping_sub(1),
                needle ^ 0x80,
                0,
            ] {
                for len in 0..40usize {
                    for first in 0..=len {
                        for second in [None, Some(first / 2)] {
                            let mut bytes: Vec<u8> = (0..len)
                                .map(|i| if i % 3 == 0 { filler } else { filler ^ 0x01 })
                                .map(|b| if b == needle { b ^ 0x40 } else { b })
                                .collect();
                            if let Some(b) = bytes.get_mut(first) {
                                *b = needle;
                            }
                            if let Some(p) = second
                                && let Some(b) = bytes.get_mut(p)
                            {
                                *b = needle;
                            }
                            assert_eq!(
                                rposition_byte(&bytes, needle),
                                bytes.iter().rposition(|b| *b == needle),
                                "{needle} {filler} {bytes:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
