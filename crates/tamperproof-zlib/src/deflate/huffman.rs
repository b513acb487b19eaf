//! Length-limited Huffman code lengths and canonical codes.
//!
//! The lengths come from an ordinary Huffman tree (the two-queue construction over the symbols
//! sorted by frequency), so they are optimal whenever the tree is no deeper than the limit.
//! When it is deeper, the histogram of leaf depths is reshaped by the procedure of JPEG
//! (ITU T.81) Annex K.3 `Adjust_BITS`, and the lengths are dealt out again, longest to the
//! rarest symbols.
use crate::tables::reverse_code;

/// The largest alphabet of a deflate code (the literal/length code, symbols 0..=285).
pub(super) const MAX_SYMBOLS: usize = 286;

/// Deeper than any Huffman tree over [`MAX_SYMBOLS`] leaves (at most 285 levels).
const MAX_DEPTH: usize = MAX_SYMBOLS + 1;

/// The size of the work arrays: a power of two above [`MAX_SYMBOLS`], so that an index
/// reduced modulo it (a no-op for the indices used, all below the leaf count) needs no bounds
/// check.
const WORK: usize = 512;

/// Fixed buffers of [`code_lengths`], so no call allocates or clears more than it uses.
#[derive(Debug)]
pub(super) struct HuffmanScratch {
    /// The used symbols as `frequency << 16 | symbol`, sorted ascending.
    leaves: [u64; WORK],
    /// The in-place construction's array: weights, then parent indices, then depths.
    work: [u64; WORK],
    /// The number of leaves at each depth (only the depths of the current tree are written).
    depth_counts: [u32; MAX_DEPTH + 1],
}

impl Default for HuffmanScratch {
    fn default() -> Self {
        HuffmanScratch {
            leaves: [0; WORK],
            work: [0; WORK],
            depth_counts: [0; MAX_DEPTH + 1],
        }
    }
}

/// The value at `index` (always below the leaf count: the modulo is a no-op).
fn at(array: &[u64; WORK], index: usize) -> u64 {
    array.get(index % WORK).copied().unwrap_or(0)
}

/// Sets the value at `index` (always below the leaf count: the modulo is a no-op).
fn put(array: &mut [u64; WORK], index: usize, value: u64) {
    if let Some(slot) = array.get_mut(index % WORK) {
        *slot = value;
    }
}

