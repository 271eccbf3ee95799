//! A socket registered with its executor's reactor, and the one way to use
//! it: try the operation, and if the system says `WouldBlock`, wait for the
//! poller's next edge and try again.
//!
//! Every operation of `waitfor::net` goes through [`Registered::io`]. Each
//! spends one unit of the cooperative budget (`budget.rs`), as a channel
//! receive does: a read loop over a socket that always has data yields to
//! the loop every 128 reads, so its timers still fire.
//!
//! The waiter an operation files is forgotten when it ends, done or dropped
//! (a `wait_for` that times out drops it): a socket that nobody awaits any
//! more must not keep the loop in the poller, nor hold the task's waker.

use super::{Direction, Reactor};
use crate::context;
use crate::coop;
use std::future::poll_fn;
use std::io;
use std::rc::Rc;
use std::task::Poll;

pub(crate) struct Registered<S: mio::event::Source> {
    io: S,
    key: usize,
    reactor: Rc<Reactor>,
}

impl<S: mio::event::Source> Registered<S> {
    /// Registers `io` with the current executor's reactor (made on first use).
    ///
    /// # Panics
    /// Outside an executor, naming `what`.
    pub(crate) fn new(what: &str, mut io: S) -> io::Result<Self> {
        let reactor = context::with_core(what, |core| core.reactor())?;
        let key = reactor.register(&mut io)?;
        Ok(Registered { io, key, reactor })
    }

    pub(crate) fn get_ref(&self) -> &S {
        &self.io
    }

    /// Runs `operation` until it does not answer `WouldBlock`, waiting for
    /// `direction`'s readiness in between.
    pub(crate) async fn io<R>(
        &self,
        direction: Direction,
        mut operation: impl FnMut(&S) -> io::Result<R>,
    ) -> io::Result<R> {
        struct ForgetWaiter<'a>(&'a Reactor, usize, Direction);
        impl Drop for ForgetWaiter<'_> {
            fn drop(&mut self) {
                self.0.forget_waiter(self.1, self.2);
            }
        }
        let _forget = ForgetWaiter(&self.reactor, self.key, direction);
        poll_fn(|cx| {
            if coop::poll_proceed(cx).is_pending() {
                return Poll::Pending;
            }
            loop {
                if !self.reactor.poll_ready(self.key, direction, cx.waker()) {
                    coop::refund(); // waiting is not progress
                    return Poll::Pending;
                }
                match operation(&self.io) {
                    Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                        self.reactor.not_ready(self.key, direction);
                    }
                    outcome => return Poll::Ready(outcome),
                }
            }
        })
        .await
    }
}

impl<S: mio::event::Source> Drop for Registered<S> {
    fn drop(&mut self) {
        self.reactor.deregister(self.key, &mut self.io);
    }
}
