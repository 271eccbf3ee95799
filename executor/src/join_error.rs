//! `JoinError`: why a task or a blocking job produced no output (it
//! panicked, or it was cancelled). A leaf below the tasks, the blocking
//! pool and `JoinHandle`, all of which make or pass one.

use crate::ids::TaskId;
use std::any::Any;
use std::fmt;

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
