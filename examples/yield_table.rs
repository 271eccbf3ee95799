//! CPython 3.12's table for `wait_for`, on waitfor: a 500 ms block under a
//! 100 ms timeout, then 0, 1 or 2 yields before returning.
//!
//! Watch for: `Ok`, `Ok`, then `Err` 400 ms late. With no yield, the poll
//! that would file the timer returns the result: the timer is never filed.
//! With one, the loop fires the timer during the yield, 400 ms late, but
//! `wait_for` polls the future first on the next poll, and the future
//! finishes: the fired timer loses. Only a second yield lets `wait_for` see
//! it. `--virtual` runs it at once, with exact times.
//!
//! [`block_then_yield`] is `pub` because the tour runs it too.

use std::time::Duration;
use waitfor::demo::Clock;
use waitfor::{now, wait_for, yield_now, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "block 500 ms under a 100 ms timeout, then yield 0, 1 or 2 times";

/// The timeout, and how long the future blocks the loop first.
pub const TIMEOUT: Duration = Duration::from_millis(100);
pub const BLOCK: Duration = Duration::from_millis(500);

/// Blocks the loop for [`BLOCK`], yields `yields` times, then returns
/// "done"; under a [`TIMEOUT`].
pub async fn block_then_yield(clock: Clock, yields: usize) -> Result<&'static str, Elapsed> {
    let future = async move {
        clock.block(BLOCK); // time.sleep(0.5)
        for _ in 0..yields {
            yield_now().await; // await asyncio.sleep(0)
        }
        "done"
    };
    wait_for(future, TIMEOUT).await
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    for yields in 0..3 {
        let executor = clock.builder().build();
        let (result, took) = executor.block_on(async {
            let start = now();
            let result = block_then_yield(clock, yields).await;
            (result, now() - start)
        });
        match result {
            Ok(value) => println!("{yields} yields: Ok({value:?}) after {took:?}"),
            Err(elapsed) => println!("{yields} yields: Err after {took:?}: {elapsed}"),
        }
    }
}
