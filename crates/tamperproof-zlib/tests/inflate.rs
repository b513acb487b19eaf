//! The inflater against zlib: known streams from CPython's zlib, differential property tests
//! against flate2's zlib-rs backend on valid and mutated streams, and the output bound.
// Test helpers index fixed tables of known size; a panic is a failed test.
#![allow(clippy::indexing_slicing, clippy::panic)]

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};
use proptest::prelude::*;
use tamperproof_zlib::{InflateError, inflate};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).unwrap_or("zz"), 16).unwrap_or_default())
        .collect()
}

fn ours(data: &[u8]) -> Result<Vec<u8>, InflateError> {
    let mut out = Vec::new();
    inflate(data, usize::MAX, &mut out).map(|()| out)
}

/// zlib-rs through flate2: `Some(output)` when the stream reaches its end, `None` on an
/// error or when the input runs out first.
fn reference(data: &[u8]) -> Option<Vec<u8>> {
    let mut inflater = Decompress::new(true);
    let mut out = Vec::with_capacity(data.len() * 4 + 64);
    loop {
        if out.capacity() == out.len() {
            out.reserve(out.capacity());
        }
        let consumed = usize::try_from(inflater.total_in()).ok()?;
        let before = (inflater.total_in(), inflater.total_out());
        let status = inflater
            .decompress_vec(data.get(consumed..)?, &mut out, FlushDecompress::None)
            .ok()?;
        match status {
            Status::StreamEnd => return Some(out),
            Status::Ok | Status::BufError => {
                if (inflater.total_in(), inflater.total_out()) == before
                    && out.capacity() > out.len()
                {
                    return None;
                }
            }
        }
    }
}

fn deflate_parts(parts: &[(&[u8], FlushCompress)], level: u32) -> Vec<u8> {
    let mut compressor = Compress::new(Compression::new(level), true);
    let total: usize = parts.iter().map(|(p, _)| p.len()).sum();
    let mut out = Vec::with_capacity(total + total / 8 + 1024);
    for &(part, flush) in parts {
        let mut input = part;
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(out.capacity());
            }
            let before = compressor.total_in();
            let status = compressor.compress_vec(input, &mut out, flush);
            let used = usize::try_from(compressor.total_in() - before).unwrap_or(0);
            input = input.get(used..).unwrap_or_default();
            match status {
                Ok(Status::StreamEnd) => break,
                Ok(_) if input.is_empty() && !matches!(flush, FlushCompress::Finish) => {
                    // Sync and full flushes are complete once the output has room left over.
                    if out.capacity() > out.len() {
                        break;
                    }
                }
                Ok(_) => {}
                // An empty stream: every caller then fails its assertion.
                Err(_) => return Vec::new(),
            }
        }
    }
    out
}

fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    deflate_parts(&[(data, FlushCompress::Finish)], level)
}

// --- Known streams -----------------------------------------------------------------------

/// `zlib.compress(b"")` (CPython 3.11, zlib 1.2.13 / level 6).
const EMPTY: &str = "789c030000000001";

/// Produced with `python3 -c 'import zlib; print(zlib.compress(PAYLOAD, 6).hex())'` for each
/// payload below (CPython 3.11.7's zlib).
const PYTHON_STREAMS: &[(&str, &str)] = &[
    (
        r#"{"id":42,"name":"alice","roles":["admin","user"],"active":true}"#,
        "789cab56ca4c51b23231d251ca4bcc4d55b2524accc94c4e55d2512acacf492d56b28a564a4cc9cdcc030a9416a71629c5ea2825269764960155961495a6d6020062731420",
    ),
    (
        r#"{"_fresh":true,"_id":"a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4","_user_id":"42","cart":[{"qty":1,"sku":"BK-1042"},{"qty":3,"sku":"PEN-0007"}],"csrf_token":"51c0ae4e67ece03d97accfc9c90ac2a0e5868131"}"#,
        "789c358f4d4b04311044ff4bceb3d09da493ee390a9e04f12e32249d0ecac28af3719065febb01f558bc7a5075774b5f6d7b77f3be1e36b9e5a3b9d915662de699a395944da08614a02b1b07122d146b62ab351685dc3d51c3a49d20c5561125b694bb55b2ce4c06925326ec20c268a605a0661f6978be610e5d987d9716848286dcb04637861c9badbf6ba21f59cbbabbf9f5eebef66f37e3e4b6eb31d8c3d3056114cee98f847ff2f2f87c0180ecceb7616f6b5ff6cfabdd06215428166d3c5383d02417d5aea202457d01234e8c01ddf903952d50f3",
    ),
];

