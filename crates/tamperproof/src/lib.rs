//! Facade crate (work in progress).
pub use sign_core as core;
