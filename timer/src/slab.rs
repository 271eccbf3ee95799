//! Timer storage: one `Vec` of entries, threaded onto doubly linked lists by index.
//!
//! Every pending timer is one entry in a single `Vec`. The wheel's slots are
//! not collections of their own; each is just the head and tail index of a
//! list whose links live inside the entries. That gives the three properties
//! the wheel needs:
//!
//! * **O(1) insert and cancel.** Appending to a list and unlinking from the
//!   middle of one touch only the entry and its two neighbours.
//! * **No allocation in steady state.** Freed entries go on a free list and
//!   are reused; the `Vec` grows only when more timers are pending than ever
//!   before.
//! * **Order within a slot is insertion order.** Lists are FIFO, and moving
//!   entries between lists keeps it, so timers with equal deadlines fire in
//!   the order they were inserted.
//!
//! Indices are `u32` (half the size of a pointer), which with the enum layout
//! below keeps an entry with a `u64` payload at 32 bytes.

use crate::key::TimerKey;
use std::num::NonZeroU32;

/// "No entry": the end of a list or of the free list.
const NIL: u32 = u32::MAX;

/// Names one list: a wheel slot, or one of the wheel's side lists.
pub(crate) type ListId = u16;

enum Entry<T> {
    Pending {
        value: T,
        deadline: u64,
        prev: u32,
        next: u32,
        generation: NonZeroU32,
        list: ListId,
    },
    Vacant {
        next_free: u32,
        generation: NonZeroU32,
    },
}

#[derive(Clone, Copy)]
struct List {
    head: u32,
    tail: u32,
}

const EMPTY: List = List {
    head: NIL,
    tail: NIL,
};

pub(crate) struct Slab<T> {
    entries: Vec<Entry<T>>,
    lists: Vec<List>,
    free_head: u32,
    len: usize,
}

