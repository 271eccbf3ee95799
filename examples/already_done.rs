//! A future that is already done, under a zero timeout: `Ok`, not a timeout.
//!
//! Watch for: `std::future::ready(..)` and the `JoinHandle` of a finished
//! task both win against `Duration::ZERO`, because `wait_for` polls the
//! future before it looks at the timer (as tokio's `timeout` does; asyncio
//! returns a finished task's result too, though it would cancel a coroutine
//! that has not started yet). A future that needs time loses at once: the
//! timeout fires at the loop's next timer step. Nothing here blocks, so
//! `--virtual` changes nothing but the clock.
//!
//! The functions are `pub` because the tour runs them too.

use std::time::Duration;
use waitfor::demo::Clock;
use waitfor::{now, sleep, spawn, wait_for, yield_now, Elapsed, JoinError};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a future that is already done wins even against a zero timeout";

/// A future that is ready on its first poll.
pub async fn ready_future() -> Result<&'static str, Elapsed> {
    wait_for(std::future::ready("done"), Duration::ZERO).await
}

/// The `JoinHandle` of a task that has already run to its end.
pub async fn finished_task() -> Result<Result<&'static str, JoinError>, Elapsed> {
    let task = spawn(async { "done" });
    yield_now().await; // the task runs, and finishes, in this turn
    wait_for(task, Duration::ZERO).await
}

/// A future that is not ready yet: it needs 100 ms.
pub async fn needs_time() -> Result<&'static str, Elapsed> {
    let needs_time = async {
        sleep(Duration::from_millis(100)).await;
        "done"
    };
    wait_for(needs_time, Duration::ZERO).await
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    let executor = clock.builder().build();
    executor.block_on(async {
        let start = now();
        println!("ready future, timeout 0:    {:?}", ready_future().await);
        println!("finished task, timeout 0:   {:?}", finished_task().await);
        match needs_time().await {
            Ok(value) => println!("sleep(100 ms), timeout 0:   Ok({value:?})"),
            Err(elapsed) => println!("sleep(100 ms), timeout 0:   Err: {elapsed}"),
        }
        println!("all three after {:?}", now() - start);
    });
}
