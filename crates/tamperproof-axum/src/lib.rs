#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod clock;
mod config;
mod cookie;
mod django;
mod event;
mod flask;
mod format;
mod json;
mod keys;
mod layer;
mod rotation;
mod session;
mod starlette;

pub use cookie::{CookieConfigError, CookieSettings, SameSite, SessionConfigError};
pub use django::{DEFAULT_SESSION_COOKIE_AGE, Django, DjangoConfig};
pub use event::{Rejection, RejectionKind, SessionEvent, SessionSource};
pub use flask::{
    DEFAULT_PERMANENT_SESSION_LIFETIME, Flask, FlaskConfig, FlaskValues, PERMANENT_KEY,
};
pub use format::{
    CookieAction, Decision, Opened, SessionChange, SessionFormat, SessionMap, SessionValues,
};
pub use json::JsonValues;
pub use layer::{ResponseFuture, SessionLayer, SessionService};
pub use session::{Session, SessionRejection};
pub use sign_core::Error;
pub use sign_flask::SessionValue;
pub use starlette::{DEFAULT_STARLETTE_MAX_AGE, Starlette, StarletteConfig};
