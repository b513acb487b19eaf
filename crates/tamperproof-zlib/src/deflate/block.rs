//! Deflate blocks: their exact sizes in bits (from symbol counts, without encoding anything)
//! and their encoding.

use super::huffman::{
    CodeEntry, HuffmanScratch, LengthCounts, canonical_codes, canonical_codes_of, code_lengths,
};
use super::lz77::{Symbol, Token, unpack};
use crate::tables::{
    CODE_LENGTH_ORDER, DISTANCE_EXTRA, END_OF_BLOCK, LENGTH_BASE, LENGTH_EXTRA, MAX_CODE_BITS,
    MAX_CODE_LENGTH_BITS, MIN_MATCH, fixed_literal_lengths,
};

/// Literal/length symbols a block can use (286 and 287 never occur).
pub(super) const LITERAL_SYMBOLS: usize = 286;
/// Distance symbols a block can use (30 and 31 never occur).
pub(super) const DISTANCE_SYMBOLS: usize = 30;
/// The most bytes one stored block holds.
const STORED_MAX: usize = 65_535;
/// Symbols of the code-length code.
const CODE_LENGTH_SYMBOLS: usize = 19;

/// The length symbol (minus 257) of each `length - 3`.
const LENGTH_CODE: [u8; 256] = length_codes();

/// Fills [`LENGTH_CODE`] at compile time (indexing in a const evaluation: an index out of
/// bounds is a build error, never a runtime panic).
#[allow(clippy::indexing_slicing)]
const fn length_codes() -> [u8; 256] {
    let mut codes = [0u8; 256];
    let mut code = 0;
    while code < 28 {
        let first = LENGTH_BASE[code] as usize - MIN_MATCH;
        let mut offset = 0;
        while offset < 1 << LENGTH_EXTRA[code] {
            if first + offset < 256 {
                codes[first + offset] = code as u8;
            }
            offset += 1;
        }
        code += 1;
    }
    codes[255] = 28;
    codes
}

/// The fixed literal/length code as [`CodeEntry`]s.
const FIXED_LITERAL_CODES: [CodeEntry; 288] = fixed_literal_codes();

/// The fixed literal/length code's lengths.
const FIXED_LITERAL_LENGTHS: [u8; 288] = fixed_literal_lengths();

/// Computes [`FIXED_LITERAL_CODES`] at compile time (RFC 1951 section 3.2.6: 0..=143 are
/// 8-bit codes from 0x30, 144..=255 9-bit from 0x190, 256..=279 7-bit from 0, 280..=287
/// 8-bit from 0xc0).
#[allow(clippy::indexing_slicing)]
const fn fixed_literal_codes() -> [CodeEntry; 288] {
    let mut codes = [0; 288];
    let mut symbol = 0;
    while symbol < 288 {
        let (code, length) = match symbol {
            0..=143 => (0x30 + symbol, 8),
            144..=255 => (0x190 + symbol - 144, 9),
            256..=279 => (symbol - 256, 7),
            _ => (0xc0 + symbol - 280, 8),
        };
        codes[symbol] = ((code as u16).reverse_bits() >> (16 - length)) as u32 | length << 16;
        symbol += 1;
    }
    codes
}

/// The fixed distance code as [`CodeEntry`]s: 5-bit codes 0..=29.
const FIXED_DISTANCE_CODES: [CodeEntry; 32] = fixed_distance_codes();

/// Computes [`FIXED_DISTANCE_CODES`] at compile time.
#[allow(clippy::indexing_slicing)]
const fn fixed_distance_codes() -> [CodeEntry; 32] {
    let mut codes = [0; 32];
    let mut symbol = 0;
    while symbol < 32 {
        codes[symbol] = ((symbol as u16).reverse_bits() >> 11) as u32 | 5 << 16;
        symbol += 1;
    }
    codes
}

/// The distance symbol of a distance 1..=32768.
fn distance_code(distance: u16) -> usize {
    let d = u32::from(distance.saturating_sub(1));
    if d < 4 {
        d as usize
    } else {
        let log = 31 - d.leading_zeros();
        (2 * log + ((d >> (log - 1)) & 1)) as usize
    }
}

/// The length symbol (minus 257) of a `length - 3`.
fn length_code(length_offset: u8) -> usize {
    usize::from(
        LENGTH_CODE
            .get(usize::from(length_offset))
            .copied()
            .unwrap_or(0),
    )
}

/// Words of a bit set over the literal/length lengths followed by the distance lengths of a
/// dynamic header (at most 286 + 30 positions).
const SEQUENCE_WORDS: usize = (LITERAL_SYMBOLS + DISTANCE_SYMBOLS).div_ceil(64);

/// Words of a bit set over the literal/length symbols.
const LITERAL_WORDS: usize = LITERAL_SYMBOLS.div_ceil(64);

/// The positions of the set bits of `words`, ascending.
pub(super) fn set_bits(words: &[u64]) -> SetBits<'_> {
    SetBits {
        words: words.iter(),
        word: 0,
        base: 0usize.wrapping_sub(64),
    }
}

/// See [`set_bits`].
#[derive(Clone)]
pub(super) struct SetBits<'a> {
    /// The words not yet looked at.
    words: std::slice::Iter<'a, u64>,
    /// The bits of the current word not yet returned.
    word: u64,
    /// The position of the current word's bit 0.
    base: usize,
}

impl Iterator for SetBits<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.word == 0 {
            self.word = *self.words.next()?;
            self.base = self.base.wrapping_add(64);
        }
        let bit = self.word.trailing_zeros() as usize;
        self.word &= self.word - 1;
        Some(self.base.wrapping_add(bit))
    }
}

/// Calls `f` with the start and end of each run of set bits of `words` (the positions from
/// `start` to `end - 1` set, `start - 1` and `end` not), ascending: a few word operations
/// per run instead of a test per bit.
#[inline(always)]
fn each_stretch(words: &[u64], mut f: impl FnMut(usize, usize)) {
    let mut from = 0;
    while let Some(start) = next_bit(words, from, 0) {
        let end = next_bit(words, start, !0).unwrap_or(words.len() * 64);
        f(start, end);
        from = end;
    }
}

/// The first position at or after `from` whose bit of `words`, flipped by `flip` (0, or
/// all ones to look for a clear bit), is set.
#[inline(always)]
fn next_bit(words: &[u64], from: usize, flip: u64) -> Option<usize> {
    let mut index = from / 64;
    let mut word = (words.get(index)? ^ flip) & (!0u64 << (from % 64));
    while word == 0 {
        index += 1;
        word = words.get(index)? ^ flip;
    }
    Some(index * 64 + word.trailing_zeros() as usize)
}

/// Sets bit `position` of `words` (nothing past the end).
fn set_bit(words: &mut [u64], position: usize) {
    if let Some(word) = words.get_mut(position / 64) {
        *word |= 1 << (position % 64);
    }
}

/// One past the highest set bit of `words` (0 when none is set).
fn bits_end(words: &[u64]) -> usize {
    words
        .iter()
        .rposition(|&word| word != 0)
        .map_or(0, |index| {
            index * 64 + 64 - words.get(index).map_or(64, |word| word.leading_zeros()) as usize
        })
}

/// What one block's symbols use (kept in the thread's scratch).
///
/// Filled by [`Counts::count`] from a block's symbols, or symbol by symbol as the parse emits
/// them ([`Counts::clear`], the `add_` methods, [`Counts::finish`]).
#[derive(Debug, Clone)]
pub(super) struct Counts {
    /// Frequency of each literal/length symbol (the end-of-block symbol counted once).
    literal: [u32; LITERAL_SYMBOLS],
    /// Frequency of each distance symbol.
    distance: [u32; DISTANCE_SYMBOLS],
    /// The literal/length symbols with a nonzero frequency, as a bit set (the literals' bits
    /// folded in from `literal_seen` by [`Counts::finish`]).
    literal_used: [u64; LITERAL_WORDS],
    /// 1 for each byte counted as a literal: one store per literal where a bit set costs
    /// five instructions (shift, word index, or), and a literal is most of a token's parse.
    literal_seen: [u8; 256],
    /// The distance symbols with a nonzero frequency, as a bit set.
    distance_used: u32,
    /// The extra bits of all lengths and distances (the same in every Huffman block).
    extra_bits: u64,
    /// The fixed code's bits for the symbols (without the extra bits; the literals' are added
    /// by [`Counts::finish`]).
    fixed_code_bits: u64,
    /// Literals counted.
    literals: usize,
    /// Matches counted.
    matches: usize,
    /// The bytes the matches stand for.
    match_len: usize,
    /// Symbols including the end of block (set by [`Counts::finish`]).
    symbols: u64,
    /// The bytes the symbols stand for (set by [`Counts::finish`]).
    pub(super) data_len: usize,
    /// Where a dynamic code of these counts has nonzero lengths (set by [`Counts::finish`]).
    lengths: NonzeroLengths,
}

