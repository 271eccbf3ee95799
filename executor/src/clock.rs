//! The executor's clock, real or virtual, and how its instants map to wheel ticks.
//!
//! The wheel counts integer ticks from the moment the executor was built
//! (tick 0). Two roundings keep the promise that a timer never fires early:
//! a **deadline** rounds *up* to the next tick boundary, and the **current
//! time** rounds *down*. So when the wheel fires a timer at tick `t`, the
//! clock has really reached `origin + t * tick`, which is at or after the
//! deadline. The cost is at most one tick of lateness, which is the
//! resolution the builder's `tick` sets.
//!
//! A **virtual** clock reads a counter instead of the system clock. It moves
//! only when told to: by [`advance`](crate::advance), the stand-in for a
//! blocking call, or by the loop itself when it is idle and would otherwise
//! park until the next timer (it jumps there instead). Tests about time use it
//! and run in microseconds, with exact, repeatable instants.
//!
//! Real work in flight holds the jump back (`Core::park` has the rule): a
//! blocking job, until it ends; an awaited socket, for as long as the next
//! timer is away, in real time. I/O that comes meanwhile leaves the virtual
//! clock where it was; if none comes, the clock jumps to the timer.

use std::cell::Cell;
use std::time::{Duration, Instant};

pub(crate) struct Clock {
    origin: Instant,
    /// The tick's length; `Builder::tick` keeps it between 1 ns and a day.
    tick_nanos: u64,
    /// `Some` for a virtual clock: the instant it reads.
    virtual_now: Option<Cell<Instant>>,
}

impl Clock {
    pub(crate) fn new(tick: Duration, is_virtual: bool) -> Self {
        let tick_nanos = as_nanos_u64(tick).filter(|&nanos| nanos > 0);
        let origin = Instant::now();
        Clock {
            origin,
            tick_nanos: tick_nanos.expect("Builder::tick keeps the tick between 1 ns and a day"),
            virtual_now: is_virtual.then(|| Cell::new(origin)),
        }
    }

    /// Tick 0: the instant the executor was built.
    pub(crate) fn origin(&self) -> Instant {
        self.origin
    }

    pub(crate) fn is_virtual(&self) -> bool {
        self.virtual_now.is_some()
    }

    pub(crate) fn now(&self) -> Instant {
        match &self.virtual_now {
            Some(now) => now.get(),
            None => Instant::now(),
        }
    }

    /// Moves a virtual clock forward by `by`.
    ///
    /// # Panics
    /// On a real clock, or if the result is past the largest `Instant`.
    pub(crate) fn advance(&self, by: Duration) {
        let Some(now) = &self.virtual_now else {
            panic!(
                "waitfor::advance needs a virtual clock: build the executor with \
                 Executor::builder().virtual_clock() (a real clock moves by itself)"
            );
        };
        let moved = now.get().checked_add(by).unwrap_or_else(|| {
            panic!("waitfor::advance({by:?}) would move the virtual clock past the largest Instant")
        });
        now.set(moved);
    }

    /// Moves a virtual clock forward to `instant`, if that is later. Used by
    /// the idle loop; a no-op on a real clock.
    pub(crate) fn jump_to(&self, instant: Instant) {
        if let Some(now) = &self.virtual_now {
            now.set(now.get().max(instant));
        }
    }

    /// The last tick boundary at or before `instant`: what "now" is, in ticks.
    pub(crate) fn tick_at_or_before(&self, instant: Instant) -> u64 {
        let since = instant.saturating_duration_since(self.origin);
        match as_nanos_u64(since) {
            Some(nanos) => nanos / self.tick_nanos,
            None => {
                u64::try_from(since.as_nanos() / u128::from(self.tick_nanos)).unwrap_or(u64::MAX)
            }
        }
    }

    /// The first tick boundary at or after `deadline`: when to fire it.
    /// `None` if that tick is beyond `u64::MAX` (rounding it down would fire
    /// early, so such a deadline never fires).
    pub(crate) fn tick_at_or_after(&self, deadline: Instant) -> Option<u64> {
        let since = deadline.saturating_duration_since(self.origin);
        match as_nanos_u64(since) {
            Some(nanos) => Some(nanos.div_ceil(self.tick_nanos)),
            None => u64::try_from(since.as_nanos().div_ceil(u128::from(self.tick_nanos))).ok(),
        }
    }

    /// The instant a tick boundary stands for, or `None` past the largest `Instant`.
    pub(crate) fn instant_of(&self, tick: u64) -> Option<Instant> {
        let nanos = u128::from(self.tick_nanos) * u128::from(tick);
        let since_origin = Duration::new(
            u64::try_from(nanos / 1_000_000_000).ok()?,
            (nanos % 1_000_000_000) as u32,
        );
        self.origin.checked_add(since_origin)
    }
}

/// Nanoseconds as a `u64`, which holds 584 years. Dividing `u64`s is several
/// times cheaper than `Duration::as_nanos`'s `u128`, and a tick conversion
/// runs on every timer insert and every timer step.
fn as_nanos_u64(duration: Duration) -> Option<u64> {
    duration
        .as_secs()
        .checked_mul(1_000_000_000)?
        .checked_add(u64::from(duration.subsec_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_round_up_and_now_rounds_down() {
        let clock = Clock::new(Duration::from_millis(1), true);
        let deadline = clock.now() + Duration::from_micros(1_500);
        assert_eq!(clock.tick_at_or_after(deadline), Some(2));
        assert_eq!(clock.tick_at_or_before(deadline), 1);
        let fired = clock
            .instant_of(clock.tick_at_or_after(deadline).unwrap())
            .unwrap();
        assert!(fired >= deadline);
    }

    #[test]
    fn a_virtual_clock_moves_only_when_told() {
        let clock = Clock::new(Duration::from_millis(1), true);
        let start = clock.now();
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(clock.now(), start);
        clock.advance(Duration::from_secs(5));
        assert_eq!(clock.now() - start, Duration::from_secs(5));
        clock.jump_to(start + Duration::from_secs(1));
        assert_eq!(
            clock.now() - start,
            Duration::from_secs(5),
            "never backwards"
        );
    }

    #[test]
    #[should_panic(expected = "needs a virtual clock")]
    fn advancing_a_real_clock_is_refused() {
        Clock::new(Duration::from_millis(1), false).advance(Duration::from_secs(1));
    }

    #[test]
    fn deadlines_past_the_last_tick_never_fire_instead_of_overflowing() {
        let clock = Clock::new(Duration::from_nanos(1), true);
        let far = clock.now() + Duration::from_secs(u64::MAX / 4);
        assert_eq!(clock.tick_at_or_after(far), None);
        assert_eq!(clock.instant_of(u64::MAX).map(|_| ()), Some(()));
    }
}
