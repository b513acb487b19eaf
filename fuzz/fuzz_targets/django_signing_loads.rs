//! Django's `signing.loads` and the `signed_cookies` session backend on arbitrary bytes, and
//! behind the MAC: the input's payload part signed with the fixed key must load or be a
//! `BadPayload` (base64, bounded zlib, latin-1 JSON). Any string session round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::FixedClock;
use sign_django::{DjangoSessions, session_builder};
use tamperproof_fuzz::{KEY, NOW, assert_session_round_trip, check_session_serializer};

fuzz_target!(|data: &[u8]| {
    let Ok(serializer) = session_builder().key(KEY).clock(FixedClock(NOW)).build() else {
        unreachable!("the session serializer builds");
    };
    check_session_serializer(&serializer, data, 1_209_600, true);
    let Ok(sessions) = DjangoSessions::from_serializer(serializer) else {
        unreachable!("the session store builds");
    };
    assert_session_round_trip(
        data,
        |session| sessions.dumps_at(session, NOW),
        |cookie| sessions.loads(cookie),
    );
});
