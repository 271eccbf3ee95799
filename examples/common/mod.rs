//! Shared by the examples, the tour and `tests/examples.rs`: the scenarios
//! and the harness that runs and measures them.
//!
//! Every file in `examples/` is its own crate, so this module is included
//! with `#[path = "common/mod.rs"] mod common;` (from `tests/`:
//! `#[path = "../examples/common/mod.rs"]`), always under the name `common`
//! at the crate root. No includer uses all of it, hence the `dead_code`
//! allowance.
//!
//! * [`Env`] runs one *case* (one `wait_for` on a fresh executor) and
//!   measures it into a [`Report`] ([`report`]); a [`Sink`] shows it as it
//!   happens.
//! * [`scenarios`] holds every scenario, each a plain function of an `Env`,
//!   and the registry [`scenarios::ALL`] that the tour walks.
//! * [`pretty`] is the tour's rendering, [`cli`] the other examples' `main`; [`diagnostics`] is the one place
//!   that uses the executor's diagnostics API (blame, task names, budget,
//!   slow-poll reports, the trace's timelines).

#![allow(dead_code)]

pub mod cli;
pub mod diagnostics;
pub mod pretty;
pub mod report;
pub mod scenarios;

use std::cell::{Cell, RefCell};
use std::future::{Future, IntoFuture};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};
use waitfor::{now, Elapsed};

pub use diagnostics::Budget;
pub use report::{Case, Outcome, Report, Timing};
pub use scenarios::Scenario;

/// Which clock a case runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// The system clock: blocking calls really block, CPU loops really spin.
    Real,
    /// The executor's virtual clock: a blocking call is `waitfor::advance`,
    /// so a case runs instantly and its instants are exact.
    Virtual,
}

/// Shows a run as it happens. Every method but `said` is optional.
/// `slow_poll` may be called from the executor's watchdog thread.
pub trait Sink: Send + Sync {
    fn scenario_started(&self, _scenario: &Scenario) {}
    fn case_started(&self, _case: &Case) {}
    /// A case printed `line`, `at` after it started.
    fn said(&self, at: Duration, line: &str);
    /// The executor reported a slow poll (or, from its watchdog, a poll
    /// that is still stuck).
    fn slow_poll(&self, _report: &str) {}
    fn case_finished(&self, _report: &Report) {}
}

/// Prints what the case says, bare, to stdout, and nothing else there: the
/// three write-up programs, whose stdout must match Python's line for line.
/// Slow-poll reports go to stderr.
pub struct Plain;

impl Sink for Plain {
    fn said(&self, _at: Duration, line: &str) {
        println!("{line}");
    }

    fn slow_poll(&self, report: &str) {
        eprintln!("{report}");
    }
}

/// Shows nothing (tests read the reports).
pub struct Silent;

impl Sink for Silent {
    fn said(&self, _at: Duration, _line: &str) {}
}

/// Runs cases on fresh executors, on one clock, and measures them.
pub struct Env {
    clock: Clock,
    sink: Arc<dyn Sink>,
    state: RefCell<CaseState>,
    scenario: Cell<&'static str>,
    svg_dir: Option<PathBuf>,
}

#[derive(Default)]
struct CaseState {
    start: Option<Instant>,
    lines: Vec<(Duration, String)>,
    wait: Option<WaitRecord>,
}

struct WaitRecord {
    timeout: Duration,
    took: Duration,
    timer_lateness: Option<Duration>,
    blame: Option<String>,
}

impl Env {
    pub fn new(clock: Clock, sink: impl Sink + 'static) -> Self {
        Env {
            clock,
            sink: Arc::new(sink),
            state: RefCell::default(),
            scenario: Cell::new(""),
            svg_dir: None,
        }
    }

