//! How a wake from another thread reaches a loop that may be asleep.
//!
//! A waker woken away from the loop's thread sends its task's id down the
//! executor's channel ([`RemoteSender`]). That alone wakes a loop parked on
//! the channel. A loop parked in the poller, waiting for sockets, does not
//! watch the channel, so the sender also rings the [`Doorbell`]: it writes
//! to the poller's own waker (an `eventfd` on Linux), which makes the
//! poller's wait return. And a host that runs the executor inside its own
//! loop (see [`Builder::on_remote_wake`](crate::Builder::on_remote_wake))
//! hears the bell through its callback, so it can give the executor a turn.
//!
//! Ringing the poller is a system call, so it is done only while the loop is
//! in (or entering) the poller's wait. The loop raises `in_poller`, then
//! looks at the channel; a sender puts its id in the channel, then looks at
//! `in_poller`. A full fence on each side, between its write and its read,
//! means at least one of them sees the other's write: either the loop finds
//! the id and does not wait, or the sender finds the flag and rings. A ring
//! that comes after the wait has ended only makes the next wait return at
//! once, which costs a turn and loses nothing.

use crate::config::RemoteWakeHook;
use crate::ids::TaskId;
use crossbeam_channel::{SendError, Sender};
use std::sync::atomic::{fence, AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// The executor's channel for wakes from other threads, with its bell.
#[derive(Clone)]
pub(crate) struct RemoteSender {
    channel: Sender<TaskId>,
    doorbell: Arc<Doorbell>,
}

impl RemoteSender {
    pub(crate) fn new(channel: Sender<TaskId>, doorbell: Arc<Doorbell>) -> Self {
        RemoteSender { channel, doorbell }
    }

    /// Queues `task` for the loop and wakes the loop wherever it waits.
    /// An error means the executor is gone.
    pub(crate) fn send(&self, task: TaskId) -> Result<(), SendError<TaskId>> {
        self.channel.send(task)?;
        self.doorbell.ring();
        Ok(())
    }
}

/// Wakes a loop that waits in the poller, and tells a host about the wake.
pub(crate) struct Doorbell {
    /// Set when the executor's reactor is created (its first socket).
    poller: OnceLock<mio::Waker>,
    in_poller: AtomicBool,
    on_remote_wake: Option<RemoteWakeHook>,
}

impl Doorbell {
    pub(crate) fn new(on_remote_wake: Option<RemoteWakeHook>) -> Self {
        Doorbell {
            poller: OnceLock::new(),
            in_poller: AtomicBool::new(false),
            on_remote_wake,
        }
    }

    /// Connects the bell to the poller's waker; the reactor calls it once.
    pub(crate) fn wire(&self, poller: mio::Waker) {
        // A second reactor per executor never exists; if it did, the first
        // waker would stay wired, which is still a working bell.
        let _ = self.poller.set(poller);
    }

    /// The loop is about to wait in the poller: from now on, ring it.
    /// Followed by the loop's look at the channel.
    pub(crate) fn entering_poller(&self) {
        self.in_poller.store(true, Ordering::Relaxed);
        fence(Ordering::SeqCst);
    }

    pub(crate) fn left_poller(&self) {
        self.in_poller.store(false, Ordering::Relaxed);
    }

    fn ring(&self) {
        fence(Ordering::SeqCst);
        if self.in_poller.load(Ordering::Relaxed) {
            if let Some(poller) = self.poller.get() {
                // Failing to ring is only possible if the poller is gone
                // with its executor; then nobody is waiting.
                let _ = poller.wake();
            }
        }
        if let Some(hook) = &self.on_remote_wake {
            hook();
        }
    }
}
