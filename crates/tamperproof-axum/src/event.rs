//! Why a session is what it is: [`SessionSource`], [`Rejection`] and the events the layer
//! reports to an application's hook (for logging and metrics).

use std::fmt;

use sign_core::Error;

/// Where the session a handler sees came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionSource {
    /// The request had no session cookie: a new, empty session.
    NoCookie,
    /// A cookie verified with the current key.
    Cookie,
    /// A cookie verified with a fallback (old) key.
    FallbackKey,
    /// The cookie was rejected, so the session is empty (as Flask's `open_session`).
    Rejected(Rejection),
}

/// Why a session cookie was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    kind: RejectionKind,
    message: String,
}

/// The kind of a [`Rejection`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RejectionKind {
    /// Validly signed, but older than the maximum age (or signed in the future).
    Expired,
    /// No key made this signature: forged, tampered with, truncated, or signed with a key
    /// this service does not have.
    BadSignature,
    /// The signature is valid but the session in it does not decode. The handler does not
    /// get an empty session: the extractor answers 500, as Flask does.
    BadPayload,
}

impl Rejection {
    pub(crate) fn from_error(error: &Error) -> Self {
        let kind = if error.is_expired() {
            RejectionKind::Expired
        } else if error.is_bad_payload() {
            RejectionKind::BadPayload
        } else {
            RejectionKind::BadSignature
        };
        Self {
            kind,
            message: error.message().to_owned(),
        }
    }

    /// The kind of rejection.
    #[must_use]
    pub const fn kind(&self) -> RejectionKind {
        self.kind
    }

    /// The verifier's short message (never contains key material or the cookie).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            RejectionKind::Expired => "expired",
            RejectionKind::BadSignature => "bad signature",
            RejectionKind::BadPayload => "bad payload",
        };
        write!(f, "session cookie rejected ({kind}): {}", self.message)
    }
}

/// Something the layer reports to the hook set with `on_event` (for logs and metrics).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEvent {
    /// A cookie was rejected; the request got an empty session (or, for
    /// [`RejectionKind::BadPayload`], a 500 from the extractor).
    Rejected(Rejection),
    /// A cookie signed with a fallback key was accepted and re-signed with the current key.
    Reissued,
    /// The session could not be signed at the end of the request; the response became a
    /// 500 without `Set-Cookie`.
    SaveFailed(String),
}

/// The hook called with every [`SessionEvent`].
pub(crate) type EventHook = std::sync::Arc<dyn Fn(&SessionEvent) + Send + Sync>;
