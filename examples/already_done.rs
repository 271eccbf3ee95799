//! A future that is already done, under a zero timeout: `Ok`, not a timeout.
//!
//! Watch for: `std::future::ready(..)` and the `JoinHandle` of a finished
//! task both win against `Duration::ZERO`, because `wait_for` polls the
//! future before it looks at the timer (as tokio's `timeout` does; asyncio
//! returns a finished task's result too, though it would cancel a coroutine
//! that has not started yet). A future that needs time loses at once: the
//! timeout fires at the loop's next timer step. Run with `--virtual` for the
//! virtual clock. The scenario is `scenarios::already_done` in
//! `examples/common/scenarios/writeup.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("already_done");
}
