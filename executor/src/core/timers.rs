//! The timer half of the executor: step 2 of the loop, and a `Sleep`'s side
//! of the wheel (filing its alarm, noticing it fired, cancelling it).
//!
//! A timer's life is walked through in the crate's docs ("Following a
//! timeout", `lib.rs`); here are its core-side steps, [`Alarm`]s filed,
//! fired and woken. Dropping the `Sleep` first cancels its timer: here (`cancel_timer_here`) when it is
//! dropped inside its executor, else through the executor's mailbox
//! (`cancellations.rs`), which each timer step empties first.
//!
//! # The fire instant travels with the fire
//!
//! The timer step fires with `Wheel::expire`, stamping every timer it fires
//! with the instant it read the clock at: the wheel hands the alarm over to
//! be woken and keeps the instant under the timer's key. The woken `Sleep`'s
//! next poll (`poll_timer`) finds its key expired, collects the instant,
//! which frees the entry, and completes with it; a `wait_for` dates its
//! `Elapsed` by it. So the instant is exact however late the `Sleep` is
//! polled, and nothing else remembers the steps. A `Sleep` dropped before it
//! collects frees the entry as any cancel does: `Wheel::cancel` frees an
//! expired timer too, here or from the mailbox, and a key posted after its
//! `Sleep` collected is stale and frees nothing.
//!
//! The instant is a second type beside the alarm rather than a third kind
//! of alarm: an [`Alarm`] is one word with no room for another tag (see
//! `alarm.rs` for how it names a task or a foreign waker kept aside), and
//! the wheel's own entry tag already says "fired". The instant takes the
//! room the alarm and the deadline leave, so a timer's record is 32 bytes
//! pending or fired.
//!
//! Whom an alarm wakes may be a foreign waker, and cloning, waking or
//! dropping one is user code: it may drop another `Sleep`, or panic. So it
//! never runs while the wheel is borrowed (the alarm is made before the
//! borrow and the one it replaces dropped after), and a panic in one wake
//! does not cost the other due alarms theirs.

use super::Core;
use crate::ids::ExecutorId;
use crate::ids::TaskId;
use crate::observer::Tracer;
use crate::waker::WakerIdentity;
use std::mem;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::task::{Poll, Waker};
use std::time::Instant;
use waitfor_timer::{TimerKey, Wheel};

mod alarm;

pub(crate) use alarm::Alarm;
use alarm::{ForeignWakers, Whom};

/// A timer filed in one executor's wheel.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Registration {
    pub(crate) key: TimerKey,
    pub(crate) executor: ExecutorId,
}

/// The core's timers: the wheel, whose pending timers hold whom they wake
/// and whose fired ones the instant of the step that fired them, and the
/// foreign wakers those alarms name. One `RefCell` for both, so that an
/// alarm and its waker are always changed together.
#[derive(Default)]
pub(crate) struct Timers {
    pub(super) wheel: Wheel<Alarm, Instant>,
    wakers: ForeignWakers,
}

impl Core {
    /// Step 2: advance the wheel to the clock's current tick and wake the
    /// task of every timer that is due. The clock is not even read when no
    /// timer is pending.
    ///
    /// # Panics
    /// If a due alarm's foreign waker panics: once every other due alarm
    /// has been woken, the first such panic continues out of `block_on`.
    pub(crate) fn fire_due_timers(&self) {
        // Before anything fires: a timer whose `Sleep` was dropped away from
        // the loop must not wake its old owner.
        self.cancel_posted_timers();
        if self.timers.borrow().wheel.is_empty() {
            // Nothing fires; the instruments, if any, still end their turn.
            self.observe_fired(&[], None);
            return;
        }
        let mut fired = self.fired.take();
        let now = self.clock.now();
        let tick = self.clock.tick_at_or_before(now);
        self.timers
            .borrow_mut()
            .wheel
            .expire(tick, now, |deadline, alarm| fired.push((deadline, alarm)));
        self.observe_fired(&fired, Some(now));
        let mut first_panic = None;
        for (_, alarm) in fired.drain(..) {
            match alarm.whom() {
                Whom::Task(task) => self.wake_task(task),
                Whom::Foreign(_) => {
                    // Taken out one at a time, in firing order: a wake may
                    // cancel other timers, which needs the wheel.
                    let waker = self.timers.borrow_mut().wakers.release(alarm);
                    let wake = || waker.expect("a fired foreign alarm holds its waker").wake();
                    if let Err(payload) = catch_unwind(AssertUnwindSafe(wake)) {
                        first_panic.get_or_insert(payload);
                    }
                }
            }
        }
        *self.fired.borrow_mut() = fired;
        if let Some(payload) = first_panic {
            resume_unwind(payload);
        }
    }

