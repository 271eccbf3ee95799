//! `waitfor_timer::Wheel` against the simplest correct timer queue, a
//! `BTreeMap` keyed by `(deadline, insertion order)`: the same model as
//! `timer/tests/model.rs`, driven by libFuzzer instead of proptest.
//!
//! After every operation the two must agree on the fired values and their
//! order, on `len()` and `expired_len()`, on what `cancel`, `reschedule`,
//! `contains`, `deadline`, `get_mut` and `collect` say about any key ever
//! issued (stale and expired ones included), and `next_expiration()` must be
//! at or before the model's earliest deadline. Advances go through `advance`
//! or through `expire`, whose stamps the model keeps apart until collected.
//! At the end the wheel is drained with `advance(u64::MAX)`, then refilled a
//! little and dropped: every value and every stamp must have been dropped
//! exactly once.
//!
//! Run: `cargo +nightly fuzz run wheel_model` (from the repository root).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;
use waitfor::timer::{TimerKey, Wheel};

/// How far from the wheel's clock a deadline lies, or how far it jumps: a
/// mix of shapes that reach every level, the overdue list and the overflow
/// list (the wheel's levels span 2^36 ticks), plus raw `u64`s.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Distance {
    Zero,
    One,
    /// Within the current level-0 rotation, or just past it.
    Slot(u8),
    /// Levels 1 and 2.
    Short(u16),
    /// Up to level 4.
    Medium(u32),
    /// Around the top of the levels: 2^36 +- 2^32.
    Edge(u32, bool),
    /// Far beyond the levels: `2^shift`, plus a little.
    Power(u8, u16),
    Max,
    Raw(u64),
}

