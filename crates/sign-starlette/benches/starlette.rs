//! Starlette session cookies: loading a session (what `SessionMiddleware` does per request)
//! and writing it.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_starlette::{Session, StarletteSessions};

fn session() -> Session {
    let mut session = Session::new();
    session.insert("user_id".into(), 42.into());
    session.insert("csrf_token".into(), "fedcba9876543210".repeat(2).into());
    session.insert("flash".into(), python_json::json!(["saved", "Jos\u{e9}"]));
    session
}

fn benches(c: &mut Criterion) {
    let sessions = StarletteSessions::new("starlette-secret-key").expect("sessions");
    let session = session();
    let cookie = sessions.dumps(&session).expect("dumps");
    let mut group = c.benchmark_group("starlette");
    group.bench_function("loads/session", |b| {
        b.iter(|| sessions.loads(black_box(&cookie)));
    });
    group.bench_function("dumps/session", |b| {
        b.iter(|| sessions.dumps(black_box(&session)));
    });
    group.finish();
}

criterion_group!(starlette_benches, benches);
criterion_main!(starlette_benches);
