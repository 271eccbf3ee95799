//! The write-up's other causes of a timeout that does not fire, each next to
//! its fix: a CPU-bound loop, a hand-written future that never returns
//! `Pending`, an always-ready source, a blocking database client, and a
//! blocking call moved to a thread (`asyncio.to_thread`).

use crate::common::diagnostics::{self, Budget};
use crate::common::{block, ms, Case, Clock, Env, Outcome, Report, Timing};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use waitfor::{channel, now, sleep, spawn_blocking, yield_now};

/// 600 steps of 1 ms of CPU work under a 200 ms timeout; then the same with
/// a `yield_now()` (Python: `await asyncio.sleep(0)`) every 10 steps.
pub fn cpu_bound(env: &Env) -> Vec<Report> {
    const STEPS: u32 = 600;
    let cases = [
        (
            Case::new(
                "no yield",
                "600 x 1 ms of work in one poll",
                ms(600),
                Timing::Never,
            ),
            None,
        ),
        (
            Case::new(
                "yield every 10 steps",
                "yield_now() every 10 ms of work: the timer gets its turn",
                ms(600),
                Timing::OnTime,
            ),
            Some(10),
        ),
    ];
    cases
        .into_iter()
        .map(|(case, yield_every)| {
            env.run_case(case, async move {
                let crunch = async {
                    for step in 1..=STEPS {
                        env.burn(ms(1));
                        if yield_every.is_some_and(|every| step % every == 0) {
                            yield_now().await;
                        }
                    }
                    STEPS
                };
                Outcome::of(&env.wait_for(crunch, ms(200)).await)
            })
        })
        .collect()
}

/// Waits for a resource, ready 600 ms from now, by checking it (each check
/// costs 1 ms) *inside* `poll`, until it is ready: it never returns
/// `Pending`. Python's equivalent is an `__await__` that never yields.
struct Spinning<'a> {
    env: &'a Env,
    ready_at: Instant,
}

impl Future for Spinning<'_> {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<&'static str> {
        while now() < self.ready_at {
            self.env.burn(ms(1)); // check the resource again, without yielding
        }
        Poll::Ready("resource ready")
    }
}

/// The same checks, one per poll: not ready yet means `Pending`. (It asks
/// to be polled again at once; a real one would hand its waker to whatever
/// makes the resource ready. Either way it gives the loop back.)
struct Checking<'a> {
    env: &'a Env,
    ready_at: Instant,
}

impl Future for Checking<'_> {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        if now() >= self.ready_at {
            return Poll::Ready("resource ready");
        }
        self.env.burn(ms(1)); // check the resource
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

pub fn never_pending(env: &Env) -> Vec<Report> {
    let spinning = Case::new(
        "never Pending",
        "poll() loops until the resource is ready, 600 ms later",
        ms(600),
        Timing::Never,
    );
    let checking = Case::new(
        "Pending until ready",
        "poll() checks once, and returns Pending if not ready",
        ms(600),
        Timing::OnTime,
    );
    vec![
        env.run_case(spinning, async {
            let ready_at = now() + ms(600);
            Outcome::of(&env.wait_for(Spinning { env, ready_at }, ms(200)).await)
        }),
        env.run_case(checking, async {
            let ready_at = now() + ms(600);
            Outcome::of(&env.wait_for(Checking { env, ready_at }, ms(200)).await)
        }),
    ]
}

/// The write-up's data feed, a channel that never runs dry: 3,000 items
/// already queued, 200 µs of work each, drained under a 200 ms timeout.
/// Every `rx.recv().await` finds an item and is ready at once, so without a
/// budget the task never yields; with tokio's budget (and waitfor's), the
/// 129th receive in one poll returns `Pending`. (Joining tasks that have
/// already finished is another such source: `JoinHandle` takes the budget
/// too.)
pub fn always_ready(env: &Env) -> Vec<Report> {
    const ITEMS: u64 = 3_000;
    let cases = [
        Case::new(
            "budget off",
            "each recv() is ready at once: the draining loop never yields",
            ms(600),
            Timing::Never,
        )
        .budget(Budget::Off),
        Case::new(
            "budget on",
            "the 129th recv() in a poll returns Pending (every 25.6 ms)",
            ms(600),
            Timing::OnTime,
        )
        .budget(Budget::On),
    ];
    cases
        .into_iter()
        .map(|case| {
            env.run_case(case, async {
                let (tx, rx) = channel::unbounded();
                for item in 0..ITEMS {
                    tx.try_send(item)
                        .expect("an unbounded channel is never full");
                }
                drop(tx); // the feed ends after the backlog
                let drain = async move {
                    let mut drained = 0;
                    while let Some(_item) = rx.recv().await {
                        env.burn(Duration::from_micros(200)); // handle the item
                        drained += 1;
                    }
                    drained
                };
                Outcome::of(&env.wait_for(drain, ms(200)).await)
            })
        })
        .collect()
}

