//! Executor micro-benchmarks: waitfor against tokio's current-thread runtime
//! (with and without a `LocalSet`), async-executor's `LocalExecutor` and
//! futures' `LocalPool`, on the operations every async program pays for.
//!
//! * `spawn_run`: spawn 100 000 trivial tasks from the main task and run them
//!   all (each bumps a thread-local counter; the main task yields until the
//!   counter says all ran). Reported per task. `spawn_run_1k` does the same
//!   with 1 000 tasks: 100 000 tasks alive at once no longer fit in the CPU
//!   caches, so the first measures memory footprint as much as code, and the
//!   second the code.
//! * `yield_now`: one task awaits `yield_now` 1 000 000 times: one trip round
//!   the ready queue each. Reported per yield. tokio uses
//!   `tokio::task::yield_now`; async-executor and `LocalPool` use
//!   [`YieldOnce`](waitfor_peer_benches::YieldOnce), the usual hand-written
//!   yield.
//! * `sleep_register_cancel`: inside a running executor, create a 1 s sleep,
//!   poll it once with the task's own context (so it files its timer), and
//!   drop it (so it cancels). End to end, per operation: reading the clock,
//!   the wheel insert, the cancel. waitfor's `sleep` (also on a virtual
//!   clock, which costs no clock read), tokio's `sleep`, async-io's
//!   `Timer::after`.
//! * `timeout_ready`: `wait_for` / `tokio::time::timeout` around a future
//!   that is ready at once, against the bare future: the overhead a timeout
//!   adds on the fast path, where the timer is never even filed.
//! * `clock_read`: one `Instant::now()`, the floor under every `sleep` and
//!   `wait_for` on a real clock (each fixes its deadline when created).
//!
//! Why: the issues set targets (spawn+run ≤ 100 ns per task, yield ≤ 35 ns,
//! sleep register+cancel ≤ 25 ns, `wait_for` overhead ≤ 10 ns) and ratios
//! against tokio; absolute numbers on a shared machine are noisy, so every
//! system runs in the same process, one after the other, and the report
//! (`scripts/bench_report.py`) quotes ratios to waitfor.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench executor`.

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use futures::task::LocalSpawnExt;
use std::cell::Cell;
use std::future::{poll_fn, ready, Future};
use std::hint::black_box;
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant};
use waitfor_peer_benches::yield_once;

const TASKS: u64 = 100_000;
/// Few enough that every task alive at once stays in the CPU caches.
const CACHED_TASKS: u64 = 1_000;
const YIELDS: u64 = 1_000_000;

thread_local! {
    static DONE: Cell<u64> = const { Cell::new(0) };
}

fn done() -> u64 {
    DONE.with(Cell::get)
}

/// The trivial task: bump the counter. Zero-sized and `Send`, so every
/// executor can take it as it is.
async fn trivial() {
    DONE.with(|d| d.set(d.get() + 1));
}

fn tokio_rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

fn heavy_group<'a>(c: &'a mut Criterion, name: &str, n: u64) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(n));
    group
}

fn spawn_run(c: &mut Criterion) {
    spawn_and_run(c, "spawn_run", TASKS);
    spawn_and_run(c, "spawn_run_1k", CACHED_TASKS);
}

/// Spawns `tasks` trivial tasks from the main task, then runs them all.
fn spawn_and_run(c: &mut Criterion, name: &str, tasks: u64) {
    let mut group = heavy_group(c, name, tasks);

    let executor = waitfor::Executor::new();
    group.bench_function("waitfor", |b| {
        b.iter(|| {
            executor.block_on(async {
                DONE.with(|d| d.set(0));
                for _ in 0..tasks {
                    drop(waitfor::spawn(trivial()));
                }
                while done() < tasks {
                    waitfor::yield_now().await;
                }
            })
        })
    });

    let rt = tokio_rt();
    group.bench_function("tokio", |b| {
        b.iter(|| {
            rt.block_on(async {
                DONE.with(|d| d.set(0));
                for _ in 0..tasks {
                    drop(tokio::spawn(trivial()));
                }
                while done() < tasks {
                    tokio::task::yield_now().await;
                }
            })
        })
    });

    group.bench_function("tokio-localset", |b| {
        b.iter(|| {
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt, async {
                DONE.with(|d| d.set(0));
                for _ in 0..tasks {
                    drop(tokio::task::spawn_local(trivial()));
                }
                while done() < tasks {
                    tokio::task::yield_now().await;
                }
            })
        })
    });

    let ex = async_executor::LocalExecutor::new();
    group.bench_function("async-executor", |b| {
        b.iter(|| {
            futures::executor::block_on(ex.run(async {
                DONE.with(|d| d.set(0));
                for _ in 0..tasks {
                    ex.spawn(trivial()).detach();
                }
                while done() < tasks {
                    yield_once().await;
                }
            }))
        })
    });

    let mut pool = futures::executor::LocalPool::new();
    let spawner = pool.spawner();
    group.bench_function("futures-localpool", |b| {
        b.iter(|| {
            pool.run_until(async {
                DONE.with(|d| d.set(0));
                for _ in 0..tasks {
                    spawner.spawn_local(trivial()).unwrap();
                }
                while done() < tasks {
                    yield_once().await;
                }
            })
        })
    });
    group.finish();
}

