//! One firing round on each system: `tasks` tasks that each sleep to a
//! random deadline and bump a counter, and a main task that sleeps past the
//! last deadline and then waits, yielding, until every task has run.
//!
//! Shared by the `fire_virtual` / `fire_real` groups of `timers.rs` and by
//! `examples/fire_probe.rs`, which runs the same round under a profiler: the
//! figures in docs/benchmarks.md's stage table are of exactly the work the
//! benchmark times. Every system gets the same deadlines (a seeded `Rng`).

use std::cell::Cell;
use std::time::Duration;
use waitfor_peer_benches::Rng;

thread_local! {
    static DONE: Cell<u64> = const { Cell::new(0) };
}

fn bump() {
    DONE.with(|d| d.set(d.get() + 1));
}

/// `tasks` random deadlines within `max_ms`, and a moment just past them all.
pub fn deadlines(max_ms: u64, tasks: u64) -> (Vec<Duration>, Duration) {
    let mut rng = Rng::new(7);
    let deadlines: Vec<Duration> = (0..tasks).map(|_| rng.millis(max_ms)).collect();
    (deadlines, Duration::from_millis(max_ms + 1))
}

/// Spawns one sleeping task per deadline on waitfor and waits past the last.
pub async fn waitfor_fire(deadlines: &[Duration], after_last: Duration) {
    DONE.with(|d| d.set(0));
    for &deadline in deadlines {
        drop(waitfor::spawn(async move {
            waitfor::sleep(deadline).await;
            bump();
        }));
    }
    waitfor::sleep(after_last).await;
    // On the real clock the tasks filed their timers after the main task
    // did (they start a turn later), so some may still be pending.
    while DONE.with(Cell::get) < deadlines.len() as u64 {
        waitfor::yield_now().await;
    }
}

/// The same on tokio.
pub async fn tokio_fire(deadlines: &[Duration], after_last: Duration) {
    DONE.with(|d| d.set(0));
    for &deadline in deadlines {
        drop(tokio::spawn(async move {
            tokio::time::sleep(deadline).await;
            bump();
        }));
    }
    tokio::time::sleep(after_last).await;
    // As for waitfor: some timers may have been filed after the main task's.
    while DONE.with(Cell::get) < deadlines.len() as u64 {
        tokio::task::yield_now().await;
    }
}

/// The same on async-executor, with async-io's timers.
pub async fn async_io_fire(
    ex: &async_executor::LocalExecutor<'_>,
    deadlines: &[Duration],
    after_last: Duration,
) {
    DONE.with(|d| d.set(0));
    for &deadline in deadlines {
        ex.spawn(async move {
            async_io::Timer::after(deadline).await;
            bump();
        })
        .detach();
    }
    async_io::Timer::after(after_last).await;
    while DONE.with(Cell::get) < deadlines.len() as u64 {
        waitfor_peer_benches::yield_once().await;
    }
}
