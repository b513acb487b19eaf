//! Why a tagged-JSON document could not be turned into session values.

use std::fmt;

/// A tagged-JSON value that Flask's tags do not accept, or a Rust value that has no session
/// form.
///
/// Inside the session codec it becomes the `source` of a `BadPayload` error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagError {
    message: String,
}

impl TagError {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The short, lowercase description.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for TagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TagError {}
