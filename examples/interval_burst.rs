//! A 100 ms `Interval` whose task blocks the loop for 550 ms in one poll,
//! once per `MissedTickBehavior`: starvation, made visible after the fact
//! in a periodic task.
//!
//! Watch for: the five ticks the block swallowed (due at 100 ... 500 ms).
//! `Burst` hands them all over at 550 ms, one after the other, then keeps the
//! old grid (600 ms). `Delay` gives the 100 ms tick at 550 ms and starts a
//! new grid from there (650, 750, ...). `Skip` gives the 100 ms tick at
//! 550 ms and drops the rest, back on the old grid at 600 ms. These are
//! tokio's documented semantics for the three behaviours. Each line is a
//! tick: the instant it was scheduled for, and when the task saw it.
//! `--virtual` runs it at once, with exact instants (checked by
//! `executor/tests/interval.rs` and `tests/examples.rs`); the real clock
//! takes about 3.5 s.
//!
//! [`ticks_after_block`] is `pub` because the tour runs it too.

use std::time::Duration;
use waitfor::demo::{self, say, Clock};
use waitfor::{interval, now, MissedTickBehavior};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a 100 ms interval whose task blocks the loop for 550 ms: the missed ticks";

/// The interval's period, how long its task blocks the loop after the first
/// tick, and how many ticks it waits for after the block.
pub const PERIOD: Duration = Duration::from_millis(100);
pub const BLOCK: Duration = Duration::from_millis(550);
pub const TICKS_AFTER_BLOCK: usize = 6;

/// Takes the interval's first tick (at once), blocks the loop for
/// [`BLOCK`], then waits for [`TICKS_AFTER_BLOCK`] ticks. Returns each as
/// (scheduled, seen), both since the interval started.
pub async fn ticks_after_block(
    clock: Clock,
    behavior: MissedTickBehavior,
) -> Vec<(Duration, Duration)> {
    let start = now();
    let mut ticker = interval(PERIOD);
    ticker.set_missed_tick_behavior(behavior);
    ticker.tick().await; // the first tick is at once
    clock.block(BLOCK); // time.sleep(0.55): no .await, so no timer can fire
    say(format!(
        "blocked until {:>4} ms",
        (now() - start).as_millis()
    ));
    let mut ticks = Vec::with_capacity(TICKS_AFTER_BLOCK);
    for _ in 0..TICKS_AFTER_BLOCK {
        let scheduled = ticker.tick().await - start;
        let seen = now() - start;
        say(format!(
            "tick scheduled at {:>4} ms, seen at {:>4} ms",
            scheduled.as_millis(),
            seen.as_millis()
        ));
        ticks.push((scheduled, seen));
    }
    ticks
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    let name = match clock {
        Clock::Real => "real",
        Clock::Virtual => "virtual",
    };
    println!("a {PERIOD:?} interval; one poll blocks the loop for {BLOCK:?} ({name} clock)");
    for behavior in [
        MissedTickBehavior::Burst,
        MissedTickBehavior::Delay,
        MissedTickBehavior::Skip,
    ] {
        println!("\n{behavior:?}:");
        let executor = clock.builder().build();
        // The lesson's lines, indented under their behaviour.
        demo::listen(
            |line| println!("  {line}"),
            || executor.block_on(ticks_after_block(clock, behavior)),
        );
    }
}
