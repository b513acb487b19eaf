//! HMAC-SHA-1 on the raw compression function, for key audits only.
//!
//! An audit computes two HMACs per candidate key (the derived key, then the token's tag),
//! always over the same salt and the same message. Through `hmac` each one builds a keyed
//! `Hmac` (padded key block, two states, block buffers), moves it, feeds and finalizes it:
//! measured at about 40% of an audit's time. Here the salt and the message are padded into
//! whole blocks once ([`PaddedMessage`]), and a candidate costs exactly the compressions
//! HMAC needs (two for the key, the message blocks, one for the outer hash) on stack arrays
//! of state words.
//!
//! # What is wiped
//! The key block, both keyed states, the inner digest block and the tag are wiped before
//! returning (as everything keyed in this crate; moves may leave bit copies on the stack,
//! see docs/SECURITY.md). The padded salt and message are public (they are in the token
//! and the configuration).

use sha1::Digest;
use sha1::block_api::compress;
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

/// SHA-1's block length.
const BLOCK: usize = 64;
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

/// Writes the state words big-endian into `out`.
fn write_state(state: &[u32; 5], out: &mut [u8]) {
    for (word, dst) in state.iter().zip(out.chunks_exact_mut(4)) {
        dst.copy_from_slice(&word.to_be_bytes());
    }
}

/// The HMAC-SHA-1 tag of `message` under `key`.
pub(crate) fn tag(key: &[u8], message: &PaddedMessage, out: &mut [u8; TAG_LEN]) {
    // The key block: the key, or its digest when longer than a block, zero-padded.
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        let mut digest = sha1::Sha1::digest(key);
        if let Some(dst) = block.get_mut(..TAG_LEN) {
            dst.copy_from_slice(&digest);
        }
        let digest: &mut [u8] = &mut digest;
        digest.zeroize();
    } else if let Some(dst) = block.get_mut(..key.len()) {
        dst.copy_from_slice(key);
    }
    block.iter_mut().for_each(|b| *b ^= 0x36);
    let mut inner = IV;
    compress(&mut inner, core::slice::from_ref(&block));
    block.iter_mut().for_each(|b| *b ^= 0x36 ^ 0x5c);
    let mut outer = IV;
    compress(&mut outer, core::slice::from_ref(&block));
    // Inner hash over the message, then the outer hash over the inner digest.
    compress(&mut inner, &message.blocks);
    block.zeroize();
    write_state(&inner, &mut block);
    if let Some(pad) = block.get_mut(TAG_LEN) {
        *pad = 0x80;
    }
    let bits = ((BLOCK + TAG_LEN) as u64 * 8).to_be_bytes();
    if let Some(dst) = block.get_mut(BLOCK - 8..) {
        dst.copy_from_slice(&bits);
    }
    compress(&mut outer, core::slice::from_ref(&block));
    write_state(&outer, out);
    block.zeroize();
    inner.zeroize();
    outer.zeroize();
}

/// Whether `expected` is the tag of `message` under `key`, compared in constant time.
pub(crate) fn verify(key: &[u8], message: &PaddedMessage, expected: &[u8]) -> bool {
    let mut computed = [0u8; TAG_LEN];
    tag(key, message, &mut computed);
    let equal: bool = computed.ct_eq(expected).into();
    computed.zeroize();
    equal
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
                let mut got = [0u8; TAG_LEN];
                tag(key, &PaddedMessage::new(&message), &mut got);
                assert_eq!(
                    got.as_slice(),
                    want.as_slice(),
                    "key {} msg {len}",
                    key.len()
                );
                assert!(verify(key, &PaddedMessage::new(&message), &want));
                let mut wrong = want.to_vec();
                wrong[0] ^= 1;
                assert!(!verify(key, &PaddedMessage::new(&message), &wrong));
                assert!(!verify(key, &PaddedMessage::new(&message), &want[..19]));
            }
        }
    }
}
