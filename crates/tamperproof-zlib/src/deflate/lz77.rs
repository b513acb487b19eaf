//! The LZ77 parse: hash chains and lazy matching with zlib level 6's parameters.

use super::block::Counts;
use crate::tables::{MAX_MATCH, MIN_MATCH, WINDOW_SIZE};

/// After a match at least this long, the next search follows only a quarter of the chain
/// (zlib `good_length`).
const GOOD_LENGTH: usize = 8;
/// A match at least this long is taken without looking for a longer one at the next position
/// (zlib `max_lazy`).
const MAX_LAZY: usize = 16;
/// A match at least this long ends the search at once (zlib `nice_length`).
const NICE_LENGTH: usize = 128;
/// The most chain links one search follows (zlib `max_chain`).
const MAX_CHAIN: usize = 128;
/// A match of [`MIN_MATCH`] bytes farther than this costs more than its literals (zlib's
/// `TOO_FAR`).
const TOO_FAR: usize = 4096;
/// The farthest match we look at: one less than the window, so that the chain ring of
/// [`WINDOW_SIZE`] entries never holds a newer position in the slot of one still in reach
/// (see `Matcher::insert`).
const MAX_DISTANCE: usize = WINDOW_SIZE - 1;

/// Matches at least this long insert their positions out of line
/// ([`Tables::insert_long_run`]).
const LONG_RUN: usize = 32;

/// One parsed symbol, packed in a `u32`: a literal byte `b` is `b` (distance 0); a match is
/// `distance << 8 | (length - 3)` with `distance` in 1..=32767 and `length` in 3..=258.
pub(super) type Symbol = u32;

/// What a [`Symbol`] stands for.
pub(super) enum Token {
    /// One byte.
    Literal(u8),
    /// A back-reference.
    Match {
        /// `length - 3`, 0..=255.
        length_offset: u8,
        /// 1..=32767.
        distance: u16,
    },
}

/// Unpacks a [`Symbol`].
pub(super) fn unpack(symbol: Symbol) -> Token {
    let distance = (symbol >> 8) as u16;
    if distance == 0 {
        Token::Literal(symbol as u8)
    } else {
        Token::Match {
            length_offset: symbol as u8,
            distance,
        }
    }
}

/// The hash table and chains, reused from call to call.
#[derive(Debug, Default)]
pub(super) struct Matcher {
    /// For each hash, `base + ` the newest position with that hash; a value below the call's
    /// `base` (left by an earlier call, or 0) stands for none, so the table needs no clearing
    /// per call. [`WINDOW_SIZE`] entries once used, of which the first `head_len` (sized to
    /// the input) are used per call.
    head: Vec<u32>,
    /// For each position `p` (at `p % WINDOW_SIZE`), `base + ` the previous position with the
    /// same hash when `p` was inserted (below `base`: none). [`WINDOW_SIZE`] entries once
    /// used, never cleared: see [`Tables::insert`].
    prev: Vec<u32>,
    /// Above every value stored by the earlier calls: the next call's `base`.
    next_base: u32,
}

/// Sized to one input and borrowing its tables (as arrays: an index reduced modulo
/// [`WINDOW_SIZE`] needs no bounds check). The hash keeps the top `32 - SHIFT` bits (a table
/// of `2^(32 - SHIFT)` entries): a constant, so a hash is a shift by an immediate, and known
/// to be below [`WINDOW_SIZE`] (`SHIFT >= 17`) it needs no reduction before indexing `head`
/// (a shift by a register and the reduction were 3 of the 16 instructions per position of a
/// literal streak).
struct Tables<'a, const SHIFT: u32> {
    data: &'a [u8],
    head: &'a mut [u32; WINDOW_SIZE],
    prev: &'a mut [u32; WINDOW_SIZE],
    /// What position 0 is stored as (at least 1).
    base: u32,
}

/// The hash of three bytes (little-endian in the low 24 bits of `value`) in a table of
/// `2^(32 - shift)` entries.
fn hash_value(value: u32, shift: u32) -> usize {
    (value.wrapping_mul(0x9E37_79B1) >> shift) as usize
}

/// The slot of position `pos` in the chain ring.
fn ring_slot(pos: usize) -> usize {
    pos % WINDOW_SIZE
}

