//! Seeing starvation: which task held the loop, for how long, and which
//! timers paid for it.
//!
//! With diagnostics on (`Builder::diagnostics`), the loop times every poll
//! on its own clock (virtual time counts, so tests are exact) and keeps a
//! record of each poll of the current turn. At the timer step it knows which
//! timers fired and how late, so it can:
//!
//! * **report a slow poll** (one longer than the threshold, 100 ms by
//!   default), with how many timers came due during it and the worst
//!   lateness, through a hook (by default one line on stderr), like asyncio's
//!   debug mode but naming the timers that paid;
//! * **blame** on a timeout: an [`Elapsed`](crate::Elapsed) whose deadline
//!   passed during a poll names that poll's task and its length.
//!
//! The live report, while a poll is still stuck, comes from the watchdog
//! thread (`watchdog.rs`).

use crate::ids::TaskId;
use crate::slow_poll::{SlowPoll, SlowPollHook};
use crate::task::meta::TaskMeta;
use crate::time::elapsed::Blame;
use std::cell::RefCell;
use std::time::{Duration, Instant};

#[derive(Clone)]
struct PollRecord {
    task: TaskId,
    meta: TaskMeta,
    start: Instant,
    end: Instant,
}

/// The executor's diagnostics state (present only when diagnostics are on).
pub(crate) struct Diagnostics {
    threshold: Duration,
    hook: SlowPollHook,
    this_turn: RefCell<Vec<PollRecord>>,
    /// The polls of the turn whose timers the last timer step fired: what a
    /// timeout observed in the following turn is blamed on.
    last_turn: RefCell<Vec<PollRecord>>,
}

impl Diagnostics {
    pub(crate) fn new(threshold: Duration, hook: SlowPollHook) -> Self {
        Diagnostics {
            threshold,
            hook,
            this_turn: RefCell::default(),
            last_turn: RefCell::default(),
        }
    }

    pub(crate) fn threshold(&self) -> Duration {
        self.threshold
    }

    pub(crate) fn hook(&self) -> &SlowPollHook {
        &self.hook
    }

    pub(crate) fn record_poll(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant) {
        self.this_turn.borrow_mut().push(PollRecord {
            task,
            meta: meta.clone(),
            start,
            end,
        });
    }

    /// The timer step has fired timers with these deadlines at `fired_at`:
    /// report this turn's slow polls with the timers that came due during
    /// each, then keep this turn's polls for blame.
    pub(crate) fn end_turn(&self, fired_deadlines: &[Instant], fired_at: Instant) {
        let polls = self.this_turn.take();
        for poll in polls.iter().filter(|p| p.end - p.start > self.threshold) {
            let during = fired_deadlines
                .iter()
                .filter(|&&deadline| poll.start <= deadline && deadline < poll.end);
            let overdue_timers = during.clone().count();
            let worst_lateness = during
                .map(|&deadline| fired_at.saturating_duration_since(deadline))
                .max()
                .unwrap_or_default();
            let took = poll.end - poll.start;
            let label = poll.meta.label(poll.task);
            (self.hook)(&SlowPoll::returned(
                label,
                took,
                overdue_timers,
                worst_lateness,
            ));
        }
        *self.last_turn.borrow_mut() = polls;
    }

    /// The poll of the last turn during which `deadline` passed, if any.
    pub(crate) fn blame(&self, deadline: Instant) -> Option<Blame> {
        self.last_turn
            .borrow()
            .iter()
            .find(|poll| poll.start <= deadline && deadline < poll.end)
            .map(|poll| Blame {
                task: poll.meta.label(poll.task),
                held_for: poll.end - poll.start,
            })
    }
}
