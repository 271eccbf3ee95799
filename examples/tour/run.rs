//! Runs a scenario's cases, each on a fresh executor the tour builds, and
//! measures them into [`Report`]s.
//!
//! The executor is the example's, plus what only the tour needs:
//! diagnostics (blame in every `Elapsed`, slow-poll reports), a trace (the
//! timeline, and what became of the timeout's timer), and the example's
//! prints, heard through [`demo::listen`] with when they were said. A
//! [`Sink`] shows all of it as it happens.

use super::case::{Case, Scenario, WaitForCase};
use super::files::{self, Format};
use super::report::{Outcome, Report, Shown, Timer, WaitForReport};
use super::ticks::{Tick, TickCase, TickReport};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};
use waitfor::demo::{self, Clock};
use waitfor::timeline::render_ascii;
use waitfor::trace::{EventKind, Trace};
use waitfor::{now, Executor, SlowPoll};

/// Shows a run as it happens. `slow_poll` may be called from the
/// executor's watchdog thread.
pub trait Sink: Send + Sync {
    fn scenario_started(&self, _scenario: &Scenario) {}
    fn case_started(&self, _case: &Case) {}
    /// The case said `line`, `at` after it started.
    fn said(&self, _at: Duration, _line: &str) {}
    /// The executor reported a slow poll, or its watchdog a stuck one.
    fn slow_poll(&self, _report: &str) {}
    fn case_finished(&self, _report: &Report) {}
}

/// Shows nothing: for the tests, which read the reports.
pub struct Silent;

impl Sink for Silent {}

/// Events the trace keeps per case (the busiest case records about 1,300).
const TRACE_CAPACITY: usize = 1 << 15;

/// Columns of the ASCII timeline.
const TIMELINE_WIDTH: usize = 72;

/// Runs cases on one clock.
pub struct Runner {
    clock: Clock,
    sink: Arc<dyn Sink>,
    /// The files to write for each case, and where.
    exports: Vec<(Format, PathBuf)>,
}

impl Runner {
    pub fn new(clock: Clock, sink: impl Sink + 'static) -> Self {
        let sink = Arc::new(sink);
        Runner {
            clock,
            sink,
            exports: Vec::new(),
        }
    }

    /// Writes each case's trace as `format` into `dir` (which must exist).
    pub fn with_file(mut self, format: Format, dir: PathBuf) -> Self {
        self.exports.push((format, dir));
        self
    }

    /// Runs every case of `scenario`. The error is a file that could not
    /// be written.
    pub fn run_scenario(&self, scenario: &Scenario) -> Result<Vec<Report>, String> {
        self.sink.scenario_started(scenario);
        scenario
            .cases
            .iter()
            .map(|case| self.run_case(scenario, case))
            .collect()
    }

    fn run_case(&self, scenario: &Scenario, case: &Case) -> Result<Report, String> {
        self.sink.case_started(case);
        let executor = self.executor(case);
        let start: Rc<RefCell<Option<Instant>>> = Rc::default();
        let lines: Rc<RefCell<Vec<(Duration, String)>>> = Rc::default();
        let listener = {
            let (start, lines, sink) =
                (Rc::clone(&start), Rc::clone(&lines), Arc::clone(&self.sink));
            move |line: &str| {
                let at = start.borrow().map_or(Duration::ZERO, |start| now() - start);
                sink.said(at, line);
                lines.borrow_mut().push((at, line.to_string()));
            }
        };
        let (ran, returned) = demo::listen(listener, || {
            executor.block_on(async {
                let began = now();
                *start.borrow_mut() = Some(began);
                let ran = match case {
                    Case::WaitFor(case) => Ran::WaitFor(*case, (case.run)(self.clock).await),
                    Case::Ticks(case) => Ran::Ticks(*case, (case.run)(self.clock).await),
                };
                (ran, now() - began)
            })
        });
        let began = start.borrow().expect("the case started");
        let trace = executor
            .trace()
            .expect("the tour's executors record a trace");
        let write = |&(format, ref dir): &(Format, PathBuf)| {
            let path = files::write(&trace, format, dir, scenario.name, case.name())?;
            Ok::<_, String>((format, path))
        };
        let files = self.exports.iter().map(write).collect::<Result<_, _>>()?;
        let ascii = render_ascii(&trace, TIMELINE_WIDTH);
        let shown = Shown {
            lines: lines.take(),
            timeline: (!ascii.trim().is_empty()).then_some(ascii),
            files,
        };
        let report = match ran {
            Ran::WaitFor(case, outcome) => {
                let (timer, traced_lateness) = timer(&trace, &outcome, began);
                Report::WaitFor(WaitForReport {
                    case,
                    outcome,
                    returned,
                    timer,
                    traced_lateness,
                    shown,
                })
            }
            Ran::Ticks(case, ticks) => Report::Ticks(TickReport {
                case,
                ticks,
                margin: TickReport::margin_on(self.clock),
                shown,
            }),
        };
        self.sink.case_finished(&report);
        Ok(report)
    }

    fn executor(&self, case: &Case) -> Executor {
        let sink = Arc::clone(&self.sink);
        self.clock
            .builder()
            .budget(case.budget())
            .diagnostics(true)
            .on_slow_poll(move |report: &SlowPoll| sink.slow_poll(&report.to_string()))
            .trace(TRACE_CAPACITY)
            .build()
    }
}

/// A case, and what its lesson returned.
enum Ran {
    WaitFor(WaitForCase, Outcome),
    Ticks(TickCase, Vec<Tick>),
}

/// What became of the timeout's timer, and the lateness the trace shows for
/// it if that differs from the one reported. A timeout says it all in its
/// `Elapsed`; otherwise the trace tells whether the timer was filed, and
/// whether it fired before the result won (a filed timer that did not
/// fire was cancelled when `wait_for` returned and dropped it).
fn timer(trace: &Trace, outcome: &Outcome, began: Instant) -> (Timer, Option<Duration>) {
    // The case's `wait_for` is the first one the trace saw; its timer is the
    // one filed just before the trace says "this wait_for's timer was filed",
    // at the deadline rounded up to its tick.
    let mut timeout = None;
    let mut last_filed = None;
    let mut timer_tick = None;
    let mut fired = None;
    for event in trace.events() {
        match event.kind {
            EventKind::WaitForStart { deadline } if timeout.is_none() => timeout = Some(deadline),
            EventKind::TimerInsert { deadline, .. } => last_filed = Some(deadline),
            EventKind::WaitForTimerFiled { deadline } if Some(deadline) == timeout => {
                timer_tick = last_filed;
            }
            EventKind::TimerFire { deadline } if Some(deadline) == timer_tick => {
                fired = Some(event.at.saturating_sub(deadline));
            }
            _ => {}
        }
    }
    let filed = timer_tick.is_some();
    let fate = match (outcome, fired) {
        (Outcome::TimedOut(elapsed), _) => Timer::Fired {
            at: elapsed.fired_at().saturating_duration_since(began),
            late: elapsed.lateness(),
        },
        _ if !filed => Timer::NeverFiled,
        (_, Some(late)) => Timer::FiredAndLost { late },
        (_, None) => Timer::Cancelled,
    };
    let reported = match fate {
        Timer::Fired { late, .. } | Timer::FiredAndLost { late } => Some(late),
        _ => None,
    };
    (fate, fired.filter(|traced| Some(*traced) != reported))
}
