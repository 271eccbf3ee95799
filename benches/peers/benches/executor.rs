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
//! The workloads themselves are in `benches/ops/mod.rs`, shared with the
//! instruction-count probe (`examples/op_probe.rs`).
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench executor`.

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, Criterion, SamplingMode, Throughput,
};
use std::time::Instant;

mod ops;

const TASKS: u64 = 100_000;
/// Few enough that every task alive at once stays in the CPU caches.
const CACHED_TASKS: u64 = 1_000;
const YIELDS: u64 = 1_000_000;

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
        b.iter(|| ops::spawn_run_waitfor(&executor, tasks))
    });
    let rt = ops::tokio_rt();
    group.bench_function("tokio", |b| b.iter(|| ops::spawn_run_tokio(&rt, tasks)));
    group.bench_function("tokio-localset", |b| {
        b.iter(|| ops::spawn_run_tokio_localset(&rt, tasks))
    });
    let ex = async_executor::LocalExecutor::new();
    group.bench_function("async-executor", |b| {
        b.iter(|| ops::spawn_run_async_executor(&ex, tasks))
    });
    let mut pool = futures::executor::LocalPool::new();
    group.bench_function("futures-localpool", |b| {
        b.iter(|| ops::spawn_run_localpool(&mut pool, tasks))
    });
    group.finish();
}

fn yield_now(c: &mut Criterion) {
    let mut group = heavy_group(c, "yield_now", YIELDS);
    let executor = waitfor::Executor::new();
    group.bench_function("waitfor", |b| {
        b.iter(|| ops::yield_now_waitfor(&executor, YIELDS))
    });
    let rt = ops::tokio_rt();
    group.bench_function("tokio", |b| b.iter(|| ops::yield_now_tokio(&rt, YIELDS)));
    group.bench_function("tokio-localset", |b| {
        b.iter(|| ops::yield_now_tokio_localset(&rt, YIELDS))
    });
    let ex = async_executor::LocalExecutor::new();
    group.bench_function("async-executor", |b| {
        b.iter(|| ops::yield_now_async_executor(&ex, YIELDS))
    });
    let mut pool = futures::executor::LocalPool::new();
    group.bench_function("futures-localpool", |b| {
        b.iter(|| ops::yield_now_localpool(&mut pool, YIELDS))
    });
    group.finish();
}

fn sleep_register_cancel(c: &mut Criterion) {
    let mut group = c.benchmark_group("sleep_register_cancel");
    group.throughput(Throughput::Elements(1));
    let executor = waitfor::Executor::new();
    group.bench_function("waitfor", |b| {
        b.iter_custom(|iters| ops::register_cancel_waitfor(&executor, iters))
    });
    let virtual_executor = waitfor::Executor::builder().virtual_clock().build();
    group.bench_function("waitfor-virtual-clock", |b| {
        b.iter_custom(|iters| ops::register_cancel_waitfor(&virtual_executor, iters))
    });
    let rt = ops::tokio_rt();
    group.bench_function("tokio", |b| {
        b.iter_custom(|iters| ops::register_cancel_tokio(&rt, iters))
    });
    group.bench_function("async-io", |b| b.iter_custom(ops::register_cancel_async_io));
    group.finish();
}

fn timeout_ready(c: &mut Criterion) {
    let mut group = c.benchmark_group("timeout_ready");
    group.throughput(Throughput::Elements(1));
    let executor = waitfor::Executor::new();
    group.bench_function("waitfor-bare", |b| {
        b.iter_custom(|iters| ops::ready_bare_waitfor(&executor, iters))
    });
    group.bench_function("waitfor", |b| {
        b.iter_custom(|iters| ops::timeout_ready_waitfor(&executor, iters))
    });
    let virtual_executor = waitfor::Executor::builder().virtual_clock().build();
    group.bench_function("waitfor-virtual-clock", |b| {
        b.iter_custom(|iters| ops::timeout_ready_waitfor(&virtual_executor, iters))
    });
    let rt = ops::tokio_rt();
    group.bench_function("tokio-bare", |b| {
        b.iter_custom(|iters| ops::ready_bare_tokio(&rt, iters))
    });
    group.bench_function("tokio", |b| {
        b.iter_custom(|iters| ops::timeout_ready_tokio(&rt, iters))
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
