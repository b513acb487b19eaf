//! Flask session cookies: verifying and loading a typical Flask-Login session (what
//! `open_session` does per request), and writing it.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_flask::{Session, SessionSerializer};

/// `{"_fresh": True, "_id": <128 hex>, "_user_id": "42", "csrf_token": <40 hex>}` as
/// Flask-Login and Flask-WTF leave it (`bench.py` has the same one).
fn session() -> Session {
    let mut session = Session::new();
    session.insert("_fresh".into(), true.into());
    session.insert("_id".into(), "0123456789abcdef".repeat(8).into());
    session.insert("_user_id".into(), "42".into());
    session.insert(
        "csrf_token".into(),
        "fedcba9876543210fedcba9876543210fedcba98".into(),
    );
    session
}

fn benches(c: &mut Criterion) {
    let sessions = SessionSerializer::new("secret-key").expect("serializer");
    let session = session();
    let cookie = sessions.dumps(&session).expect("dumps");
    let mut group = c.benchmark_group("flask");
    group.bench_function("verify/session", |b| {
        b.iter(|| sessions.loads::<Session>(black_box(&cookie)));
    });
    group.bench_function("dumps/session", |b| {
        b.iter(|| sessions.dumps(black_box(&session)));
    });
    group.finish();
}

criterion_group!(flask_benches, benches);
criterion_main!(flask_benches);
