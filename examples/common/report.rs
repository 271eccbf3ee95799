//! What a case measures: its [`Case`] (what a free loop would do), its
//! [`Outcome`], and the [`Report`] that classifies its [`Timing`] as on
//! time, late, or never.

use super::{Budget, Clock};
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;
use waitfor::Elapsed;

/// What a case's `wait_for` came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The future finished with this value.
    Ok(String),
    /// The future finished with this error (not a timeout).
    Error(String),
    /// The timeout won: `Err(Elapsed)`.
    TimedOut,
}

impl Outcome {
    /// The outcome of a `wait_for` around an infallible future.
    pub fn of<T: fmt::Debug>(result: &Result<T, Elapsed>) -> Self {
        match result {
            Ok(value) => Outcome::Ok(format!("{value:?}")),
            Err(_) => Outcome::TimedOut,
        }
    }

    /// The outcome of a `wait_for` around a fallible future.
    pub fn of_fallible<T: fmt::Debug, E: fmt::Display>(
        result: &Result<Result<T, E>, Elapsed>,
    ) -> Self {
        match result {
            Ok(Ok(value)) => Outcome::Ok(format!("{value:?}")),
            Ok(Err(error)) => Outcome::Error(error.to_string()),
            Err(_) => Outcome::TimedOut,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Ok(value) => write!(f, "Ok({value})"),
            Outcome::Error(error) => write!(f, "error: {error}"),
            Outcome::TimedOut => f.write_str("timeout"),
        }
    }
}

/// When a case's answer came, relative to what a free loop would give.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timing {
    /// The future's result came before the deadline, or the timeout fired
    /// at its deadline (within the margin).
    OnTime,
    /// The timeout fired, but later than its deadline by more than the margin.
    Late,
    /// The deadline passed, yet the timeout never fired: the future's result
    /// came after it and won.
    Never,
}

impl fmt::Display for Timing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Timing::OnTime => "on time",
            Timing::Late => "late",
            Timing::Never => "never",
        })
    }
}

/// The lateness up to which a timer counts as on time: 50 ms (the tick is
/// 1 ms; every late case in the scenarios is late by 300 ms or more).
pub const MARGIN: Duration = Duration::from_millis(50);

/// One case of a scenario: what it is, and what a free loop would do.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    pub name: &'static str,
    pub about: &'static str,
    /// How long the future needs if left alone (`Duration::MAX`: forever).
    pub work: Duration,
    /// The timing class the write-up predicts.
    pub expect: Timing,
    pub budget: Budget,
}

impl Case {
    pub const fn new(
        name: &'static str,
        about: &'static str,
        work: Duration,
        expect: Timing,
    ) -> Self {
        Case {
            name,
            about,
            work,
            expect,
            budget: Budget::Default,
        }
    }

    pub const fn budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }
}

/// What happened in one case.
#[derive(Clone, Debug)]
pub struct Report {
    pub case: Case,
    pub clock: Clock,
    pub outcome: Outcome,
    pub timeout: Duration,
    /// When `wait_for` returned, counted from when it was called.
    pub actual_time: Duration,
    /// How late the loop fired the timer (`Elapsed::lateness`), if it won.
    pub timer_lateness: Option<Duration>,
    /// If the future won: what the trace says became of the timer.
    pub lost_timer: Option<String>,
    /// Every line the case said, with when (since the case started).
    pub lines: Vec<(Duration, String)>,
    /// Which task held the loop when the timer came due, if one did.
    pub blame: Option<String>,
    /// The case's ASCII timeline, once the trace renders one.
    pub timeline: Option<String>,
    /// Where the case's SVG timeline was written, if asked for and rendered.
    pub svg: Option<PathBuf>,
}

impl Report {
    /// Whether a free loop would end the case with the timeout (ties go to
    /// the future: `wait_for` polls it first).
    pub fn expects_timeout(&self) -> bool {
        self.case.work > self.timeout
    }

    /// When a free loop would end the case.
    pub fn expected_time(&self) -> Duration {
        self.case.work.min(self.timeout)
    }

    /// How far past the expected time `wait_for` returned.
    pub fn lateness(&self) -> Duration {
        self.actual_time.saturating_sub(self.expected_time())
    }

    pub fn timing(&self) -> Timing {
        self.timing_with(MARGIN)
    }

    pub fn timing_with(&self, margin: Duration) -> Timing {
        match self.outcome {
            Outcome::TimedOut if self.timer_lateness.unwrap_or_default() <= margin => {
                Timing::OnTime
            }
            Outcome::TimedOut => Timing::Late,
            _ if self.actual_time <= self.timeout + margin => Timing::OnTime,
            _ => Timing::Never,
        }
    }
}
