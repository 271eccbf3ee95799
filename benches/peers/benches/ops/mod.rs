//! The executor benchmarks' workloads, one function per group and system,
//! shared by the criterion benchmark (`benches/executor.rs`) and the
//! instruction-count probe (`examples/op_probe.rs`), so that both measure
//! exactly the same code.
//!
//! Each function runs its workload `n` times on a runtime the caller made
//! (criterion reuses one across iterations, and so does the probe). What each
//! workload is, and why, is in `benches/executor.rs`.

// Each includer uses only some of these.
#![allow(dead_code)]

use futures::task::LocalSpawnExt;
use std::cell::Cell;
use std::future::{poll_fn, ready, Future};
use std::hint::black_box;
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};
use waitfor_peer_benches::yield_once;

thread_local! {
    static DONE: Cell<u64> = const { Cell::new(0) };
}

fn done() -> u64 {
    DONE.with(Cell::get)
}

fn reset_done() {
    DONE.with(|d| d.set(0));
}

/// The trivial task: bump the counter. Zero-sized and `Send`, so every
/// executor can take it as it is.
async fn trivial() {
    DONE.with(|d| d.set(d.get() + 1));
}

/// tokio's current-thread runtime, with its timers.
pub fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

/// `spawn_run`: spawns `tasks` trivial tasks from the main task, then runs
/// them all (the main task yields until every one has run).
pub fn spawn_run_waitfor(executor: &waitfor::Executor, tasks: u64) {
    executor.block_on(async {
        reset_done();
        for _ in 0..tasks {
            drop(waitfor::spawn(trivial()));
        }
        while done() < tasks {
            waitfor::yield_now().await;
        }
    })
}

/// `spawn_run` on tokio.
pub fn spawn_run_tokio(rt: &tokio::runtime::Runtime, tasks: u64) {
    rt.block_on(async {
        reset_done();
        for _ in 0..tasks {
            drop(tokio::spawn(trivial()));
        }
        while done() < tasks {
            tokio::task::yield_now().await;
        }
    })
}

/// `spawn_run` on tokio with a `LocalSet`.
pub fn spawn_run_tokio_localset(rt: &tokio::runtime::Runtime, tasks: u64) {
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, async {
        reset_done();
        for _ in 0..tasks {
            drop(tokio::task::spawn_local(trivial()));
        }
        while done() < tasks {
            tokio::task::yield_now().await;
        }
    })
}

/// `spawn_run` on async-executor's `LocalExecutor`.
pub fn spawn_run_async_executor(ex: &async_executor::LocalExecutor<'_>, tasks: u64) {
    futures::executor::block_on(ex.run(async {
        reset_done();
        for _ in 0..tasks {
            ex.spawn(trivial()).detach();
        }
        while done() < tasks {
            yield_once().await;
        }
    }))
}

/// `spawn_run` on futures' `LocalPool`.
pub fn spawn_run_localpool(pool: &mut futures::executor::LocalPool, tasks: u64) {
    let spawner = pool.spawner();
    pool.run_until(async {
        reset_done();
        for _ in 0..tasks {
            spawner.spawn_local(trivial()).unwrap();
        }
        while done() < tasks {
            yield_once().await;
        }
    })
}

/// `yield_now`: one task awaits `yield_now` `yields` times.
pub fn yield_now_waitfor(executor: &waitfor::Executor, yields: u64) {
    executor.block_on(async {
        for _ in 0..yields {
            waitfor::yield_now().await;
        }
    })
}

/// `yield_now` on tokio.
pub fn yield_now_tokio(rt: &tokio::runtime::Runtime, yields: u64) {
    rt.block_on(async {
        for _ in 0..yields {
            tokio::task::yield_now().await;
        }
    })
}

/// `yield_now` on tokio with a `LocalSet`: a spawned local task, so the
/// yields go round the `LocalSet`'s queue.
pub fn yield_now_tokio_localset(rt: &tokio::runtime::Runtime, yields: u64) {
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, async {
        tokio::task::spawn_local(async move {
            for _ in 0..yields {
                tokio::task::yield_now().await;
            }
        })
        .await
        .unwrap()
    })
}

/// `yield_now` on async-executor's `LocalExecutor`.
pub fn yield_now_async_executor(ex: &async_executor::LocalExecutor<'_>, yields: u64) {
    futures::executor::block_on(ex.run(ex.spawn(async move {
        for _ in 0..yields {
            yield_once().await;
        }
    })))
}

/// `yield_now` on futures' `LocalPool`.
pub fn yield_now_localpool(pool: &mut futures::executor::LocalPool, yields: u64) {
    pool.run_until(async {
        for _ in 0..yields {
            yield_once().await;
        }
    })
}

/// `sleep_register_cancel`: creates, polls once (with the task's own
/// context, so it files its timer) and drops `iters` futures made by
/// `make`, inside the caller's task; returns how long that took.
pub fn register_cancel<S: Future>(
    iters: u64,
    make: impl Fn() -> S,
) -> impl Future<Output = Duration> {
    poll_fn(move |cx| {
        let start = Instant::now();
        for _ in 0..iters {
            let mut sleep = pin!(make());
            black_box(sleep.as_mut().poll(cx).is_pending());
        }
        Poll::Ready(start.elapsed())
    })
}

/// `sleep_register_cancel` on waitfor (its clock, real or virtual, is the
/// executor's).
pub fn register_cancel_waitfor(executor: &waitfor::Executor, iters: u64) -> Duration {
    executor.block_on(register_cancel(iters, || waitfor::sleep(black_box(SECOND))))
}

/// `sleep_register_cancel` on tokio.
pub fn register_cancel_tokio(rt: &tokio::runtime::Runtime, iters: u64) -> Duration {
    rt.block_on(register_cancel(iters, || {
        tokio::time::sleep(black_box(SECOND))
    }))
}

/// `sleep_register_cancel` on async-io.
pub fn register_cancel_async_io(iters: u64) -> Duration {
    async_io::block_on(register_cancel(iters, || {
        async_io::Timer::after(black_box(SECOND))
    }))
}

/// The timeout and sleep length of `sleep_register_cancel` and `timeout_ready`.
pub const SECOND: Duration = Duration::from_secs(1);

/// Awaits `iters` futures made by `make` in a loop; returns the time taken.
pub async fn await_many<F: Future>(iters: u64, make: impl Fn() -> F) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(make().await);
    }
    start.elapsed()
}

/// `timeout_ready`'s baseline on waitfor: the bare ready future.
pub fn ready_bare_waitfor(executor: &waitfor::Executor, iters: u64) -> Duration {
    executor.block_on(await_many(iters, || ready(black_box(1u64))))
}

/// `timeout_ready` on waitfor: `wait_for` around a future ready at once.
pub fn timeout_ready_waitfor(executor: &waitfor::Executor, iters: u64) -> Duration {
    executor.block_on(await_many(iters, || {
        waitfor::wait_for(ready(black_box(1u64)), black_box(SECOND))
    }))
}

/// `timeout_ready`'s baseline on tokio.
pub fn ready_bare_tokio(rt: &tokio::runtime::Runtime, iters: u64) -> Duration {
    rt.block_on(await_many(iters, || ready(black_box(1u64))))
}

/// `timeout_ready` on tokio: `tokio::time::timeout` around a ready future.
pub fn timeout_ready_tokio(rt: &tokio::runtime::Runtime, iters: u64) -> Duration {
    rt.block_on(await_many(iters, || {
        tokio::time::timeout(black_box(SECOND), ready(black_box(1u64)))
    }))
}
