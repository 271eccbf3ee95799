//! The executor and its loop: where a blocking poll starves every timer.
//!
//! One turn of the loop does three things, in this order:
//!
//! 1. **Run** each task that was ready when the turn began. A task woken
//!    during the turn (by its own `yield_now`, say) waits for the next one.
//! 2. **Fire** due timers: advance the wheel to the current time and wake the
//!    tasks whose timers are due.
//! 3. **Park**, if nothing is ready, until the next timer or a wake from
//!    another thread.
//!
//! Step 2 comes only after every poll of step 1 has *returned*. A poll that
//! blocks for five seconds (a synchronous sleep, a blocking client, a CPU
//! loop) holds step 2 back for five seconds, so every timer in the wheel,
//! including the one behind your `wait_for`, fires late. Nothing in the loop
//! can preempt a poll; only the poll returning gives the loop its turn.

use crate::blocking::PoolConfig;
use crate::context;
use crate::core::Core;
use crate::waker::TaskId;
use futures_task::{waker_ref, ArcWake};
use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

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
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _running = context::enter(Rc::clone(&self.core));
        let core = &*self.core;
        let mut future = pin!(future);
        let main_waker = waker_ref(core.main_waker());
        let mut cx = Context::from_waker(&main_waker);
        core.main_waker().clear_scheduled();
        ArcWake::wake_by_ref(core.main_waker());

        loop {
            // 1. Run each task that was ready when the turn began. Until a
            //    poll returns, nothing below can happen.
            for _ in 0..core.begin_turn() {
                match core.next_ready() {
                    Some(TaskId::MAIN) => {
                        core.main_waker().clear_scheduled();
                        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
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
            // 3. Nothing to do: sleep until the next timer or a wake-up.
            if !core.has_ready_tasks() {
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

/// Configures an [`Executor`].
#[derive(Clone, Debug)]
#[must_use = "a Builder does nothing until build() is called"]
pub struct Builder {
    tick: Duration,
    virtual_clock: bool,
    pool: PoolConfig,
}

impl Builder {
    /// The defaults: 1 ms tick, real clock, up to 64 blocking threads that
    /// exit after 10 s idle.
    pub fn new() -> Self {
        Builder {
            tick: Duration::from_millis(1),
            virtual_clock: false,
            pool: PoolConfig {
                max_threads: 64,
                keep_alive: Duration::from_secs(10),
            },
        }
    }

    /// The timer resolution: timers fire at most one tick after their
    /// deadline when the loop is free. Default 1 ms.
    ///
    /// # Panics
    /// If `tick` is zero: the wheel counts time in whole ticks.
    pub fn tick(mut self, tick: Duration) -> Self {
        assert!(
            !tick.is_zero(),
            "Builder::tick must be longer than zero: the wheel counts time in whole ticks"
        );
        self.tick = tick;
        self
    }

    /// Uses a virtual clock: time stands still except when the loop is idle
    /// (it jumps to the next timer instead of waiting) and when a task calls
    /// [`advance`](crate::advance). For deterministic tests.
    pub fn virtual_clock(mut self) -> Self {
        self.virtual_clock = true;
        self
    }

    /// The most threads `spawn_blocking` runs at once (default 64); further
    /// jobs queue.
    ///
    /// # Panics
    /// If `max` is zero.
    pub fn max_blocking_threads(mut self, max: usize) -> Self {
        assert!(max > 0, "Builder::max_blocking_threads must be at least 1");
        self.pool.max_threads = max;
        self
    }

    /// How long an idle blocking thread waits for work before exiting
    /// (default 10 s).
    pub fn blocking_keep_alive(mut self, keep_alive: Duration) -> Self {
        self.pool.keep_alive = keep_alive;
        self
    }

    /// Builds the executor.
    pub fn build(self) -> Executor {
        Executor {
            core: Rc::new(Core::new(self.tick, self.virtual_clock, self.pool)),
        }
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}
