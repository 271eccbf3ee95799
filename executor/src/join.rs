//! Waiting for a task's result: `JoinHandle` (its error, `JoinError`, is
//! in `join_error.rs`, below the tasks and the blocking pool that make one).
//!
//! A `JoinHandle<T>` is a future of `Result<T, JoinError>`, for a spawned
//! task or a blocking job alike. Dropping it detaches the task, which runs on
//! and has its result dropped. `abort()` cancels: a task's future is dropped
//! the next time the executor picks the task up (never in the middle of a
//! poll); a blocking job cannot be stopped, so its thread runs on and its
//! result is thrown away.
//!
//! A spawned task's handle holds no pointer to the task: the executor's
//! slab owns the task, and the handle shares the slab and keeps the task's
//! id (see `task/handle.rs`). If the task is gone from the slab (the
//! executor was dropped before it finished), it was cancelled.

use crate::blocking::BlockingResult;
use crate::coop;
use crate::ids::{ExecutorId, TaskId};
use crate::join_error::JoinError;
use crate::task::handle;
use crate::task::slab::TaskSlab;
use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

/// An owned permission to await a task's result, or to abort it.
///
/// Awaiting it yields `Ok(output)`, or `Err(JoinError)` if the task panicked
/// or was aborted. Polling it again after it has returned its result panics.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{sleep, spawn, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// executor.block_on(async {
///     let answer = spawn(async { 6 * 7 });
///     assert_eq!(answer.await.unwrap(), 42);
///
///     let forever = spawn(sleep(Duration::MAX));
///     forever.abort();
///     assert!(forever.await.unwrap_err().is_cancelled());
///
///     let broken = spawn(async { panic!("oops") });
///     assert!(broken.await.unwrap_err().is_panic());
/// });
/// ```
///
/// So does polling a spawned task's handle, while the task runs, anywhere but
/// inside the executor it was spawned on: only that executor runs the task,
/// so the handle would wait forever. (A finished task's result, or the
/// cancellation of one its executor dropped, can be collected anywhere.)
#[must_use = "dropping a JoinHandle detaches the task; await it or call abort()"]
pub struct JoinHandle<T> {
    inner: Inner<T>,
}

enum Inner<T> {
    Task(TaskJoin),
    Blocking(Arc<BlockingResult<T>>),
    /// The result was returned; polling again is a bug.
    Returned,
}

/// A spawned task's side of a `JoinHandle`: where the task is, which, and
/// the executor that runs it.
struct TaskJoin {
    tasks: Rc<RefCell<TaskSlab>>,
    id: TaskId,
    executor: ExecutorId,
}

impl<T> JoinHandle<T> {
    pub(crate) fn task(tasks: Rc<RefCell<TaskSlab>>, id: TaskId, executor: ExecutorId) -> Self {
        JoinHandle {
            inner: Inner::Task(TaskJoin {
                tasks,
                id,
                executor,
            }),
        }
    }

    pub(crate) fn blocking(result: Arc<BlockingResult<T>>) -> Self {
        JoinHandle {
            inner: Inner::Blocking(result),
        }
    }

    /// Whether the task has finished (returned, panicked or been
    /// cancelled), so that awaiting the handle would not wait. An aborted
    /// task counts once the executor has dropped it.
    ///
    /// ```
    /// use waitfor_executor::{spawn, yield_now, Executor};
    ///
    /// Executor::new().block_on(async {
    ///     let handle = spawn(async { 7 });
    ///     assert!(!handle.is_finished(), "it starts in the next turn");
    ///     yield_now().await;
    ///     assert!(handle.is_finished());
    ///     assert_eq!(handle.await.unwrap(), 7);
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        match &self.inner {
            Inner::Task(join) => handle::is_finished(&join.tasks, join.id),
            Inner::Blocking(result) => result.is_finished(),
            Inner::Returned => true,
        }
    }

    /// Cancels the task. Awaiting the handle afterwards yields a cancelled
    /// `JoinError`, unless the task had already finished.
    ///
    /// A blocking job's thread cannot be interrupted: it runs to the end and
    /// its result is dropped.
    pub fn abort(&self) {
        match &self.inner {
            Inner::Task(join) => handle::abort(&join.tasks, join.id),
            Inner::Blocking(result) => result.abort(),
            Inner::Returned => {}
        }
    }
}

// `T: 'static` because a task's result leaves its type-erased cell through
// `Any`; `spawn` and `spawn_blocking` require it anyway.
impl<T: 'static> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Joining finished tasks in a loop is an always-ready source too.
        if coop::poll_proceed(cx).is_pending() {
            return Poll::Pending;
        }
        let inner = &mut self.get_mut().inner;
        let joined = match inner {
            Inner::Task(join) => handle::poll_join(&join.tasks, join.id, join.executor, cx),
            Inner::Blocking(result) => result.poll_join(cx),
            Inner::Returned => panic!("JoinHandle polled again after it returned its result"),
        };
        if joined.is_pending() {
            coop::refund();
        } else {
            // A task's slab forgot the task when it gave the result.
            *inner = Inner::Returned;
        }
        joined
    }
}

impl<T> Drop for JoinHandle<T> {
    /// Detaches a spawned task: its result is dropped now if it has
    /// finished, else when it finishes.
    fn drop(&mut self) {
        if let Inner::Task(join) = &self.inner {
            handle::detach(&join.tasks, join.id);
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::Task(_) => "task",
            Inner::Blocking(_) => "blocking job",
            Inner::Returned => "returned",
        };
        f.debug_struct("JoinHandle").field("kind", &kind).finish()
    }
}
