//! The error type of the JSON writer.

/// Why a value could not be written the way Python's `json.dumps` would write it.
///
/// Each variant matches a case where Python raises, or where Python writes something that is not
/// JSON and that could not be read back.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// A float value is NaN or infinite. Python writes `NaN`, `Infinity` or `-Infinity`, which is
    /// not JSON, and the reader rejects it. This includes number text such as `1e400`,
    /// which Python reads as infinity.
    #[error("NaN and Infinity are not JSON; they could not be read back")]
    NonFinite,
    /// An integer has more than 4300 decimal digits. Python 3.11 refuses to convert it to text
    /// (`ValueError: Exceeds the limit (4300 digits) for integer string conversion`).
    #[error("integer has {digits} digits, more than Python's limit of 4300")]
    IntegerTooLong {
        /// How many decimal digits the integer has, without its sign.
        digits: usize,
    },
    /// A map key is not a string, integer, float, bool or None (Python's `TypeError: keys must
    /// be str, int, float, bool or None`).
    #[error("keys must be str, int, float, bool or None, not {found}")]
    KeyType {
        /// What the key was instead.
        found: &'static str,
    },
    /// With `sort_keys`, two keys cannot be ordered: a string and a number, or None and anything
    /// (Python's `TypeError: '<' not supported between instances of ...`).
    #[error("cannot sort keys: '<' not supported between instances of '{first}' and '{second}'")]
    UnorderableKeys {
        /// Python's type name of one key.
        first: &'static str,
        /// Python's type name of another key.
        second: &'static str,
    },
    /// With `sort_keys`, a float key is NaN. Python's order then depends on its sorting
    /// algorithm's comparisons, so it is refused rather than guessed.
    #[error("cannot sort keys: a key is a float NaN")]
    NanKey,
    /// Text given as a `serde_json::Number` is not a JSON number.
    #[error("invalid JSON number text {text:?}")]
    InvalidNumber {
        /// The offending text.
        text: String,
    },
    /// Lists and dicts are nested deeper than [`MAX_DEPTH`](crate::MAX_DEPTH) (Python raises
    /// `RecursionError`).
    #[error("nesting deeper than {} levels", crate::MAX_DEPTH)]
    TooDeep,
    /// A message from a `Serialize` implementation, or a misuse of the serde API.
    #[error("{0}")]
    Custom(String),
}

impl serde::ser::Error for WriteError {
    fn custom<T: core::fmt::Display>(msg: T) -> Self {
        Self::Custom(msg.to_string())
    }
}
