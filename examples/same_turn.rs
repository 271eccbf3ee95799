//! The race CPython 3.12 decides the other way: the inner future and the
//! timeout come due in the same turn of the loop.
//!
//! `wait_for(sleep(50 ms), 100 ms)`, while a neighbour task blocks the loop
//! for 200 ms. Both deadlines pass during the block; when it ends, the
//! loop's timer step fires both timers at once and wakes the waiting task
//! once. Its poll runs the inner future first, finds the sleep done, and
//! `wait_for` returns `Ok("done")`, at 200 ms; with `sleep(150 ms)`, due
//! after the timeout but fired in the same step, too. tokio's `timeout`
//! answers the same. CPython 3.12 raises `TimeoutError`: its loop runs the
//! sleep's callback (which queues the task's wake-up) and then the
//! timeout's, which cancels the task before that wake-up runs, and the
//! finished sleep's result is dropped (`peers/python/same_turn.py`; the
//! README's peers table has every answer, run).
//!
//! Watch for: `Ok` at 200 ms, both times. `--virtual` runs it at once,
//! with exact times. [`race`] is `pub` because the tour runs it too.

use std::time::Duration;
use waitfor::demo::Clock;
use waitfor::{now, sleep, task, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "the inner future and the timeout come due in the same turn";

/// The timeout, and how long the neighbour blocks the loop.
pub const TIMEOUT: Duration = Duration::from_millis(100);
pub const BLOCK: Duration = Duration::from_millis(200);

/// `wait_for(sleep(inner), TIMEOUT)` while a neighbour task holds the loop
/// for [`BLOCK`]: both timers are due when the block ends.
pub async fn race(clock: Clock, inner: Duration) -> Result<&'static str, Elapsed> {
    let _neighbour = task::Builder::new()
        .name("neighbour")
        .spawn(async move { clock.block(BLOCK) }); // time.sleep(0.2)
    let inner = async move {
        sleep(inner).await;
        "done"
    };
    wait_for(inner, TIMEOUT).await
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    println!("a neighbour task holds the loop for 200 ms, meanwhile:");
    for inner in [Duration::from_millis(50), Duration::from_millis(150)] {
        let executor = clock.builder().build();
        let (result, took) = executor.block_on(async {
            let start = now();
            let result = race(clock, inner).await;
            (result, now() - start)
        });
        match result {
            Ok(value) => {
                println!("  wait_for(sleep({inner:?}), 100ms) -> Ok({value:?}) after {took:?}")
            }
            Err(elapsed) => {
                println!("  wait_for(sleep({inner:?}), 100ms) -> Err after {took:?}: {elapsed}")
            }
        }
    }
    println!("both timers fired in one step, and wait_for polled the inner future first;");
    println!("CPython 3.12 raises TimeoutError for both, dropping the first sleep's result");
}