impl Default for Counts {
    fn default() -> Self {
        Counts {
            literal: [0; LITERAL_SYMBOLS],
            distance: [0; DISTANCE_SYMBOLS],
            literal_used: [0; LITERAL_WORDS],
            literal_seen: [0; 256],
            distance_used: 0,
            extra_bits: 0,
            fixed_code_bits: 0,
            literals: 0,
            matches: 0,
            match_len: 0,
            symbols: 0,
            data_len: 0,
            lengths: NonzeroLengths::default(),
        }
    }
}

impl Counts {
    /// Counts `symbols` (plus the end of block), replacing the previous counts.
    pub(super) fn count(&mut self, symbols: &[Symbol]) {
        self.clear();
        for &symbol in symbols {
            match unpack(symbol) {
                Token::Literal(byte) => self.add_literals(&[byte]),
                Token::Match {
                    length_offset,
                    distance,
                } => self.add_match(length_offset, distance),
            }
        }
        self.finish();
    }

    /// Starts a block: nothing counted.
    pub(super) fn clear(&mut self) {
        *self = Counts::default();
    }

    /// Counts literals.
    #[inline(always)]
    pub(super) fn add_literals(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.tally_literal(byte);
        }
        self.literals += bytes.len();
    }

    /// Counts literals and appends their symbols to `symbols`, in one pass over the bytes
    /// (two passes, a vectorised copy and the count, cost more on the short streaks of
    /// literals a token's parse emits).
    #[inline(always)]
    pub(super) fn push_literals(&mut self, bytes: &[u8], symbols: &mut Vec<Symbol>) {
        symbols.extend(bytes.iter().map(|&byte| {
            self.tally_literal(byte);
            Symbol::from(byte)
        }));
        self.literals += bytes.len();
    }

    /// One literal's frequency and used bit (without [`Counts::literals`]).
    #[inline(always)]
    fn tally_literal(&mut self, byte: u8) {
        let byte = usize::from(byte);
        if let Some(freq) = self.literal.get_mut(byte) {
            *freq += 1;
        }
        if let Some(seen) = self.literal_seen.get_mut(byte) {
            *seen = 1;
        }
    }

    /// Counts one match (`length - 3`, distance 1..=32767).
    ///
    /// Out of line: inlined into the parse, its distance code was computed (speculatively)
    /// on every lazy step, match or not (callgrind: 25 instructions a step; url-dumps-small
    /// 82 and url-dumps-4k 253 instructions a call more than the call costs).
    #[inline(never)]
    pub(super) fn add_match(&mut self, length_offset: u8, distance: u16) {
        let length = length_code(length_offset);
        let distance = distance_code(distance);
        self.fixed_code_bits += self.count_literal(257 + length);
        if let Some(freq) = self.distance.get_mut(distance) {
            *freq += 1;
            self.distance_used |= 1 << distance;
        }
        let extra = LENGTH_EXTRA.get(length).copied().unwrap_or(0)
            + DISTANCE_EXTRA.get(distance).copied().unwrap_or(0);
        self.extra_bits += u64::from(extra);
        // Every distance code of the fixed code is 5 bits long.
        self.fixed_code_bits += 5;
        self.matches += 1;
        self.match_len += usize::from(length_offset) + MIN_MATCH;
    }

    /// Ends the block: counts the end of block, and sums the literals' fixed-code bits (8 for
    /// bytes 0..=143, 9 for 144..=255) from their counts.
    pub(super) fn finish(&mut self) {
        // Eight flags (bytes of 0 or 1) to eight bits at once: the multiplication adds flag
        // `i`, shifted by `56 - 7i`, to bit 56 + i, without carries.
        for (word, flags) in self
            .literal_used
            .iter_mut()
            .zip(self.literal_seen.chunks_exact(64))
        {
            for (group, eight) in flags.chunks_exact(8).enumerate() {
                if let Ok(&eight) = <&[u8; 8]>::try_from(eight) {
                    let bits = u64::from_le_bytes(eight).wrapping_mul(0x0102_0408_1020_4080) >> 56;
                    *word |= bits << (8 * group);
                }
            }
        }
        self.fixed_code_bits += self.count_literal(usize::from(END_OF_BLOCK));
        // Summed in `u32`: the literals counted are at most the input's length, below 2^32
        // (longer inputs are not parsed), so no sum of their counts overflows.
        let nine_bit = self.literal.get(144..256).map_or(0, |freqs| {
            freqs.iter().fold(0u32, |sum, &freq| sum.wrapping_add(freq))
        });
        self.fixed_code_bits += 8 * self.literals as u64 + u64::from(nine_bit);
        self.symbols = (self.literals + self.matches) as u64 + 1;
        self.data_len = self.literals + self.match_len;
        self.lengths = nonzero_lengths(&self.literal_used, self.distance_used);
    }

    /// Counts one literal/length symbol; returns its fixed-code length.
    fn count_literal(&mut self, symbol: usize) -> u64 {
        if let Some(freq) = self.literal.get_mut(symbol) {
            *freq += 1;
            set_bit(&mut self.literal_used, symbol);
        }
        u64::from(FIXED_LITERAL_LENGTHS.get(symbol).copied().unwrap_or(0))
    }

    /// The exact size of this block as a fixed-Huffman block.
    pub(super) fn fixed_bits(&self) -> u64 {
        3 + self.fixed_code_bits + self.extra_bits
    }

    /// A quick lower bound of this block's size as a dynamic block: its 3-bit block header,
    /// the 14 bits of HLIT/HDIST/HCLEN, at least 4 code-length-code lengths of 3 bits, at
    /// least one bit per symbol (every used symbol has a nonzero code length; the end of
    /// block is counted in `symbols`) and the extra bits, which every Huffman block writes
    /// the same. The code-length sequence (>= 0 bits) is left out. At most
    /// [`Counts::dynamic_lower_bound`].
    pub(super) fn symbols_lower_bound(&self) -> u64 {
        3 + 14 + 12 + self.symbols + self.extra_bits
    }

    /// A lower bound of this block's size as a dynamic block, from the counts alone (no code
    /// is built): every part of [`DynamicCode::finish`]'s exact size is bounded below.
    ///
    /// - The 3-bit block header and the 14 bits of HLIT, HDIST and HCLEN, and the extra bits
    ///   of lengths and distances, are exact.
    /// - The literal/length and distance codes' bits: at least [`entropy_bound`] of their
    ///   frequencies (no prefix code does better) and at least a bit per symbol.
    /// - HCLEN: the code lengths sent are exactly the used symbols' (every used symbol gets a
    ///   nonzero length, the others none but the partners [`nonzero_lengths`] adds), so the
    ///   zero runs of the header's sequence, and the code-length symbols 0, 17 and 18 they
    ///   take, are known. Of the lengths themselves: both codes are complete (Kraft's sum is
    ///   1, also when length-limited), so a code of `n` lengths has one of at most
    ///   `floor(log2 n)` and one of at least `ceil(log2 n)` (all longer, or all shorter, and
    ///   the sum is below, or above, 1). HCLEN is at least what sends the earliest (in
    ///   [`CODE_LENGTH_ORDER`]) of each such range: a distance code of two or three lengths
    ///   has a length 1, the 18th in that order.
    /// - The sequence's codes: the zero runs' symbols are exact; each stretch of adjacent
    ///   nonzero positions `m` long writes `m` length symbols when `m <= 3` (a repeat code 16
    ///   needs three copies after the first), at least one otherwise. The lengths' values are
    ///   unknown, so they count as one symbol: merging symbols never makes a prefix code's
    ///   cost larger (give the merged symbol the shortest of their codes), nor does dropping
    ///   occurrences (the 16s and the stretches' further lengths), so [`entropy_bound`] of the
    ///   frequencies so counted, and a bit per symbol, bound the sequence's bits. But when the
    ///   literal/length code has `n` lengths, `n` not a power of two, they are not all equal
    ///   (`n` equal lengths `l` sum to `n / 2^l`, which is 1 only for `n = 2^l`): merged into
    ///   two kinds of `a` and `b`, `a + b >= L` of the `L` counted, and with both reduced to
    ///   `a + b = L` (at least 1 each), the entropy is least at `L - 1` and 1 (`f log2 f` is
    ///   convex), which is counted. And a distance code of two or three lengths has lengths
    ///   1, 1 or 1, 2, 2; when the literal/length code has no length 1, those 1s (two or one)
    ///   are a kind of their own, written exactly so often (no run of them is long enough for
    ///   a 16), and the other kinds hold the rest of the `L`, at least one or two symbols. A
    ///   code of three or more lengths has no length 1 when its heaviest symbol weighs less
    ///   than a third of them all: a Huffman leaf at depth 1 is the root's child beside a
    ///   node made when that leaf was waiting too, from the two lightest nodes then, neither
    ///   heavier than it, so the leaf weighs at least half the rest; and the length limit
    ///   only moves leaves deeper (`limit_depths` never adds one at depth 1). The zero runs'
    ///   extra bits are exact, the 16s' (at least 0) left out.
    pub(super) fn dynamic_lower_bound(&self) -> u64 {
        let (literal_bits, heaviest) = used_entropy_bound(&self.literal, &self.literal_used);
        let literal_bits = literal_bits.max(self.symbols);
        let distance_used = [u64::from(self.distance_used)];
        let distance_bits = used_entropy_bound(&self.distance, &distance_used)
            .0
            .max(self.matches as u64);
        let lengths = &self.lengths;
        // The code-length symbols 0, 17 and 18 of the zero runs, the length symbols (merged)
        // and the zero runs' extra bits.
        let mut freqs = [0u32; 6];
        let mut extra_bits = 0u64;
        let mut zeros = |gap: usize| {
            encode_run(0, gap, &mut |symbol, _, copies| {
                // 0, 17 and 18 to slots 0, 1 and 2.
                if let Some(freq) = freqs.get_mut(usize::from(symbol.saturating_sub(16))) {
                    *freq += copies as u32;
                }
                extra_bits += u64::from(length_extra_bits(symbol));
            });
        };
        // Each stretch of adjacent nonzero positions: its gap from the previous, and its
        // length symbols.
        let mut length_symbols = 0u32;
        let mut end = 0;
        each_stretch(&lengths.positions, |start, stretch_end| {
            zeros(start - end);
            let length = (stretch_end - start) as u32;
            length_symbols += if length <= 3 { length } else { 1 };
            end = stretch_end;
        });
        let total = lengths.hlit + lengths.hdist;
        zeros(total.saturating_sub(end));
        // The length symbols' kinds (see above): the literal/length code's, of two kinds at
        // least unless its count is a power of two, and the distance code's lengths 1 (both
        // of a code of two, one of a code of three) as a kind apart when the literal/length
        // code has no length 1.
        let two_kinds = u32::from(!lengths.literal_count.is_power_of_two());
        let literal_no_one = lengths.literal_count >= 3 && 3 * u64::from(heaviest) < self.symbols;
        let ones = match lengths.distance_count {
            2 if literal_no_one => 2,
            3 if literal_no_one => 1,
            _ => 0,
        };
        let literal_kinds = length_symbols.saturating_sub(ones).max(1 + two_kinds);
        let [.., most, apart, one] = &mut freqs;
        (*most, *apart, *one) = (literal_kinds - two_kinds, two_kinds, ones);
        let sequence_symbols = u64::from(freqs.iter().sum::<u32>());
        let sequence_bits = entropy_bound(freqs).max(sequence_symbols) + extra_bits;
        let hclen = least_hclen(lengths.literal_count)
            .max(least_hclen(lengths.distance_count))
            .max(4);
        3 + 14 + self.extra_bits + literal_bits + distance_bits + 3 * hclen as u64 + sequence_bits
    }
}

