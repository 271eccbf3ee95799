//! The timer wheel against the two classic timer queues, on identical work.
//!
//! An event loop's timers are mostly timeouts that get cancelled, plus a
//! trickle of timers that fire, all while many others wait. So this measures,
//! for `Wheel<u64>`, a `BinaryHeap` queue with lazy deletion and a
//! `BTreeMap<(deadline, seq), value>` queue (see `baseline/mod.rs`), with
//! 1 000, 100 000 and 1 000 000 timers already pending:
//!
//! * `insert_cancel`: insert one timer at a random deadline, then cancel it.
//! * `insert_fire`: insert one timer due at the next tick, advance the clock
//!   one tick, and fire it. The pending timers are far in the future and
//!   never fire (checked after each benchmark).
//!
//! Every benchmark body is written once, against the `TimerQueue` trait, and
//! runs for all three structures. Each setup is built once per (structure,
//! size), on the first call of the benchmark (so a filtered-out benchmark
//! builds nothing), and then mutated in place by the timed loop; both loops
//! leave the pending count unchanged, so every iteration sees the same size.
//!
//! Before the timings, the bench prints the **memory per pending timer** of
//! each structure, measured with a counting global allocator: the live bytes
//! a structure created with no preallocation holds after 1 000 000 inserts.
//!
//! Run with `cargo bench -p waitfor-peer-benches --bench timer`. Criterion's estimates, including the
//! medians, land in `target/criterion/<group>/<structure>/<pending>/new/`.

mod baseline;

use baseline::{BTreeQueue, HeapQueue, TimerQueue};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::Duration;
use waitfor::timer::Wheel;
use waitfor_peer_benches::Rng;

/// How many timers are pending while one more is inserted and removed.
const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

/// Random deadlines are uniform in `[1, NEAR)` ticks: about 17 minutes at
/// 1 ms a tick, which spreads them over levels 0 to 3 of the wheel.
const NEAR: u64 = 1 << 20;

/// The pending timers of `insert_fire` are due in `[FAR, FAR + NEAR)`.
/// The clock advances one tick per iteration, so it would take 2^34
/// iterations (over a minute even at 4 ns each) to reach them. `FAR` is
/// still inside the wheel's 2^36-tick range, so the wheel files them in a
/// real level-5 slot, not in its overflow list.
const FAR: u64 = 1 << 34;

/// Pre-generated random deadlines for the timed loop, so the random number
/// generator is not what gets measured.
const RING: usize = 4096;

/// Every structure and every run sees the same random numbers.
const SEED: u64 = 0x5EED_7133;

// ---------------------------------------------------------------------------
// Running one job for every structure, without writing it three times.

/// A job generic over the structure it runs on.
trait ForEachStructure {
    fn run<Q: TimerQueue>(&mut self);
}

/// Runs `job` for the wheel, then the heap, then the B-tree.
fn for_each_structure(job: &mut impl ForEachStructure) {
    job.run::<Wheel<u64>>();
    job.run::<HeapQueue>();
    job.run::<BTreeQueue>();
}

/// A structure holding `pending` timers, with deadlines drawn by `deadline`
/// from the shared seed (so all three structures hold the same deadlines).
fn filled<Q: TimerQueue>(pending: usize, deadline: impl Fn(&mut Rng) -> u64) -> Q {
    let mut rng = Rng::new(SEED);
    let mut queue = Q::new();
    for value in 0..pending as u64 {
        queue.insert(deadline(&mut rng), value);
    }
    queue
}

// ---------------------------------------------------------------------------
// The benchmarks.

/// One insert at a random deadline and one cancel of that timer.
struct InsertCancel<'a, 'c> {
    group: &'a mut BenchmarkGroup<'c, WallTime>,
    pending: usize,
    ring: &'a [u64],
}

impl ForEachStructure for InsertCancel<'_, '_> {
    fn run<Q: TimerQueue>(&mut self) {
        let (pending, ring) = (self.pending, self.ring);
        let mut queue: Option<Q> = None;
        let mut i = 0usize;
        self.group
            .bench_function(BenchmarkId::new(Q::NAME, pending), |b| {
                let queue =
                    queue.get_or_insert_with(|| filled(pending, |rng| 1 + rng.below(NEAR - 1)));
                b.iter(|| {
                    let deadline = ring[i % RING];
                    i += 1;
                    let key = queue.insert(black_box(deadline), i as u64);
                    // As if the key had been stored and fetched back later.
                    black_box(queue.cancel(black_box(key)));
                    // The routine returns `()` on purpose: criterion's own
                    // `black_box` on a returned `Option<u64>` is a 16-byte
                    // volatile read of two 8-byte stores, a store-forwarding
                    // stall measured at 1-2 ns per iteration, charged to
                    // every structure alike.
                })
            });
        if let Some(queue) = queue {
            assert_eq!(queue.len(), pending);
        }
    }
}

/// One insert due at the next tick, one tick of `advance`, one fire.
struct InsertFire<'a, 'c> {
    group: &'a mut BenchmarkGroup<'c, WallTime>,
    pending: usize,
}

impl ForEachStructure for InsertFire<'_, '_> {
    fn run<Q: TimerQueue>(&mut self) {
        let pending = self.pending;
        let mut queue: Option<Q> = None;
        let (mut now, mut inserted, mut fired) = (0u64, 0u64, 0u64);
        self.group
            .bench_function(BenchmarkId::new(Q::NAME, pending), |b| {
                let queue =
                    queue.get_or_insert_with(|| filled(pending, |rng| FAR + rng.below(NEAR)));
                b.iter(|| {
                    black_box(queue.insert(black_box(now + 1), u64::MAX));
                    inserted += 1;
                    now += 1;
                    queue.advance(black_box(now), |deadline, value| {
                        fired += 1;
                        black_box((deadline, value));
                    });
                })
            });
        assert!(now < FAR, "the clock reached the pending timers");
        assert_eq!(fired, inserted, "every inserted timer fired, and no other");
        if let Some(queue) = queue {
            assert_eq!(queue.len(), pending);
        }
    }
}

