//! The other causes the write-up names that need no real thread or
//! server (a CPU loop, a future that is never `Pending`, a source that is
//! always ready) and their fixes, and an interval's missed ticks.

use super::{case, ms, scenario, ticks};
use crate::tour::case::{Scenario, WaitForCase};
use crate::tour::report::Outcome;
use crate::tour::report::Verdict::{Late, Never, OnTime};
use crate::tour::{always_ready, cpu_bound, interval_burst, never_pending};
use interval_burst::ticks_after_block;
use waitfor::MissedTickBehavior::{Burst, Delay, Skip};

/// These scenarios, in the tour's order.
pub fn all() -> Vec<Scenario> {
    vec![
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
    ]
}
