//! The write-up's data feed under `wait_for`: a channel that never runs dry
//! (3,000 items already queued, 200 µs of work each), drained under a
//! 200 ms timeout with the cooperative budget off, then on.
//!
//! Watch for: with the budget off, every `rx.recv().await` completes at
//! once, the task never returns `Pending`, and `wait_for` returns `Ok` after
//! 600 ms, the timeout never fired, although the loop awaits on every line.
//! With the budget on (tokio's default since 0.2.14, and waitfor's), the
//! 129th receive in one poll returns `Pending`, and the timeout fires within
//! a few milliseconds of its deadline. Run with `--virtual` for the virtual
//! clock. The scenario is `scenarios::always_ready` in
//! `examples/common/scenarios/causes.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("always_ready");
}