impl<const SHIFT: u32> Tables<'_, SHIFT> {
    /// The hash of the 3 bytes at `pos` (multiplicative, so every table size takes the
    /// well-mixed top bits; below `head_len` <= [`WINDOW_SIZE`]), or `None` when fewer than
    /// 3 bytes remain. One 4-byte load where 4 bytes remain.
    fn hash(&self, pos: usize) -> Option<usize> {
        let value = match self.data.get(pos..pos.wrapping_add(4)) {
            Some(&[a, b, c, _]) => u32::from_le_bytes([a, b, c, 0]),
            _ => match self.data.get(pos..pos.checked_add(MIN_MATCH)?)? {
                &[a, b, c] => u32::from_le_bytes([a, b, c, 0]),
                _ => return None,
            },
        };
        Some(self.hash_value(value))
    }

    /// The hash of three bytes (little-endian in the low 24 bits of `value`).
    fn hash_value(&self, value: u32) -> usize {
        hash_value(value, SHIFT)
    }

    /// Inserts `pos` into its hash chain and returns the previous head of the chain (a
    /// position before `pos`), if any.
    ///
    /// Why `prev` needs no clearing: a `head` value from an earlier call is below `base` (see
    /// [`Matcher::parse`]) and read as none, so a chain starts at a position inserted in this
    /// call, and every link we store (`prev[pos]`) is the head at
    /// the time `pos` was inserted: none or an older position of this call. By induction every
    /// link we follow leads to a position of this call, strictly older than the last. The
    /// slot of a position `p` is overwritten only when `p + k * WINDOW_SIZE` is inserted, and
    /// the search stops at distances above [`MAX_DISTANCE`] < [`WINDOW_SIZE`] before reading
    /// a link: a position still in reach (`cur - p <= MAX_DISTANCE`, positions inserted so
    /// far `<= cur`) has not had its slot reused.
    fn insert(&mut self, pos: usize) -> Option<usize> {
        let hash = self.hash(pos)?;
        // `base + pos` fits in a `u32` (see [`Matcher::parse`]).
        let old = self.link(hash, pos, self.base.wrapping_add(pos as u32));
        old.checked_sub(self.base).map(|old| old as usize)
    }

    /// Makes `stored` (= `base + pos`) the head of chain `hash`, linked to the old head, which
    /// it returns.
    fn link(&mut self, hash: usize, pos: usize, stored: u32) -> u32 {
        let mut old = 0;
        if let Some(slot) = self.head.get_mut(hash % WINDOW_SIZE) {
            old = std::mem::replace(slot, stored);
        }
        if let Some(link) = self.prev.get_mut(ring_slot(pos)) {
            *link = old;
        }
        old
    }

    /// Inserts the positions from `start` on while their chains are empty, and returns where
    /// it stopped: at the first position whose chain is not (inserted, with the old head), or
    /// (`None`) at one not inserted, when fewer than 4 bytes are left or at the end of the
    /// chain ring (the caller goes on from there as from any position).
    ///
    /// One 4-byte load per position, and the ring's slots walked alongside the bytes, so that
    /// the windows' length is the loop's only bound (the literal streak of a token is most of
    /// its parse).
    #[inline(always)]
    fn insert_streak(&mut self, start: usize) -> (usize, Option<usize>) {
        let (shift, base) = (SHIFT, self.base);
        let (Some(rest), Some(links)) = (
            self.data.get(start..),
            self.prev.get_mut(ring_slot(start)..),
        ) else {
            return (start, None);
        };
        let mut pos = start;
        for (window, link) in rest.windows(4).zip(links) {
            let Ok(&word) = <&[u8; 4]>::try_from(window) else {
                break;
            };
            let hash = hash_value(u32::from_le_bytes(word) & 0x00FF_FFFF, shift);
            let mut old = 0;
            if let Some(slot) = self.head.get_mut(hash % WINDOW_SIZE) {
                // `base + pos` fits in a `u32` (see [`Matcher::parse`]).
                old = std::mem::replace(slot, base.wrapping_add(pos as u32));
            }
            *link = old;
            if let Some(candidate) = old.checked_sub(base) {
                return (pos, Some(candidate as usize));
            }
            pos += 1;
        }
        (pos, None)
    }

    /// [`Tables::insert_run`] out of line, for long runs: inlined into the parse loop, the
    /// loop over a long run's positions spilled registers (a 4 KiB repetitive input cost 2%
    /// more); short runs stay inlined (a call per match cost more than that on JSON).
    #[inline(never)]
    fn insert_long_run(&mut self, start: usize, end: usize) {
        self.insert_run(start, end);
    }

    /// Inserts the positions `start..end` (those with 3 bytes left), as [`Tables::insert`]
    /// does one by one, in one pass over the bytes (the positions a match covers).
    #[inline(always)]
    fn insert_run(&mut self, start: usize, end: usize) {
        let last = end.min(self.data.len().saturating_sub(MIN_MATCH - 1));
        let Some(bytes) = self.data.get(start..last.saturating_add(MIN_MATCH - 1)) else {
            return;
        };
        let mut stored = self.base.wrapping_add(start as u32);
        // The 3 bytes at `pos` in the low 24 bits, rolled one byte per position.
        let (Some(&first), Some(&second), Some(rest)) =
            (bytes.first(), bytes.get(1), bytes.get(MIN_MATCH - 1..))
        else {
            return;
        };
        let mut value = u32::from(first) << 8 | u32::from(second) << 16;
        let mut pos = start;
        let mut step = |tables: &mut Self, byte: u8| {
            value = value >> 8 | u32::from(byte) << 16;
            let hash = tables.hash_value(value);
            tables.link(hash, pos, stored);
            stored = stored.wrapping_add(1);
            pos += 1;
        };
        // Two positions per iteration: a long match's run is most of a repetitive input's
        // parse, and the loop's own counting was a fifth of each step.
        let mut pairs = rest.chunks_exact(2);
        for pair in &mut pairs {
            if let &[a, b] = pair {
                step(self, a);
                step(self, b);
            }
        }
        for &byte in pairs.remainder() {
            step(self, byte);
        }
    }

    /// The longest match for `cur` along the chain starting at `candidate`, longer than
    /// `best_len`, as `(length, distance)`; `(best_len, 0)` when there is none (zlib
    /// `longest_match`, without its window-sliding details).
    fn longest_match(
        &self,
        cur: usize,
        mut candidate: usize,
        mut best_len: usize,
    ) -> (usize, usize) {
        let data = self.data;
        let lookahead = data.len().saturating_sub(cur);
        let max_len = lookahead.min(MAX_MATCH);
        let nice = NICE_LENGTH.min(max_len);
        let mut chain = if best_len >= GOOD_LENGTH {
            MAX_CHAIN >> 2
        } else {
            MAX_CHAIN
        };
        let mut best_distance = 0;
        let Some(tail) = data.get(cur..) else {
            return (best_len.min(lookahead), 0);
        };
        loop {
            let distance = cur.saturating_sub(candidate);
            if distance == 0 || distance > MAX_DISTANCE {
                break;
            }
            // Cheap rejection: the byte that would make this match longer than the best.
            if data.get(candidate + best_len) == tail.get(best_len)
                && let Some(earlier) = data.get(candidate..)
            {
                let len = common_prefix(earlier, tail, max_len);
                if len > best_len {
                    best_len = len;
                    best_distance = distance;
                    if len >= nice {
                        break;
                    }
                }
            }
            chain -= 1;
            if chain == 0 {
                break;
            }
            let Some(&link) = self.prev.get(ring_slot(candidate)) else {
                break;
            };
            match link.checked_sub(self.base).map(|next| next as usize) {
                Some(next) if next < candidate => candidate = next,
                _ => break,
            }
        }
        (best_len.min(lookahead), best_distance)
    }
}

