//! Timer storage: one 32-byte record per timer in a `Vec`, threaded onto
//! circular lists by index.
//!
//! Every pending timer is one record in a `Vec`. The wheel's slots are not
//! collections of their own; each is a circular doubly linked list whose
//! links live in the records. That gives the three properties the wheel
//! needs:
//!
//! * **O(1) insert and cancel.** Appending to a list and unlinking from the
//!   middle of one touch only the timer's record and its two neighbours'.
//! * **No allocation in steady state.** Freed records go on a free list and
//!   are reused; the `Vec` grows only when more timers are pending than ever
//!   before.
//! * **Order within a slot is insertion order.** Lists are FIFO, and moving
//!   records between lists keeps it, so timers with equal deadlines fire in
//!   the order they were inserted.
//!
//! # One record: links, deadline and value together
//!
//! A record is a timer's `prev`/`next` links beside its entry (value,
//! deadline, generation, and the tag of the `Pending`/`Expired`/`Vacant`
//! enum, which fits in the generation's padding). Each step along a list
//! (a cascade re-filing a slot, a fire, a cancel) reads the next node's
//! links and then its deadline or value; kept in two `Vec`s, as they once
//! were, those are two cache lines far apart, and at a million timers two
//! misses. With a `u64` value a record is exactly 32 bytes, and it is
//! aligned to 32 so that it never straddles two cache lines (`malloc`
//! hands out large blocks 16 bytes past a page boundary). A larger value
//! rounds the record up to 64 bytes: still one line.
//!
//! The lists' heads are records too, the first `lists` of the `Vec`;
//! the `list` module says why, and holds the list operations.
//!
//! # Growth, and its slack
//!
//! A `Vec` left to itself doubles, so at a given count up to half of its
//! capacity is unused (at 100 000 timers, 131 072 records). This one grows
//! by a quarter of its length (`reserve_exact`), so at most a fifth of its
//! capacity is spare. The price is paid only while more timers are pending
//! than ever before: growing by a factor of 1.25 copies each record about
//! four times in all (the sum of 1/1.25^k), against once for doubling, a
//! few nanoseconds per record on a path that also faults the new pages in.
//!
//! # Expired entries
//!
//! An entry has a third state besides pending and vacant: **expired**. The
//! wheel's `expire` takes a due timer's value out, unlinks the record, and
//! leaves a *stamp* in its place under the same generation, so the key still
//! names it until its owner frees it (`free_expired`). An expired record is
//! in no list, so nothing that walks the lists ever sees it; its stamp lives
//! where the value *and* the deadline were, so a stamp of up to 16 bytes
//! (an `Instant`) beside a `u64` value costs no room: still 32 bytes.
//!
//! # Counting without a counter
//!
//! A count of pending timers would be updated by every insert and every
//! cancel: a read-modify-write of one word in each, which measurably slowed
//! the pair (the figures are in `docs/design-measurements.md`). So the slab
//! keeps no such counter. Each vacant entry instead records how long the
//! free list is from it onward, which costs a cancel one more field of the
//! entry it writes anyway and an insert nothing; the count is the number of
//! records minus the heads, minus the length recorded by the free list's
//! first entry, minus the expired ones. Those *are* counted, but only where
//! an entry expires or an expired one is freed: never by the insert and
//! cancel of a pending timer.

use crate::key::TimerKey;
use std::num::NonZeroU32;

/// "No entry": the end of the free list.
const NIL: u32 = u32::MAX;

/// The fewest records the `Vec` grows by, so that a small wheel does not
/// reallocate at every few timers.
const MIN_GROWTH: usize = 64;

/// Names one list: a wheel slot, or one of the wheel's side lists. It is
/// also the index of the list's head record.
pub(crate) type ListId = u16;

/// A timer's payload, the stamp a fired timer left, a free place waiting
/// for one, or a list's head.
enum Entry<T, S> {
    Pending {
        value: T,
        deadline: u64,
        generation: NonZeroU32,
    },
    /// Fired by `expire`, in no list, waiting for its key's owner.
    Expired { stamp: S, generation: NonZeroU32 },
    Vacant {
        next_free: u32,
        generation: NonZeroU32,
        /// How many entries the free list holds from this one on, this one
        /// included.
        free_from_here: u32,
    },
    /// The head of a list: only its links are used.
    Head,
}

