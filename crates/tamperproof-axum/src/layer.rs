//! [`SessionLayer`]: the tower layer that puts a [`Session`] in each request and writes the
//! cookie back on the response.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::header::{SET_COOKIE, VARY};
use http::{HeaderMap, HeaderValue, Request, Response, StatusCode};
use tower_layer::Layer;
use tower_service::Service;

use crate::event::SessionEvent;
use crate::format::SessionFormat;
use crate::session::{HookSlot, Outcome, Session, Shared};

/// A tower [`Layer`] for session cookies in format `F` (see [`Flask`](crate::Flask)).
///
/// Cloning is cheap: the configuration sits behind one `Arc`, shared by every request.
/// Build it from a format's config, e.g. [`FlaskConfig::layer`](crate::FlaskConfig::layer).
#[derive(Debug)]
pub struct SessionLayer<F> {
    shared: Arc<Shared<F>>,
}

impl<F> Clone for SessionLayer<F> {
    fn clone(&self) -> Self {
        Self {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<F: SessionFormat> SessionLayer<F> {
    /// A layer for `format`, re-issuing cookies signed with a fallback key, without a hook.
    #[must_use]
    pub fn new(format: F) -> Self {
        Self {
            shared: Arc::new(Shared {
                format: Arc::new(format),
                reissue_fallback: true,
                hook: None,
            }),
        }
    }

    fn shared_mut(&mut self) -> &mut Shared<F> {
        // Copies the small settings (not the format) if the layer was cloned already.
        Arc::make_mut(&mut self.shared)
    }

    /// Whether a cookie signed with a fallback key (`SECRET_KEY_FALLBACKS`) is re-signed
    /// with the current key on the response (default: yes). Flask itself re-signs only
    /// when it writes the cookie anyway.
    #[must_use]
    pub fn reissue_fallback_cookies(mut self, reissue: bool) -> Self {
        self.shared_mut().reissue_fallback = reissue;
        self
    }

    /// Calls `hook` for every [`SessionEvent`]: rejected cookies (with the reason), fallback
    /// cookies re-issued, sessions that could not be saved. For logs and metrics.
    #[must_use]
    pub fn on_event(mut self, hook: impl Fn(&SessionEvent) + Send + Sync + 'static) -> Self {
        self.shared_mut().hook = Some(HookSlot(Arc::new(hook)));
        self
    }

    /// The format.
    #[must_use]
    pub fn format(&self) -> &F {
        &self.shared.format
    }
}

impl<S, F: SessionFormat> Layer<S> for SessionLayer<F> {
    type Service = SessionService<S, F>;

    fn layer(&self, inner: S) -> Self::Service {
        SessionService {
            inner,
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The service [`SessionLayer`] wraps around an inner service.
#[derive(Debug)]
pub struct SessionService<S, F> {
    inner: S,
    shared: Arc<Shared<F>>,
}

impl<S: Clone, F> Clone for SessionService<S, F> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<S, F, ReqBody, ResBody> Service<Request<ReqBody>> for SessionService<S, F>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    F: SessionFormat,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, F>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        let cookie = self
            .shared
            .format
            .cookie()
            .find_in(request.headers())
            .map(str::to_owned);
        let session = Session::new(Arc::clone(&self.shared), cookie);
        request.extensions_mut().insert(session.clone());
        ResponseFuture {
            inner: self.inner.call(request),
            session: Some(session),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`SessionService`]: the inner response, with the session cookie.
    pub struct ResponseFuture<Fut, F: SessionFormat> {
        #[pin]
        inner: Fut,
        session: Option<Session<F>>,
    }
}

impl<Fut, F, ResBody, E> Future for ResponseFuture<Fut, F>
where
    Fut: Future<Output = Result<Response<ResBody>, E>>,
    F: SessionFormat,
    ResBody: Default,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match this.inner.poll(cx) {
            Poll::Ready(Ok(response)) => response,
            other => return other,
        };
        if let Some(session) = this.session.take() {
            match session.finish() {
                Outcome::Keep { vary } => add_vary(response.headers_mut(), vary),
                Outcome::Set { header, vary } => {
                    add_vary(response.headers_mut(), vary);
                    // Our own rendering only emits visible ASCII; a failure cannot happen,
                    // and would leave the cookie unset rather than send a broken header.
                    if let Ok(value) = HeaderValue::try_from(header) {
                        response.headers_mut().append(SET_COOKIE, value);
                    }
                }
                Outcome::Failed => {
                    let mut failed = Response::new(ResBody::default());
                    *failed.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
                    response = failed;
                }
            }
        }
        Poll::Ready(Ok(response))
    }
}

/// Adds `Cookie` to `Vary` unless it is there already (or `Vary: *`).
fn add_vary(headers: &mut HeaderMap, vary: bool) {
    if !vary {
        return;
    }
    let present = headers
        .get_all(VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| {
            let token = token.trim();
            token == "*" || token.eq_ignore_ascii_case("cookie")
        });
    if !present {
        headers.append(VARY, HeaderValue::from_static("Cookie"));
    }
}
