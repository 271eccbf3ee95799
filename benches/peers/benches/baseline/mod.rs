//! The common shape the timer benchmark drives, and the two classic timer
//! queues the wheel is measured against.
//!
//! [`TimerQueue`] is the smallest API every event loop needs from its timers:
//! insert a deadline and get a key back, cancel by key, and advance the clock
//! firing whatever is due. The benchmark bodies in `timer.rs` are written once
//! against it and run for each implementation:
//!
//! * `Wheel<u64>`: the crate under test, wrapped without any change.
//! * [`HeapQueue`]: a `BinaryHeap` with lazy deletion (how it cancels is
//!   explained on the type).
//! * [`BTreeQueue`]: a `BTreeMap<(deadline, seq), value>`, the structure
//!   async-io's reactor keeps its timers in.
//!
//! All three give the same guarantees, so they do the same work: a timer
//! fires once, never early, in deadline order, and timers with equal
//! deadlines fire in insertion order (the baselines carry a sequence number
//! for that, as the wheel's FIFO slots do for free).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};
use waitfor::timer::{TimerKey, Wheel};

/// Ticks are `u64`, the payload is `u64`: what the benchmark stores.
pub trait TimerQueue {
    /// What `insert` hands back and `cancel` takes.
    type Key: Copy;
    /// The name that labels this structure in the benchmark ids.
    const NAME: &'static str;

    /// An empty queue with the clock at tick 0 and nothing preallocated.
    fn new() -> Self;
    /// How many timers are pending.
    fn len(&self) -> usize;
    /// Adds a timer due at `deadline`.
    fn insert(&mut self, deadline: u64, value: u64) -> Self::Key;
    /// Removes a pending timer; `None` if it already fired or was cancelled.
    fn cancel(&mut self, key: Self::Key) -> Option<u64>;
    /// Moves the clock to `now`, calling `fire(deadline, value)` for every
    /// timer due at or before it, in deadline order.
    fn advance(&mut self, now: u64, fire: impl FnMut(u64, u64));
}

impl TimerQueue for Wheel<u64> {
    type Key = TimerKey;
    const NAME: &'static str = "wheel";

    fn new() -> Self {
        Wheel::new()
    }
    fn len(&self) -> usize {
        Wheel::len(self)
    }
    fn insert(&mut self, deadline: u64, value: u64) -> TimerKey {
        Wheel::insert(self, deadline, value)
    }
    fn cancel(&mut self, key: TimerKey) -> Option<u64> {
        Wheel::cancel(self, key)
    }
    fn advance(&mut self, now: u64, fire: impl FnMut(u64, u64)) {
        Wheel::advance(self, now, fire)
    }
}

/// A binary min-heap of deadlines with **lazy deletion**.
///
/// Values live in a slab (`slots`, reused through a free list); the heap
/// holds only `(deadline, seq, slot, generation)`. A key is `(slot,
/// generation)`.
///
/// *Cancel* is O(1) and does not touch the heap: it takes the value out of
/// the slab and bumps the slot's generation. The heap entry stays behind as a
/// tombstone, recognisable because its generation no longer matches its slot
/// (even after the slot is reused for a new timer). `advance` pops
/// tombstones and discards them.
///
/// Tombstones of timers cancelled long before their deadline would pile up
/// forever, so once they outnumber the live timers the heap is compacted
/// (`retain` + rebuild, O(n)), which keeps the heap at most about twice the
/// live count and costs O(1) amortised per cancel. *Insert* is a push,
/// O(log n) worst case (a new earliest deadline sifts to the root); *firing*
/// is a pop, O(log n).
pub struct HeapQueue {
    heap: BinaryHeap<Reverse<HeapEntry>>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    live: usize,
    seq: u64,
}

/// Ordered by deadline, then insertion order; `slot` and `generation` never
/// decide (`seq` is unique).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct HeapEntry {
    deadline: u64,
    seq: u64,
    slot: u32,
    generation: u32,
}

struct Slot {
    generation: u32,
    value: Option<u64>,
}

impl HeapQueue {
    /// Whether a heap entry still stands for a pending timer.
    fn is_live(&self, entry: &HeapEntry) -> bool {
        self.slots[entry.slot as usize].generation == entry.generation
    }

    /// Empties a slot: takes its value and invalidates every key and heap
    /// entry that names it.
    fn vacate(&mut self, slot: u32) -> u64 {
        let cell = &mut self.slots[slot as usize];
        let value = cell.value.take().expect("vacating an empty slot");
        cell.generation = cell.generation.wrapping_add(1);
        self.free.push(slot);
        self.live -= 1;
        value
    }
}

impl TimerQueue for HeapQueue {
    type Key = (u32, u32);
    const NAME: &'static str = "binary_heap";

    fn new() -> Self {
        HeapQueue {
            heap: BinaryHeap::new(),
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            seq: 0,
        }
    }

    fn len(&self) -> usize {
        self.live
    }

    fn insert(&mut self, deadline: u64, value: u64) -> (u32, u32) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize].value = Some(value);
                slot
            }
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    value: Some(value),
                });
                (self.slots.len() - 1) as u32
            }
        };
        let generation = self.slots[slot as usize].generation;
        self.seq += 1;
        self.heap.push(Reverse(HeapEntry {
            deadline,
            seq: self.seq,
            slot,
            generation,
        }));
        self.live += 1;
        (slot, generation)
    }

    fn cancel(&mut self, (slot, generation): (u32, u32)) -> Option<u64> {
        match self.slots.get(slot as usize) {
            Some(cell) if cell.generation == generation && cell.value.is_some() => {}
            _ => return None,
        }
        let value = self.vacate(slot);
        let tombstones = self.heap.len() - self.live;
        if tombstones > self.live.max(32) {
            let slots = &self.slots;
            self.heap
                .retain(|Reverse(entry)| slots[entry.slot as usize].generation == entry.generation);
        }
        Some(value)
    }

    fn advance(&mut self, now: u64, mut fire: impl FnMut(u64, u64)) {
        while let Some(&Reverse(top)) = self.heap.peek() {
            if top.deadline > now {
                break;
            }
            self.heap.pop();
            if self.is_live(&top) {
                let value = self.vacate(top.slot);
                fire(top.deadline, value);
            }
        }
    }
}

/// A `BTreeMap<(deadline, seq), value>`: the ordered map async-io's reactor
/// keeps its timers in. The key *is* the timer's handle; `seq` makes equal
/// deadlines distinct and fire in insertion order. Insert, cancel and firing
/// one timer are all O(log n) on a B-tree of nodes holding up to 11 keys.
pub struct BTreeQueue {
    map: BTreeMap<(u64, u64), u64>,
    seq: u64,
}

impl TimerQueue for BTreeQueue {
    type Key = (u64, u64);
    const NAME: &'static str = "btree_map";

    fn new() -> Self {
        BTreeQueue {
            map: BTreeMap::new(),
            seq: 0,
        }
    }

    fn len(&self) -> usize {
        self.map.len()
    }

    fn insert(&mut self, deadline: u64, value: u64) -> (u64, u64) {
        self.seq += 1;
        let key = (deadline, self.seq);
        self.map.insert(key, value);
        key
    }

    fn cancel(&mut self, key: (u64, u64)) -> Option<u64> {
        self.map.remove(&key)
    }

    fn advance(&mut self, now: u64, mut fire: impl FnMut(u64, u64)) {
        while let Some(first) = self.map.first_entry() {
            if first.key().0 > now {
                break;
            }
            let ((deadline, _), value) = first.remove_entry();
            fire(deadline, value);
        }
    }
}