/// A node's place in its circular list. The links of a vacant or expired
/// record are stale and never read.
#[derive(Clone, Copy)]
pub(super) struct Link {
    prev: u32,
    next: u32,
}

/// One node: a list's head, or a timer with its links beside it.
#[repr(align(32))]
struct Record<T, S> {
    link: Link,
    entry: Entry<T, S>,
}

pub(crate) struct Slab<T, S> {
    /// `lists` heads, then the timers: a node's number is its index here.
    records: Vec<Record<T, S>>,
    /// How many lists there are: the index of the first timer's record.
    lists: u32,
    free_head: u32,
    /// How many entries are expired.
    expired: u32,
}

impl<T, S> Slab<T, S> {
    pub(crate) fn with_capacity(lists: usize, capacity: usize) -> Self {
        let mut records = Vec::with_capacity(lists + capacity);
        // Every list starts as a head that is its own neighbour.
        records.extend((0..lists as u32).map(|head| Record {
            link: Link {
                prev: head,
                next: head,
            },
            entry: Entry::Head,
        }));
        Slab {
            records,
            lists: lists as u32,
            free_head: NIL,
            expired: 0,
        }
    }

    /// How many entries are pending.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.records.len() - self.lists as usize - self.free_len() as usize - self.expired as usize
    }

    /// How many entries are expired.
    pub(crate) fn expired_len(&self) -> usize {
        self.expired as usize
    }

    /// How many entries are vacant: the free list's length, which its first
    /// entry records.
    #[inline]
    fn free_len(&self) -> u32 {
        match self.records.get(self.free_head as usize) {
            Some(Record {
                entry: Entry::Vacant { free_from_here, .. },
                ..
            }) => *free_from_here,
            Some(_) => unreachable!("free list points at an entry in use"),
            None => 0, // `free_head` is `NIL`: the free list is empty.
        }
    }

    /// Stores a timer and appends it to `list`.
    #[inline(always)]
    pub(crate) fn insert(&mut self, deadline: u64, value: T, list: ListId) -> TimerKey {
        let index = self.free_head;
        // `NIL` is past the end of any `Vec`, so this one bounds check also
        // asks whether the free list is empty.
        let Some(record) = self.records.get_mut(index as usize) else {
            return self.push(deadline, value, list);
        };
        let Entry::Vacant {
            next_free,
            generation,
            ..
        } = record.entry
        else {
            unreachable!("free list points at an entry in use")
        };
        record.entry = Entry::Pending {
            value,
            deadline,
            generation,
        };
        self.free_head = next_free;
        self.link_back(index, list);
        TimerKey { index, generation }
    }

    /// `insert` when the free list is empty: grows the `Vec` by one timer,
    /// and its capacity by a quarter when it is full. Kept out of line (and
    /// reached by a tail call) so that the common path does not pay to save
    /// registers for it; it runs only while more timers are pending than
    /// ever before.
    #[cold]
    #[inline(never)]
    fn push(&mut self, deadline: u64, value: T, list: ListId) -> TimerKey {
        let index = self.records.len();
        assert!(
            index < NIL as usize,
            "timer wheel is full: 2^32 - 1 nodes in use"
        );
        if index == self.records.capacity() {
            self.records.reserve_exact((index / 4).max(MIN_GROWTH));
        }
        let generation = NonZeroU32::MIN;
        self.records.push(Record {
            link: Link {
                prev: NIL,
                next: NIL,
            },
            entry: Entry::Pending {
                value,
                deadline,
                generation,
            },
        });
        let index = index as u32;
        self.link_back(index, list);
        TimerKey { index, generation }
    }

    /// The index of `key`'s entry, if the key is current and its timer
    /// pending. (A head is never pending, so a key cannot name one.)
    #[inline]
    pub(crate) fn resolve(&self, key: TimerKey) -> Option<u32> {
        match self.records.get(key.index as usize) {
            Some(Record {
                entry: Entry::Pending { generation, .. },
                ..
            }) if *generation == key.generation => Some(key.index),
            _ => None,
        }
    }

    /// The index of `key`'s entry, if the key is current and its timer
    /// expired.
    #[inline]
    pub(crate) fn resolve_expired(&self, key: TimerKey) -> Option<u32> {
        match self.records.get(key.index as usize) {
            Some(Record {
                entry: Entry::Expired { generation, .. },
                ..
            }) if *generation == key.generation => Some(key.index),
            _ => None,
        }
    }

    pub(crate) fn deadline(&self, index: u32) -> u64 {
        match &self.records[index as usize].entry {
            Entry::Pending { deadline, .. } => *deadline,
            _ => unreachable!("entry {index} is not pending"),
        }
    }

    pub(crate) fn value_mut(&mut self, index: u32) -> &mut T {
        match &mut self.records[index as usize].entry {
            Entry::Pending { value, .. } => value,
            _ => unreachable!("value of an entry that is not pending"),
        }
    }

    /// Changes a pending entry's deadline (the caller moves it to the list
    /// the new deadline belongs in).
    pub(crate) fn set_deadline(&mut self, index: u32, new: u64) {
        match &mut self.records[index as usize].entry {
            Entry::Pending { deadline, .. } => *deadline = new,
            _ => unreachable!("deadline of an entry that is not pending"),
        }
    }

    /// Unlinks and frees a pending entry, returning its value and the list it
    /// was in if that list is now empty. One read of the entry, one write.
    ///
    /// The deadline is deliberately not returned: a caller that wants it
    /// reads it first. Returning it made the compiler load `value` and
    /// `deadline` with one 16-byte load, which the CPU cannot forward from
    /// the two 8-byte stores `insert` wrote them with; after an insert, a
    /// cancel stalled there (`perf` put half of its samples on that load).
    #[inline(always)]
    pub(crate) fn remove(&mut self, index: u32) -> (T, Option<ListId>) {
        let Entry::Pending { generation, .. } = self.records[index as usize].entry else {
            unreachable!("removing an entry that is not pending");
        };
        let freed = self.vacancy(generation);
        let Entry::Pending { value, .. } =
            std::mem::replace(&mut self.records[index as usize].entry, freed)
        else {
            unreachable!();
        };
        self.free_head = index;
        let emptied = self.unlink(index);
        (value, emptied)
    }

    /// Unlinks a pending entry and leaves `stamp` in its place, under the
    /// same generation; returns its value and the list it was in if that
    /// list is now empty.
    #[inline(always)]
    pub(crate) fn expire(&mut self, index: u32, stamp: S) -> (T, Option<ListId>) {
        let entry = &mut self.records[index as usize].entry;
        let Entry::Pending { generation, .. } = *entry else {
            unreachable!("expiring an entry that is not pending");
        };
        let expired = Entry::Expired { stamp, generation };
        let Entry::Pending { value, .. } = std::mem::replace(entry, expired) else {
            unreachable!();
        };
        self.expired += 1;
        let emptied = self.unlink(index);
        (value, emptied)
    }

    /// Frees an expired entry and returns its stamp. It is in no list, so
    /// there is nothing to unlink.
    #[inline]
    pub(crate) fn free_expired(&mut self, index: u32) -> S {
        let Entry::Expired { generation, .. } = self.records[index as usize].entry else {
            unreachable!("freeing an entry that is not expired");
        };
        let freed = self.vacancy(generation);
        let Entry::Expired { stamp, .. } =
            std::mem::replace(&mut self.records[index as usize].entry, freed)
        else {
            unreachable!();
        };
        self.free_head = index;
        self.expired -= 1;
        stamp
    }

    /// What an entry of `generation` becomes when freed: the free list's new
    /// first entry, one generation on, so that its old key is stale.
    #[inline(always)]
    fn vacancy(&self, generation: NonZeroU32) -> Entry<T, S> {
        Entry::Vacant {
            next_free: self.free_head,
            generation: generation.checked_add(1).unwrap_or(NonZeroU32::MIN),
            free_from_here: self.free_len() + 1,
        }
    }
}

mod list;
#[cfg(test)]
mod tests;
