//! One structure under churn, timed: what the churn needs of a structure
//! (`Churn`, for the `TimerQueue`s of `baseline/mod.rs` and for bitwheel),
//! and the loop that cancels and inserts, one operation or one batch per
//! timed region, into HDR histograms.
//!
//! # Timing one operation of a few nanoseconds
//!
//! `Instant::now()` costs about as much as the operations timed (here a
//! vDSO `clock_gettime` on the TSC), and on this host it moves in steps of
//! 10 ns (so does `rdtsc` itself: about 24.5 cycles a step at 2.445 GHz). So
//! the table has two kinds of column, measured alike for every structure:
//!
//! * **Single operations**, as bitwheel's published figures are measured
//!   (its `comparisons.rs`: `Instant::now()` before, `elapsed()` after,
//!   100 000 warm-up steps, 1 000 000 recorded): each sample is the
//!   operation *plus* one clock read, to the clock's 10 ns. The same timed
//!   region with nothing in it is measured in the same run and shown as its
//!   own line, `clock`; the `p50 − clock` column subtracts its p50 from each
//!   p50. The tail columns are left raw: percentiles do not subtract.
//! * **Batches** of `BATCH` (32) cancels, then 32 inserts, each batch one
//!   timed region, divided by 32: the clock's cost and step shrink to a
//!   thirty-second (the `clock` line shows what is left), so the batched p50
//!   is the typical cost of one operation to a fraction of a nanosecond. Its
//!   tail is a tail of 32-operation means: one slow operation in a batch is
//!   diluted, and a preemption, which hits a longer region more often, is
//!   not. Read the single columns for the tail, the batched p50 for the
//!   cost.
//!
//! The operations are called on a `black_box`ed `&mut` of the structure, so
//! their stores cannot move past the closing clock read.

use crate::baseline::TimerQueue;
use bitwheel::timer::{BitWheel, Timer, TimerHandle};
use hdrhistogram::Histogram;
use std::hint::black_box;
use std::time::{Duration, Instant};
use waitfor_peer_benches::Rng;

/// Deadlines are uniform in `[1, RANGE)` ticks ahead of the clock (tick 0).
const RANGE: u64 = 4096;

/// Operations per timed region in the batched columns.
pub const BATCH: usize = 32;

/// Every structure sees the same deadlines and victims.
const SEED: u64 = 0x5EED_C4A2;

/// bitwheel's `MAX_PROBES`: its presets' balanced value.
const BITWHEEL_PROBES: usize = 8;

/// What the churn needs of a structure. Unlike `TimerQueue`, keys need not
/// be `Copy` (bitwheel's handle is not), and each structure takes its
/// deadline in its own type.
pub trait Churn {
    type Key;
    type Deadline: Copy;
    const NAME: &'static str;

    fn empty() -> Self;
    /// The deadline `ticks` after tick 0, in this structure's terms.
    fn deadline(&self, ticks: u64) -> Self::Deadline;
    fn insert(&mut self, deadline: Self::Deadline, value: u64) -> Self::Key;
    fn cancel(&mut self, key: Self::Key) -> Option<u64>;
    fn len(&self) -> usize;
    /// Fires every pending timer; how many fired.
    fn fire_all(&mut self) -> usize;
}

impl<Q: TimerQueue> Churn for Q {
    type Key = Q::Key;
    type Deadline = u64;
    const NAME: &'static str = Q::NAME;

    fn empty() -> Self {
        Q::new()
    }
    fn deadline(&self, ticks: u64) -> u64 {
        ticks
    }
    fn insert(&mut self, deadline: u64, value: u64) -> Q::Key {
        TimerQueue::insert(self, deadline, value)
    }
    fn cancel(&mut self, key: Q::Key) -> Option<u64> {
        TimerQueue::cancel(self, key)
    }
    fn len(&self) -> usize {
        TimerQueue::len(self)
    }
    fn fire_all(&mut self) -> usize {
        let mut fired = 0;
        self.advance(u64::MAX, |_, _| fired += 1);
        fired
    }
}

/// bitwheel with 2 gears at 1 ms and `SLOT_CAP` timers per slot; its clock
/// starts at `epoch` and is polled only by `fire_all`.
pub struct BitWheelQueue<const SLOT_CAP: usize> {
    wheel: Box<BitWheel<Payload, 2, 1, SLOT_CAP, BITWHEEL_PROBES>>,
    epoch: Instant,
}

/// bitwheel's timers are values that know how to fire: this one counts.
struct Payload(u64);

impl Timer for Payload {
    type Context = usize;

    fn fire(&mut self, fired: &mut usize) {
        *fired += 1;
    }
}

impl<const SLOT_CAP: usize> Churn for BitWheelQueue<SLOT_CAP> {
    type Key = TimerHandle;
    type Deadline = Instant;
    const NAME: &'static str = "bitwheel";

    fn empty() -> Self {
        let epoch = Instant::now();
        BitWheelQueue {
            wheel: BitWheel::boxed_with_epoch(epoch),
            epoch,
        }
    }
    fn deadline(&self, ticks: u64) -> Instant {
        self.epoch + Duration::from_millis(ticks)
    }
    fn insert(&mut self, deadline: Instant, value: u64) -> TimerHandle {
        match self.wheel.insert(deadline, Payload(value)) {
            Ok(handle) => handle,
            Err(_) => panic!(
                "bitwheel refused a timer: SLOT_CAP {SLOT_CAP} with {BITWHEEL_PROBES} probes \
                 is too small for this size"
            ),
        }
    }
    fn cancel(&mut self, key: TimerHandle) -> Option<u64> {
        self.wheel.cancel(key).map(|Payload(value)| value)
    }
    fn len(&self) -> usize {
        self.wheel.len()
    }
    fn fire_all(&mut self) -> usize {
        let mut fired = 0;
        self.wheel.poll(self.deadline(RANGE), &mut fired);
        fired
    }
}

