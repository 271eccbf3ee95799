//! The fix for a blocking call: move it to a thread with `spawn_blocking`,
//! waitfor's `asyncio.to_thread`. A 600 ms `std::thread::sleep` under a
//! 200 ms timeout, inline, then on a pool thread.
//!
//! Watch for: inline, `wait_for` returns `Ok` at 600 ms, and the timeout was
//! never filed. On a thread, the timeout fires at 200 ms, while the loop
//! stays free; but a thread cannot be interrupted, so it runs on and
//! finishes at 600 ms, and its result is thrown away, exactly as with
//! `to_thread`. A timeout around a thread bounds your wait, not the work.
//!
//! Real clock only: `--virtual` is refused, because the pool thread's sleep
//! is real, and a virtual clock does not move while a blocking job runs.
//!
//! [`inline`] and [`on_a_thread`] are `pub` because the tour runs them too.

use std::sync::mpsc;
use std::time::{Duration, Instant};
use waitfor::demo::{say, Clock};
use waitfor::{spawn_blocking, wait_for, Elapsed, JoinError};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "the fix: the blocking call on a thread (asyncio.to_thread)";

const WORK: Duration = Duration::from_millis(600);
const TIMEOUT: Duration = Duration::from_millis(200);

/// `time.sleep(0.6)` inside the task.
pub async fn inline() -> Result<&'static str, Elapsed> {
    let blocking = async {
        std::thread::sleep(WORK);
        "done"
    };
    wait_for(blocking, TIMEOUT).await
}

/// The same sleep on a pool thread, which sends `finished` when it wakes.
pub async fn on_a_thread(
    finished: mpsc::Sender<Instant>,
) -> Result<Result<&'static str, JoinError>, Elapsed> {
    let job = spawn_blocking(move || {
        std::thread::sleep(WORK);
        let _ = finished.send(Instant::now());
        "done"
    });
    let result = wait_for(job, TIMEOUT).await;
    if result.is_err() {
        say("wait_for timed out; the thread runs on");
    }
    result
}

fn main() {
    Clock::real_only(ABOUT, "the pool thread's sleep is real");
    let executor = waitfor::Executor::new();
    let start = Instant::now();
    match executor.block_on(inline()) {
        Ok(value) => println!("inline: Ok({value:?}) after {:?}", start.elapsed()),
        Err(elapsed) => println!("inline: Err after {:?}: {elapsed}", start.elapsed()),
    }

    let (finished, thread_done) = mpsc::channel();
    let start = Instant::now();
    match executor.block_on(on_a_thread(finished)) {
        Ok(result) => println!("spawn_blocking: Ok({result:?}) after {:?}", start.elapsed()),
        Err(elapsed) => println!("spawn_blocking: Err after {:?}: {elapsed}", start.elapsed()),
    }
    if let Ok(at) = thread_done.recv() {
        println!(
            "the thread finished {:?} in; its result was dropped",
            at - start
        );
    }
}
