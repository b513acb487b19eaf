//! The compressor. PLACEHOLDER on the `zlib` branch: the `deflate` helper replaces this file.

/// Compresses `data` into a zlib stream, replacing the contents of `out`.
pub fn compress(data: &[u8], out: &mut Vec<u8>) {
    let _ = (data, out);
}

/// Compresses `data` into `out` and returns `true` when the zlib stream is at most `max_len`
/// bytes; otherwise returns `false` and `out` holds nothing useful.
pub fn compress_if_at_most(data: &[u8], max_len: usize, out: &mut Vec<u8>) -> bool {
    let _ = (data, max_len, out);
    false
}
