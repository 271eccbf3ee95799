//! A 100 ms `Interval` whose task blocks the loop for 550 ms in one poll,
//! once per `MissedTickBehavior`: starvation, made visible after the fact
//! in a periodic task.
//!
//! ```text
//! cargo run --example interval_burst -- --virtual   # instant, exact instants
//! cargo run --example interval_burst                # real clock, ~3.5 s
//! ```
//!
//! Watch for: the five ticks the block swallowed (due at 100 ... 500 ms).
//! `Burst` hands them all over at 550 ms, one after the other, then keeps the
//! old grid (600 ms). `Delay` gives the 100 ms tick at 550 ms and starts a
//! new grid from there (650, 750, ...). `Skip` gives the 100 ms tick at
//! 550 ms and drops the rest, back on the old grid at 600 ms. Each line is a
//! tick: the instant it was scheduled for, and when the task saw it. The
//! same instants are checked by `executor/tests/interval.rs`.

use std::time::{Duration, Instant};
use waitfor::{interval, now, Executor, MissedTickBehavior};

const USAGE: &str = "usage: interval_burst [--virtual]\n\
    \n  --virtual  run on the virtual clock: instant, with exact instants\
    \n  --help     print this and exit";

const PERIOD: Duration = Duration::from_millis(100);
const BLOCK: Duration = Duration::from_millis(550);
const TICKS_AFTER_BLOCK: usize = 6;

fn main() {
    let mut virtual_clock = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--virtual" => virtual_clock = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return;
            }
            unknown => {
                eprintln!("interval_burst: unknown argument {unknown:?}\n{USAGE}");
                std::process::exit(2);
            }
        }
    }
    let clock = if virtual_clock { "virtual" } else { "real" };
    println!("a {PERIOD:?} interval; one poll blocks the loop for {BLOCK:?} ({clock} clock)");
    for behavior in [
        MissedTickBehavior::Burst,
        MissedTickBehavior::Delay,
        MissedTickBehavior::Skip,
    ] {
        println!("\n{behavior:?}:");
        run(behavior, virtual_clock);
    }
}

/// One run: the first tick, the block, then the ticks that follow it.
fn run(behavior: MissedTickBehavior, virtual_clock: bool) {
    let mut builder = Executor::builder();
    if virtual_clock {
        builder = builder.virtual_clock();
    }
    builder.build().block_on(async {
        let start = now();
        let mut ticker = interval(PERIOD);
        ticker.set_missed_tick_behavior(behavior);
        ticker.tick().await; // the first tick is at once
        block_the_loop(virtual_clock);
        println!("  blocked until {:>4} ms", millis(start, now()));
        for _ in 0..TICKS_AFTER_BLOCK {
            let scheduled = ticker.tick().await;
            let seen = now();
            println!(
                "  tick scheduled at {:>4} ms, seen at {:>4} ms",
                millis(start, scheduled),
                millis(start, seen)
            );
        }
    });
}

/// A blocking call inside a poll: no `.await`, so the loop cannot fire
/// timers until it returns. On the virtual clock, `advance` stands in for it.
fn block_the_loop(virtual_clock: bool) {
    if virtual_clock {
        waitfor::advance(BLOCK);
    } else {
        std::thread::sleep(BLOCK);
    }
}

fn millis(start: Instant, at: Instant) -> u128 {
    at.saturating_duration_since(start).as_millis()
}
