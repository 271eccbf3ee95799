//! The write-up's third program: a task that fails after 0.5 s, under a 1 s
//! timeout.
//!
//! ```python
//! async def problematic_async_task():
//!     print("task started")
//!     await asyncio.sleep(0.5)
//!     raise ValueError("something went bad!")
//!
//! async def main():
//!     try:
//!         result = await asyncio.wait_for(problematic_async_task(), timeout=1)
//!         print(f"result: {result}")
//!     except asyncio.TimeoutError:
//!         print("timeout error")
//!     except ValueError as e:
//!         print(f"value error: {e}")
//! ```
//!
//! Watch for: the value error at 0.5 s, not a timeout. The task's own error
//! comes through `wait_for` untouched (`Ok(Err(ValueError))` in Rust: the
//! outer `Result` is the timeout's, the inner one the task's), and the
//! timer, not yet due, is simply cancelled. Stdout is exactly Python's, at
//! the same moments; `--virtual` prints the same lines at once.
//!
//! The functions are `pub` because the tour runs them too.

use std::fmt;
use std::time::Duration;
use waitfor::demo::{say, Clock};
use waitfor::{sleep, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "the write-up's third program: an error after 0.5 s under a 1 s timeout";

/// Python's `ValueError`.
#[derive(Debug)]
pub struct ValueError(pub &'static str);

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// `async def problematic_async_task()`.
pub async fn problematic_async_task() -> Result<&'static str, ValueError> {
    say("task started");
    sleep(Duration::from_millis(500)).await;
    Err(ValueError("something went bad!"))
}

/// `async def main()`; it also returns what `wait_for` returned.
pub async fn python_main() -> Result<Result<&'static str, ValueError>, Elapsed> {
    let result = wait_for(problematic_async_task(), Duration::from_secs(1)).await;
    match &result {
        Ok(Ok(result)) => say(format!("result: {result}")),
        Err(_) => say("timeout error"),
        Ok(Err(e)) => say(format!("value error: {e}")),
    }
    result
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    let executor = clock.builder().build();
    let _ = executor.block_on(python_main()); // asyncio.run(main())
}