/// The length of the common prefix of `a` and `b`, at most `max`.
fn common_prefix(a: &[u8], b: &[u8], max: usize) -> usize {
    let mut len = 0;
    while len + 8 <= max {
        let (Some(x), Some(y)) = (a.get(len..len + 8), b.get(len..len + 8)) else {
            break;
        };
        let (Ok(x), Ok(y)) = (<[u8; 8]>::try_from(x), <[u8; 8]>::try_from(y)) else {
            break;
        };
        let diff = u64::from_le_bytes(x) ^ u64::from_le_bytes(y);
        if diff != 0 {
            return len + (diff.trailing_zeros() / 8) as usize;
        }
        len += 8;
    }
    while len < max {
        match (a.get(len), b.get(len)) {
            (Some(x), Some(y)) if x == y => len += 1,
            _ => break,
        }
    }
    len
}

impl Matcher {
    /// Parses `data` into `symbols` (cleared first) the way zlib's `deflate_slow` does at
    /// level 6. `data.len()` must fit in a `u32` minus one (the caller stores larger inputs).
    ///
    /// The symbols are also counted into `counts` (cleared first) as they are emitted: the
    /// counts of the whole parse, which are its block's when it makes one block.
    pub(super) fn parse(&mut self, data: &[u8], symbols: &mut Vec<Symbol>, counts: &mut Counts) {
        symbols.clear();
        counts.clear();
        let n = data.len();
        // 2n hash slots (a power of two in 256..=32768) used per call.
        let head_len = n
            .saturating_mul(8)
            .clamp(4096, WINDOW_SIZE)
            .next_power_of_two();
        if self.head.len() != WINDOW_SIZE {
            self.head = vec![0; WINDOW_SIZE];
        }
        if self.prev.len() != WINDOW_SIZE {
            self.prev = vec![0; WINDOW_SIZE];
        }
        let (Ok(head), Ok(prev)) = (
            <&mut [u32; WINDOW_SIZE]>::try_from(self.head.as_mut_slice()),
            <&mut [u32; WINDOW_SIZE]>::try_from(self.prev.as_mut_slice()),
        ) else {
            counts.finish();
            return;
        };
        // Values stored now are `base..base + n`, all above the earlier calls' (below
        // `next_base`); when that would overflow, `head` is cleared and counting restarts.
        // `prev` is never read but through positions of this call (see [`Tables::insert`]).
        let mut base = self.next_base.max(1);
        if u64::from(base) + n as u64 >= u64::from(u32::MAX) {
            head.fill(0);
            base = 1;
        }
        self.next_base = base.wrapping_add(n as u32);
        symbols.reserve(n + 1);
        // `head_len` is one of four sizes: each has its own copy of the parse, with its shift.
        let parse = match head_len {
            4096 => parse_with::<20>,
            8192 => parse_with::<19>,
            16384 => parse_with::<18>,
            _ => parse_with::<17>,
        };
        parse(data, head, prev, base, symbols, counts);
    }
}

