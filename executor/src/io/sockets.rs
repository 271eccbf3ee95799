//! The reactor's table of sockets: per socket and direction, whether it may
//! be ready, and who waits for it.
//!
//! Slots are reused through a free list, and a socket's key is its slot's
//! index, which is also its token in the poller. A key can name a new socket
//! only after the old one was deregistered, and the poller never reports a
//! deregistered socket, so an event can never reach the wrong socket.

use super::Direction;
use std::task::Waker;

#[derive(Default)]
pub(super) struct Sockets {
    slots: Vec<Option<Socket>>,
    free: Vec<usize>,
    /// How many waiters are filed, in all slots.
    awaited: usize,
}

struct Socket {
    ready: [bool; 2],
    waiters: [Option<Waker>; 2],
}

fn index(direction: Direction) -> usize {
    match direction {
        Direction::Read => 0,
        Direction::Write => 1,
    }
}

impl Sockets {
    /// A slot for a new socket, which may be ready both ways.
    pub(super) fn insert(&mut self) -> usize {
        let socket = Some(Socket {
            ready: [true; 2],
            waiters: [None, None],
        });
        match self.free.pop() {
            Some(key) => {
                self.slots[key] = socket;
                key
            }
            None => {
                self.slots.push(socket);
                self.slots.len() - 1
            }
        }
    }

    /// Frees `key`'s slot; returns its waiters, to drop outside the borrow.
    pub(super) fn remove(&mut self, key: usize) -> Vec<Waker> {
        let Some(socket) = self.slots.get_mut(key).and_then(Option::take) else {
            return Vec::new();
        };
        self.free.push(key);
        let waiters: Vec<Waker> = socket.waiters.into_iter().flatten().collect();
        self.awaited -= waiters.len();
        waiters
    }

    pub(super) fn poll_ready(&mut self, key: usize, direction: Direction, waker: &Waker) -> bool {
        let socket = self.slot(key);
        let d = index(direction);
        if socket.ready[d] {
            return true;
        }
        match &mut socket.waiters[d] {
            Some(filed) => filed.clone_from(waker),
            empty => {
                *empty = Some(waker.clone());
                self.awaited += 1;
            }
        }
        false
    }

    pub(super) fn set_ready(&mut self, key: usize, direction: Direction, ready: bool) {
        self.slot(key).ready[index(direction)] = ready;
    }

    pub(super) fn take_waiter(&mut self, key: usize, direction: Direction) -> Option<Waker> {
        let waiter = self.slots.get_mut(key)?.as_mut()?.waiters[index(direction)].take();
        self.awaited -= usize::from(waiter.is_some());
        waiter
    }

    /// The poller reported an edge: `key` may be ready; returns its waiter.
    /// A key with no socket (not possible, see the module's docs) is ignored.
    pub(super) fn became_ready(&mut self, key: usize, direction: Direction) -> Option<Waker> {
        let socket = self.slots.get_mut(key)?.as_mut()?;
        socket.ready[index(direction)] = true;
        self.take_waiter(key, direction)
    }

    pub(super) fn awaited(&self) -> usize {
        self.awaited
    }

    fn slot(&mut self, key: usize) -> &mut Socket {
        self.slots[key]
            .as_mut()
            .expect("a registered socket keeps its slot until it deregisters")
    }
}
