//! The examples' scenarios, checked: every case's outcome, verdict and, on
//! the virtual clock, its exact instants.
//!
//! The cases are the very functions the examples define and the tour runs
//! (the examples and `examples/tour/` are included here as modules), run
//! through the tour's own runner on the virtual clock, so a 5 s block takes
//! no time and every instant is exact. The scenarios that need real time
//! (a real thread, a real server) are checked in
//! `tests/examples_real.rs`. The examples' command lines are checked in
//! `tests/example_programs.rs`.

#[path = "../examples/tour/mod.rs"]
mod tour;
mod tour_cases;

use std::path::PathBuf;
use std::time::Duration;
use tour::report::{Outcome, Report, Timer, Verdict, WaitForReport};
use tour::{host_loop, scenarios};
use tour_cases::{case, fired_late, ms, run_any, wait_fors};
use waitfor::demo::Clock;

fn run(name: &str) -> Vec<WaitForReport> {
    wait_fors(run_any(Clock::Virtual, name))
}

fn only(name: &str) -> WaitForReport {
    let mut reports = run(name);
    assert_eq!(reports.len(), 1, "{name} has one case");
    reports.remove(0)
}

fn lines(report: &WaitForReport) -> Vec<(Duration, &str)> {
    report
        .shown
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
    for scenario in scenarios::all()
        .iter()
        .filter(|scenario| !scenario.real_only)
    {
        for report in run_any(Clock::Virtual, scenario.name) {
            assert!(
                report.as_predicted(),
                "{}/{}: {report:?}",
                scenario.name,
                report.name()
            );
            // The registry's timeout is the one the example uses.
            if let Report::WaitFor(report) = report {
                if let Timer::Fired { at, late } = report.timer {
                    assert_eq!(at - late, report.case.timeout, "{}", report.case.name);
                }
            }
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
            (ms(5000), "blocking task finished"),
            (ms(5000), "result: done"),
        ]
    );
    assert_eq!(report.outcome, ok("\"done\""));
    assert_eq!(report.returned, ms(5000));
    assert_eq!(report.timer, Timer::NeverFiled);
    assert_eq!(report.verdict(), Verdict::Never);
}

#[test]
fn async_task_times_out_on_time() {
    let report = only("async_task");
    assert_eq!(
        lines(&report),
        [
            (Duration::ZERO, "async task started"),
            (ms(1000), "timeout occurred")
        ]
    );
    assert_eq!(
        report.timer,
        Timer::Fired {
            at: ms(1000),
            late: Duration::ZERO
        }
    );
    assert_eq!(report.returned, ms(1000));
    assert_eq!(report.blame(), None, "the loop was free: nobody to blame");
}

#[test]
fn problematic_async_task_raises_its_own_error_first() {
    let report = only("problematic_async_task");
    assert_eq!(
        lines(&report),
        [
            (Duration::ZERO, "task started"),
            (ms(500), "value error: something went bad!")
        ]
    );
    assert_eq!(report.outcome, Outcome::Error("something went bad!".into()));
    assert_eq!(report.returned, ms(500));
    assert_eq!(report.timer, Timer::Cancelled);
    assert_eq!(report.verdict(), Verdict::InTime);
}

#[test]
fn yield_table_is_cpython_3_12s_ok_ok_late() {
    let reports = run("yield_table");
    let outcomes: Vec<_> = reports.iter().map(|r| r.outcome.to_string()).collect();
    assert_eq!(outcomes, ["Ok(\"done\")", "Ok(\"done\")", "timeout"]);
    for report in &reports {
        assert_eq!(report.returned, ms(500), "{}", report.case.name);
    }
    // No yield: the timer was never even filed. One yield: it fired, 400 ms
    // late, and lost to the future, which wait_for polls first.
    assert_eq!(case(&reports, "0 yields").timer, Timer::NeverFiled);
    assert_eq!(
        case(&reports, "1 yield").timer,
        Timer::FiredAndLost { late: ms(400) }
    );
    let two = case(&reports, "2 yields");
    assert_eq!(
        two.timer,
        Timer::Fired {
            at: ms(500),
            late: ms(400)
        }
    );
    assert_eq!(
        two.blame().as_deref(),
        Some("task `block_on` held the loop for 500 ms in one poll")
    );
}

