//! The inflater: one zlib stream (RFC 1950) of deflate blocks (RFC 1951), decoded in one call
//! straight into the caller's buffer.
//!
//! The whole output stays in memory, so back-references point into the output itself and no
//! 32 KiB window is kept. Input is read through a 64-bit bit buffer refilled 8 bytes at a
//! time (byte by byte in the last 8). The fixed Huffman code's decode tables are built once
//! per process; a dynamic block's (its header's code-length code too) are built into decoders
//! kept per thread and reused without being cleared (a build writes every slot its lookups
//! can reach): a first-level lookup of up to 512 (literal/length) and 256 (distance) entries,
//! only as wide as the code's longest code, with a canonical-code walk for the rare codes
//! longer than that. The header's code lengths are kept as the list of used symbols only, so
//! a small payload's code (a few dozen symbols of 286) costs what it uses; tables of up to 32
//! entries are filled by stride writes in symbol order, wider ones by sorting the symbols and
//! doubling length by length. Each entry holds
//! all a symbol needs (its code's length, its kind, its literal byte or first length or
//! distance, and its extra bits), so a symbol takes one lookup. While a length with its
//! distance (48 bits) is loaded and 8 bytes fit in the reserved output (a match checks once
//! that it fits), symbols are decoded without a check per bit or per output byte: literal
//! runs are gathered in a word and written 8 bytes at once, short matches are copied 16 or 8
//! bytes at a time, and the length is cut back to what was decoded. The
//! stream is exactly as strict as zlib's `inflate`: every stream zlib rejects is rejected,
//! every stream it accepts inflates to the same bytes (tests/inflate.rs and the
//! `zlib_inflate_differential` fuzz target compare the two).

use crate::adler32;
use std::cell::Cell;
use std::sync::LazyLock;

use crate::tables::{
    CODE_LENGTH_ORDER, DISTANCE_BASE, DISTANCE_EXTRA, END_OF_BLOCK, FIXED_DISTANCE_LENGTHS,
    LENGTH_BASE, LENGTH_EXTRA, MAX_CODE_BITS, MAX_CODE_LENGTH_BITS, REVERSED_BYTES,
    fixed_literal_lengths, reverse_code,
};

/// Why inflation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InflateError {
    /// The stream inflates to more than the allowed size.
    TooLarge {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The stream is not valid zlib, or ends early.
    Invalid,
}

impl std::fmt::Display for InflateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge { limit } => {
                write!(f, "decompressed payload exceeds the limit of {limit} bytes")
            }
            Self::Invalid => f.write_str("invalid or truncated zlib stream"),
        }
    }
}

impl std::error::Error for InflateError {}

/// The largest step by which the output buffer grows at once (see [`crate::INFLATE_STEP`]).
const GROWTH_CAP: usize = crate::INFLATE_STEP;

/// The smallest first reservation of the output buffer.
const MIN_FIRST_RESERVATION: usize = 256;

/// The first-level lookup width of the literal/length code (the fixed code fits it whole).
const LITERAL_BITS: u32 = 9;
/// The first-level lookup width of the distance code.
const DISTANCE_BITS: u32 = 8;
/// The widest table filled by stride writes rather than by doubling: `1 << root` single
/// writes cost less than sorting the symbols and doubling length by length while the table
/// is small (a token's distance and code-length codes, often its literal/length code).
const STRIDE_ROOT: u32 = 5;

/// Symbols a literal/length code can list (the fixed code lists 288, two of them unused).
const MAX_LITERAL_SYMBOLS: usize = 288;
/// Literal/length symbols a dynamic header may declare (zlib: "too many length symbols").
const MAX_DYNAMIC_LITERALS: usize = 286;
/// Distance symbols a dynamic header may declare.
const MAX_DYNAMIC_DISTANCES: usize = 30;

/// Inflates the zlib stream `data` into `out` (cleared first), failing as soon as the output
/// would exceed `limit` bytes.
///
/// Exactly `limit` bytes of output are allowed. Bytes after the stream's Adler-32 trailer are
/// ignored, as Python's `zlib.decompress` ignores them. The stream may not ask for a preset
/// dictionary.
///
/// # Errors
/// [`InflateError::TooLarge`] past the limit, [`InflateError::Invalid`] for a stream zlib
/// rejects (bad header, bad block, bad Huffman code, distance before the start of the output,
/// wrong Adler-32) or one that ends early.
///
/// # Security
/// The output buffer grows in steps of at most 16 KiB and never past `limit` (a caller's
/// buffer that comes in with more capacity than that is replaced by a fresh one), so a zip
/// bomb costs at most about `limit` bytes of memory. Work is proportional to the input and
/// the output written.
pub fn inflate(data: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), InflateError> {
    out.clear();
    if out.capacity() > limit {
        // A caller's buffer larger than the bound: start from one that grows in bounded steps.
        *out = Vec::new();
    }
    let first = data
        .len()
        .saturating_mul(4)
        .clamp(MIN_FIRST_RESERVATION, GROWTH_CAP)
        .min(limit);
    if out.capacity() < first {
        out.reserve_exact(first);
    }
    let mut output = Output {
        end: out.capacity().min(limit),
        out: std::mem::take(out),
        limit,
        step: first.clamp(1, GROWTH_CAP),
    };
    let result = inflate_into(data, &mut output);
    *out = output.out;
    result
}

fn inflate_into(data: &[u8], output: &mut Output) -> Result<(), InflateError> {
    let (&cmf, &flg) = match data {
        [cmf, flg, ..] => (cmf, flg),
        _ => return Err(InflateError::Invalid),
    };
    let header_ok = ((u16::from(cmf) << 8) | u16::from(flg)) % 31 == 0
        && cmf & 0x0f == 8
        && cmf >> 4 <= 7
        && flg & 0x20 == 0;
    if !header_ok {
        return Err(InflateError::Invalid);
    }

    let mut bits = Bits {
        data,
        rest: data.get(2..).unwrap_or_default(),
        buf: 0,
        count: 0,
    };
    loop {
        let last = bits.take(1)? == 1;
        match bits.take(2)? {
            0 => stored_block(&mut bits, output)?,
            1 => {
                let (literals, distances) = &*FIXED_CODES;
                codes_block::<true>(&mut bits, output, literals, distances)?;
            }
            2 => dynamic_block(&mut bits, output)?,
            _ => return Err(InflateError::Invalid),
        }
        if last {
            break;
        }
    }

    let trailer_at = bits.byte_position();
    let trailer = data
        .get(trailer_at..)
        .and_then(|rest| rest.first_chunk::<4>())
        .ok_or(InflateError::Invalid)?;
    if u32::from_be_bytes(*trailer) != adler32(&output.out) {
        return Err(InflateError::Invalid);
    }
    Ok(())
}

