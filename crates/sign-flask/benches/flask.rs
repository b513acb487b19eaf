//! Flask session cookies: verifying and loading a typical Flask-Login session (what
//! `open_session` does per request), and writing it; the same with a shopping cart and
//! realistic (random-looking) ids.
// A benchmark's fixed inputs cannot fail to build; if they do, the bench is wrong and stops.
#![allow(clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sign_flask::{Session, SessionValue};

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

/// `session()` with a SHA-512 hex `_id`, a SHA-1 hex `csrf_token` and a two-item cart (the
/// same as `login_cart` in `benches/compare/src/lib.rs` and `bench.py`).
fn login_cart() -> Session {
    let mut session = Session::new();
    session.insert("_fresh".into(), true.into());
    session.insert(
        "_id".into(),
        "a88cae2884ea67e90b3630fc8e8359ca54b68ebb4ac07f255d16cf5064db1194\
         d67feb5ef885e0976751f09981eeca00b7245f252d173f9882f9d3953c37d1b4"
            .into(),
    );
    session.insert("_user_id".into(), "42".into());
    session.insert(
        "csrf_token".into(),
        "51c0ae4e67ece03d97accfc9c90ac2a0e5868131".into(),
    );
    let item = |sku: &str, qty: i64| -> SessionValue {
        Session::from([
            ("sku".to_owned(), sku.into()),
            ("qty".to_owned(), qty.into()),
        ])
        .into()
    };
    session.insert(
        "cart".into(),
        vec![item("BK-1042", 1), item("PEN-0007", 3)].into(),
    );
    session
}

fn benches(c: &mut Criterion) {
    let sessions = sign_flask::session_serializer("secret-key").expect("serializer");
    let mut group = c.benchmark_group("flask");
    for (name, session) in [("session", session()), ("login_cart", login_cart())] {
        let cookie = sessions.dumps(&session).expect("dumps");
        group.bench_function(format!("verify/{name}"), |b| {
            b.iter(|| sessions.loads::<Session>(black_box(&cookie)));
        });
        group.bench_function(format!("dumps/{name}"), |b| {
            b.iter(|| sessions.dumps(black_box(&session)));
        });
    }
    group.finish();
}

criterion_group!(flask_benches, benches);
criterion_main!(flask_benches);
