//! How a `JoinHandle` reaches its task: through the slab, by id.
//!
//! The slab owns every task; a handle shares the slab (an `Rc`, one per
//! executor, not per task) and asks it for its task's result (`poll_join`),
//! to cancel the task (`abort`), or to forget it (`detach`, when the handle
//! is dropped). The handle shares the slab rather than the executor so that
//! a finished task's result outlives the executor, like any value would:
//! shutdown drops the tasks still running, but leaves results for their
//! handles. The slot's state decides the answer:
//!
//! - `Waiting`: not finished; `poll_join` leaves its waker with the task.
//!   Only inside the task's own executor: anywhere else nothing would run
//!   the task, so that panics, as a `Sleep` polled on another executor does.
//! - `Polling`: the task is out of its slot being polled, and only code
//!   inside that poll can be asking, so the task awaits its own handle.
//! - `Finished`: the result is there; `poll_join` takes it and the task is
//!   removed, since nobody can ask for it again.
//! - `Vacant`: the executor shut down and dropped the task: cancelled.
//!
//! As everywhere, no `RefCell` borrow is held across user code: a result
//! that is dropped rather than returned (the handle detached) is dropped
//! after the borrow ends, because its destructor may spawn.

use super::slab::{State, TaskSlab};
use crate::context;
use crate::ids::{ExecutorId, TaskId};
use crate::join_error::JoinError;
use futures_task::ArcWake;
use std::cell::RefCell;
use std::task::{Context, Poll};

/// Polls task `id` of executor `executor` for its result, for its
/// `JoinHandle<T>`.
///
/// # Panics
/// If the task is the one being polled: it awaits its own handle. If the
/// task is waiting to run and the poll is not inside its executor: it would
/// wait for a loop that is not running it (and that loop's deadlock check
/// would count this waker, now stored with the task, as a possible wake).
pub(crate) fn poll_join<T: 'static>(
    tasks: &RefCell<TaskSlab>,
    id: TaskId,
    executor: ExecutorId,
    cx: &mut Context<'_>,
) -> Poll<Result<T, JoinError>> {
    let mut slab = tasks.borrow_mut();
    match slab.state(id) {
        State::Vacant => Poll::Ready(Err(JoinError::cancelled(id))),
        State::Polling => {
            drop(slab);
            panic!("a task awaited its own JoinHandle: it can never finish")
        }
        State::Waiting => {
            if context::try_with_core(|core| core.id()) != Some(executor) {
                drop(slab);
                panic!(
                    "a waitfor JoinHandle was polled outside the executor its task was spawned \
                     on; only that executor runs the task, so it would never finish"
                );
            }
            let task = slab.task_mut(id).expect("a waiting task is in its slot");
            task.set_join_waker(cx.waker());
            Poll::Pending
        }
        State::Finished => {
            let mut task = slab.vacate(id).expect("a finished task is in its slot");
            drop(slab);
            let mut output = None::<Result<T, JoinError>>;
            task.as_mut().take_output(&mut output);
            Poll::Ready(output.expect("a finished task holds its result"))
        }
    }
}

/// Whether task `id` is done running: finished, or gone from the slab.
pub(crate) fn is_finished(tasks: &RefCell<TaskSlab>, id: TaskId) -> bool {
    matches!(tasks.borrow().state(id), State::Finished | State::Vacant)
}

/// Aborts task `id`: it is cancelled the next time it is picked up (woken
/// now so that is soon), never in the middle of a poll. A task aborting
/// itself finishes its poll first. A finished task keeps its result.
pub(crate) fn abort(tasks: &RefCell<TaskSlab>, id: TaskId) {
    let mut slab = tasks.borrow_mut();
    if slab.abort(id) {
        if let Some(waker) = slab.waker(id) {
            // Our own waker, not user code: it only queues the id.
            ArcWake::wake_by_ref(waker);
        }
    }
}

/// Forgets task `id` for its dropped `JoinHandle`: its result is dropped
/// now if it has finished, else as soon as it finishes.
pub(crate) fn detach(tasks: &RefCell<TaskSlab>, id: TaskId) {
    let finished = tasks.borrow_mut().detach(id);
    // Dropped outside the borrow: the result's destructor may spawn.
    drop(finished);
}