/// The output buffer with its bound.
struct Output {
    out: Vec<u8>,
    limit: usize,
    /// `min(capacity, limit)`: a literal may be pushed without a check while the length is
    /// below it.
    end: usize,
    /// The next growth step (doubles up to [`GROWTH_CAP`]).
    step: usize,
}

impl Output {
    /// Appends the `n` (at most 8) literals gathered in `word`, lowest byte first: one 8-byte
    /// write cut back to `n`, where the fast path knows the room for 8 is there.
    #[inline(always)]
    fn push_literals(&mut self, word: u64, n: usize) {
        let len = self.out.len();
        self.out.extend_from_slice(&word.to_le_bytes());
        self.out.truncate(len + n);
    }

    /// Makes room for `need` more bytes, or fails when they would pass the limit.
    #[inline]
    fn reserve(&mut self, need: usize) -> Result<(), InflateError> {
        let len = self.out.len();
        let wanted = len.checked_add(need).ok_or(InflateError::Invalid)?;
        if wanted > self.limit {
            return Err(InflateError::TooLarge { limit: self.limit });
        }
        if self.out.capacity() < wanted {
            // By value, so that a caller's local `Output` stays in registers.
            let taken = std::mem::replace(
                self,
                Self {
                    out: Vec::new(),
                    limit: 0,
                    end: 0,
                    step: 0,
                },
            );
            *self = taken.grown(wanted);
        }
        Ok(())
    }

    #[cold]
    #[inline(never)]
    fn grown(mut self, wanted: usize) -> Self {
        let target = self
            .out
            .capacity()
            .saturating_add(self.step)
            .min(self.limit)
            .max(wanted);
        self.out
            .reserve_exact(target.saturating_sub(self.out.len()));
        self.end = self.out.capacity().min(self.limit);
        self.step = self.step.saturating_mul(2).min(GROWTH_CAP);
        self
    }

    /// Appends the `length` bytes that start `distance` bytes back.
    #[inline]
    fn copy_match(&mut self, distance: usize, length: usize) -> Result<(), InflateError> {
        let start = self.match_start(distance)?;
        self.reserve(length)?;
        copy_within(&mut self.out, start, length);
        Ok(())
    }

    /// [`Self::copy_match`] where `length + MATCH_SLACK` bytes of room are known: one 16-byte
    /// copy for a short match from far enough back, else 8 bytes at a time
    /// when the match does not overlap them, the up to 7 bytes past its end cut back.
    #[inline(always)]
    fn copy_match_fast(&mut self, distance: usize, length: usize) -> Result<(), InflateError> {
        let start = self.match_start(distance)?;
        if distance >= MATCH_SLACK && length <= MATCH_SLACK {
            // The common match of a token (a few bytes, from further back than 16): one
            // 16-byte copy, which the match's bytes do not overlap, cut back to its length.
            let end = self.out.len() + length;
            let chunk = self
                .out
                .get(start..)
                .and_then(|rest| rest.first_chunk::<MATCH_SLACK>())
                .copied()
                .unwrap_or_default();
            self.out.extend_from_slice(&chunk);
            self.out.truncate(end);
        } else if distance >= 8 && length <= 32 {
            let end = self.out.len() + length;
            let mut from = start;
            while self.out.len() < end {
                let chunk = self
                    .out
                    .get(from..)
                    .and_then(|rest| rest.first_chunk::<8>())
                    .copied()
                    .unwrap_or_default();
                self.out.extend_from_slice(&chunk);
                from += 8;
            }
            self.out.truncate(end);
        } else {
            copy_within(&mut self.out, start, length);
        }
        Ok(())
    }

    /// Where a match `distance` bytes back starts, or an error before the output's start.
    #[inline(always)]
    fn match_start(&self, distance: usize) -> Result<usize, InflateError> {
        if distance == 0 {
            return Err(InflateError::Invalid);
        }
        self.out
            .len()
            .checked_sub(distance)
            .ok_or(InflateError::Invalid)
    }
}

/// Appends the `length` bytes of `out` from `start` on (they may overlap what is appended);
/// the capacity for them is there.
#[inline(always)]
fn copy_within(out: &mut Vec<u8>, start: usize, length: usize) {
    let len = out.len();
    let distance = len - start;
    if length <= 8 {
        // Short matches (most of them in small payloads): cheaper byte by byte than a call
        // to memmove, and right for overlapping ones too.
        for at in start..start + length {
            let byte = out.get(at).copied().unwrap_or_default();
            out.push(byte);
        }
    } else if distance >= length {
        out.extend_from_within(start..start + length);
    } else if distance == 1 {
        let byte = out.last().copied().unwrap_or_default();
        out.resize(len + length, byte);
    } else {
        // The bytes repeat with period `distance`: copy the longest run already written,
        // which doubles every round.
        let end = len + length;
        while out.len() < end {
            let chunk = (out.len() - start).min(end - out.len());
            out.extend_from_within(start..start + chunk);
        }
    }
}

/// The input, read as a little-endian bit stream through a 64-bit buffer.
#[derive(Clone, Copy)]
struct Bits<'a> {
    data: &'a [u8],
    /// The bytes of `data` not yet loaded into `buf` (a slice rather than a position: a
    /// refill checks its length only).
    rest: &'a [u8],
    /// The loaded bits, next bit lowest. Bits above `count` are either zero or the bits that
    /// the following loads will put there.
    buf: u64,
    /// How many bits of `buf` are loaded (at most 63).
    count: u32,
}

