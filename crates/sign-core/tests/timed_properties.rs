//! Property tests for TimestampSigner: round trips at any time, age boundaries, tampering.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use sign_core::{FixedClock, TimestampSigner};

fn signer(now: u64) -> TimestampSigner {
    TimestampSigner::new("secret-key")
        .unwrap()
        .with_clock(FixedClock(now))
}

proptest! {
    #[test]
    fn round_trip_any_timestamp(ts in 0u64..(1 << 40), value in prop::collection::vec(any::<u8>(), 0..100)) {
        let token = signer(ts).sign(&value);
        let verified = signer(ts).unsign_with_timestamp(&token, None).unwrap();
        prop_assert_eq!(verified.value, value.as_slice());
        prop_assert_eq!(verified.timestamp, ts);
    }

    #[test]
    fn age_boundaries(ts in 0u64..(1 << 40), max_age in 0u64..1_000_000) {
        let token = signer(ts).sign("v");
        prop_assert!(signer(ts + max_age).unsign_max_age(&token, max_age).is_ok());
        let err = signer(ts + max_age + 1).unsign_max_age(&token, max_age).unwrap_err();
        prop_assert!(err.is_expired());
    }

    #[test]
    fn future_tokens(ts in 1u64..(1 << 40), ahead in 1u64..1000, max_age in 0u64..1000) {
        let token = signer(ts).sign("v");
        let now = ts.saturating_sub(ahead);
        if now < ts {
            prop_assert!(signer(now).unsign_max_age(&token, max_age).unwrap_err().is_expired());
            prop_assert!(signer(now).unsign(&token).is_ok());
        }
    }

    #[test]
    fn any_single_byte_change_is_rejected(
        ts in 0u64..(1 << 40),
        value in prop::collection::vec(any::<u8>(), 0..40),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let mut token = signer(ts).sign(&value);
        let i = position.index(token.len());
        token[i] ^= flip;
        prop_assert!(signer(ts).unsign(&token).is_err());
    }

    #[test]
    fn never_panics(input in prop::collection::vec(any::<u8>(), 0..200), max_age in any::<i64>()) {
        let s = signer(1_308_874_145);
        let _ = s.unsign(&input);
        let _ = s.unsign_max_age(&input, max_age);
        let _ = s.unsign_with_timestamp(&input, None);
    }
}
