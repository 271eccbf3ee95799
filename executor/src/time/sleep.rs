//! `Sleep`: a future that completes when the loop fires its timer.
//!
//! A `Sleep` never looks at the clock to decide it is done. Its first poll
//! files an alarm for its task in the executor's wheel and keeps the key; it
//! completes only once step 2 of the loop has fired that timer, which it sees
//! because its key is no longer in the wheel. So a `Sleep` can finish late (when a
//! poll holds the loop past its deadline) but never early, and never without
//! the loop's help: the whole point of this project.
//!
//! The wheel owns the alarm, so a `Sleep` is just a deadline and a key
//! (32 bytes), needs no pinning, and cancels its timer when dropped, on
//! whichever thread that happens.

use crate::context;
use crate::core;
use crate::waker::ExecutorId;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use waitfor_timer::TimerKey;

/// Waits until a deadline. Created by [`sleep`] and [`sleep_until`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    /// `None` when the deadline is past the clock's range: never fires.
    deadline: Option<Instant>,
    timer: Option<Registration>,
}

/// A timer filed in one executor's wheel.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Registration {
    pub(crate) key: TimerKey,
    pub(crate) executor: ExecutorId,
}

/// Waits for `duration` on the executor's clock, to a resolution of one tick.
///
/// A duration too large to add to the current `Instant` (such as
/// `Duration::MAX`) means "never".
///
/// # Panics
/// Outside an executor.
pub fn sleep(duration: Duration) -> Sleep {
    let now = context::with_core("waitfor::sleep", |core| core.clock().now());
    Sleep::until(now.checked_add(duration))
}

/// Waits until `deadline` on the executor's clock. A deadline in the past
/// completes at the loop's next timer step.
///
/// # Panics
/// Outside an executor.
pub fn sleep_until(deadline: Instant) -> Sleep {
    context::with_core("waitfor::sleep_until", |_| ());
    Sleep::until(Some(deadline))
}

impl Sleep {
    pub(crate) fn until(deadline: Option<Instant>) -> Self {
        Sleep {
            deadline,
            timer: None,
        }
    }

    /// When this sleep ends, or `None` if never.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let Some(deadline) = this.deadline else {
            return Poll::Pending;
        };
        context::with_core("polling a waitfor::Sleep", |core| {
            core.poll_timer(&mut this.timer, deadline, cx.waker())
        })
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(timer) = self.timer {
            // On any thread, inside its executor or not: see `core/cancellations.rs`.
            core::cancel_timer(timer);
        }
    }
}
