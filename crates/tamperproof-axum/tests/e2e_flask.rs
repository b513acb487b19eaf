//! End-to-end over real HTTP on 127.0.0.1: real Flask 3.1.3 apps (tests/fixtures/flask_apps.py,
//! run by the workspace venv's Python) and an axum service with this crate share one session
//! cookie. A small blocking HTTP/1.1 client with a cookie jar plays the browser
//! (tests/support).
//!
//! Without Python and Flask the test FAILS with the set-up steps, unless
//! `TAMPERPROOF_NO_PYTHON=1` is set. Run with `--nocapture` to see what each side saw.
// Test code: failing loudly on a broken fixture is the point, and printing is the report.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::indexing_slicing
)]

mod support;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;
use sign_core::FixedClock;
use sign_flask::{Session as FlaskSession, session_builder, session_serializer};
use support::{
    Browser, PythonApps, assert_same_attributes, axum_app, get_raw, http_date_secs, now,
    parse_set_cookie, serve,
};
use tamperproof_axum::{FlaskConfig, RejectionKind, SameSite, SessionEvent};

#[test]
fn flask_and_axum_share_one_session() {
    let flask_config = json!([
        // 0: the main app, with non-default attributes to compare.
        {"SECRET_KEY": "e2e-secret", "SESSION_COOKIE_SAMESITE": "Lax",
         "SESSION_COOKIE_SECURE": true, "SESSION_COOKIE_PARTITIONED": true,
         "SESSION_COOKIE_DOMAIN": "127.0.0.1", "PERMANENT_SESSION_LIFETIME": 3600},
        // 1: the same app after a key rotation.
        {"SECRET_KEY": "e2e-new-secret", "SECRET_KEY_FALLBACKS": ["e2e-secret"],
         "SESSION_COOKIE_SAMESITE": "Lax", "SESSION_COOKIE_SECURE": true,
         "SESSION_COOKIE_PARTITIONED": true, "SESSION_COOKIE_DOMAIN": "127.0.0.1",
         "PERMANENT_SESSION_LIFETIME": 3600},
    ]);
    let Some(flask) = PythonApps::start("main", "flask_apps.py", &flask_config) else {
        return;
    };
    let config = |key: &str| {
        FlaskConfig::new()
            .secret_key(key)
            .session_cookie_samesite(Some(SameSite::Lax))
            .session_cookie_secure(true)
            .session_cookie_partitioned(true)
            .session_cookie_domain("127.0.0.1")
            .permanent_session_lifetime(Duration::from_secs(3600))
    };
    let events: Arc<Mutex<Vec<SessionEvent>>> = Arc::default();
    let seen = Arc::clone(&events);
    let axum_main = serve(axum_app(
        config("e2e-secret")
            .layer()
            .unwrap()
            .on_event(move |e| seen.lock().unwrap().push(e.clone())),
        true,
    ));
    let rotated_events: Arc<Mutex<Vec<SessionEvent>>> = Arc::default();
    let seen = Arc::clone(&rotated_events);
    let axum_rotated = serve(axum_app(
        config("e2e-new-secret")
            .secret_key_fallbacks(["e2e-secret"])
            .layer()
            .unwrap()
            .on_event(move |e| seen.lock().unwrap().push(e.clone())),
        true,
    ));
    let flask_main = flask.addr(0);
    let flask_rotated = flask.addr(1);
    println!("Flask on {flask_main} and {flask_rotated}; axum on {axum_main} and {axum_rotated}");

    println!("\n== log in on Flask, read the user on axum");
    let mut browser = Browser::default();
    let login = browser.get("flask", flask_main, "/login?user=alice");
    let flask_login_cookie = login.set_cookies()[0].to_owned();
    let who = browser.get("axum", axum_main, "/whoami");
    assert_eq!(
        who.json()["session"],
        json!({"_permanent": false, "user": "alice"})
    );
    assert_eq!(who.json()["source"], "Cookie");
    assert_eq!(who.header("vary"), Some("Cookie"));

    println!("\n== change the session on axum, see it on Flask");
    let set = browser.get("axum", axum_main, "/set?key=theme&value=dark");
    assert_eq!(set.set_cookies().len(), 1);
    let who = browser.get("flask", flask_main, "/whoami");
    assert_eq!(
        who.json(),
        json!({"_permanent": false, "theme": "dark", "user": "alice"})
    );

    println!("\n== an untouched, non-permanent session: neither side writes or varies");
    let f = browser.get("flask", flask_main, "/untouched");
    let a = browser.get("axum", axum_main, "/untouched");
    assert!(f.set_cookies().is_empty() && a.set_cookies().is_empty());
    assert_eq!((f.header("vary"), a.header("vary")), (None, None));

    println!("\n== Set-Cookie of a login, field by field");
    let mut fresh = Browser::default();
    let axum_login = fresh.get("axum", axum_main, "/login?user=alice");
    assert_same_attributes(&flask_login_cookie, axum_login.set_cookies()[0]);

    println!("\n== permanent sessions: Expires, and refresh on an untouched request");
    let mut flask_browser = Browser::default();
    let mut axum_browser = Browser::default();
    let f = flask_browser.get("flask", flask_main, "/login?user=bob&permanent=1");
    let a = axum_browser.get("axum", axum_main, "/login?user=bob&permanent=1");
    assert_same_attributes(f.set_cookies()[0], a.set_cookies()[0]);
    let expires = parse_set_cookie(a.set_cookies()[0])
        .into_iter()
        .find(|(k, _)| k == "Expires")
        .unwrap()
        .1;
    assert!((http_date_secs(&expires) - (now() as i64 + 3600)).abs() <= 2);
    let f = flask_browser.get("flask", flask_main, "/untouched");
    let a = axum_browser.get("axum", axum_main, "/untouched");
    assert_same_attributes(f.set_cookies()[0], a.set_cookies()[0]);
    assert_eq!(f.header("vary"), a.header("vary"));
    // Each side reads the other's permanent cookie.
    let bob_on_flask = get_raw(
        flask_main,
        "/whoami",
        Some(&format!("session={}", axum_browser.cookie("session"))),
    );
    assert_eq!(bob_on_flask.json()["user"], "bob");

    println!("\n== log out on axum: the cookie is deleted, field by field as Flask deletes it");
    let f = flask_browser.get("flask", flask_main, "/logout");
    let a = browser.get("axum", axum_main, "/logout");
    assert_eq!(
        f.set_cookies(),
        a.set_cookies(),
        "identical deletion headers"
    );
    assert!(!browser.jar.contains_key("session"));
    let who = browser.get("flask", flask_main, "/whoami");
    assert_eq!(who.json(), json!({}));

    println!("\n== expired and forged cookies give empty sessions on both");
    let old = session_builder()
        .key("e2e-secret")
        .clock(FixedClock(now() - 7200))
        .build()
        .unwrap()
        .dumps(&FlaskSession::from([("user".to_owned(), "mallory".into())]))
        .unwrap();
    // Change a character inside the signature (not the last one: its spare low bits are
    // ignored by Python's base64, so Flask would still accept that cookie).
    let mut forged = browser_cookie_of(&mut Browser::default(), flask_main).into_bytes();
    let at = forged.len() - 5;
    forged[at] = if forged[at] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let wrong_key = session_serializer("not-the-key")
        .unwrap()
        .dumps(&FlaskSession::from([("user".to_owned(), "mallory".into())]))
        .unwrap();
    for (what, cookie, kind) in [
        ("expired", old, RejectionKind::Expired),
        ("forged", forged, RejectionKind::BadSignature),
        ("wrong key", wrong_key, RejectionKind::BadSignature),
        (
            "malformed",
            "not-a-cookie".to_owned(),
            RejectionKind::BadSignature,
        ),
    ] {
        let header = format!("session={cookie}");
        let f = get_raw(flask_main, "/whoami", Some(&header));
        let a = get_raw(axum_main, "/whoami", Some(&header));
        println!(
            "[both ] {what}: Flask saw {}, axum saw {}",
            f.body.trim(),
            a.body.trim()
        );
        assert_eq!(f.json(), json!({}), "{what} on Flask");
        assert_eq!(a.json()["session"], json!({}), "{what} on axum");
        assert!(f.set_cookies().is_empty() && a.set_cookies().is_empty());
        let last = events.lock().unwrap().last().cloned();
        match last {
            Some(SessionEvent::Rejected(r)) => {
                println!("        axum hook: {r}");
                assert_eq!(r.kind(), kind, "{what}");
            }
            other => panic!("{what}: no rejection event, got {other:?}"),
        }
        assert!(a.json()["source"].as_str().unwrap().starts_with("Rejected"));
    }

    println!("\n== key rotation: a cookie of the old key is accepted and re-issued");
    let mut browser = Browser::default();
    browser.get("flask", flask_main, "/login?user=carol");
    let old_cookie = browser.cookie("session");
    let f = browser.get("flask", flask_rotated, "/whoami");
    assert_eq!(f.json()["user"], "carol", "Flask accepts its fallback key");
    let a = browser.get("axum", axum_rotated, "/whoami");
    assert_eq!(a.json()["session"]["user"], "carol");
    assert_eq!(a.json()["source"], "FallbackKey");
    assert_eq!(
        rotated_events.lock().unwrap().as_slice(),
        [SessionEvent::Reissued]
    );
    let new_cookie = browser.cookie("session");
    assert_ne!(new_cookie, old_cookie, "re-issued");
    let on_old = get_raw(
        flask_main,
        "/whoami",
        Some(&format!("session={new_cookie}")),
    );
    assert_eq!(
        on_old.json(),
        json!({}),
        "the old key does not verify the new cookie"
    );
    let on_new = get_raw(
        flask_rotated,
        "/whoami",
        Some(&format!("session={new_cookie}")),
    );
    assert_eq!(
        on_new.json()["user"],
        "carol",
        "Flask with the new key reads it"
    );
    println!(
        "[flask] new cookie on the old-key app: {}; on the rotated app: {}",
        on_old.body.trim(),
        on_new.body.trim()
    );
    let again = browser.get("axum", axum_rotated, "/whoami");
    assert!(
        again.set_cookies().is_empty(),
        "signed with the current key now"
    );
    assert_eq!(again.json()["source"], "Cookie");

    println!("\n== a validly signed cookie that does not decode: 500 on both");
    let sessions = session_serializer("e2e-secret").unwrap();
    // A string, and a tuple (1, 2), whose tagged form {" t": [1, 2]} is a JSON object.
    for (what, cookie) in [
        ("string", sessions.dumps("not a dict").unwrap()),
        ("tuple", sessions.dumps(&(1, 2)).unwrap()),
    ] {
        let header = format!("session={cookie}");
        let f = get_raw(flask_main, "/whoami", Some(&header));
        let a = get_raw(axum_main, "/whoami", Some(&header));
        println!(
            "[both ] signed {what} {cookie}: Flask {} axum {}",
            f.status, a.status
        );
        assert_eq!((f.status, a.status), (500, 500), "{what}");
        assert!(matches!(
            events.lock().unwrap().last(),
            Some(SessionEvent::Rejected(r)) if r.kind() == RejectionKind::BadPayload
        ));
    }
    drop(flask);
}

/// A fresh login's cookie from Flask.
fn browser_cookie_of(browser: &mut Browser, flask: SocketAddr) -> String {
    browser.get("flask", flask, "/login?user=eve");
    browser.cookie("session")
}
