//! What `tests/examples.rs` and `tests/examples_real.rs` both need: a
//! scenario run through the tour's own runner, and its `wait_for` cases'
//! reports picked out by name.

use crate::tour::report::{Report, Timer, WaitForReport};
use crate::tour::run::{Runner, Silent};
use crate::tour::scenarios;
use std::time::Duration;
use waitfor::demo::Clock;

pub fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Every case of scenario `name`, run on `clock`.
pub fn run_any(clock: Clock, name: &str) -> Vec<Report> {
    let scenario = scenarios::find(name).unwrap_or_else(|| panic!("no scenario {name:?}"));
    Runner::new(clock, Silent)
        .run_scenario(&scenario)
        .expect("no SVG asked for")
}

/// The reports of a scenario whose cases are `wait_for`s.
pub fn wait_fors(reports: Vec<Report>) -> Vec<WaitForReport> {
    let wait_for = |report| match report {
        Report::WaitFor(report) => report,
        Report::Ticks(report) => panic!("{}: not a wait_for case", report.case.name),
    };
    reports.into_iter().map(wait_for).collect()
}

pub fn case<'a>(reports: &'a [WaitForReport], name: &str) -> &'a WaitForReport {
    reports
        .iter()
        .find(|report| report.case.name == name)
        .unwrap_or_else(|| panic!("no case {name:?}"))
}

/// The timer lateness of a case that timed out.
pub fn fired_late(report: &WaitForReport) -> Duration {
    match report.timer {
        Timer::Fired { late, .. } => late,
        ref other => panic!("{}: the timer did not win: {other:?}", report.case.name),
    }
}
