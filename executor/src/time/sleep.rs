//! `Sleep`: a future that completes when the loop fires its timer.
//!
//! A `Sleep` never looks at the clock to decide it is done. Its first poll
//! files an alarm for its task in the executor's wheel and keeps the key; it
//! completes only once step 2 of the loop has fired that timer, which it sees
//! because its key's entry has *expired*: the step took the alarm to wake
//! the task and left in its place the instant it fired at. The poll collects
//! that instant, freeing the entry, and a `wait_for` dates its timeout by it
//! (`poll_fired`). So a `Sleep` can finish late (when a
//! poll holds the loop past its deadline) but never early, and never without
//! the loop's help: the whole point of this project.
//!
//! The wheel owns the alarm, and then the fire instant, so a `Sleep` is just
//! a deadline and a key (32 bytes), needs no pinning, and cancels its timer
//! when dropped, on whichever thread that happens; fired and not yet
//! collected, the cancel frees the entry all the same.
//! [`Sleep::reset`] moves the timer to another slot under the same key
//! (`Wheel::reschedule`): an `Interval` is one `Sleep`, reset after each tick.

use crate::context;
use crate::core::{self, Registration};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Waits until a deadline. Created by [`sleep`] and [`sleep_until`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited"]
pub struct Sleep {
    /// `None` when the deadline is past the clock's range: never fires.
    deadline: Option<Instant>,
    timer: Option<Registration>,
}

/// Waits for `duration` on the executor's clock, to a resolution of one tick.
///
/// A duration too large to add to the current `Instant` (such as
/// `Duration::MAX`) means "never".
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{now, sleep, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// executor.block_on(async {
///     let start = now();
///     sleep(Duration::from_secs(3)).await; // virtual: no real waiting
///     assert_eq!(now() - start, Duration::from_secs(3));
/// });
/// ```
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
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{advance, now, sleep_until, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// executor.block_on(async {
///     let deadline = now() + Duration::from_millis(250);
///     sleep_until(deadline).await;
///     assert_eq!(now(), deadline);
///     advance(Duration::from_secs(1));
///     sleep_until(deadline).await; // in the past: due at once
///     assert_eq!(now() - deadline, Duration::from_secs(1));
/// });
/// ```
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

    /// Whether its timer has been filed in a wheel (by its first poll).
    pub(crate) fn is_filed(&self) -> bool {
        self.timer.is_some()
    }

    /// [`poll`](Future::poll), telling also when the loop's timer step fired
    /// the timer: `Ready(Some(instant))` the first time it is seen fired,
    /// `Ready(None)` on any later poll (the instant was handed out then).
    pub(crate) fn poll_fired(&mut self, cx: &mut Context<'_>) -> Poll<Option<Instant>> {
        let Some(deadline) = self.deadline else {
            return Poll::Pending;
        };
        context::with_core("polling a waitfor::Sleep", |core| {
            core.poll_timer(&mut self.timer, deadline, cx.waker())
        })
    }

    /// Moves the deadline to `deadline`, as tokio's `Sleep::reset` does,
    /// and makes the sleep wait again even if it has completed.
    ///
    /// A timer already filed in the wheel is moved there, keeping whom it
    /// wakes: nothing is allocated, and a deadline already past makes it due
    /// at the loop's next timer step, which wakes the task. A timer that has
    /// fired (seen by a poll or not) is filed afresh at the next poll,
    /// reusing its freed entry.
    ///
    /// ```
    /// use std::time::Duration;
    /// use waitfor_executor::{now, sleep, Executor};
    ///
    /// let executor = Executor::builder().virtual_clock().build();
    /// executor.block_on(async {
    ///     let start = now();
    ///     let mut nap = sleep(Duration::from_secs(10));
    ///     nap.reset(start + Duration::from_secs(2));
    ///     (&mut nap).await;
    ///     assert_eq!(now() - start, Duration::from_secs(2));
    ///     nap.reset(now() + Duration::from_secs(1)); // once more, after firing
    ///     nap.await;
    ///     assert_eq!(now() - start, Duration::from_secs(3));
    /// });
    /// ```
    ///
    /// # Panics
    /// If the timer was filed (the sleep has been polled) and this is called
    /// outside the executor that filed it.
    pub fn reset(&mut self, deadline: Instant) {
        self.reset_to(Some(deadline));
    }

    /// [`reset`](Sleep::reset), where `None` means "never".
    pub(crate) fn reset_to(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
        let Some(timer) = self.timer else {
            return;
        };
        let still_filed = match deadline {
            Some(deadline) => context::with_core("waitfor::Sleep::reset", |core| {
                core.reset_timer(timer, deadline)
            }),
            None => {
                cancel(timer);
                false
            }
        };
        if !still_filed {
            self.timer = None;
        }
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.get_mut().poll_fired(cx).map(drop)
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        if let Some(timer) = self.timer {
            // On any thread, inside its executor or not: see `core/cancellations.rs`.
            cancel(timer);
        }
    }
}

/// Cancels `timer`, whose `Sleep` is being dropped or moved out of the
/// wheel's range, wherever that happens: at once inside its executor's
/// loop, else by posting it to the executor's mailbox (`core/cancellations.rs`).
// Out of line, so that dropping a `Sleep` that was never filed (a `wait_for`
// whose future was ready) stays an inlined check of `timer`.
#[inline(never)]
fn cancel(timer: Registration) {
    let cancelled = context::try_with_core(|core| core.cancel_timer_here(timer));
    if cancelled != Some(true) {
        core::post_cancellation(timer);
    }
}

#[cfg(test)]
mod tests {
    use crate::{advance, context, sleep, yield_now, Executor, Sleep};
    use std::future::{poll_fn, Future};
    use std::pin::{pin, Pin};
    use std::sync::Arc;
    use std::task::{Context, Poll};
    use std::time::Duration;

    /// References to the `block_on` future's waker, the executor's included.
    fn main_waker_refs() -> usize {
        context::with_core("test", |core| Arc::strong_count(core.main_waker()))
    }

    #[test]
    fn a_timer_filed_with_the_tasks_own_waker_names_the_task_and_still_wakes_it() {
        let executor = Executor::builder().virtual_clock().build();
        executor.block_on(async {
            let before = main_waker_refs();
            let mut own = pin!(sleep(Duration::from_secs(1)));
            poll_fn(|cx| {
                assert!(own.as_mut().poll(cx).is_pending());
                Poll::Ready(())
            })
            .await;
            assert_eq!(main_waker_refs(), before, "no waker clone in the wheel");

            let mut foreign = pin!(sleep(Duration::from_secs(2)));
            let mut cx = Context::from_waker(futures_task::noop_waker_ref());
            assert!(foreign.as_mut().poll(&mut cx).is_pending());
            poll_fn(|cx| foreign.as_mut().poll(cx)).await;
            assert_eq!(main_waker_refs(), before, "the re-poll filed the task");

            own.await;
        });
    }

    /// (pending, fired and not yet collected) entries of the running
    /// executor's wheel.
    fn wheel_entries() -> (usize, usize) {
        context::with_core("test", |core| core.wheel_entries())
    }

    /// A `Sleep` for `duration`, filed with a waker that wakes nobody, and
    /// then fired by a timer step.
    async fn fired_sleep(duration: Duration) -> Sleep {
        let mut nap = sleep(duration);
        let mut nobody = Context::from_waker(futures_task::noop_waker_ref());
        assert!(Pin::new(&mut nap).poll(&mut nobody).is_pending());
        advance(duration);
        yield_now().await;
        assert_eq!(wheel_entries(), (0, 1), "fired, waiting for its Sleep");
        nap
    }

    #[test]
    fn a_fired_sleep_frees_its_entry_when_it_sees_the_fire_or_is_dropped() {
        let executor = Executor::builder().virtual_clock().build();
        executor.block_on(async {
            let mut nap = fired_sleep(Duration::from_secs(1)).await;
            let mut nobody = Context::from_waker(futures_task::noop_waker_ref());
            let fired_at = nap.poll_fired(&mut nobody);
            assert!(matches!(fired_at, Poll::Ready(Some(_))));
            assert_eq!(wheel_entries(), (0, 0), "collected");
            assert_eq!(nap.poll_fired(&mut nobody), Poll::Ready(None), "once");

            drop(fired_sleep(Duration::from_secs(1)).await);
            assert_eq!(wheel_entries(), (0, 0), "dropped unseen, still freed");
        });
    }

    #[test]
    fn a_fired_sleep_dropped_on_another_thread_is_freed_at_the_next_timer_step() {
        let executor = Executor::builder().virtual_clock().build();
        executor.block_on(async {
            let nap = fired_sleep(Duration::from_secs(1)).await;
            std::thread::spawn(move || drop(nap)).join().unwrap();
            assert_eq!(wheel_entries(), (0, 1), "posted, not yet taken");
            yield_now().await;
            assert_eq!(wheel_entries(), (0, 0));
        });
    }

    #[test]
    fn a_fired_sleep_reset_before_it_saw_the_fire_frees_it_and_waits_again() {
        let executor = Executor::builder().virtual_clock().build();
        executor.block_on(async {
            let mut nap = fired_sleep(Duration::from_secs(1)).await;
            let start = crate::now();
            nap.reset(start + Duration::from_secs(2));
            assert_eq!(wheel_entries(), (0, 0), "the fired entry is freed");
            (&mut nap).await;
            assert_eq!(crate::now() - start, Duration::from_secs(2));
            assert_eq!(wheel_entries(), (0, 0));
        });
    }
}
