//! JWS tokens (itsdangerous 2.0's JSONWebSignatureSerializer, HS512): loads and dumps of a
//! small dict, plain and timed.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use python_json::{Value, json};
use sign_jws::{JwsSerializer, TimedJwsSerializer};

/// The small dict every serializer bench uses (`bench.py` has the same one).
fn small() -> Value {
    json!({"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true})
}

fn benches(c: &mut Criterion) {
    let jws = JwsSerializer::new("secret-key").expect("serializer");
    let timed = TimedJwsSerializer::new("secret-key").expect("serializer");
    let value = small();
    let token = jws.dumps(&value).expect("dumps");
    let timed_token = timed.dumps(&value).expect("dumps");
    let mut group = c.benchmark_group("jws");
    group.bench_function("loads/small", |b| {
        b.iter(|| jws.loads::<Value>(black_box(&token)));
    });
    group.bench_function("dumps/small", |b| {
        b.iter(|| jws.dumps(black_box(&value)));
    });
    group.finish();
    let mut group = c.benchmark_group("timed_jws");
    group.bench_function("loads/small", |b| {
        b.iter(|| timed.loads::<Value>(black_box(&timed_token)));
    });
    group.finish();
}

criterion_group!(jws_benches, benches);
criterion_main!(jws_benches);
