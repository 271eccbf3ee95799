//! The write-up's data feed under `wait_for`: a channel that never runs dry
//! (3,000 items already queued, 200 µs of work each), drained under a
//! 200 ms timeout with the cooperative budget off, then on.
//!
//! Watch for: with the budget off (`.budget(None)`), every
//! `rx.recv().await` completes at once, the task never returns `Pending`,
//! and `wait_for` returns `Ok` after 600 ms, although the loop awaits on
//! every line. With the budget on (tokio's default, and waitfor's: 128),
//! every 129th receive in one poll returns `Pending`, once per 25.6 ms of
//! work: the timer fires at the first such yield after 200 ms, and
//! `wait_for`, which polls the future first, returns at the next one, about
//! 30 ms late. The budget bounds the lateness; it does not remove it.
//! `--virtual` runs it at once, with exact times.
//!
//! [`drain`] is `pub` because the tour runs it too.

use std::time::Duration;
use waitfor::demo::Clock;
use waitfor::{channel, now, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "draining a source that is always ready, budget off and on";

/// Items queued before the drain starts, and the work each one costs.
pub const ITEMS: u64 = 3_000;
pub const WORK_PER_ITEM: Duration = Duration::from_micros(200);

/// Queues [`ITEMS`] items, then drains them under a 200 ms timeout.
pub async fn drain(clock: Clock) -> Result<u64, Elapsed> {
    let (tx, rx) = channel::unbounded();
    for item in 0..ITEMS {
        tx.try_send(item)
            .expect("an unbounded channel is never full");
    }
    drop(tx); // the feed ends after the backlog
    let drain = async move {
        let mut drained = 0;
        while let Some(_item) = rx.recv().await {
            clock.burn(WORK_PER_ITEM); // handle the item
            drained += 1;
        }
        drained
    };
    wait_for(drain, Duration::from_millis(200)).await
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    for (case, budget) in [("budget off", None), ("budget on", Some(128))] {
        let executor = clock.builder().budget(budget).build();
        let (result, took) = executor.block_on(async {
            let start = now();
            let result = drain(clock).await;
            (result, now() - start)
        });
        match result {
            Ok(drained) => println!("{case}: Ok, all {drained} items, after {took:?}"),
            Err(elapsed) => println!("{case}: Err after {took:?}: {elapsed}"),
        }
    }
}
