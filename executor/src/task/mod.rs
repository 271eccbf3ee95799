//! Tasks: spawning them with a name, and how the executor holds them.
//!
//! [`Builder`] spawns a task with a name, which diagnostics and the trace use
//! instead of the task's id and spawn site.
//!
//! A task is one heap allocation, a `TaskCell` holding its name, its
//! future and then its result (`cell.rs`), owned by the executor's slab
//! (`slab.rs`), plus its waker, which the slab recycles per slot. Its
//! `JoinHandle` reaches it through the slab, by id (`handle.rs`).

pub(crate) mod cell;
pub(crate) mod handle;
pub(crate) mod meta;
pub(crate) mod slab;

pub use crate::ids::TaskId;

use crate::context;
use crate::core::Core;
use crate::join::JoinHandle;
use meta::TaskMeta;
use std::future::Future;
use std::panic::Location;
use std::rc::Rc;
use std::sync::Arc;

/// Spawns a task with options (for now, a name).
///
/// ```
/// use waitfor_executor::{task, Executor};
///
/// let answer = Executor::new().block_on(async {
///     task::Builder::new().name("fetch").spawn(async { 42 }).await
/// });
/// assert_eq!(answer.unwrap(), 42);
/// ```
#[derive(Clone, Debug, Default)]
#[must_use = "a task Builder does nothing until spawn() is called"]
pub struct Builder {
    name: Option<Arc<str>>,
}

impl Builder {
    /// A builder for an unnamed task.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names the task in slow-poll reports, timeout blame and the trace.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(Arc::from(name.into()));
        self
    }

    /// Spawns `future` on the current executor; see [`spawn`](crate::spawn).
    ///
    /// # Panics
    /// Outside an executor.
    #[track_caller]
    pub fn spawn<F>(self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        spawn_as(future, self.name, "waitfor::task::Builder::spawn")
    }
}

/// Spawns `future`, named `name`, on the current executor, and makes its
/// handle; `what` names the caller in the panic outside an executor.
#[track_caller]
pub(crate) fn spawn_as<F>(future: F, name: Option<Arc<str>>, what: &str) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let meta = TaskMeta {
        name,
        spawned_at: Location::caller(),
    };
    context::with_core(what, |core| spawn_on(core, future, meta))
}

/// Spawns `future` on `core`, as `meta` says, and makes its handle.
pub(crate) fn spawn_on<F>(core: &Core, future: F, meta: TaskMeta) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let id = core.spawn(future, meta);
    JoinHandle::task(Rc::clone(core.tasks()), id, core.id())
}
