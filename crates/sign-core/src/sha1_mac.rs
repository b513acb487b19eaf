//! HMAC-SHA-1 on the raw compression function: the keyed states, and tags of messages
//! streamed from their slices.
//!
//! Through `hmac`, every tag cloned the keyed `Hmac` (both states and a block buffer), fed the
//! message through the buffer and finalized it through `digest`'s generic padding; for a
//! token's message of a few dozen bytes that bookkeeping cost about as much as the two
//! compressions themselves. Here a tag costs the compressions HMAC needs (the message's
//! whole blocks straight from its slices, the padded last block, one block for the outer
//! hash) on stack copies of the two keyed state words.
//!
//! # What is wiped
//! The keyed states ([`Sha1Keyed`]) are wiped when dropped; the key block they are built in is
//! wiped once they are. Each tag computation wipes its copy of the inner state and the inner
//! digest; the message bytes are the token's own, and the outer state is the tag. As
//! everywhere in this crate, moves may leave bit copies on the stack (docs/SECURITY.md).

use sha1::Digest;
use sha1::block_api::compress;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// SHA-1's block length.
pub(crate) const BLOCK: usize = 64;
/// SHA-1's output length.
pub(crate) const TAG_LEN: usize = 20;
/// SHA-1's initial state.
const IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];
/// The outer hash's input: the inner digest (its first [`TAG_LEN`] bytes, zero here), then
/// SHA-1's padding for the key block and the digest (84 bytes), which never changes.
// A constant: an index out of bounds would be a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const DIGEST_BLOCK: [u8; BLOCK] = {
    let mut block = [0; BLOCK];
    block[TAG_LEN] = 0x80;
    let bits = ((BLOCK + TAG_LEN) as u64 * 8).to_be_bytes();
    let mut i = 0;
    while i < 8 {
        block[BLOCK - 8 + i] = bits[i];
        i += 1;
    }
    block
};

/// Writes the state words big-endian into `out`.
pub(crate) fn write_state(state: &[u32; 5], out: &mut [u8]) {
    for (word, dst) in state.iter().zip(out.chunks_exact_mut(4)) {
        dst.copy_from_slice(&word.to_be_bytes());
    }
}

/// The big-endian words of a 20-byte tag; `None` for any other length.
pub(crate) fn tag_words(tag: &[u8]) -> Option<[u32; 5]> {
    let (chunks, []) = tag.as_chunks::<4>() else {
        return None;
    };
    let chunks: &[[u8; 4]; 5] = chunks.try_into().ok()?;
    Some(chunks.map(u32::from_be_bytes))
}

/// Whether two tags' words are equal, in constant time: every word's difference folded into
/// one, compared once, no early exit.
pub(crate) fn words_equal(a: &[u32; 5], b: &[u32; 5]) -> bool {
    let difference = a.iter().zip(b).fold(0u32, |acc, (x, y)| acc | (x ^ y));
    difference.ct_eq(&0).into()
}

/// Keys HMAC-SHA-1 with `key`: `inner` and `outer` become the states after the key block
/// XORed with the inner and the outer pad. `block` is left holding the outer one; the caller
/// wipes or overwrites it.
pub(crate) fn key_states(
    key: &[u8],
    block: &mut [u8; BLOCK],
    inner: &mut [u32; 5],
    outer: &mut [u32; 5],
) {
    // The key block: the key, or its digest when longer than a block, zero-padded, XORed
    // with the inner pad.
    *block = [0x36; BLOCK];
    if key.len() > BLOCK {
        let mut digest = sha1::Sha1::digest(key);
        block
            .iter_mut()
            .zip(digest.iter())
            .for_each(|(b, k)| *b ^= k);
        let digest: &mut [u8] = &mut digest;
        digest.zeroize();
    } else {
        block.iter_mut().zip(key).for_each(|(b, k)| *b ^= k);
    }
    *inner = IV;
    compress(inner, core::slice::from_ref(block));
    block.iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
    *outer = IV;
    compress(outer, core::slice::from_ref(block));
}

/// HMAC-SHA-1 keyed once: the states after the inner and the outer key block.
#[derive(Clone)]
pub(crate) struct Sha1Keyed {
    inner: [u32; 5],
    outer: [u32; 5],
}

