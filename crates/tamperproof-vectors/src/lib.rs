#![doc = include_str!("../README.md")]
//!
//! # Modules
//!
//! Reading a `tamperproof-vectors/1` file is [`vector_file`]; the kind registry, which maps a
//! case's kind and parameters to the sign-* crates, is [`kinds`]; running cases is [`run`],
//! with [`outcome`], [`tally`] and [`show`] for what it reports; [`json_eq`] compares loaded
//! JSON values as Python does.
#![forbid(unsafe_code)]

pub mod json_eq;
pub mod kinds;
pub mod outcome;
pub mod run;
pub mod show;
pub mod tally;
pub mod vector_file;
