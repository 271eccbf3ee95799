//! The executor and its loop: where a blocking poll starves every timer.
//!
//! One turn of the loop does three things, in this order:
//!
//! 1. **Run** each task that was ready when the turn began. A task woken
//!    during the turn (by its own `yield_now`, say) waits for the next one.
//! 2. **Fire** due timers: advance the wheel to the current time and wake the
//!    tasks whose timers are due.
//! 3. **Park**, if nothing is ready, until the next timer, a socket, or a
//!    wake from another thread. The wheel's next deadline is the timeout of
//!    the wait, in `Core::park` (`core/mod.rs`), as in every event loop:
//!
//!    ```text
//!    let timeout = next_timer.map(|deadline| deadline.saturating_duration_since(now));
//!    reactor.wait(timeout, …)   // epoll_wait / kevent, through mio; or the wake channel
//!    ```
//!
//! Step 2 comes only after every poll of step 1 has *returned*. A poll that
//! blocks for five seconds (a synchronous sleep, a blocking client, a CPU
//! loop) holds step 2 back for five seconds, so every timer in the wheel,
//! including the one behind your `wait_for`, fires late. Nothing in the loop
//! can preempt a poll; only the poll returning gives the loop its turn.

use crate::builder::Builder;
use crate::context;
use crate::core::Core;
use crate::ids::TaskId;
use crate::observer::{observe, Looping};
use crate::task::meta::TaskMeta;
use futures_task::{waker_ref, ArcWake};
use std::fmt;
use std::future::Future;
use std::panic::Location;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

/// A single-threaded executor with a timer wheel.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{sleep, wait_for, Executor};
///
/// let executor = Executor::builder().virtual_clock().build();
/// let outcome = executor.block_on(async {
///     wait_for(sleep(Duration::from_secs(3)), Duration::from_secs(1)).await
/// });
/// assert_eq!(outcome.unwrap_err().lateness(), Duration::ZERO);
/// ```
pub struct Executor {
    core: Rc<Core>,
}

impl Executor {
    /// The executor around `core` (`wiring.rs` builds the core).
    pub(crate) fn from_core(core: Core) -> Self {
        Executor {
            core: Rc::new(core),
        }
    }

    pub(crate) fn core(&self) -> &Rc<Core> {
        &self.core
    }

    /// An executor with a real clock and a 1 ms tick.
    pub fn new() -> Self {
        Builder::new().build()
    }

    /// Configures an executor: tick, clock, blocking pool.
    pub fn builder() -> Builder {
        Builder::new()
    }

    /// Runs the loop until `future` completes, and returns its output.
    ///
    /// Tasks spawned meanwhile that have not finished stay with the executor:
    /// they run on during the next `block_on`, or are dropped with it.
    ///
    /// # Panics
    /// If called while an executor is already running on this thread, which
    /// would block that executor's loop; or if `future` panics.
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let main = TaskMeta {
            name: Some(Arc::from("block_on")),
            spawned_at: Location::caller(),
        };
        let _running = context::enter(Rc::clone(&self.core));
        let core = &*self.core;
        core.label_for_trace(TaskId::MAIN, &main);
        let mut future = pin!(future);
        let main_waker = waker_ref(core.main_waker());
        let mut cx = Context::from_waker(&main_waker);
        core.main_waker().clear_scheduled();
        ArcWake::wake_by_ref(core.main_waker());
        let _looping = Looping::start(core.observer());

        loop {
            // 1. Run each task that was ready when the turn began. Until a
            //    poll returns, nothing below can happen.
            for _ in 0..core.begin_turn() {
                match core.next_ready() {
                    Some(TaskId::MAIN) => {
                        core.main_waker().clear_scheduled();
                        let polled = {
                            let _polling = core.begin_poll(TaskId::MAIN, &main_waker);
                            let poll = || future.as_mut().poll(&mut cx);
                            observe(core.observing(), TaskId::MAIN, &main, poll)
                        };
                        if let Poll::Ready(output) = polled {
                            // Finish the turn's timer step, so that what the
                            // last poll delayed is fired (and reported) now.
                            core.fire_due_timers();
                            return output;
                        }
                    }
                    Some(task) => core.run_task(task),
                    None => break,
                }
            }
            // 2. Advance the wheel to the current time; wake the owners of
            //    due timers. Late by however long step 1 took.
            core.fire_due_timers();
            // 3. Nothing to do: sleep until the next timer, a socket or a
            //    wake-up. Busy: only take the sockets' news.
            if core.has_ready_tasks() {
                core.poll_sockets();
            } else {
                if let Some(observer) = core.observer() {
                    observer.parking();
                }
                core.park();
            }
        }
    }
}

impl Default for Executor {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        // Enter this executor even inside another one, so that the dropped
        // futures cancel their timers in this executor's wheel.
        let _dropping = context::enter_for_drop(Rc::clone(&self.core));
        self.core.shut_down();
    }
}

impl fmt::Debug for Executor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Executor")
            .field("virtual_clock", &self.core.clock().is_virtual())
            .finish_non_exhaustive()
    }
}
