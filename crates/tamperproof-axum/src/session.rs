//! [`Session`]: the handler's view of the session cookie, and its axum extractor.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum_core::extract::FromRequestParts;
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sign_core::Error;

use crate::event::{EventHook, Rejection, RejectionKind, SessionEvent, SessionSource};
use crate::flask::Flask;
use crate::format::{SessionChange, SessionFormat, SessionMap, SessionValues};

/// The configuration every request shares, behind one `Arc`.
#[derive(Debug)]
pub(crate) struct Shared<F> {
    pub(crate) format: Arc<F>,
    pub(crate) reissue_fallback: bool,
    pub(crate) hook: Option<HookSlot>,
}

/// The event hook, printable as a placeholder.
#[derive(Clone)]
pub(crate) struct HookSlot(pub(crate) EventHook);

impl std::fmt::Debug for HookSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fn(&SessionEvent)")
    }
}

impl<F> Clone for Shared<F> {
    fn clone(&self) -> Self {
        Self {
            format: Arc::clone(&self.format),
            reissue_fallback: self.reissue_fallback,
            hook: self.hook.clone(),
        }
    }
}

impl<F> Shared<F> {
    pub(crate) fn report(&self, event: &SessionEvent) {
        if let Some(HookSlot(hook)) = &self.hook {
            hook(event);
        }
    }
}

/// The session of one request: read from the cookie on first use, changed by the handler,
/// written back by the layer when the response leaves.
///
/// Get it in a handler as an extractor (`session: Session`), under a
/// [`SessionLayer`](crate::SessionLayer). Clones share the same session. `F` is the cookie
/// format, Flask's by default.
///
/// Values go in and out as any `Serialize`/`Deserialize` type ([`get`](Self::get),
/// [`insert`](Self::insert), or the whole session with [`load`](Self::load) /
/// [`store`](Self::store)) or as the format's own dynamic values
/// ([`get_value`](Self::get_value), [`insert_value`](Self::insert_value)).
pub struct Session<F: SessionFormat = Flask> {
    inner: Arc<Inner<F>>,
}

impl<F: SessionFormat> Clone for Session<F> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<F: SessionFormat> std::fmt::Debug for Session<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = self.lock();
        f.debug_struct("Session")
            .field("source", &state.source)
            .field("keys", &state.data.keys().collect::<Vec<_>>())
            .field("accessed", &state.accessed)
            .field("modified", &state.modified)
            .finish_non_exhaustive()
    }
}

struct Inner<F: SessionFormat> {
    shared: Arc<Shared<F>>,
    state: Mutex<State<F::Value>>,
}

struct State<V> {
    /// The cookie value, until it is opened.
    cookie: Option<String>,
    had_cookie: bool,
    opened: bool,
    source: SessionSource,
    data: SessionMap<V>,
    was_non_empty: bool,
    accessed: bool,
    modified: bool,
}

/// What the layer does at the end of the request, computed under the lock.
pub(crate) enum Outcome {
    /// Nothing to send.
    Keep { vary: bool },
    /// `Set-Cookie` with this header value.
    Set { header: String, vary: bool },
    /// Signing failed: answer 500.
    Failed,
}

