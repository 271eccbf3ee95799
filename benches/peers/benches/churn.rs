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
//! The machine is shared, so the four structures take turns: after a first
//! round of `WARM_UP` unrecorded steps each, a run is `ROUNDS` rounds, and
//! in each, every structure gets `WARM_UP_PER_ROUND` unrecorded steps (its
//! caches refill) and then its share of the recorded ones, single, then
//! batched. A load spike is spread over all of them, not pinned on one. A step
//! that is preempted or interrupted lands in the tail; at 1 000 000 steps a
//! few hundred such in a run move p99.9, not p99 (rerun and compare the
//! runs' spread). Nothing is pinned to a core: on two shared cores there is
//! none to spare.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench churn` (about 50 s a
//! run on 2 shared cores; `-- --runs 3` prints each figure's min–max over 3
//! runs, `-- --pending 1000000` one size only). The tables also go to
//! `<target dir>/peer-benches/churn.md`, for `scripts/bench_report.py`.

mod baseline;
mod churning;

use baseline::{BTreeQueue, HeapQueue};
use churning::{clock_reads, histogram, row, BitWheelQueue, Churn, Churning, Figures, BATCH};
use std::time::Instant;
use waitfor::timer::Wheel;
use waitfor_peer_benches::target_dir;

/// How many timers are pending while one is cancelled and one inserted.
const SIZES: [usize; 4] = [100, 1_000, 100_000, 1_000_000];

/// Unrecorded steps per structure before the first round.
const WARM_UP: usize = 100_000;

/// Recorded steps per structure, size and run (one insert and one cancel
/// each), split over the rounds.
const RECORDED: usize = 1_000_000;

/// How many turns the structures take within a run.
const ROUNDS: usize = 10;

/// Unrecorded steps at the start of each turn.
const WARM_UP_PER_ROUND: usize = 1_000;

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

/// The markdown table of one size: each figure's min–max over the runs.
fn table(pending: usize, runs: &[Vec<Figures>]) -> String {
    let mut out = format!(
        "\n{pending} pending, ns per operation, {} run(s):\n\n\
         | structure | operation | p50 | p99 | p99.9 | max | p50 − clock \
         | batched p50 | batched p99 | batched p99.9 |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        runs.len()
    );
    let clock = |run: &Vec<Figures>| run.last().expect("the clock's line").single[0];
    for (at, line) in runs[0].iter().enumerate() {
        let single = |column: usize| spread(runs.iter().map(|run| run[at].single[column]), 0);
        let batched = |column: usize| spread(runs.iter().map(|run| run[at].batched[column]), 1);
        let net = match line.structure {
            "clock" => "-".to_string(),
            _ => spread(
                runs.iter()
                    .map(|run| (run[at].single[0] - clock(run)).max(0.0)),
                0,
            ),
        };
        out += &format!(
            "| {} | {} | {} | {} | {} | {} | {net} | {} | {} | {} |\n",
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
    out
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
    let tables: String = sizes
        .iter()
        .zip(&results)
        .map(|(&pending, runs)| table(pending, runs))
        .collect();
    print!("{tables}");
    println!("\n{runs} run(s) in {:.0?}", started.elapsed());
    // For scripts/bench_report.py, which puts the last run's tables in its report.
    let dir = target_dir().join("peer-benches");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("churn.md"), tables).unwrap();
    println!("written to {}", dir.join("churn.md").display());
}