/// From the `n` leaves (`weight << 16 | symbol`, ascending, at least two, followed by two
/// sentinels `u64::MAX` at `leaves[n]` and `leaves[n + 1]`), the number of leaves at each
/// depth of a Huffman tree, written to `depth_counts[..=deepest]`; returns `deepest` and the
/// tree's cost `sum(weight * depth)`: the sum of the internal nodes' weights (a leaf's weight
/// is in each of its `depth` ancestors'), added up as they are made. `a` is used as work
/// space for the internal nodes. In linear time: the in-place construction of Moffat and
/// Katajainen, "In-place calculation of minimum-redundancy codes" (1995), with the leaf
/// weights read from `leaves` instead of being copied into `a` first (the paper keeps both in
/// one array: the leaves not yet taken always lie above the internal nodes, so the two never
/// meet).
///
/// Pass 1 is the two-queue construction (the sorted leaves and the internal nodes, made in
/// ascending weight order, are both queues; each step joins the two lightest heads, a leaf on
/// ties) storing internal node `k` at `a[k]`: its weight while it waits, then its parent's
/// index once taken. At step `next` (making node `next`) node `next - 1` has not been taken
/// yet, so an internal head exists for the first pick (`root < next`); `a[next]` is free
/// (`a` holds the internal nodes only).
/// Pass 2 turns parent indices into depths from the root (`a[n - 2]`) down: every parent
/// comes after its children, so the depths are non-increasing along `a[..n - 1]`. The
/// paper's pass 3, which walks the levels (a level of `avail` nodes of which `used` are
/// internal holds `avail - used` leaves), is done as pass 2 goes; the paper deals the leaves
/// out, heaviest first, the caller does that from the counts.
fn huffman_depth_counts(
    leaves: &[u64; WORK],
    a: &mut [u64; WORK],
    n: usize,
    depth_counts: &mut [u32; MAX_DEPTH + 1],
) -> (usize, u64) {
    if !(2..=MAX_SYMBOLS).contains(&n) {
        return (0, 0);
    }
    // The sentinels' weight, 2^48 - 1, is above any sum of `n <= 286` `u32` weights.
    let weight = |leaf: usize| at(leaves, leaf) >> 16;
    put(a, 0, weight(0) + weight(1));
    let mut cost = at(a, 0);
    let (mut root, mut leaf, mut next) = (0, 2, 1);
    // Each step makes node `next` from the two lightest untaken items (a leaf on ties), as
    // the paper does, but decides its kind of step from one or two comparisons and then
    // repeats a step of the same kind while it still applies, with the head of the internal
    // queue in a register. `head = a[root]` is the lightest waiting internal node
    // (`root < next`: see above) and `lw = weight(leaf)` the lightest untaken leaf (the
    // sentinels after the leaves spare a test for their end; both `leaves[n]` and
    // `leaves[n + 1]` are sentinels, so `weight(leaf + 1)` is one whenever `leaf >= n - 1`).
    // The leaves are sorted and the internal nodes are made in non-decreasing weight order,
    // so the second lightest item is `min(weight(leaf + 1), a[root + 1])` when the first is a
    // leaf or the head respectively, or the other queue's head:
    // - `weight(leaf + 1) <= head`: both picks take leaves (`lw <= weight(leaf + 1) <= head`,
    //   a leaf wins ties). No internal node is taken, so `head` stays the lightest waiting
    //   one (the nodes made weigh at least as much), and the step repeats while
    //   `weight(leaf + 1) <= head` holds for the next two leaves. Most of a token's leaves
    //   (weights 1 to 3) go in these runs.
    // - else `lw <= head`: the leaf, then the head (`head < weight(leaf + 1)`).
    // - else (`head < lw`): the head first; then `a[root + 1]` if it waits and is lighter
    //   than `lw`, and the step repeats while two waiting nodes are lighter than the leaf;
    //   otherwise the leaf. A real leaf: every step has `n - next >= 2` untaken items, so
    //   when only the head waits a real leaf remains.
    // No sentinel is ever taken, so the sums stay below 2^41.
    while next < n - 1 {
        let head = at(a, root);
        let lw = weight(leaf);
        let mut second = weight(leaf + 1);
        if second <= head {
            // The second leaf's weight, loaded for the test, is kept for the sum.
            loop {
                let sum = weight(leaf) + second;
                put(a, next, sum);
                cost += sum;
                leaf += 2;
                next += 1;
                second = weight(leaf + 1);
                if next >= n - 1 || second > head {
                    break;
                }
            }
        } else if lw <= head {
            put(a, root, next as u64);
            put(a, next, lw + head);
            cost += lw + head;
            root += 1;
            leaf += 1;
            next += 1;
        } else {
            loop {
                // `root < next` here: it holds at every step's start.
                let first = at(a, root);
                put(a, root, next as u64);
                root += 1;
                let second = at(a, root);
                if root < next && second < lw {
                    put(a, root, next as u64);
                    root += 1;
                    put(a, next, first + second);
                    cost += first + second;
                    next += 1;
                    // Another such step while two waiting nodes are lighter than the leaf
                    // (`a[root + 1] < lw`, so `a[root]` too).
                    if next >= n - 1 || root + 1 >= next || at(a, root + 1) >= lw {
                        break;
                    }
                } else {
                    put(a, next, first + lw);
                    cost += first + lw;
                    leaf += 1;
                    next += 1;
                    break;
                }
            }
        }
    }
    // Passes 2 and 3 in one: the depths are made from the root down, and as they are
    // non-decreasing in that order and step by at most one (a node's parent, one level up,
    // comes before it), each change of depth ends a level: of its `avail` nodes, `used` are
    // internal and the rest leaves, and the next level has `2 * used` nodes. The last
    // internal level's children are all leaves. `depth <= n - 2`, within `depth_counts`.
    put(a, n - 2, 0);
    let (mut depth, mut used, mut avail) = (0usize, 1u32, 1u32);
    for next in (0..n - 2).rev() {
        let parent = at(a, next) as usize;
        let node_depth = at(a, parent) + 1;
        put(a, next, node_depth);
        if node_depth != depth as u64 {
            if let Some(count) = depth_counts.get_mut(depth) {
                *count = avail - used;
            }
            (avail, used) = (2 * used, 0);
            depth += 1;
        }
        used += 1;
    }
    if let Some(count) = depth_counts.get_mut(depth) {
        *count = avail - used;
    }
    if let Some(count) = depth_counts.get_mut(depth + 1) {
        *count = 2 * used;
    }
    (depth + 1, cost)
}

