//! A CPU-bound loop under `wait_for`: 600 steps of 1 ms of work, with a
//! 200 ms timeout, first in one go, then with `yield_now()` every 10 steps
//! (Python: `await asyncio.sleep(0)`).
//!
//! Watch for: without the yield, `wait_for` returns `Ok` after 600 ms, the
//! timeout never having fired, because the loop never got control back to
//! fire it. With the yield the timer fires within a step or two of 200 ms
//! and the loop is dropped mid-way: each `yield_now()` is one trip round
//! the loop, its timer step included. Run with `--virtual` for the virtual
//! clock (instant, exact times). The scenario is `scenarios::cpu_bound` in
//! `examples/common/scenarios/causes.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("cpu_bound");
}
