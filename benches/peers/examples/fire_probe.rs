//! The `fire_virtual` and `fire_real` benchmarks' rounds outside criterion,
//! for profilers: the same tasks, deadlines and code (`benches/fire/mod.rs`),
//! run a given number of times in one plain process.
//!
//! Criterion's loop hides where a round's time goes; a profiler wants a
//! process it can count instructions and cache misses in. Run it under
//! callgrind (`valgrind --tool=callgrind --cache-sim=yes`) or `perf stat`
//! with 2 and then 3 rounds: the difference is one round in steady state
//! (the first round also grows every slab and queue). docs/benchmarks.md
//! holds what it showed.
//!
//! Usage: `cargo build --profile bench -p waitfor-peer-benches --example
//! fire_probe`, then `target/release/examples/fire_probe SYSTEM [TASKS]
//! [ROUNDS]` (defaults: waitfor, 100000, 1). SYSTEM is `waitfor` or `tokio`
//! on the virtual (paused) clock with deadlines within 10 s, as in
//! `fire_virtual`; or `waitfor-real`, `tokio-real` or `async-io` on the real
//! clock with deadlines within 20 ms, as in `fire_real`.

#[path = "../benches/fire/mod.rs"]
mod fire;

fn main() {
    let mut args = std::env::args().skip(1);
    let system = args.next().unwrap_or_else(|| "waitfor".into());
    let tasks: u64 = args
        .next()
        .map_or(100_000, |a| a.parse().expect("TASKS: a number"));
    let rounds: u64 = args
        .next()
        .map_or(1, |a| a.parse().expect("ROUNDS: a number"));
    let real = matches!(system.as_str(), "waitfor-real" | "tokio-real" | "async-io");
    let (deadlines, after_last) = fire::deadlines(if real { 20 } else { 10_000 }, tasks);
    // One executor for all the rounds, as criterion's iterations share one.
    match system.as_str() {
        "waitfor" | "waitfor-real" => {
            let builder = waitfor::Executor::builder();
            let executor = if real {
                builder
            } else {
                builder.virtual_clock()
            }
            .build();
            for _ in 0..rounds {
                executor.block_on(fire::waitfor_fire(&deadlines, after_last));
            }
        }
        "tokio" | "tokio-real" => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(!real)
                .build()
                .expect("a tokio runtime");
            for _ in 0..rounds {
                rt.block_on(fire::tokio_fire(&deadlines, after_last));
            }
        }
        "async-io" => {
            let ex = async_executor::LocalExecutor::new();
            for _ in 0..rounds {
                async_io::block_on(ex.run(fire::async_io_fire(&ex, &deadlines, after_last)));
            }
        }
        other => {
            panic!("unknown system {other:?}: waitfor, tokio, waitfor-real, tokio-real or async-io")
        }
    }
}
