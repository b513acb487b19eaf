//! Golden values of the signer (encoding, key derivation, signatures), each produced by
//! running Python itsdangerous 2.2.0 (the comment on each line is the Python call).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use sign_core::dangerous::NoneAlgorithm;
use sign_core::{Algorithm, DigestMethod, ErrorKind, KeyDerivation, Signer};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn derived_keys_and_signatures_per_derivation() {
    // Signer("secret-key", key_derivation=kd).derive_key().hex(), .sign("my string")
    let table = [
        (
            KeyDerivation::Concat,
            "4b460bd4c0a15eb2549503321146ba76b60662ab",
            "my string.WVn1orytePdJMO-gerBb0CoxFMs",
        ),
        (
            KeyDerivation::DjangoConcat,
            "95c1413ec52400db8a22b50e2f318e9204636448",
            "my string.wh6tMHxLgJqB6oY1uT73iMlyrOA",
        ),
        (
            KeyDerivation::Hmac,
            "b22a053dda49924fdfe1055d9e814a9ae8ad896e",
            "my string.pFgSwq6wOZqq2WMqgkxNLVn16QY",
        ),
        (
            sign_core::dangerous::no_key_derivation(),
            "7365637265742d6b6579",
            "my string.jdP_vbFmmLI4saUm2wcIut0z2MQ",
        ),
    ];
    for (derivation, key_hex, token) in table {
        let signer = Signer::builder()
            .key("secret-key")
            .key_derivation(derivation)
            .build()
            .unwrap();
        assert_eq!(
            hex(signer.derive_key().expose_secret()),
            key_hex,
            "{derivation}"
        );
        assert_eq!(signer.sign("my string"), token.as_bytes(), "{derivation}");
        assert_eq!(signer.unsign(token).unwrap(), b"my string");
    }
}

#[test]
fn other_digests() {
    // Signer("secret-key", digest_method=hashlib.sha256)
    let signer = Signer::builder()
        .key("secret-key")
        .digest(DigestMethod::Sha256)
        .build()
        .unwrap();
    assert_eq!(
        hex(signer.derive_key().expose_secret()),
        "72d94a1183f0ee0b71a7aa5361035c8fcec6b6057f64fcc99948ede4bbe95b23"
    );
    assert_eq!(
        signer.sign("my string"),
        b"my string.PVHY4OzY_ekIpRd3A5G0vzTkhg8wSod5E3p90JgBCKw"
    );
    // Signer("secret-key", digest_method=hashlib.sha512, key_derivation="hmac", salt="x")
    let signer = Signer::builder()
        .key("secret-key")
        .digest(DigestMethod::Sha512)
        .key_derivation(KeyDerivation::Hmac)
        .salt("x")
        .build()
        .unwrap();
    assert_eq!(
        signer.sign("my string"),
        b"my string.3yPOk8VdpxYlZGp6bQGonQOs0zo4Y3ZfUa8PVvhoZSyftcRA1SLVgvJtEFAVXIZIZXjm6BkaKxf-N6DC3-1zbQ".as_slice()
    );
}

#[test]
fn algorithm_overrides_mac_digest_but_not_derivation_digest() {
    // Signer("secret-key", algorithm=HMACAlgorithm(hashlib.sha256)).sign("value")
    let signer = Signer::builder()
        .key("secret-key")
        .algorithm(Algorithm::Hmac(DigestMethod::Sha256))
        .build()
        .unwrap();
    assert_eq!(
        signer.sign("value"),
        b"value.PYgx1g2_BKUP3GrJyngXVUwtkJicpkqzxH9T_IxkQFU"
    );
}

#[test]
fn none_algorithm() {
    // Signer(k, algorithm=NoneAlgorithm()).sign("value") == b"value."
    let signer = Signer::builder()
        .key("k")
        .algorithm(Algorithm::custom(NoneAlgorithm))
        .build()
        .unwrap();
    assert_eq!(signer.sign("value"), b"value.");
    assert_eq!(signer.unsign("value.").unwrap(), b"value");
    assert!(signer.unsign("value.AAAA").is_err());
}

#[test]
fn signing_examples() {
    let signer = Signer::new("secret-key").unwrap();
    assert_eq!(signer.sign("my string"), signer.sign(b"my string"));
    assert_eq!(
        signer.sign("mañana"),
        b"ma\xc3\xb1ana.Ttfol4twpTv2q1Jm7SWtOcll03k"
    );
    assert_eq!(signer.sign(b""), b".b4-og8DGknlZ-AXdHwT5DOiFoFs");
    assert_eq!(signer.unsign(".b4-og8DGknlZ-AXdHwT5DOiFoFs").unwrap(), b"");
    assert_eq!(signer.sign("a.b.c"), b"a.b.c.NvctyzVoIj0yr7cDfce29bTRr1Y");
    assert_eq!(
        signer.unsign("a.b.c.NvctyzVoIj0yr7cDfce29bTRr1Y").unwrap(),
        b"a.b.c"
    );
    // Signer("secret-key", salt="").sign("a")
    let empty_salt = Signer::builder()
        .key("secret-key")
        .salt("")
        .build()
        .unwrap();
    assert_eq!(empty_salt.sign("a"), b"a.algS5kK_ctJdgp86sitYsd_rekM");
}

