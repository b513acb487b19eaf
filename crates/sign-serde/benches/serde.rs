//! Serializer and TimedSerializer dumps/loads (Python's `json` layout) for a small dict and a
//! 4 KiB compressible value.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_serde::{Serializer, TimedSerializer};

fn benches(c: &mut Criterion) {
    let plain = Serializer::new("secret-key").expect("serializer");
    let timed = TimedSerializer::new("secret-key").expect("serializer");
    support::bench_serializers(c, ("serializer", &plain), ("timed_serializer", &timed));
}

criterion_group!(serde_benches, benches);
criterion_main!(serde_benches);
