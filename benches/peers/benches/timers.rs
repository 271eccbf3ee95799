//! Timers under load: waitfor's wheel and `Sleep` against tokio's `Sleep`
//! and async-io's `Timer`, with many other timers pending, and whole
//! programs of timers that fire.
//!
//! * `register_cancel/<system>/<pending>`, with 1 000, 100 000 and
//!   1 000 000 timers already pending (deadlines 10 to 80 minutes away, so
//!   none fires during the run): one more timer at a random deadline in the
//!   same range is filed and cancelled. Per timer.
//!   - `waitfor-wheel`: the raw `waitfor::timer::Wheel<u64>`, insert + cancel;
//!   - `waitfor`: `waitfor::sleep` polled once inside the executor, dropped;
//!   - `tokio`: `tokio::time::sleep` polled once inside a current-thread
//!     runtime, dropped;
//!   - `async-io`: `async_io::Timer::after` polled once, dropped.
//! * `fire_virtual/<system>/<tasks>`: 1 000, 100 000 or 1 000 000 tasks each
//!   sleep to a random deadline within 10 s and bump a counter; the main
//!   task sleeps past the last deadline. On a virtual clock (waitfor `virtual_clock()`, tokio
//!   `start_paused(true)`), so the figure is pure bookkeeping: spawn, file,
//!   fire, wake, run. Per timer.
//! * `fire_real/<system>/<tasks>`: the same with deadlines within 20 ms on
//!   the real clock (async-io with async-executor added). Wall time per
//!   timer, so it includes the 20 ms the last timer waits: a floor of
//!   20 µs, 200 ns and 20 ns per timer at 1 000, 100 000 and 1 000 000 tasks.
//!
//! Why: a wheel is chosen for cheap insert and cancel whatever the number
//! pending; this checks that the promise survives the executor's plumbing,
//! and compares with what the peers pay. Ratios within one run are the
//! figure to read; the machine is shared and noisy.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench timers`.

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
    Throughput,
};
use std::future::{poll_fn, Future};
use std::hint::black_box;
use std::pin::{pin, Pin};
use std::task::Poll;
use std::time::{Duration, Instant};
use waitfor::timer::Wheel;
use waitfor_peer_benches::Rng;

mod fire;
use fire::{async_io_fire, deadlines, tokio_fire, waitfor_fire};

const PENDING: [u64; 3] = [1_000, 100_000, 1_000_000];
/// Deadlines of the pending timers and of the measured one: 10 to 80 min.
const FAR_MIN_MS: u64 = 10 * 60 * 1000;
const FAR_SPAN_MS: u64 = 70 * 60 * 1000;
const FIRING_TASKS: [u64; 3] = [1_000, 100_000, 1_000_000];

fn far(rng: &mut Rng) -> Duration {
    Duration::from_millis(FAR_MIN_MS + rng.below(FAR_SPAN_MS))
}

/// Creates, polls once and drops `iters` timers made by `make` inside the
/// current task; returns the time taken.
fn register_cancel<'a, S: Future + 'a>(
    iters: u64,
    rng: &'a mut Rng,
    make: impl Fn(Duration) -> S + 'a,
) -> impl Future<Output = Duration> + 'a {
    poll_fn(move |cx| {
        let start = Instant::now();
        for _ in 0..iters {
            let mut timer = pin!(make(far(rng)));
            black_box(timer.as_mut().poll(cx).is_pending());
        }
        Poll::Ready(start.elapsed())
    })
}

/// Polls every timer once, so that each files itself.
fn poll_all<S: Future>(timers: &mut [Pin<Box<S>>]) -> impl Future<Output = ()> + '_ {
    poll_fn(move |cx| {
        for timer in timers.iter_mut() {
            assert!(timer.as_mut().poll(cx).is_pending());
        }
        Poll::Ready(())
    })
}

