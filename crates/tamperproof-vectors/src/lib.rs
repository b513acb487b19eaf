//! The compatibility-vector harness shared by `cargo xtask compat` and the `vectors`
//! integration test of `tamperproof`: reads `tamperproof-vectors/1` files
//! ([`vector_file`]), runs their cases against the sign-* crates ([`runner`]) and compares
//! loaded JSON values as Python does ([`json_eq`]).
//!
//! Unpublished; for the workspace's own tooling.
#![forbid(unsafe_code)]

pub mod framework_params;
pub mod frameworks;
pub mod json_eq;
pub mod runner;
pub mod vector_file;
