//! Where "now" comes from: the system clock by default, a fixed time in tests and vector runs.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// A source of the current time in whole Unix seconds (Python's `int(time.time())`).
pub trait Clock: Send + Sync + fmt::Debug {
    /// Seconds since the Unix epoch, truncated toward zero.
    fn now(&self) -> u64;
}

/// The operating system's wall clock. Times before 1970 read as 0.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    }
}

/// A clock stopped at one instant, for tests and reproducible runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixedClock(pub u64);

impl Clock for FixedClock {
    fn now(&self) -> u64 {
        self.0
    }
}
