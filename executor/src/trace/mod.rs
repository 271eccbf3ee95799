//! The trace: a record of what the loop did and when, to draw as a timeline.
//!
//! With tracing on (`Builder::trace(capacity)`), the executor records poll
//! starts and ends per task, timers filed, fired and cancelled (with their
//! deadline, rounded up to the tick the wheel files it at, so that the three
//! events of one timer carry the same deadline and lateness shows), the loop
//! parking and waking, and blocking jobs starting and ending on pool threads.
//! The recorder is a bounded ring: when full, the oldest events go, so
//! tracing a long program costs bounded memory. Off by default, it then
//! costs one branch per event site.
//!
//! Each `wait_for` is recorded too, apart from its timer: when it was created
//! (its deadline), when its timeout was filed, and when it returned. The
//! lesson is often in what did *not* happen: a future that blocks and then
//! returns on its first poll never lets `wait_for` file its timer, so the
//! wheel's events alone would show nothing at all, and a picture of them
//! would claim that every timer fired on time. With the `wait_for` events,
//! the timeline draws the missed deadline and says what became of it.
//!
//! This file is the trace's vocabulary (what a snapshot holds); the
//! instrument that records it is `recorder.rs`, which the spine reaches
//! only through the `Tracer` hooks of `observer.rs`.
//!
//! [`Executor::trace`](crate::Executor::trace) takes a snapshot, a [`Trace`]:
//! the events and a label per task, and nothing else. Drawing it is another
//! crate's job (`waitfor-timeline`: an ASCII timeline, an SVG page, Chrome
//! Trace Event JSON for Perfetto), which depends on this one, never the
//! reverse, so that the runtime does not carry its own pictures.

use crate::ids::TaskId;
use std::collections::HashMap;
use std::time::Duration;

mod recorder;

pub(crate) use recorder::Recorder;

/// One thing the loop did, at a time measured from the executor's start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEvent {
    /// When, since the executor was built (on its clock, real or virtual).
    pub at: Duration,
    /// What.
    pub kind: EventKind,
}

/// The kinds of [`TraceEvent`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The loop started polling a task (or the `block_on` future).
    PollStart {
        /// The task.
        task: TaskId,
    },
    /// That poll returned.
    PollEnd {
        /// The task.
        task: TaskId,
    },
    /// A timer was filed in the wheel.
    TimerInsert {
        /// Its deadline, since the executor was built, rounded up to its tick.
        deadline: Duration,
        /// The deadline it was asked for, before that rounding: with `at`,
        /// how long the sleep was meant to be.
        requested: Duration,
    },
    /// The loop's timer step fired a timer; `at - deadline` is its lateness.
    TimerFire {
        /// Its deadline, since the executor was built.
        deadline: Duration,
    },
    /// A timer was cancelled before it fired (its `Sleep` was dropped).
    TimerCancel {
        /// Its deadline, since the executor was built.
        deadline: Duration,
    },
    /// A `wait_for` (or `wait_until`) was created: its timeout runs from `at`
    /// to `deadline`. Not recorded for a `wait_for` without a deadline.
    WaitForStart {
        /// Its deadline, exactly, since the executor was built.
        deadline: Duration,
    },
    /// That `wait_for`'s timeout was filed in the wheel: the
    /// [`TimerInsert`](EventKind::TimerInsert) just before is its timer.
    /// It is filed at the first poll whose inner future returned `Pending`:
    /// a future that finishes on its first poll never has one.
    WaitForTimerFiled {
        /// The `wait_for`'s deadline, as in its `WaitForStart`.
        deadline: Duration,
    },
    /// That `wait_for` returned: `Ok` from its future, or `Err(Elapsed)`.
    WaitForEnd {
        /// The `wait_for`'s deadline, as in its `WaitForStart`.
        deadline: Duration,
        /// Whether it returned `Err(Elapsed)`.
        timed_out: bool,
    },
    /// Nothing was ready: the loop went to sleep.
    Park {
        /// Until the next timer, if any.
        until: Option<Duration>,
    },
    /// The loop woke up.
    Unpark,
    /// A `spawn_blocking` job started on a pool thread.
    BlockingStart {
        /// The job's number, in order of submission.
        job: u64,
    },
    /// That job ended.
    BlockingEnd {
        /// The job's number.
        job: u64,
    },
}

/// A snapshot of the recorded events, with a label for each task seen.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    events: Vec<TraceEvent>,
    labels: HashMap<TaskId, String>,
    dropped: u64,
}

impl Trace {
    /// The events, oldest first.
    pub fn events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// How a task is called in reports: its name, or its id and spawn site.
    pub fn label(&self, task: TaskId) -> String {
        self.labels
            .get(&task)
            .cloned()
            .unwrap_or_else(|| task.to_string())
    }

    /// How many older events the ring dropped to stay within its capacity.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }
}
