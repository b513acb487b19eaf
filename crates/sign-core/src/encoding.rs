//! Base64 and integer encodings used on the wire (Python's `itsdangerous.encoding`).
//!
//! Decoding is strict: only canonical URL-safe base64 without padding is accepted, which is
//! exactly what every itsdangerous version produces. Python's decoder also accepts padding,
//! stray characters and non-canonical final characters; see `docs/compatibility.md`.
//!
//! Decoding is a table-driven loop over whole quads (one table per place in the quad, its
//! values pre-shifted, so a quad is four lookups ORed; docs/PERFORMANCE.md has the
//! measurement against one table and three shifts): tokens are a few dozen to a few hundred
//! bytes, where the `base64` crate's decoder spends more on its setup per call (estimates,
//! chunking, suffix handling) than on the bytes. It accepts exactly what the crate's
//! canonical engines accept and hands every input it refuses to the crate, so an error (and
//! its source) is the crate's own.
//!
//! Encoding is our own too: a table of the two symbols of every 12-bit value, so three bytes
//! are two lookups, six bytes per step. On token-sized input the crate's `encode_slice` spent
//! most of its ~1,090 instructions per call on its scalar tail and setup (url-dumps-small
//! encodes a ~63-byte payload, a 4-byte timestamp and a 20-byte signature per call: 16,540
//! instructions with the crate, 16,022 with the table). The crate stays for the errors of
//! refused decodes.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};

use crate::{Error, ErrorKind};

/// A base64 alphabet for decoding: for each place `i` of a quad, the 6-bit value of each
/// byte already shifted to its place (`value << (18 - 6 * i)`), [`NOT_BASE64`] for bytes
/// outside the alphabet. A quad is then four lookups ORed together, with no shifts
/// (`shifted[3]` holds the plain values).
struct Alphabet {
    shifted: [[u32; 256]; 4],
}

/// A byte's entry in a 256-entry table (never out of bounds: the fallback is not taken).
#[inline(always)]
fn lookup(table: &[u32; 256], byte: u8) -> u32 {
    table.get(usize::from(byte)).copied().unwrap_or(NOT_BASE64)
}

/// The value of a byte outside the alphabet: all ones. A quad's values combined
/// (`a << 18 | b << 12 | c << 6 | d`) fit in 24 bits, and such a value in any of the four
/// places sets bit 31, so one test of the combined bits finds every stranger.
const NOT_BASE64: u32 = u32::MAX;

impl Alphabet {
    // A constant: an index out of bounds would be a build error, not a panic.
    #[allow(clippy::indexing_slicing)]
    const fn new(symbols: &[u8; 64]) -> Self {
        let mut shifted = [[NOT_BASE64; 256]; 4];
        let mut place = 0;
        while place < 4 {
            let mut i = 0;
            while i < 64 {
                shifted[place][symbols[i] as usize] = (i as u32) << (18 - 6 * place);
                i += 1;
            }
            place += 1;
        }
        Self { shifted }
    }

    /// The 6-bit value of `symbol`, [`NOT_BASE64`] outside the alphabet.
    fn value(&self, symbol: u8) -> u32 {
        lookup(&self.shifted[3], symbol)
    }

    /// The 24 bits of a quad of symbols; bit 31 is set when one is outside the alphabet.
    #[inline]
    fn quad(&self, quad: [u8; 4]) -> u32 {
        let [t0, t1, t2, t3] = &self.shifted;
        let [a, b, c, d] = quad;
        lookup(t0, a) | lookup(t1, b) | lookup(t2, c) | lookup(t3, d)
    }

