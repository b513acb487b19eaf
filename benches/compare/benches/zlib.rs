//! tamperproof-zlib next to a general-purpose zlib backend, as tamperproof uses them: one
//! compression of compact JSON per call (level 6 for the backends, reusing one reset state),
//! and one inflation per call into a reused buffer of streams CPython's `zlib.compress`
//! wrote. The flate2 backend is the one this crate's features chose (bench-compare runs it
//! once per backend); the names say which: `zlib/<backend>/<op>/<value>`, with
//! `zlib/tamperproof/...` for ours (the same in every run).
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// The backend flate2 uses in this build: C zlib over zlib-rs over miniz_oxide.
const BACKEND: &str = if cfg!(feature = "c-zlib") {
    "c-zlib"
} else if cfg!(feature = "zlib-rs") {
    "zlib-rs"
} else {
    "miniz"
};

/// A bench value: its name, its compact JSON, and the zlib stream CPython 3.11's
/// `zlib.compress(json)` (level 6) writes for it, in hex.
struct Payload {
    name: &'static str,
    json: Vec<u8>,
    python_stream: &'static str,
}

/// The compact JSON of the bench values (the serializer benches and `bench.py` use the same)
/// and a Flask-Login session with a cart.
fn payloads() -> [Payload; 4] {
    let text: String = "the quick brown fox jumps over the lazy dog "
        .chars()
        .cycle()
        .take(4096)
        .collect();
    [
        Payload {
            name: "small",
            json: br#"{"id":42,"name":"alice","roles":["admin","user"],"active":true}"#.to_vec(),
            python_stream: "789cab56ca4c51b23231d251ca4bcc4d55b2524accc94c4e55d2512acacf492d56b28a564a4cc9cdcc030a9416a71629c5ea2825269764960155961495a6d6020062731420",
        },
        Payload {
            name: "reset",
            json: br#"{"user_id":12345,"email":"alice@example.com","purpose":"password-reset"}"#
                .to_vec(),
            python_stream: "789cab562a2d4e2d8acf4c51b23234323631d5514acd4dcccc51b2524accc94c4e7548ad48cc2dc849d54bcecf55d2512a282d2ac82f4e05ca1624161797e717a5e816a516a79628d5020061a018ad",
        },
        Payload {
            name: "login_cart",
            json: concat!(
                r#"{"_fresh":true,"_id":"a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194"#,
                r#"d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4","_user_id":"42","#,
                r#""cart":[{"qty":1,"sku":"BK-1042"},{"qty":3,"sku":"PEN-0007"}],"#,
                r#""csrf_token":"51c0ae4e67ece03d97accfc9c90ac2a0e5868131"}"#
            )
            .as_bytes()
            .to_vec(),
            python_stream: "789c358f4d4b04311044ff4bceb3d09da493ee390a9e04f12e32249d0ecac28af3719065febb01f558bc7a5075774b5f6d7b77f3be1e36b9e5a3b9d915662de699a395944da08614a02b1b07122d146b62ab351685dc3d51c3a49d20c5561125b694bb55b2ce4c06925326ec20c268a605a0661f6978be610e5d987d9716848286dcb04637861c9badbf6ba21f59cbbabbf9f5eebef66f37e3e4b6eb31d8c3d3056114cee98f847ff2f2f87c0180ecceb7616f6b5ff6cfabdd06215428166d3c5383d02417d5aea202457d01234e8c01ddf903952d50f3",
        },
        Payload {
            name: "4k",
            json: format!(r#"{{"blob":"{text}"}}"#).into_bytes(),
            python_stream: "789cedcadb1140301040d15676b60cdd08f10c4b88e7e8dd28c3ccfd3ee75617cc69a66be3654e6dd18b8bb68f52d9215d1aa6456cf3513e0ef9754a69b570b95c2e97cbe572b95c2e97cbfde7d5e70509bdde1b",
        },
    ]
}

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|at| u8::from_str_radix(text.get(at..at + 2).expect("hex"), 16).expect("hex"))
        .collect()
}

fn flate2_compress(compressor: &mut Compress, data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    compressor.reset();
    let status = compressor
        .compress_vec(data, out, FlushCompress::Finish)
        .expect("compress");
    assert_eq!(status, Status::StreamEnd, "output buffer too small");
}

fn flate2_inflate(inflater: &mut Decompress, data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    inflater.reset(true);
    let status = inflater
        .decompress_vec(data, out, FlushDecompress::Finish)
        .expect("inflate");
    assert_eq!(status, Status::StreamEnd, "output buffer too small");
}

fn benches(c: &mut Criterion) {
    let mut compressor = Compress::new(Compression::new(6), true);
    let mut inflater = Decompress::new(true);
    for Payload {
        name,
        json,
        python_stream,
    } in payloads()
    {
        let stream = unhex(python_stream);
        let mut packed = Vec::with_capacity(json.len() + 64);
        let mut out = Vec::with_capacity(json.len());
        flate2_inflate(&mut inflater, &stream, &mut out);
        assert_eq!(out, json);
        tamperproof_zlib::inflate(&stream, 1 << 20, &mut out).expect("inflate");
        assert_eq!(out, json);

        let mut group = c.benchmark_group(format!("zlib/{BACKEND}"));
        group.bench_function(format!("compress/{name}"), |b| {
            b.iter(|| flate2_compress(&mut compressor, black_box(&json), &mut packed));
        });
        group.bench_function(format!("inflate/{name}"), |b| {
            b.iter(|| flate2_inflate(&mut inflater, black_box(&stream), &mut out));
        });
        group.finish();

        let mut group = c.benchmark_group("zlib/tamperproof");
        group.bench_function(format!("compress/{name}"), |b| {
            b.iter(|| tamperproof_zlib::compress(black_box(&json), &mut packed));
        });
        // Python's rule: keep the stream when it is at most len - 2 bytes.
        let max_len = json.len() - 2;
        group.bench_function(format!("compress_if_at_most/{name}"), |b| {
            b.iter(|| {
                tamperproof_zlib::compress_if_at_most(black_box(&json), max_len, &mut packed)
            });
        });
        group.bench_function(format!("inflate/{name}"), |b| {
            b.iter(|| tamperproof_zlib::inflate(black_box(&stream), 1 << 20, &mut out));
        });
        group.finish();
    }
}

criterion_group!(zlib_benches, benches);
criterion_main!(zlib_benches);
