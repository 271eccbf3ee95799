//! Shared helpers for the peer benchmarks in `benches/`: a yield future for
//! the executors that have none of their own, a tiny deterministic random
//! number generator (so every system gets the same deadlines), and the
//! criterion settings every group uses.
//!
//! The crate exists only for its benchmarks: waitfor against tokio,
//! async-executor, async-io and futures' `LocalPool`, measured in the same
//! run so that ratios, not absolute numbers, are what to read; and the timer
//! wheel alone against `BinaryHeap` and `BTreeMap` timer queues
//! (`benches/timer.rs`, `--bench timer`), and, with `bitwheel` too, the
//! percentiles of single inserts and cancels (`benches/churn.rs`,
//! `--bench churn`). Run them with
//! `cargo bench -p waitfor-peer-benches`, then `python3 scripts/bench_report.py`
//! to turn criterion's estimates into `docs/benchmarks.md`.

use criterion::Criterion;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Returns `Pending` once after waking its own task: one trip round the
/// executor's ready queue. For executors without a `yield_now` of their own
/// (async-executor, futures' `LocalPool`); the same few lines as
/// `futures_lite::future::yield_now`.
#[derive(Debug, Default)]
pub struct YieldOnce {
    yielded: bool,
}

/// A [`YieldOnce`].
pub fn yield_once() -> YieldOnce {
    YieldOnce::default()
}

impl Future for YieldOnce {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// xorshift64*: deterministic, dependency-free, good enough for deadlines.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a non-zero seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform-ish in `0..bound` (`bound > 0`).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// A random duration in `0..max_ms` milliseconds.
    pub fn millis(&mut self, max_ms: u64) -> Duration {
        Duration::from_millis(self.below(max_ms))
    }
}

/// The criterion settings every group uses: short, because the peers run
/// side by side on a small shared machine and only ratios are read.
pub fn criterion_config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}

/// Where a bench that is not criterion's leaves its results for
/// `scripts/bench_report.py`: `$CARGO_TARGET_DIR`, or the target directory
/// the running bench was built in (`<target>/release/deps/NAME-…`).
pub fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target"))
}
