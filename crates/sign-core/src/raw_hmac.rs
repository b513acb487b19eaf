//! HMAC on the raw compression function, for the digests with 64-byte blocks and 32-bit
//! words (SHA-1, SHA-224, SHA-256): the keyed states, and tags of messages streamed from
//! their slices.
//!
//! Through `hmac`, every tag cloned the keyed `Hmac` (both states and a block buffer), fed the
//! message through the buffer and finalized it through `digest`'s generic padding; for a
//! token's message of a few dozen bytes that bookkeeping cost about as much as the
//! compressions themselves. Here a tag costs the compressions HMAC needs (the message's whole
//! blocks straight from its slices, the padded last block, one block for the outer hash) on
//! stack copies of the two keyed state words. The three digests share SHA-1's padding (`0x80`,
//! zeros, the big-endian 64-bit bit length); SHA-224 is SHA-256 with its own initial state and
//! its last word dropped from the tag.
//!
//! # What is wiped
//! The keyed states ([`Keyed`]) are wiped when dropped; the key block they are built in is
//! wiped once they are. Each tag computation wipes its copy of the inner state and the inner
//! digest; the message bytes are the token's own, and the outer state is the tag. As
//! everywhere in this crate, moves may leave bit copies on the stack (docs/SECURITY.md).

use core::marker::PhantomData;

use sha1::Digest;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// The block length of every digest here.
pub(crate) const BLOCK: usize = 64;

/// A digest with 64-byte blocks and `N` 32-bit state words (a type per digest, so each
/// one's compression function is called directly).
pub(crate) trait Md<const N: usize> {
    /// The initial state.
    const IV: [u32; N];
    /// How many state words make the tag.
    const TAG_WORDS: usize;
    /// The tag length in bytes.
    const TAG_LEN: usize = Self::TAG_WORDS * 4;
    /// The outer hash's input: the inner digest (its first bytes, zero here), then the
    /// padding for the key block and the digest, which never changes.
    const DIGEST_BLOCK: [u8; BLOCK] = digest_block(Self::TAG_LEN);

    /// Compresses `blocks` into `state`.
    fn compress(state: &mut [u32; N], blocks: &[[u8; BLOCK]]);

    /// XORs the digest of a key longer than a block into the key block.
    fn xor_digest(key: &[u8], block: &mut [u8; BLOCK]);
}

/// HMAC-SHA-1.
pub(crate) struct Sha1Md;

impl Md<5> for Sha1Md {
    const IV: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    const TAG_WORDS: usize = 5;

    fn compress(state: &mut [u32; 5], blocks: &[[u8; BLOCK]]) {
        sha1::block_api::compress(state, blocks);
    }

    fn xor_digest(key: &[u8], block: &mut [u8; BLOCK]) {
        xor_digest::<sha1::Sha1>(key, block);
    }
}

/// HMAC-SHA-224.
pub(crate) struct Sha224Md;

impl Md<8> for Sha224Md {
    const IV: [u32; 8] = [
        0xC105_9ED8,
        0x367C_D507,
        0x3070_DD17,
        0xF70E_5939,
        0xFFC0_0B31,
        0x6858_1511,
        0x64F9_8FA7,
        0xBEFA_4FA4,
    ];
    const TAG_WORDS: usize = 7;

    fn compress(state: &mut [u32; 8], blocks: &[[u8; BLOCK]]) {
        sha2::block_api::compress256(state, blocks);
    }

    fn xor_digest(key: &[u8], block: &mut [u8; BLOCK]) {
        xor_digest::<sha2::Sha224>(key, block);
    }
}

/// HMAC-SHA-256.
pub(crate) struct Sha256Md;

impl Md<8> for Sha256Md {
    const IV: [u32; 8] = [
        0x6A09_E667,
        0xBB67_AE85,
        0x3C6E_F372,
        0xA54F_F53A,
        0x510E_527F,
        0x9B05_688C,
        0x1F83_D9AB,
        0x5BE0_CD19,
    ];
    const TAG_WORDS: usize = 8;

    fn compress(state: &mut [u32; 8], blocks: &[[u8; BLOCK]]) {
        sha2::block_api::compress256(state, blocks);
    }

    fn xor_digest(key: &[u8], block: &mut [u8; BLOCK]) {
        xor_digest::<sha2::Sha256>(key, block);
    }
}

