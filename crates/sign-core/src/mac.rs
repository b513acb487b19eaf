//! HMAC with a key schedule computed once, for every supported digest.

use hmac::{Hmac, KeyInit, Mac};

use crate::DigestMethod;

/// The longest tag any supported digest produces (SHA-512).
pub(crate) const MAX_TAG_LEN: usize = 64;

/// An HMAC keyed once; each use clones the keyed state, so no key setup happens per call.
#[derive(Clone)]
pub(crate) enum HmacState {
    Sha1(Hmac<sha1::Sha1>),
    Sha224(Hmac<sha2::Sha224>),
    Sha256(Hmac<sha2::Sha256>),
    Sha384(Hmac<sha2::Sha384>),
    Sha512(Hmac<sha2::Sha512>),
}

/// Runs `$body` with `$mac` bound to the concrete HMAC inside an [`HmacState`].
macro_rules! with_mac {
    ($state:expr, $mac:ident => $body:expr) => {
        match $state {
            HmacState::Sha1($mac) => $body,
            HmacState::Sha224($mac) => $body,
            HmacState::Sha256($mac) => $body,
            HmacState::Sha384($mac) => $body,
            HmacState::Sha512($mac) => $body,
        }
    };
}

impl HmacState {
    /// Keys an HMAC with `key` (any length is valid for HMAC).
    pub(crate) fn new(digest: DigestMethod, key: &[u8]) -> Self {
        fn keyed<M: KeyInit>(key: &[u8]) -> M {
            // HMAC accepts keys of every length: long keys are hashed, short ones padded.
            match M::new_from_slice(key) {
                Ok(mac) => mac,
                Err(_) => unreachable_hmac_key(),
            }
        }
        match digest {
            DigestMethod::Sha1 => Self::Sha1(keyed(key)),
            DigestMethod::Sha224 => Self::Sha224(keyed(key)),
            DigestMethod::Sha256 => Self::Sha256(keyed(key)),
            DigestMethod::Sha384 => Self::Sha384(keyed(key)),
            DigestMethod::Sha512 => Self::Sha512(keyed(key)),
        }
    }

    /// The tag length in bytes.
    pub(crate) const fn tag_len(&self) -> usize {
        match self {
            Self::Sha1(_) => 20,
            Self::Sha224(_) => 28,
            Self::Sha256(_) => 32,
            Self::Sha384(_) => 48,
            Self::Sha512(_) => 64,
        }
    }

    /// Computes the tag of the concatenated `parts` into `out`, returning the tag length.
    pub(crate) fn tag(&self, parts: &[&[u8]], out: &mut [u8; MAX_TAG_LEN]) -> usize {
        self.clone().into_tag(parts, out)
    }

    /// [`tag`](Self::tag), consuming a state that is used once (no copy of the key schedule).
    pub(crate) fn into_tag(self, parts: &[&[u8]], out: &mut [u8; MAX_TAG_LEN]) -> usize {
        with_mac!(self, mac => {
            let mut mac = mac;
            for part in parts {
                mac.update(part);
            }
            let tag = mac.finalize().into_bytes();
            let len = tag.len();
            if let Some(dst) = out.get_mut(..len) {
                dst.copy_from_slice(&tag);
            }
            len
        })
    }

    /// Checks `tag` against the tag of `message` in constant time (`Mac::verify_slice`).
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        self.clone().into_verify(message, tag)
    }

    /// [`verify`](Self::verify), consuming a state that is used once.
    pub(crate) fn into_verify(self, message: &[u8], tag: &[u8]) -> bool {
        with_mac!(self, mac => {
            let mut mac = mac;
            mac.update(message);
            mac.verify_slice(tag).is_ok()
        })
    }
}

#[cold]
fn unreachable_hmac_key() -> ! {
    // `Hmac::new_from_slice` is infallible for every digest; reaching this is a bug in hmac.
    #[allow(clippy::panic)]
    {
        panic!("HMAC rejected a key length, which HMAC never does")
    }
}
