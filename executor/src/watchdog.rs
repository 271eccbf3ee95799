//! The watchdog: a thread that reports a poll *while* it is stuck.
//!
//! A slow-poll report after the fact (asyncio's debug mode) comes too late
//! for a program that is hanging. So, with diagnostics on, the loop
//! publishes the poll it is about to run (task, start, earliest timer) in a
//! small mutex-guarded slot, and clears it when the poll returns. A thread
//! looks at the slot every half threshold; a poll still running past the
//! threshold is reported through the same hook, then again each time its
//! running time doubles, until it returns.
//!
//! The watchdog reads only that slot, never the executor's tasks or wheel,
//! and times on the real clock (a virtual clock cannot be stuck). It stops
//! when the executor is dropped.

use crate::ids::TaskId;
use crate::slow_poll::{SlowPoll, SlowPollHook};
use crate::task::meta::TaskMeta;
use parking_lot::{Condvar, Mutex};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

pub(crate) struct Watchdog {
    shared: Arc<Shared>,
}

struct Shared {
    slot: Mutex<Slot>,
    stop: Condvar,
    threshold: Duration,
    hook: SlowPollHook,
}

#[derive(Default)]
struct Slot {
    running: Option<RunningPoll>,
    /// Counts polls, so a new poll's reporting schedule starts afresh.
    serial: u64,
    stopped: bool,
}

struct RunningPoll {
    task: TaskId,
    meta: TaskMeta,
    started: Instant,
    earliest_timer: Option<Instant>,
}

impl Watchdog {
    pub(crate) fn start(threshold: Duration, hook: SlowPollHook) -> Self {
        let shared = Arc::new(Shared {
            slot: Mutex::default(),
            stop: Condvar::new(),
            threshold,
            hook,
        });
        let watcher = Arc::clone(&shared);
        thread::Builder::new()
            .name("waitfor-watchdog".into())
            .spawn(move || watcher.watch())
            .expect("failed to start the watchdog thread");
        Watchdog { shared }
    }

    /// `earliest_timer` is a real-clock instant (None on a virtual clock).
    pub(crate) fn poll_started(
        &self,
        task: TaskId,
        meta: &TaskMeta,
        earliest_timer: Option<Instant>,
    ) {
        let mut slot = self.shared.slot.lock();
        slot.serial += 1;
        slot.running = Some(RunningPoll {
            task,
            meta: meta.clone(),
            started: Instant::now(),
            earliest_timer,
        });
    }

    pub(crate) fn poll_ended(&self) {
        self.shared.slot.lock().running = None;
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.slot.lock().stopped = true;
        self.shared.stop.notify_all();
    }
}

impl Shared {
    fn watch(&self) {
        let interval = (self.threshold / 2).max(Duration::from_millis(1));
        let mut watched_serial = 0;
        let mut next_report = self.threshold;
        let mut slot = self.slot.lock();
        while !slot.stopped {
            if let Some(poll) = &slot.running {
                if slot.serial != watched_serial {
                    watched_serial = slot.serial;
                    next_report = self.threshold;
                }
                let now = Instant::now();
                let running_for = now - poll.started;
                if running_for >= next_report {
                    let report = SlowPoll::stuck(
                        poll.meta.label(poll.task),
                        running_for,
                        poll.earliest_timer
                            .map_or(Duration::ZERO, |t| now.saturating_duration_since(t)),
                    );
                    next_report = running_for * 2;
                    // Report without holding the slot: the hook may be slow.
                    parking_lot::MutexGuard::unlocked(&mut slot, || (self.hook)(&report));
                    continue;
                }
            }
            self.stop.wait_for(&mut slot, interval);
        }
    }
}
