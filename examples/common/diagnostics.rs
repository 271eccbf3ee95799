//! The one place that touches the executor's diagnostics API: the builder
//! options (budget, diagnostics, slow-poll hook, trace), named tasks, blame
//! on `Elapsed`, and the trace's ASCII and SVG renderings. Everything else
//! in the examples uses only the plain API (`spawn`, `sleep`, `wait_for`,
//! `channel`, ...), so a change to the diagnostics touches this file alone.

use super::{fmt_secs, Clock, Sink};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use waitfor::trace::EventKind;
use waitfor::{task, Elapsed, Executor, JoinHandle, SlowPoll};

/// The cooperative budget a case runs with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Budget {
    /// The executor's default (on, 128 operations per poll).
    #[default]
    Default,
    /// On, at 128 operations per poll, as in tokio.
    On,
    /// Off: an always-ready source never yields.
    Off,
}

/// Operations per poll under the budget, as in tokio.
pub const BUDGET: u32 = 128;

/// Events the trace keeps per case (the busiest case records about 1,300).
const TRACE_CAPACITY: usize = 1 << 15;

/// Columns of the ASCII timeline.
const TIMELINE_WIDTH: usize = 72;

/// The executor a case runs on: diagnostics on (blame, slow-poll reports,
/// the watchdog), reports sent to `sink`, and a trace recorded.
pub fn executor(clock: Clock, budget: Budget, sink: Arc<dyn Sink>) -> Executor {
    let mut builder = Executor::builder()
        .diagnostics(true)
        .on_slow_poll(move |report: &SlowPoll| sink.slow_poll(&report.to_string()))
        .trace(TRACE_CAPACITY);
    if clock == Clock::Virtual {
        builder = builder.virtual_clock();
    }
    match budget {
        Budget::Default => builder,
        Budget::On => builder.budget(Some(BUDGET)),
        Budget::Off => builder.budget(None),
    }
    .build()
}

/// Spawns a task under a name, which blame, reports and the trace use.
pub fn spawn_named<F>(name: &'static str, future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    task::Builder::new().name(name).spawn(future)
}

/// Which task held the loop when the timer behind `elapsed` came due, in
/// one line; `None` if the timer came due while the loop was free.
pub fn blame(elapsed: &Elapsed) -> Option<String> {
    let task = elapsed.blamed_task()?;
    let held = elapsed.blocked_for()?;
    Some(format!(
        "{task} held the loop for {} in one poll",
        fmt_secs(held)
    ))
}

/// For a case whose future won after its deadline: what the trace says
/// became of the timer. Either it was never filed (the future finished in
/// the very poll that would have filed it), or it fired late and lost,
/// because `wait_for` polls the future first.
pub fn lost_timer(executor: &Executor) -> Option<String> {
    let trace = executor.trace()?;
    let mut filed = false;
    let mut latest_fire: Option<Duration> = None;
    for event in trace.events() {
        match event.kind {
            EventKind::TimerInsert { .. } => filed = true,
            EventKind::TimerFire { deadline } => {
                latest_fire = latest_fire.max(Some(event.at.saturating_sub(deadline)));
            }
            _ => {}
        }
    }
    match (filed, latest_fire) {
        (false, _) => Some(
            "it was never filed: the future finished in the poll that would have filed it".into(),
        ),
        (true, Some(late)) => Some(format!(
            "it fired {} late, and lost: wait_for polls the future first",
            fmt_secs(late)
        )),
        (true, None) => None,
    }
}

/// The case's ASCII timeline (`None` if the trace rendered nothing).
pub fn timeline(executor: &Executor) -> Option<String> {
    let ascii = executor.trace()?.render_ascii(TIMELINE_WIDTH);
    (!ascii.trim().is_empty()).then_some(ascii)
}

/// The case's timeline as an SVG document (`None` if the trace rendered
/// nothing).
pub fn svg(executor: &Executor) -> Option<String> {
    let svg = executor.trace()?.render_svg();
    (!svg.trim().is_empty()).then_some(svg)
}
