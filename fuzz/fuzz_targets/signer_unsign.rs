//! `Signer::unsign` on arbitrary bytes under a fixed key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tamperproof_fuzz::signer;

fuzz_target!(|data: &[u8]| {
    let signer = signer();
    // Verified only if signing its value gives the input back.
    if let Ok(value) = signer.unsign(data) {
        assert_eq!(
            signer.sign(value),
            data,
            "verified a token we would not produce"
        );
    }
    assert_eq!(signer.validate(data), signer.unsign(data).is_ok());
    // The input as a value round-trips.
    let token = signer.sign(data);
    assert_eq!(signer.unsign(&token).ok(), Some(data));
});