    /// Writes each case's SVG timeline into `dir` (when the trace renders
    /// one), as `SCENARIO.CASE.svg`.
    pub fn with_svg(mut self, dir: PathBuf) -> Self {
        self.svg_dir = Some(dir);
        self
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    /// Runs `scenario`'s cases, showing them on the sink.
    pub fn run_scenario(&self, scenario: &Scenario) -> Vec<Report> {
        self.scenario.set(scenario.name);
        self.sink.scenario_started(scenario);
        (scenario.run)(self)
    }

    /// Runs `body` on a fresh executor. `body` must call [`Env::wait_for`]
    /// once: that is the `wait_for` the report is about.
    pub fn run_case(&self, case: Case, body: impl Future<Output = Outcome>) -> Report {
        *self.state.borrow_mut() = CaseState::default();
        self.sink.case_started(&case);
        let executor = diagnostics::executor(self.clock, case.budget, Arc::clone(&self.sink));
        let outcome = executor.block_on(async {
            self.state.borrow_mut().start = Some(now());
            body.await
        });
        let timeline = diagnostics::timeline(&executor);
        let lost_timer = match outcome {
            Outcome::TimedOut => None,
            _ => diagnostics::lost_timer(&executor),
        };
        let svg = self.svg_dir.as_ref().and_then(|dir| {
            let svg = diagnostics::svg(&executor)?;
            let slug: String = case
                .name
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '_' })
                .collect();
            let path = dir.join(format!("{}.{slug}.svg", self.scenario.get()));
            match std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&path, svg)) {
                Ok(()) => Some(path),
                Err(error) => {
                    eprintln!("cannot write {}: {error}", path.display());
                    None
                }
            }
        });
        drop(executor);
        let state = self.state.take();
        let wait = state
            .wait
            .unwrap_or_else(|| panic!("case {:?} never called Env::wait_for", case.name));
        let report = Report {
            case,
            clock: self.clock,
            outcome,
            timeout: wait.timeout,
            actual_time: wait.took,
            timer_lateness: wait.timer_lateness,
            lost_timer,
            lines: state.lines,
            blame: wait.blame,
            timeline,
            svg,
        };
        self.sink.case_finished(&report);
        report
    }

    /// `waitfor::wait_for`, measured for the report.
    pub async fn wait_for<F: IntoFuture>(
        &self,
        future: F,
        timeout: Duration,
    ) -> Result<F::Output, Elapsed> {
        let began = now();
        let result = waitfor::wait_for(future, timeout).await;
        let took = now() - began;
        let (timer_lateness, blame) = match &result {
            Ok(_) => (None, None),
            Err(elapsed) => (Some(elapsed.lateness()), diagnostics::blame(elapsed)),
        };
        self.state.borrow_mut().wait = Some(WaitRecord {
            timeout,
            took,
            timer_lateness,
            blame,
        });
        result
    }

    /// Python's `print`: the line goes to the sink and into the report.
    pub fn say(&self, line: impl Into<String>) {
        let line = line.into();
        let at = self.elapsed();
        self.sink.said(at, &line);
        self.state.borrow_mut().lines.push((at, line));
    }

    /// Time since the case started, on the case's clock.
    pub fn elapsed(&self) -> Duration {
        let start = self.state.borrow().start;
        start.map_or(Duration::ZERO, |start| now() - start)
    }

    /// `time.sleep(duration)`: a blocking call that holds the loop, without
    /// using the CPU.
    pub fn block(&self, duration: Duration) {
        block(self.clock, duration);
    }

    /// `duration` of CPU-bound work, holding the loop.
    pub fn burn(&self, duration: Duration) {
        match self.clock {
            Clock::Real => {
                let end = Instant::now() + duration;
                let mut x = 1u64;
                while Instant::now() < end {
                    for _ in 0..64 {
                        x = std::hint::black_box(
                            x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1),
                        );
                    }
                }
            }
            Clock::Virtual => waitfor::advance(duration),
        }
    }
}

/// `time.sleep(duration)` on `clock`: see [`Env::block`].
pub fn block(clock: Clock, duration: Duration) {
    match clock {
        Clock::Real => std::thread::sleep(duration),
        Clock::Virtual => waitfor::advance(duration),
    }
}

/// `n` milliseconds.
pub const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `n` seconds.
pub const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// `1.234 s`.
pub fn fmt_secs(duration: Duration) -> String {
    format!("{:.3} s", duration.as_secs_f64())
}
