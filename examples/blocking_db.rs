//! The write-up's redis story: a blocking database client next to an async
//! one. A 600 ms query under a 200 ms timeout, through each client; then
//! through the async client while a neighbour task uses the blocking one.
//!
//! Watch for: through the blocking client (called from a plain helper, so
//! nothing in the handler looks blocking) the query returns `Ok` at 600 ms,
//! the timeout never fired. Through the async client it times out on time.
//! The third case is the sneaky one: the query is async and innocent, yet
//! its timeout fires 300 ms late, because the neighbour's blocking call held
//! the loop; the executor's blame names the culprit, `cache-warmer`. Run
//! with `--virtual` for the virtual clock. The scenario is
//! `scenarios::blocking_db` in `examples/common/scenarios/causes.rs`.

#[path = "common/mod.rs"]
mod common;

fn main() {
    common::cli::example_main("blocking_db");
}