    /// Cancels the timers whose `Sleep`s were dropped away from this
    /// executor's loop since the last call (see `cancellations.rs`).
    #[inline]
    pub(super) fn cancel_posted_timers(&self) {
        if !self.cancellations.any_posted() {
            return;
        }
        for key in self.cancellations.take_posted() {
            let timer = Registration {
                key,
                executor: self.id,
            };
            self.cancel_timer_here(timer);
        }
    }

    /// What waking the task's own waker would do, without the waker: queue
    /// it unless it is queued already. A task that has finished since is not
    /// found, and nothing happens.
    fn wake_task(&self, task: TaskId) {
        let queue = if task == TaskId::MAIN {
            self.main_waker.mark_scheduled()
        } else {
            let tasks = self.tasks.borrow();
            tasks
                .waker(task)
                .is_some_and(|waker| waker.mark_scheduled())
        };
        if queue {
            self.schedule(task);
        }
    }

    /// Whom a timer filed now with `waker` should wake: the polling task by
    /// id if `waker` is its own, else a clone of `waker`, kept aside. The
    /// clone is user code, so it is made before the timers are borrowed.
    fn alarm_for(&self, waker: &Waker) -> Alarm {
        match self.polling.get() {
            Some((task, own)) if own == WakerIdentity::of(waker) => Alarm::task(task),
            _ => {
                let waker = waker.clone();
                self.timers.borrow_mut().wakers.insert(waker)
            }
        }
    }

    /// Whether `alarm` already wakes whoever `waker` would.
    fn alarm_wakes(&self, wakers: &ForeignWakers, alarm: &Alarm, waker: &Waker) -> bool {
        match alarm.whom() {
            Whom::Task(task) => self.polling.get() == Some((task, WakerIdentity::of(waker))),
            Whom::Foreign(_) => wakers
                .get(alarm)
                .is_some_and(|stored| stored.will_wake(waker)),
        }
    }

    /// Tells the instruments, if any, which timers this step fired at
    /// `fired_at` (`None`: none was pending, and the clock was not read):
    /// the end of the turn for them.
    fn observe_fired(&self, fired: &[(u64, Alarm)], fired_at: Option<Instant>) {
        if let Some(observer) = self.observer() {
            let mut deadlines = fired
                .iter()
                .filter_map(|&(tick, _)| self.clock.instant_of(tick));
            observer.timers_fired(fired_at, &mut deadlines);
        }
    }

    /// When the wheel next needs the loop, as an instant.
    pub(crate) fn next_timer(&self) -> Option<Instant> {
        let tick = self.timers.borrow().wheel.next_expiration()?;
        self.clock.instant_of(tick)
    }

    /// The earliest pending timer's deadline (on its tick), exactly: what the
    /// watchdog measures overdue time from.
    pub(crate) fn earliest_deadline(&self) -> Option<Instant> {
        let tick = self.timers.borrow().wheel.earliest_deadline()?;
        self.clock.instant_of(tick)
    }

