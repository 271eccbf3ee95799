//! What became of each `wait_for`'s timeout, in the words both timelines use.
//!
//! The wheel's events cannot say this alone. A timeout that was never filed
//! leaves no timer event at all; one that fired late may still have lost to
//! the future (`wait_for` polls the future first, so a future that finishes
//! at the poll after the fire returns `Ok`). So the fate is read from the
//! `wait_for`'s own events and its timer's together, and lateness counts
//! from the `wait_for`'s exact deadline, as `Elapsed::lateness` does.

use crate::axis::human;
use crate::layout::{Layout, WaitFor, LATE};

/// The ways a `wait_for`'s timeout can end up.
pub(super) enum Fate {
    /// The future finished in the poll that would have filed the timer.
    NeverFiled { returned: f64 },
    /// The timer fired (if the ring kept that), and `wait_for` timed out.
    TimedOut { fired: Option<f64>, returned: f64 },
    /// The timer fired, but at the next poll the future finished first.
    LostTheRace { fired: f64, returned: f64 },
    /// The future finished before the timer fired.
    Beaten { returned: f64 },
    /// The `wait_for` was dropped unfinished, cancelling its timer.
    Dropped { at: f64 },
    /// Nothing had happened yet when the trace ends.
    Waiting { fired: Option<f64> },
}

impl Layout {
    /// What became of `wait_for`'s timeout.
    pub(super) fn fate(&self, wait_for: &WaitFor) -> Fate {
        let timer = wait_for.timer.map(|i| &self.timers[i]);
        let fired = timer.and_then(|timer| timer.fired);
        match (wait_for.returned, timer) {
            (Some((returned, true)), _) => Fate::TimedOut { fired, returned },
            (Some((returned, false)), None) => Fate::NeverFiled { returned },
            (Some((returned, false)), Some(_)) => match fired {
                Some(fired) => Fate::LostTheRace { fired, returned },
                None => Fate::Beaten { returned },
            },
            (None, Some(timer)) if fired.is_none() && timer.cancelled.is_some() => Fate::Dropped {
                at: timer.cancelled.unwrap_or(self.last),
            },
            (None, _) => Fate::Waiting { fired },
        }
    }

    /// How late `wait_for`'s timer fired, from the exact deadline (as
    /// `Elapsed::lateness` counts), if it fired late. Late means as timers
    /// are judged: after its tick, to which the wheel rounds the deadline
    /// up, so that a real clock's rounding alone does not count.
    fn fired_late(&self, wait_for: &WaitFor) -> Option<f64> {
        let timer = &self.timers[wait_for.timer?];
        timer.late_by()?;
        Some(timer.fired? - wait_for.deadline)
    }

    /// The stretch during which `wait_for` was overdue and nothing came of
    /// it (from its deadline to a late fire, or to the return if its timer
    /// was never filed), if longer than the lateness that counts.
    pub(super) fn overdue(&self, wait_for: &WaitFor) -> Option<(f64, f64)> {
        let from = wait_for.deadline;
        let unwatched = |until: f64| (until - from > LATE).then_some((from, until));
        match self.fate(wait_for) {
            Fate::NeverFiled { returned }
            | Fate::TimedOut {
                fired: None,
                returned,
            } => unwatched(returned),
            Fate::TimedOut { .. } | Fate::LostTheRace { .. } | Fate::Waiting { .. } => {
                self.fired_late(wait_for).map(|late| (from, from + late))
            }
            Fate::Beaten { .. } | Fate::Dropped { .. } => None,
        }
    }

    /// What became of `wait_for`'s timeout, as a clause: `fired 4 s late:
    /// Err(Elapsed) at 5 s`.
    pub(super) fn fate_words(&self, wait_for: &WaitFor) -> String {
        // On time is at its tick; past the deadline by the tick's rounding
        // is said, so that the figure matches `Elapsed::lateness`.
        let fired_words = || {
            let timer = wait_for.timer.map(|i| &self.timers[i]);
            let after = timer.and_then(|t| t.fired).map(|f| f - wait_for.deadline);
            match (self.fired_late(wait_for), after) {
                (Some(late), _) => format!("fired {} late", human(late)),
                (None, Some(after)) if after > LATE => {
                    format!("fired at its tick, {} after the deadline", human(after))
                }
                _ => "fired on time".to_owned(),
            }
        };
        // When it returned, and how long after the deadline if that is not
        // what the fire already says (a poll ran between the two).
        let returned_words = |returned: f64, fired: Option<f64>| {
            let after = returned - wait_for.deadline;
            let later = fired.map_or(after > LATE, |fired| returned - fired > LATE);
            match later && after > LATE {
                true => format!("{}, {} after the deadline", human(returned), human(after)),
                false => human(returned),
            }
        };
        match self.fate(wait_for) {
            Fate::NeverFiled { returned } => {
                let when = returned_words(returned, None);
                format!(
                    "never filed, because the poll that would have filed it \
                     returned the result (Ok at {when})"
                )
            }
            Fate::TimedOut { fired, returned } => {
                let when = returned_words(returned, fired);
                let fired = fired.map_or("timed out".to_owned(), |_| fired_words());
                format!("{fired}: Err(Elapsed) at {when}")
            }
            Fate::LostTheRace { fired, returned } => format!(
                "{}, but the future was polled first and finished: Ok at {}",
                fired_words(),
                returned_words(returned, Some(fired))
            ),
            Fate::Beaten { returned } => {
                let cancelled = wait_for.timer.and_then(|i| self.timers[i].cancelled);
                let what = if cancelled.is_some() {
                    "cancelled"
                } else {
                    "not needed"
                };
                format!(
                    "{what}: the future finished first (Ok at {})",
                    human(returned)
                )
            }
            Fate::Dropped { at } => {
                format!(
                    "cancelled: the wait_for was dropped unfinished at {}",
                    human(at)
                )
            }
            Fate::Waiting { fired: Some(_) } => {
                format!("{}; not polled again before the trace ends", fired_words())
            }
            Fate::Waiting { fired: None } => "still waiting when the trace ends".to_owned(),
        }
    }

    /// Who made `wait_for`, and its timeout: `wait_for in task `fetch`
    /// (timeout 1 s, due at 1 s)`.
    pub(super) fn wait_for_name(&self, wait_for: &WaitFor) -> String {
        let owner = self.task_label(wait_for.task).unwrap_or("an unknown task");
        let due = human(wait_for.deadline);
        match wait_for.timeout {
            Some(timeout) => format!(
                "wait_for in {owner} (timeout {}, due at {due})",
                human(timeout)
            ),
            None => format!("wait_for in {owner} (due at {due})"),
        }
    }

    /// One line on the timers that are no `wait_for`'s timeout; empty when
    /// there are none that fired.
    pub(super) fn other_timers_words(&self) -> String {
        let others = if self.wait_fors.is_empty() {
            ""
        } else {
            " other"
        };
        if let Some(worst) = self.late.first().and_then(|&i| self.timers[i].late_by()) {
            let (n, worst) = (self.late.len(), human(worst));
            return format!("{n}{others} timer(s) fired late, the latest by {worst}");
        }
        let alone = self.timers.iter().filter(|t| t.timeout_of.is_none());
        match alone.filter(|t| t.fired.is_some()).count() {
            0 => String::new(),
            n => format!("{n}{others} timer(s) fired, all on time"),
        }
    }
}
