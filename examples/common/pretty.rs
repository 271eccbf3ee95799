//! How the tour and the examples show a run: each case as it happens, its
//! measurements when it ends, a summary table at the end, and a progress
//! line while a case runs.
//!
//! The progress line is drawn on stderr, only when stderr is a terminal, by
//! a thread of its own: a case that blocks the loop blocks everything on the
//! loop's thread, printing included, so only another thread can show that
//! time is passing. Output lines and the progress line share a lock, so a
//! line never lands in the middle of the progress line.

use super::{fmt_secs, Case, Clock, Outcome, Report, Scenario, Sink};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The tour's sink: see the module docs.
pub struct Pretty {
    shared: Arc<Shared>,
    ticker: Option<JoinHandle<()>>,
}

struct Shared {
    term: Mutex<Term>,
    stop: AtomicBool,
    /// The timeline's legend has been shown.
    legend_shown: AtomicBool,
}

#[derive(Default)]
struct Term {
    scenario: &'static str,
    /// The case running, and since when (wall clock).
    running: Option<(&'static str, Instant)>,
    /// The progress line is on screen.
    dirty: bool,
}

/// How often the progress line is redrawn, and how long a case runs before
/// it appears.
const TICK: Duration = Duration::from_millis(100);
const QUIET: Duration = Duration::from_millis(300);

impl Pretty {
    pub fn new() -> Self {
        let shared = Arc::new(Shared {
            term: Mutex::default(),
            stop: AtomicBool::new(false),
            legend_shown: AtomicBool::new(false),
        });
        let ticker = std::io::stderr().is_terminal().then(|| {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("progress".into())
                .spawn(move || shared.tick())
                .expect("failed to start the progress thread")
        });
        Pretty { shared, ticker }
    }

    /// Prints `text` (whole lines) to stdout, first wiping the progress line.
    fn emit(&self, text: &str) {
        let mut term = self.shared.term.lock().unwrap_or_else(|e| e.into_inner());
        term.wipe();
        let mut stdout = std::io::stdout().lock();
        if let Err(error) = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
        {
            // `| head` has seen enough: stop quietly, as a shell tool does.
            if error.kind() == std::io::ErrorKind::BrokenPipe {
                std::process::exit(0);
            }
            panic!("cannot write to stdout: {error}");
        }
    }
}

impl Default for Pretty {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Pretty {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Release);
        if let Some(ticker) = self.ticker.take() {
            let _ = ticker.join();
        }
    }
}

impl Shared {
    fn tick(&self) {
        while !self.stop.load(Ordering::Acquire) {
            thread::sleep(TICK);
            let mut term = self.term.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((case, since)) = term.running {
                let waited = since.elapsed();
                if waited >= QUIET {
                    eprint!(
                        "\r  ... {}/{case}: {:.1} s\x1b[K",
                        term.scenario,
                        waited.as_secs_f64()
                    );
                    term.dirty = true;
                }
            }
        }
        self.term.lock().unwrap_or_else(|e| e.into_inner()).wipe();
    }
}

impl Term {
    fn wipe(&mut self) {
        if self.dirty {
            eprint!("\r\x1b[K");
            self.dirty = false;
        }
    }
}

impl Sink for Pretty {
    fn scenario_started(&self, scenario: &Scenario) {
        self.shared
            .term
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .scenario = scenario.name;
        self.emit(&format!("\n== {}: {}\n", scenario.name, scenario.title));
    }

    fn case_started(&self, case: &Case) {
        self.emit(&format!("\n  -- {}: {}\n", case.name, case.about));
        self.shared
            .term
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .running = Some((case.name, Instant::now()));
    }

    fn said(&self, at: Duration, line: &str) {
        self.emit(&format!("   {:>9} | {line}\n", fmt_secs(at)));
    }

    fn slow_poll(&self, report: &str) {
        let report = report.strip_prefix("waitfor: ").unwrap_or(report);
        self.emit(&format!("   {:>9} ! {report}\n", "executor"));
    }

    fn case_finished(&self, report: &Report) {
        self.shared
            .term
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .running = None;
        let legend =
            report.timeline.is_some() && !self.shared.legend_shown.swap(true, Ordering::Relaxed);
        self.emit(&details(report, legend));
    }
}

