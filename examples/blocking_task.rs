//! The write-up's first program, on waitfor: a blocking call inside the
//! coroutine, under a 1 s timeout.
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
//! Watch for: nothing happens at 1 s. `std::thread::sleep(5 s)` holds the
//! loop, and the loop fires timers only between polls, so the 1 s timeout
//! cannot fire; the task returns at 5 s and `wait_for` gives `Ok`, as in
//! Python. Stdout is exactly Python's (`diff <(python3 blocking_task.py)
//! <(cargo run -q --example blocking_task)` is empty); one line of
//! measurements goes to stderr. The Rust is `scenarios::blocking_task` in
//! `examples/common/scenarios/writeup.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::program_main("blocking_task");
}