/// The positions of a dynamic header's nonzero code lengths, from the used symbols: every
/// used literal/length symbol `s` at `s`, every used distance symbol `d` at `hlit + d`, and
/// the partners [`code_lengths`] gives a code of fewer than two used symbols (symbols 0 and
/// 1 as needed, so that two have length 1).
#[derive(Debug, Clone, Copy)]
struct NonzeroLengths {
    /// The positions in the header's sequence: literal/length symbol `s` at `s`, distance
    /// symbol `d` at `hlit + d`.
    positions: [u64; SEQUENCE_WORDS],
    /// The distance symbols with a nonzero length.
    distance: u64,
    /// Literal/length lengths sent (257..=286).
    hlit: usize,
    /// Distance lengths sent (1..=30).
    hdist: usize,
    /// How many literal/length and distance lengths are nonzero.
    literal_count: u32,
    distance_count: u32,
}

impl Default for NonzeroLengths {
    /// No nonzero length, and the least HLIT and HDIST.
    fn default() -> Self {
        NonzeroLengths {
            positions: [0; SEQUENCE_WORDS],
            distance: 0,
            hlit: 257,
            hdist: 1,
            literal_count: 0,
            distance_count: 0,
        }
    }
}

/// The used set `used` (of `words` words) with [`code_lengths`]' partners: none for two or
/// more symbols, else the used one and 0 (or 1 when 0 is the used one), or 1 and 0.
fn with_partners<const WORDS: usize>(mut used: [u64; WORDS]) -> [u64; WORDS] {
    let count: u32 = used.iter().map(|word| word.count_ones()).sum();
    if count < 2 {
        let has_zero = used.first().is_some_and(|&word| word & 1 == 1);
        if let Some(first) = used.first_mut() {
            *first |= if count == 0 {
                0b11
            } else if has_zero {
                0b10
            } else {
                0b01
            };
        }
    }
    used
}

/// See [`NonzeroLengths`].
fn nonzero_lengths(literal_used: &[u64; LITERAL_WORDS], distance_used: u32) -> NonzeroLengths {
    let literal = with_partners(*literal_used);
    let [distance] = with_partners([u64::from(distance_used)]);
    let hlit = bits_end(&literal).max(257);
    let hdist = bits_end(&[distance]).max(1);
    let mut positions = [0; SEQUENCE_WORDS];
    if let Some(words) = positions.get_mut(..LITERAL_WORDS) {
        words.copy_from_slice(&literal);
    }
    for symbol in set_bits(&[distance]) {
        set_bit(&mut positions, hlit + symbol);
    }
    NonzeroLengths {
        positions,
        distance,
        hlit,
        hdist,
        literal_count: literal.iter().map(|word| word.count_ones()).sum(),
        distance_count: distance.count_ones(),
    }
}

/// The least HCLEN a complete code of `count` lengths (at least 2) may need: it has a length
/// of at most `floor(log2 count)` and one of at least `ceil(log2 count)` (see
/// [`Counts::dynamic_lower_bound`]); HCLEN sends at least the earliest of each range.
fn least_hclen(count: u32) -> usize {
    let floor = count.max(2).ilog2() as usize;
    let ceil = count.max(2).next_power_of_two().ilog2() as usize;
    let up_to = LEAST_HCLEN_UP_TO.get(floor).copied().unwrap_or(4);
    let from = LEAST_HCLEN_FROM.get(ceil).copied().unwrap_or(4);
    up_to.max(from)
}

/// The HCLEN that sends code-length symbol `symbol` (its place in [`CODE_LENGTH_ORDER`],
/// plus one). Indexing in a const evaluation: out of bounds is a build error.
#[allow(clippy::indexing_slicing)]
const fn hclen_sending(symbol: u8) -> usize {
    let mut index = 0;
    while index < CODE_LENGTH_ORDER.len() {
        if CODE_LENGTH_ORDER[index] == symbol {
            return index + 1;
        }
        index += 1;
    }
    CODE_LENGTH_ORDER.len()
}

/// `LEAST_HCLEN_UP_TO[k]`: the least HCLEN sending some length in `1..=k` (19 for `k = 0`,
/// which no code has).
const LEAST_HCLEN_UP_TO: [usize; 16] = least_hclen_table(true);

/// `LEAST_HCLEN_FROM[k]`: the least HCLEN sending some length in `k..=15` (`k >= 1`).
const LEAST_HCLEN_FROM: [usize; 16] = least_hclen_table(false);

/// Builds [`LEAST_HCLEN_UP_TO`] (`up_to`) or [`LEAST_HCLEN_FROM`] at compile time.
#[allow(clippy::indexing_slicing)]
const fn least_hclen_table(up_to: bool) -> [usize; 16] {
    let mut table = [19; 16];
    let mut k = 0;
    while k < 16 {
        let mut length = 1;
        while length < 16 {
            if (up_to && length <= k) || (!up_to && length >= k) {
                let hclen = hclen_sending(length as u8);
                if hclen < table[k] {
                    table[k] = hclen;
                }
            }
            length += 1;
        }
        k += 1;
    }
    table
}

/// The exact size of `len` bytes as stored blocks starting `bit_pos` bits into the stream:
/// per block of at most 65,535 bytes a 3-bit header, padding to a byte boundary (after the
/// first block the position is a byte boundary, so 5 bits), LEN and NLEN, and the bytes. An
/// empty input still takes one block.
pub(super) fn stored_bits(bit_pos: u64, len: usize) -> u64 {
    let blocks = len.div_ceil(STORED_MAX).max(1) as u64;
    let first_pad = (8 - (bit_pos + 3) % 8) % 8;
    3 + first_pad + (blocks - 1) * 8 + blocks * 32 + (len as u64).saturating_mul(8)
}

