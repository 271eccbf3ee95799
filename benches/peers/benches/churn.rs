//! Churn percentiles: how long *one* insert and *one* cancel take, at p50,
//! p99 and p99.9, with 100 to 1 000 000 timers pending, for waitfor's
//! `Wheel`, the `bitwheel` crate, and the `BinaryHeap` and `BTreeMap` timer
//! queues of `timer.rs` (the same `baseline/mod.rs`, so the two benches
//! measure the same heap and tree).
//!
//! # Why not criterion
//!
//! Criterion times a loop of many calls and reports the mean of one call;
//! a tail is exactly what a mean hides. So this is a plain program
//! (`harness = false`) that times every operation on its own and records it
//! in an HDR histogram (the `hdrhistogram` crate, 3 significant digits),
//! then prints a markdown table.
//!
//! # The workload: pure churn
//!
//! Each structure holds `N` timers at deadlines uniform in `[1, 4096)`
//! ticks of 1 ms (request timeouts of up to about 4 s). One step picks a
//! pending timer at random, **cancels** it (timed), and **inserts** a new one
//! at a fresh random deadline (timed), so `N` stays put and the victims are
//! of every age, as when requests answer in any order. The clock stands
//! still, so nothing fires: firing is what `timer.rs`'s `insert_fire` and
//! `timers.rs`'s fire groups measure, and a clock that moved would make the
//! structures do different work (bitwheel fires a timer at the start of its
//! coarse slot, up to a slot early; the others at its exact tick). Every
//! structure sees the same deadlines and the same victims (one seed), and
//! the random numbers are drawn outside the timed region.
//!
//! Each structure is given its natural deadline, computed outside the timed
//! region: ticks for the three that take ticks, an `Instant` for bitwheel,
//! whose `insert` takes one (its conversion to ticks is part of its insert,
//! as it is for its users). bitwheel has a fixed capacity (64 slots per
//! gear, `SLOT_CAP` timers per slot) and refuses an insert beyond it, so it
//! is configured as its README's sizing advice says, per size: 2 gears at
//! 1 ms (a 4 096-tick range, like its `Wheel` preset's 2 gears),
//! `MAX_PROBES` 8 (the presets' balanced value), and `SLOT_CAP` the power
//! of two above the expected count per gear-1 slot (`N / 64`) plus 5
//! standard deviations, at least 16 (its smallest preset): 16, 64, 2 048 and
//! 16 384. An insert it refuses stops the bench with a message, never a
//! silently dropped timer.
//!
//! # Timing one operation of a few nanoseconds
//!
//! `Instant::now()` costs about as much as the operations timed (here a
//! vDSO `clock_gettime` on the TSC). So each sample is what bitwheel's
//! published figures are (its `comparisons.rs`: `Instant::now()` before,
//! `elapsed()` after, 100 000 warm-up steps, 1 000 000 recorded): the
//! operation *plus* one clock read. The same timed region with nothing in
//! it is measured in the same run and shown as its own row, `clock`; the
//! `p50 − clock` column subtracts its p50 from each p50. The tail columns
//! are left raw: percentiles do not subtract. The operation is called on a
//! `black_box`ed `&mut` of the structure, so its stores cannot move past
//! the closing clock read.
//!
//! The machine is shared, so the four structures take turns: each run is
//! `ROUNDS` rounds, and each round gives every structure `WARM_UP_PER_ROUND`
//! unrecorded steps (its caches refill) and then its share of the recorded
//! ones. A load spike is spread over all of them, not pinned on one. A step
//! that is preempted or interrupted lands in the tail; at 1 000 000 steps a
//! few hundred such in a run move p99.9, not p99 (rerun and compare the
//! runs' spread). Nothing is pinned to a core: on two shared cores there is
//! none to spare.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench churn` (about half a
//! minute per run; `-- --runs 3` prints each figure's min–max over 3 runs).

mod baseline;

