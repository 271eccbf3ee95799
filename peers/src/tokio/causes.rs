//! The write-up's other causes of a timeout that does not fire, on tokio,
//! each next to its fix: a CPU-bound loop, a future that never returns
//! `Pending`, an always-ready source (where tokio's cooperative budget is
//! the fix), a blocking database client, and a blocking call moved to a
//! thread.

use super::{block, observe, observe_fallible, on_paused_clock, on_real_clock};
use crate::observation::Observation;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::task::{spawn_blocking, unconstrained, yield_now};
use tokio::time::{sleep, Instant};

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// 600 steps of 1 ms of CPU work under a 200 ms timeout, without and with
/// a `yield_now()` every 5 steps.
pub fn cpu_bound() -> Vec<Observation> {
    [("no yield", None), ("yield every 5 steps", Some(5))]
        .into_iter()
        .map(|(case, yield_every)| {
            on_paused_clock(async move {
                let crunch = async {
                    for step in 1..=600 {
                        block(ms(1)); // 1 ms of work: to the runtime, a block
                        if yield_every.is_some_and(|every| step % every == 0) {
                            yield_now().await;
                        }
                    }
                };
                observe(case, ms(200), crunch).await
            })
        })
        .collect()
}

/// Waits for a resource, ready at `ready_at`, checking it (1 ms a check)
/// inside `poll` until it is ready: it never returns `Pending`.
struct Spinning {
    ready_at: Instant,
}

impl Future for Spinning {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        while Instant::now() < self.ready_at {
            block(ms(1));
        }
        Poll::Ready(())
    }
}

/// The same checks, one per poll, asking to be polled again when not ready.
struct Checking {
    ready_at: Instant,
}

impl Future for Checking {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.ready_at {
            return Poll::Ready(());
        }
        block(ms(1));
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A resource ready 600 ms from now, waited for under a 200 ms timeout by
/// a future that never returns `Pending`, and by one that does.
pub fn never_pending() -> Vec<Observation> {
    vec![
        on_paused_clock(async {
            let ready_at = Instant::now() + ms(600);
            observe("never Pending", ms(200), Spinning { ready_at }).await
        }),
        on_paused_clock(async {
            let ready_at = Instant::now() + ms(600);
            observe("Pending until ready", ms(200), Checking { ready_at }).await
        }),
    ]
}

/// 3,000 items already queued, 200 µs of work each, drained under a
/// 200 ms timeout: with the cooperative budget off (`unconstrained`), and
/// on (tokio's default).
pub fn always_ready() -> Vec<Observation> {
    [("budget off", false), ("budget on", true)]
        .into_iter()
        .map(|(case, budget)| {
            on_paused_clock(async move {
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                for item in 0..3_000 {
                    tx.send(item).expect("the receiver is alive");
                }
                drop(tx); // the feed ends after the backlog
                let drain = async move {
                    while let Some(_item) = rx.recv().await {
                        block(Duration::from_micros(200)); // handle the item
                    }
                };
                if budget {
                    observe(case, ms(200), drain).await
                } else {
                    observe(case, ms(200), unconstrained(drain)).await
                }
            })
        })
        .collect()
}

/// A client whose `get` blocks the thread for `latency`.
struct BlockingClient {
    latency: Duration,
}

impl BlockingClient {
    fn get(&self, key: &str) -> String {
        block(self.latency);
        format!("{key}=alice")
    }
}

/// Between the handler and the client: nothing in the handler looks blocking.
fn load_profile(client: &BlockingClient, user: u32) -> String {
    client.get(&format!("user:{user}"))
}

/// A 600 ms query under a 200 ms timeout through a blocking client, through
/// an async one, and through the async one while a neighbour task blocks
/// for 500 ms.
pub fn blocking_db() -> Vec<Observation> {
    vec![
        on_paused_clock(async {
            let client = BlockingClient { latency: ms(600) };
            let handler = async { load_profile(&client, 42) };
            observe("blocking client", ms(200), handler).await
        }),
        on_paused_clock(async { observe("async client", ms(200), sleep(ms(600))).await }),
        on_paused_clock(async {
            let warmer = BlockingClient { latency: ms(500) };
            let _warmer = tokio::spawn(async move { warmer.get("user:7") });
            let case = "async client, blocking neighbour";
            observe(case, ms(200), sleep(ms(600))).await
        }),
    ]
}

/// A 600 ms blocking call under a 200 ms timeout, inline and on a thread
/// (`spawn_blocking`, on the real clock: the thread really sleeps).
pub fn to_thread() -> Vec<Observation> {
    vec![
        on_paused_clock(async {
            let inline = async { block(ms(600)) };
            observe("inline", ms(200), inline).await
        }),
        on_real_clock(async {
            let job = spawn_blocking(|| std::thread::sleep(ms(600)));
            // Dropping the runtime afterwards waits for the thread's end.
            observe_fallible("on a thread", ms(200), job).await
        }),
    ]
}
