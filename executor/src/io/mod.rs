//! The reactor: step 3 of the loop, park, waiting on sockets as well as timers.
//!
//! A loop with nothing ready must sleep until something can happen: the next
//! timer, a wake from another thread, or a socket becoming readable or
//! writable. asyncio sleeps in `selector.select(timeout)`, tokio in
//! `epoll_wait`, both with the earliest timer as the timeout. So does this
//! one: `Core::park` hands the wheel's next deadline to [`Reactor::wait`],
//! which waits in the system's poller (epoll on Linux, kqueue on the BSDs,
//! through the `mio` crate; chosen over `polling` because registering a
//! socket with `polling` is an `unsafe fn`, and this crate forbids `unsafe`).
//!
//! The poller is **edge-triggered**: it reports a socket when it *becomes*
//! ready, not while it stays ready. So the reactor remembers, per socket and
//! direction, whether it may be ready ([`Sockets`]). An operation is tried
//! while that says yes; when the system answers `WouldBlock`, the flag goes
//! down and the task's waker is filed; the poller's next edge for that socket
//! raises the flag and wakes the task, which tries again. A socket starts as
//! "may be ready", so a fresh one is tried before anyone waits.
//!
//! A loop whose tasks await no socket never enters the poller: it parks on
//! its wake channel exactly as it did before there were sockets, and the
//! reactor costs nothing. One that does must hear wakes from other threads
//! while it sits in the poller; the [`Doorbell`] sees to that.
//!
//! Everything here runs on the loop's thread, so readiness needs no locks:
//! events are only read inside [`Reactor::wait`], between polls.

mod doorbell;
mod sockets;
mod source;

pub(crate) use doorbell::{Doorbell, RemoteSender};
pub(crate) use source::Registered;

use crate::ids::TaskId;
use crossbeam_channel::Receiver;
use sockets::Sockets;
use std::cell::RefCell;
use std::io;
use std::sync::Arc;
use std::task::Waker;
use std::time::Duration;

/// Which readiness an operation waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Read,
    Write,
}

/// The poller's token for the doorbell; sockets use their slot index.
const DOORBELL: mio::Token = mio::Token(usize::MAX);

/// Events read per wait; more stay with the system for the next wait.
const EVENTS_PER_WAIT: usize = 256;

/// One executor's poller and the readiness of its sockets.
pub(crate) struct Reactor {
    poll: RefCell<mio::Poll>,
    events: RefCell<mio::Events>,
    sockets: RefCell<Sockets>,
    doorbell: Arc<Doorbell>,
}

impl Reactor {
    /// A poller whose doorbell is `doorbell`: wakes from other threads
    /// interrupt its waits.
    pub(crate) fn new(doorbell: Arc<Doorbell>) -> io::Result<Self> {
        let poll = mio::Poll::new()?;
        doorbell.wire(mio::Waker::new(poll.registry(), DOORBELL)?);
        Ok(Reactor {
            poll: RefCell::new(poll),
            events: RefCell::new(mio::Events::with_capacity(EVENTS_PER_WAIT)),
            sockets: RefCell::default(),
            doorbell,
        })
    }

    /// Registers `source` for both directions; returns its key.
    pub(crate) fn register(&self, source: &mut impl mio::event::Source) -> io::Result<usize> {
        let key = self.sockets.borrow_mut().insert();
        let interest = mio::Interest::READABLE | mio::Interest::WRITABLE;
        if let Err(error) =
            self.poll
                .borrow()
                .registry()
                .register(source, mio::Token(key), interest)
        {
            self.sockets.borrow_mut().remove(key);
            return Err(error);
        }
        Ok(key)
    }

    /// Forgets `key`'s socket; its waiters (there should be none: they
    /// borrow the socket) are dropped.
    pub(crate) fn deregister(&self, key: usize, source: &mut impl mio::event::Source) {
        // Deregistering fails only if the socket was never registered or is
        // already closed, and closing a socket removes it from the poller.
        let _ = self.poll.borrow().registry().deregister(source);
        let waiters = self.sockets.borrow_mut().remove(key);
        drop(waiters);
    }

    /// True if `key` may be ready in `direction`; otherwise files `waker`,
    /// to be woken at the next edge.
    pub(crate) fn poll_ready(&self, key: usize, direction: Direction, waker: &Waker) -> bool {
        self.sockets.borrow_mut().poll_ready(key, direction, waker)
    }

    /// The system said `WouldBlock`: `key` is not ready in `direction` until
    /// the poller says so.
    pub(crate) fn not_ready(&self, key: usize, direction: Direction) {
        self.sockets.borrow_mut().set_ready(key, direction, false);
    }

    /// The operation that filed a waker for `key` is over (done or dropped).
    pub(crate) fn forget_waiter(&self, key: usize, direction: Direction) {
        let waiter = self.sockets.borrow_mut().take_waiter(key, direction);
        drop(waiter);
    }

    /// How many operations wait for a socket: while any does, the loop
    /// parks in the poller.
    pub(crate) fn awaited(&self) -> usize {
        self.sockets.borrow().awaited()
    }

    /// Waits up to `timeout` (`None`: no limit) for a socket edge or a wake
    /// from another thread, unless one is already in `remote`; wakes the
    /// tasks whose sockets became ready. Returns false if the time ran out
    /// with nothing to show for it.
    pub(crate) fn wait(&self, timeout: Option<Duration>, remote: &Receiver<TaskId>) -> bool {
        self.doorbell.entering_poller();
        if !remote.is_empty() && timeout != Some(Duration::ZERO) {
            self.doorbell.left_poller();
            return true;
        }
        let mut events = self.events.borrow_mut();
        let outcome = self.poll.borrow_mut().poll(&mut events, timeout);
        self.doorbell.left_poller();
        match outcome {
            Ok(()) => {}
            // A signal cut the wait short: a turn will look again.
            Err(error) if error.kind() == io::ErrorKind::Interrupted => return true,
            Err(error) => panic!("waitfor: the poller failed while the loop parked: {error}"),
        }
        let mut woken = Vec::new();
        let mut sockets = self.sockets.borrow_mut();
        for event in events.iter().filter(|event| event.token() != DOORBELL) {
            let key = event.token().0;
            let closed_or_failed = event.is_error();
            if event.is_readable() || event.is_read_closed() || closed_or_failed {
                woken.extend(sockets.became_ready(key, Direction::Read));
            }
            if event.is_writable() || event.is_write_closed() || closed_or_failed {
                woken.extend(sockets.became_ready(key, Direction::Write));
            }
        }
        drop(sockets);
        let anything = !events.is_empty();
        drop(events);
        // Woken outside the borrows: a waker may be anybody's code.
        woken.into_iter().for_each(Waker::wake);
        anything
    }
}
