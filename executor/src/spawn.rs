//! Starting work from inside the executor: `spawn` and `spawn_blocking`.

use crate::context;
use crate::join::JoinHandle;
use std::future::Future;

/// Runs `future` as a new task on the current executor. It starts in the next
/// turn of the loop. The future need not be `Send`.
///
/// To name the task in diagnostics, use [`task::Builder`](crate::task::Builder).
///
/// ```
/// use std::rc::Rc;
/// use std::cell::Cell;
/// use waitfor_executor::{spawn, yield_now, Executor};
///
/// Executor::new().block_on(async {
///     let ran = Rc::new(Cell::new(false)); // not `Send`: no need
///     let flag = Rc::clone(&ran);
///     let handle = spawn(async move {
///         flag.set(true);
///         "result"
///     });
///     assert!(!ran.get(), "a new task starts in the next turn");
///     yield_now().await;
///     assert!(ran.get());
///     assert_eq!(handle.await.unwrap(), "result");
/// });
/// ```
///
/// # Panics
/// Outside an executor.
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    crate::task::spawn_as(future, None, "waitfor::spawn")
}

/// Runs the blocking closure `f` on a pool thread, so the loop (and its
/// timers) stays responsive meanwhile. Like `asyncio.to_thread`: a timeout
/// around the handle fires on time, but the thread runs on to the end. A
/// panic in `f` comes back as a [`JoinError`](crate::JoinError).
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{spawn_blocking, wait_for, Executor};
///
/// Executor::new().block_on(async {
///     let sum = spawn_blocking(|| (1..=100u32).sum::<u32>()).await.unwrap();
///     assert_eq!(sum, 5050);
///     // The loop stays free while the thread blocks: the timeout fires
///     // on time, and the thread finishes later, its result dropped.
///     let slow = spawn_blocking(|| std::thread::sleep(Duration::from_millis(300)));
///     assert!(wait_for(slow, Duration::from_millis(20)).await.is_err());
/// });
/// ```
///
/// # Panics
/// Outside an executor.
pub fn spawn_blocking<T, F>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let result = context::with_core("waitfor::spawn_blocking", |core| core.spawn_blocking(f));
    JoinHandle::blocking(result)
}
