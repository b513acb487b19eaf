//! `tamperproof_zlib::compress` on arbitrary bytes: never panics, zlib-rs inflates the stream
//! back to the input, and `compress_if_at_most` agrees with `compress` (for the limit
//! tamperproof uses, two bytes under the input, and at the stream's own length).
#![no_main]

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use tamperproof_zlib::{compress, compress_if_at_most};

fuzz_target!(|data: &[u8]| {
    let mut stream = Vec::new();
    compress(data, &mut stream);
    assert_eq!(stream.get(..2), Some(&b"\x78\x9c"[..]));
    let mut inflated = Vec::new();
    let inflate = flate2::read::ZlibDecoder::new(&stream[..]).read_to_end(&mut inflated);
    assert!(inflate.is_ok(), "zlib-rs rejects our stream: {inflate:?}");
    assert_eq!(inflated, data);

    let mut decided = Vec::new();
    let max_len = data.len().saturating_sub(2);
    let fits = compress_if_at_most(data, max_len, &mut decided);
    assert_eq!(fits, stream.len() <= max_len);
    if fits {
        assert_eq!(decided, stream);
    }
    assert!(compress_if_at_most(data, stream.len(), &mut decided));
    assert_eq!(decided, stream);
});
