//! The registry of scenarios the tour walks, in its order: each names the
//! example that defines it and, for each case, which of the example's
//! functions to run and what is predicted: for a `wait_for`, its timeout
//! and the write-up's verdict; for an interval, the instants of its ticks.
//!
//! The lessons themselves are in the examples (`examples/NAME.rs`); a case
//! here is only the call, wrapped so that every `wait_for` case returns an
//! [`Outcome`] and every interval case its ticks. To add a scenario:
//! include its example in `examples/tour/mod.rs` and add one entry to
//! [`all`].

use super::adapters::{gui, server};
use super::case::{Case, Lesson, Scenario, WaitForCase, DEFAULT_BUDGET};
use super::report::{Outcome, Verdict};
use super::ticks::{TickCase, TickLesson};
use super::{
    already_done, always_ready, async_task, blocking_db, blocking_http, blocking_task, cpu_bound,
    host_loop, interval_burst, never_pending, problematic_async_task, same_turn, to_thread,
    yield_table,
};
use blocking_http::{async_client, blocking_client};
use interval_burst::ticks_after_block;
use std::time::Duration;
use waitfor::MissedTickBehavior::{Burst, Delay, Skip};

const fn case(
    name: &'static str,
    about: &'static str,
    (timeout, work): (Duration, Duration),
    expect: Verdict,
    run: Lesson,
) -> WaitForCase {
    let budget = DEFAULT_BUDGET;
    WaitForCase {
        name,
        about,
        timeout,
        work,
        expect,
        budget,
        run,
    }
}