fn yield_now(c: &mut Criterion) {
    let mut group = heavy_group(c, "yield_now", YIELDS);

    let executor = waitfor::Executor::new();
    group.bench_function("waitfor", |b| {
        b.iter(|| {
            executor.block_on(async {
                for _ in 0..YIELDS {
                    waitfor::yield_now().await;
                }
            })
        })
    });

    let rt = tokio_rt();
    group.bench_function("tokio", |b| {
        b.iter(|| {
            rt.block_on(async {
                for _ in 0..YIELDS {
                    tokio::task::yield_now().await;
                }
            })
        })
    });

    group.bench_function("tokio-localset", |b| {
        b.iter(|| {
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt, async {
                // A spawned local task, so the yields go round the LocalSet's queue.
                tokio::task::spawn_local(async {
                    for _ in 0..YIELDS {
                        tokio::task::yield_now().await;
                    }
                })
                .await
                .unwrap()
            })
        })
    });

    let ex = async_executor::LocalExecutor::new();
    group.bench_function("async-executor", |b| {
        b.iter(|| {
            futures::executor::block_on(ex.run(ex.spawn(async {
                for _ in 0..YIELDS {
                    yield_once().await;
                }
            })))
        })
    });

    let mut pool = futures::executor::LocalPool::new();
    group.bench_function("futures-localpool", |b| {
        b.iter(|| {
            pool.run_until(async {
                for _ in 0..YIELDS {
                    yield_once().await;
                }
            })
        })
    });
    group.finish();
}

/// Creates, polls once and drops `iters` futures made by `make`, inside the
/// caller's task, and returns how long that took.
fn register_cancel<S: Future>(iters: u64, make: impl Fn() -> S) -> impl Future<Output = Duration> {
    poll_fn(move |cx| {
        let start = Instant::now();
        for _ in 0..iters {
            let mut sleep = pin!(make());
            black_box(sleep.as_mut().poll(cx).is_pending());
        }
        Poll::Ready(start.elapsed())
    })
}

fn sleep_register_cancel(c: &mut Criterion) {
    let mut group = c.benchmark_group("sleep_register_cancel");
    group.throughput(Throughput::Elements(1));
    let second = Duration::from_secs(1);

    let executor = waitfor::Executor::new();
    group.bench_function("waitfor", |b| {
        b.iter_custom(|iters| {
            executor.block_on(register_cancel(iters, || waitfor::sleep(black_box(second))))
        })
    });

    let virtual_executor = waitfor::Executor::builder().virtual_clock().build();
    group.bench_function("waitfor-virtual-clock", |b| {
        b.iter_custom(|iters| {
            virtual_executor.block_on(register_cancel(iters, || waitfor::sleep(black_box(second))))
        })
    });

    let rt = tokio_rt();
    group.bench_function("tokio", |b| {
        b.iter_custom(|iters| {
            rt.block_on(register_cancel(iters, || {
                tokio::time::sleep(black_box(second))
            }))
        })
    });

    group.bench_function("async-io", |b| {
        b.iter_custom(|iters| {
            async_io::block_on(register_cancel(iters, || {
                async_io::Timer::after(black_box(second))
            }))
        })
    });
    group.finish();
}

/// Awaits `iters` futures made by `make` in a loop; returns the time taken.
async fn await_many<F: Future>(iters: u64, make: impl Fn() -> F) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(make().await);
    }
    start.elapsed()
}

fn timeout_ready(c: &mut Criterion) {
    let mut group = c.benchmark_group("timeout_ready");
    group.throughput(Throughput::Elements(1));
    let second = Duration::from_secs(1);

    let executor = waitfor::Executor::new();
    group.bench_function("waitfor-bare", |b| {
        b.iter_custom(|iters| executor.block_on(await_many(iters, || ready(black_box(1u64)))))
    });
    group.bench_function("waitfor", |b| {
        b.iter_custom(|iters| {
            executor.block_on(await_many(iters, || {
                waitfor::wait_for(ready(black_box(1u64)), black_box(second))
            }))
        })
    });
    let virtual_executor = waitfor::Executor::builder().virtual_clock().build();
    group.bench_function("waitfor-virtual-clock", |b| {
        b.iter_custom(|iters| {
            virtual_executor.block_on(await_many(iters, || {
                waitfor::wait_for(ready(black_box(1u64)), black_box(second))
            }))
        })
    });

    let rt = tokio_rt();
    group.bench_function("tokio-bare", |b| {
        b.iter_custom(|iters| rt.block_on(await_many(iters, || ready(black_box(1u64)))))
    });
    group.bench_function("tokio", |b| {
        b.iter_custom(|iters| {
            rt.block_on(await_many(iters, || {
                tokio::time::timeout(black_box(second), ready(black_box(1u64)))
            }))
        })
    });
    group.finish();
}

fn clock_read(c: &mut Criterion) {
    let mut group = c.benchmark_group("clock_read");
    group.throughput(Throughput::Elements(1));
    group.bench_function("instant-now", |b| b.iter(Instant::now));
    group.finish();
}

criterion_group! {
    name = benches;
    config = waitfor_peer_benches::criterion_config();
    targets = spawn_run, yield_now, sleep_register_cancel, timeout_ready, clock_read
}
criterion_main!(benches);
