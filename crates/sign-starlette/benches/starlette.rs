//! Starlette session cookies: loading a session (what `SessionMiddleware` does per request,
//! with its default `max_age`) and writing it. `cargo xtask bench-compare` times the same
//! operations in Starlette 1.10 with itsdangerous 2.2.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_starlette::StarletteSessions;

#[path = "../../../benches/compare/src/starlette.rs"]
// Shared with the allocation and profiling benches, where these items are public.
#[allow(unreachable_pub)]
mod fixtures;

use fixtures::{STARLETTE_KEY, session};

fn benches(c: &mut Criterion) {
    let sessions = StarletteSessions::new(STARLETTE_KEY).expect("sessions");
    let session = session();
    let cookie = sessions.dumps(&session).expect("dumps");
    let mut group = c.benchmark_group("starlette");
    group.bench_function("session/loads", |b| {
        b.iter(|| sessions.loads(black_box(&cookie)));
    });
    group.bench_function("session/dumps", |b| {
        b.iter(|| sessions.dumps(black_box(&session)));
    });
    group.finish();
}

criterion_group!(starlette_benches, benches);
criterion_main!(starlette_benches);
