//! The instruments as one [`Observer`]: the diagnostics (slow polls, blame),
//! the watchdog and the trace recorder, each present only when turned on,
//! told of each poll and timer step through the hooks of `observer.rs`.
//!
//! This is the only file that knows all three; the spine knows none (it
//! holds this as a `Box<dyn Observer>`, absent when all are off), and each
//! instrument knows only its own part. What an instrument needs of the
//! spine comes with the hooks: the instants, and the earliest timer, which
//! is looked up only for the watchdog on a real clock (on a virtual clock
//! the watchdog, which times in real time, has no timer to show).

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::ids::TaskId;
use crate::observer::{Blame, Observer, Spine, Tracer};
use crate::task::meta::TaskMeta;
use crate::trace::{EventKind, Recorder, Trace};
use crate::watchdog::Watchdog;
use std::any::Any;
use std::cell::RefCell;
use std::sync::Arc;
use std::time::Instant;

pub(crate) struct Instruments {
    diagnostics: Option<Diagnostics>,
    watchdog: Option<Watchdog>,
    recorder: Option<Arc<Recorder>>,
    virtual_clock: bool,
    /// The last timer step's fired deadlines, kept to reuse the allocation.
    fired: RefCell<Vec<Instant>>,
}

impl Instruments {
    /// The instruments `config` turns on, on `clock`; `None` if none is.
    pub(crate) fn start(config: &Config, clock: &Clock) -> Option<Box<dyn Observer>> {
        let diagnostics = config
            .diagnostics
            .then(|| Diagnostics::new(config.slow_poll_threshold, config.on_slow_poll.clone()));
        let watchdog = config.diagnostics.then(|| {
            let hook = config.on_slow_poll.clone();
            Watchdog::start(config.slow_poll_threshold, hook, clock.origin())
        });
        let recorder = config
            .trace_capacity
            .map(|capacity| Arc::new(Recorder::new(clock.origin(), capacity)));
        if diagnostics.is_none() && recorder.is_none() {
            return None;
        }
        Some(Box::new(Instruments {
            diagnostics,
            watchdog,
            recorder,
            virtual_clock: clock.is_virtual(),
            fired: RefCell::default(),
        }))
    }

    /// A snapshot of the trace, if it is on.
    pub(crate) fn trace(&self) -> Option<Trace> {
        self.recorder.as_ref().map(|recorder| recorder.snapshot())
    }
}

impl Observer for Instruments {
    fn poll_started(&self, task: TaskId, meta: &TaskMeta, start: Instant, spine: &dyn Spine) {
        if let Some(recorder) = &self.recorder {
            recorder.record(start, EventKind::PollStart { task });
        }
        if let Some(watchdog) = &self.watchdog {
            // The watchdog times on the real clock: on a virtual one it
            // reads its own, and has no real-time timer to show.
            let (started, earliest_timer) = if self.virtual_clock {
                (Instant::now(), None)
            } else {
                (start, spine.earliest_timer())
            };
            watchdog.poll_started(task, meta, started, earliest_timer);
        }
    }

    fn poll_returned(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant) {
        self.poll_unwound();
        if let Some(recorder) = &self.recorder {
            recorder.record(end, EventKind::PollEnd { task });
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.record_poll(task, meta, start, end);
        }
    }

    fn poll_unwound(&self) {
        if let Some(watchdog) = &self.watchdog {
            watchdog.poll_ended();
        }
    }

    /// Records the fired timers in the trace, and ends the turn for the
    /// diagnostics (slow-poll reports name the timers each slow poll made late).
    fn timers_fired(&self, fired_at: Instant, deadlines: &mut dyn Iterator<Item = Instant>) {
        let mut fired = self.fired.borrow_mut();
        fired.clear();
        fired.extend(deadlines);
        if let Some(recorder) = &self.recorder {
            for &deadline in fired.iter() {
                recorder.timer_fired(fired_at, deadline);
            }
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.end_turn(&fired, fired_at);
        }
    }

    fn blame(&self, deadline: Instant) -> Option<Blame> {
        self.diagnostics.as_ref()?.blame(deadline)
    }

    fn tracer(&self) -> Option<&dyn Tracer> {
        self.recorder
            .as_deref()
            .map(|recorder| recorder as &dyn Tracer)
    }

    fn shared_tracer(&self) -> Option<Arc<dyn Tracer>> {
        let recorder = self.recorder.as_ref()?;
        Some(Arc::clone(recorder) as Arc<dyn Tracer>)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
