#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

mod clock;
mod cookie;
mod event;
mod flask;
mod format;
mod layer;
mod rotation;
mod session;

pub use cookie::{CookieConfigError, CookieSettings, SameSite, SessionConfigError};
pub use event::{Rejection, RejectionKind, SessionEvent, SessionSource};
pub use flask::{DEFAULT_PERMANENT_SESSION_LIFETIME, Flask, FlaskConfig, PERMANENT_KEY};
pub use format::{CookieAction, Decision, Opened, SessionChange, SessionFormat, SessionMap};
pub use layer::{ResponseFuture, SessionLayer, SessionService};
pub use session::{Session, SessionRejection};
pub use sign_core::Error;
pub use sign_flask::SessionValue;
