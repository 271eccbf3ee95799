//! Waiting for a task's result: `JoinHandle` and `JoinError`.
//!
//! A `JoinHandle<T>` is a future of `Result<T, JoinError>`, for a spawned
//! task or a blocking job alike. Dropping it detaches the task, which runs on
//! and has its result dropped. `abort()` cancels: a task's future is dropped
//! the next time the executor picks the task up (never in the middle of a
//! poll); a blocking job cannot be stopped, so its thread runs on and its
//! result is thrown away.

use crate::blocking::BlockingResult;
use crate::budget;
use crate::task::JoinTarget;
use crate::waker::TaskId;
use std::any::Any;
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
#[must_use = "dropping a JoinHandle detaches the task; await it or call abort()"]
pub struct JoinHandle<T> {
    inner: Inner<T>,
}

enum Inner<T> {
    Task(Rc<dyn JoinTarget<T>>),
    Blocking(Arc<BlockingResult<T>>),
}

impl<T> JoinHandle<T> {
    pub(crate) fn task(target: Rc<dyn JoinTarget<T>>) -> Self {
        JoinHandle {
            inner: Inner::Task(target),
        }
    }

    pub(crate) fn blocking(result: Arc<BlockingResult<T>>) -> Self {
        JoinHandle {
            inner: Inner::Blocking(result),
        }
    }

    /// Cancels the task. Awaiting the handle afterwards yields a cancelled
    /// `JoinError`, unless the task had already finished.
    ///
    /// A blocking job's thread cannot be interrupted: it runs to the end and
    /// its result is dropped.
    pub fn abort(&self) {
        match &self.inner {
            Inner::Task(task) => task.abort(),
            Inner::Blocking(result) => result.abort(),
        }
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Joining finished tasks in a loop is an always-ready source too.
        if budget::poll_proceed(cx).is_pending() {
            return Poll::Pending;
        }
        let joined = match &self.inner {
            Inner::Task(task) => task.poll_join(cx),
            Inner::Blocking(result) => result.poll_join(cx),
        };
        if joined.is_pending() {
            budget::refund();
        }
        joined
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.inner {
            Inner::Task(_) => "task",
            Inner::Blocking(_) => "blocking job",
        };
        f.debug_struct("JoinHandle").field("kind", &kind).finish()
    }
}

/// Why a task produced no output: it panicked, or it was cancelled.
pub struct JoinError {
    task: Option<TaskId>,
    panic: Option<Box<dyn Any + Send + 'static>>,
}

impl JoinError {
    pub(crate) fn cancelled(task: TaskId) -> Self {
        JoinError {
            task: Some(task),
            panic: None,
        }
    }

    pub(crate) fn panicked(task: TaskId, payload: Box<dyn Any + Send>) -> Self {
        JoinError {
            task: Some(task),
            panic: Some(payload),
        }
    }

    pub(crate) fn blocking_cancelled() -> Self {
        JoinError {
            task: None,
            panic: None,
        }
    }

    pub(crate) fn blocking_panicked(payload: Box<dyn Any + Send>) -> Self {
        JoinError {
            task: None,
            panic: Some(payload),
        }
    }

    /// The task was aborted, or dropped when its executor was.
    pub fn is_cancelled(&self) -> bool {
        self.panic.is_none()
    }

    /// The task panicked.
    pub fn is_panic(&self) -> bool {
        self.panic.is_some()
    }

    /// The panic's payload, to re-raise it with `std::panic::resume_unwind`.
    ///
    /// # Panics
    /// If the task was cancelled rather than panicking.
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.panic
            .expect("JoinError::into_panic called on a cancelled task, which did not panic")
    }

    fn panic_message(&self) -> Option<&str> {
        let payload = self.panic.as_ref()?;
        payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.task {
            Some(task) => write!(f, "task {task} ")?,
            None => f.write_str("blocking job ")?,
        }
        match (self.is_panic(), self.panic_message()) {
            (false, _) => f.write_str("was cancelled"),
            (true, Some(message)) => write!(f, "panicked: {message}"),
            (true, None) => f.write_str("panicked"),
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JoinError({self})")
    }
}

impl std::error::Error for JoinError {}