#[test]
fn an_already_done_future_beats_a_zero_timeout() {
    let reports = run("already_done");
    assert_eq!(
        case(&reports, "ready future, timeout 0").outcome,
        ok("\"done\"")
    );
    assert_eq!(
        case(&reports, "finished task, timeout 0").outcome,
        ok("\"done\"")
    );
    let needs_time = case(&reports, "sleep(100 ms), timeout 0");
    assert_eq!(fired_late(needs_time), Duration::ZERO);
    for report in &reports {
        assert_eq!(report.returned, Duration::ZERO, "{}", report.case.name);
    }
}

#[test]
fn cpu_bound_starves_the_timer_unless_it_yields() {
    let reports = run("cpu_bound");
    let plain = case(&reports, "no yield");
    assert_eq!((&plain.outcome, plain.returned), (&ok("600"), ms(600)));
    assert_eq!(plain.timer, Timer::NeverFiled);
    let yielding = case(&reports, "yield every 5 steps");
    assert_eq!(
        yielding.timer,
        Timer::Fired {
            at: ms(200),
            late: Duration::ZERO
        }
    );
    // The fired timer waits for one more stretch of 5 steps: inner first.
    assert_eq!(yielding.returned, ms(205));
}

#[test]
fn a_future_that_never_returns_pending_cannot_be_timed_out() {
    let reports = run("never_pending");
    let spinning = case(&reports, "never Pending");
    assert_eq!(
        (&spinning.outcome, spinning.returned),
        (&ok("\"resource ready\""), ms(600))
    );
    let checking = case(&reports, "Pending until ready");
    assert_eq!(fired_late(checking), Duration::ZERO);
    assert_eq!(checking.returned, ms(201));
}

#[test]
fn the_budget_bounds_an_always_ready_source_but_wait_for_returns_a_slice_late() {
    let reports = run("always_ready");
    let off = case(&reports, "budget off");
    assert_eq!((&off.outcome, off.returned), (&ok("3000"), ms(600)));
    let on = case(&reports, "budget on");
    // Yields every 128 items x 200 us = 25.6 ms; the 8th yield, at 204.8 ms,
    // is the first after the deadline and fires the timer; wait_for polls
    // the future first and returns at the 9th, 30.4 ms after the deadline.
    assert_eq!(
        on.timer,
        Timer::Fired {
            at: Duration::from_micros(204_800),
            late: Duration::from_micros(4_800)
        }
    );
    assert_eq!(on.returned, Duration::from_micros(230_400));
    assert_eq!(on.verdict(), Verdict::Late);
}

#[test]
fn host_loop_fires_a_frame_late_between_frames_and_on_time_at_next_deadline() {
    let run = |honours_deadlines| {
        let executor = Clock::Virtual.builder().build();
        let heard = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let sink = std::rc::Rc::clone(&heard);
        let outcome = waitfor::demo::listen(
            move |line| sink.borrow_mut().push(line.to_string()),
            || host_loop::under_a_gui(Clock::Virtual, executor, honours_deadlines),
        );
        let frames = heard.borrow().clone();
        (outcome.unwrap_err(), frames)
    };
    let (between_frames, frames) = run(false);
    assert_eq!(between_frames.lateness(), ms(150), "{between_frames}");
    assert_eq!(frames, ["frame at 0ns", "frame at 250ms"]);
    let (at_deadline, frames) = run(true);
    assert_eq!(at_deadline.lateness(), Duration::ZERO, "{at_deadline}");
    assert_eq!(frames, ["frame at 0ns"], "it fired before the next frame");
}

#[test]
fn every_example_is_a_plain_page_and_every_scenario_has_one() {
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut plain = Vec::new();
    for entry in std::fs::read_dir(&examples).unwrap() {
        let file = entry.unwrap().path();
        let Some(name) = file.file_stem().and_then(|stem| stem.to_str()) else {
            continue;
        };
        if file.extension().is_none_or(|ext| ext != "rs") || name == "tour" {
            continue;
        }
        let source = std::fs::read_to_string(&file).unwrap();
        let shown = file.display();
        assert!(source.starts_with("//!"), "{shown} opens without its essay");
        assert!(source.lines().count() <= 100, "{shown} is over 100 lines");
        assert!(!source.contains("#[path"), "{shown} includes a harness");
        assert!(source.contains("fn main()"), "{shown} has no main");
        plain.push(name.to_string());
    }
    for scenario in scenarios::all() {
        assert!(
            plain.contains(&scenario.name.to_string()),
            "{} has no example",
            scenario.name
        );
    }
}