/// `zlib.compress(b"hello", 0)`: one stored block.
const PYTHON_STORED: &str = "7801010500faff68656c6c6f062c0215";
/// `zlib.compress(b"hello, hello, hello", 9)`.
const PYTHON_LEVEL9: &str = "78dacb48cdc9c9d751c840a200442806d5";
/// `co = zlib.compressobj(6); co.compress(b"first part, ") + co.flush(zlib.Z_SYNC_FLUSH) +
/// co.compress(b"second part, second part") + co.flush(zlib.Z_FULL_FLUSH) +
/// co.compress(b"third") + co.flush()`: several blocks, empty stored ones between.
const PYTHON_FLUSHED: &str =
    "789c4acb2c2a2e5128482c2ad15100000000ffff2a4e4dcecf4bc1e400000000ffff2bc9c82c4a01003e4c0f59";

/// `zlib.compress(b'{"blob":"' + (b"the quick brown fox jumps over the lazy dog " * 200)[:4096]
/// + b'"}', 6)`.
const PYTHON_BLOB: &str = "789cedcadb1140301040d15676b60cdd08f10c4b88e7e8dd28c3ccfd3ee75617cc69a66be3654e6dd18b8bb68f52d9215d1aa6456cf3513e0ef9754a69b570b95c2e97cbe572b95c2e97cbfde7d5e70509bdde1b";

fn fox_blob() -> Vec<u8> {
    let fox = b"the quick brown fox jumps over the lazy dog ".repeat(200);
    let mut blob = b"{\"blob\":\"".to_vec();
    blob.extend_from_slice(fox.get(..4096).unwrap_or_default());
    blob.extend_from_slice(b"\"}");
    blob
}

#[test]
fn known_python_streams() {
    assert_eq!(ours(&hex(EMPTY)), Ok(Vec::new()));
    for (payload, stream) in PYTHON_STREAMS {
        assert_eq!(ours(&hex(stream)).as_deref(), Ok(payload.as_bytes()));
    }
    assert_eq!(ours(&hex(PYTHON_STORED)).as_deref(), Ok(&b"hello"[..]));
    assert_eq!(
        ours(&hex(PYTHON_LEVEL9)).as_deref(),
        Ok(&b"hello, hello, hello"[..])
    );
    assert_eq!(
        ours(&hex(PYTHON_FLUSHED)).as_deref(),
        Ok(&b"first part, second part, second partthird"[..])
    );
    assert_eq!(ours(&hex(PYTHON_BLOB)), Ok(fox_blob()));
}

#[test]
fn trailing_bytes_are_ignored() {
    let mut stream = hex(PYTHON_LEVEL9);
    stream.extend_from_slice(b"trailing garbage");
    assert_eq!(ours(&stream).as_deref(), Ok(&b"hello, hello, hello"[..]));
    assert!(reference(&stream).is_some());
}

#[test]
fn every_truncation_is_invalid() {
    for stream in [
        hex(EMPTY),
        hex(PYTHON_STORED),
        hex(PYTHON_FLUSHED),
        hex(PYTHON_BLOB),
    ] {
        for cut in 0..stream.len() {
            let short = stream.get(..cut).unwrap_or_default();
            assert_eq!(ours(short), Err(InflateError::Invalid), "cut at {cut}");
            assert_eq!(reference(short), None);
        }
    }
}

#[test]
fn header_is_checked_as_zlib_checks_it() {
    let body = hex(EMPTY);
    let body = body.get(2..).unwrap_or_default();
    for cmf in 0..=255u8 {
        for flg in 0..=255u8 {
            let mut stream = vec![cmf, flg];
            stream.extend_from_slice(body);
            let expected = (u16::from(cmf) * 256 + u16::from(flg)) % 31 == 0
                && cmf & 15 == 8
                && cmf >> 4 <= 7
                && flg & 0x20 == 0;
            assert_eq!(ours(&stream).is_ok(), expected, "{cmf:02x} {flg:02x}");
            assert_eq!(
                reference(&stream).is_some(),
                expected,
                "{cmf:02x} {flg:02x}"
            );
        }
    }
}

#[test]
fn wrong_adler32_is_invalid() {
    let mut stream = hex(PYTHON_LEVEL9);
    if let Some(last) = stream.last_mut() {
        *last ^= 1;
    }
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
}

/// Hand-made blocks with each of zlib's errors (bits written LSB first).
struct BitWriter {
    bytes: Vec<u8>,
    bit: u32,
}

