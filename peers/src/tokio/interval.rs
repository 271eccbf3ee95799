//! `interval_burst` on tokio: a 100 ms `tokio::time::interval` whose task
//! blocks the loop for 550 ms after its first tick, once per
//! `MissedTickBehavior`, and when each of the next six ticks is seen.
//!
//! waitfor's `interval` claims tokio's semantics for the three behaviours;
//! this runs tokio's own, so that the claim is checked against tokio and not
//! against its documentation alone. The constants are the example's
//! (`examples/interval_burst.rs`). The block is [`block`]: on the paused
//! clock, the ticks are seen at exact instants.

use super::{block, runtime};
use crate::observation::Ticks;
use std::time::Duration;
use tokio::time::{interval, Instant, MissedTickBehavior};

const PERIOD: Duration = Duration::from_millis(100);
const BLOCK: Duration = Duration::from_millis(550);
const TICKS_AFTER_BLOCK: usize = 6;

/// The ticks after the block, seen under each `MissedTickBehavior`.
pub fn interval_burst() -> Vec<Ticks> {
    [
        ("Burst", MissedTickBehavior::Burst),
        ("Delay", MissedTickBehavior::Delay),
        ("Skip", MissedTickBehavior::Skip),
    ]
    .into_iter()
    .map(|(case, behavior)| Ticks {
        case: case.to_string(),
        seen: runtime(true).block_on(ticks_after_block(behavior)),
    })
    .collect()
}

async fn ticks_after_block(behavior: MissedTickBehavior) -> Vec<Duration> {
    let start = Instant::now();
    let mut ticker = interval(PERIOD);
    ticker.set_missed_tick_behavior(behavior);
    ticker.tick().await; // the first tick is at once
    block(BLOCK);
    let mut seen = Vec::with_capacity(TICKS_AFTER_BLOCK);
    for _ in 0..TICKS_AFTER_BLOCK {
        ticker.tick().await;
        seen.push(start.elapsed());
    }
    seen
}