/// A code as the bit writer takes it: the code bit-reversed (the writer fills bytes from the
/// least significant bit) in the low 16 bits, its length above.
pub(super) type CodeEntry = u32;

/// The number of codes of each length 0..=15 (length 0 counts nothing).
pub(super) type LengthCounts = [u16; 16];

/// Writes into `lengths` (one per entry of `freqs`) the code lengths of a prefix code for
/// `freqs` that minimises `sum(freq * length)` among codes with no length above `limit`
/// whenever the plain Huffman code respects the limit (otherwise the adjusted code is a close,
/// still complete, substitute).
///
/// A symbol of frequency 0 gets length 0. When fewer than two symbols are used, symbols 0 and
/// 1 are added as needed so that exactly two symbols have length 1: the code is then complete,
/// which every inflater accepts (zlib rejects incomplete code-length codes, and an incomplete
/// literal/length or distance code unless its only length is 1).
///
/// Only the symbols in the bit set `used` (bit `s % 64` of word `s / 64` for symbol `s`) are
/// looked at; the others get length 0. Returns `sum(freq * length)`, and writes into `counts` how
/// many symbols got each length (what [`canonical_codes_of`] needs first).
///
/// `freqs.len()` must be at most [`MAX_SYMBOLS`] and below `2^limit`, and `limit` at most 15
/// (the deflate codes: 286 or 30 symbols with limit 15, 19 symbols with limit 7); other inputs
/// give lengths that may not form a valid code but never panic.
pub(super) fn code_lengths(
    freqs: &[u32],
    used: &[u64],
    limit: u8,
    lengths: &mut [u8],
    counts: &mut LengthCounts,
    scratch: &mut HuffmanScratch,
) -> u64 {
    lengths.fill(0);
    *counts = [0; 16];
    // The leaves in ascending order of `frequency << 16 | symbol`, sorted by bucket: the set
    // bits come in ascending symbol order, so the leaves of frequency 1 (most of a small
    // block's) are in order as they come and go straight to `leaves`, and so are those of
    // frequency 2 (kept at the front of `work` meanwhile); only the others (kept at its back)
    // are sorted. The bit set is walked word by word (through the bit-set iterator this cost
    // twice as much per symbol).
    let (mut ones, mut twos, mut others) = (0, 0, 0);
    let mut heaviest = 0;
    // At most `freqs.len() <= MAX_SYMBOLS` symbols have a frequency (the others are skipped),
    // so the groups fit their arrays without a check per symbol.
    let freqs = freqs.get(..MAX_SYMBOLS).unwrap_or(freqs);
    for (first, &word) in (0..MAX_SYMBOLS).step_by(64).zip(used) {
        let mut word = word;
        while word != 0 {
            let symbol = first + word.trailing_zeros() as usize;
            word &= word - 1;
            let freq = freqs.get(symbol).copied().unwrap_or(0);
            let leaf = u64::from(freq) << 16 | symbol as u64;
            match freq {
                0 => {}
                1 => {
                    put(&mut scratch.leaves, ones, leaf);
                    ones += 1;
                }
                2 => {
                    put(&mut scratch.work, twos, leaf);
                    twos += 1;
                }
                _ => {
                    others += 1;
                    put(&mut scratch.work, WORK - others, leaf);
                    heaviest = heaviest.max(freq);
                }
            }
        }
    }
    // `twos + others <= MAX_SYMBOLS < WORK`: the two groups of `work` do not overlap.
    let count = ones + twos + others;
    let (Some(two_leaves), Some(other_leaves)) =
        (scratch.work.get(..twos), scratch.work.get(WORK - others..))
    else {
        return 0;
    };
    let Some((two_slots, other_slots)) = scratch
        .leaves
        .get_mut(ones..count)
        .and_then(|slots| slots.split_at_mut_checked(twos))
    else {
        return 0;
    };
    for (slot, &leaf) in two_slots.iter_mut().zip(two_leaves) {
        *slot = leaf;
    }
    sort_others(other_leaves, heaviest, other_slots);
    put(&mut scratch.leaves, count, u64::MAX);
    put(&mut scratch.leaves, count + 1, u64::MAX);
    let leaves = scratch.leaves.get(..count).unwrap_or(&[]);
    if count < 2 {
        // One or no used symbol: two codes of length 1 (the used one, and 0 or 1).
        let used = leaves.first().map(|&leaf| (leaf & 0xffff) as usize);
        let partner = if used == Some(0) { 1 } else { 0 };
        for symbol in [used.unwrap_or(1), partner] {
            if let Some(length) = lengths.get_mut(symbol) {
                *length = 1;
                counts[1] += 1;
            }
        }
        return leaves.first().map_or(0, |&leaf| leaf >> 16);
    }
    if let &[first, second] = leaves {
        // Two symbols (a token's distances, often): both of length 1, what the construction
        // below gives them.
        let mut cost = 0;
        for leaf in [first, second] {
            if let Some(length) = lengths.get_mut((leaf & 0xffff) as usize) {
                *length = 1;
                counts[1] += 1;
                cost += leaf >> 16;
            }
        }
        return cost;
    }
    let bits = &mut scratch.depth_counts;
    let (max_depth, tree_cost) =
        huffman_depth_counts(&scratch.leaves, &mut scratch.work, count, bits);
    let leaves = scratch.leaves.get(..count).unwrap_or(&[]);
    let limit = usize::from(limit);
    let limited = max_depth > limit;
    if limited {
        limit_depths(bits, max_depth, limit);
    }
    // Deal the lengths out, a level at a time: the rarest symbols (first in `leaves`) get the
    // longest codes.
    // Each level's leaves as a slice (a plain loop over it, not one iterator step and test
    // per leaf).
    let mut rest = leaves;
    for length in (1..=max_depth.min(limit)).rev() {
        let level = bits.get(length).copied().unwrap_or(0);
        let (at_level, shorter) = rest.split_at_checked(level as usize).unwrap_or((rest, &[]));
        for &leaf in at_level {
            if let Some(slot) = lengths.get_mut((leaf & 0xffff) as usize) {
                *slot = length as u8;
            }
        }
        rest = shorter;
        if let Some(count) = counts.get_mut(length) {
            *count = level as u16;
        }
    }
    if !limited {
        return tree_cost;
    }
    // The reshaped tree's cost, from the lengths just dealt out.
    leaves
        .iter()
        .map(|&leaf| {
            let length = lengths.get((leaf & 0xffff) as usize).copied().unwrap_or(0);
            (leaf >> 16).saturating_mul(u64::from(length))
        })
        .fold(0u64, u64::saturating_add)
}

