//! Compression through C zlib (feature `c-zlib`): compressed tokens byte-identical to the
//! ones CPython's `zlib.compress` writes, with a proven shortcut for Python's compress-or-not
//! rule.
//!
//! # The compress-or-not shortcut
//!
//! Python keeps the compressed form of a payload of `n` bytes only when it is shorter than
//! `n - 1` bytes. [`compress_if_shorter`] first asks [`cannot_save_two_bytes`], which answers
//! `true` only when it has proved that the compressor's output would be at least `n - 1`
//! bytes, so skipping the compressor gives the decision the compressor would give. The proof:
//!
//! The output is a 2-byte header, a deflate stream of `D` bytes and a 4-byte Adler-32, so
//! Python's rule keeps it exactly when `6 + D <= n - 2`. We show `6 + D >= n - 1`.
//!
//! 1. **Tiny payloads (`n <= 10`).** With `n >= 1`, the block holding the first byte is stored
//!    (at least `1 + 4 + n` bytes), fixed-Huffman (3 header bits, at least 8 bits for the
//!    first symbol, which is a literal because a match copies earlier output and no preset
//!    dictionary is used, 7 bits for the end of block: 18 bits) or dynamic (29 header bits,
//!    see 4, plus at least 1 bit for a symbol and 1 for the end of block). So `D >= 3` and
//!    `6 + D >= 9 >= n - 1`. With `n = 0`, `6 + D >= 7`.
//! 2. **No match is possible** when the `n - 2` three-byte windows of the payload are
//!    pairwise distinct ([`has_repeated_trigram`] checks this exactly): a deflate match is at
//!    least 3 bytes long and repeats the 3 bytes at some earlier position (overlapping
//!    copies included). Every symbol is then a literal or the end-of-block code.
//! 3. **One block.** For payloads of at most [`BOUND_MAX_INPUT`] bytes, compressed with one
//!    `Finish` call, C zlib writes a single block: it ends a block early only when its symbol
//!    buffer (16383 symbols at the memory level 8 that flate2 uses) is full.
//! 4. **That block's size.** Stored: `D >= 1 + 4 + n`. Fixed Huffman: literals cost 8 or 9
//!    bits, so `D >= (3 + 8n + 7) / 8 > n + 1`. Both satisfy `6 + D >= n - 1`. Dynamic
//!    Huffman costs at least
//!    - 3 bits block header, 5 + 5 + 4 bits HLIT, HDIST, HCLEN, and 3 bits for each of at
//!      least 4 code-length-code lengths: 29 bits;
//!    - the code lengths of the `k` symbols used (each distinct byte, plus end-of-block) are
//!      non-zero, and a non-zero length is written either by a code-length symbol 1..=15
//!      (at least 1 bit, one length) or by symbol 16 (at least 1 + 2 bits, at most 6
//!      copies of the previous length): at least `ceil(k / 2)` bits;
//!    - the literals and the end of block, coded with a prefix code: at least the Huffman
//!      cost `H` of their counts (the end of block counted once), because a Huffman code
//!      minimises the sum of count times code length over all prefix codes (Huffman, 1952),
//!      and deflate's 15-bit limit can only add to it.
//!
//!    So `D >= ceil((29 + ceil(k / 2) + H) / 8)`, and [`cannot_save_two_bytes`] returns
//!    `true` only when `6 + ceil((29 + ceil(k / 2) + H) / 8) >= n - 1`.
//!
//! The bound only decides short payloads (up to ~30 bytes of JSON; longer JSON almost always
//! repeats a 3-byte window such as `","`); everything else goes to the compressor. The unit
//! test `shortcut_gives_the_compressors_decision` checks the decision against the full
//! compressor on 140,000 random, JSON-shaped and realistic (small dicts, password-reset dicts,
//! Flask-Login sessions) payloads.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// The longest payload [`cannot_save_two_bytes`] examines; longer ones go to the compressor.
/// (Beyond ~100 bytes no JSON text can satisfy the bound, and proof step 3 needs a bound.)
const BOUND_MAX_INPUT: usize = 128;

thread_local! {
    /// One deflate state per thread, reset between uses: setting up a fresh zlib state per
    /// token costs more than compressing a small payload.
    static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(6), true));
}