/// A client whose `get` blocks the calling thread (a redis client without
/// asyncio support).
struct BlockingClient {
    clock: Clock,
    latency: Duration,
}

impl BlockingClient {
    fn get(&self, key: &str) -> String {
        block(self.clock, self.latency); // waits for the server's reply, holding the loop
        format!("{key}=alice")
    }
}

/// A client whose `get` awaits the reply.
struct AsyncClient {
    latency: Duration,
}

impl AsyncClient {
    async fn get(&self, key: &str) -> String {
        sleep(self.latency).await; // waits for the server's reply, giving the loop back
        format!("{key}=alice")
    }
}

/// A synchronous helper between the handler and the client: the "chain of
/// blockages" in the write-up. Nothing in the handler's code looks blocking.
fn load_profile(client: &BlockingClient, user: u32) -> String {
    client.get(&format!("user:{user}"))
}

/// A 600 ms query under a 200 ms timeout, through a blocking client and
/// through an async one; then the async one while a neighbour task uses
/// the blocking client for 500 ms.
pub fn blocking_db(env: &Env) -> Vec<Report> {
    let blocking = Case::new(
        "blocking client",
        "handler -> load_profile() -> client.get(): 600 ms holding the loop",
        ms(600),
        Timing::Never,
    );
    let asynchronous = Case::new(
        "async client",
        "client.get().await: the loop runs on, the timeout fires",
        ms(600),
        Timing::OnTime,
    );
    let neighbour = Case::new(
        "async client, blocking neighbour",
        "a cache-warmer task's blocking get() holds the loop for 500 ms",
        ms(600),
        Timing::Late,
    );
    vec![
        env.run_case(blocking, async {
            let client = BlockingClient {
                clock: env.clock(),
                latency: ms(600),
            };
            let handler = async { load_profile(&client, 42) };
            Outcome::of(&env.wait_for(handler, ms(200)).await)
        }),
        env.run_case(asynchronous, async {
            let client = AsyncClient { latency: ms(600) };
            Outcome::of(&env.wait_for(client.get("user:42"), ms(200)).await)
        }),
        env.run_case(neighbour, async {
            let warmer = BlockingClient {
                clock: env.clock(),
                latency: ms(500),
            };
            let _warmer =
                diagnostics::spawn_named("cache-warmer", async move { warmer.get("user:7") });
            let client = AsyncClient { latency: ms(600) };
            Outcome::of(&env.wait_for(client.get("user:42"), ms(200)).await)
        }),
    ]
}

/// The fix for a blocking call: run it on a thread with `spawn_blocking`
/// (`asyncio.to_thread`). The timeout fires on time; the thread, which
/// cannot be interrupted, runs on to its end, and its result is dropped.
pub fn to_thread(env: &Env) -> Vec<Report> {
    let inline = Case::new(
        "inline",
        "std::thread::sleep(600 ms) inside the task",
        ms(600),
        Timing::Never,
    );
    let on_a_thread = Case::new(
        "spawn_blocking",
        "the same sleep on a pool thread; the task awaits its JoinHandle",
        ms(600),
        Timing::OnTime,
    );
    vec![
        env.run_case(inline, async {
            let blocking = async {
                env.block(ms(600));
                "done"
            };
            Outcome::of(&env.wait_for(blocking, ms(200)).await)
        }),
        env.run_case(on_a_thread, async {
            let (finished, thread_done) = std::sync::mpsc::channel();
            let job = spawn_blocking(move || {
                std::thread::sleep(ms(600));
                let _ = finished.send(());
                "done"
            });
            let result = env.wait_for(job, ms(200)).await;
            if result.is_err() {
                env.say("wait_for timed out; the thread runs on");
            }
            // Wait for the thread without blocking the loop: from another thread.
            if let Ok(Ok(())) = spawn_blocking(move || thread_done.recv()).await {
                env.say("the thread has finished; its result was dropped");
            }
            Outcome::of_fallible(&result)
        }),
    ]
}