#[test]
fn empty_key_needs_explicit_opt_in() {
    assert!(Signer::new("").is_err());
    // Signer("").sign("x")
    let signer = Signer::builder().key("").allow_empty_key().build().unwrap();
    assert_eq!(signer.sign("x"), b"x.NfxHBrs-LLjgbNAgHIpPE7MRu-w");
}

#[test]
fn empty_key_list_cannot_be_built() {
    assert!(Signer::builder().build().is_err());
    assert!(Signer::builder().keys(Vec::<&str>::new()).build().is_err());
}

#[test]
fn unsign_failures() {
    let signer = Signer::new("secret-key").unwrap();
    let err = signer.unsign("no separator").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadSignature);
    assert_eq!(
        sign_core::dangerous::unverified_payload(&err, b"no separator"),
        None
    );
    for (token, payload) in [
        ("my string.wh6tMHxLgJqB6oY1uT73iMlyrO", &b"my string"[..]),
        ("my string.", b"my string"),
        ("mañana.xyz", "mañana".as_bytes()),
    ] {
        let err = signer.unsign(token).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadSignature);
        assert_eq!(
            sign_core::dangerous::unverified_payload(&err, token.as_bytes()),
            Some(payload)
        );
    }
}

#[test]
fn key_rotation() {
    // Signer(["a","b"]).sign("my string") == Signer("b").sign("my string")
    let rotated = Signer::builder().keys(["a", "b"]).build().unwrap();
    assert_eq!(
        rotated.sign("my string"),
        b"my string.Nkff5zweY65pjFRqPBaUj97_1Lk"
    );
    assert_eq!(
        Signer::new("b").unwrap().sign("my string"),
        rotated.sign("my string")
    );
    // Signer("a").sign("my string")
    assert_eq!(
        Signer::new("a").unwrap().sign("my string"),
        b"my string.0qhIHLp9dEdUaS2WQ6ZNHanEAh4"
    );
    assert_eq!(
        rotated
            .unsign("my string.0qhIHLp9dEdUaS2WQ6ZNHanEAh4")
            .unwrap(),
        b"my string"
    );
}

#[test]
fn canonical_signature_verifies() {
    let signer = Signer::new("secret-key").unwrap();
    assert!(signer.verify_signature(b"my string", "wh6tMHxLgJqB6oY1uT73iMlyrOA"));
    assert!(!signer.verify_signature(b"my string", "wh6tMHxLgJqB6oY1uT73iMlyrOE"));
    // Python's standard-alphabet example, with the canonical URL-safe form.
    assert!(signer.verify_signature(b"m0", "xyN1SR_Oo0hLC_7FEyiiT80YQjs"));
}

#[test]
fn accepted_separators() {
    for sep in ["|", "..", "\0", "é", "~"] {
        let signer = Signer::builder().key("k").separator(sep).build().unwrap();
        assert_eq!(
            signer.unsign(&signer.sign("a.b")).unwrap(),
            b"a.b",
            "{sep:?}"
        );
    }
    // Python: Signer(k, sep="é") stores b"\xc3\xa9".
    let signer = Signer::builder()
        .key("k")
        .separator([0xffu8])
        .build()
        .unwrap();
    assert_eq!(signer.unsign(&signer.sign("v")).unwrap(), b"v");
}

#[test]
fn rejected_separators() {
    for sep in ["", "-", "_", "=", "a", "Z", "0", "ab", "-_"] {
        assert!(
            Signer::builder().key("k").separator(sep).build().is_err(),
            "{sep:?}"
        );
    }
}

#[test]
fn key_audit_finds_the_key() {
    use sign_core::KeyAudit;
    for kd in sign_core::dangerous::ALL_KEY_DERIVATIONS {
        for digest in [DigestMethod::Sha1, DigestMethod::Sha512] {
            let config = Signer::builder()
                .salt("cookie-session")
                .key_derivation(kd)
                .digest(digest);
            let token = config
                .clone()
                .key("hunter2")
                .build()
                .unwrap()
                .sign("payload");
            let audit = KeyAudit::new(&config, &token).unwrap();
            assert!(audit.matches(b"hunter2"), "{kd} {digest}");
            assert!(!audit.matches(b"hunter3"));
            assert!(!audit.matches(b""));
        }
    }
    // A cookie made by Flask 3.1.3 (app.secret_key = "secret"; see docs/flask.md).
    let flask = Signer::builder()
        .salt("cookie-session")
        .key_derivation(KeyDerivation::Hmac);
    let audit = KeyAudit::new(&flask, b"eyJhIjoxfQ.TgPVoQ.Vlr_Jz1KAK-AL-4WaTlES0RX-6s").unwrap();
    assert!(audit.matches(b"secret"));
    assert!(KeyAudit::new(&flask, b"no separator").is_err());
}

#[test]
fn key_audit_uses_the_signing_algorithm_digest() {
    use sign_core::{Algorithm, KeyAudit};
    // Python: Signer(k, algorithm=HMACAlgorithm(sha256)): key derived with SHA-1, MAC SHA-256.
    let config = Signer::builder().algorithm(Algorithm::Hmac(DigestMethod::Sha256));
    let token = config.clone().key("hunter2").build().unwrap().sign("v");
    let audit = KeyAudit::new(&config, &token).unwrap();
    assert!(audit.matches(b"hunter2"));
    assert!(!audit.matches(b"hunter3"));
    let custom =
        Signer::builder().algorithm(Algorithm::custom(sign_core::dangerous::NoneAlgorithm));
    assert!(KeyAudit::new(&custom, b"v.").is_err());
}