    /// The timer half of `Sleep::poll`: file the timer on the first poll,
    /// keep its waker current on later ones, and report `Ready` once step 2
    /// has fired it: with the instant of that step, collected from the wheel
    /// (which frees the entry), or `None` if an earlier poll collected it.
    pub(crate) fn poll_timer(
        &self,
        timer: &mut Option<Registration>,
        deadline: Instant,
        waker: &Waker,
    ) -> Poll<Option<Instant>> {
        let Some(registration) = *timer else {
            let requested = deadline;
            // A deadline beyond the last tick the wheel can count never fires,
            // unless the clock has got there too: then it is simply due.
            let tick = match self.clock.tick_at_or_after(deadline) {
                Some(tick) => tick,
                None if deadline <= self.clock.now() => u64::MAX,
                None => return Poll::Pending,
            };
            let alarm = self.alarm_for(waker);
            let key = self.timers.borrow_mut().wheel.insert(tick, alarm);
            self.record_timer(tick, |tracer, now, deadline| {
                tracer.timer_filed(now, deadline, requested);
            });
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
        let mut timers = self.timers.borrow_mut();
        // Fired first: a `Sleep` is woken to be polled when its timer fires.
        if let Some(fired_at) = timers.wheel.collect(registration.key) {
            return Poll::Ready(Some(fired_at));
        }
        let Timers { wheel, wakers } = &mut *timers;
        let wakes_the_poller = match wheel.get_mut(registration.key) {
            None => return Poll::Ready(None),
            Some(alarm) => self.alarm_wakes(wakers, alarm, waker),
        };
        drop(timers);
        if !wakes_the_poller {
            let mut alarm = self.alarm_for(waker);
            let mut timers = self.timers.borrow_mut();
            let Timers { wheel, wakers } = &mut *timers;
            if let Some(filed) = wheel.get_mut(registration.key) {
                mem::swap(filed, &mut alarm);
            }
            let replaced = wakers.release(alarm);
            drop(timers);
            // The alarm replaced, its waker dropped now that the wheel is free.
            drop(replaced);
        }
        Poll::Pending
    }

    /// The wheel's half of `Sleep::reset`: moves a filed timer to
    /// `deadline`'s tick, keeping whom it wakes. `false` if it is no longer
    /// pending (it fired: an entry still holding its fire instant is freed),
    /// or was taken out because the new deadline is past the wheel's last
    /// tick: the `Sleep` files it again when polled.
    pub(crate) fn reset_timer(&self, timer: Registration, deadline: Instant) -> bool {
        assert_eq!(
            timer.executor, self.id,
            "a waitfor Sleep was reset on a different executor from the one it was started on"
        );
        let Some(tick) = self.clock.tick_at_or_after(deadline) else {
            if !self.cancel_timer_here(timer) {
                super::post_cancellation(timer);
            }
            return false;
        };
        let mut timers = self.timers.borrow_mut();
        let wheel = &mut timers.wheel;
        let traced_tick = self
            .tracer()
            .is_some()
            .then(|| wheel.deadline(timer.key))
            .flatten();
        if !wheel.reschedule(timer.key, tick) {
            // Fired: whom it woke is gone, so there is nothing to move.
            wheel.collect(timer.key);
            return false;
        }
        drop(timers);
        if let Some(old) = traced_tick {
            // To the trace, a move is the old timer cancelled and a new one filed.
            self.record_timer(old, |tracer, now, old| tracer.timer_cancelled(now, old));
            self.record_timer(tick, |tracer, now, on_tick| {
                tracer.timer_filed(now, on_tick, deadline);
            });
        }
        true
    }

    /// Cancels `timer` in this wheel; false if that cannot be done here (it
    /// belongs to another executor, or the wheel is in use), and the caller
    /// must post it to its executor's mailbox instead.
    pub(crate) fn cancel_timer_here(&self, timer: Registration) -> bool {
        if timer.executor != self.id {
            return false;
        }
        let Ok(mut timers) = self.timers.try_borrow_mut() else {
            return false;
        };
        let Timers { wheel, wakers } = &mut *timers;
        // The trace wants the deadline; look it up only for the trace.
        let traced_tick = self
            .tracer()
            .is_some()
            .then(|| wheel.deadline(timer.key))
            .flatten();
        let cancelled = wheel.cancel(timer.key);
        let was_pending = cancelled.is_some();
        let foreign = cancelled.and_then(|alarm| wakers.release(alarm));
        drop(timers);
        if let (true, Some(tick)) = (was_pending, traced_tick) {
            self.record_timer(tick, |tracer, now, deadline| {
                tracer.timer_cancelled(now, deadline);
            });
        }
        // A foreign waker's destructor may use the wheel: dropped after the borrow.
        drop(foreign);
        true
    }

    /// Tells the trace of a timer event, now, with the timer's deadline as
    /// the tick it is filed at. Costs one branch when the instruments are off.
    fn record_timer(&self, tick: u64, event: impl FnOnce(&dyn Tracer, Instant, Instant)) {
        let Some(tracer) = self.tracer() else {
            return;
        };
        if let Some(deadline) = self.clock.instant_of(tick) {
            event(tracer, self.clock.now(), deadline);
        }
    }

    /// Records that a `wait_for` with this deadline was created at `now`
    /// (read here if not given). Costs one branch when the instruments are off.
    #[inline]
    pub(crate) fn record_wait_for_start(&self, now: Option<Instant>, deadline: Option<Instant>) {
        if let (Some(tracer), Some(deadline)) = (self.tracer(), deadline) {
            let now = now.unwrap_or_else(|| self.clock.now());
            tracer.wait_for_started(now, deadline);
        }
    }

    /// Records a later moment of the `wait_for` with this deadline, now:
    /// its timer filed, or its return. Costs one branch when the
    /// instruments are off.
    pub(crate) fn record_wait_for(
        &self,
        deadline: Option<Instant>,
        event: impl FnOnce(&dyn Tracer, Instant, Instant),
    ) {
        if let (Some(tracer), Some(deadline)) = (self.tracer(), deadline) {
            event(tracer, self.clock.now(), deadline);
        }
    }

    /// Whether the trace is on: a `wait_for` then records its life.
    #[inline]
    pub(crate) fn is_tracing(&self) -> bool {
        self.tracer().is_some()
    }
}

#[cfg(test)]
impl Core {
    /// How many timers the wheel holds: (pending, fired but not yet
    /// collected by their `Sleep`).
    pub(crate) fn wheel_entries(&self) -> (usize, usize) {
        let wheel = &self.timers.borrow().wheel;
        (wheel.len(), wheel.expired_len())
    }

    /// How many foreign wakers the timers hold.
    pub(crate) fn foreign_wakers(&self) -> usize {
        self.timers.borrow().wakers.len()
    }
}

#[cfg(test)]
mod tests;