impl<T> Slab<T> {
    pub(crate) fn with_capacity(lists: usize, capacity: usize) -> Self {
        Slab {
            entries: Vec::with_capacity(capacity),
            lists: vec![EMPTY; lists],
            free_head: NIL,
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub(crate) fn is_list_empty(&self, list: ListId) -> bool {
        self.lists[list as usize].head == NIL
    }

    /// Stores a timer and appends it to `list`.
    #[inline]
    pub(crate) fn insert(&mut self, deadline: u64, value: T, list: ListId) -> TimerKey {
        let index = match self.free_head {
            NIL => self.push_vacant(),
            index => index,
        };
        let ends = &mut self.lists[list as usize];
        let prev = ends.tail;
        ends.tail = index;
        if prev == NIL {
            ends.head = index;
        }
        let slot = &mut self.entries[index as usize];
        let Entry::Vacant {
            next_free,
            generation,
        } = *slot
        else {
            unreachable!("free list points at a pending entry")
        };
        *slot = Entry::Pending {
            value,
            deadline,
            prev,
            next: NIL,
            generation,
            list,
        };
        self.free_head = next_free;
        self.len += 1;
        if prev != NIL {
            self.set_next(prev, index);
        }
        TimerKey { index, generation }
    }

    /// Grows the `Vec` by one vacant entry and returns its index; the free
    /// list stays empty (the new entry's `next_free` is `NIL`). Kept out of
    /// line: it runs only while the wheel holds more timers than ever before.
    #[cold]
    #[inline(never)]
    fn push_vacant(&mut self) -> u32 {
        let index = self.entries.len();
        assert!(
            index < NIL as usize,
            "timer wheel is full: 2^32 - 1 timers pending"
        );
        self.entries.push(Entry::Vacant {
            next_free: NIL,
            generation: NonZeroU32::MIN,
        });
        index as u32
    }

    /// The index of `key`'s entry, if the key is still current.
    #[inline]
    pub(crate) fn resolve(&self, key: TimerKey) -> Option<u32> {
        match self.entries.get(key.index as usize) {
            Some(Entry::Pending { generation, .. }) if *generation == key.generation => {
                Some(key.index)
            }
            _ => None,
        }
    }

    pub(crate) fn deadline(&self, index: u32) -> u64 {
        self.pending(index).1
    }

    pub(crate) fn value_mut(&mut self, index: u32) -> &mut T {
        match &mut self.entries[index as usize] {
            Entry::Pending { value, .. } => value,
            Entry::Vacant { .. } => unreachable!("value of a vacant entry"),
        }
    }

    /// `(next, deadline)` of a pending entry.
    fn pending(&self, index: u32) -> (u32, u64) {
        match &self.entries[index as usize] {
            Entry::Pending { next, deadline, .. } => (*next, *deadline),
            Entry::Vacant { .. } => unreachable!("entry {index} is vacant"),
        }
    }

    /// The first entry of `list`, if any.
    #[inline]
    pub(crate) fn front(&self, list: ListId) -> Option<u32> {
        let head = self.lists[list as usize].head;
        (head != NIL).then_some(head)
    }

    /// The entry after `index` in its list, if any.
    pub(crate) fn next(&self, index: u32) -> Option<u32> {
        let next = self.pending(index).0;
        (next != NIL).then_some(next)
    }

    /// Moves a pending entry to the back of another list.
    pub(crate) fn relink(&mut self, index: u32, list: ListId) {
        let (prev, next, old_list) = match &self.entries[index as usize] {
            Entry::Pending {
                prev, next, list, ..
            } => (*prev, *next, *list),
            Entry::Vacant { .. } => unreachable!("relinking a vacant entry"),
        };
        self.join(prev, next, old_list);
        let ends = &mut self.lists[list as usize];
        let new_prev = ends.tail;
        ends.tail = index;
        if new_prev == NIL {
            ends.head = index;
        } else {
            self.set_next(new_prev, index);
        }
        if let Entry::Pending {
            prev,
            next,
            list: owner,
            ..
        } = &mut self.entries[index as usize]
        {
            *prev = new_prev;
            *next = NIL;
            *owner = list;
        }
    }

    /// Unlinks and frees a pending entry, returning its value and the list it
    /// was in if that list is now empty. One read of the entry, one write.
    ///
    /// The deadline is deliberately not returned: a caller that wants it
    /// reads it first. Returning it made the compiler load `value` and
    /// `deadline` with one 16-byte load, which the CPU cannot forward from
    /// the two 8-byte stores `insert` wrote them with; that stall was half
    /// the cost of an insert-then-cancel.
    #[inline]
    pub(crate) fn remove(&mut self, index: u32) -> (T, Option<ListId>) {
        let slot = &mut self.entries[index as usize];
        let Entry::Pending { generation, .. } = *slot else {
            unreachable!("removing a vacant entry");
        };
        let freed = Entry::Vacant {
            next_free: self.free_head,
            generation: generation.checked_add(1).unwrap_or(NonZeroU32::MIN),
        };
        let Entry::Pending {
            value,
            prev,
            next,
            list,
            ..
        } = std::mem::replace(slot, freed)
        else {
            unreachable!();
        };
        self.free_head = index;
        self.len -= 1;
        let emptied = self.join(prev, next, list).then_some(list);
        (value, emptied)
    }

    /// Links `prev` and `next` of `list` to each other, closing the gap left
    /// by the entry that was between them. Returns whether the list is now
    /// empty: the gap was its only entry exactly when there is nothing on
    /// either side, so the list's head need not be read again.
    #[inline]
    fn join(&mut self, prev: u32, next: u32, list: ListId) -> bool {
        let ends = &mut self.lists[list as usize];
        if prev == NIL {
            ends.head = next;
        }
        if next == NIL {
            ends.tail = prev;
        }
        if prev != NIL {
            self.set_next(prev, next);
        }
        if next != NIL {
            if let Entry::Pending { prev: p, .. } = &mut self.entries[next as usize] {
                *p = prev;
            }
        }
        prev == NIL && next == NIL
    }

    #[inline]
    fn set_next(&mut self, index: u32, to: u32) {
        if let Entry::Pending { next, .. } = &mut self.entries[index as usize] {
            *next = to;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_with_a_u64_payload_is_32_bytes() {
        assert_eq!(std::mem::size_of::<Entry<u64>>(), 32);
    }

    #[test]
    fn lists_are_fifo_and_unlink_from_the_middle() {
        let mut slab = Slab::with_capacity(2, 0);
        let keys: Vec<_> = (0..4).map(|i| slab.insert(i, i, 0)).collect();
        let middle = slab.resolve(keys[1]).unwrap();
        assert_eq!(slab.remove(middle), (1, None));
        let mut order = vec![];
        let mut cursor = slab.front(0);
        while let Some(index) = cursor {
            order.push(slab.deadline(index));
            cursor = slab.next(index);
        }
        assert_eq!(order, [0, 2, 3]);
        assert!(slab.resolve(keys[1]).is_none(), "a freed key is stale");
        let reused = slab.insert(9, 9, 1);
        assert_eq!(reused.index, keys[1].index, "freed slots are reused");
        assert!(
            slab.resolve(keys[1]).is_none(),
            "and the old key stays stale"
        );
        assert_eq!(slab.len(), 4);
    }
}
