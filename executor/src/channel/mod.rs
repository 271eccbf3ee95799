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
//! # Closing
//!
//! [`Receiver::close`] stops the senders without losing what they sent:
//! every send from then on fails and gives its value back, waiting senders
//! are woken to fail too, and the receiver still takes the items already
//! queued before it sees the end (`None`). A send racing the close on
//! another thread either fails or lands before that end: each send counts
//! itself *in flight* before it looks at the flag, and the receiver reports
//! the end only once the queue is empty with no send in flight.
//!
//! The [`Receiver`] is also a `futures_core::Stream` of its items, with the
//! same budget rule as `recv`, so the stream combinators of the `futures`
//! crate work on it.
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

use crossbeam_channel as cb;
use parking_lot::Mutex;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Waker;

/// Creates a channel without a limit: `send` never waits.
///
/// ```
/// use waitfor_executor::{channel, Executor};
///
/// Executor::new().block_on(async {
///     let (tx, rx) = channel::unbounded();
///     let producer = std::thread::spawn(move || {
///         for i in 0..3 {
///             tx.try_send(i).unwrap(); // from a plain thread
///         }
///     });
///     let mut got = Vec::new();
///     while let Some(i) = rx.recv().await {
///         got.push(i);
///     }
///     producer.join().unwrap();
///     assert_eq!(got, [0, 1, 2]);
/// });
/// ```
pub fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    wrap(cb::unbounded())
}

/// Creates a channel that holds at most `cap` items; `send` waits while it
/// is full (back-pressure).
///
/// ```
/// use waitfor_executor::channel::{self, TrySendError};
///
/// let (tx, rx) = channel::bounded(1);
/// tx.try_send("first").unwrap();
/// assert!(matches!(tx.try_send("second"), Err(TrySendError::Full("second"))));
/// assert_eq!(rx.try_recv(), Ok("first"));
/// ```
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
        stream_waiter: None,
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
    /// Set once the `Receiver` has closed the channel or been dropped.
    closed: AtomicBool,
    /// Sends between looking at `closed` and putting their item in.
    sends_in_flight: AtomicUsize,
}

// The close protocol uses `SeqCst` throughout: a send's increment and its
// read of `closed`, and the receiver's write of `closed` and its read of the
// count, must fall in one order, or a send could miss the flag while the
// receiver misses the send.
impl Shared {
    /// Runs `send` with `value` unless the channel is closed (then gives
    /// `value` back), counted in flight meanwhile.
    fn send_unless_closed<T, R>(&self, value: T, send: impl FnOnce(T) -> R) -> Result<R, T> {
        self.sends_in_flight.fetch_add(1, Ordering::SeqCst);
        let sent = if self.closed.load(Ordering::SeqCst) {
            Err(value)
        } else {
            Ok(send(value))
        };
        self.sends_in_flight.fetch_sub(1, Ordering::SeqCst);
        if self.closed.load(Ordering::SeqCst) {
            // A receiver that closed the channel may be waiting for this
            // send to land or fail before it reports the end.
            self.receivers.wake_all();
        }
        sent
    }

    /// Closes the channel to senders, and wakes the waiting ones to fail.
    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.senders.wake_all();
    }

    fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// Closed, and no send can still put an item in: an empty queue now
    /// stays empty.
    fn closed_for_good(&self) -> bool {
        self.is_closed() && self.sends_in_flight.load(Ordering::SeqCst) == 0
    }
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
        self.0.close();
    }
}

mod error;
mod recv;
mod send;

pub use error::{SendError, TryRecvError, TrySendError};
pub use recv::{Receiver, RecvFuture};
pub use send::{SendFuture, Sender};
