//! The serializer bench shared by sign-serde and sign-url (included by path): the same inputs
//! and the same dumps/loads measurements for any codec.

use std::hint::black_box;

use criterion::Criterion;
use serde_json::{Value, json};
use sign_core::TimestampSigner;
use sign_serde::{PayloadCodec, SignedSerializer};

/// The small dict every serializer bench uses (`bench.py` has the same one).
fn small() -> Value {
    json!({"id": 42, "name": "alice", "roles": ["admin", "user"], "active": true})
}

/// A 72-byte password-reset dict (`bench.py` has the same one).
fn reset() -> Value {
    json!({"user_id": 12345, "email": "alice@example.com", "purpose": "password-reset"})
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

/// dumps/loads of every value with `plain` (group `plain_group`) and dumps/loads_max_age with
/// `timed` (group `timed_group`).
pub(crate) fn bench_serializers<C: PayloadCodec>(
    c: &mut Criterion,
    (plain_group, plain): (&str, &SignedSerializer<C, sign_core::Signer>),
    (timed_group, timed): (&str, &SignedSerializer<C, TimestampSigner>),
) {
    for (name, value) in [("small", small()), ("reset", reset()), ("4k", big())] {
        let mut group = c.benchmark_group(plain_group);
        let token = plain.dumps(&value).expect("dumps");
        group.bench_function(format!("dumps/{name}"), |b| {
            b.iter(|| plain.dumps(black_box(&value)));
        });
        group.bench_function(format!("loads/{name}"), |b| {
            b.iter(|| plain.loads::<Value>(black_box(&token)));
        });
        group.finish();

        let mut group = c.benchmark_group(timed_group);
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