impl Bits<'_> {
    /// Loads as many whole bytes as fit (8 at a time while 8 remain).
    #[inline(always)]
    fn refill(&mut self) {
        if let Some(word) = self.rest.first_chunk::<8>() {
            self.buf |= u64::from_le_bytes(*word) << self.count;
            // At most 7 of the 8 bytes: the slice keeps at least one.
            let loaded = ((63 - self.count) >> 3) & 7;
            self.rest = self.rest.get(loaded as usize..).unwrap_or_default();
            self.count |= 56;
        } else if !self.rest.is_empty() {
            *self = self.refill_slow();
        }
    }

    /// Byte by byte near the end of the input. By value, so that the caller's copy of the
    /// buffer stays in registers.
    #[cold]
    #[inline(never)]
    fn refill_slow(mut self) -> Self {
        while self.count < 56 {
            match self.rest.split_first() {
                Some((&byte, rest)) => {
                    self.buf |= u64::from(byte) << self.count;
                    self.rest = rest;
                    self.count += 8;
                }
                None => break,
            }
        }
        self
    }

    #[inline(always)]
    fn consume(&mut self, n: u32) {
        self.buf >>= n;
        self.count -= n;
    }

    /// Consumes a literal's code, given its table entry. A literal has no extra bits, so the
    /// entry's low 6 bits are its code's length, and those are all a `u64` shift reads of its
    /// count: the shift needs no mask first, one instruction less in the serial chain of
    /// lookup, shift and next lookup that bounds the decoder.
    #[inline(always)]
    fn consume_literal(&mut self, entry: u32) {
        self.buf = self.buf.wrapping_shr(entry);
        self.count -= entry & LENGTH_MASK;
    }

    /// Reads `n` (at most 16) bits.
    #[inline(always)]
    fn take(&mut self, n: u32) -> Result<u32, InflateError> {
        if self.count < n {
            self.refill();
            if self.count < n {
                return Err(InflateError::Invalid);
            }
        }
        let value = (self.buf & ((1u64 << n) - 1)) as u32;
        self.consume(n);
        Ok(value)
    }

    /// Drops the bits up to the next byte boundary and returns the position of the first byte
    /// not yet read.
    fn byte_position(&mut self) -> usize {
        self.consume(self.count % 8);
        self.data.len() - self.rest.len() - (self.count / 8) as usize
    }
}

/// A decode-table entry (`u32`): the code's length in bits 0..=3 (`0`: no code of at most
/// the table's width starts here), the extra bits that follow the symbol in bits 4..=7, a
/// kind flag, and the value in bits 16..=31 (the literal byte, the first match length or
/// distance of the symbol, or a code-length symbol). One lookup gives all a symbol needs.
const LENGTH_MASK: u32 = 0xf;
const EXTRA_SHIFT: u32 = 4;
const VALUE_SHIFT: u32 = 16;
/// The entry is a literal byte.
const LITERAL: u32 = 1 << 15;
/// The entry is the end-of-block symbol.
const END: u32 = 1 << 14;
/// The entry is a symbol no valid stream uses (literal/length 286 and 287, distance 30 and 31).
const UNUSED: u32 = 1 << 13;
/// The entry is a length symbol (257..=285): one test on the fast path, where a table slot
/// without a code (zero) has no flag.
const MATCH: u32 = 1 << 12;

/// What each literal/length symbol decodes to, without its code length. The entry tables
/// are padded to a power of two, so that a symbol masked to their size needs no bounds check.
const LITERAL_ENTRIES: [u32; 512] = literal_entries();
/// What each distance symbol decodes to.
const DISTANCE_ENTRIES: [u32; 32] = distance_entries();
/// What each code-length symbol decodes to: itself.
const CODE_LENGTH_ENTRIES: [u32; 32] = code_length_entries();

// Evaluated at compile time: an index out of bounds would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const fn literal_entries() -> [u32; 512] {
    let mut entries = [UNUSED; 512];
    let mut symbol = 0;
    while symbol < 256 {
        entries[symbol] = LITERAL | ((symbol as u32) << VALUE_SHIFT);
        symbol += 1;
    }
    entries[256] = END;
    while symbol < 29 + 256 {
        let index = symbol - 256;
        entries[symbol + 1] = MATCH
            | ((LENGTH_BASE[index] as u32) << VALUE_SHIFT)
            | ((LENGTH_EXTRA[index] as u32) << EXTRA_SHIFT);
        symbol += 1;
    }
    entries
}

#[allow(clippy::indexing_slicing)]
const fn distance_entries() -> [u32; 32] {
    let mut entries = [UNUSED; 32];
    let mut symbol = 0;
    while symbol < 30 {
        entries[symbol] = ((DISTANCE_BASE[symbol] as u32) << VALUE_SHIFT)
            | ((DISTANCE_EXTRA[symbol] as u32) << EXTRA_SHIFT);
        symbol += 1;
    }
    entries
}

#[allow(clippy::indexing_slicing)]
const fn code_length_entries() -> [u32; 32] {
    let mut entries = [UNUSED; 32];
    let mut symbol = 0;
    while symbol < 19 {
        entries[symbol] = (symbol as u32) << VALUE_SHIFT;
        symbol += 1;
    }
    entries
}

/// An entry's value field.
#[inline(always)]
fn value(entry: u32) -> u32 {
    entry >> VALUE_SHIFT
}

/// The `extra` bits (at most 13) above the `skip` lowest bits of `buf`.
#[inline(always)]
fn extra_bits(buf: u64, skip: u32, extra: u32) -> u32 {
    ((buf >> skip) & ((1u64 << extra) - 1)) as u32
}

/// A canonical Huffman code's decoder: a first-level table of up to `1 << BITS` entries;
/// codes longer than `BITS` are found by walking the canonical code.
///
/// In declaration order (`repr(C)`), the non-zero `entries` between the table and the other
/// fields: otherwise the compiler zeroes them all at once, and a memset past 2 KiB takes
/// glibc's `rep stosb` path, which costs more than two memsets.
#[repr(C)]
struct Code<const BITS: u32, const SIZE: usize, const SYMBOLS: usize, const ENTRIES: usize> {
    /// Only the first `mask + 1` entries are filled and looked up.
    table: [u32; SIZE],
    /// What each symbol decodes to.
    entries: &'static [u32; ENTRIES],
    /// `(1 << root) - 1` with `root` the longest code's length, or `BITS` when a code is
    /// longer: a short code (the usual one of a small payload) fills a table of only
    /// `1 << root` entries, which lookups index with the low `root` bits.
    mask: u64,
    /// How many symbols have each length 1..=15 (index 0 unused).
    count: [u16; 16],
    /// The symbols ordered by (length, symbol).
    sorted: [u16; SYMBOLS],
    has_long: bool,
}