fn insert_cancel(criterion: &mut Criterion) {
    let mut rng = Rng::new(SEED ^ 1);
    let ring: Vec<u64> = (0..RING).map(|_| 1 + rng.below(NEAR - 1)).collect();
    let mut group = criterion.benchmark_group("insert_cancel");
    group.throughput(Throughput::Elements(1));
    for pending in SIZES {
        for_each_structure(&mut InsertCancel {
            group: &mut group,
            pending,
            ring: &ring,
        });
    }
    group.finish();
}

fn insert_fire(criterion: &mut Criterion) {
    let mut group = criterion.benchmark_group("insert_fire");
    group.throughput(Throughput::Elements(1));
    for pending in SIZES {
        for_each_structure(&mut InsertFire {
            group: &mut group,
            pending,
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------
// Memory per pending timer.

/// Counts the net bytes allocated while [`COUNTING`] is on.
///
/// It forwards everything to the system allocator. While counting is off
/// (all of the timed benchmarks) its only extra work per allocation is one
/// relaxed atomic load and a predictable branch. That matters only to the
/// structures that allocate in steady state (B-tree node splits and merges;
/// the wheel and the heap reuse their slots), and it is a few cycles against
/// the allocation it accompanies. It counts the bytes *requested*, not
/// malloc's per-block headers, so many-small-block structures (the B-tree's
/// nodes) are, if anything, flattered.
struct CountingAllocator;

static COUNTING: AtomicBool = AtomicBool::new(false);
static NET_BYTES: AtomicIsize = AtomicIsize::new(0);

fn note(delta: isize) {
    if COUNTING.load(Ordering::Relaxed) {
        NET_BYTES.fetch_add(delta, Ordering::Relaxed);
    }
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            note(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            note(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        note(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            note(new_size as isize - layout.size() as isize);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Live bytes held by a `Q` (created empty, no preallocation) after `n`
/// inserts at random deadlines: everything it allocated, growth slack of its
/// `Vec`s included. Nothing allocated before the window is freed inside it,
/// so the net count is exactly the structure's.
fn live_bytes<Q: TimerQueue>(n: usize) -> isize {
    let mut rng = Rng::new(SEED);
    NET_BYTES.store(0, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let mut queue = Q::new();
    for value in 0..n as u64 {
        queue.insert(1 + rng.below(NEAR - 1), value);
    }
    let bytes = NET_BYTES.load(Ordering::SeqCst);
    COUNTING.store(false, Ordering::SeqCst);
    drop(black_box(queue));
    bytes
}

struct Memory;

impl ForEachStructure for Memory {
    fn run<Q: TimerQueue>(&mut self) {
        // 1 000 000 is the headline size; at 2^20 a doubling `Vec` is exactly
        // full, which separates the cost of a timer from growth headroom
        // (just past a power of two, that headroom doubles a `Vec`'s bytes).
        let at_million = live_bytes::<Q>(1_000_000) as f64 / 1e6;
        let at_pow2 = live_bytes::<Q>(1 << 20) as f64 / (1u64 << 20) as f64;
        println!(
            "memory  {:<12} {:>6.2} bytes/timer at 1 000 000 pending, {:>6.2} at 2^20",
            Q::NAME,
            at_million,
            at_pow2
        );
    }
}

// ---------------------------------------------------------------------------
// A quick check that the three structures really do the same work.

struct SameSemantics;

impl ForEachStructure for SameSemantics {
    fn run<Q: TimerQueue>(&mut self) {
        let mut queue = Q::new();
        let keys: Vec<_> = (0..100u64)
            .map(|i| queue.insert(1000 - i % 10, i))
            .collect();
        // Cancel 80 of them: enough to make the heap compact its tombstones.
        for (i, &key) in keys.iter().enumerate() {
            if i % 5 != 0 {
                assert_eq!(queue.cancel(key), Some(i as u64), "{}", Q::NAME);
                assert_eq!(queue.cancel(key), None, "{}: cancelled twice", Q::NAME);
            }
        }
        // The place freed last is reused first: its old key must stay dead.
        queue.insert(1000, 100);
        assert_eq!(queue.cancel(keys[99]), None, "{}: stale key", Q::NAME);
        let mut fired = Vec::new();
        queue.advance(994, |deadline, value| fired.push((deadline, value)));
        assert!(fired.is_empty(), "{}: fired early", Q::NAME);
        queue.advance(1000, |deadline, value| fired.push((deadline, value)));
        let mut expected: Vec<(u64, u64)> = (0..100)
            .filter(|i| i % 5 == 0)
            .map(|i| (1000 - i % 10, i))
            .chain([(1000, 100)])
            .collect();
        expected.sort_by_key(|&(deadline, _)| deadline); // stable: FIFO ties
        assert_eq!(fired, expected, "{}", Q::NAME);
        assert_eq!(queue.len(), 0);
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    // Not when only listing the benchmarks or profiling one of them.
    if !std::env::args().any(|arg| arg == "--list" || arg == "--profile-time") {
        for_each_structure(&mut SameSemantics);
        for_each_structure(&mut Memory);
    }
    insert_cancel(&mut criterion);
    insert_fire(&mut criterion);
    criterion.final_summary();
}
