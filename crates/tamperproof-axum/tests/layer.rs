//! The layer's rules without Python: the Flask behaviour itself is checked over HTTP in
//! `e2e_flask.rs`; these pin the edges (what Flask marks modified, `Vary` merging, the hook,
//! re-issuing, typed sessions, a missing layer).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::response::IntoResponse;
use axum::routing::get;
use http::{HeaderValue, Request, Response, StatusCode, header};
use serde::{Deserialize, Serialize};
use sign_core::FixedClock;
use sign_flask::{Session as FlaskSession, session_builder};
use tamperproof_axum::{FlaskConfig, Session, SessionEvent, SessionSource};
use tower::ServiceExt;

const KEY: &str = "unit-secret";
const NOW: u64 = 1_764_576_000;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct User {
    user: String,
    visits: u32,
}

fn config() -> FlaskConfig {
    FlaskConfig::new().secret_key(KEY).clock(FixedClock(NOW))
}

fn flask_cookie(key: &str, session: &FlaskSession) -> String {
    let cookie = session_builder()
        .key(key)
        .clock(FixedClock(NOW))
        .build()
        .unwrap()
        .dumps(session)
        .unwrap();
    format!("session={cookie}")
}

fn alice() -> FlaskSession {
    FlaskSession::from([
        ("user".to_owned(), "alice".into()),
        ("visits".to_owned(), 1.into()),
    ])
}

fn app(layer: tamperproof_axum::SessionLayer<tamperproof_axum::Flask>) -> Router {
    Router::new()
        .route(
            "/remove",
            get(|s: Session| async move {
                s.remove("absent");
                "ok"
            }),
        )
        .route(
            "/clear",
            get(|s: Session| async move {
                s.clear();
                "ok"
            }),
        )
        .route(
            "/read",
            get(|s: Session| async move { format!("{:?}", s.get::<String>("user").unwrap()) }),
        )
        .route(
            "/typed",
            get(|s: Session| async move {
                let mut user: User = s.load().unwrap();
                user.visits += 1;
                s.store(&user).unwrap();
                user.visits.to_string()
            }),
        )
        .route(
            "/vary",
            get(|s: Session| async move {
                s.insert("x", &1).unwrap();
                ([(header::VARY, "Accept-Encoding")], "ok").into_response()
            }),
        )
        .route("/untouched", get(|| async { "ok" }))
        .layer(layer)
}

async fn call(app: &Router, path: &str, cookie: Option<&str>) -> Response<Body> {
    let mut request = Request::get(path).body(Body::empty()).unwrap();
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert(header::COOKIE, HeaderValue::from_str(cookie).unwrap());
    }
    app.clone().oneshot(request).await.unwrap()
}

