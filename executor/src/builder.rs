//! Configuring an executor: clock, tick, blocking pool, budget, diagnostics, trace.
//!
//! The builder only fills in a [`Config`] (`config.rs`, a leaf that the
//! core reads); `build`, which needs the executor, is defined beside the
//! executor in `executor.rs`, so that this file uses nothing above it.

use crate::config::Config;
use crate::slow_poll::SlowPoll;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Configures an [`Executor`](crate::Executor).
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::Executor;
///
/// let executor = Executor::builder()
///     .tick(Duration::from_millis(10))
///     .virtual_clock()
///     .diagnostics(true)
///     .build();
/// # drop(executor);
/// ```
#[derive(Clone)]
#[must_use = "a Builder does nothing until build() is called"]
pub struct Builder {
    config: Config,
}

impl Builder {
    /// The defaults: 1 ms tick, real clock, budget of 128, diagnostics and
    /// trace off, up to 64 blocking threads that exit after 10 s idle.
    pub fn new() -> Self {
        Builder {
            config: Config::default(),
        }
    }

    /// The timer resolution: timers fire at most one tick after their
    /// deadline when the loop is free. Default 1 ms.
    ///
    /// # Panics
    /// If `tick` is zero (the wheel counts time in whole ticks) or longer
    /// than a day (every timer would round up to a day or more).
    pub fn tick(mut self, tick: Duration) -> Self {
        assert!(
            !tick.is_zero(),
            "Builder::tick must be longer than zero: the wheel counts time in whole ticks"
        );
        assert!(
            tick <= Duration::from_secs(24 * 60 * 60),
            "Builder::tick must be at most a day: every timer rounds up to a whole tick"
        );
        self.config.tick = tick;
        self
    }

    /// Uses a virtual clock: time stands still except when the loop is idle
    /// (it jumps to the next timer instead of waiting) and when a task calls
    /// [`advance`](crate::advance). For deterministic tests.
    pub fn virtual_clock(mut self) -> Self {
        self.config.virtual_clock = true;
        self
    }

    /// The most threads `spawn_blocking` runs at once (default 64); further
    /// jobs queue.
    ///
    /// # Panics
    /// If `max` is zero.
    pub fn max_blocking_threads(mut self, max: usize) -> Self {
        assert!(max > 0, "Builder::max_blocking_threads must be at least 1");
        self.config.pool.max_threads = max;
        self
    }

    /// How long an idle blocking thread waits for work before exiting
    /// (default 10 s).
    pub fn blocking_keep_alive(mut self, keep_alive: Duration) -> Self {
        self.config.pool.keep_alive = keep_alive;
        self
    }

    /// The cooperative budget: how many ready operations of waitfor's own
    /// leaf futures (channel sends and receives, joins, socket operations) one poll of a task
    /// may complete before they make it yield. Timers do not spend it, so a
    /// `wait_for` still fires around a future that has spent it. `None` turns it off, to show the
    /// starvation it prevents. Default `Some(128)`.
    ///
    /// # Panics
    /// If the budget is `Some(0)`: no task could ever make progress.
    pub fn budget(mut self, budget: Option<u32>) -> Self {
        assert!(
            budget != Some(0),
            "Builder::budget(Some(0)) would let no task make progress; use None to turn it off"
        );
        self.config.budget = budget;
        self
    }

    /// Turns diagnostics on or off (default off, like asyncio's debug mode):
    /// slow-poll reports, the watchdog thread, and blame on timeouts.
    pub fn diagnostics(mut self, on: bool) -> Self {
        self.config.diagnostics = on;
        self
    }

    /// How long a poll may take before it is reported (default 100 ms).
    /// Turns diagnostics on.
    pub fn slow_poll_threshold(mut self, threshold: Duration) -> Self {
        self.config.slow_poll_threshold = threshold;
        self.diagnostics(true)
    }

    /// Where slow-poll and watchdog reports go (default: a line on stderr).
    /// The hook may run on the watchdog thread. Turns diagnostics on.
    pub fn on_slow_poll(mut self, hook: impl Fn(&SlowPoll) + Send + Sync + 'static) -> Self {
        self.config.on_slow_poll = Arc::new(hook);
        self.diagnostics(true)
    }

    /// Records a trace of the last `capacity` events (polls, timers, parks,
    /// blocking jobs), to read with [`Executor::trace`](crate::Executor::trace).
    pub fn trace(mut self, capacity: usize) -> Self {
        self.config.trace_capacity = Some(capacity);
        self
    }

    /// Calls `hook` each time a task is woken from another thread (a
    /// blocking job ending, a channel sent to from a thread), on that
    /// thread. For a host that runs the executor inside its own loop (see
    /// [`Executor::turn`](crate::Executor::turn)): the hook tells the host to give it a turn soon,
    /// as a GUI toolkit's "post an event to the main loop" does. It must be
    /// quick and must not touch the executor.
    pub fn on_remote_wake(mut self, hook: impl Fn() + Send + Sync + 'static) -> Self {
        self.config.on_remote_wake = Some(Arc::new(hook));
        self
    }

    /// What the builder decided, for `Builder::build` (in `executor.rs`).
    pub(crate) fn into_config(self) -> Config {
        self.config
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let config = &self.config;
        f.debug_struct("Builder")
            .field("tick", &config.tick)
            .field("virtual_clock", &config.virtual_clock)
            .field("pool", &config.pool)
            .field("budget", &config.budget)
            .field("trace_capacity", &config.trace_capacity)
            .field("diagnostics", &config.diagnostics)
            .field("slow_poll_threshold", &config.slow_poll_threshold)
            .field("on_remote_wake", &config.on_remote_wake.is_some())
            .finish_non_exhaustive()
    }
}
