//! Every deliberate deviation from Python listed in docs/compatibility.md for the signer, each
//! showing a token Python 2.2.0 accepts that we reject.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use sign_core::{ConfigError, Signer};

#[test]
fn strict_base64_rejects_what_python_tolerates() {
    let signer = Signer::new("secret-key").unwrap();
    let canonical = "wh6tMHxLgJqB6oY1uT73iMlyrOA";
    assert!(signer.verify_signature(b"my string", canonical));
    // Each of these verifies in Python's lenient decoder.
    for lenient in [
        "wh6tMHxLgJqB6oY1uT73iMlyrOA=",
        "wh6tMHxLgJqB6oY1uT73iMlyrOA==",
        "wh6tMHxLgJqB6oY1uT73iMlyrOB",
        "wh6tMHxLgJqB6oY1uT73iMlyrOD",
        "wh6tMHxLgJqB6oY1uT73iMlyrOA=AAAA",
        "wh6tMHxLgJqB6oY1uT73iMlyrOA=garbage",
        "wh6tM!HxLgJqB6oY1uT73iMlyrOA!=",
        "wh6tMHxLgJqB6oY1uT73iMlyrOAé",
    ] {
        assert!(!signer.verify_signature(b"my string", lenient), "{lenient}");
        assert!(
            signer
                .unsign(format!("my string.{lenient}").as_str())
                .is_err()
        );
    }
    // Standard alphabet: Python accepts "xyN1SR/Oo0hLC/7FEyiiT80YQjs" for b"m0".
    assert!(signer.verify_signature(b"m0", "xyN1SR_Oo0hLC_7FEyiiT80YQjs"));
    assert!(!signer.verify_signature(b"m0", "xyN1SR/Oo0hLC/7FEyiiT80YQjs"));
}

#[test]
fn separators_containing_base64_characters_are_rejected() {
    // Python accepts these multi-byte separators (its check is a substring test), but a
    // signature can then contain the separator and Python cannot verify its own tokens.
    for sep in ["ax", "a.", "9A", "Za", "z0"] {
        let err = Signer::builder()
            .key("k")
            .separator(sep)
            .build()
            .unwrap_err();
        assert_eq!(err, ConfigError::InvalidSeparator, "{sep}");
    }
}
