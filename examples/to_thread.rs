//! The fix for a blocking call: move it to a thread with `spawn_blocking`,
//! waitfor's `asyncio.to_thread`. A 600 ms `std::thread::sleep` under a
//! 200 ms timeout, inline, then on a pool thread.
//!
//! Watch for: inline, `wait_for` returns `Ok` at 600 ms, the timeout never
//! fired. On a thread, the timeout fires at 200 ms, while the loop stays
//! free; but a thread cannot be interrupted, so it runs on and finishes at
//! 600 ms, and its result is thrown away, exactly as with `to_thread`. A
//! timeout around a thread bounds your wait, not the work. Real clock only.
//! The scenario is `scenarios::to_thread` in `examples/common/scenarios/causes.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("to_thread");
}
