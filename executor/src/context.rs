//! "The executor running on this thread": a thread-local, set by `block_on`.
//!
//! Free functions like [`spawn`](crate::spawn) and [`sleep`](crate::sleep)
//! find their executor here, the way `asyncio.get_running_loop()` does.
//! Outside `block_on` there is none, and they panic with a message that says
//! so. Setting it twice on one thread means `block_on` inside `block_on`,
//! which would freeze the outer loop, so that panics too.

use crate::core::Core;
use crate::ids::ExecutorId;
use crate::waker::{self, ReadyQueue};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static CURRENT: RefCell<Option<Rc<Core>>> = const { RefCell::new(None) };
}

/// Runs `f` with the current executor.
///
/// # Panics
/// Outside an executor, naming `what` was called.
pub(crate) fn with_core<R>(what: &str, f: impl FnOnce(&Core) -> R) -> R {
    try_with_core(f).unwrap_or_else(|| {
        panic!(
            "{what} must be called from inside a waitfor executor \
             (inside a future run by Executor::block_on or waitfor::spawn)"
        )
    })
}

/// Runs `f` with the current executor, if there is one.
pub(crate) fn try_with_core<R>(f: impl FnOnce(&Core) -> R) -> Option<R> {
    CURRENT
        .try_with(|current| current.borrow().as_deref().map(f))
        .ok()
        .flatten()
}

/// Makes `core` this thread's executor until the guard is dropped.
pub(crate) struct Entered {
    previous: Option<Rc<Core>>,
    previous_queue: Option<(ExecutorId, ReadyQueue)>,
}

/// Enters `core` for `block_on`.
///
/// # Panics
/// If an executor is already running on this thread.
pub(crate) fn enter(core: Rc<Core>) -> Entered {
    let queue = (core.id(), Rc::clone(core.ready_queue()));
    let previous = CURRENT.with(|current| current.borrow_mut().replace(core));
    if previous.is_some() {
        CURRENT.with(|current| *current.borrow_mut() = previous);
        panic!(
            "Executor::block_on was called from inside a running executor: it would \
             block that executor's loop until it returned. Await the future, or \
             waitfor::spawn it, instead"
        );
    }
    let previous_queue = waker::replace_local_queue(Some(queue));
    Entered {
        previous: None,
        previous_queue,
    }
}

/// Enters `core` even if another executor is running (to drop `core`'s
/// tasks so that their timers are cancelled in the right wheel); the other
/// one is restored afterwards.
pub(crate) fn enter_for_drop(core: Rc<Core>) -> Entered {
    let queue = (core.id(), Rc::clone(core.ready_queue()));
    let previous = CURRENT.with(|current| current.borrow_mut().replace(core));
    let previous_queue = waker::replace_local_queue(Some(queue));
    Entered {
        previous,
        previous_queue,
    }
}

impl Drop for Entered {
    fn drop(&mut self) {
        let previous = self.previous.take();
        // During thread teardown the slot may already be gone; nothing to restore then.
        let _ = CURRENT.try_with(|current| *current.borrow_mut() = previous);
        waker::replace_local_queue(self.previous_queue.take());
    }
}
