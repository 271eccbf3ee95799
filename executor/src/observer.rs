//! The one interface through which the spine calls the instruments around
//! a poll: a poll started, a poll ended.
//!
//! The spine (the loop, the tasks, the timers) must not depend on the
//! instruments (the slow-poll report, the watchdog, the trace recorder),
//! and must pay for them only when they are on. So a task's `run` and the
//! loop's poll of the `block_on` future take an `Option<&dyn PollObserver>`:
//! `None` when every instrument is off, and the poll then costs one branch
//! more than a bare poll; `Some` when one is on, and the observer (the
//! core, in `core/instruments.rs`) times the poll, shows it to the
//! watchdog and records it.
//!
//! What every poll needs whatever the instruments, a fresh budget and the
//! polling task's identity (which timers filed during the poll depend on),
//! is not here: that is `Core::begin_poll`, the mechanism.

use crate::ids::TaskId;
use crate::task::meta::TaskMeta;
use std::time::Instant;

/// What the instruments are told of each poll.
pub(crate) trait PollObserver {
    /// A poll of `task` starts now; returns when, on the executor's clock.
    fn poll_started(&self, task: TaskId, meta: &TaskMeta) -> Instant;
    /// The poll stopped, by returning or by unwinding: whatever watches it
    /// live stops watching.
    fn poll_stopped(&self);
    /// The poll that started at `start` returned at `end`.
    fn poll_returned(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant);
    /// The executor's clock, now.
    fn now(&self) -> Instant;
}

/// Runs `poll`, told to `observer` if there is one.
// Inlined into each caller (it is generic over the poll), so that with the
// instruments off a poll pays only the branch on `observer`.
#[inline]
pub(crate) fn observe<R>(
    observer: Option<&dyn PollObserver>,
    task: TaskId,
    meta: &TaskMeta,
    poll: impl FnOnce() -> R,
) -> R {
    let Some(observer) = observer else {
        return poll();
    };
    let start = observer.poll_started(task, meta);
    let stopped = Stopped(observer);
    let output = poll();
    let end = observer.now();
    drop(stopped);
    observer.poll_returned(task, meta, start, end);
    output
}

/// Tells the observer the poll stopped, also when it unwinds (the
/// `block_on` future's panic goes on out of `block_on`).
struct Stopped<'a>(&'a dyn PollObserver);

impl Drop for Stopped<'_> {
    fn drop(&mut self) {
        self.0.poll_stopped();
    }
}
