//! Starlette's `SessionMiddleware` cookie on arbitrary bytes, and behind the MAC (standard
//! base64 of Python JSON). No panic; only our own signatures verify; any session round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::FixedClock;
use sign_starlette::{StarletteSessions, session_builder};
use tamperproof_fuzz::{KEY, NOW, assert_session_round_trip, check_session_serializer};

fuzz_target!(|data: &[u8]| {
    let Ok(serializer) = session_builder().key(KEY).clock(FixedClock(NOW)).build() else {
        unreachable!("the session serializer builds");
    };
    check_session_serializer(&serializer, data, 1_209_600, false);
    let sessions = StarletteSessions::from_serializer(serializer);
    assert_session_round_trip(
        data,
        |session| sessions.dumps_at(session, NOW),
        |cookie| sessions.loads(cookie),
    );
});
