//! The write-up's third program, on waitfor: a task that fails after 0.5 s,
//! under a 1 s timeout.
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
//! comes through `wait_for` untouched (`Ok(Err(ValueError))` in Rust), and
//! the timer, not yet due, is simply dropped: an error first is not a
//! timeout that failed. Stdout is exactly Python's; one line of
//! measurements goes to stderr. The Rust is
//! `scenarios::problematic_async_task` in `examples/common/scenarios/writeup.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::program_main("problematic_async_task");
}
