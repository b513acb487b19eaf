//! The zlib backend on its own, as sign-url uses it: one thread-local state reset per call,
//! level-6 compression of compact JSON, and inflation into a reused buffer. Run once per
//! backend (`cargo xtask bench-compare` does), the names say which one was built:
//! `zlib/<backend>/<op>/<value>`.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// The backend flate2 uses in this build: C zlib over zlib-rs over miniz_oxide.
const BACKEND: &str = if cfg!(feature = "c-zlib") {
    "c-zlib"
} else if cfg!(feature = "rust-zlib") {
    "zlib-rs"
} else {
    "miniz"
};

/// The compact JSON of the bench values (the same as the serializer benches and `bench.py`).
fn payloads() -> [(&'static str, Vec<u8>); 4] {
    let text: String = "the quick brown fox jumps over the lazy dog "
        .chars()
        .cycle()
        .take(4096)
        .collect();
    [
        (
            "small",
            br#"{"id":42,"name":"alice","roles":["admin","user"],"active":true}"#.to_vec(),
        ),
        (
            "reset",
            br#"{"user_id":12345,"email":"alice@example.com","purpose":"password-reset"}"#
                .to_vec(),
        ),
        (
            "login_cart",
            concat!(
                r#"{"_fresh":true,"_id":"a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194"#,
                r#"d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4","_user_id":"42","#,
                r#""cart":[{"qty":1,"sku":"BK-1042"},{"qty":3,"sku":"PEN-0007"}],"#,
                r#""csrf_token":"51c0ae4e67ece03d97accfc9c90ac2a0e5868131"}"#
            )
            .as_bytes()
            .to_vec(),
        ),
        ("4k", format!(r#"{{"blob":"{text}"}}"#).into_bytes()),
    ]
}

fn compress(compressor: &mut Compress, data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    compressor.reset();
    let status = compressor
        .compress_vec(data, out, FlushCompress::Finish)
        .expect("compress");
    assert_eq!(status, Status::StreamEnd, "output buffer too small");
}

fn inflate(inflater: &mut Decompress, data: &[u8], out: &mut Vec<u8>) {
    out.clear();
    inflater.reset(true);
    let status = inflater
        .decompress_vec(data, out, FlushDecompress::Finish)
        .expect("inflate");
    assert_eq!(status, Status::StreamEnd, "output buffer too small");
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group(format!("zlib/{BACKEND}"));
    let mut compressor = Compress::new(Compression::new(6), true);
    let mut inflater = Decompress::new(true);
    for (name, data) in payloads() {
        let mut packed = Vec::with_capacity(data.len() + 64);
        compress(&mut compressor, &data, &mut packed);
        let mut out = Vec::with_capacity(data.len());
        inflate(&mut inflater, &packed, &mut out);
        assert_eq!(out, data);
        if name != "login_cart" {
            group.bench_function(format!("compress/{name}"), |b| {
                b.iter(|| compress(&mut compressor, black_box(&data), &mut packed));
            });
        }
        if name != "reset" {
            compress(&mut compressor, &data, &mut packed);
            group.bench_function(format!("inflate/{name}"), |b| {
                b.iter(|| inflate(&mut inflater, black_box(&packed), &mut out));
            });
        }
    }
    group.finish();
}

criterion_group!(zlib_benches, benches);
criterion_main!(zlib_benches);
