//! `wait_for`: a future with a deadline, and `Elapsed`, what it returns when
//! the deadline wins.
//!
//! Each poll runs the inner future first and the timer second, as CPython's
//! `asyncio.wait_for` (3.12) and tokio's `timeout` do. Two consequences that
//! surprise people, and that this project exists to show:
//!
//! * A future that is ready on its first poll wins even with a zero timeout.
//! * The timer can only win at a poll, and polls happen only when the loop
//!   gets control back. If the inner future blocks for 5 s under a 1 s
//!   timeout and then returns, it returns `Ok`: the timeout never had a
//!   chance. If it yields once after blocking, the timer fires in the loop's
//!   timer step, but the next poll runs the inner future first, which
//!   finishes: still `Ok`. Only a second yield lets the timer's turn come:
//!   `Err(Elapsed)`, 4 s late. CPython 3.12 behaves exactly so.
//!
//! One race CPython 3.12 decides the other way: the inner future and the
//! timer come due in the same timer step (a block outlasts both deadlines).
//! waitfor wakes the task once, and its poll finds the inner future done:
//! `Ok`, as tokio answers. CPython runs the inner future's callback, which
//! queues the task's wake-up, then the timeout's, which cancels the task
//! before that wake-up runs: the result is dropped, `TimeoutError`. waitfor
//! keeps its rule because a value that exists when the caller looks is not
//! thrown away (a received message may not come again), and because the
//! answer then depends only on what is ready at the poll, not on the order
//! in which one step lists two timers. `examples/same_turn.rs` shows it.
//!
//! The timer is filed when the timer half is first polled, after the inner
//! future's first poll (as with tokio's `timeout`). The `Elapsed` is dated
//! by the instant the loop's timer step fired it, which the `Sleep` hands
//! over when its poll sees the timer fired: exact, however many turns later
//! the `wait_for` is polled. A pending poll costs the `Sleep`'s own poll and
//! nothing more. If that first poll
//! blocks, the timer goes straight to the wheel's overdue list and fires at
//! the next timer step: just as late, and blamed on the same poll.
//!
//! The timer half does not consult the cooperative budget, so a timeout
//! still fires when the inner future has spent it (tokio had to fix exactly
//! this, in its issue 4291).
//!
//! With the trace on, a `wait_for` records its own life beside its timer's:
//! created, timer filed, returned. That is the trace's only way to show a
//! timeout that was never filed. With it off, each poll pays one branch.

use crate::context;
use crate::core::Core;
use crate::time::elapsed::Elapsed;
use crate::time::sleep::Sleep;
use pin_project_lite::pin_project;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

pin_project! {
    /// A future with a deadline. Created by [`wait_for`] and [`wait_until`].
    #[must_use = "futures do nothing unless awaited"]
    pub struct WaitFor<F> {
        // `None` once the deadline won: the inner future has been dropped.
        #[pin]
        future: Option<F>,
        timeout: Sleep,
        // Whether the executor records a trace: then the return is recorded
        // too, and the `Ok` path, which otherwise never looks at the
        // executor, pays only this one branch when the trace is off.
        traced: bool,
    }
}

/// Runs `future` for at most `timeout` on the executor's clock.
///
/// Resolves to `Ok(output)` if the future finishes first, and to
/// `Err(Elapsed)` once the timer has fired and a poll sees it; the inner
/// future is then dropped (cancelled). A timeout too large to add to the
/// current `Instant` (such as `Duration::MAX`) means "no deadline".
/// [`timeout`] is the same, under tokio's name and argument order.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{now, sleep, wait_for, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// executor.block_on(async {
///     let start = now();
///     let quick = wait_for(async { "done" }, Duration::ZERO).await;
///     assert_eq!(quick, Ok("done"), "the future is polled before the timer");
///
///     let slow = wait_for(sleep(Duration::from_secs(3)), Duration::from_secs(1)).await;
///     assert_eq!(slow.unwrap_err().fired_at() - start, Duration::from_secs(1));
/// });
/// ```
///
/// # Panics
/// Outside an executor.
#[doc(alias = "timeout")]
pub fn wait_for<F: IntoFuture>(future: F, timeout: Duration) -> WaitFor<F::IntoFuture> {
    let (deadline, traced) = context::with_core("waitfor::wait_for", |core| {
        let now = core.clock().now();
        let deadline = now.checked_add(timeout);
        core.record_wait_for_start(Some(now), deadline);
        (deadline, core.is_tracing())
    });
    WaitFor::new(future.into_future(), Sleep::until(deadline), traced)
}

