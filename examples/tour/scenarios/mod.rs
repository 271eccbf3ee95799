//! The registry of scenarios the tour walks, in its order: each names the
//! example that defines it and, for each case, which of the example's
//! functions to run and what is predicted: for a `wait_for`, its timeout
//! and the write-up's verdict; for an interval, the instants of its ticks.
//!
//! The lessons themselves are in the examples (`examples/NAME.rs`); a case
//! here is only the call, wrapped so that every `wait_for` case returns an
//! [`Outcome`] and every interval case its ticks. To add a scenario:
//! include its example in `examples/tour/mod.rs` and add one entry to the
//! `all` of its group: [`writeup`], [`causes`] or [`real`].

use super::case::{Case, Lesson, Scenario, WaitForCase, DEFAULT_BUDGET};
use super::report::Verdict;
use super::ticks::{TickCase, TickLesson};
use std::time::Duration;

mod causes;
mod real;
mod writeup;

const fn case(
    name: &'static str,
    about: &'static str,
    (timeout, work): (Duration, Duration),
    expect: Verdict,
    run: Lesson,
) -> WaitForCase {
    let budget = DEFAULT_BUDGET;
    WaitForCase {
        name,
        about,
        timeout,
        work,
        expect,
        budget,
        run,
    }
}

/// An interval case: `(scheduled, seen)` are its ticks' predicted instants,
/// in ms since the interval started.
const fn ticks(
    name: &'static str,
    about: &'static str,
    (scheduled, seen): (&'static [u64], &'static [u64]),
    reading: &'static str,
    run: TickLesson,
) -> Case {
    Case::Ticks(TickCase {
        name,
        about,
        scheduled,
        seen,
        reading,
        run,
    })
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const ZERO: Duration = Duration::ZERO;

/// A scenario of `wait_for` cases.
fn scenario(name: &'static str, title: &'static str, cases: Vec<WaitForCase>) -> Scenario {
    Scenario {
        name,
        title,
        real_only: false,
        cases: cases.into_iter().map(Case::WaitFor).collect(),
    }
}

/// A scenario of `wait_for` cases that needs the real clock (a real thread
/// or server): `tour --virtual` leaves it out.
fn real_only(name: &'static str, title: &'static str, cases: Vec<WaitForCase>) -> Scenario {
    Scenario {
        real_only: true,
        ..scenario(name, title, cases)
    }
}

/// Every scenario, in the tour's order: the write-up's three programs, its
/// two remarks on `wait_for`, then the other causes and their fixes, then
/// those that need real time.
pub fn all() -> Vec<Scenario> {
    let groups = [writeup::all(), causes::all(), real::all()];
    groups.into_iter().flatten().collect()
}

/// The scenario called `name`.
pub fn find(name: &str) -> Option<Scenario> {
    all().into_iter().find(|scenario| scenario.name == name)
}
