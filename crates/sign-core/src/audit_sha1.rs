//! HMAC-SHA-1 on the raw compression function, for key audits only.
//!
//! An audit computes two HMACs per candidate key (the derived key, then the token's tag),
//! always over the same salt and the same message. Through `hmac` each one builds a keyed
//! `Hmac` (padded key block, two states, block buffers), moves it, feeds and finalizes it:
//! measured at about 40% of an audit's time. Here the salt and the message are padded into
//! whole blocks once ([`PaddedMessage`]), and a candidate costs exactly the compressions
//! HMAC needs (two for the key, the message blocks, one for the outer hash) on the state
//! words of one reused [`Sha1Hmac`]; the expected tag is compared as state words ([`TagWords`]).
//!
//! # What is wiped
//! The key block and both keyed states live in one [`Sha1Hmac`] per audit worker, which every
//! candidate overwrites completely and which is wiped when dropped, like everything keyed in
//! this crate (moves may leave bit copies on the stack, see docs/SECURITY.md). Wiping once
//! per worker instead of once per candidate is what keeps the wipe out of the per-candidate
//! cost. The padded salt and message are public (they are in the token and the
//! configuration).

use crate::raw_hmac::{BLOCK, Md, Sha1Md, key_states, tag_words, words_equal, write_state};

/// SHA-1's output length.
pub(crate) const TAG_LEN: usize = 20;
use zeroize::Zeroize;

/// A message padded as the inner hash of an HMAC sees it: after the one key block, with
/// SHA-1's `0x80`, zeros and bit length.
#[derive(Clone, Debug)]
pub(crate) struct PaddedMessage {
    blocks: Vec<[u8; BLOCK]>,
}

impl PaddedMessage {
    /// Pads `message` (preceded by one key block in the hash).
    pub(crate) fn new(message: &[u8]) -> Self {
        Self {
            blocks: padded_blocks(message, BLOCK),
        }
    }
}

/// `data` with SHA-1's padding for a hash that has already absorbed `prefix` bytes.
fn padded_blocks(data: &[u8], prefix: usize) -> Vec<[u8; BLOCK]> {
    let bits = (prefix as u64)
        .saturating_add(data.len() as u64)
        .saturating_mul(8);
    let mut bytes = Vec::with_capacity(data.len() + BLOCK + 9);
    bytes.extend_from_slice(data);
    bytes.push(0x80);
    while bytes.len() % BLOCK != BLOCK - 8 {
        bytes.push(0);
    }
    bytes.extend_from_slice(&bits.to_be_bytes());
    bytes
        .chunks_exact(BLOCK)
        .map(|chunk| {
            let mut block = [0u8; BLOCK];
            block.copy_from_slice(chunk);
            block
        })
        .collect()
}

/// A tag as SHA-1 state words (big-endian words of the 20 bytes), compared without writing
/// the computed tag out as bytes.
#[derive(Clone, Debug)]
pub(crate) struct TagWords([u32; 5]);

impl TagWords {
    /// The words of a 20-byte tag; `None` for any other length.
    pub(crate) fn new(tag: &[u8]) -> Option<Self> {
        tag_words(tag, TAG_LEN / 4).map(Self)
    }
}

/// The working memory of HMAC-SHA-1: the key block and both keyed states. One per audit
/// worker, reused for every candidate (each HMAC overwrites all of it) and wiped once when
/// dropped, so a candidate costs compressions and no per-candidate wiping.
pub(crate) struct Sha1Hmac {
    /// The key block, XORed with the inner then the outer pad.
    block: [u8; BLOCK],
    /// The outer hash's input: the inner digest, then SHA-1's padding for 84 bytes, which
    /// never changes.
    digest_block: [u8; BLOCK],
    inner: [u32; 5],
    outer: [u32; 5],
}

impl Default for Sha1Hmac {
    fn default() -> Self {
        let mut digest_block = [0; BLOCK];
        if let Some(pad) = digest_block.get_mut(TAG_LEN) {
            *pad = 0x80;
        }
        let bits = ((BLOCK + TAG_LEN) as u64 * 8).to_be_bytes();
        if let Some(dst) = digest_block.get_mut(BLOCK - 8..) {
            dst.copy_from_slice(&bits);
        }
        Self {
            block: [0; BLOCK],
            digest_block,
            inner: [0; 5],
            outer: [0; 5],
        }
    }
}

impl Drop for Sha1Hmac {
    fn drop(&mut self) {
        self.block.zeroize();
        self.digest_block.zeroize();
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl core::fmt::Debug for Sha1Hmac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Sha1Hmac([REDACTED])")
    }
}

impl Sha1Hmac {
    /// Runs HMAC-SHA-1 of `message` under `key`; the tag is left in `self.outer`.
    fn run(&mut self, key: &[u8], message: &PaddedMessage) {
        key_states::<Sha1Md, 5>(key, &mut self.block, &mut self.inner, &mut self.outer);
        // Inner hash over the message, then the outer hash over the inner digest.
        Sha1Md::compress(&mut self.inner, &message.blocks);
        write_state(&self.inner, &mut self.digest_block);
        Sha1Md::compress(&mut self.outer, core::slice::from_ref(&self.digest_block));
    }

    /// The HMAC-SHA-1 tag of `message` under `key`, written to `out`.
    pub(crate) fn tag(&mut self, key: &[u8], message: &PaddedMessage, out: &mut [u8; TAG_LEN]) {
        self.run(key, message);
        write_state(&self.outer, out);
    }

    /// Whether `expected` is the tag of `message` under `key`, compared in constant time.
    pub(crate) fn verify(
        &mut self,
        key: &[u8],
        message: &PaddedMessage,
        expected: &TagWords,
    ) -> bool {
        self.run(key, message);
        words_equal(&self.outer, &expected.0)
    }
}

#[cfg(test)]
mod tests {
    use hmac::{Hmac, KeyInit, Mac};

    use super::*;

    /// Every key length around the block (hashed or padded) and every message length
    /// around the padding boundaries, against `hmac`.
    #[test]
    fn equals_hmac_for_every_boundary() {
        let keys: Vec<Vec<u8>> = [0usize, 1, 19, 20, 55, 63, 64, 65, 128, 200]
            .iter()
            .map(|&n| (0..n).map(|i| (i * 7 + 3) as u8).collect())
            .collect();
        for key in &keys {
            for len in 0..=200usize {
                let message: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
                let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).unwrap();
                mac.update(&message);
                let want = mac.finalize().into_bytes();
                let mut hmac = Sha1Hmac::default();
                let mut got = [0u8; TAG_LEN];
                hmac.tag(key, &PaddedMessage::new(&message), &mut got);
                assert_eq!(
                    got.as_slice(),
                    want.as_slice(),
                    "key {} msg {len}",
                    key.len()
                );
                let padded = PaddedMessage::new(&message);
                assert!(hmac.verify(key, &padded, &TagWords::new(&want).unwrap()));
                let mut wrong = want.to_vec();
                wrong[0] ^= 1;
                assert!(!hmac.verify(key, &padded, &TagWords::new(&wrong).unwrap()));
                assert!(TagWords::new(&want[..19]).is_none());
            }
        }
    }
}
