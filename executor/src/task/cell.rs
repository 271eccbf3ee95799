//! A spawned task: its future, then its result, in one allocation.
//!
//! A task is one `TaskCell<F>`, boxed and pinned by the executor's slab,
//! which owns it (see `slab.rs`). The future lives inside it, pinned in
//! place through `pin-project-lite`'s projections, so it needs no box of
//! its own and no `unsafe`. The executor polls the task through the
//! object-safe [`Runnable`]; its `JoinHandle` holds no pointer to it, only
//! its id, and reaches it through the executor's slab (see `handle.rs`).
//!
//! A task moves through three stages: `Running` until its future returns
//! `Ready`, panics or is aborted, then `Finished` holding the result, then
//! `Taken` once the `JoinHandle` has it. Since the cell's type is erased in
//! the slab, the result leaves it through `&mut dyn Any`: the handle, which
//! knows the output type, passes an empty `Option` of it to fill.
//!
//! Polls run under `catch_unwind`, and so does dropping the future, which
//! runs its destructors: a task that panics in either becomes a `JoinError`
//! for whoever awaits it and never takes the executor down. The future is
//! dropped on its own, before the result is stored, so that a destructor's
//! panic cannot take the result with it: a future that returned `Ready(7)`
//! and then panics as it is dropped still gives `Ok(7)` (as tokio does); one
//! aborted whose destructor panics gives that panic, not "cancelled".

use crate::ids::TaskId;
use crate::join_error::JoinError;
use crate::observer::{observe, Observing};
use crate::task::meta::TaskMeta;
use pin_project_lite::pin_project;
use std::any::Any;
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// What the executor needs of a task, whatever its future's type.
pub(crate) trait Runnable {
    /// Polls the task once with `waker` (a view of its own), as task `id`,
    /// told to the instruments if they are on; `true` when it has
    /// finished (its result is stored) and needs no more polls.
    fn run(
        self: Pin<&mut Self>,
        id: TaskId,
        waker: &Waker,
        observing: Option<Observing<'_>>,
    ) -> bool;
    /// Drops the future unpolled (the task was aborted), leaving a
    /// cancelled `JoinError` as the result; does nothing if it finished.
    fn cancel(self: Pin<&mut Self>, id: TaskId);
    /// Moves the result of a finished task into `output`, which must be an
    /// `Option<Result<F::Output, JoinError>>`.
    fn take_output(self: Pin<&mut Self>, output: &mut dyn Any);
    /// Remembers who awaits the result, to wake when the task finishes.
    fn set_join_waker(self: Pin<&mut Self>, waker: &Waker);
    /// Who awaits the result, if anyone polled the `JoinHandle` yet.
    fn take_join_waker(self: Pin<&mut Self>) -> Option<Waker>;
}

pin_project! {
    /// A task: its name, who awaits it, and its future or its result.
    pub(crate) struct TaskCell<F: Future> {
        meta: TaskMeta,
        join_waker: Option<Waker>,
        #[pin]
        stage: Stage<F>,
    }
}

pin_project! {
    #[project = StageProj]
    #[project_replace = StageOwned]
    enum Stage<F: Future> {
        Running { #[pin] future: F },
        Finished { output: Result<F::Output, JoinError> },
        Taken,
    }
}

impl<F: Future> TaskCell<F> {
    pub(crate) fn new(future: F, meta: TaskMeta) -> Self {
        TaskCell {
            meta,
            join_waker: None,
            stage: Stage::Running { future },
        }
    }
}

impl<F> Runnable for TaskCell<F>
where
    F: Future,
    F::Output: 'static,
{
    fn run(
        self: Pin<&mut Self>,
        id: TaskId,
        waker: &Waker,
        observing: Option<Observing<'_>>,
    ) -> bool {
        let this = self.project();
        let mut stage = this.stage;
        let StageProj::Running { future } = stage.as_mut().project() else {
            return true;
        };
        let mut cx = Context::from_waker(waker);
        let poll = || catch_unwind(AssertUnwindSafe(|| future.poll(&mut cx)));
        let output = match observe(observing, id, this.meta, poll) {
            Ok(Poll::Ready(output)) => Ok(output),
            Ok(Poll::Pending) => return false,
            Err(payload) => Err(JoinError::panicked(id, payload)),
        };
        // The result is in hand: a panic from the future's destructor now
        // changes nothing (the panic hook has reported it).
        let _ = drop_future(stage.as_mut());
        stage.set(Stage::Finished { output });
        true
    }

    fn cancel(self: Pin<&mut Self>, id: TaskId) {
        let mut stage = self.project().stage;
        if let StageProj::Running { .. } = stage.as_mut().project() {
            let output = match drop_future(stage.as_mut()) {
                Ok(()) => Err(JoinError::cancelled(id)),
                Err(payload) => Err(JoinError::panicked(id, payload)),
            };
            stage.set(Stage::Finished { output });
        }
    }

    fn take_output(self: Pin<&mut Self>, output: &mut dyn Any) {
        let output = output
            .downcast_mut::<Option<Result<F::Output, JoinError>>>()
            .expect("a JoinHandle asks for its own task's output type");
        let mut stage = self.project().stage;
        if let StageProj::Finished { .. } = stage.as_mut().project() {
            if let StageOwned::Finished { output: result } = stage.project_replace(Stage::Taken) {
                *output = Some(result);
            }
        }
    }

    fn set_join_waker(self: Pin<&mut Self>, waker: &Waker) {
        let join_waker = self.project().join_waker;
        match join_waker {
            Some(stored) if stored.will_wake(waker) => {}
            _ => *join_waker = Some(waker.clone()),
        }
    }

    fn take_join_waker(self: Pin<&mut Self>) -> Option<Waker> {
        self.project().join_waker.take()
    }
}

/// Drops a task's future in place, leaving `Taken`, and catches a panic from
/// its destructor. (Assignment writes the new value even when dropping the
/// old one panics, so the stage is `Taken` either way.)
fn drop_future<F: Future>(mut stage: Pin<&mut Stage<F>>) -> std::thread::Result<()> {
    catch_unwind(AssertUnwindSafe(|| stage.set(Stage::Taken)))
}
