//! The churn bench's work without its clock, for a profiler: fill one
//! structure with `pending` timers, then `steps` times cancel a random
//! pending timer and insert one at a random deadline in `[1, 4096)` ticks,
//! as `benches/churn.rs` does. Cancel and insert are each one call that is
//! never inlined, so callgrind's inclusive cost of `cancel_one` and
//! `insert_one` is exactly one operation's instructions, branches and cache
//! misses times `steps`; filling, which is not, does not mix in. bitwheel is
//! left out: what is asked here is where the wheel's own time goes.
//!
//! ```sh
//! cargo build --profile bench -p waitfor-peer-benches --example churn_probe
//! valgrind --tool=callgrind --cache-sim=yes --LL=33554432,16,64 \
//!     target/release/examples/churn_probe wheel 1000000 300000   # or heap, btree
//! callgrind_annotate --inclusive=yes callgrind.out.PID | grep _one
//! ```

#[path = "../benches/baseline/mod.rs"]
mod baseline;

use baseline::{BTreeQueue, HeapQueue, TimerQueue};
use std::hint::black_box;
use waitfor::timer::Wheel;
use waitfor_peer_benches::Rng;

#[inline(never)]
fn cancel_one<Q: TimerQueue>(queue: &mut Q, key: Q::Key) -> Option<u64> {
    queue.cancel(key)
}

#[inline(never)]
fn insert_one<Q: TimerQueue>(queue: &mut Q, deadline: u64, value: u64) -> Q::Key {
    queue.insert(deadline, value)
}

fn probe<Q: TimerQueue>(pending: usize, steps: usize) {
    let mut rng = Rng::new(0x5EED_C4A2);
    let mut queue = Q::new();
    let mut keys: Vec<Q::Key> = (0..pending as u64)
        .map(|value| queue.insert(1 + rng.below(4095), value))
        .collect();
    for step in 0..steps as u64 {
        let victim = rng.below(pending as u64) as usize;
        let deadline = 1 + rng.below(4095);
        assert!(black_box(cancel_one(&mut queue, keys[victim])).is_some());
        keys[victim] = black_box(insert_one(&mut queue, deadline, step));
    }
    let mut fired = 0;
    queue.advance(u64::MAX, |_, _| fired += 1);
    assert_eq!(
        fired,
        pending,
        "{}: every pending timer fires once",
        Q::NAME
    );
    assert_eq!(queue.len(), 0);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |at: usize| -> usize {
        args.get(at)
            .and_then(|n| n.parse().ok())
            .expect("usage: churn_probe wheel|heap|btree PENDING STEPS")
    };
    let (pending, steps) = (number(1), number(2));
    match args[0].as_str() {
        "wheel" => probe::<Wheel<u64>>(pending, steps),
        "heap" => probe::<HeapQueue>(pending, steps),
        "btree" => probe::<BTreeQueue>(pending, steps),
        other => panic!("no structure named {other:?}: wheel, heap or btree"),
    }
}