fn register_cancel_group(c: &mut Criterion) {
    let mut group = c.benchmark_group("register_cancel");
    group.throughput(Throughput::Elements(1));
    for pending in PENDING {
        let mut rng = Rng::new(pending);
        // Each system's pending timers are built on its first call, so that a
        // filtered run (`-- register_cancel/tokio`) builds only its own.

        let mut wheel = None;
        group.bench_with_input(
            BenchmarkId::new("waitfor-wheel", pending),
            &pending,
            |b, _| {
                let wheel = wheel.get_or_insert_with(|| {
                    let mut wheel = Wheel::new();
                    for i in 0..pending {
                        wheel.insert(FAR_MIN_MS + rng.below(FAR_SPAN_MS), i);
                    }
                    wheel
                });
                b.iter(|| {
                    let key = wheel.insert(FAR_MIN_MS + rng.below(FAR_SPAN_MS), 0);
                    black_box(wheel.cancel(key))
                })
            },
        );
        drop(wheel);

        let executor = waitfor::Executor::new();
        let mut sleeps: Option<Vec<Pin<Box<waitfor::Sleep>>>> = None;
        group.bench_with_input(BenchmarkId::new("waitfor", pending), &pending, |b, _| {
            executor.block_on(async {
                if sleeps.is_none() {
                    let mut timers: Vec<_> = (0..pending)
                        .map(|_| Box::pin(waitfor::sleep(far(&mut rng))))
                        .collect();
                    poll_all(&mut timers).await;
                    sleeps = Some(timers);
                }
            });
            b.iter_custom(|iters| {
                executor.block_on(register_cancel(iters, &mut rng, waitfor::sleep))
            })
        });
        executor.block_on(async { drop(sleeps.take()) });
        drop(executor);

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let mut sleeps: Option<Vec<Pin<Box<tokio::time::Sleep>>>> = None;
        group.bench_with_input(BenchmarkId::new("tokio", pending), &pending, |b, _| {
            rt.block_on(async {
                if sleeps.is_none() {
                    let mut timers: Vec<_> = (0..pending)
                        .map(|_| Box::pin(tokio::time::sleep(far(&mut rng))))
                        .collect();
                    poll_all(&mut timers).await;
                    sleeps = Some(timers);
                }
            });
            b.iter_custom(|iters| rt.block_on(register_cancel(iters, &mut rng, tokio::time::sleep)))
        });
        rt.block_on(async { drop(sleeps.take()) });
        drop(rt);

        let mut timers: Option<Vec<Pin<Box<async_io::Timer>>>> = None;
        group.bench_with_input(BenchmarkId::new("async-io", pending), &pending, |b, _| {
            async_io::block_on(async {
                if timers.is_none() {
                    let mut filed: Vec<_> = (0..pending)
                        .map(|_| Box::pin(async_io::Timer::after(far(&mut rng))))
                        .collect();
                    poll_all(&mut filed).await;
                    timers = Some(filed);
                }
            });
            b.iter_custom(|iters| {
                async_io::block_on(register_cancel(iters, &mut rng, async_io::Timer::after))
            })
        });
        drop(timers);
    }
    group.finish();
}

fn heavy_group<'a>(c: &'a mut Criterion, name: &str, tasks: u64) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(tasks));
    if tasks >= 1_000_000 {
        // A round takes seconds: criterion's minimum of samples.
        group.sample_size(10);
    }
    group
}

fn fire_virtual(c: &mut Criterion) {
    for tasks in FIRING_TASKS {
        let mut group = heavy_group(c, "fire_virtual", tasks);
        let (deadlines, after_last) = deadlines(10_000, tasks);

        let executor = waitfor::Executor::builder().virtual_clock().build();
        group.bench_function(BenchmarkId::new("waitfor", tasks), |b| {
            b.iter(|| executor.block_on(waitfor_fire(&deadlines, after_last)))
        });

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .unwrap();
        group.bench_function(BenchmarkId::new("tokio", tasks), |b| {
            b.iter(|| rt.block_on(tokio_fire(&deadlines, after_last)))
        });
        group.finish();
    }
}

fn fire_real(c: &mut Criterion) {
    for tasks in FIRING_TASKS {
        let mut group = heavy_group(c, "fire_real", tasks);
        let (deadlines, after_last) = deadlines(20, tasks);

        let executor = waitfor::Executor::new();
        group.bench_function(BenchmarkId::new("waitfor", tasks), |b| {
            b.iter(|| executor.block_on(waitfor_fire(&deadlines, after_last)))
        });

        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        group.bench_function(BenchmarkId::new("tokio", tasks), |b| {
            b.iter(|| rt.block_on(tokio_fire(&deadlines, after_last)))
        });

        let ex = async_executor::LocalExecutor::new();
        group.bench_function(BenchmarkId::new("async-io", tasks), |b| {
            b.iter(|| async_io::block_on(ex.run(async_io_fire(&ex, &deadlines, after_last))))
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = waitfor_peer_benches::criterion_config();
    targets = register_cancel_group, fire_virtual, fire_real
}
criterion_main!(benches);
