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

use crate::waker::TaskId;
use std::cell::RefCell;
use std::fmt;
use std::panic::Location;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a task is called in reports: a name if it was given one, else its
/// id and where it was spawned.
#[derive(Clone, Debug)]
pub(crate) struct TaskMeta {
    pub(crate) name: Option<Arc<str>>,
    pub(crate) spawned_at: &'static Location<'static>,
}

impl TaskMeta {
    pub(crate) fn label(&self, task: TaskId) -> String {
        match &self.name {
            Some(name) => format!("task `{name}`"),
            None => format!(
                "task {task} (spawned at {}:{})",
                self.spawned_at.file(),
                self.spawned_at.line()
            ),
        }
    }
}

/// A poll that took longer than the threshold, reported through the hook
/// set with `Builder::on_slow_poll`.
#[derive(Clone, Debug)]
pub struct SlowPoll {
    task: String,
    took: Duration,
    overdue_timers: Option<usize>,
    worst_lateness: Duration,
    still_running: bool,
}

impl SlowPoll {
    /// The task's label: its name, or its id and spawn site.
    pub fn task(&self) -> &str {
        &self.task
    }

    /// How long the poll took (or, while it is still running, has taken).
    pub fn took(&self) -> Duration {
        self.took
    }

    /// How many timers came due while the poll held the loop. `None` in a
    /// watchdog report: the wheel cannot be read until the poll returns.
    pub fn overdue_timers(&self) -> Option<usize> {
        self.overdue_timers
    }

    /// How late the most overdue of those timers was; in a watchdog report,
    /// how overdue the earliest pending timer is now.
    pub fn worst_lateness(&self) -> Duration {
        self.worst_lateness
    }

    /// True for a watchdog report about a poll that has not returned yet.
    pub fn still_running(&self) -> bool {
        self.still_running
    }

    pub(crate) fn stuck(task: String, took: Duration, earliest_timer_overdue: Duration) -> Self {
        SlowPoll {
            task,
            took,
            overdue_timers: None,
            worst_lateness: earliest_timer_overdue,
            still_running: true,
        }
    }
}

impl fmt::Display for SlowPoll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.still_running {
            "has been blocking the loop for"
        } else {
            "blocked the loop for"
        };
        write!(
            f,
            "waitfor: {} {verb} {:.3} s in one poll",
            self.task,
            secs(self.took)
        )?;
        match self.overdue_timers {
            None if self.worst_lateness.is_zero() => f.write_str("; no timer is overdue yet"),
            None => write!(
                f,
                "; the earliest timer is {:.3} s overdue",
                secs(self.worst_lateness)
            ),
            Some(0) => f.write_str("; no timer was due meanwhile"),
            Some(n) => write!(
                f,
                "; {n} timer{} overdue, the worst by {:.3} s",
                if n == 1 { "" } else { "s" },
                secs(self.worst_lateness)
            ),
        }
    }
}

fn secs(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

/// Who held the loop when a timeout's deadline passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Blame {
    pub(crate) task: String,
    pub(crate) held_for: Duration,
}

/// The hook that receives slow-poll reports.
pub(crate) type SlowPollHook = Arc<dyn Fn(&SlowPoll) + Send + Sync>;

pub(crate) fn print_to_stderr() -> SlowPollHook {
    Arc::new(|report: &SlowPoll| eprintln!("{report}"))
}

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
            (self.hook)(&SlowPoll {
                task: poll.meta.label(poll.task),
                took: poll.end - poll.start,
                overdue_timers: Some(overdue_timers),
                worst_lateness,
                still_running: false,
            });
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
