//! Django signed-cookie sessions: loading a logged-in session (what the session middleware
//! does per request) and writing it.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_django::{DjangoSessions, Session};

/// A session as `django.contrib.auth.login` leaves it, plus a CSRF-style token.
fn session() -> Session {
    let mut session = Session::new();
    session.insert("_auth_user_id".into(), "42".into());
    session.insert(
        "_auth_user_backend".into(),
        "django.contrib.auth.backends.ModelBackend".into(),
    );
    session.insert(
        "_auth_user_hash".into(),
        "0123456789abcdef".repeat(4).into(),
    );
    session
}

fn benches(c: &mut Criterion) {
    let sessions = DjangoSessions::new(["django-insecure-secret-key"]).expect("sessions");
    let session = session();
    let cookie = sessions.dumps(&session).expect("dumps");
    let mut group = c.benchmark_group("django");
    group.bench_function("loads/session", |b| {
        b.iter(|| sessions.loads(black_box(&cookie)));
    });
    group.bench_function("dumps/session", |b| {
        b.iter(|| sessions.dumps(black_box(&session)));
    });
    group.finish();
}

criterion_group!(django_benches, benches);
criterion_main!(django_benches);
