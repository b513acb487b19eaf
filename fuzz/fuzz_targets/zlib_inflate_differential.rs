//! `tamperproof_zlib::inflate` against zlib-rs (through flate2) on arbitrary bytes: the same
//! streams accepted, the same output, and past the limit exactly when zlib-rs writes more
//! than the limit; the input as it is and behind a valid zlib header.
#![no_main]

use flate2::{Decompress, FlushDecompress, Status};
use libfuzzer_sys::fuzz_target;
use tamperproof_zlib::{InflateError, inflate};

const LIMIT: usize = 1 << 20;

/// What zlib-rs makes of `data`: the output, `Err(true)` when it writes more than `LIMIT`
/// bytes, `Err(false)` when it rejects the stream or runs out of input first.
fn reference(data: &[u8]) -> Result<Vec<u8>, bool> {
    let mut inflater = Decompress::new(true);
    let mut out = Vec::with_capacity(4096);
    loop {
        if out.len() > LIMIT {
            return Err(true);
        }
        if out.capacity() == out.len() {
            out.reserve(out.capacity().min(LIMIT + 1 - out.len()).max(1));
        }
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let before = (inflater.total_in(), inflater.total_out());
        let input = data.get(consumed..).unwrap_or_default();
        match inflater.decompress_vec(input, &mut out, FlushDecompress::None) {
            Ok(Status::StreamEnd) => {
                return if out.len() > LIMIT { Err(true) } else { Ok(out) };
            }
            Ok(_) => {
                if (inflater.total_in(), inflater.total_out()) == before
                    && out.capacity() > out.len()
                {
                    return Err(false);
                }
            }
            Err(_) => return Err(out.len() > LIMIT),
        }
    }
}

fn check(data: &[u8]) {
    let mut out = Vec::new();
    let ours = inflate(data, LIMIT, &mut out);
    let expected = reference(data);
    match ours {
        Ok(()) => assert_eq!(Ok(out), expected),
        Err(InflateError::TooLarge { limit }) => {
            assert_eq!(limit, LIMIT);
            assert_eq!(expected, Err(true), "we stop at the limit, zlib-rs does not pass it");
            assert!(out.len() <= LIMIT && out.capacity() <= LIMIT + (16 << 10));
        }
        Err(_) => assert!(matches!(expected, Err(false)), "zlib-rs: {expected:?}"),
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
    let mut stream = vec![0x78, 0x9c];
    stream.extend_from_slice(data);
    check(&stream);
});
