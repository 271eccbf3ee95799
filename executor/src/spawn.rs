//! Starting work from inside the executor: `spawn` and `spawn_blocking`.

use crate::context;
use crate::diagnostics::TaskMeta;
use crate::join::JoinHandle;
use std::future::Future;
use std::panic::Location;

/// Runs `future` as a new task on the current executor. It starts in the next
/// turn of the loop. The future need not be `Send`.
///
/// To name the task in diagnostics, use [`task::Builder`](crate::task::Builder).
///
/// # Panics
/// Outside an executor.
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let meta = unnamed_here();
    context::with_core("waitfor::spawn", |core| core.spawn(future, meta))
}

/// An unnamed task's identity: where it was spawned, which is where the
/// chain of `#[track_caller]` functions that leads here was called from.
#[track_caller]
pub(crate) fn unnamed_here() -> TaskMeta {
    TaskMeta {
        name: None,
        spawned_at: Location::caller(),
    }
}

/// Runs the blocking closure `f` on a pool thread, so the loop (and its
/// timers) stays responsive meanwhile. Like `asyncio.to_thread`: a timeout
/// around the handle fires on time, but the thread runs on to the end. A
/// panic in `f` comes back as a [`JoinError`](crate::JoinError).
///
/// # Panics
/// Outside an executor.
pub fn spawn_blocking<T, F>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    context::with_core("waitfor::spawn_blocking", |core| core.spawn_blocking(f))
}
