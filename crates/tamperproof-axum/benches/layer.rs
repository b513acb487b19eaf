//! The layer's cost per request (find the cookie, verify and decode it, hand it to the
//! handler, sign the changed session, write `Set-Cookie` and `Vary`) against the bare
//! `loads` + `dumps` that any hand-written glue needs anyway. Target: at most 1.2x.
//!
//! `cargo bench -p tamperproof-axum --bench layer -- --warm-up-time 1 --measurement-time 3`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use axum_core::extract::FromRequestParts;
use criterion::{Criterion, criterion_group, criterion_main};
use http::{Request, Response, header};
use sign_core::FixedClock;
use sign_flask::{Session as FlaskSession, SessionValue, session_builder};
use tamperproof_axum::{FlaskConfig, Session};
use tower::{Service, ServiceExt, service_fn};

const KEY: &str = "bench-secret-key";
const NOW: u64 = 1_764_576_000;

/// Every future here is ready at once; poll it once.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("no future here waits"),
    }
}

fn cookie() -> String {
    let session = FlaskSession::from([
        ("_permanent".to_owned(), SessionValue::Bool(false)),
        ("user".to_owned(), "alice".into()),
        ("theme".to_owned(), "dark".into()),
        ("visits".to_owned(), 41.into()),
    ]);
    session_builder()
        .key(KEY)
        .clock(FixedClock(NOW))
        .build()
        .unwrap()
        .dumps(&session)
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let cookie = cookie();
    let mut group = c.benchmark_group("flask_session_per_request");

    // Bare: what the handler does with a serializer and no layer.
    let sessions = session_builder()
        .key(KEY)
        .clock(FixedClock(NOW))
        .build()
        .unwrap();
    group.bench_function("bare_loads_dumps", |b| {
        b.iter(|| {
            let mut session: FlaskSession = sessions.loads(black_box(&cookie)).unwrap();
            let visits = session
                .get("visits")
                .and_then(SessionValue::as_i64)
                .unwrap();
            session.insert("visits".to_owned(), (visits + 1).into());
            black_box(sessions.dumps(&session).unwrap())
        });
    });

    // The layer: request with a Cookie header in, response with Set-Cookie out.
    let layer = FlaskConfig::new()
        .secret_key(KEY)
        .clock(FixedClock(NOW))
        .layer()
        .unwrap();
    let handler = service_fn(|request: Request<()>| async move {
        let (mut parts, ()) = request.into_parts();
        let session: Session = Session::from_request_parts(&mut parts, &()).await.unwrap();
        let visits: i64 = session.get("visits").unwrap().unwrap();
        session.insert("visits", &(visits + 1)).unwrap();
        Ok::<_, std::convert::Infallible>(Response::new(String::new()))
    });
    let mut service = tower::Layer::layer(&layer, handler);
    let header_value = format!("other=1; session={cookie}");
    group.bench_function("layer_extract_reissue", |b| {
        b.iter(|| {
            let request = Request::builder()
                .header(header::COOKIE, black_box(header_value.as_str()))
                .body(())
                .unwrap();
            let response = now(async {
                service.ready().await.unwrap();
                service.call(request).await.unwrap()
            });
            assert!(response.headers().contains_key(header::SET_COOKIE));
            black_box(response)
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
