//! The receiving half: `Receiver`, and `RecvFuture`, which waits while the
//! channel is empty and spends the budget when it is not. The `Receiver` is
//! a `Stream` too, polled by the same code as `RecvFuture`.

use super::error::TryRecvError;
use super::RecvHandle;
use crate::coop;
use crossbeam_channel as cb;
use futures_core::Stream;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The receiving end. Dropping it closes the channel: every send, pending
/// or future, fails and gives its value back.
///
/// It is also a [`Stream`] of the items, ending when `recv` would return
/// `None`, with the same budget rule.
pub struct Receiver<T> {
    pub(super) chan: cb::Receiver<T>,
    pub(super) handle: RecvHandle, // after `chan`: see `RecvHandle`
    /// The stream's entry in the receivers' wait list, while it waits.
    pub(super) stream_waiter: Option<u64>,
}

impl<T> Receiver<T> {
    /// Receives the next item, waiting while the channel is empty. Resolves
    /// to `None` once every `Sender` is gone and the channel has been
    /// drained (`Option` rather than `Result`, as in tokio: the end of the
    /// stream is not an error).
    ///
    /// Completing uses a unit of the task's budget: a loop over a channel
    /// that never runs dry yields every 128 items.
    pub fn recv(&self) -> RecvFuture<'_, T> {
        RecvFuture {
            receiver: self,
            waiter: None,
        }
    }

    /// Takes the next item if there is one now, without waiting:
    /// `Err(Closed)` once the channel is closed (by [`close`](Receiver::close)
    /// or the last `Sender` going) and drained.
    ///
    /// It is not a waitfor future, so it takes no budget: a loop of
    /// `try_recv` never yields by itself.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let shared = &self.handle.0;
        let value = match self.chan.try_recv() {
            Ok(value) => value,
            Err(cb::TryRecvError::Disconnected) => return Err(TryRecvError::Closed),
            Err(cb::TryRecvError::Empty) if !shared.closed_for_good() => {
                return Err(TryRecvError::Empty)
            }
            // Closed, and no send can land any more, but one may have
            // landed just before the count was read: look once more.
            Err(cb::TryRecvError::Empty) => {
                self.chan.try_recv().map_err(|_| TryRecvError::Closed)?
            }
        };
        shared.senders.wake_all(); // there is room for one more
        Ok(value)
    }

    /// Closes the channel to the senders without dropping what they sent:
    /// every send from now on fails and gives its value back (waiting ones
    /// too), and `recv` returns the items already queued, then `None`.
    ///
    /// ```
    /// use waitfor_executor::{channel, Executor};
    ///
    /// Executor::new().block_on(async {
    ///     let (tx, mut rx) = channel::unbounded();
    ///     tx.try_send(1).unwrap();
    ///     rx.close();
    ///     assert!(tx.is_closed());
    ///     assert_eq!(tx.try_send(2).unwrap_err().into_inner(), 2);
    ///     assert_eq!((rx.len(), rx.recv().await, rx.recv().await), (1, Some(1), None));
    /// });
    /// ```
    pub fn close(&mut self) {
        self.handle.0.close();
    }

    /// How many items are queued.
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// Whether no item is queued.
    pub fn is_empty(&self) -> bool {
        self.chan.is_empty()
    }

    /// One poll of a receive, whose entry in the wait list is `waiter`:
    /// spends a unit of the budget when an item (or the end) is there, and
    /// files the waker when not.
    fn poll_recv(&self, waiter: &mut Option<u64>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        ready!(coop::poll_proceed(cx));
        let waiters = &self.handle.0.receivers;
        let mut polled = self.poll_once();
        if polled.is_pending() {
            waiters.register(waiter, cx.waker());
            // A sender may have sent (or left) meanwhile, on another thread,
            // and found no waker to wake: look again.
            polled = self.poll_once();
        }
        match polled {
            Poll::Pending => coop::refund(),
            Poll::Ready(_) => waiters.remove(waiter),
        }
        polled
    }

    fn poll_once(&self) -> Poll<Option<T>> {
        match self.try_recv() {
            Ok(value) => Poll::Ready(Some(value)),
            Err(TryRecvError::Closed) => Poll::Ready(None),
            Err(TryRecvError::Empty) => Poll::Pending,
        }
    }
}

// The items are moved in and out of the queue, never pinned in place.
impl<T> Unpin for Receiver<T> {}

impl<T> Stream for Receiver<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        let mut waiter = this.stream_waiter.take();
        let polled = this.poll_recv(&mut waiter, cx);
        this.stream_waiter = waiter;
        polled
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len(), None)
    }
}

impl<T> Drop for Receiver<T> {
    /// Withdraws the stream's waker, so that no task's waker stays held
    /// by a channel nobody can receive from.
    fn drop(&mut self) {
        self.handle.0.receivers.remove(&mut self.stream_waiter);
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

/// The future of [`Receiver::recv`]: the next item, or `None` once the
/// channel is closed and drained.
#[must_use = "futures do nothing unless awaited"]
pub struct RecvFuture<'a, T> {
    receiver: &'a Receiver<T>,
    /// This future's entry in the receivers' wait list, while it waits.
    waiter: Option<u64>,
}

impl<T> Future for RecvFuture<'_, T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        this.receiver.poll_recv(&mut this.waiter, cx)
    }
}

impl<T> Drop for RecvFuture<'_, T> {
    fn drop(&mut self) {
        self.receiver.handle.0.receivers.remove(&mut self.waiter);
    }
}

impl<T> fmt::Debug for RecvFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvFuture").finish_non_exhaustive()
    }
}
