//! Property tests: round trips over every configuration, single-byte tampering, other keys and
//! salts, and no panic on arbitrary input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use sign_core::{DigestMethod, KeyDerivation, Signer};

fn derivation() -> impl Strategy<Value = KeyDerivation> {
    prop::sample::select(sign_core::dangerous::ALL_KEY_DERIVATIONS.to_vec())
}

fn digest() -> impl Strategy<Value = DigestMethod> {
    prop::sample::select(DigestMethod::ALL.to_vec())
}

fn separator() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        b".".to_vec(),
        b"|".to_vec(),
        b"~".to_vec(),
        b"..".to_vec(),
        "é".as_bytes().to_vec(),
        b"\x00".to_vec(),
    ])
}

prop_compose! {
    fn signer()(
        keys in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..40), 1..4),
        salt in prop::collection::vec(any::<u8>(), 0..20),
        sep in separator(),
        kd in derivation(),
        dg in digest(),
    ) -> Signer {
        Signer::builder()
            .keys(keys)
            .salt(salt)
            .separator(sep)
            .key_derivation(kd)
            .digest(dg)
            .build()
            .unwrap()
    }
}

/// Whether two keys of at most one SHA-1 block (64 bytes) are the same HMAC key: equal
/// once their trailing zero bytes are dropped.
fn hmac_equivalent(a: &[u8], b: &[u8]) -> bool {
    fn trimmed(key: &[u8]) -> &[u8] {
        let end = key.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
        &key[..end]
    }
    a.len() <= 64 && b.len() <= 64 && trimmed(a) == trimmed(b)
}

#[test]
fn hmac_treats_trailing_zero_bytes_as_the_same_key() {
    // The case the property above must not count as a failure: k and k\0.
    for kd in [
        KeyDerivation::Hmac,
        sign_core::dangerous::no_key_derivation(),
    ] {
        let signer = Signer::builder()
            .key("k")
            .key_derivation(kd)
            .build()
            .unwrap();
        let padded = Signer::builder()
            .key("k\0")
            .key_derivation(kd)
            .build()
            .unwrap();
        assert!(padded.unsign(&signer.sign("v")).is_ok(), "{kd:?}");
    }
    // Hashing the secret first (the concat derivations) tells them apart.
    for kd in [KeyDerivation::Concat, KeyDerivation::DjangoConcat] {
        let signer = Signer::builder()
            .key("k")
            .key_derivation(kd)
            .build()
            .unwrap();
        let padded = Signer::builder()
            .key("k\0")
            .key_derivation(kd)
            .build()
            .unwrap();
        assert!(padded.unsign(&signer.sign("v")).is_err(), "{kd:?}");
    }
}

proptest! {
    #[test]
    fn round_trip(signer in signer(), value in prop::collection::vec(any::<u8>(), 0..300)) {
        let token = signer.sign(&value);
        prop_assert_eq!(signer.unsign(&token).unwrap(), value.as_slice());
    }

    #[test]
    fn any_single_byte_change_is_rejected(
        signer in signer(),
        value in prop::collection::vec(any::<u8>(), 0..64),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let token = signer.sign(&value);
        let mut tampered = token.clone();
        let i = position.index(tampered.len());
        tampered[i] ^= flip;
        // A change can only verify if it re-signs to the same bytes, which it cannot.
        prop_assert!(signer.unsign(&tampered).is_err());
    }

    #[test]
    fn truncation_is_rejected(signer in signer(), value in prop::collection::vec(any::<u8>(), 0..64), cut in 1usize..10) {
        let token = signer.sign(&value);
        let cut = cut.min(token.len());
        prop_assert!(signer.unsign(&token[..token.len() - cut]).is_err());
    }

    #[test]
    fn other_key_or_salt_is_rejected(
        key in prop::collection::vec(any::<u8>(), 1..32),
        other in prop::collection::vec(any::<u8>(), 1..32),
        salt in prop::collection::vec(any::<u8>(), 0..16),
        other_salt in prop::collection::vec(any::<u8>(), 0..16),
        kd in derivation(),
        value in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let signer = Signer::builder().key(&key).salt(&salt).key_derivation(kd).build().unwrap();
        let token = signer.sign(&value);
        if other != key {
            let wrong_key = Signer::builder().key(&other).salt(&salt).key_derivation(kd).build().unwrap();
            // HMAC pads keys shorter than a block with zero bytes (RFC 2104), so keys that
            // differ only in trailing zeros are the same HMAC key. Where the secret is an
            // HMAC key (derivations `hmac` and `none`), such a key is accepted, as Python's
            // hmac module accepts it; every other key is rejected.
            let hmac_keyed = matches!(kd, KeyDerivation::Hmac | KeyDerivation::None(_));
            if hmac_keyed && hmac_equivalent(&key, &other) {
                prop_assert!(wrong_key.unsign(&token).is_ok());
            } else {
                prop_assert!(wrong_key.unsign(&token).is_err());
            }
        }
        // The "none" derivation ignores the salt by definition.
        if other_salt != salt && kd != sign_core::dangerous::no_key_derivation() {
            let wrong_salt = Signer::builder().key(&key).salt(&other_salt).key_derivation(kd).build().unwrap();
            prop_assert!(wrong_salt.unsign(&token).is_err());
        }
    }

    #[test]
    fn unsign_never_panics(signer in signer(), input in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = signer.unsign(&input);
        let _ = signer.validate(&input);
    }

    #[test]
    fn rotated_keys_all_verify_newest_signs(
        keys in prop::collection::vec(prop::collection::vec(any::<u8>(), 1..16), 1..5),
        value in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let rotated = Signer::builder().keys(&keys).build().unwrap();
        for key in &keys {
            let token = Signer::new(key).unwrap().sign(&value);
            prop_assert_eq!(rotated.unsign(&token).unwrap(), value.as_slice());
        }
        let newest = Signer::new(keys.last().unwrap()).unwrap();
        prop_assert_eq!(rotated.sign(&value), newest.sign(&value));
    }
}
