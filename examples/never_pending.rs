//! A hand-written `Future` that never returns `Pending` (the write-up's
//! "custom awaitable that doesn't yield"), next to one that does: both wait
//! for a resource that is ready after 600 ms, under a 200 ms timeout.
//!
//! Watch for: the first one checks the resource in a loop *inside* `poll`,
//! so `wait_for` returns `Ok` at 600 ms, its timer never fired; being an
//! `async` type is not the same as yielding. The second checks once per
//! poll and returns `Pending` when not ready, and times out on time. Run
//! with `--virtual` for the virtual clock. The scenario is
//! `scenarios::never_pending` in `examples/common/scenarios/causes.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("never_pending");
}