/// Copies a table's first `span` entries to the next `span`.
#[inline(always)]
fn double(table: &mut [u32], span: usize) {
    if let Some((low, high)) = table
        .get_mut(..span * 2)
        .and_then(|both| both.split_at_mut_checked(span))
    {
        high.copy_from_slice(low);
    }
}

/// A code's used symbols as they are read, each `symbol << 4 | length` (lengths 1..=15), in
/// symbol order, with how many symbols have each length.
struct Lengths<const N: usize> {
    pairs: [u16; N],
    used: usize,
    count: [u16; 16],
}

impl<const N: usize> Lengths<N> {
    fn new() -> Self {
        Self {
            pairs: [0; N],
            used: 0,
            count: [0; 16],
        }
    }

    /// Gives `symbol` the length `length` (nothing for `0`). The number of pairs is kept in
    /// the caller's `used` until it is done (a local the compiler keeps in a register; the
    /// field lives in memory, as `pairs` is passed to the table build).
    #[inline(always)]
    fn push(&mut self, used: &mut usize, symbol: usize, length: u8) {
        if length == 0 {
            return;
        }
        let length = length & 15;
        // As in `push_run`.
        if let Some(slot) = self.pairs.get_mut(*used) {
            *slot = (symbol as u16) << 4 | u16::from(length);
        }
        *used += 1;
        if let Some(n) = self.count.get_mut(usize::from(length)) {
            *n += 1;
        }
    }

    /// Gives the `run` symbols from `symbol` on the length `length` (nothing for `0`).
    #[inline(always)]
    fn push_run(&mut self, used: &mut usize, symbol: usize, length: u8, run: usize) {
        if length == 0 {
            return;
        }
        let length = length & 15;
        // At most N symbols are given (the callers' counts are bounded by N), so `used`
        // stays within `pairs`; symbols are below 2^12, so `symbol << 4` fits in 16 bits.
        for (at, slot) in self.pairs.iter_mut().skip(*used).take(run).enumerate() {
            *slot = ((symbol + at) as u16) << 4 | u16::from(length);
        }
        *used += run;
        if let Some(n) = self.count.get_mut(usize::from(length)) {
            *n += run as u16;
        }
    }

    /// The used symbols.
    fn pairs(&self) -> &[u16] {
        self.pairs.get(..self.used).unwrap_or_default()
    }
}

/// The used symbols of a code listed by symbol (`0` for unused), as [`Code::build`] takes
/// them: `symbol << 4 | length`, in symbol order.
fn used_symbols(lengths: &[u8]) -> impl Iterator<Item = u16> + '_ {
    lengths
        .iter()
        .enumerate()
        .filter(|&(_, &length)| length != 0)
        .map(|(symbol, &length)| (symbol as u16) << 4 | u16::from(length & 15))
}

/// How many symbols of a code listed by symbol have each length (`count[0]`: the unused).
fn length_counts(lengths: &[u8]) -> [u16; 16] {
    let mut count = [0u16; 16];
    for &length in lengths {
        if let Some(n) = count.get_mut(usize::from(length & 15)) {
            *n += 1;
        }
    }
    count
}

/// How a code's lengths may leave code space unused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The code-length code: must be complete.
    CodeLengths,
    /// A literal/length or distance code: complete, or (zlib's exception) a single code of
    /// one bit, or no code at all (decoding then fails).
    Symbols,
}