    /// Decodes canonical unpadded base64 into the start of `out`, returning the decoded
    /// length; `None` for anything else (a length of 1 modulo 4, a byte outside the
    /// alphabet, non-zero unused bits in the last symbol) and when `out` is too short.
    fn decode_into(&self, encoded: &[u8], out: &mut [u8]) -> Option<usize> {
        let (quads, tail) = encoded.as_chunks::<4>();
        if tail.len() == 1 {
            return None;
        }
        let len = encoded.len() / 4 * 3 + tail.len().saturating_sub(1);
        let out = out.get_mut(..len)?;
        // Every quad's bits ORed in: only a byte outside the alphabet sets bit 31.
        let mut seen = 0;
        // Two quads per step: their 48 bits are written as six bytes at once (one wide store
        // instead of six byte stores), then the odd quad, if any, on its own.
        let (octets, _) = encoded.as_chunks::<8>();
        let (sextets, _) = out.as_chunks_mut::<6>();
        for (octet, sextet) in octets.iter().zip(sextets.iter_mut()) {
            let [a, b, c, d, e, f, g, h] = *octet;
            let (first, second) = (self.quad([a, b, c, d]), self.quad([e, f, g, h]));
            seen |= first | second;
            let [_, _, bytes @ ..] = ((u64::from(first) << 24) | u64::from(second)).to_be_bytes();
            *sextet = bytes;
        }
        // `len / 8` octets are `len / 4 / 2` pairs of quads: at most one quad is left.
        let odd = 2 * octets.len();
        let (groups, rest) = out.as_chunks_mut::<3>();
        if let (Some(quad), Some(group)) = (quads.get(odd), groups.get_mut(odd)) {
            let n = self.quad(*quad);
            seen |= n;
            let [_, x, y, z] = n.to_be_bytes();
            *group = [x, y, z];
        }
        // Two or three symbols left (12 or 18 bits): one or two bytes, and 4 or 2 unused
        // low bits, which are zero in the canonical encoding.
        // (At most 18 bits: a stranger sets bit 31 here too.)
        let n = tail
            .iter()
            .fold(0u32, |n, symbol| (n << 6) | self.value(*symbol));
        seen |= n;
        let unused_bits = (6 * tail.len() as u32) % 8;
        if n & ((1 << unused_bits) - 1) != 0 {
            return None;
        }
        let [_, a, b, c] = (n << ((24 - 6 * tail.len() as u32) % 24)).to_be_bytes();
        for (dst, byte) in rest.iter_mut().zip([a, b, c]) {
            *dst = byte;
        }
        (seen >> 31 == 0).then_some(len)
    }
}

/// The URL-safe alphabet's 64 symbols, in value order.
const URL_SAFE_SYMBOLS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The standard alphabet's 64 symbols, in value order.
const STANDARD_SYMBOLS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const URL_SAFE: Alphabet = Alphabet::new(URL_SAFE_SYMBOLS);

const STANDARD_ALPHABET: Alphabet = Alphabet::new(STANDARD_SYMBOLS);

/// The symbols of every 12-bit value of an alphabet, two per entry: a group of three bytes
/// (24 bits) is two lookups instead of four six-bit ones and their shifts.
struct SymbolPairs {
    pairs: [[u8; 2]; 4096],
}

impl SymbolPairs {
    // A constant: an index out of bounds would be a build error, not a panic.
    #[allow(clippy::indexing_slicing)]
    const fn new(symbols: &[u8; 64]) -> Self {
        let mut pairs = [[0; 2]; 4096];
        let mut i = 0;
        while i < 4096 {
            pairs[i] = [symbols[i >> 6], symbols[i & 0x3f]];
            i += 1;
        }
        Self { pairs }
    }

