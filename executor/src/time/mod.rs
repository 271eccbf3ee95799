//! Time inside the executor: the clock, sleeping, and timeouts.
//!
//! [`wait_for`](crate::wait_for) (`wait_for.rs`) wraps a future with a
//! [`Sleep`] (`sleep.rs`); what it returns on a timeout is [`Elapsed`]
//! (`elapsed.rs`). The crate's docs (`lib.rs`, "Following a timeout") walk
//! a timeout through every file it crosses.
//!
//! An [`Interval`] (in `interval.rs`) is one `Sleep`, reset after each tick.

pub(crate) mod elapsed;
mod interval;
mod sleep;
mod wait_for;

pub use elapsed::Elapsed;
pub use interval::{interval, interval_at, Interval, MissedTickBehavior};
pub use sleep::{sleep, sleep_until, Sleep};
pub use wait_for::{timeout, timeout_at, wait_for, wait_until, WaitFor};

use crate::context;
use std::time::{Duration, Instant};

/// The executor's current time: the system clock, or the virtual clock's
/// reading if the executor was built with one.
///
/// # Panics
/// Outside an executor.
pub fn now() -> Instant {
    context::with_core("waitfor::now", |core| core.clock().now())
}

/// Moves the virtual clock forward by `duration`, **without yielding**.
///
/// This is the deterministic stand-in for a blocking call such as
/// `time.sleep`: the task keeps the loop for the whole (virtual) duration,
/// and no timer is serviced meanwhile, because timers are serviced only
/// between polls. `async { waitfor::advance(Duration::from_secs(5)); "done" }`
/// blocks the loop for five virtual seconds.
///
/// # Panics
/// Outside an executor; on an executor with a real clock; or if the clock
/// would pass the largest representable `Instant`.
pub fn advance(duration: Duration) {
    context::with_core("waitfor::advance", |core| core.clock().advance(duration));
}
