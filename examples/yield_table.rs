//! CPython 3.12's table, shortened to the real clock: a 500 ms block under a
//! 100 ms timeout, then 0, 1 or 2 yields before returning.
//!
//! Watch for: `Ok`, `Ok`, then `Err` 400 ms late. With no yield the timer
//! never gets a turn. With one, the loop fires the timer during the yield,
//! but `wait_for` polls the future first on the next poll, and the future
//! finishes: the fired timer loses. Only a second yield lets `wait_for` see
//! it. Run with `--virtual` for the virtual clock, where the lateness is
//! exactly 400 ms. The scenario is `scenarios::yield_table` in
//! `examples/common/scenarios/writeup.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("yield_table");
}
