//! Starlette's `max_age` is the engine's default maximum age of the session serializer.
#![allow(clippy::unwrap_used)]

use sign_core::{ErrorKind, FixedClock, MaxAge};
use sign_starlette::{DEFAULT_MAX_AGE, Session, StarletteSessions, session_builder};

const T0: u64 = 1_700_000_000;

type Builder =
    sign_serde::SerializerBuilder<sign_starlette::StandardBase64Codec, sign_core::TimestampSigner>;

fn session() -> Session {
    let mut session = Session::new();
    session.insert("user".into(), 42.into());
    session
}

fn cookie() -> String {
    StarletteSessions::new("k")
        .unwrap()
        .dumps_at(&session(), T0)
        .unwrap()
}

fn at(now: u64) -> Builder {
    session_builder().key("k").clock(FixedClock(now))
}

fn sessions(builder: Builder) -> StarletteSessions {
    StarletteSessions::from_serializer(builder.build().unwrap())
}

#[test]
fn fourteen_days_by_default() {
    assert_eq!(
        sessions(at(T0)).serializer().max_age(),
        Some(MaxAge::from(DEFAULT_MAX_AGE))
    );
    assert_eq!(
        sessions(at(T0 + DEFAULT_MAX_AGE)).loads(&cookie()).unwrap(),
        session()
    );
    let err = sessions(at(T0 + DEFAULT_MAX_AGE + 1))
        .loads(&cookie())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
    // itsdangerous' timestamps: from the future is rejected whenever there is a max_age.
    let err = sessions(at(T0 - 1)).loads(&cookie()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::SignatureExpired);
}

#[test]
fn another_age_or_none() {
    assert!(
        sessions(at(T0 + 60).max_age(60_u64))
            .loads(&cookie())
            .is_ok()
    );
    assert_eq!(
        sessions(at(T0 + 61).max_age(60_u64))
            .loads(&cookie())
            .unwrap_err()
            .kind(),
        ErrorKind::SignatureExpired
    );
    // Starlette's max_age=None: any age, and a time in the future too.
    let forever = sessions(at(T0 + 100 * DEFAULT_MAX_AGE).no_max_age());
    assert_eq!(forever.serializer().max_age(), None);
    assert!(forever.loads(&cookie()).is_ok());
    assert!(sessions(at(T0 - 1).no_max_age()).loads(&cookie()).is_ok());
}