/// The parse of [`Matcher::parse`] with its tables (`SHIFT` for a table of `head_len`
/// entries, `base` what position 0 is stored as).
fn parse_with<const SHIFT: u32>(
    data: &[u8],
    head: &mut [u32; WINDOW_SIZE],
    prev: &mut [u32; WINDOW_SIZE],
    base: u32,
    symbols: &mut Vec<Symbol>,
    counts: &mut Counts,
) {
    let n = data.len();
    let mut tables = Tables::<SHIFT> {
        data,
        head,
        prev,
        base,
    };
    let emit_literal = |symbols: &mut Vec<Symbol>, counts: &mut Counts, pos: usize| {
        let byte = data.get(pos).copied().unwrap_or(0);
        symbols.push(Symbol::from(byte));
        counts.add_literals(&[byte]);
    };

    let mut pos = 0;
    // The match found at `pos - 1` (length < 3: none) and whether `pos - 1` still waits
    // to be emitted.
    let mut prev_len = MIN_MATCH - 1;
    let mut prev_distance = 0;
    let mut pending = false;
    while pos < n {
        // The literal streak: while no match waits (`prev_len < MIN_MATCH`), a position
        // whose chain is empty finds no match, so it is what the general step below does
        // with `len = MIN_MATCH - 1`: the byte before it is emitted (when pending) and it
        // becomes the pending byte. Only the insertion is left per position; the bytes
        // emitted are consecutive (from the pending one, or the streak's first, to the
        // one before where it stops) and are appended at once.
        let mut inserted = None;
        if prev_len < MIN_MATCH {
            let start = pos;
            (pos, inserted) = tables.insert_streak(pos);
            if pos > start {
                // `pending` implies `start >= 1` (it is the byte at `start - 1`).
                let first = start - usize::from(pending);
                let literals = data.get(first..pos - 1).unwrap_or(&[]);
                counts.push_literals(literals, symbols);
                pending = true;
            }
            if pos >= n {
                break;
            }
        }
        // `pos` is inserted already when the streak stopped at a candidate.
        let candidate = inserted.or_else(|| tables.insert(pos));
        let (mut len, mut distance) = (MIN_MATCH - 1, 0);
        if let Some(candidate) = candidate
            && prev_len < MAX_LAZY
        {
            (len, distance) = tables.longest_match(pos, candidate, prev_len);
            if distance == 0 || (len == MIN_MATCH && distance > TOO_FAR) {
                (len, distance) = (MIN_MATCH - 1, 0);
            }
        }
        if prev_len >= MIN_MATCH && len <= prev_len {
            // The match at `pos - 1` wins: emit it, insert the positions it covers.
            symbols.push((prev_distance as u32) << 8 | (prev_len - MIN_MATCH) as u32);
            // A found match: `prev_len` is 3..=258, `prev_distance` 1..=32767.
            counts.add_match((prev_len - MIN_MATCH) as u8, prev_distance as u16);
            let end = pos - 1 + prev_len;
            if prev_len >= LONG_RUN {
                tables.insert_long_run(pos + 1, end);
            } else {
                tables.insert_run(pos + 1, end);
            }
            pos = end;
            pending = false;
            prev_len = MIN_MATCH - 1;
            continue;
        }
        if pending {
            emit_literal(symbols, counts, pos - 1);
        }
        pending = true;
        prev_len = len;
        prev_distance = distance;
        pos += 1;
    }
    if pending {
        emit_literal(symbols, counts, pos - 1);
    }
    counts.finish();
}

