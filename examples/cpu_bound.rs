//! A CPU-bound loop under `wait_for`: 600 steps of 1 ms of work, with a
//! 200 ms timeout, first in one go, then with `yield_now()` every 5 steps
//! (Python: `await asyncio.sleep(0)`).
//!
//! Watch for: without the yield, `wait_for` returns `Ok` after 600 ms: the
//! loop never got control back, and the timer was never even filed. With
//! the yield, the timer fires at the first yield after 200 ms, and
//! `wait_for` returns at the next one, 5 ms later: it polls the future
//! before it looks at the fired timer. Each `yield_now()` is one trip round
//! the loop, its timer step included. `--virtual` runs it at once, with
//! exact times.
//!
//! [`crunch`] is `pub` because the tour runs it too.

use std::time::Duration;
use waitfor::demo::Clock;
use waitfor::{now, wait_for, yield_now, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a CPU-bound loop, without and with yield_now()";

/// Steps of work, each [`STEP`] long, under a 200 ms timeout.
pub const STEPS: u32 = 600;
pub const STEP: Duration = Duration::from_millis(1);

/// The fix: a `yield_now()` every this many steps.
pub const YIELD_EVERY: u32 = 5;

/// [`STEPS`] steps of CPU work under a 200 ms timeout, with a `yield_now()`
/// every `yield_every` steps if given.
pub async fn crunch(clock: Clock, yield_every: Option<u32>) -> Result<u32, Elapsed> {
    let work = async {
        for step in 1..=STEPS {
            clock.burn(STEP);
            if yield_every.is_some_and(|every| step % every == 0) {
                yield_now().await;
            }
        }
        STEPS
    };
    wait_for(work, Duration::from_millis(200)).await
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    for (case, yield_every) in [
        ("no yield", None),
        ("yield every 5 steps", Some(YIELD_EVERY)),
    ] {
        let executor = clock.builder().build();
        let (result, took) = executor.block_on(async {
            let start = now();
            let result = crunch(clock, yield_every).await;
            (result, now() - start)
        });
        match result {
            Ok(steps) => println!("{case}: Ok, all {steps} steps, after {took:?}"),
            Err(elapsed) => println!("{case}: Err after {took:?}: {elapsed}"),
        }
    }
}