/// An interval case: `(scheduled, seen)` are its ticks' predicted instants,
/// in ms since the interval started.
const fn ticks(
    name: &'static str,
    about: &'static str,
    (scheduled, seen): (&'static [u64], &'static [u64]),
    reading: &'static str,
    run: TickLesson,
) -> Case {
    Case::Ticks(TickCase {
        name,
        about,
        scheduled,
        seen,
        reading,
        run,
    })
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const ZERO: Duration = Duration::ZERO;

/// Every scenario, in the tour's order: the write-up's three programs, its
/// two remarks on `wait_for`, then the other causes and their fixes.
pub fn all() -> Vec<Scenario> {
    use Verdict::{InTime, Late, Never, OnTime};
    let scenario = |name, title, cases: Vec<WaitForCase>| Scenario {
        name,
        title,
        real_only: false,
        cases: cases.into_iter().map(Case::WaitFor).collect(),
    };
    let real_only = |name, title, cases| Scenario {
        real_only: true,
        ..scenario(name, title, cases)
    };
    vec![
        scenario(
            "blocking_task",
            blocking_task::ABOUT,
            vec![case(
                "as written",
                "time.sleep(5) inside the coroutine holds the loop for 5 s",
                (ms(1000), ms(5000)),
                Never,
                |clock| {
                    Box::pin(async move { Outcome::of(blocking_task::python_main(clock).await) })
                },
            )],
        ),
        scenario(
            "async_task",
            async_task::ABOUT,
            vec![case(
                "as written",
                "await asyncio.sleep(3) gives the loop back: the 1 s timer fires",
                (ms(1000), ms(3000)),
                OnTime,
                |_| Box::pin(async { Outcome::of(async_task::python_main().await) }),
            )],
        ),
        scenario(
            "problematic_async_task",
            problematic_async_task::ABOUT,
            vec![case(
                "as written",
                "the error after 0.5 s comes through; the 1 s timeout has no part in it",
                (ms(1000), ms(500)),
                InTime,
                |_| {
                    Box::pin(async {
                        Outcome::of_fallible(problematic_async_task::python_main().await)
                    })
                },
            )],
        ),
        scenario(
            "yield_table",
            yield_table::ABOUT,
            vec![
                case(
                    "0 yields",
                    "returns right after the block: the timer is never filed",
                    (yield_table::TIMEOUT, yield_table::BLOCK),
                    Never,
                    |clock| {
                        Box::pin(async move {
                            Outcome::of(yield_table::block_then_yield(clock, 0).await)
                        })
                    },
                ),
                case(
                    "1 yield",
                    "the timer fires during the yield, but wait_for polls the future first",
                    (yield_table::TIMEOUT, yield_table::BLOCK),
                    Never,
                    |clock| {
                        Box::pin(async move {
                            Outcome::of(yield_table::block_then_yield(clock, 1).await)
                        })
                    },
                ),
                case(
                    "2 yields",
                    "the second yield lets wait_for see the fired timer",
                    (yield_table::TIMEOUT, yield_table::BLOCK),
                    Late,
                    |clock| {
                        Box::pin(async move {
                            Outcome::of(yield_table::block_then_yield(clock, 2).await)
                        })
                    },
                ),
            ],
        ),
        scenario(
            "already_done",
            already_done::ABOUT,
            vec![
                case(
                    "ready future, timeout 0",
                    "std::future::ready(\"done\"): ready on its first poll",
                    (ZERO, ZERO),
                    InTime,
                    |_| Box::pin(async { Outcome::of(already_done::ready_future().await) }),
                ),
                case(
                    "finished task, timeout 0",
                    "the JoinHandle of a task that has already run to its end",
                    (ZERO, ZERO),
                    InTime,
                    |_| {
                        Box::pin(async {
                            Outcome::of_fallible(already_done::finished_task().await)
                        })
                    },
                ),
                case(
                    "sleep(100 ms), timeout 0",
                    "a future that is not ready yet: the timeout fires at once",
                    (ZERO, ms(100)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of(already_done::needs_time().await) }),
                ),
            ],
        ),
        scenario(
            "same_turn",
            same_turn::ABOUT,
            vec![
                case(
                    "sleep(50 ms)",
                    "both due when a neighbour's 200 ms block ends; the inner sleep was due first",
                    (same_turn::TIMEOUT, ms(50)),
                    Never,
                    |clock| {
                        Box::pin(async move { Outcome::of(same_turn::race(clock, ms(50)).await) })
                    },
                ),
                case(
                    "sleep(150 ms)",
                    "both due when the block ends; the timeout was due first",
                    (same_turn::TIMEOUT, ms(150)),
                    Never,
                    |clock| {
                        Box::pin(async move { Outcome::of(same_turn::race(clock, ms(150)).await) })
                    },
                ),
            ],
        ),
        scenario(
            "cpu_bound",
            cpu_bound::ABOUT,
            vec![
                case(
                    "no yield",
                    "600 x 1 ms of work in one poll",
                    (ms(200), ms(600)),
                    Never,
                    |clock| {
                        Box::pin(async move { Outcome::of(cpu_bound::crunch(clock, None).await) })
                    },
                ),
                case(
                    "yield every 5 steps",
                    "yield_now() every 5 ms of work: the timer gets its turn",
                    (ms(200), ms(600)),
                    OnTime,
                    |clock| {
                        Box::pin(async move {
                            Outcome::of(
                                cpu_bound::crunch(clock, Some(cpu_bound::YIELD_EVERY)).await,
                            )
                        })
                    },
                ),
            ],
        ),
        scenario(
            "never_pending",
            never_pending::ABOUT,
            vec![
                case(
                    "never Pending",
                    "poll() loops until the resource is ready, 600 ms later",
                    (ms(200), ms(600)),
                    Never,
                    |clock| {
                        Box::pin(async move {
                            Outcome::of(never_pending::wait_for_resource(clock, false).await)
                        })
                    },
                ),
                case(
                    "Pending until ready",
                    "poll() checks once, and returns Pending if not ready",
                    (ms(200), ms(600)),
                    OnTime,
                    |clock| {
                        Box::pin(async move {
                            Outcome::of(never_pending::wait_for_resource(clock, true).await)
                        })
                    },
                ),
            ],
        ),
        scenario(
            "always_ready",
            always_ready::ABOUT,
            vec![
                WaitForCase {
                    budget: None,
                    ..case(
                        "budget off",
                        "each recv() is ready at once: the draining loop never yields",
                        (ms(200), ms(600)),
                        Never,
                        |clock| {
                            Box::pin(async move { Outcome::of(always_ready::drain(clock).await) })
                        },
                    )
                },
                case(
                    "budget on",
                    "every 129th recv() in a poll returns Pending (every 25.6 ms)",
                    (ms(200), ms(600)),
                    Late,
                    |clock| Box::pin(async move { Outcome::of(always_ready::drain(clock).await) }),
                ),
            ],
        ),
        Scenario {
            name: "interval_burst",
            title: interval_burst::ABOUT,
            real_only: false,
            // tokio's documented `MissedTickBehavior`: (scheduled, seen), in ms.
            cases: vec![
                ticks(
                    "Burst",
                    "MissedTickBehavior::Burst (the default): every missed tick, at once",
                    (
                        &[100, 200, 300, 400, 500, 600],
                        &[550, 550, 550, 550, 550, 600],
                    ),
                    "the 5 missed ticks burst at 550 ms, then back on the 100 ms grid",
                    |clock| Box::pin(ticks_after_block(clock, Burst)),
                ),
                ticks(
                    "Delay",
                    "MissedTickBehavior::Delay: one late tick, then a new grid from it",
                    (
                        &[100, 650, 750, 850, 950, 1050],
                        &[550, 650, 750, 850, 950, 1050],
                    ),
                    "one tick at 550 ms, then a new 100 ms grid from there: 650, 750, ...",
                    |clock| Box::pin(ticks_after_block(clock, Delay)),
                ),
                ticks(
                    "Skip",
                    "MissedTickBehavior::Skip: one late tick, the other missed ones dropped",
                    (
                        &[100, 600, 700, 800, 900, 1000],
                        &[550, 600, 700, 800, 900, 1000],
                    ),
                    "one tick at 550 ms, the other 4 dropped: back on the old grid at 600 ms",
                    |clock| Box::pin(ticks_after_block(clock, Skip)),
                ),
            ],
        },
        real_only(
            "blocking_db",
            blocking_db::ABOUT,
            vec![
                case(
                    "blocking client",
                    "handler -> load_profile() -> client.get(): 600 ms holding the loop",
                    (ms(200), ms(600)),
                    Never,
                    |_| {
                        Box::pin(async {
                            Outcome::of_fallible(blocking_db::blocking_query().await)
                        })
                    },
                ),
                case(
                    "async client",
                    "client.get().await: the loop runs on, the timeout fires",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of_fallible(blocking_db::async_query().await) }),
                ),
                case(
                    "async client, blocking neighbour",
                    "a cache-warmer task's blocking get() holds the loop for 500 ms",
                    (ms(200), ms(600)),
                    Late,
                    |_| {
                        Box::pin(async {
                            let query = blocking_db::async_query_next_to_a_blocking_neighbour();
                            Outcome::of_fallible(query.await)
                        })
                    },
                ),
            ],
        ),
        real_only(
            "to_thread",
            to_thread::ABOUT,
            vec![
                case(
                    "inline",
                    "std::thread::sleep(600 ms) inside the task",
                    (ms(200), ms(600)),
                    Never,
                    |_| Box::pin(async { Outcome::of(to_thread::inline().await) }),
                ),
                case(
                    "spawn_blocking",
                    "the same sleep on a pool thread; the task awaits its JoinHandle",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| {
                        Box::pin(async {
                            let (finished, _) = std::sync::mpsc::channel();
                            Outcome::of_fallible(to_thread::on_a_thread(finished).await)
                        })
                    },
                ),
            ],
        ),
        real_only(
            "blocking_http",
            blocking_http::ABOUT,
            vec![
                case(
                    "blocking client",
                    "std::net::TcpStream waits 600 ms for the server's reply, holding the loop",
                    (ms(200), ms(600)),
                    Never,
                    |_| Box::pin(async { Outcome::of_fallible(blocking_client(server()).await) }),
                ),
                case(
                    "async client",
                    "waitfor::net::TcpStream: the read gives the loop back, the timer fires",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of_fallible(async_client(server()).await) }),
                ),
                case(
                    "spawn_blocking",
                    "the blocking client on a pool thread; the thread waits on for the reply",
                    (ms(200), ms(600)),
                    OnTime,
                    |_| {
                        Box::pin(async {
                            let (finished, _) = std::sync::mpsc::channel();
                            let on_a_thread =
                                blocking_http::blocking_client_on_a_thread(server(), finished);
                            Outcome::of_fallible(on_a_thread.await)
                        })
                    },
                ),
            ],
        ),
        real_only(
            "host_loop",
            host_loop::ABOUT,
            vec![
                case(
                    "turns between frames",
                    "the GUI runs its own loop on a thread, a frame every 250 ms",
                    (ms(100), ms(600)),
                    Late,
                    |_| Box::pin(async { Outcome::of_fallible(gui(false).await) }),
                ),
                case(
                    "a turn at next_deadline()",
                    "the GUI also wakes when the executor's next timer is due",
                    (ms(100), ms(600)),
                    OnTime,
                    |_| Box::pin(async { Outcome::of_fallible(gui(true).await) }),
                ),
            ],
        ),
    ]
}

/// The scenario called `name`.
pub fn find(name: &str) -> Option<Scenario> {
    all().into_iter().find(|scenario| scenario.name == name)
}