/// From this many leaves heavier than 2, [`sort_others`] counts rather than compares (below
/// it clearing the buckets costs more than the comparisons save: callgrind, 63-byte dict).
const COUNTING_MIN: usize = 16;

/// Frequencies below this are counted by [`sort_others`].
const COUNTING_BUCKETS: usize = 256;

/// Writes the leaves `others` (all of frequency 3 or more, in descending symbol order, the
/// heaviest of frequency `heaviest`) into `slots` (as many) in ascending order. Many leaves of
/// small frequencies (a few hundred bytes of text) go through a counting sort by frequency
/// (symbols ascending within one: `others` is read backwards), which gives the same order as
/// the comparison sort (the keys `frequency << 16 | symbol` are distinct) in fewer
/// instructions; the others through `sort_unstable`.
fn sort_others(others: &[u64], heaviest: u32, slots: &mut [u64]) {
    let buckets = heaviest as usize + 1;
    if others.len() < COUNTING_MIN || buckets > COUNTING_BUCKETS {
        for (slot, &leaf) in slots.iter_mut().zip(others) {
            *slot = leaf;
        }
        slots.sort_unstable();
        return;
    }
    // Each frequency's first slot (the counts made cumulative; fewer than 2^16 leaves).
    let mut starts = [0u16; COUNTING_BUCKETS];
    for &leaf in others {
        if let Some(start) = starts.get_mut((leaf >> 16) as usize) {
            *start += 1;
        }
    }
    let mut sum = 0u16;
    for start in starts.iter_mut().take(buckets) {
        (*start, sum) = (sum, sum + *start);
    }
    for &leaf in others.iter().rev() {
        if let Some(start) = starts.get_mut((leaf >> 16) as usize) {
            if let Some(slot) = slots.get_mut(usize::from(*start)) {
                *slot = leaf;
            }
            *start += 1;
        }
    }
}