/// Runs `future` until `deadline` at most; see [`wait_for`].
/// [`timeout_at`] is the same, under tokio's name and argument order.
///
/// # Panics
/// Outside an executor.
#[doc(alias = "timeout_at")]
pub fn wait_until<F: IntoFuture>(future: F, deadline: Instant) -> WaitFor<F::IntoFuture> {
    let traced = context::with_core("waitfor::wait_until", |core| {
        core.record_wait_for_start(None, Some(deadline));
        core.is_tracing()
    });
    WaitFor::new(future.into_future(), Sleep::until(Some(deadline)), traced)
}

/// [`wait_for`] under tokio's name, with tokio's argument order: the
/// duration first. The same future, the same rules (the inner future is
/// polled first; the timer fires only when the loop gets control back).
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{advance, timeout, yield_now, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// let outcome = executor.block_on(async {
///     let blocking = async {
///         advance(Duration::from_millis(500)); // a blocking call
///         yield_now().await;
///         yield_now().await;
///     };
///     timeout(Duration::from_millis(100), blocking).await
/// });
/// assert_eq!(outcome.unwrap_err().lateness(), Duration::from_millis(400));
/// ```
///
/// # Panics
/// Outside an executor.
#[doc(alias = "wait_for")]
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> WaitFor<F::IntoFuture> {
    wait_for(future, duration)
}

/// [`wait_until`] under tokio's name, with tokio's argument order: the
/// deadline first.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{now, sleep, timeout_at, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// executor.block_on(async {
///     let deadline = now() + Duration::from_secs(1);
///     let outcome = timeout_at(deadline, sleep(Duration::from_secs(5))).await;
///     assert_eq!(outcome.unwrap_err().deadline(), deadline);
/// });
/// ```
///
/// # Panics
/// Outside an executor.
#[doc(alias = "wait_until")]
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> WaitFor<F::IntoFuture> {
    wait_until(future, deadline)
}

impl<F> WaitFor<F> {
    fn new(future: F, timeout: Sleep, traced: bool) -> Self {
        WaitFor {
            future: Some(future),
            timeout,
            traced,
        }
    }
}

impl<F: Future> Future for WaitFor<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let future = this
            .future
            .as_mut()
            .as_pin_mut()
            .expect("WaitFor polled again after it timed out");
        if let Poll::Ready(output) = future.poll(cx) {
            if *this.traced {
                context::with_core("polling a waitfor::WaitFor", |core| {
                    record_end(core, this.timeout.deadline(), false);
                });
            }
            return Poll::Ready(Ok(output));
        }
        let was_filed = this.timeout.is_filed();
        let Poll::Ready(fired_at) = this.timeout.poll_fired(cx) else {
            if *this.traced && !was_filed && this.timeout.is_filed() {
                context::with_core("polling a waitfor::WaitFor", |core| {
                    core.record_wait_for(this.timeout.deadline(), |tracer, now, deadline| {
                        tracer.wait_for_filed(now, deadline);
                    });
                });
            }
            return Poll::Pending;
        };
        this.future.set(None);
        let deadline = this
            .timeout
            .deadline()
            .expect("a timer without a deadline never fires");
        // The `Sleep` is this future's own and completes once, here.
        let fired_at = fired_at.expect("a WaitFor's timer is seen fired once");
        let blame = context::with_core("polling a waitfor::WaitFor", |core| {
            record_end(core, Some(deadline), true);
            core.blame(deadline).map(Box::new)
        });
        Poll::Ready(Err(Elapsed::new(deadline, fired_at, blame)))
    }
}

/// Records in the trace (if on) that the `wait_for` due at `deadline` returned.
fn record_end(core: &Core, deadline: Option<Instant>, timed_out: bool) {
    core.record_wait_for(deadline, |tracer, now, deadline| {
        tracer.wait_for_ended(now, deadline, timed_out);
    });
}
