//! The wheel against the simplest correct timer queue: a `BTreeMap` keyed by
//! `(deadline, insertion order)`.
//!
//! Random sequences of insert / cancel / reschedule / advance / expire /
//! collect run on both. After every step they must agree on the fired values
//! and their order, on `len()` and `expired_len()`, on whether a cancel found
//! its timer, and on the stamp a collect finds; `next_expiration()` must
//! never be after the model's earliest deadline. The model keeps the timers
//! `expire` fired, with their stamps, apart from the pending ones. Deadlines range from far in the past
//! to `u64::MAX`, and jumps from 0 ticks to 2^40, so every level, the overdue
//! list and the overflow list are exercised.

use proptest::prelude::*;
use std::collections::BTreeMap;
use waitfor_timer::{TimerKey, Wheel};

#[derive(Clone, Debug)]
enum Op {
    /// Insert at `now + offset` (saturating), or `now - back` when `back > 0`.
    Insert {
        offset: u64,
        back: u64,
    },
    /// Cancel the `pick`-th key ever issued (it may be stale).
    Cancel {
        pick: usize,
    },
    /// Move the `pick`-th key ever issued (it may be stale) to a deadline
    /// chosen as for `Insert`. The model takes it out and puts it back as
    /// if inserted now, which is where the wheel files it.
    Reschedule {
        pick: usize,
        offset: u64,
        back: u64,
    },
    Advance {
        jump: u64,
    },
    /// Advance as `Advance` does, but through `expire`, stamping each timer
    /// fired with the operation's number.
    Expire {
        jump: u64,
    },
    /// Collect the stamp of the `pick`-th key ever issued (it may be
    /// pending, expired or stale).
    Collect {
        pick: usize,
    },
}

fn offset() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0),
        1..64u64,
        1..4096u64,
        1..(1u64 << 24),
        (1u64 << 35)..(1u64 << 38),
        Just(u64::MAX),
    ]
}

fn jump() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0),
        Just(1),
        1..64u64,
        1..100_000u64,
        1..(1u64 << 30),
        1..=(1u64 << 40),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (offset(), prop_oneof![4 => Just(0u64), 1 => 1..1000u64])
            .prop_map(|(offset, back)| Op::Insert { offset, back }),
        2 => any::<usize>().prop_map(|pick| Op::Cancel { pick }),
        2 => (any::<usize>(), offset(), prop_oneof![4 => Just(0u64), 1 => 1..1000u64])
            .prop_map(|(pick, offset, back)| Op::Reschedule { pick, offset, back }),
        1 => jump().prop_map(|jump| Op::Advance { jump }),
        1 => jump().prop_map(|jump| Op::Expire { jump }),
        1 => any::<usize>().prop_map(|pick| Op::Collect { pick }),
    ]
}

struct Model {
    pending: BTreeMap<(u64, u64), u64>,
    /// Fired by `expire`, not yet collected: model key -> stamp.
    expired: BTreeMap<(u64, u64), u64>,
    now: u64,
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut wheel: Wheel<u64, u64> = Wheel::default();
    let mut model = Model {
        pending: BTreeMap::new(),
        expired: BTreeMap::new(),
        now: 0,
    };
    // Every key ever issued, with the model's key for it.
    let mut issued: Vec<(TimerKey, (u64, u64))> = Vec::new();
    for (seq, op) in ops.into_iter().enumerate() {
        let seq = seq as u64;
        let deadline_from = |offset: u64, back: u64| {
            if back > 0 {
                model.now.saturating_sub(back)
            } else {
                model.now.saturating_add(offset)
            }
        };
        match op {
            Op::Insert { offset, back } => {
                let deadline = deadline_from(offset, back);
                let key = wheel.insert(deadline, seq);
                model.pending.insert((deadline, seq), seq);
                issued.push((key, (deadline, seq)));
            }
            Op::Cancel { pick } => {
                if issued.is_empty() {
                    continue;
                }
                let (key, model_key) = issued[pick % issued.len()];
                prop_assert_eq!(wheel.cancel(key), model.pending.remove(&model_key));
                model.expired.remove(&model_key);
            }
            Op::Collect { pick } => {
                if issued.is_empty() {
                    continue;
                }
                let (key, model_key) = issued[pick % issued.len()];
                prop_assert_eq!(wheel.collect(key), model.expired.remove(&model_key));
            }
            Op::Reschedule { pick, offset, back } => {
                if issued.is_empty() {
                    continue;
                }
                let deadline = deadline_from(offset, back);
                let picked = pick % issued.len();
                let (key, model_key) = &mut issued[picked];
                let value = model.pending.remove(model_key);
                prop_assert_eq!(wheel.reschedule(*key, deadline), value.is_some());
                if let Some(value) = value {
                    *model_key = (deadline, seq);
                    model.pending.insert(*model_key, value);
                }
            }
            Op::Advance { jump } | Op::Expire { jump } => {
                let stamped = matches!(op, Op::Expire { .. });
                let now = model.now.saturating_add(jump);
                let mut fired = Vec::new();
                let fire = |deadline, value| fired.push((deadline, value));
                if stamped {
                    wheel.expire(now, seq, fire);
                } else {
                    wheel.advance(now, fire);
                }
                let expected: Vec<(u64, u64)> = model
                    .pending
                    .range(..=(now, u64::MAX))
                    .map(|(&(deadline, _), &value)| (deadline, value))
                    .collect();
                let (due, still_pending): (BTreeMap<_, _>, BTreeMap<_, _>) =
                    std::mem::take(&mut model.pending)
                        .into_iter()
                        .partition(|&((deadline, _), _)| deadline <= now);
                model.pending = still_pending;
                if stamped {
                    model.expired.extend(due.into_keys().map(|key| (key, seq)));
                }
                prop_assert_eq!(&fired, &expected, "advance to {}", now);
                model.now = now;
                prop_assert_eq!(wheel.now(), now);
            }
        }
        prop_assert_eq!(wheel.len(), model.pending.len());
        prop_assert_eq!(wheel.expired_len(), model.expired.len());
        match (wheel.next_expiration(), model.pending.keys().next()) {
            (None, None) => {}
            (Some(next), Some(&(earliest, _))) => prop_assert!(
                next <= earliest,
                "next_expiration {} is after the earliest deadline {}",
                next,
                earliest
            ),
            (wheel_next, model_next) => {
                prop_assert!(false, "wheel {:?} vs model {:?}", wheel_next, model_next)
            }
        }
    }
    Ok(())
}

proptest! {
    // Under Miri each case costs thousands of times more: a handful of cases
    // still runs every list and level through Miri's checks.
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 20 } else { 10_000 }))]

    #[test]
    fn wheel_matches_a_btreemap(ops in prop::collection::vec(op(), 1..120)) {
        run(ops)?;
    }
}