/// A dynamic block's code: its code lengths and header, and its exact size.
#[derive(Debug, Clone)]
pub(super) struct DynamicCode {
    /// Literal/length code lengths.
    literal: [u8; LITERAL_SYMBOLS],
    /// Distance code lengths.
    distance: [u8; DISTANCE_SYMBOLS],
    /// How many literal/length, distance and code-length codes have each length.
    literal_counts: LengthCounts,
    distance_counts: LengthCounts,
    length_counts: LengthCounts,
    /// Where its lengths are nonzero, and HLIT and HDIST: the counts' (set by
    /// [`DynamicCode::lengths_and_bound`]).
    lengths: NonzeroLengths,
    /// How many triples [`DynamicCode::lengths_and_bound`] or [`DynamicCode::record_runs`]
    /// wrote into a [`RunRoom`]: the run-length coding of the lengths, one [`pack_run`] per
    /// (code-length symbol, extra-bit value, copies) triple, worked out once, for the
    /// frequencies, and read again by the writer. Left as it was when the frequencies were
    /// counted without room (the planner then calls [`DynamicCode::record_runs`] if it
    /// chooses the code).
    pub(super) run_count: usize,
    /// Where the planner keeps those triples once the code is chosen (in its run buffer).
    pub(super) runs: std::ops::Range<usize>,
    /// Code-length-code lengths sent (4..=19).
    hclen: usize,
    /// The code-length code's lengths.
    length_lengths: [u8; CODE_LENGTH_SYMBOLS],
    /// How often each code-length symbol occurs in the header's sequence.
    length_freqs: [u32; CODE_LENGTH_SYMBOLS],
    /// The block's bits but for HCLEN's code-length-code lengths and the sequence's codes.
    known_bits: u64,
    /// The exact size of the block in bits (set by [`DynamicCode::finish`]).
    pub(super) bits: u64,
}

impl Default for DynamicCode {
    fn default() -> Self {
        DynamicCode {
            literal: [0; LITERAL_SYMBOLS],
            distance: [0; DISTANCE_SYMBOLS],
            literal_counts: [0; 16],
            distance_counts: [0; 16],
            length_counts: [0; 16],
            lengths: NonzeroLengths::default(),
            run_count: 0,
            runs: 0..0,
            hclen: 4,
            length_lengths: [0; CODE_LENGTH_SYMBOLS],
            length_freqs: [0; CODE_LENGTH_SYMBOLS],
            known_bits: 0,
            bits: 0,
        }
    }
}

/// HCLEN for the code-length symbols that `has_code`: up to the last of them in
/// [`CODE_LENGTH_ORDER`], at least 4.
fn hclen_of(has_code: impl Fn(usize) -> bool) -> usize {
    CODE_LENGTH_ORDER
        .iter()
        .rposition(|&symbol| has_code(usize::from(symbol)))
        .map_or(0, |last| last + 1)
        .max(4)
}

/// Fractional bits of [`X_LOG2_X`].
const LOG_FRACTION_BITS: u32 = 16;

/// The most code-length symbols a header's sequence has (at most one per position).
const MAX_SEQUENCE: usize = LITERAL_SYMBOLS + DISTANCE_SYMBOLS;

/// `x * log2(x)` for `x` in `0..=MAX_SEQUENCE`, in units of 2^-16: at most the true value,
/// and less by at most `x` units (see [`log2_below`]; a test checks both for every entry).
const X_LOG2_X: [u32; MAX_SEQUENCE + 1] = x_log2_x();

/// `log2(x)` for `x >= 1` in units of 2^-16, at most the true value and less by under one
/// unit. The integer part is the highest bit; the fraction bits come from squaring the
/// mantissa `m` in `[1, 2)` (fixed point, 2^-30 units): `log2(m) = log2(m^2) / 2`, so the next
/// bit is 1 exactly when `m^2 >= 2`, and `m^2 / 2` goes on. Every product is truncated, so the
/// computed mantissa is never above the true one while the bits agree: a bit is set only where
/// the true one is, and at the first difference the true bit is 1 and the computed one 0, so
/// the result never exceeds the true value. Below it: the 16 bits drop less than a unit, and a
/// truncation at step `k` (relative error 2^-30, doubled by each later squaring) moves the
/// result by about 2^-30 bits, far less than a unit.
const fn log2_below(x: u32) -> u64 {
    let whole = 31 - x.leading_zeros();
    let mut mantissa = ((x as u64) << 30) >> whole;
    let mut log = (whole as u64) << LOG_FRACTION_BITS;
    let mut bit = LOG_FRACTION_BITS;
    while bit > 0 {
        bit -= 1;
        mantissa = (mantissa * mantissa) >> 30;
        if mantissa >= 2 << 30 {
            mantissa >>= 1;
            log |= 1 << bit;
        }
    }
    log
}

/// Computes [`X_LOG2_X`] at compile time (indexing in a const evaluation: an index out of
/// bounds is a build error, never a runtime panic).
#[allow(clippy::indexing_slicing)]
const fn x_log2_x() -> [u32; MAX_SEQUENCE + 1] {
    let mut table = [0; MAX_SEQUENCE + 1];
    let mut x = 1;
    while x <= MAX_SEQUENCE {
        table[x] = (x as u64 * log2_below(x as u32)) as u32;
        x += 1;
    }
    table
}

/// A lower bound, in whole bits, of `sum(freq * length)` for every prefix code over symbols
/// of the frequencies `freqs`: the entropy bound `N log2 N - sum(f log2 f)` (`N` their sum;
/// Shannon's source coding theorem: no prefix code does better). With the table's `T(x)` (at
/// most `x log2 x` units, and less by at most `x`), `T(N)` is at most `N log2 N` and
/// `T(f) + f` at least `f log2 f`, so the difference is at most the bound; it is rounded
/// down. `T` comes from [`x_log2_x_below`]; a total beyond `u32` (never: a block's symbols
/// are fewer than its bytes, and inputs are parsed only below 2^32 bytes) gives 0.
fn entropy_bound(freqs: impl IntoIterator<Item = u32>) -> u64 {
    let mut parts = EntropyParts::default();
    for freq in freqs {
        parts.add(freq);
    }
    parts.bound()
}

/// [`entropy_bound`] of the frequencies of the symbols in the bit set `used`, and the largest
/// of them: the set walked word by word, the sums kept in registers (summed through a
/// closure, they went through memory, a store-to-load wait per symbol).
fn used_entropy_bound(freqs: &[u32], used: &[u64]) -> (u64, u32) {
    let mut parts = EntropyParts::default();
    let mut heaviest = 0;
    for (first, &word) in (0..).step_by(64).zip(used) {
        let mut word = word;
        while word != 0 {
            let symbol = first + word.trailing_zeros() as usize;
            word &= word - 1;
            let freq = freqs.get(symbol).copied().unwrap_or(0);
            heaviest = heaviest.max(freq);
            parts.add(freq);
        }
    }
    (parts.bound(), heaviest)
}

/// [`entropy_bound`] in one pass: the frequencies' parts as they come, the whole once the
/// total is known.
#[derive(Default)]
struct EntropyParts {
    total: u64,
    parts: u64,
}

impl EntropyParts {
    /// Adds one frequency.
    #[inline(always)]
    fn add(&mut self, freq: u32) {
        self.total += u64::from(freq);
        self.parts += x_log2_x_below(freq) + u64::from(freq);
    }

    /// The bound of the frequencies added.
    fn bound(&self) -> u64 {
        let whole = u32::try_from(self.total).map_or(0, x_log2_x_below);
        whole.saturating_sub(self.parts) >> LOG_FRACTION_BITS
    }
}

/// `x * log2(x)` in units of 2^-16, at most the true value and less by at most `x` units:
/// from [`X_LOG2_X`], or beyond it (a large block's counts) from [`log2_below`].
#[inline(always)]
fn x_log2_x_below(x: u32) -> u64 {
    match X_LOG2_X.get(x as usize) {
        Some(&value) => u64::from(value),
        None => u64::from(x) * log2_below(x),
    }
}

/// The extra bits after a code-length symbol (16: 2, 17: 3, 18: 7).
fn length_extra_bits(symbol: u8) -> u32 {
    match symbol {
        16 => 2,
        17 => 3,
        18 => 7,
        _ => 0,
    }
}

/// Room for the run-length coding of one block's lengths: [`RunRoom::SLOTS`] triples.
///
/// That is enough: the sequence coded is HLIT + HDIST lengths, at most
/// [`LITERAL_SYMBOLS`] + [`DISTANCE_SYMBOLS`] = 286 + 30 = 316, and each triple stands for at
/// least one of them (a length, a 16, 17 or 18 for 3 to 138, or one to two leftover copies),
/// so a coding has at most 316 triples. A triple's copies are at most 2: [`encode_run`] emits
/// one copy in every triple but a run's leftover one, what is left once the repeat codes took
/// all they can, which is below 3 (zeros: 17 takes any 3..=10 and 18 any 11..=138; a nonzero
/// length: 16 takes 3..=6 at a time after its first copy).
#[derive(Debug)]
pub(super) struct RunRoom([u32; MAX_SEQUENCE]);

impl Default for RunRoom {
    fn default() -> Self {
        RunRoom([0; MAX_SEQUENCE])
    }
}

impl RunRoom {
    /// The triples it holds, at most one per position of the sequence.
    pub(super) const SLOTS: usize = MAX_SEQUENCE;

    /// Stores a triple at `end` and returns the next end. The triples are stored into fixed
    /// room (at most one per position): a store each, where pushing each onto a vector cost
    /// four times as much.
    #[inline(always)]
    fn record(&mut self, end: usize, symbol: u8, extra: u8, copies: usize) -> usize {
        // Never full (see above); the triple would be dropped.
        debug_assert!(end < Self::SLOTS, "more than {} triples", Self::SLOTS);
        match self.0.get_mut(end) {
            Some(slot) => {
                *slot = pack_run(symbol, extra, copies);
                end + 1
            }
            None => end,
        }
    }

