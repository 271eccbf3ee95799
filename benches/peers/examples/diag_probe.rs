//! What diagnostics and the trace cost per poll, outside criterion, for
//! counting instructions (docs/benchmarks.md, "Diagnostics: the cost per
//! poll").
//!
//! Each case runs `N` operations in one `block_on`, each operation a poll of
//! the `block_on` future (a `yield_now` round trip, a `sleep`) or a spawned
//! task awaited. Under `valgrind --tool=callgrind` the count at `2N` minus
//! the count at `N`, divided by `N`, is one operation's cost in steady state
//! (building the executor, its watchdog thread and the first growth of every
//! buffer cancel out).
//!
//! Usage: `cargo build --profile bench -p waitfor-peer-benches --example
//! diag_probe`, then `target/release/examples/diag_probe CASE N`;
//! `diag_probe --list` names the cases.

use std::time::Duration;
use waitfor::{sleep, spawn, yield_now, Builder};

/// Every case: its name, what it builds, and what one operation is.
const CASES: &[(&str, &str)] = &[
    ("yield-off", "yield_now, everything off"),
    ("yield-diag", "yield_now, diagnostics on, real clock"),
    (
        "yield-diag-virtual",
        "yield_now, diagnostics on, virtual clock",
    ),
    ("yield-trace", "yield_now, trace on, real clock"),
    ("spawn-off", "spawn + await a task, everything off"),
    ("spawn-diag", "spawn + await a task, diagnostics on"),
    (
        "batch-off",
        "spawn 1 000 tasks, then await them (per task), off",
    ),
    ("sleep-off", "sleep(1 ms), virtual clock, off"),
    ("sleep-diag", "sleep(1 ms), virtual clock, diagnostics on"),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--list") {
        for (name, what) in CASES {
            println!("{name:20} {what}");
        }
        return;
    }
    let [case, n] = &args[..] else {
        eprintln!("usage: diag_probe CASE N   (diag_probe --list)");
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("N is a number of operations");
    let builder = match case.as_str() {
        "yield-off" | "spawn-off" | "batch-off" => Builder::new(),
        "yield-diag" | "spawn-diag" => Builder::new().diagnostics(true),
        "yield-diag-virtual" => Builder::new().virtual_clock().diagnostics(true),
        "yield-trace" => Builder::new().trace(1 << 16),
        "sleep-off" => Builder::new().virtual_clock(),
        "sleep-diag" => Builder::new().virtual_clock().diagnostics(true),
        _ => panic!("unknown case {case:?} (diag_probe --list)"),
    };
    let executor = builder.build();
    executor.block_on(async move {
        match case.as_str() {
            "spawn-off" | "spawn-diag" => {
                for i in 0..n {
                    std::hint::black_box(spawn(async move { i }).await.unwrap());
                }
            }
            "batch-off" => {
                for _ in 0..n / 1000 {
                    let handles: Vec<_> = (0..1000).map(|i| spawn(async move { i })).collect();
                    for handle in handles {
                        std::hint::black_box(handle.await.unwrap());
                    }
                }
            }
            "sleep-off" | "sleep-diag" => {
                for _ in 0..n {
                    sleep(Duration::from_millis(1)).await;
                }
            }
            _ => {
                for _ in 0..n {
                    yield_now().await;
                }
            }
        }
    });
}