fn xor_digest<D: Digest>(key: &[u8], block: &mut [u8; BLOCK]) {
    let mut digest = D::digest(key);
    block
        .iter_mut()
        .zip(digest.iter())
        .for_each(|(b, k)| *b ^= k);
    let digest: &mut [u8] = &mut digest;
    digest.zeroize();
}

/// A block holding zeros for a `tag_len`-byte digest, then the padding of a
/// `BLOCK + tag_len`-byte message.
// A constant: an index out of bounds would be a build error, not a panic.
#[allow(clippy::indexing_slicing)]
const fn digest_block(tag_len: usize) -> [u8; BLOCK] {
    let mut block = [0; BLOCK];
    block[tag_len] = 0x80;
    let bits = ((BLOCK + tag_len) as u64 * 8).to_be_bytes();
    let mut i = 0;
    while i < 8 {
        block[BLOCK - 8 + i] = bits[i];
        i += 1;
    }
    block
}

/// Writes the state words big-endian into `out`, as many as fit.
pub(crate) fn write_state(state: &[u32], out: &mut [u8]) {
    for (word, dst) in state.iter().zip(out.chunks_exact_mut(4)) {
        dst.copy_from_slice(&word.to_be_bytes());
    }
}

/// The big-endian words of a tag of `words` words (the rest zero); `None` for a tag of any
/// other length.
pub(crate) fn tag_words<const N: usize>(tag: &[u8], words: usize) -> Option<[u32; N]> {
    let (chunks, []) = tag.as_chunks::<4>() else {
        return None;
    };
    if chunks.len() != words || words > N {
        return None;
    }
    let mut out = [0; N];
    for (word, chunk) in out.iter_mut().zip(chunks) {
        *word = u32::from_be_bytes(*chunk);
    }
    Some(out)
}

/// Whether two tags' words are equal, in constant time: every word's difference folded into
/// one, compared once, no early exit.
pub(crate) fn words_equal(a: &[u32], b: &[u32]) -> bool {
    let difference = a.iter().zip(b).fold(0u32, |acc, (x, y)| acc | (x ^ y));
    difference.ct_eq(&0).into()
}

/// Keys HMAC with digest `M` and `key`: `inner` and `outer` become the states after the key
/// block XORed with the inner and the outer pad. `block` is left holding the outer one; the
/// caller wipes or overwrites it.
pub(crate) fn key_states<M: Md<N>, const N: usize>(
    key: &[u8],
    block: &mut [u8; BLOCK],
    inner: &mut [u32; N],
    outer: &mut [u32; N],
) {
    // The key block: the key, or its digest when longer than a block, zero-padded, XORed
    // with the inner pad.
    *block = [0x36; BLOCK];
    if key.len() > BLOCK {
        M::xor_digest(key, block);
    } else {
        block.iter_mut().zip(key).for_each(|(b, k)| *b ^= k);
    }
    *inner = M::IV;
    M::compress(inner, core::slice::from_ref(block));
    block.iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
    *outer = M::IV;
    M::compress(outer, core::slice::from_ref(block));
}

/// HMAC with digest `M` keyed once: the states after the inner and the outer key block.
pub(crate) struct Keyed<M, const N: usize> {
    inner: [u32; N],
    outer: [u32; N],
    md: PhantomData<M>,
}

impl<M, const N: usize> Clone for Keyed<M, N> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner,
            outer: self.outer,
            md: PhantomData,
        }
    }
}

impl<M, const N: usize> Drop for Keyed<M, N> {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl<M: Md<N>, const N: usize> Keyed<M, N> {
    /// Keys HMAC with `key` (any length).
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut block = [0; BLOCK];
        let mut keyed = Self {
            inner: [0; N],
            outer: [0; N],
            md: PhantomData,
        };
        key_states::<M, N>(key, &mut block, &mut keyed.inner, &mut keyed.outer);
        block.zeroize();
        keyed
    }