/// Reshapes the depth histogram `bits[..=max_depth]` of a full tree deeper than `limit` so
/// that no leaf is deeper than `limit` (JPEG, ITU T.81 Annex K.3 `Adjust_BITS`). The tree is
/// full, so the deepest level holds sibling pairs. Each step removes a pair at the deepest
/// level `i` (their parent becomes a leaf at `i - 1`) and splits a leaf at some level
/// `j < i - 1` into two leaves at `j + 1`: the number of leaves and the Kraft sum (= 1) stay
/// the same, the tree stays full, and the deepest level shrinks until it is `limit`. A leaf at
/// a level below `i - 1` always exists: otherwise all leaves sit at `i - 1` or deeper, which
/// takes at least 2^(i-1) >= 2^limit leaves, more than the alphabet has.
fn limit_depths(bits: &mut [u32; MAX_DEPTH + 1], max_depth: usize, limit: usize) {
    let mut deepest = max_depth.min(MAX_DEPTH);
    while deepest > limit {
        if bits.get(deepest).copied().unwrap_or(0) == 0 {
            deepest -= 1;
            continue;
        }
        let mut j = deepest.saturating_sub(2);
        while j > 0 && bits.get(j).copied().unwrap_or(0) == 0 {
            j -= 1;
        }
        if j == 0 {
            break; // unreachable for valid alphabets (see above)
        }
        for (level, change) in [(deepest, -2i64), (deepest - 1, 1), (j + 1, 2), (j, -1)] {
            if let Some(slot) = bits.get_mut(level) {
                *slot = (i64::from(*slot) + change).max(0) as u32;
            }
        }
    }
}

/// The first canonical code (RFC 1951 section 3.2.2) of each length, from the lengths'
/// `counts`.
fn first_codes(counts: &LengthCounts) -> [u16; 16] {
    let mut next = [0u16; 16];
    let mut code = 0u16;
    for length in 1..16 {
        code = code.wrapping_add(counts.get(length - 1).copied().unwrap_or(0)) << 1;
        if let Some(slot) = next.get_mut(length) {
            *slot = code;
        }
    }
    next
}

