//! Timer storage: timers in a `Vec`, threaded onto circular lists by index.
//!
//! Every pending timer is one entry in a `Vec`. The wheel's slots are not
//! collections of their own; each is a circular doubly linked list whose
//! links live beside the entries. That gives the three properties the wheel
//! needs:
//!
//! * **O(1) insert and cancel.** Appending to a list and unlinking from the
//!   middle of one touch only the timer's links and its two neighbours'.
//! * **No allocation in steady state.** Freed entries go on a free list and
//!   are reused; the `Vec`s grow only when more timers are pending than ever
//!   before.
//! * **Order within a slot is insertion order.** Lists are FIFO, and moving
//!   entries between lists keeps it, so timers with equal deadlines fire in
//!   the order they were inserted.
//!
//! # Links, and why each list has a head node
//!
//! The links are *nodes* in one `Vec<Link>`: node `l` for `l < lists` is the
//! **head** of list `l`, and node `lists + i` holds the `prev`/`next` of
//! entry `i`. Each list is a ring through its head: an empty list's head
//! points at itself, the head's `next` is the first timer and its `prev` the
//! last. This is the Linux kernel's `list_head`, and it buys three things:
//!
//! * Appending and unlinking never branch on "is this the first or last
//!   timer?": every timer has two real neighbours, heads included.
//! * A list became empty exactly when the timer just unlinked was its own
//!   neighbour on both sides, i.e. both are the head; no extra read needed.
//! * A timer need not remember its list: the ring leads back to the head.
//!
//! # Memory
//!
//! Indices are `u32` (half the size of a pointer). With a `u64` payload an
//! entry is 24 bytes (payload, deadline, generation, and the tag of the
//! `Pending`/`Expired`/`Vacant` enum, which fits in the padding) and its links are 8,
//! so a timer costs 32 bytes. The link `Vec` is grown in step with the entry
//! `Vec`, so it never holds more spare room than the entries do.
//!
//! # Expired entries
//!
//! An entry has a third state besides pending and vacant: **expired**. The
//! wheel's `expire` takes a due timer's value out, unlinks the entry, and
//! leaves a *stamp* in its place under the same generation, so the key still
//! names it until its owner frees it (`free_expired`). An expired entry is in
//! no list, so nothing that walks the lists ever sees it; its stamp lives
//! where the value was, so with a stamp no larger than the value an entry
//! costs the same 32 bytes.
//!
//! # Counting without a counter
//!
//! A count of pending timers would be updated by every insert and every
//! cancel: a read-modify-write of one word in each, which measurably slowed
//! the pair (the figures are in `docs/design-measurements.md`). So the slab
//! keeps no such counter. Each vacant entry
//! instead records how long the free list is from it onward, which costs a
//! cancel one more field of the entry it writes anyway and an insert
//! nothing; the count is the number of entries minus the length recorded by
//! the free list's first entry, minus the expired ones. Those *are* counted,
//! but only where an entry expires or an expired one is freed: never by the
//! insert and cancel of a pending timer.

use crate::key::TimerKey;
use std::num::NonZeroU32;

/// "No entry": the end of the free list.
const NIL: u32 = u32::MAX;

/// Names one list: a wheel slot, or one of the wheel's side lists.
pub(crate) type ListId = u16;

/// A timer's payload, the stamp a fired timer left, or a free place waiting
/// for one.
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
}

/// A node of a circular list: a list's head, or a pending timer. The links
/// of a vacant entry are stale and never read.
#[derive(Clone, Copy)]
struct Link {
    prev: u32,
    next: u32,
}

pub(crate) struct Slab<T, S> {
    entries: Vec<Entry<T, S>>,
    /// `lists` heads, then one node per entry: entry `i` is node `lists + i`.
    links: Vec<Link>,
    /// How many lists there are: the node number of entry 0.
    lists: u32,
    free_head: u32,
    /// How many entries are expired.
    expired: u32,
}

