//! What a case is: the unit the tour runs on a fresh executor, judges
//! and reports, and the scenario that groups an example's cases.
//!
//! There are two kinds. Most cases are one `wait_for`, judged by when it
//! returned against its deadline ([`WaitForCase`]); an interval's cases
//! have no deadline and are judged by when each tick came
//! ([`TickCase`], in [`super::ticks`]). Keeping the kinds apart in the type
//! means no interval case carries a made-up timeout or verdict.

use super::report::{Outcome, Verdict};
use super::ticks::TickCase;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use waitfor::demo::Clock;

/// One call of an example's function, on the executor the tour built.
pub type Lesson = fn(Clock) -> Pin<Box<dyn Future<Output = Outcome>>>;

/// One case, on a fresh executor: what the tour runs and judges.
#[derive(Clone, Copy, Debug)]
pub enum Case {
    /// One `wait_for`, judged by when it returned against its deadline.
    WaitFor(WaitForCase),
    /// An interval's ticks, judged by when each was seen.
    Ticks(TickCase),
}

impl Case {
    pub fn name(&self) -> &'static str {
        match self {
            Case::WaitFor(case) => case.name,
            Case::Ticks(case) => case.name,
        }
    }

    /// What the case does, in one line.
    pub fn about(&self) -> &'static str {
        match self {
            Case::WaitFor(case) => case.about,
            Case::Ticks(case) => case.about,
        }
    }

    /// The cooperative budget its executor gets (`Builder::budget`).
    pub fn budget(&self) -> Option<u32> {
        match self {
            Case::WaitFor(case) => case.budget,
            Case::Ticks(_) => DEFAULT_BUDGET,
        }
    }
}

/// A case that runs one `wait_for`.
#[derive(Clone, Copy, Debug)]
pub struct WaitForCase {
    pub name: &'static str,
    /// What the case does, in one line.
    pub about: &'static str,
    /// The `wait_for` timeout the example uses.
    pub timeout: Duration,
    /// How long the future needs when the loop is free.
    pub work: Duration,
    /// The verdict the write-up predicts.
    pub expect: Verdict,
    /// The cooperative budget (`Builder::budget`): the default, 128.
    pub budget: Option<u32>,
    pub run: Lesson,
}

/// A scenario: an example, and its cases.
pub struct Scenario {
    /// Its name: the example's, and the tour's `--only` argument.
    pub name: &'static str,
    /// What it shows, in one line.
    pub title: &'static str,
    /// Needs the real clock (it runs a real thread).
    pub real_only: bool,
    pub cases: Vec<Case>,
}

/// The executor's default cooperative budget.
pub const DEFAULT_BUDGET: Option<u32> = Some(128);
