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
//!
//! **One clock read per poll.** A poll is timed by reading the clock before
//! and after it, and a real clock's read costs 25–30 ns, as much as the
//! rest of what the instruments do. But when polls run back to back, the
//! end of one is, but for the executor's own few nanoseconds between them,
//! the start of the next: so the instruments keep the last instant read
//! (`stamp`) and start the next poll at it, reading the clock only when no
//! such instant is at hand. What lies between two polls is then counted in
//! the later one: putting the earlier task back and taking the next and, for
//! the first poll of a busy turn, the timer step (which also waked the owners
//! of the timers it fired) and the check of the sockets. That is nanoseconds
//! to microseconds, against a slow-poll threshold of milliseconds. Nothing
//! that can wait may hide in that gap, so the stamp is dropped when the loop
//! parks, and it outlives its turn only inside a `block_on` loop (`looping`):
//! a host's turn (`Executor::turn`) ends in the host's own code, which may
//! wait for anything. A timer step that read the clock leaves its instant as
//! the stamp, and one that fired nothing reads nothing. With the trace on,
//! every poll reads the clock: other events are stamped by the spine as they
//! happen, and a poll's start must not precede one recorded before it. On a
//! virtual clock the stamp is exact: that clock moves only when a poll
//! advances it or the loop parks.

use crate::clock::Clock;
use crate::config::Config;
use crate::diagnostics::Diagnostics;
use crate::ids::TaskId;
use crate::observer::{Blame, Observer, Spine, Tracer};
use crate::task::meta::TaskMeta;
use crate::trace::{EventKind, Recorder, Trace};
use crate::watchdog::Watchdog;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Instant;

pub(crate) struct Instruments {
    diagnostics: Option<Diagnostics>,
    watchdog: Option<Watchdog>,
    recorder: Option<Arc<Recorder>>,
    virtual_clock: bool,
    /// The last timer step's fired deadlines, kept to reuse the allocation.
    fired: RefCell<Vec<Instant>>,
    /// The last instant read, while the next poll may start at it (see above).
    stamp: Cell<Option<Instant>>,
    /// Whether a stamp may be kept: the trace is off.
    stamps: bool,
    /// Whether a `block_on` loop runs, so that a stamp may outlive its turn.
    looping: Cell<bool>,
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
            virtual_clock: clock.is_virtual(),
            fired: RefCell::default(),
            stamp: Cell::new(None),
            stamps: recorder.is_none(),
            looping: Cell::new(false),
            recorder,
        }))
    }

    /// A snapshot of the trace, if it is on.
    pub(crate) fn trace(&self) -> Option<Trace> {
        self.recorder.as_ref().map(|recorder| recorder.snapshot())
    }
}

impl Observer for Instruments {
    fn poll_started(
        &self,
        task: TaskId,
        meta: &TaskMeta,
        clock: &Clock,
        spine: &dyn Spine,
    ) -> Instant {
        let start = self.stamp.take().unwrap_or_else(|| clock.now());
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
        start
    }

    fn poll_returned(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant) {
        if let Some(watchdog) = &self.watchdog {
            watchdog.poll_ended();
        }
        if let Some(recorder) = &self.recorder {
            recorder.record(end, EventKind::PollEnd { task });
        }
        if self.stamps {
            self.stamp.set(Some(end));
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.record_poll(task, meta, start, end);
        }
    }

    fn poll_unwound(&self) {
        self.stamp.set(None);
        if let Some(watchdog) = &self.watchdog {
            watchdog.poll_ended();
        }
    }

    /// Records the fired timers in the trace, and ends the turn for the
    /// diagnostics (slow-poll reports name the timers each slow poll made late).
    fn timers_fired(
        &self,
        fired_at: Option<Instant>,
        deadlines: &mut dyn Iterator<Item = Instant>,
    ) {
        let mut fired = self.fired.borrow_mut();
        fired.clear();
        if let Some(fired_at) = fired_at {
            // Without an instant, no timer was pending: nothing to collect.
            fired.extend(deadlines);
            if let Some(recorder) = &self.recorder {
                for &deadline in fired.iter() {
                    recorder.timer_fired(fired_at, deadline);
                }
            }
            if self.stamps {
                self.stamp.set(Some(fired_at));
            }
        }
        if let Some(diagnostics) = &self.diagnostics {
            diagnostics.end_turn(&fired, fired_at);
        }
        if !self.looping.get() {
            self.stamp.set(None);
        }
    }

    fn looping(&self, on: bool) {
        self.looping.set(on);
        self.stamp.set(None);
    }

    fn parking(&self) {
        self.stamp.set(None);
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
