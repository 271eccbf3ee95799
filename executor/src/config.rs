//! Everything an executor is configured with: what `Builder` fills in and
//! the core reads when it is built. A leaf, with the defaults, so that the
//! core can read its configuration without reaching the builder (which
//! reaches the executor).

use crate::slow_poll::{print_to_stderr, SlowPollHook};
use std::sync::Arc;
use std::time::Duration;

/// The default number of operations per poll, as in tokio.
pub(crate) const DEFAULT_BUDGET: u32 = 128;

/// What a host asked to be told when a task is woken from another thread
/// (`Builder::on_remote_wake`).
pub(crate) type RemoteWakeHook = Arc<dyn Fn() + Send + Sync>;

/// Everything the builder decides, handed to the executor's core.
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) tick: Duration,
    pub(crate) virtual_clock: bool,
    pub(crate) pool: PoolConfig,
    pub(crate) budget: Option<u32>,
    pub(crate) trace_capacity: Option<usize>,
    pub(crate) diagnostics: bool,
    pub(crate) slow_poll_threshold: Duration,
    pub(crate) on_slow_poll: SlowPollHook,
    pub(crate) on_remote_wake: Option<RemoteWakeHook>,
}

impl Default for Config {
    /// 1 ms tick, real clock, budget of 128, diagnostics and trace off, up
    /// to 64 blocking threads that exit after 10 s idle.
    fn default() -> Self {
        Config {
            tick: Duration::from_millis(1),
            virtual_clock: false,
            pool: PoolConfig {
                max_threads: 64,
                keep_alive: Duration::from_secs(10),
            },
            budget: Some(DEFAULT_BUDGET),
            trace_capacity: None,
            diagnostics: false,
            slow_poll_threshold: Duration::from_millis(100),
            on_slow_poll: print_to_stderr(),
            on_remote_wake: None,
        }
    }
}

/// The pool's limits, set through the executor's builder.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PoolConfig {
    pub(crate) max_threads: usize,
    pub(crate) keep_alive: Duration,
}