impl BitWriter {
    fn new() -> Self {
        Self {
            bytes: vec![0x78, 0x9c],
            bit: 0,
        }
    }
    fn put(&mut self, value: u32, n: u32) {
        for i in 0..n {
            if self.bit == 0 {
                self.bytes.push(0);
            }
            if let Some(last) = self.bytes.last_mut() {
                *last |= (((value >> i) & 1) as u8) << self.bit;
            }
            self.bit = (self.bit + 1) % 8;
        }
    }
    /// A Huffman code `code` of `len` bits, most significant bit first.
    fn code(&mut self, code: u32, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }
    fn finish(mut self, output: &[u8]) -> Vec<u8> {
        self.bit = 0;
        self.bytes
            .extend_from_slice(&simd_adler32::adler32(&output).to_be_bytes());
        self.bytes
    }
}

#[test]
fn invalid_blocks_are_rejected_like_zlib() {
    // Block type 3.
    let mut w = BitWriter::new();
    w.put(1, 1);
    w.put(3, 2);
    let stream = w.finish(b"");
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
    assert_eq!(reference(&stream), None);

    // Stored LEN != !NLEN.
    let stream = hex("7801010500fbff68656c6c6f062c0215");
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
    assert_eq!(reference(&stream), None);

    // Fixed block: literal 'a' (0x30 + 0x61, 8 bits), then symbol 286 / 287 (11000110 /
    // 11000111), or a distance symbol 30 / 31.
    for bad in [0b1100_0110, 0b1100_0111] {
        let mut w = BitWriter::new();
        w.put(1, 1);
        w.put(1, 2);
        w.code(0x30 + 0x61, 8);
        w.code(bad, 8);
        w.code(0, 7); // end of block
        let stream = w.finish(b"a");
        assert_eq!(ours(&stream), Err(InflateError::Invalid));
        assert_eq!(reference(&stream), None);
    }
    for (distance_symbol, ok) in [(0, true), (29, false), (30, false), (31, false)] {
        // Length symbol 257 (length 3, code 0000001), distance 1 for symbol 0; symbol 29
        // is too far back after one byte.
        let mut w = BitWriter::new();
        w.put(1, 1);
        w.put(1, 2);
        w.code(0x30 + 0x61, 8);
        w.code(1, 7);
        w.code(distance_symbol, 5);
        if distance_symbol == 29 {
            w.put(0, 13);
        }
        w.code(0, 7);
        let stream = w.finish(b"aaaa");
        assert_eq!(
            ours(&stream).is_ok(),
            ok,
            "distance symbol {distance_symbol}"
        );
        assert_eq!(reference(&stream).is_some(), ok);
    }
}

/// A dynamic block header: `lengths` for HLIT+HDIST symbols, sent with a code-length code
/// where every length 0..=15 has a 4-bit code plus 16/17/18 as given in `extra`.
fn dynamic_stream(hlit: u32, hdist: u32, symbols: &[(u32, Option<(u32, u32)>)]) -> Vec<u8> {
    dynamic_header(hlit, hdist, symbols).finish(b"")
}

/// The final dynamic block's header up to its first symbol.
fn dynamic_header(hlit: u32, hdist: u32, symbols: &[(u32, Option<(u32, u32)>)]) -> BitWriter {
    let mut w = BitWriter::new();
    w.put(1, 1);
    w.put(2, 2);
    w.put(hlit - 257, 5);
    w.put(hdist - 1, 5);
    w.put(19 - 4, 4);
    // All 19 code-length symbols get 5 bits except 13 of them... keep it simple: 16 symbols
    // of length 4 would fill the code, so give 0..=12 length 4, 13..=18 length 5 (13*2 + 6
    // = 32 = 2^5: complete).
    let cl_len = |s: usize| if s <= 12 { 4 } else { 5 };
    for &s in &[
        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
    ] {
        w.put(cl_len(s), 3);
    }
    // Canonical codes: 0..=12 -> 4-bit codes 0..=12; 13..=18 -> 5-bit codes 26..=31.
    let cl_code = |s: u32| if s <= 12 { (s, 4) } else { (26 + s - 13, 5) };
    for &(symbol, extra) in symbols {
        let (c, l) = cl_code(symbol);
        w.code(c, l);
        if let Some((v, n)) = extra {
            w.put(v, n);
        }
    }
    w
}

/// The canonical codes (code, length) of the given lengths, as RFC 1951 section 3.2.2 assigns
/// them (also for over-subscribed or incomplete lengths; the codes are then masked).
fn canonical_codes(lengths: &[u32]) -> Vec<(u32, u32)> {
    let mut count = [0u32; 16];
    for &l in lengths {
        count[l as usize] += 1;
    }
    count[0] = 0;
    let mut next = [0u32; 16];
    let mut code = 0;
    for l in 1..16 {
        code = (code + count[l - 1]) << 1;
        next[l] = code;
    }
    lengths
        .iter()
        .map(|&l| {
            let c = next[l as usize];
            next[l as usize] += 1;
            (c & ((1 << l) - 1), l)
        })
        .collect()
}