    /// The tag of the concatenated `parts`, as state words (the first `tag_words` of them).
    fn state_of(&self, parts: &[&[u8]]) -> [u32; N] {
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
                M::compress(&mut inner, core::slice::from_ref(&block));
                rest = tail;
            }
            let (blocks, tail) = rest.as_chunks::<BLOCK>();
            M::compress(&mut inner, blocks);
            if let Some(dst) = block.get_mut(..tail.len()) {
                dst.copy_from_slice(tail);
            }
            filled = tail.len();
        }
        // The padding: 0x80, zeros, the bit length in the last 8 bytes (of a second block
        // when fewer than 9 bytes are left in this one). `filled < BLOCK` here.
        if let Some((first, zeros)) = block.get_mut(filled..).and_then(<[u8]>::split_first_mut) {
            *first = 0x80;
            zeros.fill(0);
        }
        if filled >= BLOCK - 8 {
            M::compress(&mut inner, core::slice::from_ref(&block));
            block = [0; BLOCK];
        }
        if let Some(dst) = block.get_mut(BLOCK - 8..) {
            dst.copy_from_slice(&total.wrapping_mul(8).to_be_bytes());
        }
        M::compress(&mut inner, core::slice::from_ref(&block));
        let mut digest_block = M::DIGEST_BLOCK;
        write_state(
            inner.get(..M::TAG_WORDS).unwrap_or_default(),
            &mut digest_block,
        );
        inner.zeroize();
        let mut outer = self.outer;
        M::compress(&mut outer, core::slice::from_ref(&digest_block));
        if let Some(digest) = digest_block.get_mut(..M::TAG_LEN) {
            digest.zeroize();
        }
        outer
    }

    /// Writes the tag of the concatenated `parts` into `out` (at least [`Md::TAG_LEN`]
    /// bytes), returning the tag length.
    pub(crate) fn tag(&self, parts: &[&[u8]], out: &mut [u8]) -> usize {
        let state = self.state_of(parts);
        write_state(
            state.get(..M::TAG_WORDS).unwrap_or_default(),
            out.get_mut(..M::TAG_LEN).unwrap_or_default(),
        );
        M::TAG_LEN
    }

    /// Whether `tag` is the tag of `message`, compared in constant time.
    pub(crate) fn verify(&self, message: &[u8], tag: &[u8]) -> bool {
        let words = M::TAG_WORDS;
        match tag_words::<N>(tag, words) {
            // Only the tag's words (SHA-224's state has one more).
            Some(expected) => words_equal(
                self.state_of(&[message]).get(..words).unwrap_or_default(),
                expected.get(..words).unwrap_or_default(),
            ),
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use hmac::{Hmac, KeyInit, Mac};

    use super::*;

    /// Every key length around the block (hashed or padded), every message length around
    /// the padding boundaries, and (for one key) the message split into parts at every pair
    /// of points, against `hmac`.
    fn equals_hmac<H: Mac + KeyInit, M: Md<N>, const N: usize>() {
        for key_len in [0usize, 1, 19, 20, 55, 63, 64, 65, 128] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 7 + 3) as u8).collect();
            let keyed = Keyed::<M, N>::new(&key);
            for len in 0..=200usize {
                let message: Vec<u8> = (0..len).map(|i| (i * 13 + 1) as u8).collect();
                let mut mac = <H as KeyInit>::new_from_slice(&key).unwrap();
                mac.update(&message);
                let want = mac.finalize().into_bytes().to_vec();
                let mut got = [0u8; 64];
                assert_eq!(keyed.tag(&[&message], &mut got), want.len());
                assert_eq!(
                    &got[..want.len()],
                    want.as_slice(),
                    "key {key_len} msg {len}"
                );
                assert!(keyed.verify(&message, &want));
                let mut wrong = want.clone();
                *wrong.last_mut().unwrap() ^= 0x80;
                assert!(!keyed.verify(&message, &wrong));
                assert!(!keyed.verify(&message, &want[..want.len() - 4]));
                assert!(!keyed.verify(&message, &want[..want.len() - 1]));
                assert!(!keyed.verify(&message, &[want.as_slice(), &[0; 4]].concat()));
                if key_len == 20 {
                    for a in 0..=len {
                        for b in a..=len.min(a + 70) {
                            let parts = [&message[..a], &message[a..b], &[][..], &message[b..]];
                            let mut split = [0u8; 64];
                            keyed.tag(&parts, &mut split);
                            assert_eq!(split, got, "msg {len} split {a} {b}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn sha1_equals_hmac_for_every_boundary_and_split() {
        equals_hmac::<Hmac<sha1::Sha1>, Sha1Md, 5>();
    }

    #[test]
    fn sha224_equals_hmac_for_every_boundary_and_split() {
        equals_hmac::<Hmac<sha2::Sha224>, Sha224Md, 8>();
    }

    #[test]
    fn sha256_equals_hmac_for_every_boundary_and_split() {
        equals_hmac::<Hmac<sha2::Sha256>, Sha256Md, 8>();
    }
}