    /// The two symbols of the low 12 bits of `bits`.
    #[inline]
    fn pair(&self, bits: u64) -> [u8; 2] {
        // The mask keeps the index in the table, so the lookup's bounds check folds away.
        self.pairs
            .get((bits & 0xfff) as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Writes the unpadded base64 of `bytes` to `out`, which is `encoded_len(bytes.len())`
    /// long (a shorter `out` gets a prefix of it, a longer one keeps its extra bytes).
    fn encode_into(&self, bytes: &[u8], out: &mut [u8]) {
        // Six bytes (48 bits, four pairs) per step, written as eight symbols at once. `6k + r`
        // bytes are `8k + encoded_len(r)` symbols with `encoded_len(r) < 8`, so the two chunk
        // sequences have the same length.
        let (sixes, rest) = bytes.as_chunks::<6>();
        let (eights, out_rest) = out.as_chunks_mut::<8>();
        for (six, eight) in sixes.iter().zip(eights.iter_mut()) {
            let [a, b, c, d, e, f] = *six;
            let n = u64::from_be_bytes([0, 0, a, b, c, d, e, f]);
            let [p, q] = self.pair(n >> 36);
            let [r, s] = self.pair(n >> 24);
            let [t, u] = self.pair(n >> 12);
            let [v, w] = self.pair(n);
            *eight = [p, q, r, s, t, u, v, w];
        }
        // Up to five bytes left: at most one group of three, then one or two bytes, which are
        // padded with zero bits to two or three symbols (the pairs of `[x, y or 0, 0]`).
        let (threes, tail) = rest.as_chunks::<3>();
        let (fours, out_tail) = out_rest.as_chunks_mut::<4>();
        for (three, four) in threes.iter().zip(fours.iter_mut()) {
            let [a, b, c] = *three;
            let n = u64::from_be_bytes([0, 0, 0, 0, 0, a, b, c]);
            let ([p, q], [r, s]) = (self.pair(n >> 12), self.pair(n));
            *four = [p, q, r, s];
        }
        let [x, y] = match *tail {
            [x, y] => [x, y],
            [x] => [x, 0],
            _ => [0, 0],
        };
        let n = u64::from_be_bytes([0, 0, 0, 0, 0, x, y, 0]);
        let ([p, q], [r, s]) = (self.pair(n >> 12), self.pair(n));
        for (dst, symbol) in out_tail.iter_mut().zip([p, q, r, s]) {
            *dst = symbol;
        }
    }
}

static URL_SAFE_PAIRS: SymbolPairs = SymbolPairs::new(URL_SAFE_SYMBOLS);

static STANDARD_PAIRS: SymbolPairs = SymbolPairs::new(STANDARD_SYMBOLS);

/// Encodes `bytes` as URL-safe base64 without padding (Python's `base64_encode`).
#[must_use]
pub fn base64_encode(bytes: impl AsRef<[u8]>) -> String {
    let mut out = Vec::new();
    base64_encode_into(bytes.as_ref(), &mut out);
    // The symbols are ASCII; the fallback is never taken.
    String::from_utf8(out).unwrap_or_default()
}

/// Appends the URL-safe unpadded base64 of `bytes` to `out`.
pub fn base64_encode_into(bytes: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start.saturating_add(encoded_len(bytes.len())), 0);
    URL_SAFE_PAIRS.encode_into(bytes, out.get_mut(start..).unwrap_or_default());
}

/// Writes the standard padded base64 of `bytes` (what Python's `base64.b64encode` writes,
/// `+`, `/` and `=`) to the start of `out`, returning its length (`4 * ceil(n / 3)`); `None`
/// when `out` is too short. Our table loop with the padding appended, for the same reason as
/// the URL-safe one: the `base64` crate's setup and scalar tail dominate on cookie-sized input.
#[must_use]
pub fn base64_standard_encode_into(bytes: &[u8], out: &mut [u8]) -> Option<usize> {
    let len = bytes.len().div_ceil(3).checked_mul(4)?;
    let (symbols, padding) = out
        .get_mut(..len)?
        .split_at_mut_checked(encoded_len(bytes.len()))?;
    STANDARD_PAIRS.encode_into(bytes, symbols);
    padding.fill(b'=');
    Some(len)
}

/// The length of the unpadded base64 encoding of `n` bytes.
#[must_use]
pub const fn encoded_len(n: usize) -> usize {
    (n / 3) * 4
        + match n % 3 {
            0 => 0,
            1 => 2,
            _ => 3,
        }
}

/// Decodes canonical URL-safe base64 without padding.
///
/// # Errors
/// `BadData` for any other input: padding, characters outside `A-Z a-z 0-9 - _`, a length of
/// 1 modulo 4, or non-zero unused bits in the last character.
pub fn base64_decode(encoded: impl AsRef<[u8]>) -> Result<Vec<u8>, Error> {
    let encoded = encoded.as_ref();
    let mut out = vec![0; encoded.len() / 4 * 3 + 2];
    let len = base64_decode_into(encoded, &mut out)?;
    out.truncate(len);
    Ok(out)
}

/// Decodes canonical URL-safe base64 into `out`, returning the decoded length.
///
/// # Errors
/// As [`base64_decode`], and when `out` is too small.
pub fn base64_decode_into(encoded: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    match URL_SAFE.decode_into(encoded, out) {
        Some(len) => Ok(len),
        None => URL_SAFE_NO_PAD.decode_slice(encoded, out).map_err(|e| {
            Error::new(ErrorKind::BadData, "invalid base64-encoded data").with_source(e)
        }),
    }
}

/// Decodes canonical standard base64 with its `=` padding (what Python's `base64.b64encode`
/// writes) into `out`, returning the decoded length; `None` for any other input (a length
/// that is not a multiple of 4, misplaced padding, characters outside `A-Z a-z 0-9 + /`,
/// non-zero unused bits) or when `out` is too small. It accepts exactly what the `base64`
/// crate's `STANDARD` engine accepts; ask that engine why an input was refused.
#[must_use]
fn base64_standard_decode_canonical(encoded: &[u8], out: &mut [u8]) -> Option<usize> {
    if !encoded.len().is_multiple_of(4) {
        return None;
    }
    let unpadded = encoded
        .strip_suffix(b"==")
        .or_else(|| encoded.strip_suffix(b"="))
        .unwrap_or(encoded);
    STANDARD_ALPHABET.decode_into(unpadded, out)
}

/// Decodes canonical standard padded base64 (what Python's `base64.b64encode` writes) into
/// `out`, returning the decoded length; a table loop that accepts exactly what the `base64`
/// crate's `STANDARD` engine accepts, and hands whatever it refuses to that engine for the
/// error.
///
/// # Errors
/// `BadData` for any other input, and when `out` is too small.
pub fn base64_standard_decode_into(encoded: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    match base64_standard_decode_canonical(encoded, out) {
        Some(len) => Ok(len),
        None => STANDARD.decode_slice(encoded, out).map_err(|e| {
            Error::new(ErrorKind::BadData, "invalid base64-encoded data").with_source(e)
        }),
    }
}

/// The integer whose big-endian bytes (at most 8) `encoded` is the canonical unpadded
/// URL-safe base64 of, or `None`: exactly `bytes_to_int` of [`base64_decode_into`]'s output
/// (what itsdangerous' timestamps are), read straight into the integer. A timestamp is six
/// symbols, where the buffer, the quad loop and the byte fold cost more than the symbols.
#[must_use]
pub(crate) fn base64_decode_int(encoded: &[u8]) -> Option<u64> {
    if encoded.len() > encoded_len(8) || encoded.len() % 4 == 1 {
        return None;
    }
    // Up to 11 symbols: 66 bits, so a u128. A stranger's value (all ones) sets bit 31 of
    // `seen`; only the low six bits of a symbol go into `bits`.
    let (bits, seen) = encoded.iter().fold((0u128, 0u32), |(bits, seen), symbol| {
        let value = URL_SAFE.value(*symbol);
        ((bits << 6) | u128::from(value & 0x3f), seen | value)
    });
    // The decoded bytes, and below them the last symbol's unused bits, zero when canonical.
    let len = encoded.len() / 4 * 3 + (encoded.len() % 4).saturating_sub(1);
    let unused_bits = 6 * encoded.len() - 8 * len;
    if seen >> 31 != 0 || bits & ((1 << unused_bits) - 1) != 0 {
        return None;
    }
    u64::try_from(bits >> unused_bits).ok()
}

/// Big-endian bytes of `n` with leading zero bytes removed (0 is empty), as Python's
/// `int_to_bytes`.
#[must_use]
pub fn int_to_bytes(n: u64) -> Vec<u8> {
    let bytes = n.to_be_bytes();
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(skip..).unwrap_or_default().to_vec()
}

/// The inverse of [`int_to_bytes`]: big-endian, at most 8 bytes, empty is 0.
///
/// # Errors
/// `BadData` for more than 8 bytes.
pub fn bytes_to_int(bytes: &[u8]) -> Result<u64, Error> {
    if bytes.len() > 8 {
        return Err(Error::new(
            ErrorKind::BadData,
            "integer is longer than 8 bytes",
        ));
    }
    Ok(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

#[cfg(test)]
mod tests {
    //! Ports of upstream `test_encoding.py` and golden values from running itsdangerous 2.2.0.
    use super::*;

    #[test]
    fn want_bytes_is_utf8() {
        // test_want_bytes["mañana", b"tomorrow"]: Rust text is already UTF-8 bytes.
        assert_eq!("mañana".as_bytes(), b"ma\xc3\xb1ana");
        assert_eq!(b"tomorrow".as_slice(), b"tomorrow");
    }

    #[test]
    fn base64_round_trip() {
        // test_base64["無限", b"infinite"]
        for value in ["無限".as_bytes(), b"infinite"] {
            let encoded = base64_encode(value);
            assert_eq!(base64_decode(&encoded).unwrap(), value);
        }
        assert_eq!(base64_encode("無限"), "54Sh6ZmQ");
        assert_eq!(base64_encode(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn base64_bad() {
        // test_base64_bad
        let err = base64_decode("12345").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadData);
        assert!(base64_decode("a").is_err());
        assert!(base64_decode("ab=c").is_err());
    }

    #[test]
    fn base64_empty() {
        assert_eq!(base64_decode("").unwrap(), b"");
    }

    #[test]
    fn int_bytes() {
        // test_int_bytes[(0,b""),(192,b"\xc0"),(2**64-1,b"\xff"*8)] and the section 1 table.
        let table: [(u64, &[u8], &str); 10] = [
            (0, b"", ""),
            (1, b"\x01", "AQ"),
            (192, b"\xc0", "wA"),
            (255, b"\xff", "_w"),
            (256, b"\x01\x00", "AQA"),
            (1_308_874_145, b"N\x03\xd5\xa1", "TgPVoQ"),
            (1_700_000_000, b"eS\xf1\x00", "ZVPxAA"),
            (1 << 32, b"\x01\x00\x00\x00\x00", "AQAAAAA"),
            (1 << 63, b"\x80\x00\x00\x00\x00\x00\x00\x00", "gAAAAAAAAAA"),
            (u64::MAX, b"\xff\xff\xff\xff\xff\xff\xff\xff", "__________8"),
        ];
        for (n, bytes, b64) in table {
            assert_eq!(int_to_bytes(n), bytes, "{n}");
            assert_eq!(bytes_to_int(bytes).unwrap(), n);
            assert_eq!(base64_encode(bytes), b64);
        }
        assert!(bytes_to_int(&[1; 9]).is_err());
    }

    /// Every string of up to `max_len` symbols from `symbols`.
    fn all_strings(symbols: &[u8], max_len: usize) -> Vec<Vec<u8>> {
        let mut all = vec![Vec::new()];
        let mut last = vec![Vec::new()];
        for _ in 0..max_len {
            last = last
                .iter()
                .flat_map(|s: &Vec<u8>| {
                    symbols.iter().map(move |c| {
                        let mut t = s.clone();
                        t.push(*c);
                        t
                    })
                })
                .collect();
            all.extend(last.iter().cloned());
        }
        all
    }

    /// The table decoders accept exactly what the `base64` crate's canonical engines accept,
    /// with the same bytes: every string of up to 5 symbols over a set with the alphabets'
    /// edges, padding and strangers, each of them behind a run of valid quads and followed by
    /// none or one (so a stranger is met in either quad of a two-quad step).
    #[test]
    fn decoders_agree_with_the_base64_crate() {
        let symbols = b"AQw8-_+/=.\x00\xff";
        for short in all_strings(symbols, 5) {
            for (prefix, suffix) in [&b""[..], b"eyJhIjoxfQ", b"AAAAAAAAAAAA"]
                .into_iter()
                .flat_map(|prefix| [(prefix, &b""[..]), (prefix, b"AAAA")])
            {
                let mut input = prefix.to_vec();
                input.extend_from_slice(&short);
                input.extend_from_slice(suffix);
                let mut fast = vec![0; input.len() + 3];
                let mut slow = fast.clone();
                let got = URL_SAFE.decode_into(&input, &mut fast);
                let want = URL_SAFE_NO_PAD.decode_slice(&input, &mut slow).ok();
                assert_eq!(got, want, "{input:?}");
                assert_eq!(fast.get(..got.unwrap_or(0)), slow.get(..want.unwrap_or(0)));
                let got = base64_standard_decode_canonical(&input, &mut fast);
                let want = STANDARD.decode_slice(&input, &mut slow).ok();
                assert_eq!(got, want, "standard {input:?}");
                assert_eq!(fast.get(..got.unwrap_or(0)), slow.get(..want.unwrap_or(0)));
            }
        }
    }

    /// The integer decoder gives what decoding into bytes and folding them gives, for every
    /// string of up to 12 symbols over a set with the alphabet's edges (so every length,
    /// every non-zero unused bit and a stranger in every place), and for the encodings of
    /// integers of every byte length.
    #[test]
    fn int_decoder_agrees_with_decoding_the_bytes() {
        let reference = |encoded: &[u8]| {
            let mut bytes = [0u8; 8];
            let len = base64_decode_into(encoded, &mut bytes).ok()?;
            bytes_to_int(bytes.get(..len)?).ok()
        };
        let mut checked = 0;
        for short in all_strings(b"AB_8.", 8) {
            for prefix in [&b""[..], b"_w", b"AQA"] {
                let mut input = prefix.to_vec();
                input.extend_from_slice(&short);
                assert_eq!(base64_decode_int(&input), reference(&input), "{input:?}");
                checked += 1;
            }
        }
        assert!(checked > 1_000_000);
        for shift in 0..64 {
            for n in [
                1u64 << shift,
                (1u64 << shift) - 1,
                u64::MAX >> shift,
                1_700_000_000,
            ] {
                let encoded = base64_encode(int_to_bytes(n));
                assert_eq!(base64_decode_int(encoded.as_bytes()), Some(n), "{encoded}");
                let padded = base64_encode(n.to_be_bytes());
                assert_eq!(base64_decode_int(padded.as_bytes()), Some(n), "{padded}");
            }
        }
        assert_eq!(base64_decode_int(b"AAAAAAAAAAAA"), None);
        assert_eq!(base64_decode_int(b"__________8"), Some(u64::MAX));
        assert_eq!(base64_decode_int(b"__________-"), None);
    }

    #[test]
    fn decoders_refuse_a_short_output() {
        let mut out = [0u8; 5];
        assert_eq!(URL_SAFE.decode_into(b"AAAAAAAA", &mut out), None);
        assert_eq!(URL_SAFE.decode_into(b"AAAAAAA", &mut out), Some(5));
        assert!(base64_decode_into(b"AAAAAAAA", &mut out).is_err());
    }

    proptest::proptest! {
        #[test]
        fn decoders_read_what_the_base64_crate_writes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let mut decoded = vec![0; bytes.len() + 2];
            let encoded = STANDARD.encode(&bytes);
            proptest::prop_assert_eq!(base64_standard_decode_into(encoded.as_bytes(), &mut decoded).ok(), Some(bytes.len()));
            proptest::prop_assert_eq!(&decoded[..bytes.len()], &bytes[..]);
            proptest::prop_assert_eq!(base64_decode(URL_SAFE_NO_PAD.encode(&bytes)).ok(), Some(bytes));
        }
    }

    /// The standard padded base64 of `bytes` by [`base64_standard_encode_into`], written
    /// after existing bytes that it must leave alone.
    fn standard(bytes: &[u8]) -> String {
        let mut out = vec![b'#'; bytes.len() / 3 * 4 + 9];
        let len = base64_standard_encode_into(bytes, out.get_mut(1..).unwrap()).unwrap();
        assert_eq!(out.first(), Some(&b'#'));
        assert!(out.get(1 + len..).unwrap().iter().all(|b| *b == b'#'));
        if let Some(short) = len.checked_sub(1) {
            assert_eq!(
                base64_standard_encode_into(bytes, &mut vec![0; short]),
                None
            );
        }
        String::from_utf8(out.get(1..1 + len).unwrap().to_vec()).unwrap()
    }

    /// Our encoders write what the `base64` crate writes (URL-safe unpadded, standard padded):
    /// every input of up to three bytes (every group and both tails), and pseudo-random bytes
    /// of every length up to 300 (every number of six-byte steps with every remainder), the
    /// URL-safe ones appended after existing bytes.
    #[test]
    fn encoders_agree_with_the_base64_crate() {
        let mut input = Vec::with_capacity(3);
        for len in 0..=3u32 {
            for n in 0..1u32 << (8 * len) {
                input.clear();
                input.extend(n.to_be_bytes().iter().skip(4 - len as usize));
                assert_eq!(
                    base64_encode(&input),
                    URL_SAFE_NO_PAD.encode(&input),
                    "{input:?}"
                );
                assert_eq!(standard(&input), STANDARD.encode(&input), "{input:?}");
            }
        }
        // xorshift64: reproducible bytes without a generator crate.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut random = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        };
        for len in 0..=300 {
            let bytes: Vec<u8> = (0..len).map(|_| random()).collect();
            let mut out = b"head.".to_vec();
            base64_encode_into(&bytes, &mut out);
            let want = format!("head.{}", URL_SAFE_NO_PAD.encode(&bytes));
            assert_eq!(out, want.as_bytes(), "{bytes:?}");
            assert_eq!(standard(&bytes), STANDARD.encode(&bytes), "{bytes:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn encoders_write_what_the_base64_crate_writes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            proptest::prop_assert_eq!(base64_encode(&bytes), URL_SAFE_NO_PAD.encode(&bytes));
            proptest::prop_assert_eq!(standard(&bytes), STANDARD.encode(&bytes));
        }
    }

    #[test]
    fn encoded_len_matches() {
        for n in 0..100 {
            assert_eq!(encoded_len(n), base64_encode(vec![0u8; n]).len());
        }
    }
}