impl Distance {
    fn ticks(self) -> u64 {
        match self {
            Distance::Zero => 0,
            Distance::One => 1,
            Distance::Slot(n) => u64::from(n % 80),
            Distance::Short(n) => u64::from(n),
            Distance::Medium(n) => u64::from(n),
            Distance::Edge(n, above) => {
                let base = 1u64 << 36;
                if above {
                    base + u64::from(n)
                } else {
                    base - u64::from(n)
                }
            }
            Distance::Power(shift, extra) => {
                (1u64 << (shift % 64)).saturating_add(u64::from(extra))
            }
            Distance::Max => u64::MAX,
            Distance::Raw(n) => n,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Op {
    /// Insert at `now + ahead` (saturating).
    Insert { ahead: Distance },
    /// Insert at `now - behind` (saturating): overdue, or `now` itself.
    InsertPast { behind: Distance },
    /// Insert at an absolute tick.
    InsertAt { deadline: u64 },
    /// Cancel the `pick`-th key ever issued (it may be stale).
    Cancel { pick: u16 },
    /// Move the `pick`-th key ever issued (it may be stale) to `now + ahead`,
    /// or `now - ahead` when `past`; the model re-inserts it as of now.
    Reschedule {
        pick: u16,
        ahead: Distance,
        past: bool,
    },
    /// Ask `contains` / `deadline` about the `pick`-th key ever issued.
    Query { pick: u16 },
    /// Replace the value of the `pick`-th key through `get_mut`.
    Replace { pick: u16 },
    /// Advance by a distance (saturating).
    Advance { jump: Distance },
    /// Advance to an absolute tick, possibly behind the clock (a no-op for
    /// the clock, but overdue timers still fire).
    AdvanceTo { now: u64 },
    /// Advance by a distance through `expire`, leaving a stamp in each fired
    /// timer's place.
    Expire { jump: Distance },
    /// Collect the stamp of the `pick`-th key ever issued.
    Collect { pick: u16 },
}

/// How many values (and stamps) were made, clones included, and dropped.
#[derive(Default)]
struct Counts {
    created: Cell<u64>,
    dropped: Cell<u64>,
}

/// A wheel value or stamp that counts its making and its drops.
struct Value {
    id: u64,
    counts: Rc<Counts>,
}

impl Value {
    fn new(id: u64, counts: &Rc<Counts>) -> Self {
        counts.created.set(counts.created.get() + 1);
        Value {
            id,
            counts: Rc::clone(counts),
        }
    }
}

impl Clone for Value {
    fn clone(&self) -> Self {
        Value::new(self.id, &self.counts)
    }
}

impl Drop for Value {
    fn drop(&mut self) {
        self.counts.dropped.set(self.counts.dropped.get() + 1);
    }
}

type Stamped = Wheel<Value, Value>;

struct Model {
    /// (deadline, insertion order) -> value id.
    pending: BTreeMap<(u64, u64), u64>,
    /// Fired by `expire`, not yet collected: (deadline, insertion order) ->
    /// stamp id.
    expired: BTreeMap<(u64, u64), u64>,
    now: u64,
}

fn run(ops: Vec<Op>) {
    let counts = Rc::new(Counts::default());
    let new_value = |id: u64| Value::new(id, &counts);
    let mut wheel: Stamped = Wheel::default();
    let mut model = Model {
        pending: BTreeMap::new(),
        expired: BTreeMap::new(),
        now: 0,
    };
    // Every key ever issued, with the model's key for it.
    let mut issued: Vec<(TimerKey, (u64, u64))> = Vec::new();
    let mut next_id = 1u64 << 32; // ids for replacement values

    for (seq, op) in ops.into_iter().enumerate() {
        let seq = seq as u64;
        let mut insert = |wheel: &mut Stamped, model: &mut Model, deadline: u64| {
            let key = wheel.insert(deadline, new_value(seq));
            assert!(
                !issued.iter().any(|&(old, _)| old == key),
                "a key was issued twice"
            );
            model.pending.insert((deadline, seq), seq);
            issued.push((key, (deadline, seq)));
        };
        match op {
            Op::Insert { ahead } => {
                let deadline = model.now.saturating_add(ahead.ticks());
                insert(&mut wheel, &mut model, deadline);
            }
            Op::InsertPast { behind } => {
                let deadline = model.now.saturating_sub(behind.ticks());
                insert(&mut wheel, &mut model, deadline);
            }
            Op::InsertAt { deadline } => insert(&mut wheel, &mut model, deadline),
            Op::Cancel { pick } => {
                if let Some(&(key, model_key)) = pick_key(&issued, pick) {
                    let got = wheel.cancel(key).map(|value| value.id);
                    assert_eq!(got, model.pending.remove(&model_key), "cancel {key:?}");
                    model.expired.remove(&model_key);
                    assert!(!wheel.contains(key));
                    assert!(wheel.collect(key).is_none(), "cancel frees an expired timer");
                }
            }
            Op::Reschedule { pick, ahead, past } => {
                let deadline = if past {
                    model.now.saturating_sub(ahead.ticks())
                } else {
                    model.now.saturating_add(ahead.ticks())
                };
                if let Some((key, model_key)) = pick_key_mut(&mut issued, pick) {
                    let value = model.pending.remove(model_key);
                    assert_eq!(
                        wheel.reschedule(*key, deadline),
                        value.is_some(),
                        "reschedule {key:?}"
                    );
                    if let Some(value) = value {
                        *model_key = (deadline, seq);
                        model.pending.insert(*model_key, value);
                    }
                }
            }
            Op::Query { pick } => {
                if let Some(&(key, model_key)) = pick_key(&issued, pick) {
                    let pending = model.pending.contains_key(&model_key);
                    assert_eq!(wheel.contains(key), pending, "contains {key:?}");
                    assert_eq!(
                        wheel.deadline(key),
                        pending.then_some(model_key.0),
                        "deadline {key:?}"
                    );
                }
            }
            Op::Replace { pick } => {
                if let Some(&(key, model_key)) = pick_key(&issued, pick) {
                    next_id += 1;
                    let fresh = new_value(next_id);
                    match (wheel.get_mut(key), model.pending.get_mut(&model_key)) {
                        (Some(stored), Some(modelled)) => {
                            assert_eq!(stored.id, *modelled);
                            *stored = fresh; // the old value is dropped here
                            *modelled = next_id;
                        }
                        (None, None) => drop(fresh),
                        (stored, modelled) => panic!(
                            "get_mut {key:?}: wheel {:?}, model {modelled:?}",
                            stored.map(|v| v.id)
                        ),
                    }
                }
            }
            Op::Advance { jump } => {
                let now = model.now.saturating_add(jump.ticks());
                advance_both(&mut wheel, &mut model, now);
            }
            Op::AdvanceTo { now } => advance_both(&mut wheel, &mut model, now),
            Op::Expire { jump } => {
                let now = model.now.saturating_add(jump.ticks());
                let stamp = new_value(seq);
                expire_both(&mut wheel, &mut model, now, stamp);
            }
            Op::Collect { pick } => {
                if let Some(&(key, model_key)) = pick_key(&issued, pick) {
                    let got = wheel.collect(key).map(|stamp| stamp.id);
                    assert_eq!(got, model.expired.remove(&model_key), "collect {key:?}");
                }
            }
        }
        check(&wheel, &model);
    }

    // Drain: every pending timer fires, in order, by u64::MAX.
    advance_both(&mut wheel, &mut model, u64::MAX);
    check(&wheel, &model);
    assert!(wheel.is_empty());
    // Refill a little and drop the wheel with values pending.
    for deadline in [0, 1, 64, 1 << 40, u64::MAX] {
        wheel.insert(deadline, new_value(deadline));
    }
    drop(wheel);
    assert_eq!(
        counts.dropped.get(),
        counts.created.get(),
        "every value and stamp is dropped exactly once"
    );
}

fn pick_key(issued: &[(TimerKey, (u64, u64))], pick: u16) -> Option<&(TimerKey, (u64, u64))> {
    if issued.is_empty() {
        None
    } else {
        issued.get(usize::from(pick) % issued.len())
    }
}

fn pick_key_mut(
    issued: &mut [(TimerKey, (u64, u64))],
    pick: u16,
) -> Option<&mut (TimerKey, (u64, u64))> {
    let len = issued.len();
    if len == 0 {
        None
    } else {
        issued.get_mut(usize::from(pick) % len)
    }
}

fn advance_both(wheel: &mut Stamped, model: &mut Model, to: u64) {
    let mut fired = Vec::new();
    wheel.advance(to, |deadline, value| fired.push((deadline, value.id)));
    model_fires(model, to, &fired);
    assert_eq!(wheel.now(), model.now);
}

/// As `advance_both`, through `expire`: the model keeps the stamp's id for
/// every timer fired.
fn expire_both(wheel: &mut Stamped, model: &mut Model, to: u64, stamp: Value) {
    let mut fired = Vec::new();
    wheel.expire(to, stamp.clone(), |deadline, value| {
        fired.push((deadline, value.id))
    });
    let due = model_fires(model, to, &fired);
    model
        .expired
        .extend(due.into_iter().map(|model_key| (model_key, stamp.id)));
    assert_eq!(wheel.now(), model.now);
}

/// Fires the model's timers due by `to`, checks that the wheel fired the
/// same, and returns their model keys.
fn model_fires(model: &mut Model, to: u64, fired: &[(u64, u64)]) -> Vec<(u64, u64)> {
    let now = to.max(model.now);
    let (due, still_pending): (BTreeMap<_, _>, BTreeMap<_, _>) =
        std::mem::take(&mut model.pending)
            .into_iter()
            .partition(|&((deadline, _), _)| deadline <= now);
    model.pending = still_pending;
    let expected: Vec<(u64, u64)> = due
        .iter()
        .map(|(&(deadline, _), &value)| (deadline, value))
        .collect();
    assert_eq!(fired, expected, "advance to {to} (clock {})", model.now);
    model.now = now;
    due.into_keys().collect()
}

fn check(wheel: &Stamped, model: &Model) {
    assert_eq!(wheel.len(), model.pending.len());
    assert_eq!(wheel.expired_len(), model.expired.len());
    assert_eq!(wheel.is_empty(), model.pending.is_empty());
    match (wheel.next_expiration(), model.pending.keys().next()) {
        (None, None) => {}
        (Some(next), Some(&(earliest, _))) => assert!(
            next <= earliest,
            "next_expiration {next} is after the earliest deadline {earliest}"
        ),
        (wheel_next, model_next) => panic!("wheel {wheel_next:?} vs model {model_next:?}"),
    }
}

fuzz_target!(|ops: Vec<Op>| {
    // Long inputs only slow the search down; 512 ops reach every list.
    let mut ops = ops;
    ops.truncate(512);
    run(ops);
});
