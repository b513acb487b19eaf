//! `SESSION_COOKIE_AGE` is the engine's default maximum age of the session serializer.
#![allow(clippy::unwrap_used)]

use sign_core::{ErrorKind, FixedClock, MaxAge};
use sign_django::{DjangoSessions, SESSION_COOKIE_AGE, Session, session_builder, signing_builder};

const T0: u64 = 1_700_000_000;

fn session() -> Session {
    let mut session = Session::new();
    session.insert("_auth_user_id".into(), "1".into());
    session
}

fn cookie() -> String {
    DjangoSessions::new(["k"])
        .unwrap()
        .dumps_at(&session(), T0)
        .unwrap()
}

fn at(now: u64) -> DjangoSessions {
    DjangoSessions::from_serializer(
        session_builder()
            .key("k")
            .clock(FixedClock(now))
            .build()
            .unwrap(),
    )
    .unwrap()
}

#[test]
fn session_cookie_age_by_default() {
    assert_eq!(
        at(T0).serializer().max_age(),
        Some(MaxAge::from(SESSION_COOKIE_AGE))
    );
    assert_eq!(
        at(T0 + SESSION_COOKIE_AGE).loads(&cookie()).unwrap(),
        session()
    );
    let err = at(T0 + SESSION_COOKIE_AGE + 1)
        .loads(&cookie())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    // Django's timestamps: a cookie from the future is not expired.
    assert!(at(T0 - 100).loads(&cookie()).is_ok());
}

#[test]
fn the_builder_sets_another_age() {
    let short = |now| {
        DjangoSessions::from_serializer(
            session_builder()
                .key("k")
                .max_age(60_u64)
                .clock(FixedClock(now))
                .build()
                .unwrap(),
        )
        .unwrap()
    };
    assert!(short(T0 + 60).loads(&cookie()).is_ok());
    assert_eq!(
        short(T0 + 61).loads(&cookie()).unwrap_err().kind(),
        ErrorKind::SignatureExpired
    );
}

#[test]
fn a_serializer_without_a_default_still_gets_session_cookie_age() {
    let serializer = |now| {
        signing_builder(true)
            .key("k")
            .clock(FixedClock(now))
            .build()
            .unwrap()
    };
    assert_eq!(serializer(T0).max_age(), None);
    let token = serializer(T0).dumps_at(&session(), T0).unwrap();
    let sessions =
        DjangoSessions::from_serializer(serializer(T0 + SESSION_COOKIE_AGE + 1)).unwrap();
    assert_eq!(
        sessions.loads(&token).unwrap_err().kind(),
        ErrorKind::SignatureExpired
    );
}