impl<F: SessionFormat> Session<F> {
    pub(crate) fn new(shared: Arc<Shared<F>>, cookie: Option<String>) -> Self {
        let had_cookie = cookie.is_some();
        Self {
            inner: Arc::new(Inner {
                shared,
                state: Mutex::new(State {
                    cookie,
                    had_cookie,
                    opened: false,
                    source: SessionSource::NoCookie,
                    data: SessionMap::new(),
                    was_non_empty: false,
                    accessed: false,
                    modified: false,
                }),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State<F::Value>> {
        // A handler that panicked while holding the lock left a consistent map behind.
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Opens the cookie if not done yet; reports rejections to the hook.
    fn open(&self, state: &mut State<F::Value>) {
        if state.opened {
            return;
        }
        state.opened = true;
        let Some(cookie) = state.cookie.take() else {
            return;
        };
        let shared = &self.inner.shared;
        match shared.format.open(&cookie) {
            Ok(opened) => {
                state.was_non_empty = !opened.session.is_empty();
                state.data = opened.session;
                if opened.signed_with_fallback {
                    state.source = SessionSource::FallbackKey;
                    // An empty session has nothing to re-issue (re-signing it would delete
                    // the cookie in Flask's rules).
                    if shared.reissue_fallback && state.was_non_empty {
                        state.modified = true;
                        shared.report(&SessionEvent::Reissued);
                    }
                } else {
                    state.source = SessionSource::Cookie;
                }
            }
            Err(error) => {
                let rejection = Rejection::from_error(&error);
                shared.report(&SessionEvent::Rejected(rejection.clone()));
                state.source = SessionSource::Rejected(rejection);
            }
        }
    }

    /// The session for a handler: opened and marked accessed; a validly signed cookie that
    /// does not decode is an error, not an empty session.
    pub(crate) fn for_handler(&self) -> Result<(), SessionRejection> {
        let mut state = self.lock();
        self.open(&mut state);
        state.accessed = true;
        match &state.source {
            SessionSource::Rejected(r) if r.kind() == RejectionKind::BadPayload => {
                Err(SessionRejection::BadPayload(r.clone()))
            }
            _ => Ok(()),
        }
    }

    /// Decides what the response carries; called once, by the layer.
    pub(crate) fn finish(&self) -> Outcome {
        let mut state = self.lock();
        let shared = &self.inner.shared;
        if !state.opened && shared.format.reads_untouched_sessions() {
            self.open(&mut state);
        }
        let decision = shared.format.decide(&SessionChange {
            session: &state.data,
            accessed: state.accessed,
            modified: state.modified,
            had_cookie: state.had_cookie,
            was_non_empty: state.was_non_empty,
            rejected: matches!(state.source, SessionSource::Rejected(_)),
        });
        let vary = decision.vary_cookie;
        match decision.action {
            crate::CookieAction::Keep => Outcome::Keep { vary },
            crate::CookieAction::Delete => Outcome::Set {
                header: shared.format.delete_cookie(),
                vary,
            },
            crate::CookieAction::Write { expires } => match shared.format.save(&state.data) {
                Ok(value) => Outcome::Set {
                    header: shared.format.set_cookie(&value, expires),
                    vary,
                },
                Err(error) => {
                    shared.report(&SessionEvent::SaveFailed(error.message().to_owned()));
                    Outcome::Failed
                }
            },
        }
    }

    fn read<R>(&self, f: impl FnOnce(&SessionMap<F::Value>) -> R) -> R {
        let mut state = self.lock();
        self.open(&mut state);
        state.accessed = true;
        f(&state.data)
    }

    fn write<R>(&self, f: impl FnOnce(&mut SessionMap<F::Value>) -> (R, bool)) -> R {
        let mut state = self.lock();
        self.open(&mut state);
        state.accessed = true;
        let (result, changed) = f(&mut state.data);
        state.modified |= changed;
        result
    }

    /// Where this session came from, and for an empty one, why it is empty.
    #[must_use]
    pub fn source(&self) -> SessionSource {
        let mut state = self.lock();
        self.open(&mut state);
        state.source.clone()
    }

    /// The value under `key` as a `T`, or `None` when the key is absent.
    ///
    /// # Errors
    /// When the value does not fit `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, Error> {
        self.get_value(key)
            .map(|value| F::Values::decode_value(value))
            .transpose()
    }

    /// The format's value under `key`.
    #[must_use]
    pub fn get_value(&self, key: &str) -> Option<F::Value> {
        self.read(|data| data.get(key).cloned())
    }

    /// Whether `key` is in the session.
    #[must_use]
    pub fn contains_key(&self, key: &str) -> bool {
        self.read(|data| data.contains_key(key))
    }

    /// The session's keys, sorted.
    #[must_use]
    pub fn keys(&self) -> Vec<String> {
        self.read(|data| data.keys().cloned().collect())
    }

    /// Whether the session is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.read(SessionMap::is_empty)
    }

    /// A copy of the whole session.
    #[must_use]
    pub fn to_map(&self) -> SessionMap<F::Value> {
        self.read(Clone::clone)
    }

    /// The whole session as a `T` (a struct whose fields are the session's keys).
    ///
    /// # Errors
    /// When the session does not fit `T`.
    pub fn load<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let map = self.to_map();
        F::Values::decode_session(map)
    }

    /// Sets `key` to `value` (the session is then saved, as Flask saves after any
    /// assignment, even of an equal value).
    ///
    /// # Errors
    /// When the value has no form in this format; the session is then unchanged.
    pub fn insert<T: Serialize + ?Sized>(&self, key: &str, value: &T) -> Result<(), Error> {
        let value = F::Values::encode_value(value)?;
        self.insert_value(key, value);
        Ok(())
    }

    /// Sets `key` to a value of the format, returning the previous one.
    pub fn insert_value(&self, key: &str, value: F::Value) -> Option<F::Value> {
        self.write(|data| (data.insert(key.to_owned(), value), true))
    }

    /// Replaces the whole session with `value`'s fields.
    ///
    /// # Errors
    /// When `value` is not a map with string keys or has no form in this format; the
    /// session is then unchanged.
    pub fn store<T: Serialize + ?Sized>(&self, value: &T) -> Result<(), Error> {
        let map = F::Values::encode_session(value)?;
        self.write(|data| {
            *data = map;
            ((), true)
        });
        Ok(())
    }

    /// Removes `key`; the session counts as modified only if the key was there (as Flask's
    /// `session.pop(key, None)`).
    pub fn remove(&self, key: &str) -> Option<F::Value> {
        self.write(|data| {
            let old = data.remove(key);
            let changed = old.is_some();
            (old, changed)
        })
    }

    /// Empties the session; it counts as modified even if it was empty (as Flask's
    /// `session.clear()`), so the cookie is deleted.
    pub fn clear(&self) {
        self.write(|data| {
            data.clear();
            ((), true)
        });
    }

    /// Marks the session modified, so it is signed again (Flask's `session.modified = True`).
    pub fn mark_modified(&self) {
        self.write(|_| ((), true));
    }
}

/// Why the [`Session`] extractor failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionRejection {
    /// No [`SessionLayer`](crate::SessionLayer) of this format wraps the route.
    MissingLayer,
    /// The cookie is validly signed but does not decode: Flask answers 500 too.
    BadPayload(Rejection),
}

impl std::fmt::Display for SessionRejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::MissingLayer => f.write_str("no SessionLayer for this session format"),
            Self::BadPayload(rejection) => rejection.fmt(f),
        }
    }
}

impl std::error::Error for SessionRejection {}

impl IntoResponse for SessionRejection {
    fn into_response(self) -> Response {
        // The reason goes to the hook and to the application, not to the client.
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    }
}

impl<S: Send + Sync, F: SessionFormat> FromRequestParts<S> for Session<F> {
    type Rejection = SessionRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let session = parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or(SessionRejection::MissingLayer)?;
        session.for_handler()?;
        Ok(session)
    }
}
