//! The executor benchmarks' workloads outside criterion, for counting
//! instructions: the same code (`benches/ops/mod.rs`), run a given number
//! of rounds in one plain process.
//!
//! Wall-clock ratios on a shared two-core machine move by 10–30 % between
//! runs, which hides a 5 % change. Instructions retired do not depend on the
//! machine's load: under `valgrind --tool=callgrind` the same binary and
//! arguments give the same count every time. A round's cost in steady state
//! is the count at 3 rounds minus the count at 2 (the first round also
//! grows every slab and queue). `scripts/instructions.py` runs every group
//! and system this way and prints instructions per operation, with each
//! peer's ratio to waitfor. Instructions are not time (they ignore cache
//! misses, which is why the firing benchmarks are also profiled with
//! `--cache-sim`, see docs/benchmarks.md), but a change that adds work shows
//! up in them exactly.
//!
//! Usage: `cargo build --profile bench -p waitfor-peer-benches --example
//! op_probe`, then `target/release/examples/op_probe GROUP SYSTEM ROUNDS`;
//! `op_probe --list` prints every GROUP SYSTEM pair and the operations in
//! one round.

#[path = "../benches/ops/mod.rs"]
mod ops;

use std::hint::black_box;

/// Operations per round: small enough to run quickly under valgrind, large
/// enough that fixed costs vanish in the difference of two counts.
const BATCH: u64 = 100_000;
const CACHED_TASKS: u64 = 1_000;

/// Every (group, system) the probe runs, and the operations in one round.
const PAIRS: &[(&str, &str, u64)] = &[
    ("spawn_run", "waitfor", BATCH),
    ("spawn_run", "tokio", BATCH),
    ("spawn_run", "tokio-localset", BATCH),
    ("spawn_run", "async-executor", BATCH),
    ("spawn_run", "futures-localpool", BATCH),
    ("spawn_run_1k", "waitfor", CACHED_TASKS),
    ("spawn_run_1k", "tokio", CACHED_TASKS),
    ("spawn_run_1k", "tokio-localset", CACHED_TASKS),
    ("spawn_run_1k", "async-executor", CACHED_TASKS),
    ("spawn_run_1k", "futures-localpool", CACHED_TASKS),
    ("yield_now", "waitfor", BATCH),
    ("yield_now", "tokio", BATCH),
    ("yield_now", "tokio-localset", BATCH),
    ("yield_now", "async-executor", BATCH),
    ("yield_now", "futures-localpool", BATCH),
    ("sleep_register_cancel", "waitfor", BATCH),
    ("sleep_register_cancel", "waitfor-virtual-clock", BATCH),
    ("sleep_register_cancel", "tokio", BATCH),
    ("sleep_register_cancel", "async-io", BATCH),
    ("timeout_ready", "waitfor-bare", BATCH),
    ("timeout_ready", "waitfor", BATCH),
    ("timeout_ready", "waitfor-virtual-clock", BATCH),
    ("timeout_ready", "tokio-bare", BATCH),
    ("timeout_ready", "tokio", BATCH),
    ("poll_overhead", "off", BATCH),
    ("poll_overhead", "diagnostics", BATCH),
    ("poll_overhead", "trace", BATCH),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        for (group, system, batch) in PAIRS {
            println!("{group} {system} {batch}");
        }
        return;
    }
    let [group, system, rounds] = &args[..] else {
        eprintln!("usage: op_probe GROUP SYSTEM ROUNDS, or op_probe --list");
        std::process::exit(2);
    };
    let rounds: u64 = rounds.parse().expect("ROUNDS: a number");
    let Some(&(_, _, batch)) = PAIRS.iter().find(|(g, s, _)| g == group && s == system) else {
        eprintln!("unknown GROUP SYSTEM {group} {system}: see op_probe --list");
        std::process::exit(2);
    };
    run(group, system, rounds, batch);
}

