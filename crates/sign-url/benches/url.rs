//! URLSafeSerializer and URLSafeTimedSerializer dumps/loads (compact JSON, zlib when it pays,
//! base64url) for a small dict and a 4 KiB compressible value.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use sign_url::{URLSafeSerializer, URLSafeTimedSerializer};

/// The small dict every serializer bench uses (`bench.py` has the same one).
fn small() -> Value {
    json!({"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true})
}

/// A 4 KiB compressible value: English text repeated (`bench.py` has the same one).
fn big() -> Value {
    let text: String = "the quick brown fox jumps over the lazy dog "
        .chars()
        .cycle()
        .take(4096)
        .collect();
    json!({ "blob": text })
}

fn benches(c: &mut Criterion) {
    let plain = URLSafeSerializer::new("secret-key").expect("serializer");
    let timed = URLSafeTimedSerializer::new("secret-key").expect("serializer");
    for (name, value) in [("small", small()), ("4k", big())] {
        let mut group = c.benchmark_group("url_safe");
        let token = plain.dumps(&value).expect("dumps");
        group.bench_function(format!("dumps/{name}"), |b| {
            b.iter(|| plain.dumps(black_box(&value)));
        });
        group.bench_function(format!("loads/{name}"), |b| {
            b.iter(|| plain.loads::<Value>(black_box(&token)));
        });
        group.finish();

        let mut group = c.benchmark_group("url_safe_timed");
        let token = timed.dumps(&value).expect("dumps");
        group.bench_function(format!("dumps/{name}"), |b| {
            b.iter(|| timed.dumps(black_box(&value)));
        });
        group.bench_function(format!("loads_max_age/{name}"), |b| {
            b.iter(|| timed.loads_max_age::<Value>(black_box(&token), 3600));
        });
        group.finish();
    }
}

criterion_group!(url_benches, benches);
criterion_main!(url_benches);
