//! Every scenario on tokio's `current_thread` runtime, on its paused clock.
//!
//! Each case builds a fresh runtime, runs one `tokio::time::timeout` and
//! reports what came back and when ([`Observation`]). The runtime is
//! started paused: its clock moves only when every task is idle (it then
//! jumps to the next timer) or when something moves it, so a 5 s case takes
//! no time and its instants are exact.
//!
//! # A blocking call on a paused clock
//!
//! A blocking call (`std::thread::sleep`, a blocking client, a CPU loop)
//! does two things the runtime can see: time passes, and no poll returns
//! meanwhile, so no timer is serviced and no other task runs. On a paused
//! clock a real `std::thread::sleep` would do only the second: the clock
//! would not move, and every timeout would look on time. [`block`] does
//! both: it moves the paused clock forward by the duration, from inside the
//! poll, and returns without giving the runtime control. The clock is moved
//! by polling `tokio::time::advance(duration)` once, by hand: that first
//! poll adds the duration to the clock, and what `advance` would do next is
//! yield to the runtime, which is exactly what a blocking call does not do,
//! so the future is dropped there. When the poll that blocked returns, the
//! runtime finds the clock `duration` later, as it finds the real clock
//! after a real block: the timers that came due meanwhile fire in its next
//! timer step, late by the same amount, and the same order of events
//! follows. (The yield `advance` started leaves a no-op waker in the
//! runtime's deferred list; all it changes is that the runtime's next idle
//! park is a non-blocking one, at the same instant: timers are serviced at
//! that park either way.) The real clock is used where a thread or a
//! server needs real time: `spawn_blocking` (tokio does not auto-advance a
//! paused clock while a blocking task runs) and `blocking_http`, whose
//! loopback server's delay is real.
//!
//! Every case runs in the future given to `block_on`, as the body of
//! `#[tokio::main]` does: tokio parks (and so services its timers) each
//! time that future is woken, whereas a spawned task that wakes itself is
//! run up to 61 times in a row before the timers are looked at.
//!
//! # No counterpart: `host_loop`
//!
//! tokio's runtime cannot be run in a host's turns: `Runtime::block_on`
//! keeps the thread until its future is done, and there is no public call
//! that runs one turn of ready tasks and timers and returns, nor one that
//! says when the next timer is due. A GUI that uses tokio runs the runtime
//! on a thread of its own and posts results to its main loop, which is the
//! `to_thread` case, not this one. So `host_loop`'s tokio cells are `—`.

mod causes;
mod interval;
mod sockets;
mod writeup;

use crate::observation::{Cell, Clock, Observation};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::Duration;
use tokio::runtime::{Builder, Runtime};
use tokio::time::{timeout, Instant};

/// A scenario's tokio counterpart: runs its cases and returns what each did.
pub struct Scenario {
    /// The scenario's name, as in the README and `examples/`.
    pub name: &'static str,
    /// Runs every case of it, each on a fresh runtime, and returns each
    /// case's cell; none for a scenario tokio has no counterpart of.
    pub run: fn() -> Vec<Cell>,
}

/// The cells of the cases a scenario's function ran.
fn cells<T>(cases: Vec<T>) -> Vec<Cell>
where
    for<'case> &'case T: Into<Cell>,
{
    cases.iter().map(Into::into).collect()
}

/// Every scenario, in the README's order.
pub const ALL: &[Scenario] = &[
    Scenario {
        name: "blocking_task",
        run: || cells(writeup::blocking_task()),
    },
    Scenario {
        name: "async_task",
        run: || cells(writeup::async_task()),
    },
    Scenario {
        name: "problematic_async_task",
        run: || cells(writeup::problematic_async_task()),
    },
    Scenario {
        name: "yield_table",
        run: || cells(writeup::yield_table()),
    },
    Scenario {
        name: "already_done",
        run: || cells(writeup::already_done()),
    },
    Scenario {
        name: "same_turn",
        run: || cells(writeup::same_turn()),
    },
    Scenario {
        name: "cpu_bound",
        run: || cells(causes::cpu_bound()),
    },
    Scenario {
        name: "never_pending",
        run: || cells(causes::never_pending()),
    },
    Scenario {
        name: "always_ready",
        run: || cells(causes::always_ready()),
    },
    Scenario {
        name: "blocking_db",
        run: || cells(causes::blocking_db()),
    },
    Scenario {
        name: "to_thread",
        run: || cells(causes::to_thread()),
    },
    Scenario {
        name: "interval_burst",
        run: || cells(interval::interval_burst()),
    },
    Scenario {
        name: "blocking_http",
        run: || cells(sockets::blocking_http()),
    },
    Scenario {
        name: "host_loop",
        run: Vec::new, // see the module's essay
    },
];

