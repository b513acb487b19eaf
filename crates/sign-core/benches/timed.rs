//! TimestampSigner sign and unsign with a maximum age, on the system clock (as Python's
//! `time.time()`), for 16 B, 100 B and 4 KiB values.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sign_core::TimestampSigner;

const SIZES: [usize; 3] = [16, 100, 4096];

fn benches(c: &mut Criterion) {
    let signer = TimestampSigner::new("secret-key").expect("signer");
    let mut group = c.benchmark_group("timestamp");
    for size in SIZES {
        let value = vec![b'x'; size];
        let token = signer.sign(&value);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("sign", size), &value, |b, value| {
            b.iter(|| signer.sign(black_box(value)));
        });
        group.bench_with_input(
            BenchmarkId::new("unsign_max_age", size),
            &token,
            |b, token| {
                b.iter(|| signer.unsign_max_age(black_box(token), 3600).is_ok());
            },
        );
    }
    group.finish();
}

criterion_group!(timed_benches, benches);
criterion_main!(timed_benches);
