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
//!
//! Recording a poll is on every poll's path, so it allocates nothing and
//! clones nothing in the steady state. The two turns' records are two
//! buffers that swap at each timer step, and a record is overwritten in
//! place: the buffer coming back holds the turn before last, whose record at
//! the same position is usually the same task's (a loop runs the same tasks
//! in the same order), so its copy of the task's name is kept rather than
//! cloned again (`TaskMeta::is` compares two pointers). A record past the
//! turn's count is stale: kept only for that copy, never read.
//!
//! Nor does the timer step subtract two instants per poll to find the slow
//! ones. Polls start in order on a clock that never goes back, so a poll
//! that ends before the *horizon*, an earlier poll's start plus the
//! threshold, took at most the threshold: one comparison. Only a poll that
//! ends past it is timed exactly, and moves the horizon to its own start
//! plus the threshold; in a busy loop that is once per threshold.

use crate::ids::TaskId;
use crate::observer::Blame;
use crate::slow_poll::{SlowPoll, SlowPollHook};
use crate::task::meta::TaskMeta;
use std::cell::{Cell, RefCell};
use std::mem;
use std::time::{Duration, Instant};

struct PollRecord {
    task: TaskId,
    meta: TaskMeta,
    start: Instant,
    end: Instant,
}

impl PollRecord {
    fn contains(&self, instant: Instant) -> bool {
        self.start <= instant && instant < self.end
    }
}

/// One turn's poll records: the first `len` are the turn's, the rest stale.
#[derive(Default)]
struct Turn {
    records: Vec<PollRecord>,
    len: usize,
}

impl Turn {
    fn polls(&self) -> &[PollRecord] {
        &self.records[..self.len]
    }
}

/// The executor's diagnostics state (present only when diagnostics are on).
pub(crate) struct Diagnostics {
    threshold: Duration,
    hook: SlowPollHook,
    this_turn: RefCell<Turn>,
    /// The polls of the turn whose timers the last timer step fired: what a
    /// timeout observed in the following turn is blamed on.
    last_turn: RefCell<Turn>,
    /// An earlier poll's start plus the threshold (see the essay).
    horizon: Cell<Option<Instant>>,
}

impl Diagnostics {
    pub(crate) fn new(threshold: Duration, hook: SlowPollHook) -> Self {
        Diagnostics {
            threshold,
            hook,
            this_turn: RefCell::default(),
            last_turn: RefCell::default(),
            horizon: Cell::new(None),
        }
    }

    #[inline]
    pub(crate) fn record_poll(&self, task: TaskId, meta: &TaskMeta, start: Instant, end: Instant) {
        let mut turn = self.this_turn.borrow_mut();
        let index = turn.len;
        turn.len += 1;
        match turn.records.get_mut(index) {
            Some(record) => {
                if !record.meta.is(meta) {
                    record.meta = meta.clone();
                }
                record.task = task;
                record.start = start;
                record.end = end;
            }
            None => turn.records.push(PollRecord {
                task,
                meta: meta.clone(),
                start,
                end,
            }),
        }
    }

    /// The timer step has fired timers with these deadlines at `fired_at`
    /// (`None` when no timer was pending, so none fired): report this
    /// turn's slow polls with the timers that came due during each, then
    /// keep this turn's polls for blame.
    pub(crate) fn end_turn(&self, fired_deadlines: &[Instant], fired_at: Option<Instant>) {
        let mut this_turn = self.this_turn.borrow_mut();
        let mut reports = Vec::new();
        for poll in this_turn.polls() {
            if self
                .horizon
                .get()
                .is_some_and(|horizon| poll.end <= horizon)
            {
                continue;
            }
            self.horizon.set(poll.start.checked_add(self.threshold));
            let took = poll.end - poll.start;
            if took > self.threshold {
                let during = fired_deadlines
                    .iter()
                    .filter(|&&deadline| poll.contains(deadline));
                let overdue_timers = during.clone().count();
                let worst_lateness = during
                    .filter_map(|&deadline| Some(fired_at?.saturating_duration_since(deadline)))
                    .max()
                    .unwrap_or_default();
                let label = poll.meta.label(poll.task);
                reports.push(SlowPoll::returned(
                    label,
                    took,
                    overdue_timers,
                    worst_lateness,
                ));
            }
        }
        let mut last_turn = self.last_turn.borrow_mut();
        mem::swap(&mut *this_turn, &mut *last_turn);
        this_turn.len = 0;
        drop((this_turn, last_turn));
        // The hook is user code: it runs with no borrow held.
        for report in &reports {
            (self.hook)(report);
        }
    }

    /// The poll of the last turn during which `deadline` passed, if any.
    pub(crate) fn blame(&self, deadline: Instant) -> Option<Blame> {
        self.last_turn
            .borrow()
            .polls()
            .iter()
            .find(|poll| poll.contains(deadline))
            .map(|poll| Blame {
                task: poll.meta.label(poll.task),
                held_for: poll.end - poll.start,
            })
    }
}