impl Drop for Sha1Keyed {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl Sha1Keyed {
    /// Keys HMAC-SHA-1 with `key` (any length).
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0; BLOCK];
        let mut keyed = Self {
            inner: [0; 5],
            outer: [0; 5],
        };
        key_states(key, &mut block, &mut keyed.inner, &mut keyed.outer);
        block.zeroize();
        keyed
    }

    /// The tag of the concatenated `parts`, as state words.
    pub(crate) fn tag_words(&self, parts: &[&[u8]]) -> [u32; 5] {
        let mut inner = self.inner;
        // The bytes of a block not yet complete: `block[..filled]`.
        let mut block = [0u8; BLOCK];
        let mut filled = 0;
        // The key block is the first block of the inner hash.
        let mut total = BLOCK as u64;
        for part in parts {
            total = total.wrapping_add(part.len() as u64);
            let mut rest: &[u8] = part;
            if filled > 0 {
                let (head, tail) = rest.split_at(rest.len().min(BLOCK - filled));
                if let Some(dst) = block.get_mut(filled..filled + head.len()) {
                    dst.copy_from_slice(head);
                }
                filled += head.len();
                if filled < BLOCK {
                    continue;
                }
                compress(&mut inner, core::slice::from_ref(&block));
                rest = tail;
            }
            let (blocks, tail) = rest.as_chunks::<BLOCK>();
            compress(&mut inner, blocks);
            if let Some(dst) = block.get_mut(..tail.len()) {
                dst.copy_from_slice(tail);
            }
            filled = tail.len();
        }
        // SHA-1's padding: 0x80, zeros, the bit length in the last 8 bytes (of a second block
        // when fewer than 9 bytes are left in this one). `filled < BLOCK` here.
        if let Some((first, zeros)) = block.get_mut(filled..).and_then(<[u8]>::split_first_mut) {
            *first = 0x80;
            zeros.fill(0);
        }
        if filled >= BLOCK - 8 {
            compress(&mut inner, core::slice::from_ref(&block));
            block = [0; BLOCK];
        }
        if let Some(dst) = block.get_mut(BLOCK - 8..) {
            dst.copy_from_slice(&total.wrapping_mul(8).to_be_bytes());
        }
        compress(&mut inner, core::slice::from_ref(&block));
        let mut digest_block = DIGEST_BLOCK;
        write_state(&inner, &mut digest_block);
        inner.zeroize();
        let mut outer = self.outer;
        compress(&mut outer, core::slice::from_ref(&digest_block));
        if let Some(digest) = digest_block.get_mut(..TAG_LEN) {
            digest.zeroize();
        }
        outer
    }

    /// Writes the tag of the concatenated `parts` into `out` (at least [`TAG_LEN`] bytes).
    pub(crate) fn tag(&self, parts: &[&[u8]], out: &mut [u8]) {
        write_state(&self.tag_words(parts), out);
    }

    /// Whether `tag` is the tag of `message`, compared in constant time.
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        match tag_words(tag) {
            Some(expected) => words_equal(&self.tag_words(&[message]), &expected),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use hmac::{Hmac, KeyInit, Mac};

    use super::*;

    /// Every key length around the block (hashed or padded), every message length around
    /// the padding boundaries, and the message split into parts at every pair of points,
    /// against `hmac`.
    #[test]
    fn equals_hmac_for_every_boundary_and_split() {
        for key_len in [0usize, 1, 19, 20, 55, 63, 64, 65, 128] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 7 + 3) as u8).collect();
            let keyed = Sha1Keyed::new(&key);
            for len in 0..=200usize {
                let message: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
                let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(&key).unwrap();
                mac.update(&message);
                let want = mac.finalize().into_bytes();
                let mut got = [0u8; TAG_LEN];
                keyed.tag(&[&message], &mut got);
                assert_eq!(got.as_slice(), want.as_slice(), "key {key_len} msg {len}");
                assert!(keyed.verify(&message, &want));
                let mut wrong = want.to_vec();
                wrong[19] ^= 0x80;
                assert!(!keyed.verify(&message, &wrong));
                assert!(!keyed.verify(&message, &want[..19]));
                assert!(!keyed.verify(&message, &[want.as_slice(), &[0]].concat()));
                if key_len == 20 {
                    for a in 0..=len {
                        for b in a..=len.min(a + 70) {
                            let parts = [&message[..a], &message[a..b], &[][..], &message[b..]];
                            let mut split = [0u8; TAG_LEN];
                            keyed.tag(&parts, &mut split);
                            assert_eq!(split, got, "msg {len} split {a} {b}");
                        }
                    }
                }
            }
        }
    }
}
