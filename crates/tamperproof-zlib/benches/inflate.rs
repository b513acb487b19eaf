//! Our inflater against zlib-rs (through flate2) on three streams made by CPython's
//! `zlib.compress(payload, 6)`: a 69-byte fixed-Huffman token, a 215-byte dynamic-Huffman
//! Flask-Login session, and 4 KiB of repeated text.

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use flate2::{Decompress, FlushDecompress, Status};

/// `zlib.compress(b'{"id":42,"name":"alice","roles":["admin","user"],"active":true}', 6)`.
const FIXED_69: &str = "789cab56ca4c51b23231d251ca4bcc4d55b2524accc94c4e55d2512acacf492d56b28a564a4cc9cdcc030a9416a71629c5ea2825269764960155961495a6d6020062731420";

/// `zlib.compress(FLASK_LOGIN_JSON, 6)` for the session
/// `{"_fresh":true,"_id":"a88cae28…d1b4","_user_id":"42","cart":[…],"csrf_token":"51c0…8131"}`
/// (286 bytes; the full JSON is in tests/inflate.rs).
const DYNAMIC_215: &str = "789c358f4d4b04311044ff4bceb3d09da493ee390a9e04f12e32249d0ecac28af3719065febb01f558bc7a5075774b5f6d7b77f3be1e36b9e5a3b9d915662de699a395944da08614a02b1b07122d146b62ab351685dc3d51c3a49d20c5561125b694bb55b2ce4c06925326ec20c268a605a0661f6978be610e5d987d9716848286dcb04637861c9badbf6ba21f59cbbabbf9f5eebef66f37e3e4b6eb31d8c3d3056114cee98f847ff2f2f87c0180ecceb7616f6b5ff6cfabdd06215428166d3c5383d02417d5aea202457d01234e8c01ddf903952d50f3";

/// `zlib.compress(b'{"blob":"' + (b"the quick brown fox jumps over the lazy dog " * 200)[:4096]
/// + b'"}', 6)` (4107 bytes inflated).
const TEXT_4K: &str = "789cedcadb1140301040d15676b60cdd08f10c4b88e7e8dd28c3ccfd3ee75617cc69a66be3654e6dd18b8bb68f52d9215d1aa6456cf3513e0ef9754a69b570b95c2e97cbe572b95c2e97cbfde7d5e70509bdde1b";

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .filter_map(|i| s.get(i..i + 2))
        .filter_map(|b| u8::from_str_radix(b, 16).ok())
        .collect()
}

/// zlib-rs the way a caller reuses it: one `Decompress`, reset per stream.
fn zlib_rs(inflater: &mut Decompress, data: &[u8], out: &mut Vec<u8>) -> bool {
    inflater.reset(true);
    out.clear();
    matches!(
        inflater.decompress_vec(data, out, FlushDecompress::Finish),
        Ok(Status::StreamEnd)
    )
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("inflate");
    let mut inflater = Decompress::new(true);
    for (name, stream) in [
        ("fixed_69", FIXED_69),
        ("dynamic_215", DYNAMIC_215),
        ("text_4k", TEXT_4K),
    ] {
        let data = hex(stream);
        let mut out = Vec::with_capacity(8192);
        tamperproof_zlib::inflate(&data, 1 << 20, &mut out).ok();
        let expected = out.clone();
        assert!(zlib_rs(&mut inflater, &data, &mut out) && out == expected);

        group.bench_with_input(BenchmarkId::new("ours", name), &data, |b, data| {
            b.iter(|| tamperproof_zlib::inflate(black_box(data), 1 << 20, &mut out));
        });
        group.bench_with_input(BenchmarkId::new("zlib_rs", name), &data, |b, data| {
            b.iter(|| zlib_rs(&mut inflater, black_box(data), &mut out));
        });
    }
    group.finish();
}

criterion_group!(inflate_benches, benches);
criterion_main!(inflate_benches);
