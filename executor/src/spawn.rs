//! Starting work from inside the executor: `spawn` and `spawn_blocking`.

use crate::context;
use crate::join::JoinHandle;
use std::future::Future;

/// Runs `future` as a new task on the current executor. It starts in the next
/// turn of the loop. The future need not be `Send`.
///
/// # Panics
/// Outside an executor.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    context::with_core("waitfor::spawn", |core| core.spawn(future))
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
