//! The compressor against zlib-rs level 6 (through flate2, reusing one `Compress` per thread)
//! on the payloads tamperproof compresses: two small dicts that do not compress, a Flask-Login
//! session that does, and 4 KiB of repeated text.
#![allow(missing_docs, clippy::unwrap_used)]

use std::cell::RefCell;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use flate2::{Compress, Compression, FlushCompress};
use tamperproof_zlib::{compress, compress_if_at_most};

const SMALL: &str = r#"{"id":42,"name":"alice","roles":["admin","user"],"active":true}"#;
const RESET: &str = r#"{"user_id":12345,"email":"alice@example.com","purpose":"password-reset"}"#;
const FLASK: &str = r#"{"_fresh":true,"_id":"a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4","_user_id":"42","cart":[{"qty":1,"sku":"BK-1042"},{"qty":3,"sku":"PEN-0007"}],"csrf_token":"51c0ae4e67ece03d97accfc9c90ac2a0e5868131"}"#;

fn blob() -> String {
    let text: String = "the quick brown fox jumps over the lazy dog "
        .chars()
        .cycle()
        .take(4096)
        .collect();
    format!(r#"{{"blob":"{text}"}}"#)
}

thread_local! {
    static ZLIB: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(6), true));
}

fn zlib_rs(data: &[u8], out: &mut Vec<u8>) {
    ZLIB.with(|cell| {
        let mut zlib = cell.borrow_mut();
        zlib.reset();
        out.clear();
        out.reserve(data.len() + 64);
        zlib.compress_vec(data, out, FlushCompress::Finish).unwrap();
    });
}

fn bench(c: &mut Criterion) {
    let blob = blob();
    let payloads = [
        ("small_dict_63", SMALL),
        ("reset_dict_72", RESET),
        ("flask_login_286", FLASK),
        ("blob_4k", blob.as_str()),
    ];
    let mut group = c.benchmark_group("deflate");
    for (name, payload) in payloads {
        let data = payload.as_bytes();
        let mut out = Vec::with_capacity(data.len() + 64);
        group.bench_function(format!("{name}/ours_if_at_most"), |b| {
            b.iter(|| compress_if_at_most(black_box(data), data.len() - 2, &mut out))
        });
        group.bench_function(format!("{name}/ours_compress"), |b| {
            b.iter(|| compress(black_box(data), &mut out))
        });
        group.bench_function(format!("{name}/zlib_rs"), |b| {
            b.iter(|| zlib_rs(black_box(data), &mut out))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
