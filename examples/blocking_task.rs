//! The write-up's first program: a blocking call inside the coroutine,
//! under a 1 s timeout.
//!
//! ```python
//! async def blocking_task():
//!     print("blocking task started")
//!     time.sleep(5)  #simulates blocking operation
//!     print("blocking task finished")
//!     return "done"
//!
//! async def main():
//!     try:
//!         result = await asyncio.wait_for(blocking_task(), timeout=1)
//!         print(f"result: {result}")
//!     except asyncio.TimeoutError:
//!         print("timeout occurred")
//! ```
//!
//! Watch for: nothing happens at 1 s. `clock.block(5 s)` is `time.sleep(5)`:
//! it holds the loop, and the loop fires timers only between polls, so the
//! 1 s timeout cannot fire. In fact it is never even filed: `wait_for`
//! polls the coroutine first, and that very poll returns "done" at 5 s.
//! Stdout is exactly Python's, at the same moments; `--virtual` prints the
//! same lines at once.
//!
//! The functions are `pub` because the tour runs them too.

use std::time::Duration;
use waitfor::demo::{say, Clock};
use waitfor::{wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "the write-up's first program: time.sleep(5) under a 1 s timeout";

/// `async def blocking_task()`.
pub async fn blocking_task(clock: Clock) -> &'static str {
    say("blocking task started");
    clock.block(Duration::from_secs(5)); // time.sleep(5): simulates a blocking operation
    say("blocking task finished");
    "done"
}

/// `async def main()`; it also returns what `wait_for` returned.
pub async fn python_main(clock: Clock) -> Result<&'static str, Elapsed> {
    let result = wait_for(blocking_task(clock), Duration::from_secs(1)).await;
    match &result {
        Ok(result) => say(format!("result: {result}")),
        Err(_) => say("timeout occurred"),
    }
    result
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    let executor = clock.builder().build();
    let _ = executor.block_on(python_main(clock)); // asyncio.run(main())
}
