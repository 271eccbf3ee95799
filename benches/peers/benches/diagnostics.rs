//! What seeing starvation costs: the per-poll price of diagnostics and the
//! trace, and the per-operation price of the cooperative budget.
//!
//! * `poll_overhead`: one task doing `yield_now` round trips (one poll each)
//!   on an executor with everything off (the default), with diagnostics on
//!   (every poll timed, recorded for blame, shown to the watchdog), and with
//!   the trace on. The difference to "off" is the per-poll overhead.
//! * `budget`: receiving from a channel that is never empty, budget on
//!   (default) and off. A `recv` is one leaf-future poll; the difference is
//!   the budget check, amortised with the yield it forces every 128 items.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench diagnostics`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use waitfor::{channel, yield_now, Builder};

const YIELDS: u64 = 100_000;
const ITEMS: u64 = 100_000;

/// A named way to build the executor under test.
type Setup = (&'static str, fn() -> Builder);

fn poll_overhead(c: &mut Criterion) {
    let mut group = c.benchmark_group("poll_overhead");
    group.throughput(Throughput::Elements(YIELDS));
    let setups: [Setup; 3] = [
        ("off", Builder::new),
        ("diagnostics", || Builder::new().diagnostics(true)),
        ("trace", || Builder::new().trace(1 << 16)),
    ];
    for (name, builder) in setups {
        let executor = builder().build();
        group.bench_function(name, |b| {
            b.iter(|| {
                executor.block_on(async {
                    for _ in 0..YIELDS {
                        yield_now().await;
                    }
                })
            })
        });
    }
    group.finish();
}

fn budget(c: &mut Criterion) {
    let mut group = c.benchmark_group("budget");
    group.throughput(Throughput::Elements(ITEMS));
    for (name, budget) in [("on", Some(128)), ("off", None)] {
        let executor = Builder::new().budget(budget).build();
        group.bench_function(name, |b| {
            b.iter(|| {
                executor.block_on(async {
                    let (tx, rx) = channel::unbounded();
                    for item in 0..ITEMS {
                        tx.try_send(item).unwrap();
                    }
                    let mut sum = 0;
                    for _ in 0..ITEMS {
                        sum += rx.recv().await.unwrap();
                    }
                    sum
                })
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = waitfor_peer_benches::criterion_config();
    targets = poll_overhead, budget
}
criterion_main!(benches);
