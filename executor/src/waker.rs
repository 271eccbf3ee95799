//! How a task asks to be polled again: its waker.
//!
//! Every task has one `Arc<TaskWaker>`; the `Waker`s handed to its futures
//! are views of it (made with `futures-task`'s `ArcWake`), so they are
//! `Send + Sync` and can be woken from any thread.
//!
//! Waking does two things. First it sets the task's `scheduled` flag; if the
//! flag was already set, the task is already queued and nothing more happens,
//! so a task woken a thousand times before it runs is polled once. Otherwise
//! it queues the task's id: straight onto the executor's ready queue when the
//! wake happens on the executor's own thread while it runs (the common case:
//! a timer firing, a `yield_now`), and through a `crossbeam-channel` from
//! anywhere else, which also wakes the loop if it is parked on that channel,
//! or rings its doorbell if it waits in the poller (`io/doorbell.rs`).
//! The executor clears the flag just before each poll, so a wake that arrives
//! during the poll queues the task again.
//!
//! # Why no wake is lost
//!
//! A waker on another thread typically writes something (a value in a
//! channel, a flag) and then wakes; the poll must see that write, or the
//! task sleeps on with nobody left to wake it. Both sides change the flag
//! with a read-modify-write, `swap` with `AcqRel`, and read-modify-writes
//! of one atomic happen in a single order, each reading the one before.
//! So a wake and the clearing before a poll meet in one of two ways:
//!
//! - the clear comes first: the wake reads `false` and queues the task,
//!   which is polled (again) after the wake, through the channel, whose
//!   send and receive order the write before the poll;
//! - the wake comes first: it reads `true` (the task is queued already) and
//!   queues nothing; the clear then reads the `true` the wake wrote, and its
//!   `Acquire` pairs with the wake's `Release`, so the poll that follows
//!   sees everything written before the wake.
//!
//! A plain `store(false)` would break the second case: a store cannot
//! acquire, so the poll could read what was there before the waker's write,
//! return `Pending`, and never be woken again. (x86 orders the two anyway,
//! which is why no test on it catches this; Miri's weak-memory emulation
//! does, in `executor/tests/threads.rs`.)

use crate::ids::{ExecutorId, TaskId};
use crate::io::RemoteSender;
use futures_task::ArcWake;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{RawWakerVTable, Waker};

pub(crate) struct TaskWaker {
    task: TaskId,
    executor: ExecutorId,
    scheduled: AtomicBool,
    remote: RemoteSender,
}

impl TaskWaker {
    /// A waker for a task that is about to be queued (so it starts scheduled).
    pub(crate) fn new(task: TaskId, executor: ExecutorId, remote: RemoteSender) -> Arc<Self> {
        Arc::new(TaskWaker {
            task,
            executor,
            scheduled: AtomicBool::new(true),
            remote,
        })
    }

    /// Readies a finished task's waker, which nobody else holds any more,
    /// for a new task: saves an allocation per spawn.
    pub(crate) fn reuse_for(&mut self, task: TaskId) {
        self.task = task;
        *self.scheduled.get_mut() = true;
    }

    /// Called by the executor just before polling: wakes from now on queue
    /// the task again. A swap, not a store, so that it acquires what a wake
    /// that came before it published (see the essay above).
    pub(crate) fn clear_scheduled(&self) {
        self.scheduled.swap(false, Ordering::AcqRel);
    }

    /// Sets the `scheduled` flag; true if it was clear, and so the caller
    /// must queue the task.
    pub(crate) fn mark_scheduled(&self) -> bool {
        !self.scheduled.swap(true, Ordering::AcqRel)
    }
}

/// Recognises a task's own `Waker`, the one the executor polls it with,
/// without cloning it: the same data pointer and the same vtable. A timer
/// filed with it can then name the task instead of holding a clone (two
/// atomic operations saved per timer). The identity is taken from that very
/// `Waker`, not rebuilt: the same vtable may exist at several addresses
/// (one per codegen unit), which would only cost a clone, but taken so it
/// always matches.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct WakerIdentity {
    data: *const (),
    vtable: *const RawWakerVTable,
}

impl WakerIdentity {
    pub(crate) fn of(waker: &Waker) -> Self {
        WakerIdentity {
            data: waker.data(),
            vtable: waker.vtable(),
        }
    }
}

impl ArcWake for TaskWaker {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        if !arc_self.mark_scheduled() {
            return;
        }
        if !schedule_locally(arc_self.executor, arc_self.task) {
            // The executor may be gone; then there is nobody left to wake.
            let _ = arc_self.remote.send(arc_self.task);
        }
    }
}

/// An executor's ready queue, shared with this thread's slot below while
/// the executor runs.
pub(crate) type ReadyQueue = Rc<RefCell<VecDeque<TaskId>>>;

thread_local! {
    /// The ready queue of the executor running on this thread, and its id:
    /// a wake from this thread for that executor goes straight onto it. Set
    /// and restored with the context (`context.rs`), so that a waker reaches
    /// its executor's queue without reaching the executor.
    static LOCAL_QUEUE: RefCell<Option<(ExecutorId, ReadyQueue)>> = const { RefCell::new(None) };
}

/// Makes `queue` this thread's ready queue (or none); returns the previous.
pub(crate) fn replace_local_queue(
    queue: Option<(ExecutorId, ReadyQueue)>,
) -> Option<(ExecutorId, ReadyQueue)> {
    // During thread teardown the slot may already be gone; nothing to restore then.
    LOCAL_QUEUE
        .try_with(|local| local.replace(queue))
        .ok()
        .flatten()
}

/// Queues `task` on this thread's executor if that is `executor`; false if
/// the wake must travel through the executor's channel instead.
fn schedule_locally(executor: ExecutorId, task: TaskId) -> bool {
    LOCAL_QUEUE
        .try_with(|local| match &*local.borrow() {
            Some((running, queue)) if *running == executor => {
                queue.borrow_mut().push_back(task);
                true
            }
            _ => false,
        })
        .unwrap_or(false)
}
