//! The one interface between the spine (the loop, the tasks, the timers)
//! and the instruments (the slow-poll report, blame, the watchdog, the
//! trace recorder).
//!
//! The spine must not depend on the instruments, and must pay for them only
//! when they are on. So the core holds them as one `Option<Box<dyn
//! Observer>>`: `None` when every instrument is off, and each place where
//! the spine would tell them something (a poll, a timer step, a timer filed)
//! then costs one branch. Which instruments are on, and how they are built,
//! the spine never learns (`wiring.rs` plugs them in, `instruments.rs`
//! dispatches to them); and they never see the spine, only what these hooks
//! hand them and the little [`Spine`] answers.
//!
//! The hooks come in two traits, because they have two kinds of callers:
//!
//! * [`Observer`]: what the diagnostics and the watchdog need, at the loop's
//!   own rhythm: a poll started, stopped and returned ([`observe`] wraps a
//!   poll in them), the timers a timer step fired, and who is to blame for a
//!   deadline that passed.
//! * [`Tracer`]: what only the trace records, from wherever it happens: a
//!   timer filed or cancelled, a `wait_for`'s life, the loop parking, a task
//!   named, a blocking job on a pool thread (so it is `Send + Sync`). The
//!   spine asks `Observer::tracer` for it and, with the trace off, finds
//!   `None`: a timer event then costs a branch (instruments off) or one call
//!   (diagnostics on, trace off), never a lookup done for the trace alone.
//!
//! One trait with every hook would make the diagnostics' implementation
//! carry a dozen empty trace methods and the spine call each of them; two
//! let each instrument implement what it uses, and let a pool thread hold
//! the tracer without the loop's `Rc`s.
//!
//! What every poll needs whatever the instruments, a fresh budget and the
//! polling task's identity (which timers filed during the poll depend on),
//! is not here: that is `Core::begin_poll`, the mechanism.

use crate::clock::Clock;
use crate::ids::TaskId;
use crate::task::meta::TaskMeta;
use std::any::Any;
use std::mem;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Who held the loop when a timeout's deadline passed: what the blame hook
/// answers, and what an [`Elapsed`](crate::Elapsed) shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Blame {
    pub(crate) task: String,
    pub(crate) held_for: Duration,
}

/// What the instruments may ask of the spine while they observe a poll.
pub(crate) trait Spine {
    /// The earliest pending timer's deadline (on its tick), if any.
    fn earliest_timer(&self) -> Option<Instant>;
}

/// The instruments, as the loop tells them of its polls and timer steps.
pub(crate) trait Observer: Any {
    /// A poll of `task` starts: returns its start on `clock`, which the
    /// instruments may have read before (see `instruments.rs`).
    fn poll_started(
        &self,
        task: TaskId,
        meta: &TaskMeta,
        clock: &Clock,
        spine: &dyn Spine,
    ) -> Instant;
    /// The poll that started at `start` returned at `end`: whatever
    /// watches it live stops watching, and it is recorded.
    fn poll_returned(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant);
    /// The poll unwound (the `block_on` future's panic goes on out of
    /// `block_on`): whatever watches it live stops watching.
    fn poll_unwound(&self);
    /// A timer step ran at `fired_at` and fired timers due at `deadlines`
    /// (on their ticks; none, often): the end of a turn. `fired_at` is
    /// `None` when no timer was pending, and the step did not read the clock.
    fn timers_fired(&self, fired_at: Option<Instant>, deadlines: &mut dyn Iterator<Item = Instant>);
    /// A `block_on` loop starts (`true`) or ends (`false`) running turns:
    /// only between the two may an instant read in one turn start the next.
    fn looping(&self, on: bool);
    /// The loop is about to park: whatever it read of the clock is stale.
    fn parking(&self);
    /// Who held the loop when `deadline` passed, if a poll of the last turn did.
    fn blame(&self, deadline: Instant) -> Option<Blame>;
    /// The trace, if it is on.
    fn tracer(&self) -> Option<&dyn Tracer>;
    /// The trace, if it is on, for a thread of the blocking pool.
    fn shared_tracer(&self) -> Option<Arc<dyn Tracer>>;
    /// The instruments themselves, for `wiring.rs` to read their results.
    fn as_any(&self) -> &dyn Any;
}

/// What the trace records beside polls and fired timers. Instants are on
/// the executor's clock; a timer's `deadline` is on its tick.
pub(crate) trait Tracer: Send + Sync {
    /// How to call `task` in the trace (told once, when it is spawned).
    fn task_named(&self, task: TaskId, meta: &TaskMeta);
    /// A timer was filed at `deadline`, asked for `requested`.
    fn timer_filed(&self, at: Instant, deadline: Instant, requested: Instant);
    /// A timer due at `deadline` was cancelled.
    fn timer_cancelled(&self, at: Instant, deadline: Instant);
    /// A `wait_for` due at `deadline` (exactly) was created.
    fn wait_for_started(&self, at: Instant, deadline: Instant);
    /// That `wait_for`'s timer was filed.
    fn wait_for_filed(&self, at: Instant, deadline: Instant);
    /// That `wait_for` returned, `Err(Elapsed)` if `timed_out`.
    fn wait_for_ended(&self, at: Instant, deadline: Instant, timed_out: bool);
    /// The loop parks, until the next timer if any.
    fn parked(&self, at: Instant, until: Option<Instant>);
    /// The loop woke up.
    fn unparked(&self, at: Instant);
    /// A blocking job started, now, on this pool thread.
    fn job_started(&self, job: u64);
    /// That job ended, now.
    fn job_ended(&self, job: u64);
}

/// A poll about to be observed: the instruments, the clock that times the
/// poll, and the spine they may ask.
#[derive(Clone, Copy)]
pub(crate) struct Observing<'a> {
    pub(crate) observer: &'a dyn Observer,
    pub(crate) clock: &'a Clock,
    pub(crate) spine: &'a dyn Spine,
}

/// Runs `poll`, told to the instruments if there are any.
// Inlined into each caller (it is generic over the poll), so that with the
// instruments off a poll pays only the branch on `observing`.
#[inline]
pub(crate) fn observe<R>(
    observing: Option<Observing<'_>>,
    task: TaskId,
    meta: &TaskMeta,
    poll: impl FnOnce() -> R,
) -> R {
    let Some(Observing {
        observer,
        clock,
        spine,
    }) = observing
    else {
        return poll();
    };
    let start = observer.poll_started(task, meta, clock, spine);
    let unwinding = Unwinding(observer);
    let output = poll();
    let end = clock.now();
    // It returned: `poll_returned` says so, in the same call as the record.
    mem::forget(unwinding);
    observer.poll_returned(task, meta, start, end);
    output
}

/// Tells the observer if the poll unwinds instead of returning.
struct Unwinding<'a>(&'a dyn Observer);

impl Drop for Unwinding<'_> {
    fn drop(&mut self) {
        self.0.poll_unwound();
    }
}

/// A `block_on` loop running, as the observer is told: from `Looping::start`
/// until it is dropped, when the loop returns or unwinds.
pub(crate) struct Looping<'a>(Option<&'a dyn Observer>);

impl<'a> Looping<'a> {
    pub(crate) fn start(observer: Option<&'a dyn Observer>) -> Self {
        if let Some(observer) = observer {
            observer.looping(true);
        }
        Looping(observer)
    }
}

impl Drop for Looping<'_> {
    fn drop(&mut self) {
        if let Some(observer) = self.0 {
            observer.looping(false);
        }
    }
}