    /// The triples `code` wrote.
    pub(super) fn runs_of(&self, code: &DynamicCode) -> &[u32] {
        self.0.get(..code.run_count).unwrap_or(&[])
    }
}

/// A (code-length symbol, extra-bit value, copies) triple of the run-length coding in a
/// `u32`: the symbol (0..=18) and the value (0..=127) a byte each, the copies (at most 2,
/// see [`RunRoom`]) above.
fn pack_run(symbol: u8, extra: u8, copies: usize) -> u32 {
    u32::from(symbol) | u32::from(extra) << 8 | (copies as u32) << 16
}

/// The triple [`pack_run`] packed.
fn unpack_run(run: u32) -> (u8, u8, u32) {
    (run as u8, (run >> 8) as u8, run >> 16)
}

/// The run-length encoding (RFC 1951 section 3.2.7) of `run` copies of `value` as
/// (code-length symbol, extra-bit value, copies) triples, each standing for `copies` equal
/// pairs in a row: zeros as 17 (3..=10) and 18 (11..=138), a repeated nonzero length as the
/// length followed by 16 (3..=6 more copies), what is left one by one (as one triple: the
/// frequency count adds them at once instead of one increment of the same counter after
/// another).
// Inlined: called once or twice per run, its call overhead was most of its cost.
#[inline(always)]
fn encode_run(value: u8, run: usize, emit: &mut impl FnMut(u8, u8, usize)) {
    let mut left = run;
    if value == 0 {
        while left >= 11 {
            let take = left.min(138);
            emit(18, (take - 11) as u8, 1);
            left -= take;
        }
        if left >= 3 {
            emit(17, (left - 3) as u8, 1);
            left = 0;
        }
    } else {
        emit(value, 0, 1);
        left = left.saturating_sub(1);
        while left >= 3 {
            let take = left.min(6);
            emit(16, (take - 3) as u8, 1);
            left -= take;
        }
    }
    if left > 0 {
        emit(value, 0, left);
    }
}

impl DynamicCode {
    /// Replaces `self` by the length-limited Huffman codes of `counts` and the run-length
    /// coding of their lengths, and returns a lower bound of the block's size; the code of
    /// that coding, and the exact size, are left to [`DynamicCode::finish`]. The coding's
    /// triples are kept in `room` when there is one (see [`DynamicCode::run_count`]); without
    /// one only their frequencies are counted (fewer instructions when the code is not used;
    /// [`DynamicCode::record_runs`] keeps them when it is).
    ///
    /// Everything but the code-length code is exact here: its HCLEN lengths are bounded by
    /// those the used code-length symbols need (the code may add one more when fewer than two
    /// are used), and the sequence's codes by [`entropy_bound`] of the symbols' frequencies
    /// (no prefix code, length-limited or not, does better). That bound is only worked out
    /// when it could reach `wanted` (the caller's use for a bound): the entropy of `N`
    /// symbols of at most 19 kinds is at most `N log2 19 < 4.25 N` bits; otherwise the
    /// sequence counts 0 bits in the bound. And when the codes' bits alone reach `wanted`,
    /// the bound is those bits and the header's fixed part, and it returns early: the code
    /// lengths and their counts are set, the header's fields (the nonzero positions, HLIT,
    /// HDIST, HCLEN, the sequence's frequencies and known bits) and the triples are not, so
    /// such a code must not be finished or used. The caller finishes only a code whose bound
    /// is below `wanted` (the size it has to beat to be chosen over the block's cheap kinds,
    /// or the size that makes the stream too long, the smaller of the two), so never one
    /// that returned early.
    pub(super) fn lengths_and_bound(
        &mut self,
        counts: &Counts,
        scratch: &mut HuffmanScratch,
        room: Option<&mut RunRoom>,
        wanted: u64,
    ) -> u64 {
        let literal_bits = code_lengths(
            &counts.literal,
            &counts.literal_used,
            MAX_CODE_BITS,
            &mut self.literal,
            &mut self.literal_counts,
            scratch,
        );
        let distance_used = [u64::from(counts.distance_used)];
        let distance_bits = code_lengths(
            &counts.distance,
            &distance_used,
            MAX_CODE_BITS,
            &mut self.distance,
            &mut self.distance_counts,
            scratch,
        );
        // The codes' bits with the header's fixed fields and its four least code-length-code
        // lengths are a bound already: when it reaches `wanted` the caller's answer is known
        // (the sequence and its code only add), and the run-length coding is not worked out
        // (a block that stays stored, its bytes near 8 bits each, ends here).
        let codes_bits = 3 + 14 + literal_bits + distance_bits + counts.extra_bits;
        let partial = codes_bits + 3 * 4;
        if partial >= wanted {
            return partial;
        }
        // The nonzero lengths: the used symbols, and the partners `code_lengths` added to a
        // code of fewer than two symbols.
        self.lengths = counts.lengths;

        // Only the frequencies are counted per symbol; the used set and the extra bits follow
        // from them (fewer instructions than per symbol, a token's header has ~50 symbols).
        let mut freqs = [0u32; CODE_LENGTH_SYMBOLS];
        // At most 316 copies: no overflow.
        let mut count = |symbol: u8, copies: usize| {
            if let Some(freq) = freqs.get_mut(usize::from(symbol)) {
                *freq += copies as u32;
            }
        };
        match room {
            Some(room) => {
                let mut end = 0;
                self.run_lengths(|symbol, extra, copies| {
                    count(symbol, copies);
                    end = room.record(end, symbol, extra, copies);
                });
                self.run_count = end;
            }
            None => self.run_lengths(|symbol, _, copies| count(symbol, copies)),
        }
        let extra_bits = [16u8, 17, 18]
            .iter()
            .zip(freqs.get(16..).unwrap_or(&[]))
            .map(|(&symbol, &freq)| u64::from(length_extra_bits(symbol)) * u64::from(freq))
            .sum::<u64>();
        self.length_freqs = freqs;
        self.known_bits = codes_bits + extra_bits;
        self.hclen = hclen_of(|symbol| freqs.get(symbol).is_some_and(|&freq| freq > 0));
        let known = self.known_bits + 3 * self.hclen as u64;
        let items = u64::from(freqs.iter().sum::<u32>());
        if known + 4 * items + items.div_ceil(4) < wanted {
            return known;
        }
        known + entropy_bound(freqs)
    }

    /// Keeps the run-length coding of the lengths in `room` (see [`DynamicCode::run_count`]),
    /// for a code whose [`DynamicCode::lengths_and_bound`] had no room.
    pub(super) fn record_runs(&mut self, room: &mut RunRoom) {
        let mut end = 0;
        self.run_lengths(|symbol, extra, copies| {
            end = room.record(end, symbol, extra, copies);
        });
        self.run_count = end;
    }

    /// Completes [`DynamicCode::lengths_and_bound`]: the code-length code, HCLEN, and the
    /// block's exact size in `bits`.
    pub(super) fn finish(&mut self, scratch: &mut HuffmanScratch) {
        let freqs = self.length_freqs;
        let used = [freqs
            .iter()
            .enumerate()
            .fold(0u64, |used, (symbol, &freq)| {
                used | u64::from(freq > 0) << symbol
            })];
        let sequence_bits = code_lengths(
            &freqs,
            &used,
            MAX_CODE_LENGTH_BITS,
            &mut self.length_lengths,
            &mut self.length_counts,
            scratch,
        );
        // HCLEN as bounded is exact unless `code_lengths` added a symbol (when fewer than two
        // are used): every used symbol gets a code.
        if used[0].count_ones() < 2 {
            let lengths = &self.length_lengths;
            self.hclen = hclen_of(|symbol| lengths.get(symbol).is_some_and(|&length| length > 0));
        }
        self.bits = self.known_bits + 3 * self.hclen as u64 + sequence_bits;
    }

    /// The code length at `position` of the header's sequence.
    fn length_at(&self, position: usize) -> u8 {
        match position.checked_sub(self.lengths.hlit) {
            None => self.literal.get(position),
            Some(symbol) => self.distance.get(symbol),
        }
        .copied()
        .unwrap_or(0)
    }

    /// The run-length encoding of the HLIT literal/length lengths then the HDIST distance
    /// lengths, as (code-length symbol, extra-bit value, copies) triples: each maximal run of equal
    /// lengths through [`encode_run`] (a run may cross from one code to the other, as RFC
    /// 1951 allows). The runs come from the nonzero positions alone: the gaps between them
    /// are the zero runs.
    fn run_lengths(&self, mut emit: impl FnMut(u8, u8, usize)) {
        let total = self.lengths.hlit + self.lengths.hdist;
        // The nonzero run in progress (`run` copies of `value`, ending at `end`). Before the
        // first, `value` is `u8::MAX`, which no length (at most 15) equals, so the extension
        // test needs no `run > 0`; and had one equalled it, extending the empty run at
        // position 0 gives `(value, 1, 1)`, what starting a run there gives.
        let (mut value, mut run, mut end) = (u8::MAX, 0usize, 0usize);
        // The set bits word by word in a plain loop (fewer instructions per position than
        // through `set_bits`).
        'words: for (first, &word) in (0..).step_by(64).zip(&self.lengths.positions) {
            let mut word = word;
            while word != 0 {
                let position = first + word.trailing_zeros() as usize;
                word &= word - 1;
                if position >= total {
                    break 'words;
                }
                let length = self.length_at(position);
                if position == end && length == value {
                    run += 1;
                    end += 1;
                    continue;
                }
                if run > 0 {
                    encode_run(value, run, &mut emit);
                }
                if position > end {
                    encode_run(0, position - end, &mut emit);
                }
                (value, run, end) = (length, 1, position + 1);
            }
        }
        if run > 0 {
            encode_run(value, run, &mut emit);
        }
        if total > end {
            encode_run(0, total - end, &mut emit);
        }
    }
}