/// Python's rule: compresses `data` into `out` and returns `true` when the zlib stream is at
/// least 2 bytes shorter than `data`; otherwise returns `false` (`out` then holds nothing
/// useful). Payloads that provably cannot save 2 bytes skip the compressor (see the module
/// docs for the proof).
pub(super) fn compress_if_shorter(data: &[u8], out: &mut Vec<u8>) -> bool {
    if cannot_save_two_bytes(data) {
        out.clear();
        return false;
    }
    compress(data, out).is_ok() && out.len().saturating_add(1) < data.len()
}

/// Compresses `data` into a zlib stream at level 6 (Python's `zlib.compress` default),
/// replacing the contents of `out`.
pub(super) fn compress(data: &[u8], out: &mut Vec<u8>) -> Result<(), flate2::CompressError> {
    out.clear();
    // zlib's worst case is about data + 0.1% + 12 bytes; a little more avoids regrowth.
    out.reserve(
        data.len()
            .saturating_add(data.len() / 1000)
            .saturating_add(64),
    );
    COMPRESSOR.with(|cell| {
        let mut compressor = cell.borrow_mut();
        compressor.reset();
        loop {
            let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
            let input = data.get(consumed..).unwrap_or_default();
            let status = compressor.compress_vec(input, out, FlushCompress::Finish)?;
            if status == Status::StreamEnd {
                return Ok(());
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// `true` only when the zlib stream of `data` is proven to be at least `data.len() - 1`
/// bytes long, whatever the backend (module docs, steps 1-4). `false` means "not proven".
fn cannot_save_two_bytes(data: &[u8]) -> bool {
    let n = data.len();
    if n <= 10 {
        return true; // step 1
    }
    if n > BOUND_MAX_INPUT || has_repeated_trigram(data) {
        return false; // steps 2 and 3 do not apply
    }
    let mut counts = [0u32; 256];
    for &byte in data {
        if let Some(count) = counts.get_mut(usize::from(byte)) {
            *count += 1;
        }
    }
    // Every count of a used byte, plus the end-of-block symbol (counted once).
    let mut weights = [0u32; 257];
    let mut used = 0;
    for count in counts.into_iter().filter(|&c| c > 0).chain([1]) {
        if let Some(slot) = weights.get_mut(used) {
            *slot = count;
            used += 1;
        }
    }
    let weights = weights.get_mut(..used).unwrap_or_default();
    let symbols = u32::try_from(weights.len()).unwrap_or(u32::MAX);
    let dynamic_bits = 29u32
        .saturating_add(symbols.div_ceil(2))
        .saturating_add(huffman_cost(weights));
    let lower_bound = 6usize.saturating_add(usize::try_from(dynamic_bits.div_ceil(8)).unwrap_or(0));
    lower_bound.saturating_add(1) >= n
}

/// Whether some 3-byte window of `data` occurs twice (overlaps count). A 4096-bit filter on a
/// hash of the window finds candidates; a candidate is confirmed by comparing bytes, so the
/// answer is exact. For `data` of at most [`BOUND_MAX_INPUT`] bytes.
fn has_repeated_trigram(data: &[u8]) -> bool {
    let mut seen = [0u64; 64];
    for (position, window) in data.windows(3).enumerate() {
        let &[a, b, c] = window else { continue };
        let key = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
        let hash = key.wrapping_mul(0x9E37_79B1) >> 20; // 12 bits
        let (word, bit) = ((hash / 64) as usize, 1u64 << (hash % 64));
        let Some(slot) = seen.get_mut(word) else {
            continue;
        };
        if *slot & bit != 0 && data.windows(3).take(position).any(|w| w == window) {
            return true;
        }
        *slot |= bit;
    }
    false
}

/// The Huffman cost (sum over symbols of count times code length of an optimal prefix code)
/// of `weights`: the sum of the weights of the merged nodes. `weights` is sorted in place.
fn huffman_cost(weights: &mut [u32]) -> u32 {
    weights.sort_unstable();
    // Two queues: the sorted leaves, and the merged nodes, which come out in ascending order.
    let mut merged = [0u32; 257];
    let (mut leaf, mut head, mut tail) = (0usize, 0usize, 0usize);
    let mut total = 0u32;
    for _ in 1..weights.len() {
        let mut smallest = || {
            let from_leaves = weights.get(leaf).copied();
            let from_merged = (head < tail).then(|| merged.get(head).copied()).flatten();
            match (from_leaves, from_merged) {
                (Some(l), Some(m)) if m < l => {
                    head += 1;
                    m
                }
                (Some(l), _) => {
                    leaf += 1;
                    l
                }
                (None, Some(m)) => {
                    head += 1;
                    m
                }
                (None, None) => 0,
            }
        };
        let node = smallest().saturating_add(smallest());
        if let Some(slot) = merged.get_mut(tail) {
            *slot = node;
            tail += 1;
        }
        total = total.saturating_add(node);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::super::payloads::{byte_payload, json_payload, realistic_payload};
    use super::*;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        compress(data, &mut out).unwrap();
        out
    }

    /// The full compressor's decision under Python's rule.
    fn compressor_decides(data: &[u8]) -> bool {
        let compressed = zlib(data);
        assert!(compressed.starts_with(&[0x78, 0x9c]), "{compressed:02x?}");
        compressed.len() + 1 < data.len()
    }

    #[test]
    fn shortcut_gives_the_compressors_decision() {
        use proptest::test_runner::{Config, TestCaseError, TestRunner};
        use std::cell::Cell;

        let proven = Cell::new(0usize);
        let check = |data: Vec<u8>| -> Result<(), TestCaseError> {
            let full = compressor_decides(&data);
            if cannot_save_two_bytes(&data) {
                proven.set(proven.get() + 1);
                proptest::prop_assert!(!full, "proved incompressible but compresses: {data:?}");
                // The shortcut answers without compressing, and answers the same.
                proptest::prop_assert!(!compress_if_shorter(&data, &mut Vec::new()));
            }
            // Otherwise compress_if_shorter is the full compressor's decision itself.
            Ok(())
        };
        let config = Config {
            cases: 60_000,
            failure_persistence: None,
            ..Config::default()
        };
        TestRunner::new(config.clone())
            .run(&byte_payload(), check)
            .unwrap();
        TestRunner::new(config).run(&json_payload(), check).unwrap();
        let realistic = Config {
            cases: 20_000,
            failure_persistence: None,
            ..Config::default()
        };
        TestRunner::new(realistic)
            .run(&realistic_payload(), check)
            .unwrap();
        // The shortcut is exercised, not vacuous.
        assert!(proven.get() > 20_000, "{}", proven.get());
    }

    #[test]
    fn shortcut_decides_short_json_and_leaves_longer_json_to_the_compressor() {
        assert!(cannot_save_two_bytes(b""));
        assert!(cannot_save_two_bytes(b"{\"id\":42}"));
        assert!(cannot_save_two_bytes(b"{\"user_id\":12345}"));
        // `","` repeats: not provable, the compressor decides (and keeps it uncompressed).
        let small = br#"{"id":42,"name":"alice","roles":["admin","user"],"active":true}"#;
        assert!(!cannot_save_two_bytes(small));
        assert!(!compress_if_shorter(small, &mut Vec::new()));
        let mut out = Vec::new();
        assert!(compress_if_shorter(&[b'a'; 100], &mut out));
        assert!(out.starts_with(&[0x78, 0x9c]));
    }

    #[test]
    fn repeated_trigrams_are_found_exactly() {
        assert!(!has_repeated_trigram(b""));
        assert!(!has_repeated_trigram(b"abcdef"));
        assert!(has_repeated_trigram(b"aaaa"));
        assert!(has_repeated_trigram(b"xabcyabc"));
        let distinct: Vec<u8> = (0..=127).collect();
        assert!(!has_repeated_trigram(&distinct));
    }

    #[test]
    fn huffman_cost_is_optimal() {
        assert_eq!(huffman_cost(&mut [5]), 0);
        assert_eq!(huffman_cost(&mut [1, 1]), 2);
        // 1,1,2,4: lengths 3,3,2,1 -> 3 + 3 + 4 + 4 = 14
        assert_eq!(huffman_cost(&mut [4, 1, 2, 1]), 14);
        assert_eq!(huffman_cost(&mut [1; 8]), 24);
    }
}