/// A latency distribution, in nanoseconds per timed region.
pub fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000_000, 3).expect("valid bounds")
}

fn nanos(elapsed: Duration) -> u64 {
    u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
}

/// The inserts' and the cancels' timed regions, for one batch size.
struct Latencies {
    batch: usize,
    inserts: Histogram<u64>,
    cancels: Histogram<u64>,
}

impl Latencies {
    fn new(batch: usize) -> Self {
        Latencies {
            batch,
            inserts: histogram(),
            cancels: histogram(),
        }
    }
}

/// A structure under churn: its pending timers' keys, indexed by the
/// number a victim is drawn as, where it is in the shared random stream,
/// and the buffers one batch is staged in (reused: nothing allocates in the
/// timed region but what the structure itself allocates).
pub struct Churning<C: Churn> {
    queue: C,
    keys: Vec<Option<C::Key>>,
    rng: Rng,
    victims: Vec<usize>,
    taken: Vec<C::Key>,
    deadlines: Vec<C::Deadline>,
    fresh: Vec<C::Key>,
    single: Latencies,
    batched: Latencies,
}

impl<C: Churn> Churning<C> {
    pub fn filled(pending: usize) -> Self {
        let mut rng = Rng::new(SEED);
        let mut queue = C::empty();
        let keys = (0..pending as u64)
            .map(|value| {
                let deadline = queue.deadline(1 + rng.below(RANGE - 1));
                Some(queue.insert(deadline, value))
            })
            .collect();
        Churning {
            queue,
            keys,
            rng,
            victims: Vec::with_capacity(BATCH),
            taken: Vec::with_capacity(BATCH),
            deadlines: Vec::with_capacity(BATCH),
            fresh: Vec::with_capacity(BATCH),
            single: Latencies::new(1),
            batched: Latencies::new(BATCH),
        }
    }

    /// `operations` cancels of random pending timers and as many inserts, in
    /// steps of `batch` cancels (one timed region) then `batch` inserts
    /// (another); recorded or not.
    fn churn(&mut self, operations: usize, batch: usize, record: bool) {
        let Churning {
            queue,
            keys,
            rng,
            victims,
            taken,
            deadlines,
            fresh,
            ..
        } = self;
        for step in 0..operations / batch {
            // Distinct victims (a drawn index already taken is drawn again).
            while victims.len() < batch {
                let victim = rng.below(keys.len() as u64) as usize;
                if let Some(key) = keys[victim].take() {
                    victims.push(victim);
                    taken.push(key);
                }
            }
            deadlines.extend((0..batch).map(|_| queue.deadline(1 + rng.below(RANGE - 1))));

            let queue = black_box(&mut *queue);
            let start = Instant::now();
            let mut missing = 0;
            for key in taken.drain(..) {
                missing += usize::from(queue.cancel(black_box(key)).is_none());
            }
            let cancel = start.elapsed();
            assert_eq!(missing, 0, "{}: a pending timer was not found", C::NAME);

            let start = Instant::now();
            for &deadline in deadlines.iter() {
                fresh.push(queue.insert(black_box(deadline), step as u64));
            }
            let insert = start.elapsed();
            black_box(&mut *fresh);

            for (&victim, key) in victims.iter().zip(fresh.drain(..)) {
                keys[victim] = Some(key);
            }
            victims.clear();
            deadlines.clear();
            if record {
                let latencies = if batch == 1 {
                    &mut self.single
                } else {
                    &mut self.batched
                };
                latencies.cancels.saturating_record(nanos(cancel));
                latencies.inserts.saturating_record(nanos(insert));
            }
        }
    }

    /// One structure's turn: unrecorded operations, then recorded ones.
    pub fn turn(&mut self, warm_up: usize, recorded: usize, batch: usize) {
        self.churn(warm_up, batch, false);
        self.churn(recorded, batch, true);
    }

    /// The figures, once the structure is checked: still `pending` timers,
    /// and firing them all fires exactly that many.
    pub fn rows(mut self) -> [Figures; 2] {
        let pending = self.keys.len();
        assert_eq!(self.queue.len(), pending, "{}: pending count", C::NAME);
        assert_eq!(self.queue.fire_all(), pending, "{}: timers fired", C::NAME);
        let (single, batched) = (&self.single, &self.batched);
        [
            Figures {
                structure: C::NAME,
                operation: "insert",
                single: row(&single.inserts, 1),
                batched: row(&batched.inserts, batched.batch),
            },
            Figures {
                structure: C::NAME,
                operation: "cancel",
                single: row(&single.cancels, 1),
                batched: row(&batched.cancels, batched.batch),
            },
        ]
    }
}

/// The empty timed region: what a clock read adds to every sample.
pub fn clock_reads(samples: usize, into: &mut Histogram<u64>) {
    for _ in 0..samples {
        let start = Instant::now();
        black_box(());
        into.saturating_record(nanos(start.elapsed()));
    }
}

/// p50, p99, p99.9 and max of a histogram of timed regions of `batch`
/// operations each, in nanoseconds per operation.
pub type Row = [f64; 4];

pub fn row(histogram: &Histogram<u64>, batch: usize) -> Row {
    [0.50, 0.99, 0.999, 1.0].map(|quantile| {
        let ns = if quantile == 1.0 {
            histogram.max()
        } else {
            histogram.value_at_quantile(quantile)
        };
        ns as f64 / batch as f64
    })
}

/// One line of the table, for one run.
pub struct Figures {
    pub structure: &'static str,
    pub operation: &'static str,
    pub single: Row,
    pub batched: Row,
}
