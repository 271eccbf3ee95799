//! The sending half: `Sender`, and `SendFuture`, which waits while a bounded
//! channel is full.

use super::error::{SendError, TrySendError};
use super::SendHandle;
use crate::coop;
use crossbeam_channel as cb;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The sending end. Clone it for more producers; it may move to other
/// threads (when `T: Send`). Dropping the last one closes the channel.
pub struct Sender<T> {
    pub(super) chan: cb::Sender<T>,
    pub(super) handle: SendHandle, // after `chan`: see `SendHandle`
}

impl<T> Sender<T> {
    /// Sends `value`, waiting while a bounded channel is full. Fails, giving
    /// the value back, if the receiver is gone (also while waiting).
    ///
    /// Completing uses a unit of the task's budget.
    pub fn send(&self, value: T) -> SendFuture<'_, T> {
        SendFuture {
            sender: self,
            value: Some(value),
            waiter: None,
        }
    }

    /// Sends `value` if there is room now, without waiting.
    ///
    /// It is not a waitfor future, so it takes no budget: a loop of
    /// `try_send` never yields by itself.
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        let shared = &self.handle.0;
        shared
            .send_unless_closed(value, |value| self.chan.try_send(value))
            .map_err(TrySendError::Closed)?
            .map_err(|error| match error {
                cb::TrySendError::Full(value) => TrySendError::Full(value),
                cb::TrySendError::Disconnected(value) => TrySendError::Closed(value),
            })?;
        shared.receivers.wake_all();
        Ok(())
    }

    /// Whether the receiver has closed the channel or been dropped, so that
    /// every send fails.
    pub fn is_closed(&self) -> bool {
        self.handle.0.is_closed()
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Sender {
            chan: self.chan.clone(),
            handle: self.handle.clone(),
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

/// The future of [`Sender::send`]: `Ok(())` once the value is in the channel,
/// `Err(SendError(value))` if the receiver is gone.
#[must_use = "futures do nothing unless awaited"]
pub struct SendFuture<'a, T> {
    sender: &'a Sender<T>,
    /// `None` once sent.
    value: Option<T>,
    /// This future's entry in the senders' wait list, while it waits.
    waiter: Option<u64>,
}

// The value is moved in and out, never pinned in place.
impl<T> Unpin for SendFuture<'_, T> {}

impl<T> Future for SendFuture<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        ready!(coop::poll_proceed(cx));
        let value = this
            .value
            .take()
            .expect("SendFuture polled after it completed");
        let waiters = &this.sender.handle.0.senders;
        let sent = match this.sender.try_send(value) {
            Err(TrySendError::Full(value)) => {
                waiters.register(&mut this.waiter, cx.waker());
                // The receiver may have made room meanwhile, on another
                // thread, and found no waker to wake: look again.
                match this.sender.try_send(value) {
                    Err(TrySendError::Full(value)) => {
                        this.value = Some(value);
                        coop::refund();
                        return Poll::Pending;
                    }
                    other => other,
                }
            }
            other => other,
        };
        waiters.remove(&mut this.waiter);
        Poll::Ready(sent.map_err(|error| SendError(error.into_inner())))
    }
}

impl<T> Drop for SendFuture<'_, T> {
    fn drop(&mut self) {
        self.sender.handle.0.senders.remove(&mut self.waiter);
    }
}

impl<T> fmt::Debug for SendFuture<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFuture").finish_non_exhaustive()
    }
}
