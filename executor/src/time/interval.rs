//! `Interval`: a periodic timer, and what it does with the ticks a blocked
//! loop made it miss.
//!
//! An interval is one [`Sleep`] that is reset after each tick to the next
//! one's deadline, so it costs one timer in the wheel however long it runs.
//! Its ticks are a schedule (`start`, `start + period`, ...), and
//! [`tick`](Interval::tick) returns the *scheduled* instant of the tick it
//! completes, not the instant the task got to see it.
//!
//! # Missed ticks: starvation, after the fact
//!
//! When a poll holds the loop for five periods, five ticks come due with
//! nobody to fire them. When the loop is back, the interval has to decide
//! what its schedule means now, and [`MissedTickBehavior`] says how, with
//! tokio's three answers and tokio's rule for when a tick counts as missed
//! (the loop got to it more than 5 ms late):
//!
//! * `Burst` (the default): the missed ticks come at once, one after the
//!   other, until the schedule has caught up; then it carries on as if
//!   nothing had happened.
//! * `Delay`: the schedule restarts from now: the next tick is one period
//!   after the late one was seen.
//! * `Skip`: the missed ticks are dropped; the next tick is the next one of
//!   the original schedule that is still ahead.
//!
//! A burst tick is due already, but like every timer here it completes only
//! when the loop's timer step fires it: one turn each, with no time passing.
//! For the same reason the first tick, due at once, completes in the loop's
//! next turn (tokio's completes within the poll).

use crate::context;
use crate::time::sleep::{sleep_until, Sleep};
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

/// How late a tick may be seen before it counts as missed: tokio's margin.
const MISSED_AFTER: Duration = Duration::from_millis(5);

/// What an [`Interval`] does with ticks the loop was too busy to fire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MissedTickBehavior {
    /// Fire every missed tick, as fast as the loop allows, then keep the
    /// original schedule.
    #[default]
    Burst,
    /// Start a new schedule: the next tick is one period after now.
    Delay,
    /// Drop the missed ticks: the next tick is the next one of the original
    /// schedule after now.
    Skip,
}

impl MissedTickBehavior {
    /// The deadline after a tick scheduled for `scheduled` was seen at `now`,
    /// more than [`MISSED_AFTER`] late. `None` past the largest `Instant`.
    fn next_after_missed(
        self,
        scheduled: Instant,
        now: Instant,
        period: Duration,
    ) -> Option<Instant> {
        match self {
            MissedTickBehavior::Burst => scheduled.checked_add(period),
            MissedTickBehavior::Delay => now.checked_add(period),
            MissedTickBehavior::Skip => {
                let behind = (now - scheduled).as_nanos() % period.as_nanos();
                // `behind < period`, so it fits a `Duration` and the
                // subtraction cannot underflow.
                let behind = Duration::from_nanos(behind as u64);
                now.checked_add(period - behind)
            }
        }
    }
}

/// Ticks every `period`; created by [`interval`] and [`interval_at`].
#[derive(Debug)]
#[must_use = "an Interval does nothing until its tick() is awaited"]
pub struct Interval {
    /// Its deadline is the next tick's scheduled instant (`None`: the
    /// schedule ran past the largest `Instant`, so no more ticks).
    next: Sleep,
    period: Duration,
    missed_tick_behavior: MissedTickBehavior,
}

/// An interval whose first tick is now (it completes at once, in the loop's
/// next turn) and then every `period`.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{interval, now, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// executor.block_on(async {
///     let start = now();
///     let mut every_100_ms = interval(Duration::from_millis(100));
///     assert_eq!(every_100_ms.tick().await, start, "the first tick is at once");
///     assert_eq!(every_100_ms.tick().await - start, Duration::from_millis(100));
///     assert_eq!(every_100_ms.tick().await - start, Duration::from_millis(200));
/// });
/// ```
///
/// # Panics
/// Outside an executor, or if `period` is zero.
#[track_caller]
pub fn interval(period: Duration) -> Interval {
    let now = context::with_core("waitfor::interval", |core| core.clock().now());
    interval_at(now, period)
}

/// An interval whose first tick is at `start`, then every `period`.
///
/// # Panics
/// Outside an executor, or if `period` is zero.
#[track_caller]
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(
        !period.is_zero(),
        "waitfor::interval needs a non-zero period: a zero period would tick \
         forever without time passing"
    );
    Interval {
        next: sleep_until(start),
        period,
        missed_tick_behavior: MissedTickBehavior::default(),
    }
}

impl Interval {
    /// Waits for the next tick and returns its scheduled instant. Dropping
    /// the future before it completes loses no tick.
    pub async fn tick(&mut self) -> Instant {
        poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// [`tick`](Interval::tick) as a poll function, for hand-written futures.
    ///
    /// # Panics
    /// Outside an executor.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        let Some(scheduled) = self.next.deadline() else {
            return Poll::Pending;
        };
        ready!(Pin::new(&mut self.next).poll(cx));
        let now = context::with_core("polling a waitfor::Interval", |core| core.clock().now());
        let missed = now.saturating_duration_since(scheduled) > MISSED_AFTER;
        let next = if missed {
            self.missed_tick_behavior
                .next_after_missed(scheduled, now, self.period)
        } else {
            scheduled.checked_add(self.period)
        };
        self.next.reset_to(next);
        Poll::Ready(scheduled)
    }

    /// The time between two ticks.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// What the interval does with missed ticks.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed_tick_behavior
    }

    /// Chooses what the interval does with missed ticks (from the next one
    /// it completes).
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed_tick_behavior = behavior;
    }
}
