//! The compressor: one-shot zlib streams sized to the input.
//!
//! The whole input is parsed first (LZ77 with zlib level 6's lazy matching, see [`lz77`]),
//! into blocks of [`BLOCK_SYMBOLS`] symbols. The exact size of each block as stored, fixed and
//! dynamic is computed from its symbol counts, and the smallest is kept (a dynamic block over
//! a fixed one only when it takes fewer whole bytes, zlib's rule); when the whole input as
//! stored blocks would be smaller still, that is written instead. Only then is anything
//! written, so [`compress_if_at_most`] answers from the very sizes [`compress`] writes, and
//! can stop early when even a lower bound of what remains does not fit.

mod block;
mod huffman;
mod lz77;

use crate::adler32;
use std::cell::RefCell;

use block::{BitWriter, Counts, DynamicCode, RunRoom, stored_bits};
use huffman::HuffmanScratch;
use lz77::{Matcher, Symbol};

/// Symbols per block (zlib level 6 ends a block after 16K - 1 symbols).
const BLOCK_SYMBOLS: usize = 16 * 1024;

/// The zlib header: deflate, 32 KiB window, default level (what `zlib.compress` writes).
const ZLIB_HEADER: [u8; 2] = [0x78, 0x9c];

/// The Adler-32 trailer.
const TRAILER_LEN: u64 = 4;

/// Inputs this long or longer are written as stored blocks (the matcher keeps positions in
/// `u32`).
const MAX_PARSED_LEN: usize = u32::MAX as usize - 1;

/// The symbol buffer kept by a thread between calls is dropped beyond this capacity, so one
/// large input does not pin its memory (the two hash tables, 128 KiB each, are kept: they
/// are never cleared per call, and only the entries an input uses are touched).
const KEPT_SYMBOLS: usize = 1 << 18;

/// The same for the block plans and dynamic codes (624 bytes each, most of them the code
/// lengths).
const KEPT_BLOCKS: usize = KEPT_SYMBOLS / BLOCK_SYMBOLS;

/// The same for the run-length codings (at most [`RunRoom::SLOTS`] triples per block).
const KEPT_RUNS: usize = KEPT_BLOCKS * RunRoom::SLOTS;

/// Compresses `data` into a zlib stream, replacing the contents of `out`.
pub fn compress(data: &[u8], out: &mut Vec<u8>) {
    with_scratch(data, usize::MAX, out);
}

/// Compresses `data` into `out` and returns `true` when the zlib stream is at most `max_len`
/// bytes; otherwise returns `false` and `out` holds nothing useful.
///
/// The answer is exactly `compress(data)`'s length compared with `max_len`, and when it is
/// `true`, `out` holds exactly what [`compress`] writes.
pub fn compress_if_at_most(data: &[u8], max_len: usize, out: &mut Vec<u8>) -> bool {
    with_scratch(data, max_len, out)
}

/// How one block is written.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// Stored (raw bytes).
    Stored,
    /// The fixed Huffman code.
    Fixed,
    /// A dynamic code, at this index of [`Scratch::codes`].
    Dynamic(usize),
}

/// One planned block.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// End of its symbols in [`Scratch::symbols`] (it starts where the previous ends).
    symbols_end: usize,
    /// End of its bytes in the input.
    data_end: usize,
    kind: Kind,
}

