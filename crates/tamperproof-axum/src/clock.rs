//! [`SharedClock`]: one clock for a format's signing times, cookie ages and `Expires`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use sign_core::{Clock, SystemClock};

/// A clock the serializers and the cookie attributes share.
#[derive(Clone, Debug)]
pub(crate) struct SharedClock(Arc<dyn Clock>);

impl SharedClock {
    pub(crate) fn new(clock: impl Clock + 'static) -> Self {
        Self(Arc::new(clock))
    }

    /// The given clock, or the system's.
    pub(crate) fn or_system(clock: Option<Self>) -> Self {
        clock.unwrap_or_else(|| Self::new(SystemClock))
    }

    /// Now + `lifetime`; `None` only past what `SystemTime` holds (a clock or lifetime no
    /// real config has), where the cookie then gets no `Expires`.
    pub(crate) fn after(&self, lifetime: Duration) -> Option<SystemTime> {
        SystemTime::UNIX_EPOCH
            .checked_add(Duration::from_secs(self.0.now()))?
            .checked_add(lifetime)
    }
}

impl Clock for SharedClock {
    fn now(&self) -> u64 {
        self.0.now()
    }
}