/// The measurements of a finished case, as the tour prints them.
///
/// The timeline's legend (the lines from `# poll` to the next blank line)
/// is left out unless `legend` is set: the tour shows it once.
pub fn details(report: &Report, legend: bool) -> String {
    let mut out = String::new();
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "{}", format!("     {name:<9} {value}").trim_end());
    };
    field("outcome", &report.outcome.to_string());
    let expected = if report.expects_timeout() {
        format!(
            "the timeout, at {} (the future needs {})",
            fmt_secs(report.timeout),
            work(report.case.work)
        )
    } else {
        format!(
            "the result, at {} (timeout {})",
            fmt_secs(report.expected_time()),
            fmt_secs(report.timeout)
        )
    };
    field("expected", &expected);
    field(
        "actual",
        &format!("wait_for returned at {}", fmt_secs(report.actual_time)),
    );
    field("timer", &timer(report));
    if let Some(lost) = report
        .lost_timer
        .as_ref()
        .filter(|_| report.expects_timeout())
    {
        field("", lost);
    }
    if let Some(blame) = &report.blame {
        field("blame", blame);
    }
    let verdict = report.timing();
    if verdict == report.case.expect {
        field("verdict", &format!("{verdict}, as expected"));
    } else {
        field(
            "verdict",
            &format!(
                "{verdict}: UNEXPECTED, the write-up predicts {}",
                report.case.expect
            ),
        );
    }
    if let Some(svg) = &report.svg {
        field("svg", &svg.display().to_string());
    }
    if let Some(timeline) = &report.timeline {
        field("timeline", "");
        let mut lines: Vec<&str> = timeline.lines().map(str::trim_end).collect();
        if let Some(start) = lines.iter().position(|line| line.starts_with("# poll")) {
            if !legend {
                let len = lines[start..]
                    .iter()
                    .take_while(|line| !line.is_empty())
                    .count();
                lines.drain(start..start + len);
            }
        }
        lines.dedup_by(|line, previous| line.is_empty() && previous.is_empty());
        while lines.last().is_some_and(|line| line.is_empty()) {
            lines.pop();
        }
        for line in lines {
            let _ = writeln!(out, "{}", format!("       {line}").trim_end());
        }
    }
    out
}

fn work(work: Duration) -> String {
    if work == Duration::MAX {
        "forever".into()
    } else {
        fmt_secs(work)
    }
}

/// What became of the timer, in words.
fn timer(report: &Report) -> String {
    match (&report.outcome, report.timer_lateness) {
        (Outcome::TimedOut, Some(late)) if late.is_zero() => "fired on time".into(),
        (Outcome::TimedOut, Some(late)) => format!("fired {} late", fmt_secs(late)),
        _ if report.expects_timeout() => format!(
            "never won: the result came {} after the deadline",
            fmt_secs(report.actual_time.saturating_sub(report.timeout))
        ),
        _ if report.timeout.is_zero() => {
            "not needed: wait_for polls the future before the timer".into()
        }
        _ => format!(
            "not needed: the result came {} before the deadline",
            fmt_secs(report.timeout.saturating_sub(report.actual_time))
        ),
    }
}

/// One line about a case, for stderr after a write-up program's output.
pub fn brief(report: &Report) -> String {
    let mut line = format!(
        "[waitfor] wait_for(.., {}) -> {} at {}; timer: {}",
        fmt_secs(report.timeout),
        report.outcome,
        fmt_secs(report.actual_time),
        timer(report)
    );
    if let Some(lost) = report
        .lost_timer
        .as_ref()
        .filter(|_| report.expects_timeout())
    {
        line = format!("{line}; {lost}");
    }
    line
}

/// The summary table: one row per case.
pub fn summary(runs: &[(&Scenario, Vec<Report>)]) -> String {
    let header = [
        "scenario", "case", "outcome", "expected", "actual", "timer", "verdict",
    ];
    let mut rows: Vec<[String; 7]> = Vec::new();
    for (scenario, reports) in runs {
        for (index, report) in reports.iter().enumerate() {
            let expected = if report.expects_timeout() {
                "timeout"
            } else {
                "result"
            };
            let timer = match (&report.outcome, report.timer_lateness) {
                (Outcome::TimedOut, Some(late)) => format!("+{}", fmt_secs(late)),
                _ if report.expects_timeout() => "never".into(),
                _ => "-".into(),
            };
            let verdict = report.timing();
            let mark = if verdict == report.case.expect {
                ""
            } else {
                " (UNEXPECTED)"
            };
            rows.push([
                if index == 0 {
                    scenario.name.to_string()
                } else {
                    String::new()
                },
                report.case.name.to_string(),
                report.outcome.to_string(),
                format!("{expected} {}", fmt_secs(report.expected_time())),
                fmt_secs(report.actual_time),
                timer,
                format!("{verdict}{mark}"),
            ]);
        }
    }
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: &[String]| {
        let mut text = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            let _ = write!(text, "{cell:<width$}  ");
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(&header.map(String::from));
    line(&widths.map(|width| "-".repeat(width)));
    for row in &rows {
        line(row);
    }
    out
}

/// The tour's and the examples' opening words: the clock, and how to read
/// a case.
pub fn preamble(clock: Clock) -> String {
    let clock = match clock {
        Clock::Real => "Real clock: the times below are measured, and vary a little.",
        Clock::Virtual => {
            "Virtual clock: blocking calls advance time instead; the times are exact."
        }
    };
    format!(
        "{clock}\n\
         Lines marked | are the case's prints, with when; lines marked ! are the\n\
         executor's slow-poll reports (its watchdog thread reports a poll while stuck).\n"
    )
}

/// A closing remark if the trace rendered no timeline at all.
pub fn missing_timelines(runs: &[(&Scenario, Vec<Report>)]) -> Option<&'static str> {
    let reports = || runs.iter().flat_map(|(_, reports)| reports);
    (reports().next().is_some() && reports().all(|report| report.timeline.is_none()))
        .then_some("ASCII timelines: the trace rendered none.")
}

/// `true` if every case met the write-up's prediction.
pub fn all_as_expected(runs: &[(&Scenario, Vec<Report>)]) -> bool {
    runs.iter()
        .flat_map(|(_, reports)| reports)
        .all(|report| report.timing() == report.case.expect)
}
