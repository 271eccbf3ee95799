//! The watchdog: a thread that reports a poll *while* it is stuck.
//!
//! A slow-poll report after the fact (asyncio's debug mode) comes too late
//! for a program that is hanging. So, with diagnostics on, the loop
//! publishes the poll it is about to run (task, start, earliest timer), and
//! withdraws it when the poll returns. A thread looks every half threshold;
//! a poll still running past the threshold is reported through the same
//! hook, then again each time its running time doubles, until it returns.
//!
//! Publishing is on every poll's path, so it is a few plain atomic stores
//! and no lock: the poll's number last (0 while no poll runs), after its
//! task, start and earliest timer, as a sequence lock does. The watcher
//! reads the number, then the fields, then the number again, and believes
//! the fields only if it has not changed meanwhile. The task's name and
//! spawn site cannot be stored atomically, so they sit in the mutex-guarded
//! slot, and are written only when the task differs from the last one
//! published (`TaskMeta::is`), which a loop running one task never pays.
//!
//! The watchdog reads only what is published, never the executor's tasks or
//! wheel, and times on the real clock (a virtual clock cannot be stuck). It
//! stops when the executor is dropped.

use crate::ids::TaskId;
use crate::slow_poll::{SlowPoll, SlowPollHook};
use crate::task::meta::TaskMeta;
use parking_lot::{Condvar, Mutex};
use std::cell::{Cell, RefCell};
use std::sync::atomic::{fence, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// The loop's side.
pub(crate) struct Watchdog {
    shared: Arc<Shared>,
    /// How many polls have started: the number of the next is one more.
    polls: Cell<u64>,
    /// A copy of the meta in the slot, to compare without taking the lock.
    published: RefCell<Option<TaskMeta>>,
}

struct Shared {
    /// The number of the poll running, or 0: written last, read first and last.
    running: AtomicU64,
    task: AtomicU64,
    /// Nanoseconds from `origin`, on the real clock.
    started: AtomicU64,
    /// Nanoseconds from `origin`, or `NO_TIMER`.
    earliest_timer: AtomicU64,
    origin: Instant,
    slot: Mutex<Slot>,
    stop: Condvar,
    threshold: Duration,
    hook: SlowPollHook,
}

const NO_TIMER: u64 = u64::MAX;

#[derive(Default)]
struct Slot {
    /// The name and spawn site of the task last published.
    meta: Option<TaskMeta>,
    stopped: bool,
}

/// A published poll, as the watcher read it.
struct RunningPoll {
    number: u64,
    task: TaskId,
    started: Instant,
    earliest_timer: Option<Instant>,
}

impl Watchdog {
    /// Times from `origin`, a real-clock instant no later than any it is shown.
    pub(crate) fn start(threshold: Duration, hook: SlowPollHook, origin: Instant) -> Self {
        let shared = Arc::new(Shared {
            running: AtomicU64::new(0),
            task: AtomicU64::new(0),
            started: AtomicU64::new(0),
            earliest_timer: AtomicU64::new(NO_TIMER),
            origin,
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
        Watchdog {
            shared,
            polls: Cell::new(0),
            published: RefCell::new(None),
        }
    }

    /// `started` and `earliest_timer` are real-clock instants (the timer is
    /// None on a virtual clock).
    #[inline]
    pub(crate) fn poll_started(
        &self,
        task: TaskId,
        meta: &TaskMeta,
        started: Instant,
        earliest_timer: Option<Instant>,
    ) {
        let shared = &*self.shared;
        let number = self.polls.get() + 1;
        self.polls.set(number);
        let mut published = self.published.borrow_mut();
        if !published
            .as_ref()
            .is_some_and(|published| published.is(meta))
        {
            *published = Some(meta.clone());
            shared.slot.lock().meta = Some(meta.clone());
        }
        let packed = u64::from(task.generation()) << 32 | task.index() as u64;
        shared.task.store(packed, Ordering::Relaxed);
        shared
            .started
            .store(shared.nanos(started), Ordering::Relaxed);
        let earliest_timer = earliest_timer.map_or(NO_TIMER, |at| shared.nanos(at));
        shared
            .earliest_timer
            .store(earliest_timer, Ordering::Relaxed);
        shared.running.store(number, Ordering::Release);
    }

    #[inline]
    pub(crate) fn poll_ended(&self) {
        self.shared.running.store(0, Ordering::Relaxed);
        // The next poll's fields are written after this store, as seen
        // from the watcher (the writer's half of the sequence lock).
        fence(Ordering::Release);
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.slot.lock().stopped = true;
        self.shared.stop.notify_all();
    }
}

impl Shared {
    fn nanos(&self, at: Instant) -> u64 {
        let since = at.saturating_duration_since(self.origin);
        since
            .as_secs()
            .saturating_mul(1_000_000_000)
            .saturating_add(u64::from(since.subsec_nanos()))
            .min(NO_TIMER - 1)
    }

    fn instant(&self, nanos: u64) -> Instant {
        self.origin + Duration::from_nanos(nanos)
    }

    /// The poll running now, if one is and it was read whole.
    fn running_poll(&self) -> Option<RunningPoll> {
        let number = self.running.load(Ordering::Acquire);
        if number == 0 {
            return None;
        }
        let task = self.task.load(Ordering::Relaxed);
        let started = self.started.load(Ordering::Relaxed);
        let earliest_timer = self.earliest_timer.load(Ordering::Relaxed);
        fence(Ordering::Acquire);
        if self.running.load(Ordering::Relaxed) != number {
            return None;
        }
        Some(RunningPoll {
            number,
            task: TaskId::new(task as u32, (task >> 32) as u32),
            started: self.instant(started),
            earliest_timer: (earliest_timer != NO_TIMER).then(|| self.instant(earliest_timer)),
        })
    }

    fn watch(&self) {
        let interval = (self.threshold / 2).max(Duration::from_millis(1));
        let mut watched = 0;
        let mut next_report = self.threshold;
        let mut slot = self.slot.lock();
        while !slot.stopped {
            if let Some(poll) = self.running_poll() {
                if poll.number != watched {
                    watched = poll.number;
                    next_report = self.threshold;
                }
                let now = Instant::now();
                let running_for = now.saturating_duration_since(poll.started);
                // The slot's meta is this poll's: the loop writes the next
                // poll's only after withdrawing this one, and not while the
                // watcher holds the slot.
                if let (true, Some(meta)) = (running_for >= next_report, &slot.meta) {
                    let report = SlowPoll::stuck(
                        meta.label(poll.task),
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
