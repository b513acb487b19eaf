//! `cargo xtask`: developer tasks for the tamperproof workspace.
fn main() {}