impl<const BITS: u32, const SIZE: usize, const SYMBOLS: usize, const ENTRIES: usize>
    Code<BITS, SIZE, SYMBOLS, ENTRIES>
{
    /// A decoder with no codes, decoding the symbols of `entries`.
    fn empty(entries: &'static [u32; ENTRIES]) -> Self {
        Self {
            table: [0; SIZE],
            mask: 0,
            entries,
            count: [0; 16],
            sorted: [0; SYMBOLS],
            has_long: false,
        }
    }

    /// Builds the decoder for the code with the given lengths (symbol `i` has `lengths[i]`
    /// bits, `0` for unused), or fails where zlib's `inflate_table` fails.
    fn new(
        lengths: &[u8],
        entries: &'static [u32; ENTRIES],
        kind: Kind,
    ) -> Result<Self, InflateError> {
        let mut code = Self::empty(entries);
        code.build(used_symbols(lengths), length_counts(lengths), kind)?;
        Ok(code)
    }

    /// Fills a decoder in place (no copy of the tables) from the code's used symbols
    /// (`symbol << 4 | length`, in symbol order) and how many symbols have each length
    /// (`count[0]` ignored).
    ///
    /// The decoder need not be empty: a dynamic block's decoders are reused from call to
    /// call without being cleared, so every slot up to the new mask is written here (a code,
    /// or zero where no code of at most the table's width starts), and nothing an earlier
    /// code left is looked up.
    fn build(
        &mut self,
        pairs: impl Iterator<Item = u16>,
        mut count: [u16; 16],
        kind: Kind,
    ) -> Result<(), InflateError> {
        count[0] = 0;
        self.count = count;
        // zlib walks the lengths keeping the code space left, failing as soon as it is
        // negative. The space left at length l+1 is at most twice that at l, so it is
        // negative somewhere exactly when it is at the end: the Kraft sum
        // `sum(count[l] << (15 - l))` (below 316 << 14, no overflow) decides both
        // over-subscription (above 1 << 15) and incompleteness (below).
        let mut kraft = 0u32;
        let mut present = 0u32;
        let mut offset = [0u16; 16];
        let mut total = 0u16;
        for length in 1..16 {
            let n = count.get(length).copied().unwrap_or(0);
            kraft += u32::from(n) << (15 - length);
            present |= u32::from(n != 0) << length;
            if let Some(slot) = offset.get_mut(length) {
                *slot = total;
            }
            total += n;
        }
        if kraft > 1 << 15 {
            return Err(InflateError::Invalid); // over-subscribed
        }
        if present == 0 {
            // No symbols: zlib accepts the code and fails on the first symbol decoded (the
            // one slot looked up holds no code). A code-length code with no lengths yields
            // only zero lengths, hence no end of block: rejected here already.
            self.mask = 0;
            self.has_long = false;
            if let Some(slot) = self.table.first_mut() {
                *slot = 0;
            }
            return match kind {
                Kind::CodeLengths => Err(InflateError::Invalid),
                Kind::Symbols => Ok(()),
            };
        }
        let max = 31 - present.leading_zeros();
        let complete = kraft == 1 << 15;
        if !complete && (kind == Kind::CodeLengths || max != 1) {
            return Err(InflateError::Invalid); // incomplete
        }

        self.has_long = max > BITS;
        let root = max.min(BITS);
        self.mask = (1u64 << root) - 1;
        if root <= STRIDE_ROOT {
            if !complete {
                // The single one-bit code: its other slot holds no code.
                self.table.iter_mut().take(2).for_each(|slot| *slot = 0);
            }
            self.fill_by_stride(pairs, &count, root);
        } else {
            self.fill_by_doubling(pairs, count, offset, root);
        }
        Ok(())
    }

    /// Fills a table of `1 << root` entries (`root` at most [`STRIDE_ROOT`], no code longer)
    /// in symbol order, without sorting: each code's entry goes to every slot whose low bits
    /// are its reversed code (`1 << (root - length)` of them; `1 << root` in all for a
    /// complete code). Within a length, canonical codes follow symbol order, so each
    /// symbol's code is the next one of its length.
    fn fill_by_stride(&mut self, pairs: impl Iterator<Item = u16>, count: &[u16; 16], root: u32) {
        // The first code of each length: no code is longer than the table, so only the
        // lengths up to STRIDE_ROOT have any.
        let mut next = [0u32; STRIDE_ROOT as usize + 1];
        let mut code = 0u32;
        for (length, slot) in next.iter_mut().enumerate().skip(1) {
            *slot = code;
            code = (code + u32::from(count.get(length).copied().unwrap_or(0))) << 1;
        }
        let size = 1usize << root;
        for pair in pairs {
            let length = u32::from(pair & 15);
            let Some(code) = next.get_mut(length as usize) else {
                continue;
            };
            let entry = self
                .entries
                .get(usize::from(pair >> 4) & (ENTRIES - 1))
                .copied()
                .unwrap_or(UNUSED)
                | length;
            let mut at = reverse_code(*code, length) as usize;
            *code += 1;
            while at < size {
                if let Some(slot) = self.table.get_mut(at & (SIZE - 1)) {
                    *slot = entry;
                }
                at += 1 << length;
            }
        }
    }

    /// Fills a table of `1 << root` entries by length: sorts the symbols into canonical order
    /// (kept for the walk of codes longer than the table), places each length's codes in
    /// the first `1 << length` slots and doubles them up.
    fn fill_by_doubling(
        &mut self,
        pairs: impl Iterator<Item = u16>,
        count: [u16; 16],
        mut offset: [u16; 16],
        root: u32,
    ) {
        // The symbols in canonical order: by length, then by symbol.
        for pair in pairs {
            if let Some(o) = offset.get_mut(usize::from(pair & 15)) {
                if let Some(slot) = self.sorted.get_mut(usize::from(*o)) {
                    *slot = pair >> 4;
                }
                *o += 1;
            }
        }
        // Fill the table a length at a time: the entries of the codes of length `l` fill the
        // first `1 << l` slots, then those slots are copied up (codes are prefix-free, so a
        // slot's low `l` bits decide it), and so on up to the root's width.
        let mut span = 1usize;
        let mut code: u32 = 0;
        let table = &mut self.table;
        let entries = self.entries;
        let mut sorted: &[u16] = &self.sorted;
        // Until the first code is placed there is nothing to copy. Then the slots its length
        // leaves are cleared (the table is reused as it is): they are the prefixes of longer
        // codes, which later lengths overwrite, or of codes longer than the table, which
        // stay zero for the walk.
        let mut placed = false;
        for length in 1..=root {
            if placed {
                double(table, span);
            }
            span <<= 1;
            let n = count.get(length as usize).copied().unwrap_or(0);
            if !placed && n != 0 {
                table.iter_mut().take(span).for_each(|slot| *slot = 0);
                placed = true;
            }
            let (these, rest) = sorted.split_at_checked(usize::from(n)).unwrap_or_default();
            sorted = rest;
            for &symbol in these {
                // ENTRIES is a power of two above every symbol (the mask only tells the
                // compiler so).
                let entry = entries
                    .get(usize::from(symbol) & (ENTRIES - 1))
                    .copied()
                    .unwrap_or(UNUSED);
                // The reversed code is below `1 << length`, which is at most SIZE (the mask
                // only tells the compiler so).
                if let Some(slot) = table.get_mut(reverse_code(code, length) as usize & (SIZE - 1))
                {
                    *slot = entry | length;
                }
                code += 1;
            }
            code <<= 1;
        }
        if !placed {
            // No code as short as the table (no complete code of at most 288 symbols is
            // like that, but the table must not keep an earlier code's entries either way).
            table.iter_mut().take(span).for_each(|slot| *slot = 0);
        }
    }

    /// The first-level entry for the next bits.
    #[inline(always)]
    fn lookup(&self, buf: u64) -> u32 {
        // `mask` is below SIZE; masking with SIZE - 1 as well lets the compiler drop the
        // bounds check (and hoist `mask & (SIZE - 1)` out of loops).
        let index = (buf & self.mask & (SIZE as u64 - 1)) as usize;
        self.table.get(index).copied().unwrap_or(0)
    }
    /// Decodes one symbol (consuming its code, not its extra bits) and returns its entry.
    #[inline(always)]
    fn decode(&self, bits: &mut Bits<'_>) -> Result<u32, InflateError> {
        if bits.count < MAX_CODE_BITS as u32 {
            bits.refill();
        }
        let entry = self.lookup(bits.buf);
        let length = entry & LENGTH_MASK;
        if length != 0 && length <= bits.count {
            bits.consume(length);
            Ok(entry)
        } else if length != 0 {
            Err(InflateError::Invalid) // the stream ends inside the code
        } else {
            let (symbol, length) = self.decode_long(bits.buf, bits.count)?;
            bits.consume(length);
            Ok(self
                .entries
                .get(usize::from(symbol))
                .copied()
                .unwrap_or(UNUSED))
        }
    }

    /// Walks the canonical code bit by bit (codes longer than the table, or none at all).
    /// Returns the symbol and its code's length, found in `buf` of which `count` bits are
    /// loaded.
    #[cold]
    #[inline(never)]
    fn decode_long(&self, buf: u64, count: u32) -> Result<(u16, u32), InflateError> {
        if !self.has_long {
            return Err(InflateError::Invalid); // unused code of an incomplete code
        }
        // The table holds every code of at most BITS bits and has none here, so the walk
        // over those lengths finds nothing: it starts at BITS + 1, with the first BITS bits
        // read (most significant first) and the first code and symbol index of that length
        // (which depend on the counts only). Running out of bits before is invalid either way.
        let mut first: i32 = 0;
        let mut index: i32 = 0;
        for length in 1..=BITS as usize {
            let symbols = i32::from(self.count.get(length).copied().unwrap_or(0));
            index += symbols;
            first = (first + symbols) << 1;
        }
        let mut code = (reverse_code(buf as u32 & ((1 << BITS) - 1), BITS) as i32) << 1;
        for length in BITS + 1..=u32::from(MAX_CODE_BITS) {
            if length > count {
                return Err(InflateError::Invalid);
            }
            code |= ((buf >> (length - 1)) & 1) as i32;
            let symbols = i32::from(self.count.get(length as usize).copied().unwrap_or(0));
            if code - first < symbols {
                let at =
                    usize::try_from(index + code - first).map_err(|_| InflateError::Invalid)?;
                let symbol = self.sorted.get(at).copied().ok_or(InflateError::Invalid)?;
                return Ok((symbol, length));
            }
            index += symbols;
            first = (first + symbols) << 1;
            code <<= 1;
        }
        Err(InflateError::Invalid)
    }
}

