//! The oldest a signature may be.

use std::time::Duration;

/// How old a signature may be, in whole seconds. Built from a [`Duration`] (fractions of a
/// second are dropped, which gives the same verdicts as Python's float `max_age`, since ages
/// are whole seconds) or from a number of seconds. A negative age, as in Python, expires
/// every signature.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MaxAge(i64);

impl MaxAge {
    /// A maximum age of `seconds`.
    #[must_use]
    pub const fn from_secs(seconds: i64) -> Self {
        Self(seconds)
    }

    /// The maximum age in seconds.
    #[must_use]
    pub const fn as_secs(self) -> i64 {
        self.0
    }
}

impl From<Duration> for MaxAge {
    fn from(duration: Duration) -> Self {
        Self(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
    }
}

impl From<u64> for MaxAge {
    fn from(seconds: u64) -> Self {
        Self(i64::try_from(seconds).unwrap_or(i64::MAX))
    }
}

impl From<u32> for MaxAge {
    fn from(seconds: u32) -> Self {
        Self(i64::from(seconds))
    }
}

impl From<i64> for MaxAge {
    fn from(seconds: i64) -> Self {
        Self(seconds)
    }
}

impl From<i32> for MaxAge {
    fn from(seconds: i32) -> Self {
        Self(i64::from(seconds))
    }
}