/// Everything a compression reuses: kept per thread, sized to the inputs seen.
#[derive(Debug, Default)]
struct Scratch {
    matcher: Matcher,
    symbols: Vec<Symbol>,
    blocks: Vec<Block>,
    codes: Vec<DynamicCode>,
    /// The run-length codings of the dynamic codes' lengths (see [`DynamicCode::runs`]).
    runs: Vec<u32>,
    /// The run-length coding of the block being planned (copied to `runs` when chosen).
    room: RunRoom,
    /// The counts of the block being planned.
    counts: Counts,
    /// The dynamic code of the block being planned (copied to `codes` when chosen).
    candidate: DynamicCode,
    huffman: HuffmanScratch,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Runs [`compress_with`] with this thread's scratch, or a fresh one when it is in use (a
/// re-entrant call) or gone (thread teardown).
fn with_scratch(data: &[u8], max_len: usize, out: &mut Vec<u8>) -> bool {
    let kept = SCRATCH.try_with(|cell| {
        let mut scratch = cell.try_borrow_mut().ok()?;
        let fits = compress_with(data, max_len, out, &mut scratch);
        // The literals of the payload live on in the symbol buffer: wiped, as the codecs'
        // scratch buffers are, so a thread keeps no plaintext of the last token.
        scratch.symbols.fill(0);
        if scratch.symbols.capacity() > KEPT_SYMBOLS {
            scratch.symbols = Vec::new();
        }
        if scratch.blocks.capacity() > KEPT_BLOCKS {
            scratch.blocks = Vec::new();
        }
        if scratch.codes.capacity() > KEPT_BLOCKS {
            scratch.codes = Vec::new();
        }
        if scratch.runs.capacity() > KEPT_RUNS {
            scratch.runs = Vec::new();
        }
        Some(fits)
    });
    match kept {
        Ok(Some(fits)) => fits,
        _ => compress_with(data, max_len, out, &mut Scratch::default()),
    }
}

/// The zlib stream length of `bits` bits of deflate data.
fn stream_len(bits: u64) -> u64 {
    ZLIB_HEADER.len() as u64 + bits.div_ceil(8) + TRAILER_LEN
}

/// Plans and (when it fits in `max_len`) writes the stream.
fn compress_with(data: &[u8], max_len: usize, out: &mut Vec<u8>, scratch: &mut Scratch) -> bool {
    out.clear();
    let max_len = u64::try_from(max_len).unwrap_or(u64::MAX);
    let stored_len = stream_len(stored_bits(0, data.len()));
    let (all_stored, len) = if data.len() >= MAX_PARSED_LEN {
        if stored_len > max_len {
            return false;
        }
        (true, stored_len)
    } else {
        // `Some` only when the smaller of the two fits.
        let Some(planned_len) = plan(data, max_len, stored_len, scratch) else {
            return false;
        };
        // Ties go to the planned blocks.
        (stored_len < planned_len, stored_len.min(planned_len))
    };
    // The exact length (at most `max_len`): the writer never grows the buffer.
    out.reserve(usize::try_from(len).unwrap_or(0));
    out.extend_from_slice(&ZLIB_HEADER);
    let mut writer = BitWriter::new(out);
    if all_stored {
        writer.stored(data, true);
    } else {
        write_blocks(data, &mut writer, scratch);
    }
    writer.flush();
    out.extend_from_slice(&adler32(data).to_be_bytes());
    true
}

/// Parses `data` and chooses each block's kind. Returns the planned stream's length, or
/// `None` as soon as the stream (the smaller of the planned and the all-stored one) is known
/// to be longer than `max_len`.
///
/// The early exits are sound: the bits planned so far are exact, a block in progress costs at
/// least the smallest of its exact stored and fixed sizes and its dynamic lower bound
/// ([`Counts::dynamic_lower_bound`] or [`Counts::symbols_lower_bound`], then the tighter
/// [`DynamicCode::lengths_and_bound`]),
/// and later blocks cost at least 0 bits, so the planned stream can only be longer than what
/// is compared; the all-stored length is exact. A dynamic block whose bound is not below
/// what it has to beat (the stored block's bits, or the fixed block's whole bytes) is not
/// chosen, as when its exact size is not.
fn plan(data: &[u8], max_len: u64, stored_len: u64, scratch: &mut Scratch) -> Option<u64> {
    let Scratch {
        matcher,
        symbols,
        blocks,
        codes,
        runs,
        room,
        counts,
        candidate,
        huffman,
    } = scratch;
    matcher.parse(data, symbols, counts);
    // At most one symbol per byte: an input of up to BLOCK_SYMBOLS bytes makes one block,
    // which the parse has counted.
    let counted = data.len() <= BLOCK_SYMBOLS;
    blocks.clear();
    codes.clear();
    runs.clear();
    let too_long = |bits: u64| stream_len(bits) > max_len && stored_len > max_len;
    let mut bits = 0u64;
    let mut symbols_end = 0;
    let mut data_end = 0;
    // An empty input still has one (empty) block.
    for chunk in symbols
        .chunks(BLOCK_SYMBOLS)
        .chain((symbols.is_empty()).then_some(&[][..]))
    {
        if !counted {
            counts.count(chunk);
        }
        let stored = stored_bits(bits, counts.data_len);
        let fixed = counts.fixed_bits();
        let cheap = stored.min(fixed);
        // The header's bound (a tenth of an incompressible token's decision, and what ends
        // most of them) only when no cheap kind fits: then the dynamic block has to fit by
        // itself. Otherwise the stream fits whatever the dynamic block costs, and the bound
        // only decides whether the dynamic code is built: a bit per symbol does.
        let dynamic_bound = if too_long(bits.saturating_add(cheap)) {
            counts.dynamic_lower_bound()
        } else {
            counts.symbols_lower_bound()
        };
        if too_long(bits.saturating_add(cheap.min(dynamic_bound))) {
            return None;
        }
        // Ties: fixed over stored, either over dynamic (so a dynamic code whose lower bound
        // is not below `beat` need not be built).
        let mut kind = if fixed <= stored {
            Kind::Fixed
        } else {
            Kind::Stored
        };
        let mut cost = cheap;
        // What a dynamic block has to be under to be chosen. Over a fixed block, zlib's rule:
        // it must take fewer whole bytes (`ceil(bits / 8)`, which for a one-block token is
        // the stream's length), since a fixed block's reader decodes no code header and
        // builds no tables; then a fixed block's stream is the one zlib writes. Over a stored
        // block, fewer bits.
        let beat = match kind {
            Kind::Fixed => (fixed.div_ceil(8) * 8).saturating_sub(7),
            _ => cheap,
        };
        if dynamic_bound < beat {
            // The code-length code (a tenth of a token's decision) is built only when the
            // block's bound without it leaves the dynamic block a chance: to be chosen (below
            // `beat`) and to fit. The bound wanted is one that reaches `beat`, or makes the
            // stream too long (more than `8 * (max_len - 6) - bits` bits for this block;
            // never when the stored stream fits).
            let overflow = if stored_len > max_len {
                max_len
                    .saturating_sub(6)
                    .saturating_mul(8)
                    .saturating_sub(bits)
                    .saturating_add(1)
            } else {
                u64::MAX
            };
            // The run-length coding is kept while counting when a cheap kind fits the stream's
            // limit: the dynamic block is then chosen whenever it is smaller (the usual case
            // of an input that compresses). When none fits, the dynamic block has to fit by
            // itself, which a small payload's seldom does (its header outweighs its gain):
            // only the frequencies are counted, and the coding is kept once it is chosen.
            let keep = overflow >= cheap;
            let room_if_kept = keep.then_some(&mut *room);
            let wanted = beat.min(overflow);
            let bound = candidate.lengths_and_bound(counts, huffman, room_if_kept, wanted);
            if too_long(bits.saturating_add(cheap.min(bound))) {
                return None;
            }
            // Below `overflow` too (the test above has returned otherwise): a bound that
            // reached `wanted` may be an early one, of a code `finish` must not complete.
            if bound < wanted {
                candidate.finish(huffman);
                let dynamic = candidate.bits;
                if dynamic < beat {
                    kind = Kind::Dynamic(codes.len());
                    cost = dynamic;
                    if !keep {
                        candidate.record_runs(room);
                    }
                    let start = runs.len();
                    runs.extend_from_slice(room.runs_of(candidate));
                    candidate.runs = start..runs.len();
                    codes.push(candidate.clone());
                }
            }
        }
        bits = bits.saturating_add(cost);
        if too_long(bits) {
            return None;
        }
        symbols_end += chunk.len();
        data_end += counts.data_len;
        blocks.push(Block {
            symbols_end,
            data_end,
            kind,
        });
    }
    Some(stream_len(bits))
}

/// Writes the blocks [`plan`] chose.
fn write_blocks(data: &[u8], writer: &mut BitWriter<'_>, scratch: &mut Scratch) {
    let Scratch {
        symbols,
        blocks,
        codes,
        runs,
        ..
    } = scratch;
    let mut symbols_start = 0;
    let mut data_start = 0;
    let count = blocks.len();
    for (index, block) in blocks.iter().enumerate() {
        let last = index + 1 == count;
        let chunk = symbols.get(symbols_start..block.symbols_end).unwrap_or(&[]);
        match block.kind {
            Kind::Stored => {
                writer.stored(data.get(data_start..block.data_end).unwrap_or(&[]), last)
            }
            Kind::Fixed => writer.fixed(chunk, last),
            Kind::Dynamic(code) => {
                if let Some(code) = codes.get(code) {
                    let runs = runs.get(code.runs.clone()).unwrap_or(&[]);
                    writer.dynamic(chunk, code, runs, last);
                }
            }
        }
        symbols_start = block.symbols_end;
        data_start = block.data_end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The kind [`plan`] chose for a one-block input, with the block's exact sizes in bits:
    /// stored, fixed, and dynamic (the code built and finished here whatever its bound).
    fn choice_and_sizes(data: &[u8]) -> (Kind, u64, u64, u64) {
        let mut scratch = Scratch::default();
        let stored_len = stream_len(stored_bits(0, data.len()));
        let planned = plan(data, u64::MAX, stored_len, &mut scratch);
        assert!(planned.is_some(), "no limit: a plan");
        let kind = scratch
            .blocks
            .first()
            .map_or(Kind::Stored, |block| block.kind);
        let Scratch {
            counts,
            candidate,
            huffman,
            room,
            ..
        } = &mut scratch;
        let bound = candidate.lengths_and_bound(counts, huffman, Some(room), u64::MAX);
        assert!(bound < u64::MAX);
        candidate.finish(huffman);
        (
            kind,
            stored_bits(0, counts.data_len),
            counts.fixed_bits(),
            candidate.bits,
        )
    }

    fn payload() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..200),
            proptest::collection::vec(
                prop::sample::select(b"{}[]\":, 0123456789abcdef_idtrue".to_vec()),
                0..400
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

        /// A block's kind is the smallest, by bits against a stored block and by whole bytes
        /// against a fixed one (zlib's rule): a dynamic block is chosen over a fixed one
        /// exactly when it takes fewer bytes, and the fixed one otherwise.
        #[test]
        fn the_block_kind_is_zlibs_choice(data in payload()) {
            let (kind, stored, fixed, dynamic) = choice_and_sizes(&data);
            let dynamic_wins = if fixed <= stored {
                dynamic.div_ceil(8) < fixed.div_ceil(8)
            } else {
                dynamic < stored
            };
            match kind {
                Kind::Dynamic(_) => prop_assert!(dynamic_wins, "{stored} {fixed} {dynamic}"),
                Kind::Fixed => prop_assert!(!dynamic_wins && fixed <= stored),
                Kind::Stored => prop_assert!(!dynamic_wins && stored < fixed),
            }
        }
    }
}
