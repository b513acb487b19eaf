//! The constants of the deflate format (RFC 1951, section 3.2.5 and 3.2.7), shared by the
//! compressor and the inflater.

/// The first match length of each length symbol 257..=285.
pub(crate) const LENGTH_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];

/// The extra bits after each length symbol 257..=285.
pub(crate) const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];

/// The first distance of each distance symbol 0..=29.
pub(crate) const DISTANCE_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];

/// The extra bits after each distance symbol 0..=29.
pub(crate) const DISTANCE_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

/// The order in which a dynamic block's header lists the code-length code's lengths.
pub(crate) const CODE_LENGTH_ORDER: [u8; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// The end-of-block symbol.
pub(crate) const END_OF_BLOCK: u16 = 256;

/// The longest code of the literal/length and distance codes.
pub(crate) const MAX_CODE_BITS: u8 = 15;

/// The longest code of the code-length code.
pub(crate) const MAX_CODE_LENGTH_BITS: u8 = 7;

/// The longest back-reference distance.
pub(crate) const WINDOW_SIZE: usize = 32 * 1024;

/// The shortest and longest match.
pub(crate) const MIN_MATCH: usize = 3;
/// See [`MIN_MATCH`].
pub(crate) const MAX_MATCH: usize = 258;

/// The fixed literal/length code's lengths (section 3.2.6): 288 symbols, of which 286 and 287
/// never occur in a valid stream.
// Only ever evaluated in constants: an index out of bounds is a build error, not a panic.
#[allow(clippy::indexing_slicing)]
pub(crate) const fn fixed_literal_lengths() -> [u8; 288] {
    let mut lengths = [8u8; 288];
    let mut symbol = 144;
    while symbol < 256 {
        lengths[symbol] = 9;
        symbol += 1;
    }
    while symbol < 280 {
        lengths[symbol] = 7;
        symbol += 1;
    }
    lengths
}

/// The fixed distance code's lengths: 32 symbols of 5 bits, of which 30 and 31 never occur.
pub(crate) const FIXED_DISTANCE_LENGTHS: [u8; 32] = [5; 32];

/// Each byte with its bits in reverse order (codes are written and read least significant bit
/// first; x86-64 has no bit-reverse instruction).
pub(crate) const REVERSED_BYTES: [u8; 256] = reversed_bytes();

/// The low `length` bits of `code` (`length` at most 15) in reverse order, as codes are
/// written and read: a code of up to 8 bits (every code of a token-sized block) by one
/// lookup of its bits moved to the top of a byte, a longer one by two.
#[inline(always)]
pub(crate) fn reverse_code(code: u32, length: u32) -> u32 {
    let reversed = |byte: u32| {
        u32::from(
            REVERSED_BYTES
                .get((byte & 0xff) as usize)
                .copied()
                .unwrap_or(0),
        )
    };
    if length <= 8 {
        return reversed(code << (8 - length));
    }
    (reversed(code) << 8 | reversed(code >> 8)) >> (16 - length)
}

/// Fills [`REVERSED_BYTES`] at compile time.
#[allow(clippy::indexing_slicing)] // a constant: an index out of bounds is a build error
const fn reversed_bytes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).reverse_bits();
        byte += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::reverse_code;

    /// Both of `reverse_code`'s paths (one byte lookup up to 8 bits, two above) against a
    /// bit-by-bit reversal, for every code of every length.
    #[test]
    fn reverse_code_matches_bit_by_bit_reversal() {
        for length in 1..=15u32 {
            for code in 0..1u32 << length {
                let expected =
                    (0..length).fold(0u32, |reversed, bit| reversed << 1 | ((code >> bit) & 1));
                assert_eq!(
                    reverse_code(code, length),
                    expected,
                    "code {code:#b}, length {length}"
                );
            }
        }
    }
}
