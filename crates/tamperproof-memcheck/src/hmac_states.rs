//! HMAC's key-equivalent chaining values, computed independently of the hmac crate.
//!
//! HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)) with K' the key padded (or first
//! hashed) to the block size. The hash state after absorbing the one block `K' ^ ipad` (the
//! inner state) and after `K' ^ opad` (the outer state) are all anyone needs to compute
//! tags: they are as secret as the key. The hmac crate keeps exactly these states. This
//! module computes them with the hash crates' raw compression functions, and returns them as
//! the bytes of the state words in native byte order: how they lie in memory.

use sha1::Digest;

/// A digest whose HMAC states can be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hash {
    /// SHA-1 (64-byte blocks, five 32-bit words).
    Sha1,
    /// SHA-256 (64-byte blocks, eight 32-bit words).
    Sha256,
    /// SHA-512 (128-byte blocks, eight 64-bit words).
    Sha512,
}

const SHA1_IV: [u32; 5] = [
    0x6745_2301,
    0xEFCD_AB89,
    0x98BA_DCFE,
    0x1032_5476,
    0xC3D2_E1F0,
];
const SHA256_IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];
const SHA512_IV: [u64; 8] = [
    0x6a09_e667_f3bc_c908,
    0xbb67_ae85_84ca_a73b,
    0x3c6e_f372_fe94_f82b,
    0xa54f_f53a_5f1d_36f1,
    0x510e_527f_ade6_82d1,
    0x9b05_688c_2b3e_6c1f,
    0x1f83_d9ab_fb41_bd6b,
    0x5be0_cd19_137e_2179,
];

impl Hash {
    const fn block_len(self) -> usize {
        match self {
            Self::Sha1 | Self::Sha256 => 64,
            Self::Sha512 => 128,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// The state words, in native byte order, after compressing `blocks` from the IV.
    fn state_after(self, blocks: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => {
                let mut state = SHA1_IV;
                sha1::block_api::compress(&mut state, &to_blocks::<64>(blocks));
                state.iter().flat_map(|w| w.to_ne_bytes()).collect()
            }
            Self::Sha256 => {
                let mut state = SHA256_IV;
                sha2::block_api::compress256(&mut state, &to_blocks::<64>(blocks));
                state.iter().flat_map(|w| w.to_ne_bytes()).collect()
            }
            Self::Sha512 => {
                let mut state = SHA512_IV;
                sha2::block_api::compress512(&mut state, &to_blocks::<128>(blocks));
                state.iter().flat_map(|w| w.to_ne_bytes()).collect()
            }
        }
    }
}

fn to_blocks<const N: usize>(data: &[u8]) -> Vec<[u8; N]> {
    data.chunks(N)
        .map(|chunk| {
            let mut block = [0u8; N];
            for (dst, src) in block.iter_mut().zip(chunk) {
                *dst = *src;
            }
            block
        })
        .collect()
}

/// The key padded to one block (hashed first when longer than a block), XORed with `pad`.
fn padded_key(hash: Hash, key: &[u8], pad: u8) -> Vec<u8> {
    let mut block = if key.len() > hash.block_len() {
        hash.digest(key)
    } else {
        key.to_vec()
    };
    block.resize(hash.block_len(), 0);
    block.iter_mut().for_each(|b| *b ^= pad);
    block
}

/// The inner (`K' ^ 0x36`) and outer (`K' ^ 0x5c`) chaining values of HMAC with `key`.
#[must_use]
pub fn inner_outer(hash: Hash, key: &[u8]) -> (Vec<u8>, Vec<u8>) {
    (
        hash.state_after(&padded_key(hash, key, 0x36)),
        hash.state_after(&padded_key(hash, key, 0x5c)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finishing the hash of the one padded-key block from the computed state gives the
    /// hash crate's digest of that block: the IVs and the compression calls are right.
    #[test]
    fn states_continue_to_the_real_digest() {
        for hash in [Hash::Sha1, Hash::Sha256, Hash::Sha512] {
            let block = padded_key(hash, b"some key", 0x36);
            let n = hash.block_len();
            // Merkle-Damgard padding of a one-block message: 0x80, zeros, bit length.
            let mut message = block.clone();
            message.push(0x80);
            let len_field = if n == 64 { 8 } else { 16 };
            message.resize(2 * n - len_field, 0);
            let bits = (n as u128) * 8;
            message.extend_from_slice(&bits.to_be_bytes()[16 - len_field..]);
            let words = hash.state_after(&message);
            let expected = hash.digest(&block);
            let big_endian: Vec<u8> = match hash {
                Hash::Sha512 => words
                    .chunks(8)
                    .flat_map(|c| u64::from_ne_bytes(c.try_into().unwrap()).to_be_bytes())
                    .collect(),
                _ => words
                    .chunks(4)
                    .flat_map(|c| u32::from_ne_bytes(c.try_into().unwrap()).to_be_bytes())
                    .collect(),
            };
            assert_eq!(big_endian, expected, "{hash:?}");
        }
    }
}
