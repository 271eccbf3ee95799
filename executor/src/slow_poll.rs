//! A slow-poll report, and the hook that receives it: what the diagnostics
//! (`diagnostics.rs`, at the end of a turn) and the watchdog (`watchdog.rs`,
//! while a poll is stuck) hand to the user.
//!
//! A leaf: the builder's configuration names the hook, and so must be able
//! to without reaching the instruments that call it.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
    /// In a busy loop a poll is timed from the end of the one before it, so
    /// this includes the executor's own work between the two (putting a task
    /// back, a timer step that wakes the owners of the timers it fired, a
    /// look at the sockets), never a wait.
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

    /// A poll that has returned, with the timers that came due during it.
    pub(crate) fn returned(
        task: String,
        took: Duration,
        overdue_timers: usize,
        worst_lateness: Duration,
    ) -> Self {
        SlowPoll {
            task,
            took,
            overdue_timers: Some(overdue_timers),
            worst_lateness,
            still_running: false,
        }
    }

    /// A poll that has not returned yet, as the watchdog sees it.
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

/// The hook that receives slow-poll reports.
pub(crate) type SlowPollHook = Arc<dyn Fn(&SlowPoll) + Send + Sync>;

pub(crate) fn print_to_stderr() -> SlowPollHook {
    Arc::new(|report: &SlowPoll| eprintln!("{report}"))
}
