//! An async multi-producer, single-consumer channel, on `crossbeam-channel`.
//!
//! # Why it is here
//!
//! The write-up's data feed is a channel that never runs dry: a producer
//! pushes ticks faster than the consumer handles them, so every
//! `rx.recv().await` finds an item and is ready at once. A loop over such a
//! channel never returns `Pending`, never gives the loop back, and starves
//! every timer exactly as a blocking call does, although it awaits on every
//! line. This channel is that always-ready source, and the cure for it.
//!
//! # How the budget makes it yield
//!
//! Each `send` or `recv` that completes takes one unit of the task's
//! cooperative budget (`budget.rs`, 128 per poll by default). When the unit
//! is not there, the operation returns `Pending` even though an item is
//! waiting, after waking its own task: the task yields, the loop fires its
//! due timers, and the task carries on in the next turn. A `wait_for` around
//! a consumer draining a flooded channel therefore fires at most 128 items
//! late instead of after the whole flood. An operation that has to wait
//! refunds its unit: waiting is not progress.
//!
//! # Back-pressure
//!
//! A [`bounded`] channel holds at most `cap` items. A `send` into a full one
//! waits (its task is suspended, not spinning) until the receiver takes an
//! item, so a fast producer is slowed to the consumer's pace and memory stays
//! bounded. An [`unbounded`] channel never makes a sender wait; a flood then
//! piles up in memory instead.
//!
//! # Wake-ups
//!
//! Crossbeam carries the items; this file adds the wakers. A `recv` that
//! finds the channel empty files its waker with the receivers, a `send` that
//! finds it full with the senders. Each item sent wakes the waiting
//! receivers; each item taken wakes *all* the waiting senders (the losers
//! wait again, and no wake-up is lost to a future dropped meanwhile). After
//! filing its waker, a future looks at the channel once more before
//! returning `Pending`: the other side may have acted, on another thread,
//! just before the waker was there to be woken. Wakers are `Send + Sync`, so
//! a producer on a plain thread wakes the task through the executor's
//! cross-thread queue.
//!
//! ```
//! use waitfor_executor::{channel, spawn, Executor};
//!
//! let executor = Executor::new();
//! let total = executor.block_on(async {
//!     let (tx, rx) = channel::bounded(2);
//!     let _ = spawn(async move {
//!         for tick in 1..=10 {
//!             tx.send(tick).await.unwrap(); // waits while 2 are queued
//!         }
//!     }); // the last Sender goes: rx gets the rest, then None
//!     let mut total = 0;
//!     while let Some(tick) = rx.recv().await {
//!         total += tick;
//!     }
//!     total
//! });
//! assert_eq!(total, 55);
//! ```

use crate::budget;
use crossbeam_channel as cb;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll, Waker};

/// Creates a channel without a limit: `send` never waits.
pub fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    wrap(cb::unbounded())
}

/// Creates a channel that holds at most `cap` items; `send` waits while it
/// is full (back-pressure).
///
/// # Panics
/// If `cap` is 0. A rendezvous channel hands an item over only while the
/// receiver is blocked in crossbeam's `recv`, which an async receiver never
/// is, so every send would wait forever.
pub fn bounded<T>(cap: usize) -> (Sender<T>, Receiver<T>) {
    assert!(
        cap > 0,
        "bounded(0) is not supported: a rendezvous channel needs a receiver blocked \
         in a thread, which an async receiver never is; use bounded(1)"
    );
    wrap(cb::bounded(cap))
}

fn wrap<T>((tx, rx): (cb::Sender<T>, cb::Receiver<T>)) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        sender_count: AtomicUsize::new(1),
        ..Shared::default()
    });
    let handle = SendHandle(Arc::clone(&shared));
    let receiver = Receiver {
        chan: rx,
        handle: RecvHandle(shared),
    };
    (Sender { chan: tx, handle }, receiver)
}

/// What both ends share besides the items: who waits, and who is left.
#[derive(Default)]
struct Shared {
    /// Futures waiting in `recv` for an item.
    receivers: WaitList,
    /// Futures waiting in `send` for room in a full bounded channel.
    senders: WaitList,
    /// Live `Sender`s; the last one to go wakes the receivers.
    sender_count: AtomicUsize,
    /// Set once the `Receiver` has been dropped.
    receiver_gone: AtomicBool,
}

/// The wakers of the futures waiting on one side, each under its own key so
/// that a future polled again refreshes its entry instead of adding one.
#[derive(Default)]
struct WaitList {
    waiters: Mutex<Waiters>,
}

