//! Django's `TimestampSigner::unsign(max_age=)` on arbitrary bytes (the entry point of
//! signed cookies too). No panic; only our own signatures verify; every error is a
//! `BadSignature`, `SignatureExpired` or (valid signature, bad base62 time) `BadPayload`;
//! any input signs and verifies back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sign_core::FixedClock;
use sign_django::{Django, DjangoTimestampSigner, build_signer, timestamp_signer_builder};
use tamperproof_fuzz::{KEY, NOW, assert_signature_part, max_age};

fuzz_target!(|data: &[u8]| {
    let Ok(signer) = build_signer(&timestamp_signer_builder().key(KEY)) else {
        unreachable!("Django's signer builds");
    };
    let timed = DjangoTimestampSigner::from_signer_with_format(signer.clone(), Django)
        .with_clock(FixedClock(NOW));
    match timed.unsign_with_timestamp(data, Some(max_age())) {
        Ok(_) => assert_signature_part(&signer, data),
        Err(error) => assert!(
            error.is_bad_signature() || error.is_expired() || error.is_bad_payload(),
            "unexpected error class {error:?}"
        ),
    }
    let token = timed.sign_at(data, NOW);
    match timed.unsign_with_timestamp(&token, Some(max_age())) {
        Ok(verified) => {
            assert_eq!(verified.value, data, "round trip changed the value");
            assert_eq!(verified.timestamp, NOW, "round trip changed the time");
        }
        Err(error) => unreachable!("round trip failed: {error:?}"),
    }
});