/// Appends the low `count` bits of `value` (`count < 64`, `value < 2^count`) to the pending
/// `bits` (`pending` of them, below 64), writing out a `u64` once 64 are pending (half as
/// many writes, each with its capacity test, as a `u32` at a time; and a match's length and
/// distance, with their extra bits, go in one call).
#[inline(always)]
fn put_bits(out: &mut Vec<u8>, bits: &mut u64, pending: &mut u32, value: u64, count: u32) {
    *bits |= value << (*pending % 64);
    *pending += count;
    if *pending >= 64 {
        out.extend_from_slice(&bits.to_le_bytes());
        *pending -= 64;
        // The top `pending` bits of `value` did not fit: the shift `count - pending` is the
        // old `64 - pending`, at least 1 since the old `pending` is below 64, and below 64
        // since with `count < 64` a write-out needs the old `pending` to be at least 1.
        *bits = value.wrapping_shr(count - *pending);
    }
}

/// A code entry as its code and length (a missing entry as no code).
#[inline(always)]
fn split(entry: Option<&CodeEntry>) -> (u64, u32) {
    let entry = entry.copied().unwrap_or(0);
    (u64::from(entry & 0xffff), entry >> 16)
}

/// The bits of the match `symbol` with the given codes, as one field and its length: the
/// length code and extra bits, then the distance code and extra bits (at most 15 + 5 + 15 +
/// 13 bits). Out of line: inlined into [`BitWriter::symbols`], its registers spilled the
/// literals' loop (most of a token's symbols), a load more per literal.
#[inline(never)]
fn match_field(
    symbol: Symbol,
    literal: &[CodeEntry; 288],
    distance: &[CodeEntry; 32],
) -> (u64, u32) {
    let (length_offset, dist) = (symbol as u8, (symbol >> 8) as u16);
    let (length_symbol, length_extra_bits, length_extra) = length_parts(length_offset);
    let (length_value, length_bits) = split(literal.get(length_symbol));
    let (distance_symbol, distance_extra_bits, distance_extra) = distance_parts(dist);
    let (distance_value, distance_bits) = split(distance.get(distance_symbol));

    let length_field = length_value | u64::from(length_extra) << length_bits;
    let length_count = length_bits + length_extra_bits;
    let distance_field = distance_value | u64::from(distance_extra) << distance_bits;
    (
        length_field | distance_field << length_count,
        length_count + distance_bits + distance_extra_bits,
    )
}

/// Each `length - 3`'s literal/length symbol (257..=285) and extra-bit count (0..=5), as
/// `symbol | extra_bits << 9` (see [`length_parts`]).
const LENGTH_FIELDS: [u16; 256] = length_fields();

/// Computes [`LENGTH_FIELDS`] at compile time (indexing in a const evaluation: an index out
/// of bounds is a build error, never a runtime panic).
#[allow(clippy::indexing_slicing)]
const fn length_fields() -> [u16; 256] {
    let mut fields = [0u16; 256];
    let mut offset = 0;
    while offset < 256 {
        let code = LENGTH_CODE[offset] as usize;
        fields[offset] = (257 + code) as u16 | (LENGTH_EXTRA[code] as u16) << 9;
        offset += 1;
    }
    fields
}

/// The literal/length symbol of a `length - 3`, its extra-bit count and the extra bits'
/// value: one lookup, the value being the low bits of `length - 3` (each length symbol's
/// first length minus 3 is a multiple of the span of its extra bits; a test checks all
/// lengths against [`LENGTH_BASE`]).
fn length_parts(length_offset: u8) -> (usize, u32, u32) {
    let field = LENGTH_FIELDS
        .get(usize::from(length_offset))
        .copied()
        .unwrap_or(0);
    let extra_bits = u32::from(field >> 9);
    let extra = u32::from(length_offset) & ((1 << extra_bits) - 1);
    (usize::from(field & 0x1ff), extra_bits, extra)
}

/// The distance symbol of a distance 1..=32768, its extra-bit count and the extra bits'
/// value, without tables: of `d = distance - 1`, the symbol is `d` below 4, else twice the
/// position `log` of the highest bit plus the bit below it ([`distance_code`]), and the
/// extra bits are the `log - 1` bits below those two (each symbol's first distance minus 1
/// is its two top bits followed by zeros; a test checks all distances against
/// [`DISTANCE_BASE`](crate::tables::DISTANCE_BASE) and
/// [`DISTANCE_EXTRA`]).
fn distance_parts(distance: u16) -> (usize, u32, u32) {
    let d = u32::from(distance.saturating_sub(1));
    if d < 4 {
        return (d as usize, 0, 0);
    }
    let log = 31 - d.leading_zeros();
    let extra_bits = log - 1;
    (
        (2 * log + ((d >> extra_bits) & 1)) as usize,
        extra_bits,
        d & ((1 << extra_bits) - 1),
    )
}

/// Writes bits from the least significant end, a `u64` at a time.
pub(super) struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    bits: u64,
    count: u32,
}

impl<'a> BitWriter<'a> {
    /// A writer appending to `out`.
    pub(super) fn new(out: &'a mut Vec<u8>) -> Self {
        BitWriter {
            out,
            bits: 0,
            count: 0,
        }
    }

    /// Appends the low `count` bits of `value` (`count < 64`, `value < 2^count`).
    fn put(&mut self, value: u64, count: u32) {
        put_bits(self.out, &mut self.bits, &mut self.count, value, count);
    }

    /// Pads with zero bits to a byte boundary and writes out every pending bit.
    pub(super) fn flush(&mut self) {
        while self.count > 0 {
            self.out.push(self.bits as u8);
            self.bits >>= 8;
            self.count = self.count.saturating_sub(8);
        }
        self.bits = 0;
    }

    /// Writes `data` as stored blocks, the last one final when `last` is set.
    pub(super) fn stored(&mut self, data: &[u8], last: bool) {
        let mut chunks = data.chunks(STORED_MAX).peekable();
        if chunks.peek().is_none() {
            self.stored_chunk(&[], last);
        }
        while let Some(chunk) = chunks.next() {
            self.stored_chunk(chunk, last && chunks.peek().is_none());
        }
    }

    /// One stored block (at most [`STORED_MAX`] bytes).
    fn stored_chunk(&mut self, chunk: &[u8], last: bool) {
        self.put(u64::from(last), 3);
        self.flush();
        let len = chunk.len() as u16;
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(&(!len).to_le_bytes());
        self.out.extend_from_slice(chunk);
    }

    /// `symbols` as a fixed-Huffman block.
    pub(super) fn fixed(&mut self, symbols: &[Symbol], last: bool) {
        self.put(u64::from(last) | 1 << 1, 3);
        self.symbols(symbols, &FIXED_LITERAL_CODES, &FIXED_DISTANCE_CODES);
    }

    /// `symbols` as a dynamic block with `code`, whose run-length coding is `runs` (its
    /// [`DynamicCode::runs`] of the planner's run buffer).
    pub(super) fn dynamic(
        &mut self,
        symbols: &[Symbol],
        code: &DynamicCode,
        runs: &[u32],
        last: bool,
    ) {
        let mut length_codes = [0; CODE_LENGTH_SYMBOLS];
        canonical_codes(&code.length_lengths, &code.length_counts, &mut length_codes);
        // The header with the pending bits in locals (as in `symbols`: through `self` they
        // were loaded and stored again for each of a header's ~100 fields).
        let (mut bits, mut pending) = (self.bits, self.count);
        let out = &mut *self.out;
        let mut put = |value: u64, count: u32| put_bits(out, &mut bits, &mut pending, value, count);
        // BFINAL, BTYPE, HLIT, HDIST and HCLEN in one field (17 bits), then the HCLEN 3-bit
        // lengths in another (at most 57 bits).
        put(
            u64::from(last)
                | 2 << 1
                | ((code.lengths.hlit - 257) as u64) << 3
                | ((code.lengths.hdist - 1) as u64) << 8
                | ((code.hclen - 4) as u64) << 13,
            17,
        );
        let mut lengths = 0u64;
        for (&symbol, shift) in CODE_LENGTH_ORDER
            .iter()
            .take(code.hclen)
            .zip((0..).step_by(3))
        {
            let length = code
                .length_lengths
                .get(usize::from(symbol))
                .copied()
                .unwrap_or(0);
            lengths |= u64::from(length) << shift;
        }
        put(lengths, 3 * code.hclen as u32);
        for &run in runs {
            let (symbol, extra, copies) = unpack_run(run);
            let (value, length) = split(length_codes.get(usize::from(symbol)));
            let field = value | u64::from(extra) << length;
            let count = length + length_extra_bits(symbol);
            // Two copies (at most 2 * (7 + 7) bits) are one field: [`encode_run`] leaves at
            // most two lengths over, and all other triples are single.
            match copies {
                1 => put(field, count),
                2 => put(field | field << count, 2 * count),
                _ => {
                    for _ in 0..copies {
                        put(field, count);
                    }
                }
            }
        }
        (self.bits, self.count) = (bits, pending);
        // Only the symbols with a code get one (the others never occur in the block).
        let mut literal_codes = [0; 288];
        let mut distance_codes = [0; 32];
        let literal = code.literal.get(..code.lengths.hlit).unwrap_or(&[]);
        canonical_codes_of(
            literal,
            &code.literal_counts,
            &code.lengths.positions,
            &mut literal_codes,
        );
        canonical_codes_of(
            &code.distance,
            &code.distance_counts,
            &[code.lengths.distance],
            &mut distance_codes,
        );
        self.symbols(symbols, &literal_codes, &distance_codes);
    }

