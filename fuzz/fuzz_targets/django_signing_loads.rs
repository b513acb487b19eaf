//! Django's `signing.loads` and the `signed_cookies` session backend on arbitrary bytes, and
//! behind the MAC: the input's payload part signed with the fixed key must load or be a
//! `BadPayload` (base64, bounded zlib, latin-1 JSON). Any string session round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use python_json::Value;
use sign_core::FixedClock;
use sign_django::{DjangoSessions, Session, session_builder};
use tamperproof_fuzz::{KEY, NOW, assert_signature_part};

fuzz_target!(|data: &[u8]| {
    let Ok(serializer) = session_builder().key(KEY).clock(FixedClock(NOW)).build() else {
        unreachable!("the session serializer builds");
    };
    let Some(primary) = serializer.primary() else {
        unreachable!("a serializer has a primary signer");
    };
    match serializer.loads_max_age::<Value>(data, 1_209_600u64) {
        Ok(_) => assert_signature_part(primary.signer(), data),
        Err(error) => assert!(
            error.is_bad_signature() || error.is_expired() || error.is_bad_payload(),
            "unexpected error class {error:?}"
        ),
    }
    // Behind the MAC: the input as the payload, validly signed.
    let token = primary.sign_at(data, NOW);
    if let Err(error) = serializer.loads_max_age::<Value>(&token, 1_209_600u64) {
        assert!(
            error.is_bad_payload(),
            "a validly signed token failed with {error:?}"
        );
    }
    let Ok(sessions) = DjangoSessions::from_serializer(serializer) else {
        unreachable!("the session store builds");
    };
    let mut session = Session::new();
    session.insert(
        "v".to_owned(),
        Value::String(String::from_utf8_lossy(data).into_owned()),
    );
    let Ok(cookie) = sessions.dumps_at(&session, NOW) else {
        unreachable!("a string session serializes");
    };
    match sessions.loads(&cookie) {
        Ok(back) => assert_eq!(back, session, "round trip changed the session"),
        Err(error) => unreachable!("round trip failed: {error:?}"),
    }
});
