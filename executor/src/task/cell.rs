//! A spawned task: its future, its result, and how the two meet.
//!
//! A task is one `Rc<TaskCell<F>>` shared by the executor (which polls it,
//! through the object-safe [`Runnable`]) and by its `JoinHandle` (which
//! takes the result, through [`JoinTarget`]). The future is boxed so it can
//! be pinned without `unsafe`. A task moves through three stages: `Running`
//! until its future returns `Ready`, panics or is aborted, then `Finished`
//! holding the result, then `Taken` once the `JoinHandle` has it.
//!
//! Polls run under `catch_unwind`: a panicking task becomes a
//! `JoinError` for whoever awaits it and never takes the executor down.

use crate::diagnostics::TaskMeta;
use crate::join::JoinError;
use crate::waker::TaskWaker;
use futures_task::ArcWake;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// What the executor needs of a task, whatever its future's type.
pub(crate) trait Runnable {
    /// Polls the task once with `waker` (a view of its own); `true` when it
    /// has finished and can be removed.
    fn run(&self, waker: &Waker) -> bool;
    /// Drops the future unpolled (the executor is shutting down).
    fn cancel(&self);
    /// Its name and spawn site, for reports.
    fn meta(&self) -> &TaskMeta;
    /// Whether anything besides the task itself holds one of its wakers,
    /// and so could still wake it.
    fn waker_held_elsewhere(&self) -> bool;
    /// The task's waker, to recycle once the task is gone.
    fn waker(&self) -> &Arc<TaskWaker>;
}

/// What a `JoinHandle<T>` needs of a task.
pub(crate) trait JoinTarget<T> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>>;
    fn abort(&self);
}

enum Stage<F: Future> {
    Running(Pin<Box<F>>),
    Finished(Result<F::Output, JoinError>),
    Taken,
}

pub(crate) struct TaskCell<F: Future> {
    meta: TaskMeta,
    waker: Arc<TaskWaker>,
    aborted: Cell<bool>,
    join_waker: Cell<Option<Waker>>,
    stage: RefCell<Stage<F>>,
}

impl<F: Future> TaskCell<F> {
    pub(crate) fn new(future: F, waker: Arc<TaskWaker>, meta: TaskMeta) -> Rc<Self> {
        Rc::new(TaskCell {
            meta,
            waker,
            aborted: Cell::new(false),
            join_waker: Cell::new(None),
            stage: RefCell::new(Stage::Running(Box::pin(future))),
        })
    }

    fn finish(&self, stage: &mut Stage<F>, result: Result<F::Output, JoinError>) {
        *stage = Stage::Finished(result);
        if let Some(waker) = self.join_waker.take() {
            waker.wake();
        }
    }
}

impl<F: Future> Runnable for TaskCell<F> {
    fn run(&self, waker: &Waker) -> bool {
        self.waker.clear_scheduled();
        let mut stage = self.stage.borrow_mut();
        let Stage::Running(future) = &mut *stage else {
            return true;
        };
        if self.aborted.get() {
            self.finish(&mut stage, Err(JoinError::cancelled(self.waker.task())));
            return true;
        }
        let mut cx = Context::from_waker(waker);
        let result = match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(&mut cx))) {
            Ok(Poll::Ready(output)) => Ok(output),
            Ok(Poll::Pending) if self.aborted.get() => Err(JoinError::cancelled(self.waker.task())),
            Ok(Poll::Pending) => return false,
            Err(payload) => Err(JoinError::panicked(self.waker.task(), payload)),
        };
        self.finish(&mut stage, result);
        true
    }

    fn cancel(&self) {
        let mut stage = self.stage.borrow_mut();
        if matches!(*stage, Stage::Running(_)) {
            self.finish(&mut stage, Err(JoinError::cancelled(self.waker.task())));
        }
    }

    fn meta(&self) -> &TaskMeta {
        &self.meta
    }

    fn waker_held_elsewhere(&self) -> bool {
        Arc::strong_count(&self.waker) > 1
    }

    fn waker(&self) -> &Arc<TaskWaker> {
        &self.waker
    }
}

impl<F: Future> JoinTarget<F::Output> for TaskCell<F> {
    fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<F::Output, JoinError>> {
        let Ok(mut stage) = self.stage.try_borrow_mut() else {
            panic!("a task awaited its own JoinHandle: it can never finish");
        };
        match std::mem::replace(&mut *stage, Stage::Taken) {
            Stage::Finished(result) => Poll::Ready(result),
            Stage::Taken => panic!("JoinHandle polled again after it returned its result"),
            running @ Stage::Running(_) => {
                *stage = running;
                let stale = self.join_waker.take();
                let fresh = match stale {
                    Some(waker) if waker.will_wake(cx.waker()) => waker,
                    _ => cx.waker().clone(),
                };
                self.join_waker.set(Some(fresh));
                Poll::Pending
            }
        }
    }

    fn abort(&self) {
        self.aborted.set(true);
        // The executor drops the future the next time it picks the task up.
        ArcWake::wake_by_ref(&self.waker);
    }
}
