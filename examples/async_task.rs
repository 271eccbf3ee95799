//! The write-up's second program: an async sleep under a 1 s timeout.
//!
//! ```python
//! async def async_task():
//!     print("async task started")
//!     await asyncio.sleep(3)  #yielding and making the loop go on
//!     print("async task finished")
//!     return "done"
//!
//! async def main():
//!     try:
//!         result = await asyncio.wait_for(async_task(), timeout=1)
//!         print(f"result: {result}")
//!     except asyncio.TimeoutError:
//!         print("timeout occurred")
//! ```
//!
//! Watch for: "timeout occurred" one second in. `sleep(3 s)` files a timer
//! and returns `Pending`, so the loop is free to fire the 1 s timeout on
//! time; `wait_for` then drops (cancels) the task, which never prints
//! "async task finished". Stdout is exactly Python's, at the same moments;
//! `--virtual` prints the same lines at once.
//!
//! The functions are `pub` because the tour runs them too.

use std::time::Duration;
use waitfor::demo::{say, Clock};
use waitfor::{sleep, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "the write-up's second program: asyncio.sleep(3) under a 1 s timeout";

/// `async def async_task()`.
pub async fn async_task() -> &'static str {
    say("async task started");
    sleep(Duration::from_secs(3)).await; // yielding and making the loop go on
    say("async task finished");
    "done"
}

/// `async def main()`; it also returns what `wait_for` returned.
pub async fn python_main() -> Result<&'static str, Elapsed> {
    let result = wait_for(async_task(), Duration::from_secs(1)).await;
    match &result {
        Ok(result) => say(format!("result: {result}")),
        Err(_) => say("timeout occurred"),
    }
    result
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    let executor = clock.builder().build();
    let _ = executor.block_on(python_main()); // asyncio.run(main())
}