/// Runs `rounds` rounds of `batch` operations of one group on one system,
/// on one runtime for all the rounds, as criterion's iterations share one.
fn run(group: &str, system: &str, rounds: u64, batch: u64) {
    let waitfor = || waitfor::Executor::new();
    let waitfor_virtual = || waitfor::Executor::builder().virtual_clock().build();
    let repeat = |mut round: Box<dyn FnMut()>| (0..rounds).for_each(|_| round());
    match (group, system) {
        ("spawn_run" | "spawn_run_1k", "waitfor") => {
            let executor = waitfor();
            repeat(Box::new(|| ops::spawn_run_waitfor(&executor, batch)));
        }
        ("spawn_run" | "spawn_run_1k", "tokio") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| ops::spawn_run_tokio(&rt, batch)));
        }
        ("spawn_run" | "spawn_run_1k", "tokio-localset") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| ops::spawn_run_tokio_localset(&rt, batch)));
        }
        ("spawn_run" | "spawn_run_1k", "async-executor") => {
            let ex = async_executor::LocalExecutor::new();
            repeat(Box::new(|| ops::spawn_run_async_executor(&ex, batch)));
        }
        ("spawn_run" | "spawn_run_1k", "futures-localpool") => {
            let mut pool = futures::executor::LocalPool::new();
            repeat(Box::new(|| ops::spawn_run_localpool(&mut pool, batch)));
        }
        ("yield_now", "waitfor") => {
            let executor = waitfor();
            repeat(Box::new(|| ops::yield_now_waitfor(&executor, batch)));
        }
        ("yield_now", "tokio") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| ops::yield_now_tokio(&rt, batch)));
        }
        ("yield_now", "tokio-localset") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| ops::yield_now_tokio_localset(&rt, batch)));
        }
        ("yield_now", "async-executor") => {
            let ex = async_executor::LocalExecutor::new();
            repeat(Box::new(|| ops::yield_now_async_executor(&ex, batch)));
        }
        ("yield_now", "futures-localpool") => {
            let mut pool = futures::executor::LocalPool::new();
            repeat(Box::new(|| ops::yield_now_localpool(&mut pool, batch)));
        }
        ("sleep_register_cancel", "waitfor") => {
            let executor = waitfor();
            repeat(Box::new(|| {
                black_box(ops::register_cancel_waitfor(&executor, batch));
            }));
        }
        ("sleep_register_cancel", "waitfor-virtual-clock") => {
            let executor = waitfor_virtual();
            repeat(Box::new(|| {
                black_box(ops::register_cancel_waitfor(&executor, batch));
            }));
        }
        ("sleep_register_cancel", "tokio") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| {
                black_box(ops::register_cancel_tokio(&rt, batch));
            }));
        }
        ("sleep_register_cancel", "async-io") => {
            repeat(Box::new(|| {
                black_box(ops::register_cancel_async_io(batch));
            }));
        }
        ("timeout_ready", "waitfor-bare") => {
            let executor = waitfor();
            repeat(Box::new(|| {
                black_box(ops::ready_bare_waitfor(&executor, batch));
            }));
        }
        ("timeout_ready", "waitfor") => {
            let executor = waitfor();
            repeat(Box::new(|| {
                black_box(ops::timeout_ready_waitfor(&executor, batch));
            }));
        }
        ("timeout_ready", "waitfor-virtual-clock") => {
            let executor = waitfor_virtual();
            repeat(Box::new(|| {
                black_box(ops::timeout_ready_waitfor(&executor, batch));
            }));
        }
        ("timeout_ready", "tokio-bare") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| {
                black_box(ops::ready_bare_tokio(&rt, batch));
            }));
        }
        ("timeout_ready", "tokio") => {
            let rt = ops::tokio_rt();
            repeat(Box::new(|| {
                black_box(ops::timeout_ready_tokio(&rt, batch));
            }));
        }
        ("poll_overhead", setup) => {
            let builder = match setup {
                "off" => waitfor::Builder::new(),
                "diagnostics" => waitfor::Builder::new().diagnostics(true),
                _ => waitfor::Builder::new().trace(1 << 16),
            };
            let executor = builder.build();
            repeat(Box::new(|| {
                ops::yield_now_waitfor(&executor, black_box(batch))
            }));
        }
        _ => unreachable!("every pair in PAIRS has an arm"),
    }
}
