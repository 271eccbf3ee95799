//! The examples' scenarios, checked: each case's outcome, its timing class
//! (on time / late / never) and, on the virtual clock, its exact instants.
//!
//! The scenarios are the very functions the tour and the examples run
//! (`examples/common/scenarios/`), here on the virtual clock, so a 5 s block
//! takes no time and every instant is exact. `to_thread` runs a real thread,
//! so it, and one cross-check of the yield table, run on the real clock with
//! generous margins.

#[path = "../examples/common/mod.rs"]
mod common;

use common::scenarios::{self, ALL};
use common::{ms, secs, Clock, Env, Outcome, Report, Silent, Timing};
use std::time::Duration;

fn run(name: &str, clock: Clock) -> Vec<Report> {
    let scenario = scenarios::find(name).unwrap_or_else(|| panic!("no scenario {name:?}"));
    Env::new(clock, Silent).run_scenario(scenario)
}

fn only(name: &str) -> Report {
    let mut reports = run(name, Clock::Virtual);
    assert_eq!(reports.len(), 1, "{name} has one case");
    reports.remove(0)
}

fn case<'a>(reports: &'a [Report], name: &str) -> &'a Report {
    reports
        .iter()
        .find(|report| report.case.name == name)
        .unwrap_or_else(|| panic!("no case {name:?}"))
}

fn lines(report: &Report) -> Vec<(Duration, &str)> {
    report
        .lines
        .iter()
        .map(|(at, line)| (*at, line.as_str()))
        .collect()
}

fn ok(value: &str) -> Outcome {
    Outcome::Ok(value.to_string())
}

#[test]
fn every_case_does_what_the_write_up_predicts_in_virtual_time() {
    for scenario in ALL.iter().filter(|scenario| !scenario.real_only) {
        for report in run(scenario.name, Clock::Virtual) {
            assert_eq!(
                report.timing(),
                report.case.expect,
                "{}/{}: {report:?}",
                scenario.name,
                report.case.name
            );
        }
    }
}

#[test]
fn blocking_task_prints_pythons_lines_at_pythons_moments() {
    let report = only("blocking_task");
    assert_eq!(
        lines(&report),
        [
            (Duration::ZERO, "blocking task started"),
            (secs(5), "blocking task finished"),
            (secs(5), "result: done"),
        ]
    );
    assert_eq!(report.outcome, ok("\"done\""));
    assert_eq!(report.actual_time, secs(5));
    assert_eq!(report.timing(), Timing::Never);
}

#[test]
fn async_task_times_out_on_time() {
    let report = only("async_task");
    assert_eq!(
        lines(&report),
        [
            (Duration::ZERO, "async task started"),
            (secs(1), "timeout occurred")
        ]
    );
    assert_eq!(report.outcome, Outcome::TimedOut);
    assert_eq!(report.timer_lateness, Some(Duration::ZERO));
    assert_eq!(report.actual_time, secs(1));
    assert_eq!(report.blame, None, "the loop was free: nobody to blame");
}

#[test]
fn problematic_async_task_raises_its_own_error_first() {
    let report = only("problematic_async_task");
    assert_eq!(
        lines(&report),
        [
            (Duration::ZERO, "task started"),
            (ms(500), "value error: something went bad!"),
        ]
    );
    assert_eq!(report.outcome, Outcome::Error("something went bad!".into()));
    assert_eq!(report.actual_time, ms(500));
    assert_eq!(report.timing(), Timing::OnTime);
}

#[test]
fn yield_table_is_cpython_3_12s_ok_ok_late() {
    let reports = run("yield_table", Clock::Virtual);
    let outcomes: Vec<_> = reports.iter().map(|r| r.outcome.clone()).collect();
    assert_eq!(
        outcomes,
        [ok("\"done\""), ok("\"done\""), Outcome::TimedOut]
    );
    for report in &reports {
        assert_eq!(report.actual_time, ms(500), "{}", report.case.name);
    }
    // No yield: the timer was never even filed. One yield: it fired, 400 ms
    // late, and lost to the future, which wait_for polls first.
    let zero = case(&reports, "0 yields").lost_timer.as_deref().unwrap();
    assert!(zero.starts_with("it was never filed"), "{zero}");
    assert_eq!(
        case(&reports, "1 yield").lost_timer.as_deref(),
        Some("it fired 0.400 s late, and lost: wait_for polls the future first")
    );
    let two = case(&reports, "2 yields");
    assert_eq!(two.timer_lateness, Some(ms(400)));
    assert_eq!(
        two.blame.as_deref(),
        Some("task `block_on` held the loop for 0.500 s in one poll")
    );
}

#[test]
fn an_already_done_future_beats_a_zero_timeout() {
    let reports = run("already_done", Clock::Virtual);
    assert_eq!(
        case(&reports, "ready future, timeout 0").outcome,
        ok("\"done\"")
    );
    assert_eq!(
        case(&reports, "finished task, timeout 0").outcome,
        ok("\"done\"")
    );
    let needs_time = case(&reports, "sleep(100 ms), timeout 0");
    assert_eq!(needs_time.outcome, Outcome::TimedOut);
    assert_eq!(needs_time.timer_lateness, Some(Duration::ZERO));
    for report in &reports {
        assert_eq!(report.actual_time, Duration::ZERO, "{}", report.case.name);
    }
}

