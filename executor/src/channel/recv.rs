//! The receiving half: `Receiver`, and `RecvFuture`, which waits while the
//! channel is empty and spends the budget when it is not.

use super::error::TryRecvError;
use super::RecvHandle;
use crate::budget;
use crossbeam_channel as cb;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The receiving end. Dropping it closes the channel: every send, pending
/// or future, fails and gives its value back.
pub struct Receiver<T> {
    pub(super) chan: cb::Receiver<T>,
    pub(super) handle: RecvHandle, // after `chan`: see `RecvHandle`
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

    /// Takes the next item if there is one now, without waiting.
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        let value = self.chan.try_recv().map_err(|error| match error {
            cb::TryRecvError::Empty => TryRecvError::Empty,
            cb::TryRecvError::Disconnected => TryRecvError::Closed,
        })?;
        self.handle.0.senders.wake_all(); // there is room for one more
        Ok(value)
    }

    fn poll_once(&self) -> Poll<Option<T>> {
        match self.try_recv() {
            Ok(value) => Poll::Ready(Some(value)),
            Err(TryRecvError::Closed) => Poll::Ready(None),
            Err(TryRecvError::Empty) => Poll::Pending,
        }
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
        ready!(budget::poll_proceed(cx));
        let waiters = &this.receiver.handle.0.receivers;
        let mut polled = this.receiver.poll_once();
        if polled.is_pending() {
            waiters.register(&mut this.waiter, cx.waker());
            // A sender may have sent (or left) meanwhile, on another thread,
            // and found no waker to wake: look again.
            polled = this.receiver.poll_once();
        }
        match polled {
            Poll::Pending => budget::refund(),
            Poll::Ready(_) => waiters.remove(&mut this.waiter),
        }
        polled
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
