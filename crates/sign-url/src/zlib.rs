//! zlib compression with a reused state, and inflation with a hard bound on the output size.

use std::cell::RefCell;

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// Bytes inflated per step. Loading fails after at most `limit + INFLATE_CHUNK` bytes of
/// output have been allocated.
pub const INFLATE_CHUNK: usize = 16 * 1024;

thread_local! {
    /// One deflate state per thread, reset between uses: setting up a fresh zlib state per
    /// token costs more than compressing a small payload.
    static COMPRESSOR: RefCell<Compress> = RefCell::new(Compress::new(Compression::new(6), true));
    /// One inflate state per thread, reset between uses: a fresh one is a ~43 KB boxed state
    /// built and copied per token, which cost more than inflating a cookie.
    static DECOMPRESSOR: RefCell<Decompress> = RefCell::new(Decompress::new(true));
}

/// The first output reservation: about four times the compressed size, at least 256 bytes;
/// later steps double, never past [`INFLATE_CHUNK`]. (The backend zero-fills the spare
/// capacity on every call, so a 16 KiB first step costs more than a small payload's inflate.)
fn first_step(compressed_len: usize) -> usize {
    compressed_len.saturating_mul(4).clamp(256, INFLATE_CHUNK)
}

/// Compresses `data` into a zlib stream at level 6 (Python's `zlib.compress` default),
/// replacing the contents of `out`.
pub(crate) fn compress(data: &[u8], out: &mut Vec<u8>) -> Result<(), flate2::CompressError> {
    out.clear();
    // zlib's worst case is about data + 0.1% + 12 bytes; a little more avoids regrowth.
    out.reserve(
        data.len()
            .saturating_add(data.len() / 1000)
            .saturating_add(64),
    );
    COMPRESSOR.with(|cell| {
        let mut compressor = cell.borrow_mut();
        compressor.reset();
        loop {
            let consumed = usize::try_from(compressor.total_in()).unwrap_or(usize::MAX);
            let input = data.get(consumed..).unwrap_or_default();
            let status = compressor.compress_vec(input, out, FlushCompress::Finish)?;
            if status == Status::StreamEnd {
                return Ok(());
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// Why inflation stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InflateError {
    /// The stream inflates to more than the allowed size.
    #[error("decompressed payload exceeds the limit of {limit} bytes")]
    TooLarge {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The stream is not valid zlib, or ends early.
    #[error("invalid or truncated zlib stream")]
    Invalid,
}

/// Inflates the zlib stream `data` into `out` (cleared first), failing as soon as the output
/// would exceed `limit` bytes. `out` never grows beyond `limit + INFLATE_CHUNK` bytes.
///
/// Data after the end of the stream is ignored, as Python's `zlib.decompress` does.
///
/// # Errors
/// [`InflateError::TooLarge`] past the limit, [`InflateError::Invalid`] for a bad stream.
pub fn inflate_bounded(data: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), InflateError> {
    DECOMPRESSOR.with(|cell| match cell.try_borrow_mut() {
        Ok(mut inflater) => {
            inflater.reset(true);
            inflate_with(&mut inflater, data, limit, out)
        }
        // Re-entered on this thread (cannot happen today): use a fresh state.
        Err(_) => inflate_with(&mut Decompress::new(true), data, limit, out),
    })
}

fn inflate_with(
    inflater: &mut Decompress,
    data: &[u8],
    limit: usize,
    out: &mut Vec<u8>,
) -> Result<(), InflateError> {
    out.clear();
    if out.capacity() > limit.saturating_add(1) {
        // A caller's buffer larger than the bound would let one inflate step write past it:
        // start from an empty buffer that grows in bounded steps instead.
        *out = Vec::new();
    }
    let mut step = first_step(data.len());
    loop {
        if out.len() > limit {
            return Err(InflateError::TooLarge { limit });
        }
        if out.capacity() == out.len() {
            out.reserve_exact(
                step.min(limit.saturating_add(1).saturating_sub(out.len()))
                    .max(1),
            );
            step = step.saturating_mul(2).min(INFLATE_CHUNK);
        }
        let consumed = usize::try_from(inflater.total_in()).unwrap_or(usize::MAX);
        let input = data.get(consumed..).unwrap_or_default();
        let before = (inflater.total_in(), inflater.total_out());
        let status = inflater
            .decompress_vec(input, out, FlushDecompress::None)
            .map_err(|_| InflateError::Invalid)?;
        match status {
            Status::StreamEnd => {
                return if out.len() > limit {
                    Err(InflateError::TooLarge { limit })
                } else {
                    Ok(())
                };
            }
            Status::Ok | Status::BufError => {
                let progressed = (inflater.total_in(), inflater.total_out()) != before;
                if !progressed && out.capacity() > out.len() {
                    // No input left and room to write: the stream is truncated.
                    return Err(InflateError::Invalid);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        compress(data, &mut out).unwrap();
        out
    }

    #[test]
    fn round_trip() {
        for data in [&b""[..], b"a", &[b'a'; 100_000], b"{\"id\":42}"] {
            let mut out = Vec::new();
            inflate_bounded(&zlib(data), 1 << 20, &mut out).unwrap();
            assert_eq!(out, data);
        }
    }

    #[test]
    fn bound_is_enforced_and_memory_stays_bounded() {
        let bomb = zlib(&vec![0u8; 50_000_000]);
        assert!(bomb.len() < 60_000, "{}", bomb.len());
        for limit in [0, 1, 1000, 1 << 20] {
            let mut out = Vec::new();
            let err = inflate_bounded(&bomb, limit, &mut out).unwrap_err();
            assert_eq!(err, InflateError::TooLarge { limit });
            assert!(
                out.capacity() <= limit + INFLATE_CHUNK,
                "{} > {limit} + chunk",
                out.capacity()
            );
        }
    }

    #[test]
    fn a_large_caller_buffer_does_not_lift_the_bound() {
        let bomb = zlib(&vec![b'0'; 20_000_000]);
        let mut out = Vec::with_capacity(16 << 20);
        let err = inflate_bounded(&bomb, 1000, &mut out).unwrap_err();
        assert_eq!(err, InflateError::TooLarge { limit: 1000 });
        assert!(
            out.len() <= 1001 && out.capacity() <= 1000 + INFLATE_CHUNK,
            "{}",
            out.len()
        );
    }

    #[test]
    fn exact_limit_is_allowed() {
        let data = vec![7u8; 5000];
        let mut out = Vec::new();
        inflate_bounded(&zlib(&data), 5000, &mut out).unwrap();
        assert_eq!(out, data);
        assert!(inflate_bounded(&zlib(&data), 4999, &mut out).is_err());
    }

    #[test]
    fn invalid_streams() {
        let mut out = Vec::new();
        for bad in [
            &b""[..],
            b"x\x9c",
            b"\x00\x00\x00\x00",
            b"garbage data here",
        ] {
            assert_eq!(
                inflate_bounded(bad, 1 << 20, &mut out),
                Err(InflateError::Invalid),
                "{bad:?}"
            );
        }
        let mut truncated = zlib(&[b'a'; 1000]);
        truncated.truncate(truncated.len() - 3);
        assert_eq!(
            inflate_bounded(&truncated, 1 << 20, &mut out),
            Err(InflateError::Invalid)
        );
    }

    #[test]
    fn trailing_data_is_ignored_like_python() {
        let mut stream = zlib(b"hello");
        stream.extend_from_slice(b"trailing");
        let mut out = Vec::new();
        inflate_bounded(&stream, 100, &mut out).unwrap();
        assert_eq!(out, b"hello");
    }
}