type LiteralCode = Code<LITERAL_BITS, { 1 << LITERAL_BITS }, MAX_LITERAL_SYMBOLS, 512>;
type DistanceCode = Code<DISTANCE_BITS, { 1 << DISTANCE_BITS }, 32, 32>;
type CodeLengthCode = Code<{ MAX_CODE_LENGTH_BITS as u32 }, { 1 << MAX_CODE_LENGTH_BITS }, 19, 32>;

/// The fixed block's codes (section 3.2.6), built once.
static FIXED_CODES: LazyLock<(LiteralCode, DistanceCode)> = LazyLock::new(|| {
    // Both codes are complete, so neither build fails.
    let literals = Code::new(&fixed_literal_lengths(), &LITERAL_ENTRIES, Kind::Symbols)
        .unwrap_or_else(|_| Code::empty(&LITERAL_ENTRIES));
    let distances = Code::new(&FIXED_DISTANCE_LENGTHS, &DISTANCE_ENTRIES, Kind::Symbols)
        .unwrap_or_else(|_| Code::empty(&DISTANCE_ENTRIES));
    (literals, distances)
});

/// A stored block: LEN, NLEN, then LEN bytes copied as they are.
fn stored_block(bits: &mut Bits<'_>, output: &mut Output) -> Result<(), InflateError> {
    let at = bits.byte_position();
    let rest = bits.data.get(at..).unwrap_or_default();
    let (&[len0, len1, nlen0, nlen1], body) =
        rest.split_first_chunk::<4>().ok_or(InflateError::Invalid)?;
    let len = u16::from_le_bytes([len0, len1]);
    if len != !u16::from_le_bytes([nlen0, nlen1]) {
        return Err(InflateError::Invalid);
    }
    let len = usize::from(len);
    let available = body.get(..len);
    // Past the limit is reported first when the input holds enough bytes to pass it.
    output.reserve(len.min(body.len()))?;
    let bytes = available.ok_or(InflateError::Invalid)?;
    output.out.extend_from_slice(bytes);
    *bits = Bits {
        data: bits.data,
        rest: body.get(len..).unwrap_or_default(),
        buf: 0,
        count: 0,
    };
    Ok(())
}

/// A dynamic block's decoders (literal/length, distance, and its header's code-length code:
/// a few KiB), kept per thread and reused by every dynamic block without being cleared (each
/// build writes all that its lookups read), instead of being zeroed on the stack for every
/// block.
struct DynamicCodes {
    literals: LiteralCode,
    distances: DistanceCode,
    /// The header's code-length decoder, built (every slot it looks up) for each block.
    code_lengths: CodeLengthCode,
}

impl DynamicCodes {
    fn new() -> Box<Self> {
        Box::new(Self {
            literals: LiteralCode::empty(&LITERAL_ENTRIES),
            distances: DistanceCode::empty(&DISTANCE_ENTRIES),
            code_lengths: CodeLengthCode::empty(&CODE_LENGTH_ENTRIES),
        })
    }
}

thread_local! {
    /// This thread's [`DynamicCodes`], made at its first dynamic block. Taken out while a
    /// block uses them (a nested call, were there one, would make its own).
    static DYNAMIC_CODES: Cell<Option<Box<DynamicCodes>>> = const { Cell::new(None) };
}

/// A dynamic block: its header's code lengths, then its symbols, decoded with this thread's
/// reused decoders.
fn dynamic_block(bits: &mut Bits<'_>, output: &mut Output) -> Result<(), InflateError> {
    let mut codes = DYNAMIC_CODES
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_else(DynamicCodes::new);
    let result = dynamic_block_with(bits, output, &mut codes);
    // At the thread's end (its storage gone) the decoders are simply dropped.
    let _ = DYNAMIC_CODES.try_with(|cell| cell.set(Some(codes)));
    result
}

