//! Django: loading a logged-in signed-cookie session (what the session middleware does per
//! request) and writing it; `signing.dumps(value, compress=True)` / `signing.loads(...,
//! max_age=3600)` of a small dict; a signed cookie set and read back with `max_age=3600`.
//! `cargo xtask bench-compare` times the same operations in Django 5.2.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use python_json::Value;
use sign_django::{DjangoSessions, SignedCookie, signing_builder};

#[path = "../../../benches/compare/src/django.rs"]
// Shared with the allocation and profiling benches, where these items are public.
#[allow(unreachable_pub)]
mod fixtures;

use fixtures::{COOKIE_NAME, COOKIE_VALUE, DJANGO_KEY, login_session, small};

const MAX_AGE: u64 = 3600;

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("django");

    let sessions = DjangoSessions::new([DJANGO_KEY]).expect("sessions");
    let session = login_session();
    let cookie = sessions.dumps(&session).expect("dumps");
    group.bench_function("session/loads", |b| {
        b.iter(|| sessions.loads(black_box(&cookie)));
    });
    group.bench_function("session/dumps", |b| {
        b.iter(|| sessions.dumps(black_box(&session)));
    });

    let signing = signing_builder(true)
        .key(DJANGO_KEY)
        .build()
        .expect("serializer");
    let value = small();
    let token = signing.dumps(&value).expect("dumps");
    group.bench_function("signing/dumps/small", |b| {
        b.iter(|| signing.dumps(black_box(&value)));
    });
    group.bench_function("signing/loads_max_age/small", |b| {
        b.iter(|| signing.loads_max_age::<Value>(black_box(&token), MAX_AGE));
    });

    let signed = SignedCookie::new([DJANGO_KEY], COOKIE_NAME, "").expect("cookie signer");
    let cookie = signed.sign(COOKIE_VALUE);
    group.bench_function("cookie/sign", |b| {
        b.iter(|| signed.sign(black_box(COOKIE_VALUE)));
    });
    group.bench_function("cookie/unsign_max_age", |b| {
        b.iter(|| {
            signed
                .unsign(black_box(&cookie), Some(MAX_AGE.into()))
                .is_ok()
        });
    });
    group.finish();
}

criterion_group!(django_benches, benches);
criterion_main!(django_benches);
