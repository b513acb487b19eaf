//! The inflater. PLACEHOLDER on the `zlib` branch: the `inflate` helper replaces this file.

/// Why inflation stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum InflateError {
    /// The stream inflates to more than the allowed size.
    TooLarge {
        /// The limit that was exceeded.
        limit: usize,
    },
    /// The stream is not valid zlib, or ends early.
    Invalid,
}

/// Inflates the zlib stream `data` into `out` (cleared first), failing as soon as the output
/// would exceed `limit` bytes.
///
/// # Errors
/// [`InflateError::TooLarge`] past the limit, [`InflateError::Invalid`] for a bad stream.
pub fn inflate(data: &[u8], limit: usize, out: &mut Vec<u8>) -> Result<(), InflateError> {
    let _ = (data, limit, out);
    Err(InflateError::Invalid)
}