/// [`dynamic_block`] with the given decoders. Not inlined: measured, the header's loop and
/// the builds compile to fewer instructions on their own than inside [`inflate`] with the
/// decoders' take and put back (callgrind, flask-verify: 22,351 inlined, 22,301 not).
#[inline(never)]
fn dynamic_block_with(
    bits: &mut Bits<'_>,
    output: &mut Output,
    codes: &mut DynamicCodes,
) -> Result<(), InflateError> {
    // On a local copy, which the compiler keeps in registers (through the reference, every
    // field read would store the bit buffer back).
    let mut header_bits = *bits;
    let counts = header_bits.take(14)?;
    let literal_count = (counts & 31) as usize + 257;
    let distance_count = ((counts >> 5) & 31) as usize + 1;
    let code_length_count = (counts >> 10) as usize + 4;
    if literal_count > MAX_DYNAMIC_LITERALS || distance_count > MAX_DYNAMIC_DISTANCES {
        return Err(InflateError::Invalid);
    }

    // The 3-bit lengths, ten (30 bits) per check of the loaded bits. Where the input ends
    // inside a group, it ends inside the header all the same: invalid either way.
    let mut code_length_lengths = [0u8; 19];
    let order = CODE_LENGTH_ORDER
        .get(..code_length_count)
        .unwrap_or_default();
    for group in order.chunks(10) {
        let width = 3 * group.len() as u32;
        if header_bits.count < width {
            header_bits.refill();
            if header_bits.count < width {
                return Err(InflateError::Invalid);
            }
        }
        let mut lengths = header_bits.buf;
        for &symbol in group {
            if let Some(slot) = code_length_lengths.get_mut(usize::from(symbol)) {
                *slot = (lengths & 7) as u8;
            }
            lengths >>= 3;
        }
        header_bits.consume(width);
    }
    // Read straight from the 19 lengths: no list of used symbols to write first.
    let DynamicCodes {
        literals,
        distances,
        code_lengths,
    } = codes;
    code_lengths.build(
        used_symbols(&code_length_lengths),
        length_counts(&code_length_lengths),
        Kind::CodeLengths,
    )?;

    // The literal/length lengths, then the distance lengths: one sequence, in which a run
    // may pass from the first code into the second.
    let mut run = Run {
        previous: None,
        value: 0,
        left: 0,
    };
    let mut literal_lengths = Lengths::<MAX_DYNAMIC_LITERALS>::new();
    read_lengths(
        &mut header_bits,
        code_lengths,
        literal_count,
        &mut literal_lengths,
        &mut run,
    )?;
    let mut distance_lengths = Lengths::<MAX_DYNAMIC_DISTANCES>::new();
    read_lengths(
        &mut header_bits,
        code_lengths,
        distance_count,
        &mut distance_lengths,
        &mut run,
    )?;
    *bits = header_bits;
    if run.left != 0 {
        return Err(InflateError::Invalid); // a run past the last length
    }
    // The pairs are in symbol order: the end-of-block symbol is the last one at most 256.
    let has_end = literal_lengths
        .pairs()
        .iter()
        .rev()
        .find(|&&pair| pair >> 4 <= END_OF_BLOCK)
        .is_some_and(|&pair| pair >> 4 == END_OF_BLOCK);
    if !has_end {
        return Err(InflateError::Invalid); // no end-of-block code
    }
    literals.build(
        literal_lengths.pairs().iter().copied(),
        literal_lengths.count,
        Kind::Symbols,
    )?;
    distances.build(
        distance_lengths.pairs().iter().copied(),
        distance_lengths.count,
        Kind::Symbols,
    )?;
    codes_block::<false>(bits, output, literals, distances)
}

/// The state that carries over from one code's lengths to the next: the last length (the one
/// symbol 16 repeats), and what is left of a run that passed the end of the first code.
struct Run {
    previous: Option<u8>,
    value: u8,
    left: usize,
}

/// Reads the `n` code lengths of one code (a run may end in the next code: what is left of
/// it stays in `run`).
#[inline(always)]
fn read_lengths<const N: usize>(
    bits: &mut Bits<'_>,
    code_lengths: &CodeLengthCode,
    n: usize,
    lengths: &mut Lengths<N>,
    run: &mut Run,
) -> Result<(), InflateError> {
    let mut used = 0;
    let mut filled = run.left.min(n);
    lengths.push_run(&mut used, 0, run.value, filled);
    run.left -= filled;
    while filled < n {
        if bits.count < 14 {
            bits.refill();
        }
        let symbol = if bits.count >= 14 {
            // A code and its extra bits are loaded, and the code is complete: every entry
            // up to its mask holds a code.
            let entry = code_lengths.lookup(bits.buf);
            bits.consume(entry & LENGTH_MASK);
            value(entry)
        } else {
            value(code_lengths.decode(bits)?)
        };
        let (value, repeat) = match symbol {
            0..=15 => {
                // One length, the common case.
                let length = symbol as u8;
                lengths.push(&mut used, filled, length);
                run.previous = Some(length);
                filled += 1;
                continue;
            }
            16 => {
                let previous = run.previous.ok_or(InflateError::Invalid)?;
                (previous, 3 + bits.take(2)? as usize)
            }
            17 => (0, 3 + bits.take(3)? as usize),
            _ => (0, 11 + bits.take(7)? as usize),
        };
        let here = repeat.min(n - filled);
        lengths.push_run(&mut used, filled, value, here);
        filled += here;
        run.previous = Some(value);
        run.value = value;
        run.left = repeat - here;
    }
    lengths.used = used;
    Ok(())
}

/// The symbols of a fixed or dynamic block, up to its end-of-block code.
fn codes_block<const FIXED: bool>(
    bits: &mut Bits<'_>,
    output: &mut Output,
    literals: &LiteralCode,
    distances: &DistanceCode,
) -> Result<(), InflateError> {
    // Local copies the compiler keeps in registers: through the references, every byte
    // written to the output would force the bit buffer and the length back to memory.
    let mut local_bits = *bits;
    let mut local_output = Output {
        out: std::mem::take(&mut output.out),
        limit: output.limit,
        end: output.end,
        step: output.step,
    };
    let result = symbols::<FIXED>(&mut local_bits, &mut local_output, literals, distances);
    *bits = local_bits;
    *output = local_output;
    result
}

/// Room the fast path needs in the output: the 8 bytes a literal run writes at once (before
/// the length is cut back). A match is copied on the fast path when it has room for its
/// length plus [`MATCH_SLACK`], else with a reservation.
const FAST_ROOM: usize = 8;

/// Room a match needs past its length on the fast path: its copies write up to 16 bytes
/// (a short match) or 7 bytes past its end (8-byte chunks) before the length is cut back.
const MATCH_SLACK: usize = 16;

/// The most bits a length with its distance takes: 15 + 5 extra + 15 + 13 extra.
const FAST_BITS: u32 = 48;