/// Gives a symbol of code length `length` the next code of that length in `next` (a
/// length of 0, or above 15, gets no code).
#[inline(always)]
fn assign(next: &mut [u16; 16], length: u8, slot: &mut CodeEntry) {
    let length = usize::from(length);
    match next.get_mut(length) {
        Some(next_code) if length > 0 => {
            let reversed = reverse_code(u32::from(*next_code), length as u32);
            *slot = reversed | (length as u32) << 16;
            *next_code = next_code.wrapping_add(1);
        }
        _ => *slot = 0,
    }
}

/// Writes the canonical code of each symbol of `lengths` into `codes` as a [`CodeEntry`].
/// `counts` are the lengths' counts (from [`code_lengths`]).
pub(super) fn canonical_codes(lengths: &[u8], counts: &LengthCounts, codes: &mut [CodeEntry]) {
    let mut next = first_codes(counts);
    for (slot, &length) in codes.iter_mut().zip(lengths) {
        assign(&mut next, length, slot);
    }
}

/// [`canonical_codes`] for the symbols in the bit set `used` (bit `s % 64` of word `s / 64`
/// for symbol `s`, including every symbol with a nonzero length; set bits from
/// `lengths.len()` on are ignored): the codes of the others are left as they are. The bit
/// set is walked word by word in a plain loop (through the bit-set iterator this cost more
/// per symbol).
pub(super) fn canonical_codes_of(
    lengths: &[u8],
    counts: &LengthCounts,
    used: &[u64],
    codes: &mut [CodeEntry],
) {
    let mut next = first_codes(counts);
    'words: for (first, &word) in (0..).step_by(64).zip(used) {
        let mut word = word;
        while word != 0 {
            let symbol = first + word.trailing_zeros() as usize;
            word &= word - 1;
            let (Some(&length), Some(slot)) = (lengths.get(symbol), codes.get_mut(symbol)) else {
                break 'words;
            };
            assign(&mut next, length, slot);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;

    use proptest::prelude::*;

    use super::{
        HuffmanScratch, MAX_DEPTH, MAX_SYMBOLS, WORK, assign, code_lengths, huffman_depth_counts,
        sort_others,
    };

    /// The cost `sum(freq * length)` of an unlimited Huffman code: the sum of all merged
    /// weights (a textbook heap construction, independent of ours).
    fn huffman_cost(freqs: &[u32]) -> u64 {
        let mut heap: BinaryHeap<Reverse<u64>> = freqs
            .iter()
            .filter(|&&freq| freq > 0)
            .map(|&freq| Reverse(u64::from(freq)))
            .collect();
        let mut cost = 0;
        while let (Some(Reverse(a)), Some(Reverse(b))) = (heap.pop(), heap.pop()) {
            cost += a + b;
            heap.push(Reverse(a + b));
        }
        cost
    }

    fn cost(freqs: &[u32], lengths: &[u8]) -> u64 {
        freqs
            .iter()
            .zip(lengths)
            .map(|(&freq, &length)| u64::from(freq) * u64::from(length))
            .sum()
    }

    /// Kraft sum in units of 2^-limit.
    fn kraft(lengths: &[u8], limit: u8) -> u64 {
        lengths
            .iter()
            .filter(|&&length| length > 0)
            .map(|&length| 1u64 << (limit - length))
            .sum()
    }

    fn lengths_of(freqs: &[u32], limit: u8) -> Vec<u8> {
        let mut lengths = vec![0; freqs.len()];
        let mut counts = [0; 16];
        let mut all = [0u64; MAX_SYMBOLS.div_ceil(64)];
        for symbol in 0..freqs.len() {
            all[symbol / 64] |= 1 << (symbol % 64);
        }
        let total = code_lengths(
            freqs,
            &all,
            limit,
            &mut lengths,
            &mut counts,
            &mut HuffmanScratch::default(),
        );
        assert_eq!(total, cost(freqs, &lengths));
        for (length, &count) in counts.iter().enumerate().skip(1) {
            let with_length = lengths
                .iter()
                .filter(|&&l| usize::from(l) == length)
                .count();
            assert_eq!(usize::from(count), with_length);
        }
        lengths
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

        /// Frequencies small enough that no Huffman tree is deeper than 15 (that takes a total
        /// of at least Fibonacci(17) = 1597... so keep the total below): the code is optimal.
        #[test]
        fn optimal_when_the_limit_is_not_hit(
            freqs in prop::collection::vec(0u32..6, 2..MAX_SYMBOLS),
        ) {
            let lengths = lengths_of(&freqs, 15);
            let used = freqs.iter().filter(|&&freq| freq > 0).count();
            prop_assert!(lengths.iter().all(|&length| length <= 15));
            if used >= 2 {
                prop_assert_eq!(cost(&freqs, &lengths), huffman_cost(&freqs));
                prop_assert_eq!(kraft(&lengths, 15), 1 << 15);
            }
            for (&freq, &length) in freqs.iter().zip(&lengths) {
                if freq > 0 {
                    prop_assert!(length > 0);
                }
            }
        }

        /// Any frequencies: complete, within the limit, every used symbol has a code.
        #[test]
        fn complete_and_limited(
            freqs in prop::collection::vec(prop_oneof![Just(0u32), 1u32..4, any::<u32>().prop_map(|f| f >> 8)], 2..=19),
            limit in 7u8..=15,
        ) {
            let lengths = lengths_of(&freqs, limit);
            prop_assert!(lengths.iter().all(|&length| length <= limit));
            prop_assert_eq!(kraft(&lengths, limit), 1 << limit);
            for (&freq, &length) in freqs.iter().zip(&lengths) {
                if freq > 0 {
                    prop_assert!(length > 0);
                }
            }
        }
    }

    /// The leaves per depth of the textbook two-queue Huffman tree (each step joins the two
    /// lightest heads of the sorted leaves and the internal nodes, a leaf on ties), built as
    /// a tree with explicit children: the reference for [`huffman_depth_counts`], whose steps
    /// must be the same ones.
    fn two_queue_depth_counts(weights: &[u64]) -> Vec<u32> {
        use std::collections::VecDeque;
        // Node ids: the leaves 0..n, then the internal nodes; children of internal nodes.
        let n = weights.len();
        let mut children: Vec<(usize, usize)> = Vec::new();
        let mut leaves: VecDeque<(u64, usize)> = weights.iter().copied().zip(0..).collect();
        let mut internal: VecDeque<(u64, usize)> = VecDeque::new();
        let pick = |leaves: &mut VecDeque<(u64, usize)>, internal: &mut VecDeque<(u64, usize)>| {
            match (leaves.front(), internal.front()) {
                (Some(leaf), Some(node)) if node.0 < leaf.0 => internal.pop_front(),
                (Some(_), _) => leaves.pop_front(),
                _ => internal.pop_front(),
            }
            .unwrap()
        };
        for _ in 0..n - 1 {
            let (wa, a) = pick(&mut leaves, &mut internal);
            let (wb, b) = pick(&mut leaves, &mut internal);
            internal.push_back((wa + wb, n + children.len()));
            children.push((a, b));
        }
        let mut counts = vec![0u32; n];
        let mut stack = vec![(2 * n - 2, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            if node < n {
                counts[depth] += 1;
            } else {
                let (a, b) = children[node - n];
                stack.push((a, depth + 1));
                stack.push((b, depth + 1));
            }
        }
        while counts.last() == Some(&0) {
            counts.pop();
        }
        counts
    }

    proptest! {
        /// The construction takes the textbook two-queue steps: the same leaves per depth.
        #[test]
        fn depth_counts_match_the_two_queue_tree(
            mut weights in prop::collection::vec(
                prop_oneof![1u64..4, 1u64..40, 1u64..100_000],
                2..MAX_SYMBOLS,
            ),
        ) {
            weights.sort_unstable();
            let mut leaves = [0u64; WORK];
            // Stale values past the sentinels must not matter.
            leaves.fill(1 << 16);
            for (slot, (&weight, symbol)) in leaves.iter_mut().zip(weights.iter().zip(0u64..)) {
                *slot = weight << 16 | symbol;
            }
            leaves[weights.len()] = u64::MAX;
            leaves[weights.len() + 1] = u64::MAX;
            let mut work = [7u64; WORK];
            let mut depth_counts = [0u32; MAX_DEPTH + 1];
            let (deepest, cost) =
                huffman_depth_counts(&leaves, &mut work, weights.len(), &mut depth_counts);
            let expected = two_queue_depth_counts(&weights);
            prop_assert_eq!(&depth_counts[..=deepest], &expected[..]);
            // The cost from the counts: the heaviest leaves are the shallowest.
            let mut dealt = 0u64;
            let mut rest = weights.iter().rev();
            for (depth, &count) in expected.iter().enumerate() {
                for _ in 0..count {
                    dealt += rest.next().unwrap() * depth as u64;
                }
            }
            prop_assert_eq!(cost, dealt);
        }
    }

    proptest! {
        /// The counting sort and the comparison sort put the leaves in the same order.
        #[test]
        fn sort_others_sorts(freqs in prop::collection::vec(3u32..300, 0..MAX_SYMBOLS)) {
            // As the caller keeps them: descending symbol order.
            let others: Vec<u64> = freqs
                .iter()
                .enumerate()
                .rev()
                .map(|(symbol, &freq)| u64::from(freq) << 16 | symbol as u64)
                .collect();
            let heaviest = freqs.iter().copied().max().unwrap_or(0);
            let mut slots = vec![0; others.len()];
            sort_others(&others, heaviest, &mut slots);
            let mut sorted = others.clone();
            sorted.sort_unstable();
            prop_assert_eq!(slots, sorted);
        }
    }

    #[test]
    fn fibonacci_frequencies_respect_the_limit() {
        for (symbols, limit) in [(MAX_SYMBOLS, 15u8), (30, 15), (19, 7)] {
            let mut freqs = vec![0u32; symbols];
            let (mut a, mut b) = (1u32, 1u32);
            for freq in &mut freqs {
                *freq = a;
                (a, b) = (b, a.saturating_add(b));
            }
            let lengths = lengths_of(&freqs, limit);
            assert_eq!(lengths.iter().max(), Some(&limit));
            assert_eq!(kraft(&lengths, limit), 1 << limit);
            assert!(lengths.iter().all(|&length| length > 0));
            // Never worse than the same code with one more bit per symbol... and the adjusted
            // code costs at least the unlimited optimum.
            assert!(cost(&freqs, &lengths) >= huffman_cost(&freqs));
            // Rarer symbols never get shorter codes.
            for pair in lengths.windows(2) {
                assert!(pair[0] >= pair[1]);
            }
        }
    }

    /// Every code of every length gets its bits reversed (against `u16::reverse_bits`, both
    /// ways `assign` reverses: one lookup up to 8 bits, two above) and the next code counts on.
    #[test]
    fn assign_reverses_every_code_of_every_length() {
        for length in 1..=15u8 {
            for code in 0..1u16 << length {
                let mut next = [0u16; 16];
                next[usize::from(length)] = code;
                let mut slot = 0;
                assign(&mut next, length, &mut slot);
                let expected =
                    u32::from(code.reverse_bits() >> (16 - length)) | u32::from(length) << 16;
                assert_eq!(slot, expected, "length {length}, code {code:#b}");
                assert_eq!(next[usize::from(length)], code + 1);
            }
        }
        let mut next = [5u16; 16];
        let mut slot = 7;
        assign(&mut next, 0, &mut slot);
        assert_eq!((slot, next), (0, [5; 16]));
    }

    #[test]
    fn one_or_no_symbol_gives_two_codes_of_length_one() {
        assert_eq!(lengths_of(&[0, 0, 0], 15), [1, 1, 0]);
        assert_eq!(lengths_of(&[0, 0, 5], 15), [1, 0, 1]);
        assert_eq!(lengths_of(&[5, 0, 0], 15), [1, 1, 0]);
    }
}
