//! `yield_now`: give the loop its turn.
//!
//! The future wakes its own task and returns `Pending` once. The task goes
//! to the back of the ready queue, so it runs again in the *next* turn, after
//! the loop has serviced its timers: the cure for a CPU-bound loop that
//! starves them. The fix costs one trip round the loop.

use crate::context;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Lets the executor run its timer step and other tasks before this task
/// continues. Created by [`yield_now`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct YieldNow {
    yielded: bool,
}

/// Returns control to the loop once; the task resumes in the next turn.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{advance, wait_for, yield_now, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// let outcome = executor.block_on(async {
///     let cpu_bound = async {
///         for _ in 0..600 {
///             advance(Duration::from_millis(1)); // 1 ms of CPU work
///             yield_now().await; // lets the loop fire the timer
///         }
///     };
///     wait_for(cpu_bound, Duration::from_millis(100)).await
/// });
/// // Without the yield: `Ok` after all 600 ms.
/// assert_eq!(outcome.unwrap_err().lateness(), Duration::ZERO);
/// ```
///
/// # Panics
/// Outside an executor.
pub fn yield_now() -> YieldNow {
    context::with_core("waitfor::yield_now", |_| ());
    YieldNow { yielded: false }
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