/// A blocking call of `duration` on a paused clock: the clock moves on and
/// the runtime gets no control meanwhile (see the module's essay).
///
/// # Panics
/// Outside a tokio runtime, or on one whose clock is not paused.
pub fn block(duration: Duration) {
    let mut advance = pin!(tokio::time::advance(duration));
    // The first poll moves the clock and then asks to yield: it is Pending
    // whatever happens, and the yield is the part a blocking call leaves out.
    let _pending = advance
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()));
}

/// Runs one case on a fresh `current_thread` runtime whose clock is paused.
pub fn on_paused_clock(case: impl Future<Output = Observation>) -> Observation {
    Observation {
        clock: Clock::Paused,
        ..runtime(true).block_on(case)
    }
}

/// Runs one case on a fresh `current_thread` runtime on the real clock.
pub fn on_real_clock(case: impl Future<Output = Observation>) -> Observation {
    Observation {
        clock: Clock::Real,
        ..runtime(false).block_on(case)
    }
}

fn runtime(paused: bool) -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .start_paused(paused)
        .build()
        .expect("a current_thread runtime builds")
}

/// `timeout(limit, future)`, observed: `Ok` or `Err(Elapsed)`, and when.
pub async fn observe<F: Future>(case: &str, limit: Duration, future: F) -> Observation {
    let began = Instant::now();
    let result = timeout(limit, future).await;
    let outcome = if result.is_ok() { "Ok" } else { "Err(Elapsed)" };
    observation(case, limit, began, outcome, result.is_err())
}

/// Like [`observe`], for a future that can fail: `Ok(Err(..))` when it did.
pub async fn observe_fallible<T, E, F>(case: &str, limit: Duration, future: F) -> Observation
where
    F: Future<Output = Result<T, E>>,
{
    let began = Instant::now();
    let result = timeout(limit, future).await;
    let outcome = match result {
        Ok(Ok(_)) => "Ok",
        Ok(Err(_)) => "Ok(Err(..))",
        Err(_) => "Err(Elapsed)",
    };
    observation(case, limit, began, outcome, result.is_err())
}

fn observation(
    case: &str,
    limit: Duration,
    began: Instant,
    outcome: &str,
    timed_out: bool,
) -> Observation {
    Observation {
        case: case.to_string(),
        outcome: outcome.to_string(),
        timed_out,
        timeout: limit,
        returned_after: began.elapsed(),
        // Set by `on_paused_clock` or `on_real_clock`, which know.
        clock: Clock::Real,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[test]
    fn a_block_moves_the_paused_clock_and_runs_nothing_else_meanwhile() {
        runtime(true).block_on(async {
            let began = Instant::now();
            let neighbour_ran = Arc::new(AtomicBool::new(false));
            let neighbour = tokio::spawn({
                let neighbour_ran = Arc::clone(&neighbour_ran);
                async move { neighbour_ran.store(true, Ordering::SeqCst) }
            });
            block(Duration::from_secs(5));
            assert_eq!(began.elapsed(), Duration::from_secs(5));
            assert!(!neighbour_ran.load(Ordering::SeqCst));
            neighbour.await.expect("the neighbour finishes");
            assert!(neighbour_ran.load(Ordering::SeqCst));
            assert_eq!(
                began.elapsed(),
                Duration::from_secs(5),
                "no time passed after"
            );
        });
    }

    #[test]
    #[should_panic(expected = "time is not frozen")]
    fn a_block_on_the_real_clock_is_refused() {
        runtime(false).block_on(async { block(Duration::from_millis(1)) });
    }
}