#[test]
fn cpu_bound_starves_the_timer_unless_it_yields() {
    let reports = run("cpu_bound", Clock::Virtual);
    let plain = case(&reports, "no yield");
    assert_eq!((&plain.outcome, plain.actual_time), (&ok("600"), ms(600)));
    let yielding = case(&reports, "yield every 10 steps");
    assert_eq!(yielding.outcome, Outcome::TimedOut);
    assert_eq!(yielding.timer_lateness, Some(Duration::ZERO));
    // The fired timer waits for one more stretch of 10 steps: inner first.
    assert_eq!(yielding.actual_time, ms(210));
}

#[test]
fn a_future_that_never_returns_pending_cannot_be_timed_out() {
    let reports = run("never_pending", Clock::Virtual);
    let spinning = case(&reports, "never Pending");
    assert_eq!(
        (&spinning.outcome, spinning.actual_time),
        (&ok("\"resource ready\""), ms(600))
    );
    let checking = case(&reports, "Pending until ready");
    assert_eq!(checking.outcome, Outcome::TimedOut);
    assert_eq!(checking.timer_lateness, Some(Duration::ZERO));
    assert_eq!(checking.actual_time, ms(201));
}

#[test]
fn the_budget_makes_an_always_ready_source_yield() {
    let reports = run("always_ready", Clock::Virtual);
    let off = case(&reports, "budget off");
    assert_eq!((&off.outcome, off.actual_time), (&ok("3000"), ms(600)));
    let on = case(&reports, "budget on");
    assert_eq!(on.outcome, Outcome::TimedOut);
    // Yields every 128 joins x 200 us = 25.6 ms; the 8th yield, at 204.8 ms,
    // is the first after the deadline.
    assert_eq!(on.timer_lateness, Some(Duration::from_micros(4_800)));
    assert_eq!(on.actual_time, Duration::from_micros(230_400));
}

#[test]
fn a_blocking_neighbour_makes_an_innocent_timeout_late_and_is_blamed() {
    let reports = run("blocking_db", Clock::Virtual);
    let blocking = case(&reports, "blocking client");
    assert_eq!(
        (&blocking.outcome, blocking.actual_time),
        (&ok("\"user:42=alice\""), ms(600))
    );
    let asynchronous = case(&reports, "async client");
    assert_eq!(asynchronous.outcome, Outcome::TimedOut);
    assert_eq!(asynchronous.timer_lateness, Some(Duration::ZERO));
    let neighbour = case(&reports, "async client, blocking neighbour");
    assert_eq!(neighbour.outcome, Outcome::TimedOut);
    assert_eq!(neighbour.timer_lateness, Some(ms(300)));
    assert_eq!(
        neighbour.blame.as_deref(),
        Some("task `cache-warmer` held the loop for 0.500 s in one poll")
    );
}

#[test]
fn to_thread_times_out_on_time_while_the_thread_runs_on_real_clock() {
    let reports = run("to_thread", Clock::Real);
    let generous = ms(150);
    let inline = case(&reports, "inline");
    assert_eq!(inline.outcome, ok("\"done\""));
    assert!(inline.actual_time >= ms(600), "{inline:?}");
    assert_eq!(inline.timing_with(generous), Timing::Never);

    let threaded = case(&reports, "spawn_blocking");
    assert_eq!(threaded.outcome, Outcome::TimedOut);
    assert_eq!(
        threaded.timing_with(generous),
        Timing::OnTime,
        "{threaded:?}"
    );
    assert!(threaded.actual_time < ms(200) + generous, "{threaded:?}");
    let [(timed_out, _), (finished, _)] = lines(threaded)[..] else {
        panic!("two lines expected: {threaded:?}");
    };
    assert!(timed_out < ms(200) + generous, "{threaded:?}");
    assert!(
        finished >= ms(600),
        "the thread ran on to its end: {threaded:?}"
    );
}

#[test]
fn the_yield_table_holds_on_the_real_clock_too() {
    let reports = run("yield_table", Clock::Real);
    let generous = ms(150);
    let timings: Vec<_> = reports.iter().map(|r| r.timing_with(generous)).collect();
    assert_eq!(
        timings,
        [Timing::Never, Timing::Never, Timing::Late],
        "{reports:?}"
    );
    let late = case(&reports, "2 yields")
        .timer_lateness
        .expect("it timed out");
    assert!(late >= ms(400) && late < ms(400) + generous, "{late:?}");
}

#[test]
fn every_scenario_has_its_example_and_the_summary_lists_every_case() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut runs = Vec::new();
    for scenario in ALL {
        let file = examples.join(format!("{}.rs", scenario.name));
        assert!(
            file.is_file(),
            "{} has no example {}",
            scenario.name,
            file.display()
        );
        assert!(std::fs::read_to_string(&file).unwrap().starts_with("//!"));
        if !scenario.real_only {
            runs.push((scenario, run(scenario.name, Clock::Virtual)));
        }
    }
    let summary = common::pretty::summary(&runs);
    for (scenario, reports) in &runs {
        assert!(summary.contains(scenario.name));
        for report in reports {
            assert!(summary.contains(report.case.name), "{}", report.case.name);
        }
    }
    assert!(common::pretty::all_as_expected(&runs));
}
