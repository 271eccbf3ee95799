//! The write-up's three programs and its two remarks on `wait_for` (a
//! future already done; the yields after a block, and the same-turn race).

use super::{case, ms, scenario, ZERO};
use crate::tour::case::Scenario;
use crate::tour::report::Outcome;
use crate::tour::report::Verdict::{InTime, Late, Never, OnTime};
use crate::tour::{
    already_done, async_task, blocking_task, problematic_async_task, same_turn, yield_table,
};

/// These scenarios, in the tour's order.
pub fn all() -> Vec<Scenario> {
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
    ]
}
