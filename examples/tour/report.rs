//! What one case came to, and the verdict on it.
//!
//! Most cases are one `wait_for` on a fresh executor ([`WaitForReport`];
//! the interval's cases are judged in [`super::ticks`]). What a user sees of one is
//! the [`Outcome`] and *when `wait_for` returned*, so that is what the
//! [`Verdict`] is about: a result before the deadline is in time; a timeout
//! is on time or late by how long after its deadline `wait_for` returned;
//! and a result after the deadline means the timeout never took effect.
//! The timer's own story ([`Timer`]: never filed, cancelled, fired and
//! lost, fired) is kept beside it, because it explains the verdict: a timer
//! can fire 5 ms late and `wait_for` still return 30 ms late, since it
//! polls the future before it looks at the timer.

use super::case::WaitForCase;
use super::files::Format;
use super::ticks::TickReport;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use waitfor::Elapsed;

/// What a case's `wait_for` returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The future finished with this value (its `Debug` form).
    Ok(String),
    /// The future finished with this error (not a timeout).
    Error(String),
    /// The timeout won.
    TimedOut(Elapsed),
}

impl Outcome {
    /// The outcome of a `wait_for` around an infallible future.
    pub fn of<T: fmt::Debug>(result: Result<T, Elapsed>) -> Self {
        match result {
            Ok(value) => Outcome::Ok(format!("{value:?}")),
            Err(elapsed) => Outcome::TimedOut(elapsed),
        }
    }

    /// The outcome of a `wait_for` around a fallible future.
    pub fn of_fallible<T: fmt::Debug, E: fmt::Display>(
        result: Result<Result<T, E>, Elapsed>,
    ) -> Self {
        match result {
            Ok(Ok(value)) => Outcome::Ok(format!("{value:?}")),
            Ok(Err(error)) => Outcome::Error(error.to_string()),
            Err(elapsed) => Outcome::TimedOut(elapsed),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok(value) => write!(f, "Ok({value})"),
            Outcome::Error(error) => write!(f, "error: {error}"),
            Outcome::TimedOut(_) => f.write_str("timeout"),
        }
    }
}

/// What became of the timeout's timer (times since the case started).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Timer {
    /// Never filed: the poll that would have filed it returned the result.
    NeverFiled,
    /// Filed, then cancelled when `wait_for` returned with the result.
    Cancelled,
    /// It fired `late` after its deadline, but the future finished on the
    /// next poll and won: `wait_for` polls the future first.
    FiredAndLost { late: Duration },
    /// It fired `late` after its deadline, at `at`, and won.
    Fired { at: Duration, late: Duration },
}

/// The verdict on a case, from what `wait_for` returned and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The result came by the deadline (within [`MARGIN`]).
    InTime,
    /// The timeout came within [`MARGIN`] of its deadline.
    OnTime,
    /// The timeout came more than [`MARGIN`] after its deadline.
    Late,
    /// The result came after the deadline: the timeout never took effect.
    Never,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::InTime => "in time",
            Verdict::OnTime => "on time",
            Verdict::Late => "late",
            Verdict::Never => "never",
        })
    }
}

impl Verdict {
    /// The verdict's meaning, in a few words.
    pub fn meaning(self) -> String {
        let margin = fmt_duration(MARGIN);
        match self {
            Verdict::InTime => {
                format!("the result came by the deadline, or within {margin} of it")
            }
            Verdict::OnTime => format!("the timeout came within {margin} of its deadline"),
            Verdict::Late => format!("the timeout came more than {margin} after its deadline"),
            Verdict::Never => {
                "the result came after the deadline; the timeout never took effect".into()
            }
        }
    }
}

/// How long after its deadline `wait_for` may return and still count as on
/// time: 20 ms (the tick is 1 ms; every late case here is 30 ms late or more).
pub const MARGIN: Duration = Duration::from_millis(20);