    /// The symbols and the end of block with the given codes (one load per code: a literal's
    /// entry is indexed by a byte, below the table's size, so it needs no bounds check).
    ///
    /// A symbol below 256 is a literal (a match's distance, at least 1, is above its low
    /// byte: what [`unpack`] tells apart, in one comparison). A match is one field
    /// ([`match_field`]).
    fn symbols(
        &mut self,
        symbols: &[Symbol],
        literal: &[CodeEntry; 288],
        distance: &[CodeEntry; 32],
    ) {
        // The pending bits in locals through the loop (not in `self`, which would be stored
        // after every symbol).
        let (mut bits, mut pending) = (self.bits, self.count);
        let out = &mut *self.out;
        let mut put = |value: u64, count: u32| put_bits(out, &mut bits, &mut pending, value, count);
        let field = |symbol: Symbol| {
            if symbol < 256 {
                split(literal.get((symbol & 0xff) as usize))
            } else {
                match_field(symbol, literal, distance)
            }
        };
        // Four literals in a row (most of a token's symbols) are one field of at most 60
        // bits: one test and one write for the four. (A literal's index is masked to its byte,
        // which it is: the compiler then knows it is inside the table.)
        let mut quads = symbols.chunks_exact(4);
        for quad in &mut quads {
            let &[a, b, c, d] = quad else {
                continue;
            };
            if a | b | c | d < 256 {
                let (a, a_bits) = split(literal.get((a & 0xff) as usize));
                let (b, b_bits) = split(literal.get((b & 0xff) as usize));
                let (c, c_bits) = split(literal.get((c & 0xff) as usize));
                let (d, d_bits) = split(literal.get((d & 0xff) as usize));
                let ab = a_bits + b_bits;
                let abc = ab + c_bits;
                put(a | b << a_bits | c << ab | d << abc, abc + d_bits);
            } else {
                for symbol in [a, b, c, d] {
                    let (field, count) = field(symbol);
                    put(field, count);
                }
            }
        }
        for &symbol in quads.remainder() {
            let (field, count) = field(symbol);
            put(field, count);
        }
        let (value, length) = split(literal.get(usize::from(END_OF_BLOCK)));
        put(value, length);
        (self.bits, self.count) = (bits, pending);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{
        BitWriter, CODE_LENGTH_SYMBOLS, Counts, DynamicCode, FIXED_DISTANCE_CODES,
        FIXED_LITERAL_CODES, LITERAL_SYMBOLS, MAX_SEQUENCE, RunRoom, X_LOG2_X, distance_code,
        distance_parts, entropy_bound, length_code, length_parts, set_bits, unpack_run,
    };
    use crate::deflate::huffman::{CodeEntry, HuffmanScratch, code_lengths};
    use crate::deflate::lz77::{Symbol, Token, unpack};
    use crate::tables::{
        DISTANCE_BASE, DISTANCE_EXTRA, END_OF_BLOCK, LENGTH_BASE, LENGTH_EXTRA,
        MAX_CODE_LENGTH_BITS, MIN_MATCH,
    };

    #[test]
    fn distance_parts_match_the_tables() {
        for dist in 1..=32_768u16 {
            let symbol = distance_code(dist);
            let extra = u32::from(dist - DISTANCE_BASE[symbol]);
            assert_eq!(
                distance_parts(dist),
                (symbol, u32::from(DISTANCE_EXTRA[symbol]), extra),
                "distance {dist}"
            );
            assert!(extra < 1 << DISTANCE_EXTRA[symbol]);
        }
    }

    #[test]
    fn length_parts_match_the_tables_for_every_length() {
        for length_offset in 0..=255u8 {
            let symbol = length_code(length_offset);
            let extra =
                u32::from(length_offset) + MIN_MATCH as u32 - u32::from(LENGTH_BASE[symbol]);
            assert_eq!(
                length_parts(length_offset),
                (257 + symbol, u32::from(LENGTH_EXTRA[symbol]), extra),
                "length {}",
                usize::from(length_offset) + MIN_MATCH
            );
        }
    }

    /// The bits of `symbols` and the end of block with the given codes, one bit at a time
    /// and one field after another (the reference for [`BitWriter::symbols`]' fields, its
    /// four-literal fields and its word-sized writes), after the three bits `0b011` the test
    /// writes first.
    fn symbols_bit_by_bit(
        symbols: &[Symbol],
        literal: &[CodeEntry; 288],
        distance: &[CodeEntry; 32],
    ) -> Vec<u8> {
        let mut out_bits: Vec<bool> = vec![true, true, false];
        let mut put = |value: u32, count: u32| {
            out_bits.extend((0..count).map(|bit| (value >> bit) & 1 == 1));
        };
        let code = |entry: CodeEntry| (entry & 0xffff, entry >> 16);
        for &symbol in symbols {
            match unpack(symbol) {
                Token::Literal(byte) => {
                    let (value, length) = code(literal[usize::from(byte)]);
                    put(value, length);
                }
                Token::Match {
                    length_offset,
                    distance: dist,
                } => {
                    let symbol = length_code(length_offset);
                    let (value, length) = code(literal[257 + symbol]);
                    put(value, length);
                    let extra = u16::from(length_offset) + MIN_MATCH as u16 - LENGTH_BASE[symbol];
                    put(u32::from(extra), u32::from(LENGTH_EXTRA[symbol]));
                    let symbol = distance_code(dist);
                    let (value, length) = code(distance[symbol]);
                    put(value, length);
                    let extra = dist - DISTANCE_BASE[symbol];
                    put(u32::from(extra), u32::from(DISTANCE_EXTRA[symbol]));
                }
            }
        }
        let (value, length) = code(literal[usize::from(END_OF_BLOCK)]);
        put(value, length);
        out_bits
            .chunks(8)
            .map(|byte| {
                byte.iter()
                    .enumerate()
                    .fold(0u8, |acc, (bit, &set)| acc | u8::from(set) << bit)
            })
            .collect()
    }

    /// Every entry of the table is at most `x log2 x` and less by at most `x` units (what
    /// `entropy_bound`'s proof uses), against `f64` (exact to far better than a unit here).
    #[test]
    fn x_log2_x_is_rounded_down_by_at_most_x_units() {
        for (x, &value) in X_LOG2_X.iter().enumerate() {
            let exact = if x == 0 {
                0.0
            } else {
                x as f64 * (x as f64).log2() * 65_536.0
            };
            assert!(
                f64::from(value) <= exact + 1e-6,
                "{x}: {value} above {exact}"
            );
            assert!(
                f64::from(value) + x as f64 >= exact,
                "{x}: {value} too far below {exact}"
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

        /// The used bits (the literals' folded in by `finish`) are the nonzero frequencies.
        #[test]
        fn used_bits_are_the_nonzero_frequencies(
            symbols in prop::collection::vec(
                prop_oneof![
                    any::<u8>().prop_map(u32::from),
                    (1u32..32_768, any::<u8>())
                        .prop_map(|(distance, length)| distance << 8 | u32::from(length)),
                ],
                0..600,
            ),
        ) {
            let mut counts = Counts::default();
            counts.count(&symbols);
            let used: Vec<usize> = set_bits(&counts.literal_used).collect();
            let nonzero: Vec<usize> = (0..LITERAL_SYMBOLS)
                .filter(|&symbol| counts.literal[symbol] > 0)
                .collect();
            prop_assert_eq!(used, nonzero);
        }

        /// A code counted without room and given its runs by `record_runs` after `finish` (as
        /// the planner does) has the bound, the triples and the size of one counted with room;
        /// the triples expand to the code lengths sent (HLIT literal/length lengths, then HDIST
        /// distance lengths), fit [`RunRoom::SLOTS`] and have at most 2 copies each. With a
        /// finite `wanted`, the bound is at most the full one (with the sequence's entropy) and
        /// on the same side of `wanted`, and a code whose bound is below `wanted` finishes to
        /// the same size.
        #[test]
        fn runs_recorded_later_match_runs_kept_while_counting(
            symbols in prop::collection::vec(
                prop_oneof![
                    3 => any::<u8>().prop_map(u32::from),
                    1 => (1u32..32_768, any::<u8>())
                        .prop_map(|(distance, length)| distance << 8 | u32::from(length)),
                ],
                0..600,
            ),
            wanted_permille in 800u64..=1_050,
        ) {
            let mut counts = Counts::default();
            counts.count(&symbols);
            let mut huffman = HuffmanScratch::default();
            let (mut kept, mut later) = (DynamicCode::default(), DynamicCode::default());
            let (mut kept_room, mut later_room) = (RunRoom::default(), RunRoom::default());
            let kept_bound =
                kept.lengths_and_bound(&counts, &mut huffman, Some(&mut kept_room), u64::MAX);
            let later_bound = later.lengths_and_bound(&counts, &mut huffman, None, u64::MAX);
            // The bound with the sequence's entropy (an infinite `wanted` leaves it out).
            let full_bound =
                kept.known_bits + 3 * kept.hclen as u64 + entropy_bound(kept.length_freqs);
            prop_assert!(kept_bound <= full_bound);
            kept.finish(&mut huffman);
            later.finish(&mut huffman);
            later.record_runs(&mut later_room);
            prop_assert_eq!(kept_bound, later_bound);
            prop_assert_eq!(kept.bits, later.bits);
            prop_assert_eq!(kept_room.runs_of(&kept), later_room.runs_of(&later));

            let runs = kept_room.runs_of(&kept);
            prop_assert_eq!(runs.len(), kept.run_count);
            prop_assert!(kept.run_count <= RunRoom::SLOTS);
            let mut expanded: Vec<u8> = Vec::new();
            for &run in runs {
                let (symbol, extra, copies) = unpack_run(run);
                prop_assert!((1..=2).contains(&copies), "{} copies", copies);
                let copies = copies as usize;
                let extra = usize::from(extra);
                match symbol {
                    0..=15 => expanded.extend(std::iter::repeat_n(symbol, copies)),
                    16 => {
                        prop_assert_eq!(copies, 1);
                        prop_assert!(extra < 4);
                        let previous = expanded.last().copied();
                        prop_assert!(previous.is_some(), "16 with no length before it");
                        expanded.extend(std::iter::repeat_n(previous.unwrap_or(0), 3 + extra));
                    }
                    17 => {
                        prop_assert_eq!(copies, 1);
                        prop_assert!(extra < 8);
                        expanded.extend(std::iter::repeat_n(0, 3 + extra));
                    }
                    _ => {
                        prop_assert_eq!(symbol, 18);
                        prop_assert_eq!(copies, 1);
                        prop_assert!(extra < 128);
                        expanded.extend(std::iter::repeat_n(0, 11 + extra));
                    }
                }
            }
            let sent: Vec<u8> = kept.literal[..kept.lengths.hlit]
                .iter()
                .chain(&kept.distance[..kept.lengths.hdist])
                .copied()
                .collect();
            prop_assert_eq!(expanded, sent);

            let wanted = full_bound * wanted_permille / 1_000;
            let mut early = DynamicCode::default();
            let early_bound = early.lengths_and_bound(&counts, &mut huffman, None, wanted);
            prop_assert!(early_bound <= full_bound, "{} above {}", early_bound, full_bound);
            prop_assert!(full_bound <= kept.bits);
            prop_assert_eq!(early_bound < wanted, full_bound < wanted);
            if early_bound < wanted {
                early.finish(&mut huffman);
                prop_assert_eq!(early.bits, kept.bits);
            }
        }

        /// The bit writer's fields and writes give the bits one by one would: literals in runs
        /// (four at a time) and alone, matches of every length and distance, with the fixed
        /// code (9-bit literals and 8-bit lengths) and with codes of random lengths up to 15.
        #[test]
        fn symbols_match_bit_by_bit_writing(
            symbols in prop::collection::vec(
                prop_oneof![
                    3 => any::<u8>().prop_map(u32::from),
                    1 => (1u32..32_768, any::<u8>())
                        .prop_map(|(distance, length)| distance << 8 | u32::from(length)),
                ],
                0..300,
            ),
            random_codes in any::<bool>(),
            seed in any::<u64>(),
        ) {
            let (mut literal, mut distance) = (FIXED_LITERAL_CODES, FIXED_DISTANCE_CODES);
            if random_codes {
                // Not a prefix code: only the writing of each entry's bits is checked.
                let mut state = seed | 1;
                let mut next = || {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state
                };
                for entry in literal.iter_mut().chain(distance.iter_mut()) {
                    let length = 1 + (next() % 15) as u32;
                    *entry = (next() as u32 & ((1 << length) - 1)) | length << 16;
                }
            }
            let mut out = Vec::new();
            let mut writer = BitWriter::new(&mut out);
            writer.put(0b011, 3);
            writer.symbols(&symbols, &literal, &distance);
            writer.flush();
            prop_assert_eq!(out, symbols_bit_by_bit(&symbols, &literal, &distance));
        }

        /// The counts' bound is at most the block's exact dynamic size, for any symbols: bytes
        /// of every value or of a token's few (JSON's ASCII), with matches of every distance or
        /// of a few short ones (where the distance code has fewer than four symbols, and
        /// partners), from none to a block of hundreds, and with one byte near a third of the
        /// symbols (where the literal/length code may have a length 1).
        #[test]
        fn dynamic_lower_bound_is_at_most_the_exact_size(
            symbols in prop_oneof![
                prop::collection::vec(
                    prop_oneof![
                        3 => any::<u8>().prop_map(u32::from),
                        1 => (1u32..32_768, any::<u8>())
                            .prop_map(|(distance, length)| distance << 8 | u32::from(length)),
                    ],
                    0..600,
                ),
                prop::collection::vec(
                    prop_oneof![
                        12 => (32u8..127).prop_map(u32::from),
                        1 => (1u32..8, 0u8..8)
                            .prop_map(|(distance, length)| distance << 8 | u32::from(length)),
                    ],
                    0..200,
                ),
                prop::collection::vec((0u32..3).prop_map(|s| s * 255), 0..8),
                prop::collection::vec(
                    prop_oneof![
                        6 => Just(u32::from(b'a')),
                        10 => (32u8..40).prop_map(u32::from),
                        1 => (1u32..4, 0u8..4)
                            .prop_map(|(distance, length)| distance << 8 | u32::from(length)),
                    ],
                    0..120,
                ),
            ],
        ) {
            let mut counts = Counts::default();
            counts.count(&symbols);
            let mut huffman = HuffmanScratch::default();
            let mut code = DynamicCode::default();
            code.lengths_and_bound(&counts, &mut huffman, None, u64::MAX);
            code.finish(&mut huffman);
            let bound = counts.dynamic_lower_bound();
            prop_assert!(bound <= code.bits, "bound {} above the exact {}", bound, code.bits);
            prop_assert!(counts.symbols_lower_bound() <= bound);
        }

        /// The bound is at most the code-length code's cost (what the planner relies on), at
        /// most the entropy, and below it by less than a bit and a half (the rounding down
        /// and the table's).
        #[test]
        fn entropy_bound_is_a_tight_lower_bound(
            freqs in prop::collection::vec(
                prop_oneof![Just(0u32), 1u32..4, 0u32..60],
                CODE_LENGTH_SYMBOLS,
            ),
        ) {
            // A header codes at most MAX_SEQUENCE lengths: each frequency is cut to the room
            // the earlier ones leave (rather than rejecting the case, which at high case counts
            // aborts the run on too many rejects).
            let mut freqs = freqs;
            let mut room = MAX_SEQUENCE as u32;
            for freq in &mut freqs {
                *freq = (*freq).min(room);
                room -= *freq;
            }
            let total: u32 = freqs.iter().sum();
            let bound = entropy_bound(freqs.iter().copied());
            let used = [freqs
                .iter()
                .enumerate()
                .fold(0u64, |used, (symbol, &freq)| used | u64::from(freq > 0) << symbol)];
            let mut lengths = [0u8; CODE_LENGTH_SYMBOLS];
            let mut counts = [0; 16];
            let cost = code_lengths(
                &freqs,
                &used,
                MAX_CODE_LENGTH_BITS,
                &mut lengths,
                &mut counts,
                &mut HuffmanScratch::default(),
            );
            prop_assert!(bound <= cost, "bound {} above cost {}", bound, cost);
            let n = f64::from(total);
            let entropy = if total == 0 {
                0.0
            } else {
                n * n.log2()
                    - freqs
                        .iter()
                        .filter(|&&freq| freq > 0)
                        .map(|&freq| f64::from(freq) * f64::from(freq).log2())
                        .sum::<f64>()
            };
            prop_assert!(bound as f64 <= entropy + 1e-9, "bound {} above entropy {}", bound, entropy);
            prop_assert!(bound as f64 > entropy - 1.5, "bound {} far below entropy {}", bound, entropy);
        }
    }
}