#[test]
fn the_summary_lists_every_case() {
    let all = scenarios::all();
    let runs: Vec<_> = all
        .iter()
        .filter(|scenario| !scenario.real_only)
        .map(|scenario| (scenario, run_any(Clock::Virtual, scenario.name)))
        .collect();
    let summary = tour::show::summary(&runs, tour::show::Style::detect());
    for (scenario, reports) in &runs {
        assert!(summary.contains(scenario.name));
        for report in reports {
            assert!(summary.contains(report.name()), "{}", report.name());
        }
    }
}

#[test]
fn same_turn_returns_the_inner_result_although_both_timers_fired_in_one_step() {
    let reports = run("same_turn");
    for report in &reports {
        assert_eq!(
            report.outcome.to_string(),
            "Ok(\"done\")",
            "{}",
            report.case.name
        );
        assert_eq!(report.returned, ms(200), "{}", report.case.name);
        assert_eq!(report.verdict(), Verdict::Never, "{}", report.case.name);
        assert_eq!(
            report.timer,
            Timer::FiredAndLost { late: ms(100) },
            "{}",
            report.case.name
        );
    }
}

/// The ticks of `interval_burst`'s case `name`, in ms: scheduled, and seen.
fn ticks_of(reports: &[Report], name: &str) -> (Vec<u128>, Vec<u128>) {
    let report = reports
        .iter()
        .find_map(|report| match report {
            Report::Ticks(report) if report.case.name == name => Some(report),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no interval case {name:?}"));
    assert!(report.as_predicted(), "{report:?}");
    let ticks = report.ticks.iter();
    ticks
        .map(|(scheduled, seen)| (scheduled.as_millis(), seen.as_millis()))
        .unzip()
}

#[test]
fn interval_burst_gives_tokios_missed_tick_instants_through_the_tour() {
    let reports = run_any(Clock::Virtual, "interval_burst");
    assert_eq!(reports.len(), 3);
    let burst = ticks_of(&reports, "Burst");
    assert_eq!(burst.0, [100, 200, 300, 400, 500, 600]);
    assert_eq!(burst.1, [550, 550, 550, 550, 550, 600]);
    let delay = ticks_of(&reports, "Delay");
    assert_eq!(delay.0, [100, 650, 750, 850, 950, 1050]);
    assert_eq!(delay.1, [550, 650, 750, 850, 950, 1050]);
    let skip = ticks_of(&reports, "Skip");
    assert_eq!(skip.0, [100, 600, 700, 800, 900, 1000]);
    assert_eq!(skip.1, [550, 600, 700, 800, 900, 1000]);
    // The example's lines come at the instants its task saw them.
    let Report::Ticks(burst) = &reports[0] else {
        panic!("interval_burst's cases are interval cases");
    };
    let said: Vec<_> = burst
        .shown
        .lines
        .iter()
        .map(|(at, _)| at.as_millis())
        .collect();
    assert_eq!(said, [550, 550, 550, 550, 550, 550, 600]);
    assert_eq!(burst.late(), 5);
}

#[test]
fn an_interval_case_off_tokios_schedule_is_caught_and_says_where() {
    let Report::Ticks(mut report) = run_any(Clock::Virtual, "interval_burst").remove(1) else {
        panic!("interval_burst's cases are interval cases");
    };
    // Delay's ticks, judged against Burst's prediction: the second tick is off.
    (report.case.scheduled, report.case.seen) = (&[100, 200], &[550, 550]);
    let mismatch = report.mismatch().expect("Delay is not Burst");
    assert_eq!(mismatch.number, 2);
    assert_eq!(
        mismatch.to_string(),
        "tick 2: scheduled at 650 ms, seen at 650 ms; \
         tokio's semantics predict scheduled at 200 ms, seen at 550 ms"
    );
    // A missing tick is a mismatch too.
    report.ticks.truncate(1);
    (report.case.scheduled, report.case.seen) = (&[100, 650], &[550, 650]);
    assert_eq!(
        report.mismatch().map(|m| (m.number, m.seen)),
        Some((2, None))
    );
}