/// The fixed code's 8-bit literal codes (the bytes 0 to 143, codes `0x30 + byte`), by the
/// next 8 bits of the stream as loaded (first bit lowest): the byte, or
/// [`NOT_A_BYTE_LITERAL`] for the start of any other code (7-bit length codes, the 8-bit
/// codes of lengths 280 to 287, the 9-bit codes of the bytes 144 to 255).
const FIXED_BYTE_LITERALS: [u16; 256] = fixed_byte_literals();

/// [`FIXED_BYTE_LITERALS`]' entry for the start of a code that is no 8-bit literal.
const NOT_A_BYTE_LITERAL: u16 = 0x100;

#[allow(clippy::indexing_slicing)]
const fn fixed_byte_literals() -> [u16; 256] {
    let mut table = [NOT_A_BYTE_LITERAL; 256];
    let mut byte = 0;
    while byte < 144 {
        table[REVERSED_BYTES[0x30 + byte] as usize] = byte as u16;
        byte += 1;
    }
    table
}

/// In a fixed block, the run of up to 7 literals that the loaded bits start with, each an
/// 8-bit code (all of ASCII, so every literal of a JSON token's ASCII text): their bytes
/// gathered in a word (lowest first) and how many. The run's codes are whole bytes of `buf`,
/// so each is looked up from `buf` itself rather than after the previous one is consumed:
/// the lookups do not wait on one another, where the general loop's lookup, code length,
/// shift and next lookup are one serial chain per symbol.
#[inline(always)]
fn fixed_byte_literal_run(buf: u64, count: u32) -> (u64, usize) {
    let mut word = 0u64;
    let mut n = 0;
    while n < (count / 8).min(7) as usize {
        let literal = FIXED_BYTE_LITERALS
            .get(((buf >> (8 * n)) & 0xff) as usize)
            .copied()
            .unwrap_or(NOT_A_BYTE_LITERAL);
        if literal == NOT_A_BYTE_LITERAL {
            break;
        }
        word |= u64::from(literal) << (8 * n);
        n += 1;
    }
    (word, n)
}

/// [`codes_block`]'s loop, inlined into it so that its state stays local. `FIXED`: the
/// codes are the fixed block's, whose 8-bit literals are read a run at a time
/// ([`fixed_byte_literal_run`]).
#[inline(always)]
fn symbols<const FIXED: bool>(
    bits: &mut Bits<'_>,
    output: &mut Output,
    literals: &LiteralCode,
    distances: &DistanceCode,
) -> Result<(), InflateError> {
    loop {
        if output.out.len() + FAST_ROOM <= output.end && {
            bits.refill();
            bits.count >= FAST_BITS
        } {
            // The fast path: a whole symbol with its extra bits and distance loaded (the
            // trailer's bytes count too: they are input all the same) and room for a literal
            // run, so no check per bit or byte (a match checks its own room once).
            if FIXED {
                let (word, n) = fixed_byte_literal_run(bits.buf, bits.count);
                if n != 0 {
                    output.push_literals(word, n);
                    bits.consume(8 * n as u32);
                    continue;
                }
            }
            let mut entry = literals.lookup(bits.buf);
            if entry & LITERAL != 0 {
                // A run of literals, gathered in a word and written at once (at most 8 of
                // them), while the loaded bits hold any code the table holds whole (a longer
                // one ends the run). The table's codes are at most LITERAL_BITS long and
                // FAST_BITS are loaded, so the first FAST_BITS / LITERAL_BITS - 1 = 4
                // literals leave enough for the next lookup without a check (the loop is
                // unrolled: the check exists only after the fifth on).
                const UNCHECKED: usize = (FAST_BITS / LITERAL_BITS) as usize - 1;
                let mut word = 0u64;
                let mut n = 0;
                loop {
                    word |= u64::from(value(entry)) << (n * 8);
                    n += 1;
                    bits.consume_literal(entry);
                    if n == 8 || (n > UNCHECKED && bits.count < LITERAL_BITS) {
                        break;
                    }
                    entry = literals.lookup(bits.buf);
                    if entry & LITERAL == 0 {
                        break;
                    }
                }
                output.push_literals(word, n);
                continue;
            }
            if entry & MATCH != 0 {
                // A length symbol's code in the table: its length is not zero.
                let code_length = entry & LENGTH_MASK;
                let extra = (entry >> EXTRA_SHIFT) & LENGTH_MASK;
                let length = value(entry) + extra_bits(bits.buf, code_length, extra);
                bits.consume(code_length + extra);
                let entry = distances.lookup(bits.buf);
                let code_length = entry & LENGTH_MASK;
                let entry = if code_length != 0 {
                    bits.consume(code_length);
                    entry
                } else {
                    distances.decode(bits)?
                };
                if entry & UNUSED != 0 {
                    return Err(InflateError::Invalid); // distance symbols 30 and 31
                }
                let extra = (entry >> EXTRA_SHIFT) & LENGTH_MASK;
                let distance = value(entry) + extra_bits(bits.buf, 0, extra);
                bits.consume(extra);
                let length = length as usize;
                if output.out.len() + length + MATCH_SLACK <= output.end {
                    output.copy_match_fast(distance as usize, length)?;
                } else {
                    output.copy_match(distance as usize, length)?;
                }
                continue;
            }
            // The end of the block, an unused symbol or a code longer than the table: below.
        } else if bits.count < 48 {
            bits.refill();
        }
        let entry = literals.decode(bits)?;
        if entry & LITERAL != 0 {
            if output.out.len() >= output.end {
                output.reserve(1)?;
            }
            output.out.push(value(entry) as u8);
            continue;
        }
        if entry & END != 0 {
            return Ok(());
        }
        if entry & UNUSED != 0 {
            return Err(InflateError::Invalid); // symbols 286 and 287
        }
        let length = value(entry) + bits.take((entry >> EXTRA_SHIFT) & LENGTH_MASK)?;
        let entry = distances.decode(bits)?;
        if entry & UNUSED != 0 {
            return Err(InflateError::Invalid); // distance symbols 30 and 31
        }
        let distance = value(entry) + bits.take((entry >> EXTRA_SHIFT) & LENGTH_MASK)?;
        output.copy_match(distance as usize, length as usize)?;
    }
}