impl<T, S> Slab<T, S> {
    pub(crate) fn with_capacity(lists: usize, capacity: usize) -> Self {
        let mut links = Vec::with_capacity(lists + capacity);
        // Every list starts as a head that is its own neighbour.
        links.extend((0..lists as u32).map(|head| Link {
            prev: head,
            next: head,
        }));
        Slab {
            entries: Vec::with_capacity(capacity),
            links,
            lists: lists as u32,
            free_head: NIL,
            expired: 0,
        }
    }

    /// How many entries are pending.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.entries.len() - self.free_len() as usize - self.expired as usize
    }

    /// How many entries are expired.
    pub(crate) fn expired_len(&self) -> usize {
        self.expired as usize
    }

    /// How many entries are vacant: the free list's length, which its first
    /// entry records.
    #[inline]
    fn free_len(&self) -> u32 {
        match self.entries.get(self.free_head as usize) {
            Some(Entry::Vacant { free_from_here, .. }) => *free_from_here,
            Some(_) => unreachable!("free list points at an entry in use"),
            None => 0, // `free_head` is `NIL`: the free list is empty.
        }
    }

    #[inline]
    pub(crate) fn is_list_empty(&self, list: ListId) -> bool {
        self.links[list as usize].next == list as u32
    }

    /// Stores a timer and appends it to `list`.
    #[inline(always)]
    pub(crate) fn insert(&mut self, deadline: u64, value: T, list: ListId) -> TimerKey {
        let index = self.free_head;
        // `NIL` is past the end of any `Vec`, so this one bounds check also
        // asks whether the free list is empty.
        let Some(slot) = self.entries.get_mut(index as usize) else {
            return self.push(deadline, value, list);
        };
        let Entry::Vacant {
            next_free,
            generation,
            ..
        } = *slot
        else {
            unreachable!("free list points at an entry in use")
        };
        *slot = Entry::Pending {
            value,
            deadline,
            generation,
        };
        self.free_head = next_free;
        self.link_back(self.node(index), list);
        TimerKey { index, generation }
    }

    /// `insert` when the free list is empty: grows both `Vec`s by one timer.
    /// Kept out of line (and reached by a tail call) so that the common path
    /// does not pay to save registers for it; it runs only while more timers
    /// are pending than ever before.
    #[cold]
    #[inline(never)]
    fn push(&mut self, deadline: u64, value: T, list: ListId) -> TimerKey {
        let index = self.entries.len();
        assert!(
            self.lists as usize + index < NIL as usize,
            "timer wheel is full: 2^32 - 1 nodes in use"
        );
        let generation = NonZeroU32::MIN;
        self.entries.push(Entry::Pending {
            value,
            deadline,
            generation,
        });
        // Left to itself the link `Vec` would double from `lists + n` rather
        // than from `n`, and could hold twice the entries' spare room.
        let wanted = self.lists as usize + self.entries.capacity();
        if self.links.capacity() < wanted {
            self.links.reserve_exact(wanted - self.links.len());
        }
        self.links.push(Link {
            prev: NIL,
            next: NIL,
        });
        let index = index as u32;
        self.link_back(self.node(index), list);
        TimerKey { index, generation }
    }

    /// The index of `key`'s entry, if the key is current and its timer
    /// pending.
    #[inline]
    pub(crate) fn resolve(&self, key: TimerKey) -> Option<u32> {
        match self.entries.get(key.index as usize) {
            Some(Entry::Pending { generation, .. }) if *generation == key.generation => {
                Some(key.index)
            }
            _ => None,
        }
    }

    /// The index of `key`'s entry, if the key is current and its timer
    /// expired.
    #[inline]
    pub(crate) fn resolve_expired(&self, key: TimerKey) -> Option<u32> {
        match self.entries.get(key.index as usize) {
            Some(Entry::Expired { generation, .. }) if *generation == key.generation => {
                Some(key.index)
            }
            _ => None,
        }
    }

    pub(crate) fn deadline(&self, index: u32) -> u64 {
        match &self.entries[index as usize] {
            Entry::Pending { deadline, .. } => *deadline,
            _ => unreachable!("entry {index} is not pending"),
        }
    }

    pub(crate) fn value_mut(&mut self, index: u32) -> &mut T {
        match &mut self.entries[index as usize] {
            Entry::Pending { value, .. } => value,
            _ => unreachable!("value of an entry that is not pending"),
        }
    }

    /// The first entry of `list`, if any.
    #[inline]
    pub(crate) fn front(&self, list: ListId) -> Option<u32> {
        self.entry_at(self.links[list as usize].next)
    }

    /// The entry after `index` in its list, if any.
    pub(crate) fn next(&self, index: u32) -> Option<u32> {
        self.entry_at(self.links[self.node(index) as usize].next)
    }

    /// Moves a pending entry to the back of another list.
    pub(crate) fn relink(&mut self, index: u32, list: ListId) {
        self.unlink_entry(index);
        self.link_entry(index, list);
    }

    /// Takes a pending entry out of its list, leaving it pending but in no
    /// list until [`link_entry`](Slab::link_entry); returns the list if it
    /// is now empty.
    pub(crate) fn unlink_entry(&mut self, index: u32) -> Option<ListId> {
        self.unlink(self.node(index))
    }

    /// Appends a pending entry that is in no list to the back of `list`.
    pub(crate) fn link_entry(&mut self, index: u32, list: ListId) {
        self.link_back(self.node(index), list);
    }

    /// Changes a pending entry's deadline (the caller moves it to the list
    /// the new deadline belongs in).
    pub(crate) fn set_deadline(&mut self, index: u32, new: u64) {
        match &mut self.entries[index as usize] {
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
        let Entry::Pending { generation, .. } = self.entries[index as usize] else {
            unreachable!("removing an entry that is not pending");
        };
        let freed = self.vacancy(generation);
        let Entry::Pending { value, .. } =
            std::mem::replace(&mut self.entries[index as usize], freed)
        else {
            unreachable!();
        };
        self.free_head = index;
        let emptied = self.unlink(self.node(index));
        (value, emptied)
    }

    /// Unlinks a pending entry and leaves `stamp` in its place, under the
    /// same generation; returns its value and the list it was in if that
    /// list is now empty.
    #[inline(always)]
    pub(crate) fn expire(&mut self, index: u32, stamp: S) -> (T, Option<ListId>) {
        let slot = &mut self.entries[index as usize];
        let Entry::Pending { generation, .. } = *slot else {
            unreachable!("expiring an entry that is not pending");
        };
        let expired = Entry::Expired { stamp, generation };
        let Entry::Pending { value, .. } = std::mem::replace(slot, expired) else {
            unreachable!();
        };
        self.expired += 1;
        let emptied = self.unlink(self.node(index));
        (value, emptied)
    }

    /// Frees an expired entry and returns its stamp. It is in no list, so
    /// there is nothing to unlink.
    #[inline]
    pub(crate) fn free_expired(&mut self, index: u32) -> S {
        let Entry::Expired { generation, .. } = self.entries[index as usize] else {
            unreachable!("freeing an entry that is not expired");
        };
        let freed = self.vacancy(generation);
        let Entry::Expired { stamp, .. } =
            std::mem::replace(&mut self.entries[index as usize], freed)
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

    /// The node holding entry `index`'s links.
    #[inline]
    fn node(&self, index: u32) -> u32 {
        self.lists + index
    }

    /// The entry at `node`, or `None` if `node` is a list's head (the end of
    /// a walk along that list).
    #[inline]
    fn entry_at(&self, node: u32) -> Option<u32> {
        node.checked_sub(self.lists)
    }

    /// Appends `node` to `list`, between the last node and the head.
    #[inline]
    fn link_back(&mut self, node: u32, list: ListId) {
        let head = list as u32;
        let last = self.links[head as usize].prev;
        self.links[node as usize] = Link {
            prev: last,
            next: head,
        };
        self.links[last as usize].next = node;
        self.links[head as usize].prev = node;
    }

    /// Takes `node` out of its ring by joining its neighbours. Returns the
    /// list if it is now empty: `node` was alone exactly when its neighbours
    /// on both sides are one node, the list's head.
    #[inline]
    fn unlink(&mut self, node: u32) -> Option<ListId> {
        let Link { prev, next } = self.links[node as usize];
        self.links[prev as usize].next = next;
        self.links[next as usize].prev = prev;
        (prev == next).then_some(prev as ListId)
    }
}

#[cfg(test)]
mod tests;
