//! What verifying a case's token gave: a value, or the error class Python would raise.

use python_json::Value;
use sign_core::Error;

/// A verified value.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Verified {
    /// The value of a kind whose payload is bytes (the signer kinds).
    Bytes(Vec<u8>),
    /// The loaded value of a kind whose payload is JSON.
    Json(Value),
}

/// What verifying a token gave.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Outcome {
    /// The token verified.
    Ok(Verified),
    /// The token was rejected with this Python exception class.
    Err {
        /// `Error::class_name()`.
        class: &'static str,
        /// The error's message.
        message: String,
    },
}

impl Outcome {
    /// The outcome of a verification by one of the sign-* crates.
    #[must_use]
    pub fn from_result(result: Result<Verified, Error>) -> Self {
        match result {
            Ok(value) => Self::Ok(value),
            Err(error) => Self::Err {
                class: error.class_name(),
                message: error.to_string(),
            },
        }
    }

    /// `ok` or the exception class.
    #[must_use]
    pub const fn class(&self) -> &'static str {
        match self {
            Self::Ok(_) => "ok",
            Self::Err { class, .. } => class,
        }
    }
}
