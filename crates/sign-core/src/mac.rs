//! HMAC with a key schedule computed once, for every supported digest.
//!
//! # What is wiped
//! The keyed states live in one heap block each, sized exactly for their digest (a
//! `Box<Hmac<D>>`, never a by-value enum whose smaller variants would carry stale stack
//! bytes in their padding); SHA-1's, SHA-224's and SHA-256's are the two state words of a
//! [`Keyed`], wiped on drop (see `raw_hmac`). With the hash crates' `zeroize` features (set in the workspace
//! manifest), dropping an `Hmac` wipes both chaining values and the block buffer. What is
//! *not* wiped: bit copies the compiler leaves on the stack when a state is built and moved
//! into its box, the padded key block `hmac` builds on the stack while keying, and the stack
//! copy each tag computation works on (wiped by its own drop, but moves are not). These are
//! overwritten by later stack use; see docs/SECURITY.md.

use hmac::{Hmac, KeyInit, Mac};

use crate::DigestMethod;
use crate::raw_hmac::{Keyed, Sha1Md, Sha224Md, Sha256Md};

/// The longest tag any supported digest produces (SHA-512).
pub(crate) const MAX_TAG_LEN: usize = 64;

/// An HMAC keyed once; each use works on a stack copy of the keyed state, so no key setup
/// and no allocation happens per call. SHA-1 (itsdangerous' default), SHA-224 and SHA-256
/// (Django's) run on the raw compression function (`raw_hmac`), the others through `hmac`.
#[derive(Clone)]
pub(crate) enum HmacState {
    Sha1(Box<Keyed<Sha1Md, 5>>),
    Sha224(Box<Keyed<Sha224Md, 8>>),
    Sha256(Box<Keyed<Sha256Md, 8>>),
    Sha384(Box<Hmac<sha2::Sha384>>),
    Sha512(Box<Hmac<sha2::Sha512>>),
}

/// Runs `$raw` with `$keyed` bound to the raw states ([`Keyed`]) inside an [`HmacState`], or
/// `$body` with `$mac` bound to its boxed `hmac` HMAC.
macro_rules! with_mac {
    ($state:expr, $keyed:ident => $raw:expr, $mac:ident => $body:expr) => {
        match $state {
            HmacState::Sha1($keyed) => $raw,
            HmacState::Sha224($keyed) => $raw,
            HmacState::Sha256($keyed) => $raw,
            HmacState::Sha384($mac) => $body,
            HmacState::Sha512($mac) => $body,
        }
    };
}

/// Runs `$body` with `$mac` a fresh stack HMAC of digest `$digest` keyed with `$key`.
macro_rules! with_keyed {
    ($digest:expr, $key:expr, $mac:ident => $body:expr) => {
        match $digest {
            DigestMethod::Sha1 => {
                let $mac = keyed::<Hmac<sha1::Sha1>>($key);
                $body
            }
            DigestMethod::Sha224 => {
                let $mac = keyed::<Hmac<sha2::Sha224>>($key);
                $body
            }
            DigestMethod::Sha256 => {
                let $mac = keyed::<Hmac<sha2::Sha256>>($key);
                $body
            }
            DigestMethod::Sha384 => {
                let $mac = keyed::<Hmac<sha2::Sha384>>($key);
                $body
            }
            DigestMethod::Sha512 => {
                let $mac = keyed::<Hmac<sha2::Sha512>>($key);
                $body
            }
        }
    };
}

fn keyed<M: KeyInit>(key: &[u8]) -> M {
    // HMAC accepts keys of every length: long keys are hashed, short ones padded.
    match M::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable_hmac_key(),
    }
}

/// Feeds `parts` to `mac` and writes its tag into `out`, returning the tag length.
fn finish<M: Mac>(mut mac: M, parts: &[&[u8]], out: &mut [u8; MAX_TAG_LEN]) -> usize {
    for part in parts {
        mac.update(part);
    }
    // `CtOutput` wipes itself on drop (digest's `zeroize` feature).
    let tag = mac.finalize().into_bytes();
    let len = tag.len();
    if let Some(dst) = out.get_mut(..len) {
        dst.copy_from_slice(&tag);
    }
    len
}

fn check<M: Mac>(mut mac: M, message: &[u8], tag: &[u8]) -> bool {
    mac.update(message);
    mac.verify_slice(tag).is_ok()
}

/// The tag of the concatenated `parts` under a one-off `key` (key derivation, key audits),
/// computed on the stack without allocating. Returns the tag length.
pub(crate) fn one_off_tag(
    digest: DigestMethod,
    key: &[u8],
    parts: &[&[u8]],
    out: &mut [u8; MAX_TAG_LEN],
) -> usize {
    with_keyed!(digest, key, mac => finish(mac, parts, out))
}

/// Checks `tag` against the tag of `message` under a one-off `key`, in constant time.
pub(crate) fn one_off_verify(digest: DigestMethod, key: &[u8], message: &[u8], tag: &[u8]) -> bool {
    with_keyed!(digest, key, mac => check(mac, message, tag))
}

impl HmacState {
    /// Keys an HMAC with `key` (any length is valid for HMAC).
    pub(crate) fn new(digest: DigestMethod, key: &[u8]) -> Self {
        match digest {
            DigestMethod::Sha1 => Self::Sha1(Box::new(Keyed::new(key))),
            DigestMethod::Sha224 => Self::Sha224(Box::new(Keyed::new(key))),
            DigestMethod::Sha256 => Self::Sha256(Box::new(Keyed::new(key))),
            DigestMethod::Sha384 => Self::Sha384(Box::new(keyed(key))),
            DigestMethod::Sha512 => Self::Sha512(Box::new(keyed(key))),
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
        with_mac!(self, keyed => keyed.tag(parts, out), mac => finish((**mac).clone(), parts, out))
    }

    /// Checks `tag` against the tag of `message` in constant time (the words compared at once,
    /// or `Mac::verify_slice`).
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        with_mac!(self, keyed => keyed.verify(message, tag), mac => check((**mac).clone(), message, tag))
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
