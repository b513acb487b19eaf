//! `TimestampSigner::unsign_with_timestamp` on arbitrary bytes, fixed key and clock, with and
//! without a maximum age; and, behind the MAC, the input signed as `value.timestamp` so the
//! timestamp field of validly signed bytes is parsed too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamperproof_fuzz::{MAX_AGE, NOW, max_age, timestamp_signer};

fuzz_target!(|data: &[u8]| {
    let signer = timestamp_signer();
    for limit in [None, Some(max_age())] {
        match signer.unsign_with_timestamp(data, limit) {
            // Verified only if signing its value at its time gives the input back.
            Ok(verified) => {
                assert_eq!(
                    signer.sign_at(verified.value, verified.timestamp),
                    data,
                    "verified a token we would not produce"
                );
                if limit.is_some() {
                    let age = i128::from(NOW) - i128::from(verified.timestamp);
                    assert!((0..=i128::from(MAX_AGE)).contains(&age), "age {age}");
                }
            }
            // An expired token had a valid signature: its time is trustworthy.
            Err(error) if error.is_expired() => {
                assert!(limit.is_some(), "expired without a max age");
                assert!(error.date_signed().is_some());
            }
            Err(error) => assert!(error.is_bad_signature(), "{error:?}"),
        }
    }
    // The input as a value round-trips, now and within the max age.
    let token = signer.sign(data);
    assert_eq!(signer.unsign_max_age(&token, max_age()).ok(), Some(data));
    // Behind the MAC: the input as `value SEP timestamp`, signed by the plain signer, so the
    // timestamp field is parsed from bytes with a valid signature. Never a bad signature:
    // it loads, or its timestamp is missing or malformed, or it is expired.
    let behind = signer.signer().sign(data);
    for limit in [None, Some(max_age())] {
        match signer.unsign_with_timestamp(&behind, limit) {
            // (Not necessarily re-signing to the same bytes: a timestamp with leading zero
            // bytes is valid, as in Python, and re-encodes shorter.)
            Ok(verified) => assert!(
                data.starts_with(verified.value),
                "the verified value is not the signed value"
            ),
            Err(error) => assert!(
                error.is_bad_time_signature(),
                "a validly signed message failed with {error:?}"
            ),
        }
    }
});