use baseline::{BTreeQueue, HeapQueue, TimerQueue};
use bitwheel::timer::{BitWheel, Timer, TimerHandle};
use hdrhistogram::Histogram;
use std::hint::black_box;
use std::time::{Duration, Instant};
use waitfor::timer::Wheel;
use waitfor_peer_benches::Rng;

/// How many timers are pending while one is cancelled and one inserted.
const SIZES: [usize; 4] = [100, 1_000, 100_000, 1_000_000];

/// Deadlines are uniform in `[1, RANGE)` ticks ahead of the clock (tick 0).
const RANGE: u64 = 4096;

/// Unrecorded steps per structure before the first round.
const WARM_UP: usize = 100_000;

/// Recorded steps per structure, size and run (one insert and one cancel
/// each), split over the rounds.
const RECORDED: usize = 1_000_000;

/// How many turns the structures take within a run.
const ROUNDS: usize = 10;

/// Unrecorded steps at the start of each turn.
const WARM_UP_PER_ROUND: usize = 1_000;

/// Operations per timed region in the batched columns.
const BATCH: usize = 32;

/// Every structure sees the same deadlines and victims.
const SEED: u64 = 0x5EED_C4A2;

/// bitwheel's `MAX_PROBES`: its presets' balanced value.
const BITWHEEL_PROBES: usize = 8;

