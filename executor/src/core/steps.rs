//! A short memory of the loop's timer steps, so that a timeout looked at
//! later than it fired still knows when it fired.
//!
//! A `Sleep` learns that its timer fired only by finding it gone from the
//! wheel, usually in the turn right after the step that fired it, but not
//! always (a future may be polled again much later). So each timer step is
//! logged with its number, the tick it advanced to, and the instant. A
//! `WaitFor` remembers the number of the last step before which it saw its
//! timer still pending; the step that fired it is the first later one whose
//! tick reached the deadline. The log keeps the last 64 steps; a timeout
//! looked at even later is dated by the latest step.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::time::Instant;

const REMEMBERED: usize = 64;

pub(crate) struct TimerSteps {
    count: Cell<u64>,
    recent: RefCell<VecDeque<Step>>,
    last_at: Cell<Instant>,
}

#[derive(Clone, Copy)]
struct Step {
    number: u64,
    tick: u64,
    at: Instant,
}

impl TimerSteps {
    pub(crate) fn new(start: Instant) -> Self {
        TimerSteps {
            count: Cell::new(0),
            recent: RefCell::new(VecDeque::with_capacity(REMEMBERED)),
            last_at: Cell::new(start),
        }
    }

    /// Logs a timer step that advanced the wheel to `tick` at `at`.
    pub(crate) fn record(&self, tick: u64, at: Instant) {
        let number = self.count.get() + 1;
        self.count.set(number);
        self.last_at.set(at);
        let mut recent = self.recent.borrow_mut();
        if recent.len() == REMEMBERED {
            recent.pop_front();
        }
        recent.push_back(Step { number, tick, at });
    }

    /// How many timer steps have run.
    pub(crate) fn count(&self) -> u64 {
        self.count.get()
    }

    /// When the latest timer step ran.
    pub(crate) fn last_at(&self) -> Instant {
        self.last_at.get()
    }

    /// When the timer due at `tick` fired, given that it was still pending
    /// after step number `seen_pending_after`.
    pub(crate) fn fired_at(&self, seen_pending_after: u64, tick: u64) -> Instant {
        self.recent
            .borrow()
            .iter()
            .find(|step| step.number > seen_pending_after && step.tick >= tick)
            .map_or_else(|| self.last_at(), |step| step.at)
    }
}
