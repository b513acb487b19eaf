//! Django's `get_signed_cookie` (v2 salt, then the legacy salt) on arbitrary text. No panic;
//! every error is a signing error or `BadPayload`; any value round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::FixedClock;
use sign_django::SignedCookie;
use tamperproof_fuzz::{KEY, NOW, max_age};

fuzz_target!(|data: &[u8]| {
    let Ok(cookie) = SignedCookie::new([KEY], "sessionid", "salt") else {
        unreachable!("the cookie signer builds");
    };
    let cookie = cookie.with_clock(FixedClock(NOW));
    let text = String::from_utf8_lossy(data);
    if let Err(error) = cookie.unsign(&text, Some(max_age())) {
        assert!(
            error.is_bad_signature() || error.is_expired() || error.is_bad_payload(),
            "unexpected error class {error:?}"
        );
    }
    let signed = cookie.sign_at(&text, NOW);
    match cookie.unsign(&signed, Some(max_age())) {
        Ok(back) => assert_eq!(back, text, "round trip changed the value"),
        Err(error) => unreachable!("round trip failed: {error:?}"),
    }
});
