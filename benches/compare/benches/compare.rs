//! The discord `itsdangerous` crate (0.4.1) on the operations it supports, with the same
//! inputs as our benches: Signer and TimestampSigner (HMAC-SHA1, django-concat), and the
//! URL-safe timed serializer for the small and the password-reset dicts (it has no zlib, so no
//! 4 KiB compressed case).
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use itsdangerous::{
    IntoTimestampSigner, Signer, TimedSerializer, TimestampSigner, default_builder,
};
use serde_json::Value;
use tamperproof_bench_compare::{KEY, reset, small};

#[path = "shared/discord.rs"]
mod discord;

const SIZES: [usize; 3] = [16, 100, 4096];

fn signer(c: &mut Criterion) {
    let signer = default_builder(KEY).build();
    let mut group = c.benchmark_group("discord/signer");
    for size in SIZES {
        let value = "x".repeat(size);
        let token = signer.sign(&value);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("sign", size), &value, |b, value| {
            b.iter(|| signer.sign(black_box(value)));
        });
        group.bench_with_input(BenchmarkId::new("unsign", size), &token, |b, token| {
            b.iter(|| signer.unsign(black_box(token)).is_ok());
        });
    }
    group.finish();
}

fn timestamp(c: &mut Criterion) {
    let signer = default_builder(KEY).build().into_timestamp_signer();
    let mut group = c.benchmark_group("discord/timestamp");
    let max_age = Duration::from_secs(3600);
    for size in SIZES {
        let value = "x".repeat(size);
        let token = signer.sign(&value);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("sign", size), &value, |b, value| {
            b.iter(|| signer.sign(black_box(value)));
        });
        group.bench_with_input(
            BenchmarkId::new("unsign_max_age", size),
            &token,
            |b, token| {
                b.iter(|| {
                    signer
                        .unsign(black_box(token))
                        .ok()
                        .and_then(|v| v.value_if_not_expired(max_age).ok())
                        .is_some()
                });
            },
        );
    }
    group.finish();
}

fn url_safe_timed(c: &mut Criterion) {
    let serializer = discord::url_safe_timed();
    let max_age = Duration::from_secs(3600);
    let mut group = c.benchmark_group("discord/url_safe_timed");
    for (name, value) in [("small", small()), ("reset", reset())] {
        let token = serializer.sign(&value).expect("sign");
        group.bench_function(format!("dumps/{name}"), |b| {
            b.iter(|| serializer.sign(black_box(&value)));
        });
        group.bench_function(format!("loads_max_age/{name}"), |b| {
            b.iter(|| {
                serializer
                    .unsign::<Value>(black_box(&token))
                    .ok()
                    .and_then(|v| v.value_if_not_expired(max_age).ok())
            });
        });
    }
    group.finish();
}

fn benches(c: &mut Criterion) {
    signer(c);
    timestamp(c);
    url_safe_timed(c);
}

criterion_group!(compare_benches, benches);
criterion_main!(compare_benches);
