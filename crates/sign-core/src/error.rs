//! The error type shared by every tamperproof crate, mirroring Python's exception classes.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

/// Which of Python itsdangerous' exception classes an [`Error`] corresponds to.
///
/// Python's hierarchy is `BadData` > `BadSignature` > `BadTimeSignature` > `SignatureExpired`,
/// `BadData` > `BadPayload` and `BadSignature` > `BadHeader`. Use the predicates on [`Error`]
/// (`is_bad_signature()`, ...) to test membership in a branch of that hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Malformed input that is not about a signature (e.g. invalid base64 in a helper).
    BadData,
    /// The signature is missing or does not match.
    BadSignature,
    /// A timestamped signature is invalid, or its timestamp is missing or malformed.
    BadTimeSignature,
    /// The signature is valid but older than the allowed age (or in the future).
    SignatureExpired,
    /// The signature is valid but the payload could not be decoded.
    BadPayload,
    /// A JWS header is invalid or does not match the serializer.
    BadHeader,
}

impl ErrorKind {
    /// The name of the Python exception class, e.g. `"SignatureExpired"`.
    #[must_use]
    pub const fn class_name(self) -> &'static str {
        match self {
            Self::BadData => "BadData",
            Self::BadSignature => "BadSignature",
            Self::BadTimeSignature => "BadTimeSignature",
            Self::SignatureExpired => "SignatureExpired",
            Self::BadPayload => "BadPayload",
            Self::BadHeader => "BadHeader",
        }
    }

    /// Parses a Python exception class name, e.g. from a vector file.
    #[must_use]
    pub fn from_class_name(name: &str) -> Option<Self> {
        Some(match name {
            "BadData" => Self::BadData,
            "BadSignature" => Self::BadSignature,
            "BadTimeSignature" => Self::BadTimeSignature,
            "SignatureExpired" => Self::SignatureExpired,
            "BadPayload" => Self::BadPayload,
            "BadHeader" => Self::BadHeader,
            _ => return None,
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.class_name())
    }
}

type Source = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why a token was rejected.
///
/// Messages are short and lowercase, and never contain key material, expected signatures or
/// which key of a rotation was tried. Data that failed verification is only reachable through
/// [`crate::dangerous`].
///
/// An error holds no copy of the token: where Python's exception carries the unverified
/// payload, this error records only its length (the payload is always a prefix of the
/// token), and [`crate::dangerous::unverified_payload`] slices it out of the caller's token
/// again. Building an error allocates at most its message (a constant for every verdict
/// about a signature) and a boxed source, never anything proportional to the token.
pub struct Error {
    kind: ErrorKind,
    message: Cow<'static, str>,
    unverified_payload_len: Option<usize>,
    date_signed: Option<SystemTime>,
    date_signed_verified: bool,
    source: Option<Source>,
}

impl Error {
    /// A new error of `kind` with a short lowercase message.
    #[must_use]
    pub fn new(kind: ErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            message: message.into(),
            unverified_payload_len: None,
            date_signed: None,
            date_signed_verified: false,
            source: None,
        }
    }

    /// A `BadSignature` with `message`.
    #[must_use]
    pub fn bad_signature(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(ErrorKind::BadSignature, message)
    }

    /// A `BadPayload` with `message` caused by `source`.
    #[must_use]
    pub fn bad_payload(
        message: impl Into<Cow<'static, str>>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        Self::new(ErrorKind::BadPayload, message).with_source(source)
    }

    /// Records that the first `len` bytes of the token being verified are the payload that
    /// could not be verified (Python's `e.payload`). Nothing is copied.
    ///
    /// [`crate::dangerous::unverified_payload`] hands those bytes out again, sliced from the
    /// token the caller passes back.
    #[must_use]
    pub const fn with_unverified_payload_len(mut self, len: usize) -> Self {
        self.unverified_payload_len = Some(len);
        self
    }

    /// Attaches the signing time read from a token (Python's `e.date_signed`).
    ///
    /// `verified` says whether the signature over that time was valid; an unverified time is
    /// only handed out through [`crate::dangerous::unverified_date_signed`].
    #[must_use]
    pub fn with_date_signed(mut self, date_signed: SystemTime, verified: bool) -> Self {
        self.date_signed = Some(date_signed);
        self.date_signed_verified = verified;
        self
    }

    /// Attaches the underlying cause (Python's `original_error` / `__cause__`).
    #[must_use]
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// Which Python exception class this error corresponds to.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The Python class name, e.g. `"BadSignature"`.
    #[must_use]
    pub const fn class_name(&self) -> &'static str {
        self.kind.class_name()
    }

    /// The short message, without the class name.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// True for `BadSignature` and its subclasses (`BadTimeSignature`, `SignatureExpired`,
    /// `BadHeader`): Python's `except BadSignature`.
    #[must_use]
    pub const fn is_bad_signature(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::BadSignature
                | ErrorKind::BadTimeSignature
                | ErrorKind::SignatureExpired
                | ErrorKind::BadHeader
        )
    }

    /// True for `BadTimeSignature` and `SignatureExpired`.
    #[must_use]
    pub const fn is_bad_time_signature(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::BadTimeSignature | ErrorKind::SignatureExpired
        )
    }

    /// True when the signature was valid but too old (or from the future with a max age).
    #[must_use]
    pub const fn is_expired(&self) -> bool {
        matches!(self.kind, ErrorKind::SignatureExpired)
    }

    /// True when the signature was valid but the payload did not decode.
    #[must_use]
    pub const fn is_bad_payload(&self) -> bool {
        matches!(self.kind, ErrorKind::BadPayload)
    }

    /// True for a JWS header problem.
    #[must_use]
    pub const fn is_bad_header(&self) -> bool {
        matches!(self.kind, ErrorKind::BadHeader)
    }

    /// The signing time of an expired token. Its signature was verified, so it can be trusted.
    ///
    /// For a time read from a token whose signature failed, see
    /// [`crate::dangerous::unverified_date_signed`].
    #[must_use]
    pub fn date_signed(&self) -> Option<SystemTime> {
        if self.date_signed_verified {
            self.date_signed
        } else {
            None
        }
    }

    pub(crate) const fn unverified_payload_len(&self) -> Option<usize> {
        self.unverified_payload_len
    }

    pub(crate) const fn unverified_date_signed(&self) -> Option<SystemTime> {
        self.date_signed
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("unverified_payload_len", &self.unverified_payload_len)
            .field("date_signed", &self.date_signed())
            .field("source", &self.source)
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// A signer or serializer could not be built from the given configuration.
///
/// These are programming or configuration mistakes (Python raises `ValueError` or
/// `TypeError` for them), not verdicts about a token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The separator is empty or contains a character of the URL-safe base64 alphabet.
    #[error(
        "the separator cannot be used because it may be contained in the signature itself; ascii letters, digits, and '-_=' must not be used"
    )]
    InvalidSeparator,
    /// No secret key was given.
    #[error("at least one secret key is required")]
    NoSecretKey,
    /// An empty secret key was given without [`crate::SignerBuilder::allow_empty_key`].
    #[error("an empty secret key was given; call allow_empty_key() if that is really intended")]
    EmptySecretKey,
    /// A digest name was not one of `sha1`, `sha224`, `sha256`, `sha384`, `sha512`.
    #[error("unknown digest method {0:?}")]
    UnknownDigest(String),
    /// A key derivation name was not one of `concat`, `django-concat`, `hmac`, `none`.
    #[error("unknown key derivation method {0:?}")]
    UnknownKeyDerivation(String),
    /// Anything else that makes a configuration unusable.
    #[error("{0}")]
    Invalid(Cow<'static, str>),
}