#[cfg(test)]
mod tests {
    //! The parse against a straightforward transcription of zlib's `deflate_slow` (plain
    //! vectors, a fresh table per input, no streaks, no runs, no base trick), symbol for
    //! symbol, and its counts against [`Counts::count`] of its symbols.
    #![allow(clippy::indexing_slicing, clippy::unwrap_used)]

    use proptest::prelude::*;

    use super::{
        Counts, GOOD_LENGTH, MAX_CHAIN, MAX_DISTANCE, MAX_LAZY, Matcher, NICE_LENGTH, Symbol,
        TOO_FAR,
    };
    use crate::tables::{MAX_MATCH, MIN_MATCH, WINDOW_SIZE};

    /// zlib level 6's lazy parse of `data`, with the parse's hash (the same table size per
    /// input length: which positions share a chain decides where [`MAX_CHAIN`] cuts it).
    fn reference_parse(data: &[u8]) -> Vec<Symbol> {
        let n = data.len();
        let head_len = (n * 8).clamp(4096, WINDOW_SIZE).next_power_of_two();
        let shift = 32 - head_len.trailing_zeros();
        let hash = |pos: usize| {
            let value = u32::from_le_bytes([data[pos], data[pos + 1], data[pos + 2], 0]);
            (value.wrapping_mul(0x9E37_79B1) >> shift) as usize
        };
        let mut head: Vec<Option<usize>> = vec![None; head_len];
        let mut prev: Vec<Option<usize>> = vec![None; n];
        let mut insert = |prev: &mut [Option<usize>], pos: usize| {
            if pos + MIN_MATCH > n {
                return None;
            }
            let old = head[hash(pos)].replace(pos);
            prev[pos] = old;
            old
        };
        let longest_match = |prev: &[Option<usize>], cur: usize, first: usize, best: usize| {
            let max_len = (n - cur).min(MAX_MATCH);
            let mut chain = if best >= GOOD_LENGTH {
                MAX_CHAIN / 4
            } else {
                MAX_CHAIN
            };
            let (mut best_len, mut best_distance) = (best, 0);
            let mut candidate = first;
            while cur - candidate <= MAX_DISTANCE {
                let len = (0..max_len)
                    .take_while(|&i| data[candidate + i] == data[cur + i])
                    .count();
                if len > best_len {
                    (best_len, best_distance) = (len, cur - candidate);
                    if len >= NICE_LENGTH.min(max_len) {
                        break;
                    }
                }
                chain -= 1;
                match prev[candidate] {
                    Some(next) if chain > 0 => candidate = next,
                    _ => break,
                }
            }
            (best_len.min(n - cur), best_distance)
        };
        let mut symbols = Vec::new();
        let (mut prev_len, mut prev_distance, mut pending) = (MIN_MATCH - 1, 0, false);
        let mut pos = 0;
        while pos < n {
            let candidate = insert(&mut prev, pos);
            let (mut len, mut distance) = (MIN_MATCH - 1, 0);
            if let Some(candidate) = candidate
                && prev_len < MAX_LAZY
            {
                (len, distance) = longest_match(&prev, pos, candidate, prev_len);
                if distance == 0 || (len == MIN_MATCH && distance > TOO_FAR) {
                    (len, distance) = (MIN_MATCH - 1, 0);
                }
            }
            if prev_len >= MIN_MATCH && len <= prev_len {
                symbols.push((prev_distance as u32) << 8 | (prev_len - MIN_MATCH) as u32);
                let end = pos - 1 + prev_len;
                for covered in pos + 1..end {
                    insert(&mut prev, covered);
                }
                (pos, pending, prev_len) = (end, false, MIN_MATCH - 1);
            } else {
                if pending {
                    symbols.push(Symbol::from(data[pos - 1]));
                }
                (pending, prev_len, prev_distance) = (true, len, distance);
                pos += 1;
            }
        }
        if pending {
            symbols.push(Symbol::from(data[n - 1]));
        }
        symbols
    }

