//! The trace's instrument: a bounded ring of events, which the loop and the
//! blocking pool's threads write through the [`Tracer`] hooks and
//! `Executor::trace` copies out.
//!
//! A timer's three events carry its deadline as the tick it is filed at, so
//! that lateness shows; a `wait_for`'s carry its exact deadline. Every
//! instant becomes a time since the executor's origin here, so the spine
//! hands over instants and never learns the trace's units.

use super::{EventKind, Trace, TraceEvent};
use crate::ids::TaskId;
use crate::observer::Tracer;
use crate::task::meta::TaskMeta;
use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The ring, shared with the blocking pool's threads.
pub(crate) struct Recorder {
    origin: Instant,
    capacity: usize,
    ring: Mutex<Ring>,
}

#[derive(Default)]
struct Ring {
    events: VecDeque<TraceEvent>,
    labels: HashMap<TaskId, String>,
    dropped: u64,
}

impl Recorder {
    pub(crate) fn new(origin: Instant, capacity: usize) -> Self {
        Recorder {
            origin,
            capacity: capacity.max(1),
            ring: Mutex::new(Ring::default()),
        }
    }

    /// Records `kind` as happening at `at`, dropping the oldest event if full.
    pub(crate) fn record(&self, at: Instant, kind: EventKind) {
        let event = TraceEvent {
            at: self.since_origin(at),
            kind,
        };
        let mut ring = self.ring.lock();
        if ring.events.len() == self.capacity {
            ring.events.pop_front();
            ring.dropped += 1;
        }
        ring.events.push_back(event);
    }

    fn since_origin(&self, at: Instant) -> Duration {
        at.saturating_duration_since(self.origin)
    }

    /// Remembers how to call a task (once, when it is first seen).
    fn label_task(&self, task: TaskId, label: impl FnOnce() -> String) {
        let mut ring = self.ring.lock();
        ring.labels.entry(task).or_insert_with(label);
    }

    /// The timer step at `at` fired a timer due at `deadline` (on its tick).
    pub(crate) fn timer_fired(&self, at: Instant, deadline: Instant) {
        let deadline = self.since_origin(deadline);
        self.record(at, EventKind::TimerFire { deadline });
    }

    /// A copy of what the ring holds now.
    pub(crate) fn snapshot(&self) -> Trace {
        let ring = self.ring.lock();
        Trace {
            events: ring.events.iter().cloned().collect(),
            labels: ring.labels.clone(),
            dropped: ring.dropped,
        }
    }
}

impl Tracer for Recorder {
    fn task_named(&self, task: TaskId, meta: &TaskMeta) {
        self.label_task(task, || meta.label(task));
    }

    fn timer_filed(&self, at: Instant, deadline: Instant, requested: Instant) {
        let deadline = self.since_origin(deadline);
        let requested = self.since_origin(requested);
        self.record(
            at,
            EventKind::TimerInsert {
                deadline,
                requested,
            },
        );
    }

    fn timer_cancelled(&self, at: Instant, deadline: Instant) {
        let deadline = self.since_origin(deadline);
        self.record(at, EventKind::TimerCancel { deadline });
    }

    fn wait_for_started(&self, at: Instant, deadline: Instant) {
        let deadline = self.since_origin(deadline);
        self.record(at, EventKind::WaitForStart { deadline });
    }

    fn wait_for_filed(&self, at: Instant, deadline: Instant) {
        let deadline = self.since_origin(deadline);
        self.record(at, EventKind::WaitForTimerFiled { deadline });
    }

    fn wait_for_ended(&self, at: Instant, deadline: Instant, timed_out: bool) {
        let deadline = self.since_origin(deadline);
        self.record(
            at,
            EventKind::WaitForEnd {
                deadline,
                timed_out,
            },
        );
    }

    fn parked(&self, at: Instant, until: Option<Instant>) {
        let until = until.map(|until| self.since_origin(until));
        self.record(at, EventKind::Park { until });
    }

    fn unparked(&self, at: Instant) {
        self.record(at, EventKind::Unpark);
    }

    fn job_started(&self, job: u64) {
        self.record(Instant::now(), EventKind::BlockingStart { job });
    }

    fn job_ended(&self, job: u64) {
        self.record(Instant::now(), EventKind::BlockingEnd { job });
    }
}