fn all(response: &Response<Body>, name: header::HeaderName) -> Vec<&str> {
    response
        .headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

fn set_cookies(response: &Response<Body>) -> Vec<&str> {
    all(response, header::SET_COOKIE)
}

fn vary(response: &Response<Body>) -> Vec<&str> {
    all(response, header::VARY)
}

#[tokio::test]
async fn what_counts_as_modified() {
    let app = app(config().layer().unwrap());
    // pop(key, None) of an absent key changes nothing: no cookie written or deleted.
    let r = call(&app, "/remove", None).await;
    assert!(set_cookies(&r).is_empty());
    assert_eq!(vary(&r), ["Cookie"]);
    // clear() always counts, even on an empty session: the cookie is deleted.
    let r = call(&app, "/clear", None).await;
    assert_eq!(
        set_cookies(&r),
        ["session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/"]
    );
    // Not touched: nothing at all.
    let r = call(&app, "/untouched", Some(&flask_cookie(KEY, &alice()))).await;
    assert!(set_cookies(&r).is_empty() && vary(&r).is_empty());
}

#[tokio::test]
async fn typed_sessions_round_trip() {
    let app = app(config().layer().unwrap());
    let r = call(&app, "/typed", Some(&flask_cookie(KEY, &alice()))).await;
    let expected = flask_cookie(
        KEY,
        &FlaskSession::from([
            ("user".to_owned(), "alice".into()),
            ("visits".to_owned(), 2.into()),
        ]),
    );
    assert_eq!(
        set_cookies(&r),
        [format!("{expected}; HttpOnly; Path=/").as_str()]
    );
}

#[tokio::test]
async fn vary_joins_the_handlers_own() {
    let app = app(config().layer().unwrap());
    let r = call(&app, "/vary", None).await;
    assert_eq!(vary(&r), ["Accept-Encoding", "Cookie"]);
}

#[tokio::test]
async fn fallback_cookies_are_reissued_unless_turned_off() {
    let old = flask_cookie("old-key", &alice());
    let events: Arc<Mutex<Vec<SessionEvent>>> = Arc::default();
    let seen = Arc::clone(&events);
    let rotating = config()
        .secret_key_fallbacks(["old-key"])
        .layer()
        .unwrap()
        .on_event(move |e| seen.lock().unwrap().push(e.clone()));
    let r = call(&app(rotating.clone()), "/read", Some(&old)).await;
    let fresh = flask_cookie(KEY, &alice());
    assert_eq!(
        set_cookies(&r),
        [format!("{fresh}; HttpOnly; Path=/").as_str()]
    );
    assert_eq!(events.lock().unwrap().as_slice(), [SessionEvent::Reissued]);

    // An empty session signed with a fallback key: nothing to re-issue, nothing deleted.
    let empty = flask_cookie("old-key", &FlaskSession::new());
    let r = call(&app(rotating.clone()), "/read", Some(&empty)).await;
    assert!(set_cookies(&r).is_empty());
    assert_eq!(events.lock().unwrap().len(), 1, "no second Reissued");

    let keeping = rotating.reissue_fallback_cookies(false);
    let r = call(&app(keeping), "/read", Some(&old)).await;
    assert!(set_cookies(&r).is_empty());
    assert_eq!(
        axum::body::to_bytes(r.into_body(), 100).await.unwrap(),
        "Some(\"alice\")"
    );
}

#[tokio::test]
async fn the_handler_sees_why_a_session_is_empty() {
    let layer = config().layer().unwrap();
    let app = Router::new()
        .route(
            "/",
            get(|s: Session| async move { format!("{:?}", s.source()) }),
        )
        .layer(layer);
    let body =
        |r: Response<Body>| async { axum::body::to_bytes(r.into_body(), 1000).await.unwrap() };
    assert_eq!(
        body(call(&app, "/", None).await).await,
        format!("{:?}", SessionSource::NoCookie)
    );
    let forged = flask_cookie("someone-else", &alice());
    let text = body(call(&app, "/", Some(&forged)).await).await;
    assert!(
        text.starts_with(b"Rejected(Rejection { kind: BadSignature"),
        "{text:?}"
    );
}

#[tokio::test]
async fn without_the_layer_the_extractor_answers_500() {
    let app: Router = Router::new().route("/", get(|_s: Session| async { "never" }));
    let r = call(&app, "/", None).await;
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[test]
fn settings_that_cannot_be_sent_are_refused() {
    assert!(FlaskConfig::new().layer().is_err(), "no SECRET_KEY");
    assert!(
        FlaskConfig::new().secret_key("").layer().is_err(),
        "empty SECRET_KEY"
    );
    assert!(config().session_cookie_name("a;b").layer().is_err());
    assert!(config().session_cookie_path("/a b").layer().is_err());
    assert!(config().session_cookie_domain("a.com;x").layer().is_err());
}

#[test]
fn keys_never_show_in_debug_output() {
    let config = config().secret_key_fallbacks(["old-fallback-key"]);
    let shown = format!("{config:?}");
    assert!(
        !shown.contains(KEY) && !shown.contains("old-fallback-key"),
        "{shown}"
    );
    let layer = config.layer().unwrap();
    let shown = format!("{layer:?}");
    assert!(
        !shown.contains(KEY) && !shown.contains("old-fallback-key"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_absurd_lifetime_does_not_panic() {
    let layer = config()
        .permanent_session_lifetime(std::time::Duration::MAX)
        .layer()
        .unwrap();
    let app = Router::new()
        .route(
            "/",
            get(|s: Session| async move {
                s.set_permanent(true);
                "ok"
            }),
        )
        .layer(layer);
    let r = call(&app, "/", None).await;
    // No Expires can be written that far out: the cookie is still set, without one.
    assert_eq!(set_cookies(&r).len(), 1);
    assert!(!set_cookies(&r)[0].contains("Expires"));
}

/// `Set-Cookie` without its value, for comparing attributes.
fn attributes(set_cookie: &str) -> &str {
    set_cookie.split_once(';').map_or("", |(_, rest)| rest)
}

/// Attribute variants the end-to-end tests do not reach, as Django 5.2.19 and Starlette
/// 1.10.0 wrote them (SESSION_COOKIE_DOMAIN="example.com", SESSION_COOKIE_PATH="/app",
/// SESSION_COOKIE_SECURE=True, SESSION_COOKIE_SAMESITE=False,
/// SESSION_EXPIRE_AT_BROWSER_CLOSE=True; SessionMiddleware(domain="example.com",
/// https_only=True, same_site="strict", path="/app", max_age=None)).
#[tokio::test]
async fn browser_session_cookies_of_django_and_starlette() {
    let set_and_clear = |router: Router| async move {
        let set = call(&router, "/set", None).await;
        let cookie = set_cookies(&set)[0].split(';').next().unwrap().to_owned();
        let cleared = call(&router, "/clear", Some(&cookie)).await;
        (
            attributes(set_cookies(&set)[0]).to_owned(),
            set_cookies(&cleared)[0].to_owned(),
        )
    };
    fn routes<F: tamperproof_axum::SessionFormat>(
        layer: tamperproof_axum::SessionLayer<F>,
    ) -> Router {
        Router::new()
            .route(
                "/set",
                get(|s: Session<F>| async move {
                    s.insert("a", &1).unwrap();
                    "ok"
                }),
            )
            .route(
                "/clear",
                get(|s: Session<F>| async move {
                    s.clear();
                    "ok"
                }),
            )
            .layer(layer)
    }
    let django = tamperproof_axum::DjangoConfig::new()
        .secret_key(KEY)
        .session_cookie_domain("example.com")
        .session_cookie_path("/app")
        .session_cookie_secure(true)
        .session_cookie_samesite(None)
        .session_expire_at_browser_close(true)
        .layer()
        .unwrap();
    let (set, cleared) = set_and_clear(routes(django)).await;
    assert_eq!(set, " Domain=example.com; HttpOnly; Path=/app; Secure");
    assert_eq!(
        cleared,
        "sessionid=\"\"; Domain=example.com; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/app"
    );
    let starlette = tamperproof_axum::StarletteConfig::new()
        .secret_key(KEY)
        .domain("example.com")
        .https_only(true)
        .same_site(tamperproof_axum::SameSite::Strict)
        .path("/app")
        .max_age(None)
        .layer()
        .unwrap();
    let (set, cleared) = set_and_clear(routes(starlette)).await;
    assert_eq!(
        set,
        " path=/app; httponly; samesite=strict; secure; domain=example.com"
    );
    assert_eq!(
        cleared,
        "session=null; path=/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly; samesite=strict; secure; domain=example.com"
    );
}
