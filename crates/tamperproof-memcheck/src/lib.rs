//! Unpublished, test-only measurements of what the tamperproof crates leave in memory.
//!
//! - [`alloc::Tracking`], a global allocator that counts allocations, tracks the peak of live
//!   bytes, and can search every block it frees for given byte strings;
//! - [`hmac_states`]: the HMAC inner and outer chaining values of a key, computed with the
//!   hash crates' compression functions (not with the hmac crate), as they lie in memory;
//! - [`shapes`]: adversarial JSON payloads and the keyless tokens that carry them;
//! - [`keyless`]: every keyless decoder, as one list.
//!
//! The tests in `tests/` use them: `freed_memory` (no key material in freed blocks),
//! `failure_allocations` (a failing verification allocates a small constant),
//! `keyless_peak` (keyless decoding stays within its memory bound). `examples/keyless_table`
//! prints the keyless peak-memory table that docs/SECURITY.md quotes.

pub mod alloc;
pub mod hmac_states;
pub mod keyless;
pub mod shapes;
