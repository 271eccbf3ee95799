//! The wheel's lists: circular, doubly linked, through a head record.
//!
//! The lists' **heads** are records of the slab, the first `lists` of its
//! `Vec`, in a fourth entry state, `Head`, which has links and nothing else. Each list
//! is a ring through its head: an empty list's head points at itself, the
//! head's `next` is the first timer and its `prev` the last. This is the
//! Linux kernel's `list_head`, and with heads in the same `Vec` as the
//! timers a node's number *is* its record's index, so following a link
//! never asks which kind of node it names:
//!
//! * Appending and unlinking never branch on "is this the first or last
//!   timer?": every timer has two real neighbours, heads included.
//! * A list became empty exactly when the timer just unlinked was its own
//!   neighbour on both sides, i.e. both are the head; no extra read needed.
//! * A timer need not remember its list: the ring leads back to the head.
//!
//! A separate array of 8-byte heads would save 9 KiB per wheel (386 lists
//! of 24 unused bytes), and make every link access a branch between two
//! arrays.

use super::{Link, ListId, Slab};

impl<T, S> Slab<T, S> {
    #[inline]
    pub(crate) fn is_list_empty(&self, list: ListId) -> bool {
        self.records[list as usize].link.next == list as u32
    }

    /// The first entry of `list`, if any.
    #[inline]
    pub(crate) fn front(&self, list: ListId) -> Option<u32> {
        self.entry_at(self.records[list as usize].link.next)
    }

    /// The entry after `index` in its list, if any.
    pub(crate) fn next(&self, index: u32) -> Option<u32> {
        self.entry_at(self.records[index as usize].link.next)
    }

    /// Moves a pending entry to the back of another list.
    pub(crate) fn relink(&mut self, index: u32, list: ListId) {
        self.unlink(index);
        self.link_back(index, list);
    }

    /// The entry at `node`, or `None` if `node` is a list's head (the end of
    /// a walk along that list).
    #[inline]
    fn entry_at(&self, node: u32) -> Option<u32> {
        (node >= self.lists).then_some(node)
    }

    /// Appends `node` (a pending entry in no list) to `list`, between the
    /// last node and the head.
    #[inline]
    pub(crate) fn link_back(&mut self, node: u32, list: ListId) {
        let head = list as u32;
        let last = self.records[head as usize].link.prev;
        self.records[node as usize].link = Link {
            prev: last,
            next: head,
        };
        self.records[last as usize].link.next = node;
        self.records[head as usize].link.prev = node;
    }

    /// Takes `node` out of its ring by joining its neighbours, leaving it
    /// in no list until [`link_back`](Slab::link_back). Returns the list if
    /// it is now empty: `node` was alone exactly when its neighbours on
    /// both sides are one node, the list's head.
    #[inline]
    pub(crate) fn unlink(&mut self, node: u32) -> Option<ListId> {
        let Link { prev, next } = self.records[node as usize].link;
        self.records[prev as usize].link.next = next;
        self.records[next as usize].link.prev = prev;
        (prev == next).then_some(prev as ListId)
    }
}