#[test]
fn invalid_dynamic_headers_are_rejected_like_zlib() {
    // HLIT > 286 and HDIST > 30.
    for (hlit, hdist) in [(287, 1), (288, 1), (257, 31), (257, 32)] {
        let stream = dynamic_stream(hlit, hdist, &[]);
        assert_eq!(ours(&stream), Err(InflateError::Invalid), "{hlit} {hdist}");
        assert_eq!(reference(&stream), None);
    }
    // A repeat (16) with no previous length.
    let stream = dynamic_stream(257, 1, &[(16, Some((0, 2)))]);
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
    assert_eq!(reference(&stream), None);
    // Repeats running past HLIT + HDIST (258 lengths: 18 x 138 + 18 x 121 = 259).
    let stream = dynamic_stream(257, 1, &[(18, Some((127, 7))), (18, Some((110, 7)))]);
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
    assert_eq!(reference(&stream), None);
    // No end-of-block code: 258 zero lengths.
    let stream = dynamic_stream(257, 1, &[(18, Some((127, 7))), (18, Some((109, 7)))]);
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
    assert_eq!(reference(&stream), None);
    // Only symbol 256 with one bit (incomplete, allowed by zlib), one distance code of one
    // bit: the block is its end-of-block code (bit 0).
    let only_eob = |tail: &[(u32, Option<(u32, u32)>)]| {
        let mut symbols = vec![
            (18, Some((127, 7))),
            (18, Some((256 - 138 - 11, 7))),
            (1, None),
            (1, None),
        ];
        symbols.extend_from_slice(tail);
        symbols
    };
    let mut stream = dynamic_stream(257, 1, &only_eob(&[]));
    // The stream's last byte before the trailer holds the block's end code: bit 0, already 0.
    assert_eq!(
        ours(&stream),
        reference(&stream).ok_or(InflateError::Invalid)
    );
    // The same with symbol 256 of two bits (incomplete, not one bit): rejected.
    let symbols = vec![
        (18, Some((127, 7))),
        (18, Some((256 - 138 - 11, 7))),
        (2, None),
        (1, None),
    ];
    stream = dynamic_stream(257, 1, &symbols);
    assert_eq!(ours(&stream), Err(InflateError::Invalid));
    assert_eq!(reference(&stream), None);
}

/// A literal code with a code of every length 1..=15 (six of them longer than the 9-bit
/// first-level table, found by the walk of the canonical code), each symbol many times and
/// the longest ones next to each other: inflated as zlib-rs inflates it, and every truncation
/// of it rejected.
#[test]
fn codes_longer_than_the_table_are_decoded_like_zlib() {
    let (stream, output) = long_code_stream();
    assert_eq!(reference(&stream).as_deref(), Some(&output[..]));
    assert_eq!(ours(&stream), Ok(output));
    for end in 0..stream.len() {
        assert_eq!(ours(&stream[..end]), Err(InflateError::Invalid), "{end}");
    }
}

/// The stream of `codes_longer_than_the_table_are_decoded_like_zlib`, with its output.
fn long_code_stream() -> (Vec<u8>, Vec<u8>) {
    let (hlit, hdist) = (257u32, 1u32);
    let mut lengths = vec![0u32; (hlit + hdist) as usize];
    // 'a'..='n' get lengths 1..=14, 'o' and the end of block 15: a complete code.
    for (length, symbol) in (1..).zip(b'a'..=b'o') {
        lengths[usize::from(symbol)] = length;
    }
    lengths[256] = 15;
    let header: Vec<_> = lengths.iter().map(|&l| (l, None)).collect();
    let mut w = dynamic_header(hlit, hdist, &header);
    let codes = canonical_codes(&lengths[..hlit as usize]);
    let mut output = Vec::new();
    for round in 0..40u32 {
        for symbol in (b'a'..=b'o').rev().chain(b'a'..=b'o') {
            if (u32::from(symbol) + round) % 3 != 0 {
                let (code, length) = codes[usize::from(symbol)];
                w.code(code, length);
                output.push(symbol);
            }
        }
    }
    let (code, length) = codes[256];
    w.code(code, length);
    (w.finish(&output), output)
}

