//! The tour's [`Sink`]: each case on stdout as it happens, and a progress
//! line on stderr while it runs.
//!
//! The progress line is drawn only when stderr is a terminal, by a thread of
//! its own: a case that blocks the loop blocks everything on the loop's
//! thread, printing included, so only another thread can show that time is
//! passing. Output and the progress line share a lock, so a line never
//! lands in the middle of the progress line.

use super::case::{Case, Scenario};
use super::report::{fmt_duration, Report};
use super::run::Sink;
use super::show::{self, Style};
use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// See the module docs.
pub struct Live {
    shared: Arc<Shared>,
    style: Style,
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

impl Live {
    pub fn new(style: Style) -> Self {
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
        Live {
            shared,
            style,
            ticker,
        }
    }

    fn term(&self) -> std::sync::MutexGuard<'_, Term> {
        self.shared.term.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Prints `text` (whole lines) to stdout, first wiping the progress line.
    fn emit(&self, text: &str) {
        let mut term = self.term();
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

impl Drop for Live {
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
                    let scenario = term.scenario;
                    eprint!(
                        "\r  ... {scenario}/{case}: {:.1} s\x1b[K",
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

impl Sink for Live {
    fn scenario_started(&self, scenario: &Scenario) {
        self.term().scenario = scenario.name;
        let heading = format!("== {}: {}", scenario.name, scenario.title);
        self.emit(&format!("\n{}\n", self.style.bold(&heading)));
    }

    fn case_started(&self, case: &Case) {
        self.emit(&format!("\n  -- {}: {}\n", case.name(), case.about()));
        self.term().running = Some((case.name(), Instant::now()));
    }

    fn said(&self, at: Duration, line: &str) {
        self.emit(&format!("   {:>9} | {line}\n", fmt_duration(at)));
    }

    fn slow_poll(&self, report: &str) {
        let report = report.strip_prefix("waitfor: ").unwrap_or(report);
        self.emit(&format!("   {:>9} ! {report}\n", "executor"));
    }

    fn case_finished(&self, report: &Report) {
        self.term().running = None;
        let legend = report.shown().timeline.is_some()
            && !self.shared.legend_shown.swap(true, Ordering::Relaxed);
        self.emit(&show::details(report, legend, self.style));
    }
}