    /// Parses each input with one matcher (so later inputs meet the tables the earlier left)
    /// and checks the symbols and the counts.
    fn check(matcher: &mut Matcher, inputs: &[Vec<u8>]) -> Result<(), TestCaseError> {
        let (mut symbols, mut counts, mut recounted) =
            (Vec::new(), Counts::default(), Counts::default());
        for data in inputs {
            matcher.parse(data, &mut symbols, &mut counts);
            prop_assert_eq!(&symbols, &reference_parse(data), "input {:?}", data);
            recounted.count(&symbols);
            prop_assert_eq!(format!("{counts:?}"), format!("{recounted:?}"));
        }
        Ok(())
    }

    /// Short JSON-shaped text from a small vocabulary (many short, near and far matches).
    fn json_like() -> impl Strategy<Value = Vec<u8>> {
        const PIECES: [&str; 12] = [
            "{\"",
            "\":",
            ",\"",
            "\"}",
            "id",
            "name",
            "roles",
            "[\"admin\",\"user\"]",
            "true",
            "42",
            "_user_id",
            "0123456789abcdef",
        ];
        prop::collection::vec(0..PIECES.len(), 0..80)
            .prop_map(|pieces| pieces.iter().flat_map(|&i| PIECES[i].bytes()).collect())
    }

    /// Bytes over an alphabet of `1..=4` letters: long runs and chains past [`MAX_CHAIN`].
    fn few_letters(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
        (1u8..=4, prop::collection::vec(any::<u8>(), 0..max_len))
            .prop_map(|(letters, bytes)| bytes.iter().map(|&b| b'a' + b % letters).collect())
    }

    fn input() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..400),
            json_like(),
            few_letters(600),
            few_letters(6000),
            // A unit repeated: matches up to MAX_MATCH, lazy and long runs.
            (prop::collection::vec(any::<u8>(), 1..40), 0usize..3000).prop_map(|(unit, len)| unit
                .iter()
                .copied()
                .cycle()
                .take(len)
                .collect()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3_000, ..ProptestConfig::default() })]

        #[test]
        fn parse_is_zlib_deflate_slow(inputs in prop::collection::vec(input(), 1..4)) {
            check(&mut Matcher::default(), &inputs)?;
        }

        /// Near the end of the stored values' range the tables are cleared and counting
        /// restarts: the parse is the same.
        #[test]
        fn parse_is_the_same_when_the_base_wraps(
            inputs in prop::collection::vec(input(), 1..4),
            below in 0u32..8000,
        ) {
            let mut matcher = Matcher { next_base: u32::MAX - below, ..Matcher::default() };
            check(&mut matcher, &inputs)?;
        }
    }

    /// Each of the four table sizes (each its own copy of the parse, with its shift) at the
    /// lengths on both sides of its bounds, on text with matches near and far.
    #[test]
    fn parse_is_zlib_deflate_slow_at_every_table_size() {
        let text: Vec<u8> = (0u32..5000)
            .flat_map(|i| format!("{{\"id\":{},\"k\":\"{:x}\"}}", i % 97, i * 7919).into_bytes())
            .collect();
        let mut matcher = Matcher::default();
        for len in [
            0, 1, 3, 63, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049, 40_000,
        ] {
            check(&mut matcher, &[text[..len].to_vec()]).unwrap();
        }
    }

    /// Inputs past the window (distances up to [`MAX_DISTANCE`], the chain ring reused).
    #[test]
    fn parse_is_zlib_deflate_slow_past_the_window() {
        let mut state = 0x1234_5678_u32;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        let random: Vec<u8> = (0..100_000).map(|_| next() as u8).collect();
        // Blocks of the random bytes repeated about a window apart.
        let mut far = random[..20_000].to_vec();
        far.extend_from_slice(&random[40_000..53_000]);
        far.extend_from_slice(&random[..20_000]);
        let letters: Vec<u8> = random.iter().map(|&b| b'a' + b % 3).collect();
        // A 16-byte match ([`MAX_LAZY`]) at one position and a 17-byte one at the next.
        let lazy = b"abcdefghijklmnop1 bcdefghijklmnopqr abcdefghijklmnopqr".to_vec();
        let mut matcher = Matcher::default();
        check(&mut matcher, &[random, far, letters, lazy]).unwrap();
    }
}