#[derive(Default)]
struct Waiters {
    next_key: u64,
    wakers: HashMap<u64, Waker>,
}

impl WaitList {
    /// Files the waker of the future whose entry is `key` (given one on its
    /// first wait), or refreshes it.
    fn register(&self, key: &mut Option<u64>, waker: &Waker) {
        let mut waiters = self.waiters.lock();
        let Waiters { next_key, wakers } = &mut *waiters;
        let key = *key.get_or_insert_with(|| {
            *next_key += 1;
            *next_key
        });
        if !wakers
            .get(&key)
            .is_some_and(|stored| stored.will_wake(waker))
        {
            wakers.insert(key, waker.clone());
        }
    }

    /// Withdraws a future's entry, if it still has one.
    fn remove(&self, key: &mut Option<u64>) {
        if let Some(key) = key.take() {
            self.waiters.lock().wakers.remove(&key);
        }
    }

    /// Wakes every waiting future. The wakers are taken out first and woken
    /// with the lock released, so a waker may do anything, even touch this
    /// channel.
    fn wake_all(&self) {
        let wakers = std::mem::take(&mut self.waiters.lock().wakers);
        for waker in wakers.into_values() {
            waker.wake();
        }
    }
}

/// One `Sender`'s share of the state. It is declared after the crossbeam
/// sender in [`Sender`], so it is dropped after it: when the last one wakes
/// the receivers, crossbeam already reports the channel disconnected.
struct SendHandle(Arc<Shared>);

impl Clone for SendHandle {
    fn clone(&self) -> Self {
        self.0.sender_count.fetch_add(1, Ordering::Relaxed);
        SendHandle(Arc::clone(&self.0))
    }
}

impl Drop for SendHandle {
    fn drop(&mut self) {
        if self.0.sender_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.receivers.wake_all();
        }
    }
}

/// The `Receiver`'s share; dropped after its crossbeam receiver, so the
/// senders it wakes see the channel disconnected.
struct RecvHandle(Arc<Shared>);

impl Drop for RecvHandle {
    fn drop(&mut self) {
        self.0.receiver_gone.store(true, Ordering::Release);
        self.0.senders.wake_all();
    }
}

/// The sending end. Clone it for more producers; it may move to other
/// threads (when `T: Send`). Dropping the last one closes the channel.
pub struct Sender<T> {
    chan: cb::Sender<T>,
    handle: SendHandle, // after `chan`: see `SendHandle`
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
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        self.chan.try_send(value).map_err(|error| match error {
            cb::TrySendError::Full(value) => TrySendError::Full(value),
            cb::TrySendError::Disconnected(value) => TrySendError::Closed(value),
        })?;
        self.handle.0.receivers.wake_all();
        Ok(())
    }

    /// Whether the receiver has been dropped, so that every send fails.
    pub fn is_closed(&self) -> bool {
        self.handle.0.receiver_gone.load(Ordering::Acquire)
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
        ready!(budget::poll_proceed(cx));
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
                        budget::refund();
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

/// The receiving end. Dropping it closes the channel: every send, pending
/// or future, fails and gives its value back.
pub struct Receiver<T> {
    chan: cb::Receiver<T>,
    handle: RecvHandle, // after `chan`: see `RecvHandle`
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

/// The error of [`Sender::send`]: the receiver is gone. Holds the value
/// that could not be sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendError").finish_non_exhaustive()
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sending on a closed channel: the receiver was dropped")
    }
}

impl<T: fmt::Debug> std::error::Error for SendError<T> {}

/// The error of [`Sender::try_send`]. Holds the value that was not sent.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TrySendError<T> {
    /// The bounded channel is full; `send` would wait.
    Full(T),
    /// The receiver was dropped; no send can succeed.
    Closed(T),
}

impl<T> TrySendError<T> {
    /// The value that was not sent.
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(value) | TrySendError::Closed(value) => value,
        }
    }
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("Full(..)"),
            TrySendError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TrySendError::Full(_) => "sending on a full channel",
            TrySendError::Closed(_) => "sending on a closed channel: the receiver was dropped",
        })
    }
}

impl<T: fmt::Debug> std::error::Error for TrySendError<T> {}

/// The error of [`Receiver::try_recv`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TryRecvError {
    /// Nothing is queued now, but a sender may still send.
    Empty,
    /// Nothing is queued and every sender is gone: nothing will come.
    Closed,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TryRecvError::Empty => "receiving on an empty channel",
            TryRecvError::Closed => "receiving on a closed channel: every sender was dropped",
        })
    }
}

impl std::error::Error for TryRecvError {}
