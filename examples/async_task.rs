//! The write-up's second program, on waitfor: an async sleep under a 1 s
//! timeout.
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
//! Watch for: "timeout occurred" one second in. `waitfor::sleep(3 s)` files
//! a timer and returns `Pending`, so the loop is free to fire the 1 s timer
//! on time; the task is then dropped (cancelled) and never prints "async
//! task finished". Stdout is exactly Python's; one line of measurements
//! goes to stderr. The Rust is `scenarios::async_task` in
//! `examples/common/scenarios/writeup.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::program_main("async_task");
}