/// A dynamic block of the given literal/length and distance lengths (by symbol, HLIT 258 and
/// HDIST as many as given) whose body is `symbols` (each with its extra bits: value, count),
/// ended by its end-of-block code, with the trailer of `output`.
fn block_of(
    literals: &[(usize, u32)],
    distances: &[u32],
    symbols: &[(u32, u32, u32)],
    output: &[u8],
) -> Vec<u8> {
    let hdist = distances.len().max(1) as u32;
    let mut lengths = vec![0u32; 258 + hdist as usize];
    for &(symbol, length) in literals {
        lengths[symbol] = length;
    }
    lengths[258..258 + distances.len()].copy_from_slice(distances);
    let header: Vec<_> = lengths.iter().map(|&l| (l, None)).collect();
    let mut w = dynamic_header(258, hdist, &header);
    let codes = canonical_codes(&lengths[..258]);
    for &(symbol, extra, extra_bits) in symbols {
        let (code, length) = codes[symbol as usize];
        w.code(code, length);
        w.put(extra, extra_bits);
    }
    let (code, length) = codes[256];
    w.code(code, length);
    w.finish(output)
}

/// The decoders of dynamic blocks are kept per thread and reused without being cleared:
/// every pair of streams whose codes leave different slots unused (a full 9-bit table with
/// codes longer than it, zlib's single one-bit code, an empty distance code, a token's
/// code) is inflated one after the other on one thread, and the second must come out as it
/// does on a fresh thread and as zlib-rs inflates it.
#[test]
fn reused_decoders_keep_nothing_of_the_last_code() {
    // Only the end of block, one bit (zlib's exception): its code 0 ends the block, code 1
    // is no code at all. The same for a single one-bit distance code after 'a' (1 bit) and
    // symbol 257 (length 3, 2 bits: codes 'a' 0, 256 10, 257 11), and a distance code
    // with no codes.
    let eob_only = block_of(&[(256, 1)], &[], &[], b"");
    let eob_only_stray = {
        let mut w = dynamic_header(257, 1, &{
            let mut header = vec![(0u32, None); 258];
            header[256] = (1, None);
            header
        });
        w.put(1, 1); // the unused one-bit code
        w.put(0, 1);
        w.finish(b"")
    };
    let one_distance = |code: u32| {
        block_of(
            &[(usize::from(b'a'), 1), (256, 2), (257, 2)],
            &[1],
            &[(u32::from(b'a'), 0, 0), (257, code, 1)],
            b"aaaa",
        )
    };
    // 'a', then a match whose distance bit is the used code 0 (distance 1) or the unused 1.
    let (distance_used, distance_unused) = (one_distance(0), one_distance(1));
    // The same match with no distance code: the bit an earlier code's entry could take for
    // a distance is there.
    let no_distances = block_of(
        &[(usize::from(b'a'), 1), (256, 2), (257, 2)],
        &[0],
        &[(u32::from(b'a'), 0, 0), (257, 0, 1)],
        b"aaaa",
    );
    let (long_codes, _) = long_code_stream();
    let mut token = Vec::new();
    tamperproof_zlib::compress(&fox_blob()[..300], &mut token);
    let streams = [
        eob_only,
        eob_only_stray,
        distance_used,
        distance_unused,
        no_distances,
        long_codes,
        token,
    ];
    let fresh: Vec<_> = streams
        .iter()
        .map(|stream| {
            let stream = stream.clone();
            std::thread::spawn(move || ours(&stream))
                .join()
                .unwrap_or_else(|_| panic!("inflate panicked"))
        })
        .collect();
    for (stream, fresh) in streams.iter().zip(&fresh) {
        assert_eq!(fresh.as_ref().ok(), reference(stream).as_ref());
    }
    // The outcomes differ (both kinds of each shape are there).
    assert_eq!(
        fresh.iter().map(Result::is_ok).collect::<Vec<_>>(),
        [true, false, true, false, false, true, true]
    );
    for (i, first) in streams.iter().enumerate() {
        for (j, second) in streams.iter().enumerate() {
            let _ = ours(first);
            assert_eq!(&ours(second), &fresh[j], "stream {j} after stream {i}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    /// Small literal/length and distance codes, complete, incomplete (including zlib's
    /// single one-bit code), over-subscribed or empty, in a dynamic block of literals: we
    /// accept exactly the codes zlib-rs accepts.
    #[test]
    fn code_completeness_rules_match_zlib_rs(
        literals in proptest::collection::vec((any::<u8>(), 1u32..=4), 0..5),
        end_length in 0u32..=4,
        distances in proptest::collection::vec((0u32..30, 0u32..=3), 0..4),
        extra_literals in 0u32..30,
        extra_distances in 0u32..30,
        body in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        stray_one_bit in any::<bool>(),
    ) {
        let hlit = 257 + extra_literals;
        let hdist = 1 + distances.iter().map(|&(s, _)| s).max().unwrap_or(0).max(extra_distances);
        let mut lengths = vec![0u32; (hlit + hdist) as usize];
        for &(symbol, length) in &literals {
            lengths[usize::from(symbol)] = length;
        }
        lengths[256] = end_length;
        for &(symbol, length) in &distances {
            lengths[(hlit + symbol) as usize] = length;
        }
        let header: Vec<_> = lengths.iter().map(|&l| (l, None)).collect();
        let mut w = dynamic_header(hlit, hdist, &header);
        let codes = canonical_codes(&lengths[..hlit as usize]);
        let used: Vec<u8> = (0..=255u8).filter(|&s| lengths[usize::from(s)] != 0).collect();
        let mut output = Vec::new();
        if !used.is_empty() {
            for index in &body {
                let symbol = used[index.index(used.len())];
                let (code, length) = codes[usize::from(symbol)];
                w.code(code, length);
                output.push(symbol);
            }
        }
        if stray_one_bit {
            w.put(1, 1);
        }
        let (code, length) = codes[256];
        w.code(code, length);
        let stream = w.finish(&output);
        let expected = reference(&stream);
        prop_assert_eq!(ours(&stream).ok(), expected);
    }
}

// --- The bound ---------------------------------------------------------------------------

/// RFC 1951's length symbols 257 to 285: base length and extra bits.
const LENGTHS: [(u32, u32); 29] = [
    (3, 0),
    (4, 0),
    (5, 0),
    (6, 0),
    (7, 0),
    (8, 0),
    (9, 0),
    (10, 0),
    (11, 1),
    (13, 1),
    (15, 1),
    (17, 1),
    (19, 2),
    (23, 2),
    (27, 2),
    (31, 2),
    (35, 3),
    (43, 3),
    (51, 3),
    (59, 3),
    (67, 4),
    (83, 4),
    (99, 4),
    (115, 4),
    (131, 5),
    (163, 5),
    (195, 5),
    (227, 5),
    (258, 0),
];

/// RFC 1951's distance symbols 0 to 29: base distance and extra bits.
const DISTANCES: [(u32, u32); 30] = [
    (1, 0),
    (2, 0),
    (3, 0),
    (4, 0),
    (5, 1),
    (7, 1),
    (9, 2),
    (13, 2),
    (17, 3),
    (25, 3),
    (33, 4),
    (49, 4),
    (65, 5),
    (97, 5),
    (129, 6),
    (193, 6),
    (257, 7),
    (385, 7),
    (513, 8),
    (769, 8),
    (1025, 9),
    (1537, 9),
    (2049, 10),
    (3073, 10),
    (4097, 11),
    (6145, 11),
    (8193, 12),
    (12289, 12),
    (16385, 13),
    (24577, 13),
];

/// A fixed-block symbol for [`fixed_block_symbols_match_zlib_rs`].
#[derive(Debug, Clone)]
enum FixedSymbol {
    /// A literal byte: an 8-bit code (0 to 143) or a 9-bit one (144 to 255).
    Literal(u8),
    /// A match: the length symbol's index (0 to 28: symbols 257 to 279 have 7-bit codes,
    /// 280 to 285 8-bit ones) and a value for its extra bits, the distance symbol (0 to 31:
    /// 30 and 31 are invalid) and a value for its extra bits. The match may reach before
    /// the output's start.
    Match(usize, u32, u32, u32),
    /// Literal/length symbol 286 or 287: invalid.
    Unused(u32),
}

/// Writes `symbol` with the fixed code (RFC 1951 section 3.2.6), with its extra bits (the
/// low bits of the values given).
fn put_fixed(w: &mut BitWriter, symbol: &FixedSymbol) {
    match *symbol {
        FixedSymbol::Literal(byte @ 0..=143) => w.code(0x30 + u32::from(byte), 8),
        FixedSymbol::Literal(byte) => w.code(0x190 + u32::from(byte) - 144, 9),
        FixedSymbol::Match(index, length_extra, distance, distance_extra) => {
            let symbol = 257 + index as u32;
            if symbol < 280 {
                w.code(symbol - 256, 7);
            } else {
                w.code(0xc0 + symbol - 280, 8);
            }
            w.put(length_extra, LENGTHS[index].1);
            w.code(distance, 5);
            if let Some(&(_, bits)) = DISTANCES.get(distance as usize) {
                w.put(distance_extra, bits);
            }
        }
        FixedSymbol::Unused(symbol) => w.code(0xc0 + symbol - 280, 8),
    }
}

/// What a valid stream of `symbols` inflates to (a match from before the start, or an
/// invalid symbol, makes the stream invalid: `None`).
fn fixed_output(symbols: &[FixedSymbol]) -> Option<Vec<u8>> {
    let mut output: Vec<u8> = Vec::new();
    for symbol in symbols {
        match *symbol {
            FixedSymbol::Literal(byte) => output.push(byte),
            FixedSymbol::Match(index, length_extra, distance, distance_extra) => {
                let (base, bits) = LENGTHS[index];
                let length = base + (length_extra & ((1 << bits) - 1));
                let &(base, bits) = DISTANCES.get(distance as usize)?;
                let distance = (base + (distance_extra & ((1 << bits) - 1))) as usize;
                let start = output.len().checked_sub(distance)?;
                for at in start..start + length as usize {
                    output.push(output[at]);
                }
            }
            FixedSymbol::Unused(_) => return None,
        }
    }
    Some(output)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    /// Fixed blocks of any mix of 8-bit literals (which the inflater reads a run at a time),
    /// 9-bit literals, matches of every length and distance code with their extra bits, and
    /// invalid symbols, ended by the end-of-block code: inflated (or rejected) exactly as
    /// zlib-rs inflates them, also cut anywhere, and past a limit exactly when the output is
    /// longer than it.
    #[test]
    fn fixed_block_symbols_match_zlib_rs(
        symbols in proptest::collection::vec(
            prop_oneof![
                30 => (0u8..=143).prop_map(FixedSymbol::Literal),
                6 => (144u8..=255).prop_map(FixedSymbol::Literal),
                4 => (0usize..29, any::<u32>(), 0u32..4, any::<u32>())
                    .prop_map(|(l, le, d, de)| FixedSymbol::Match(l, le, d, de)),
                4 => (0usize..29, any::<u32>(), 0u32..30, any::<u32>())
                    .prop_map(|(l, le, d, de)| FixedSymbol::Match(l, le, d, de)),
                1 => (0usize..29, any::<u32>(), 30u32..32, any::<u32>())
                    .prop_map(|(l, le, d, de)| FixedSymbol::Match(l, le, d, de)),
                1 => (286u32..288).prop_map(FixedSymbol::Unused),
            ],
            0..200,
        ),
        cut in any::<prop::sample::Index>(),
    ) {
        let mut w = BitWriter::new();
        w.put(1, 1);
        w.put(1, 2);
        for symbol in &symbols {
            put_fixed(&mut w, symbol);
        }
        w.code(0, 7); // end of block
        let output = fixed_output(&symbols);
        let stream = w.finish(output.as_deref().unwrap_or_default());
        let expected = reference(&stream);
        prop_assert_eq!(ours(&stream).ok(), expected.clone());
        prop_assert_eq!(&expected, &output);
        if let Some(output) = &output {
            let mut out = Vec::new();
            prop_assert_eq!(inflate(&stream, output.len(), &mut out), Ok(()));
            if let Some(limit) = output.len().checked_sub(1) {
                prop_assert_eq!(
                    inflate(&stream, limit, &mut out),
                    Err(InflateError::TooLarge { limit })
                );
            }
        }
        let cut = &stream[..cut.index(stream.len())];
        prop_assert_eq!(ours(cut).ok(), reference(cut));
    }
}

#[test]
fn zip_bomb_stops_at_the_limit() {
    let bomb = deflate(&vec![0u8; 64 << 20], 9);
    assert!(bomb.len() < 128 << 10, "{}", bomb.len());
    let limit = 1 << 20;
    let mut out = Vec::new();
    assert_eq!(
        inflate(&bomb, limit, &mut out),
        Err(InflateError::TooLarge { limit })
    );
    assert!(out.capacity() <= limit + (16 << 10), "{}", out.capacity());
    assert!(out.len() <= limit);

    // A caller's huge buffer does not lift the bound.
    let mut out = Vec::with_capacity(256 << 20);
    assert_eq!(
        inflate(&bomb, limit, &mut out),
        Err(InflateError::TooLarge { limit })
    );
    assert!(out.capacity() <= limit + (16 << 10), "{}", out.capacity());
}

#[test]
fn exactly_the_limit_is_allowed() {
    for data in [vec![7u8; 100_000], fox_blob(), b"x".to_vec()] {
        for level in [0, 1, 6, 9] {
            let stream = deflate(&data, level);
            let mut out = Vec::new();
            assert_eq!(inflate(&stream, data.len(), &mut out), Ok(()));
            assert_eq!(out, data);
            assert!(out.capacity() <= data.len());
            let limit = data.len() - 1;
            assert_eq!(
                inflate(&stream, limit, &mut out),
                Err(InflateError::TooLarge { limit })
            );
        }
    }
    let mut out = vec![1, 2, 3];
    assert_eq!(inflate(&hex(EMPTY), 0, &mut out), Ok(()));
    assert!(out.is_empty());
    assert_eq!(
        inflate(&hex(PYTHON_STORED), 0, &mut out),
        Err(InflateError::TooLarge { limit: 0 })
    );
}

#[test]
fn stored_blocks_of_every_size() {
    for len in [0, 1, 255, 256, 65_535, 65_536, 70_000] {
        let data: Vec<u8> = (0..len).map(|i: u32| (i * 7 + i / 300) as u8).collect();
        let stream = deflate(&data, 0);
        assert_eq!(ours(&stream), Ok(data));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Level 0: stored blocks (of at most 65,535 bytes each, so several past that), any size
    /// up to 70,000 bytes, with a byte pattern drawn from the seed.
    #[test]
    fn inflates_stored_streams_of_any_size(len in 0usize..70_000, seed in any::<u32>()) {
        let data: Vec<u8> = (0..len as u32)
            .map(|i| (i.wrapping_mul(seed | 1).rotate_left(seed % 32) >> 7) as u8)
            .collect();
        let stream = deflate(&data, 0);
        prop_assert!(reference(&stream).as_ref() == Some(&data));
        prop_assert_eq!(ours(&stream), Ok(data));
    }
}

// --- Differential property tests ---------------------------------------------------------

fn json_like() -> impl Strategy<Value = Vec<u8>> {
    let token = prop_oneof![
        Just(&b"{\"id\":"[..]),
        Just(&b"\"name\":\"alice\","[..]),
        Just(&b"[1,2,3],"[..]),
        Just(&b"true,"[..]),
        Just(&b"null}"[..]),
        Just(&b"\"_fresh\":false,"[..]),
        Just(&b"\"csrf_token\":\""[..]),
    ];
    let piece = prop_oneof![
        3 => token.prop_map(<[u8]>::to_vec),
        1 => "[a-f0-9]{1,40}".prop_map(String::into_bytes),
        1 => proptest::collection::vec(any::<u8>(), 0..8),
    ];
    proptest::collection::vec(piece, 0..400).prop_map(|pieces| {
        let mut out = pieces.concat();
        out.truncate(8 << 10);
        out
    })
}

fn payload() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..(8 << 10)),
        proptest::collection::vec(0u8..4, 0..(8 << 10)),
        json_like(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20_000, ..ProptestConfig::default() })]

    #[test]
    fn inflates_what_zlib_rs_compresses(data in payload(), level in 0u32..=9) {
        let stream = deflate(&data, level);
        prop_assert_eq!(ours(&stream), Ok(data));
    }

    #[test]
    fn inflates_flushed_multi_block_streams(
        data in payload(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 1..4),
        full in any::<bool>(),
        level in 0u32..=9,
    ) {
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(data.len() + 1)).collect();
        points.sort_unstable();
        let mut parts = Vec::new();
        let mut start = 0;
        for &p in &points {
            let flush = if full { FlushCompress::Full } else { FlushCompress::Sync };
            parts.push((data.get(start..p).unwrap_or_default(), flush));
            start = p;
        }
        parts.push((data.get(start..).unwrap_or_default(), FlushCompress::Finish));
        let stream = deflate_parts(&parts, level);
        prop_assert_eq!(ours(&stream), Ok(data));
    }

    #[test]
    fn agrees_with_zlib_rs_on_mutated_streams(
        data in payload(),
        level in 0u32..=9,
        edits in proptest::collection::vec((0u8..5, any::<prop::sample::Index>(), any::<u8>()), 1..4),
    ) {
        let mut stream = deflate(&data, level);
        for (kind, at, byte) in edits {
            let i = at.index(stream.len().max(1));
            match kind {
                0 => if let Some(b) = stream.get_mut(i) { *b ^= 1 << (byte % 8) },
                1 => stream.truncate(i),
                2 => stream.insert(i.min(stream.len()), byte),
                3 => if i < stream.len() { stream.remove(i); },
                _ => {
                    // Garbage after a valid header.
                    stream.truncate(2.min(stream.len()));
                    stream.extend((0..(i % 64)).map(|k| byte.wrapping_mul(k as u8 | 1).rotate_left(k as u32)));
                }
            }
        }
        let expected = reference(&stream);
        prop_assert_eq!(ours(&stream).ok(), expected);
    }

    #[test]
    fn agrees_with_zlib_rs_on_random_bytes_after_a_header(
        body in proptest::collection::vec(any::<u8>(), 0..64),
        fixed in any::<bool>(),
    ) {
        let mut stream = vec![0x78, 0x9c];
        let mut body = body;
        if let Some(first) = body.first_mut() {
            // Steer the first block's type towards fixed (01) or dynamic (10).
            *first = (*first & !0b110) | if fixed { 0b010 } else { 0b100 };
        }
        stream.extend_from_slice(&body);
        prop_assert_eq!(ours(&stream).ok(), reference(&stream));
    }
}
