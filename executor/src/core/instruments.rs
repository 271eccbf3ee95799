//! The core as the instruments' [`PollObserver`]: each poll timed on the
//! executor's clock, shown to the watchdog while it runs, and recorded in
//! the trace and the diagnostics when it returns.
//!
//! The core owns the instruments (present only when turned on) because the
//! watchdog needs the wheel's earliest deadline at each poll's start; the
//! spine reaches them only through `observer.rs`.

use super::Core;
use crate::ids::TaskId;
use crate::observer::PollObserver;
use crate::task::meta::TaskMeta;
use crate::trace::EventKind;
use std::time::Instant;

impl Core {
    /// The observer to tell of each poll: `None` when every instrument is off.
    pub(crate) fn observer(&self) -> Option<&dyn PollObserver> {
        self.observing.then_some(self as &dyn PollObserver)
    }
}

impl PollObserver for Core {
    fn poll_started(&self, task: TaskId, meta: &TaskMeta) -> Instant {
        let start = self.clock.now();
        if let Some(recorder) = &self.recorder {
            recorder.record(start, EventKind::PollStart { task });
        }
        if let Some(watchdog) = &self.watchdog {
            let earliest_timer = self
                .earliest_deadline()
                .filter(|_| !self.clock.is_virtual());
            watchdog.poll_started(task, meta, earliest_timer);
        }
        start
    }

    fn poll_stopped(&self) {
        if let Some(watchdog) = &self.watchdog {
            watchdog.poll_ended();
        }
    }

    fn poll_returned(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant) {
        if let Some(recorder) = &self.recorder {
            recorder.record(end, EventKind::PollEnd { task });
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.record_poll(task, meta, start, end);
        }
    }

    fn now(&self) -> Instant {
        self.clock.now()
    }
}
