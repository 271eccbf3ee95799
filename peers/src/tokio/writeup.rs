//! The write-up's three programs on tokio, its two remarks on `wait_for`
//! (the yields after a block, a future that is already done), and the race
//! that CPython 3.12 decides the other way.
//!
//! tokio's `timeout` polls the inner future before it looks at its timer,
//! as waitfor's `wait_for` does, so every answer here is waitfor's answer.

use super::{block, observe, observe_fallible, on_paused_clock};
use crate::observation::Observation;
use std::time::Duration;
use tokio::task::yield_now;
use tokio::time::sleep;

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `time.sleep(5)` inside the coroutine, under a 1 s timeout.
pub fn blocking_task() -> Vec<Observation> {
    vec![on_paused_clock(async {
        let blocking_task = async {
            block(Duration::from_secs(5)); // time.sleep(5)
            "done"
        };
        observe("as written", Duration::from_secs(1), blocking_task).await
    })]
}

/// `await asyncio.sleep(3)` under a 1 s timeout.
pub fn async_task() -> Vec<Observation> {
    vec![on_paused_clock(async {
        let async_task = async {
            sleep(Duration::from_secs(3)).await;
            "done"
        };
        observe("as written", Duration::from_secs(1), async_task).await
    })]
}

/// An error after 0.5 s, under a 1 s timeout.
pub fn problematic_async_task() -> Vec<Observation> {
    vec![on_paused_clock(async {
        let problematic_async_task = async {
            sleep(ms(500)).await;
            Err::<&str, _>("something went bad!")
        };
        observe_fallible("as written", Duration::from_secs(1), problematic_async_task).await
    })]
}

/// A 500 ms block under a 100 ms timeout, then 0, 1 or 2 yields.
pub fn yield_table() -> Vec<Observation> {
    ["0 yields", "1 yield", "2 yields"]
        .into_iter()
        .enumerate()
        .map(|(yields, case)| {
            on_paused_clock(async move {
                let blocked_then_yields = async {
                    block(ms(500));
                    for _ in 0..yields {
                        yield_now().await;
                    }
                    "done"
                };
                observe(case, ms(100), blocked_then_yields).await
            })
        })
        .collect()
}

/// A ready future, and a finished task, under a zero timeout; then a
/// `sleep(100 ms)`, which is not ready.
pub fn already_done() -> Vec<Observation> {
    vec![
        on_paused_clock(async {
            let ready = std::future::ready("done");
            observe("ready future, timeout 0", Duration::ZERO, ready).await
        }),
        on_paused_clock(async {
            let task = tokio::spawn(async { "done" });
            while !task.is_finished() {
                yield_now().await;
            }
            observe_fallible("finished task, timeout 0", Duration::ZERO, task).await
        }),
        on_paused_clock(async {
            observe("sleep(100 ms), timeout 0", Duration::ZERO, sleep(ms(100))).await
        }),
    ]
}

/// A `sleep(50 ms)`, then a `sleep(150 ms)`, under a 100 ms timeout while
/// a neighbour task blocks for 200 ms: both timers come due during the
/// block and fire in the same timer step. The inner future is polled
/// first, and is done: `Ok`, both times.
pub fn same_turn() -> Vec<Observation> {
    [("sleep(50 ms)", ms(50)), ("sleep(150 ms)", ms(150))]
        .into_iter()
        .map(|(case, inner)| {
            on_paused_clock(async move {
                let _neighbour = tokio::spawn(async { block(ms(200)) });
                observe(case, ms(100), sleep(inner)).await
            })
        })
        .collect()
}
