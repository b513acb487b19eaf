//! The axum layer's `Cookie` request-header parsing (`CookieSettings::find_in`, which picks
//! the session cookie) on arbitrary header lines, then the Flask format's `open` on what it
//! picks, under a fixed key. No panic; what it picks is a piece of one header line; random
//! input never opens as a session; a genuine session cookie in the first line is always the
//! one picked, whatever the other lines hold.
#![no_main]

use http::header::{COOKIE, HeaderMap, HeaderValue};
use libfuzzer_sys::fuzz_target;
use sign_core::FixedClock;
use tamperproof_axum::{Flask, SessionFormat, SessionMap, SessionValue};
use tamperproof_fuzz::{KEY, NOW};

/// Each line of the input (split at `\n`) that is a valid header value, as one `Cookie`
/// header, in order.
fn cookie_lines(data: &[u8]) -> Vec<HeaderValue> {
    data.split(|&b| b == b'\n')
        .filter_map(|line| HeaderValue::from_bytes(line).ok())
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(flask) = Flask::config()
        .secret_key(KEY)
        .clock(FixedClock(NOW))
        .build()
    else {
        unreachable!("the Flask format builds");
    };
    let lines = cookie_lines(data);
    let mut headers = HeaderMap::new();
    for line in &lines {
        headers.append(COOKIE, line.clone());
    }
    if let Some(value) = flask.cookie().find_in(&headers) {
        assert!(
            !value.contains(';'),
            "the picked value spans cookies: {value:?}"
        );
        assert!(
            lines
                .iter()
                .filter_map(|line| line.to_str().ok())
                .any(|line| line.contains(value)),
            "the picked value {value:?} is in no header line"
        );
        if let Ok(opened) = flask.open(value) {
            panic!("random input opened as a session: {value:?} -> {opened:?}");
        }
    }

    // A genuine cookie in the first `Cookie` header wins over anything after it.
    let mut session = SessionMap::new();
    session.insert("user".to_owned(), SessionValue::String("alice".to_owned()));
    let Ok(genuine) = flask.save(&session) else {
        unreachable!("a string session signs");
    };
    let Ok(first) = HeaderValue::from_str(&format!("session={genuine}")) else {
        unreachable!("a signed cookie is a valid header value");
    };
    let mut headers = HeaderMap::new();
    headers.append(COOKIE, first);
    for line in lines {
        headers.append(COOKIE, line);
    }
    assert_eq!(
        flask.cookie().find_in(&headers),
        Some(genuine.as_str()),
        "the first session cookie was not the one picked"
    );
    match flask.open(&genuine) {
        Ok(opened) => assert_eq!(opened.session, session, "the session changed"),
        Err(error) => unreachable!("a genuine cookie failed to open: {error:?}"),
    }
});