/// What the churn needs of a structure. Unlike `TimerQueue`, keys need not
/// be `Copy` (bitwheel's handle is not), and each structure takes its
/// deadline in its own type.
trait Churn {
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
struct BitWheelQueue<const SLOT_CAP: usize> {
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
fn histogram() -> Histogram<u64> {
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
struct Churning<C: Churn> {
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
    fn filled(pending: usize) -> Self {
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
    fn turn(&mut self, warm_up: usize, recorded: usize, batch: usize) {
        self.churn(warm_up, batch, false);
        self.churn(recorded, batch, true);
    }

    /// The figures, once the structure is checked: still `pending` timers,
    /// and firing them all fires exactly that many.
    fn rows(mut self) -> [Figures; 2] {
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
fn clock_reads(samples: usize, into: &mut Histogram<u64>) {
    for _ in 0..samples {
        let start = Instant::now();
        black_box(());
        into.saturating_record(nanos(start.elapsed()));
    }
}

/// p50, p99, p99.9 and max of a histogram of timed regions of `batch`
/// operations each, in nanoseconds per operation.
type Row = [f64; 4];

fn row(histogram: &Histogram<u64>, batch: usize) -> Row {
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
struct Figures {
    structure: &'static str,
    operation: &'static str,
    single: Row,
    batched: Row,
}

/// One run at one size, the clock's line last. In each of `ROUNDS` rounds
/// every structure takes its turn at single operations, then at batches.
fn run_size<B: Churn>(pending: usize) -> Vec<Figures> {
    let mut wheel = Churning::<Wheel<u64>>::filled(pending);
    let mut bitwheel = Churning::<B>::filled(pending);
    let mut heap = Churning::<HeapQueue>::filled(pending);
    let mut tree = Churning::<BTreeQueue>::filled(pending);
    let mut clock = histogram();
    let share = RECORDED / ROUNDS;
    for round in 0..=ROUNDS {
        // Round 0 only warms up.
        let (warm_up, recorded) = match round {
            0 => (WARM_UP, 0),
            _ => (WARM_UP_PER_ROUND, share),
        };
        for batch in [1, BATCH] {
            wheel.turn(warm_up, recorded, batch);
            bitwheel.turn(warm_up, recorded, batch);
            heap.turn(warm_up, recorded, batch);
            tree.turn(warm_up, recorded, batch);
        }
        clock_reads(recorded, &mut clock);
    }
    let mut lines = Vec::new();
    lines.extend(wheel.rows());
    lines.extend(bitwheel.rows());
    lines.extend(heap.rows());
    lines.extend(tree.rows());
    lines.push(Figures {
        structure: "clock",
        operation: "empty region",
        single: row(&clock, 1),
        batched: row(&clock, BATCH),
    });
    lines
}

/// One run at one size; bitwheel's `SLOT_CAP` per size as the essay says.
fn run(pending: usize) -> Vec<Figures> {
    match pending {
        100 => run_size::<BitWheelQueue<16>>(pending),
        1_000 => run_size::<BitWheelQueue<64>>(pending),
        100_000 => run_size::<BitWheelQueue<2_048>>(pending),
        1_000_000 => run_size::<BitWheelQueue<16_384>>(pending),
        _ => unreachable!("no bitwheel configuration for {pending} pending"),
    }
}

/// `min–max` of one figure over the runs, or the figure if they agree.
fn spread(values: impl Iterator<Item = f64>, decimals: usize) -> String {
    let (lo, hi) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let (lo, hi) = (format!("{lo:.decimals$}"), format!("{hi:.decimals$}"));
    if lo == hi {
        lo
    } else {
        format!("{lo}–{hi}")
    }
}

fn print_table(pending: usize, runs: &[Vec<Figures>]) {
    println!(
        "\n{pending} pending, ns per operation, {} run(s):\n",
        runs.len()
    );
    println!(
        "| structure | operation | p50 | p99 | p99.9 | max | p50 − clock \
         | batched p50 | batched p99 | batched p99.9 |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let clock = |run: &Vec<Figures>| run.last().expect("the clock's line").single[0];
    for (at, line) in runs[0].iter().enumerate() {
        let single = |column: usize| spread(runs.iter().map(|run| run[at].single[column]), 0);
        let batched = |column: usize| spread(runs.iter().map(|run| run[at].batched[column]), 1);
        let net = if line.structure == "clock" {
            "-".to_string()
        } else {
            spread(
                runs.iter()
                    .map(|run| (run[at].single[0] - clock(run)).max(0.0)),
                0,
            )
        };
        println!(
            "| {} | {} | {} | {} | {} | {} | {net} | {} | {} | {} |",
            line.structure,
            line.operation,
            single(0),
            single(1),
            single(2),
            single(3),
            batched(0),
            batched(1),
            batched(2),
        );
    }
}

fn main() {
    // `cargo bench` passes `--bench`, and scripts/bench_report.py criterion's
    // options and filters: only `--runs N` and `--pending N` (one size, as
    // for a profiler) mean something here, and a filter that does not match
    // "churn" skips the bench.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |option: &str| {
        let at = args.iter().position(|arg| arg == option)?;
        let n = args.get(at + 1).and_then(|n| n.parse::<usize>().ok());
        Some(n.filter(|&n| n > 0).unwrap_or_else(|| {
            panic!("{option} takes a positive number");
        }))
    };
    let runs = number("--runs").unwrap_or(1);
    let sizes: Vec<usize> = match number("--pending") {
        Some(pending) if SIZES.contains(&pending) => vec![pending],
        Some(pending) => panic!("--pending {pending}: the sizes are {SIZES:?}"),
        None => SIZES.to_vec(),
    };
    let takes_value = [
        "--runs",
        "--pending",
        "--save-baseline",
        "--baseline",
        "--load-baseline",
    ];
    let filters: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|&(at, arg)| {
            !arg.starts_with("--") && (at == 0 || !takes_value.contains(&args[at - 1].as_str()))
        })
        .map(|(_, arg)| arg)
        .collect();
    if args.iter().any(|arg| arg == "--list")
        || !filters.is_empty()
            && !filters
                .iter()
                .any(|filter| "churn".contains(filter.as_str()))
    {
        return;
    }
    let started = Instant::now();
    let mut results: Vec<Vec<Vec<Figures>>> = sizes.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (at, &pending) in sizes.iter().enumerate() {
            results[at].push(run(pending));
        }
    }
    for (at, &pending) in sizes.iter().enumerate() {
        print_table(pending, &results[at]);
    }
    println!("\n{runs} run(s) in {:.0?}", started.elapsed());
}