/// What happened in one case, of either kind.
#[derive(Clone, Debug)]
pub enum Report {
    WaitFor(WaitForReport),
    Ticks(TickReport),
}

impl Report {
    /// The case's name.
    pub fn name(&self) -> &'static str {
        match self {
            Report::WaitFor(report) => report.case.name,
            Report::Ticks(report) => report.case.name,
        }
    }

    /// What the reader sees of the run, whatever its kind.
    pub fn shown(&self) -> &Shown {
        match self {
            Report::WaitFor(report) => &report.shown,
            Report::Ticks(report) => &report.shown,
        }
    }

    /// Whether the case did what is predicted.
    pub fn as_predicted(&self) -> bool {
        match self {
            Report::WaitFor(report) => report.as_predicted(),
            Report::Ticks(report) => report.as_predicted(),
        }
    }
}

/// What a reader sees of a case as it runs and after: its prints, its
/// timeline.
#[derive(Clone, Debug, Default)]
pub struct Shown {
    /// Every line the case said, with when (since the case started).
    pub lines: Vec<(Duration, String)>,
    /// The case's ASCII timeline, if the trace rendered one.
    pub timeline: Option<String>,
    /// The files written for the case, if asked for: its SVG timeline, its trace.
    pub files: Vec<(Format, PathBuf)>,
}

/// What happened in one `wait_for` case.
#[derive(Clone, Debug)]
pub struct WaitForReport {
    pub case: WaitForCase,
    pub outcome: Outcome,
    /// When `wait_for` returned, since the case started.
    pub returned: Duration,
    pub timer: Timer,
    /// The lateness the timeline shows for the timer, if it differs from
    /// [`Timer`]'s: the trace measures from the deadline rounded up to a tick.
    pub traced_lateness: Option<Duration>,
    pub shown: Shown,
}

impl WaitForReport {
    /// The deadline, since the case started.
    pub fn deadline(&self) -> Duration {
        self.case.timeout
    }

    /// How long after the deadline `wait_for` returned (zero if before).
    pub fn lateness(&self) -> Duration {
        self.returned.saturating_sub(self.deadline())
    }

    /// The verdict, with the tour's [`MARGIN`].
    pub fn verdict(&self) -> Verdict {
        self.verdict_with(MARGIN)
    }

    /// The verdict, with `margin` for "on time" (and for "in time": on a
    /// real clock a result due at the deadline may come a little after it).
    pub fn verdict_with(&self, margin: Duration) -> Verdict {
        match (&self.outcome, self.lateness() <= margin) {
            (Outcome::TimedOut(_), true) => Verdict::OnTime,
            (Outcome::TimedOut(_), false) => Verdict::Late,
            (_, true) => Verdict::InTime,
            (_, false) => Verdict::Never,
        }
    }

    /// Whether the verdict is what the write-up predicts.
    pub fn as_predicted(&self) -> bool {
        self.verdict() == self.case.expect
    }

    /// Which task held the loop when the deadline passed, in one line.
    pub fn blame(&self) -> Option<String> {
        let Outcome::TimedOut(elapsed) = &self.outcome else {
            return None;
        };
        let held = elapsed.blocked_for()?;
        Some(format!(
            "{} held the loop for {} in one poll",
            elapsed.blamed_task()?,
            fmt_duration(held)
        ))
    }
}

/// `1.234 s`, `12.5 ms`, `800 µs`: seconds down to 1 s, then milliseconds,
/// then microseconds, so no figure reads as `0.000 s`.
pub fn fmt_duration(duration: Duration) -> String {
    let micros = duration.as_micros();
    if micros == 0 {
        "0 s".into()
    } else if micros < 1_000 {
        format!("{micros} µs")
    } else if micros < 1_000_000 {
        let millis = duration.as_secs_f64() * 1e3;
        format!("{millis:.1} ms").replace(".0 ms", " ms")
    } else {
        format!("{:.3} s", duration.as_secs_f64())
    }
}
