//! The timer half of the executor: step 2 of the loop, and a `Sleep`'s side
//! of the wheel (filing its waker, noticing it fired, cancelling it).
//!
//! A timer's life: `poll_timer` files the waker of the task polling a
//! `Sleep` in the wheel at its deadline's tick; `fire_due_timers` (step 2)
//! advances the wheel to the current tick and wakes every due waker; the
//! `Sleep`'s next `poll_timer` finds its key gone and completes. Dropping the
//! `Sleep` first calls `cancel_timer`.

use super::Core;
use crate::time::Registration;
use crate::trace::EventKind;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

impl Core {
    /// Step 2: advance the wheel to the clock's current tick and wake the
    /// task of every timer that is due. The clock is not even read when no
    /// timer is pending.
    pub(crate) fn fire_due_timers(&self) {
        let timers_pending = !self.wheel.borrow().is_empty();
        if !timers_pending && !self.observing {
            return;
        }
        let mut fired = self.fired.take();
        if timers_pending {
            let now = self.clock.now();
            let tick = self.clock.tick_at_or_before(now);
            self.wheel
                .borrow_mut()
                .advance(tick, |deadline, waker| fired.push((deadline, waker)));
            self.timer_steps.record(tick, now);
        }
        if self.observing {
            self.observe_fired(&fired);
        }
        for (_, waker) in fired.drain(..) {
            waker.wake();
        }
        *self.fired.borrow_mut() = fired;
    }

    /// Records fired timers in the trace, and ends the turn for diagnostics
    /// (slow-poll reports name the timers each slow poll made late).
    fn observe_fired(&self, fired: &[(u64, Waker)]) {
        let fired_at = self.timer_steps.last_at();
        let deadlines: Vec<Instant> = fired
            .iter()
            .filter_map(|&(tick, _)| self.clock.instant_of(tick))
            .collect();
        if let Some(recorder) = &self.recorder {
            for &deadline in &deadlines {
                let deadline = recorder.since_origin(deadline);
                recorder.record(fired_at, EventKind::TimerFire { deadline });
            }
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.end_turn(&deadlines, fired_at);
        }
    }

    /// When the wheel next needs the loop, as an instant.
    pub(super) fn next_timer(&self) -> Option<Instant> {
        let tick = self.wheel.borrow().next_expiration()?;
        self.clock.instant_of(tick)
    }

    /// The earliest pending timer's deadline (on its tick), exactly: what the
    /// watchdog measures overdue time from.
    pub(super) fn earliest_deadline(&self) -> Option<Instant> {
        let tick = self.wheel.borrow().earliest_deadline()?;
        self.clock.instant_of(tick)
    }

    /// The timer half of `Sleep::poll`: file the timer on the first poll,
    /// keep its waker current on later ones, and report `Ready` once step 2
    /// has fired it (its key is gone from the wheel).
    pub(crate) fn poll_timer(
        &self,
        timer: &mut Option<Registration>,
        deadline: Instant,
        waker: &Waker,
    ) -> Poll<()> {
        let mut wheel = self.wheel.borrow_mut();
        let Some(registration) = *timer else {
            // A deadline beyond the last tick the wheel can count never fires,
            // unless the clock has got there too: then it is simply due.
            let tick = match self.clock.tick_at_or_after(deadline) {
                Some(tick) => tick,
                None if deadline <= self.clock.now() => u64::MAX,
                None => return Poll::Pending,
            };
            let key = wheel.insert(tick, waker.clone());
            self.record_timer(tick, |deadline| EventKind::TimerInsert { deadline });
            *timer = Some(Registration {
                key,
                executor: self.id,
            });
            return Poll::Pending;
        };
        assert_eq!(
            registration.executor, self.id,
            "a waitfor timer was polled on a different executor from the one it was started on"
        );
        match wheel.get_mut(registration.key) {
            None => Poll::Ready(()),
            Some(stored) => {
                if !stored.will_wake(waker) {
                    *stored = waker.clone();
                }
                Poll::Pending
            }
        }
    }

    pub(crate) fn cancel_timer(&self, timer: Registration) {
        if timer.executor != self.id {
            return;
        }
        let Ok(mut wheel) = self.wheel.try_borrow_mut() else {
            return;
        };
        let tick = wheel.deadline(timer.key);
        if wheel.cancel(timer.key).is_some() {
            drop(wheel);
            if let Some(tick) = tick {
                self.record_timer(tick, |deadline| EventKind::TimerCancel { deadline });
            }
        }
    }

    /// Records a timer event, with its deadline as the tick it is filed at.
    fn record_timer(&self, tick: u64, event: impl FnOnce(Duration) -> EventKind) {
        if let (Some(recorder), Some(deadline)) = (&self.recorder, self.clock.instant_of(tick)) {
            let deadline = recorder.since_origin(deadline);
            recorder.record(self.clock.now(), event(deadline));
        }
    }
}
