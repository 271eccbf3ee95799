//! What one executor owns (tasks, ready queue, timer wheel, clock, the
//! channel for wakes from other threads) and the three steps of its turn.
//!
//! The loop itself is in `executor.rs`; this file holds the steps it calls:
//! running a ready task, firing due timers, and parking. Everything here is
//! single-threaded (`RefCell`, `Rc`), except the wake channel and the
//! blocking pool, which other threads reach.
//!
//! No `RefCell` borrow is held across a call into user code (a poll, a
//! waker, a destructor): the task is cloned out of the slab before it is
//! polled, and fired wakers are collected before any is woken. So a task may
//! spawn, sleep or wake anything while it runs.

use crate::blocking::{BlockingPool, PoolConfig};
use crate::clock::Clock;
use crate::join::JoinHandle;
use crate::task::{TaskCell, TaskSlab};
use crate::time::Registration;
use crate::waker::{ExecutorId, TaskId, TaskWaker};
use crossbeam_channel::{Receiver, Sender};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};
use waitfor_timer::Wheel;

pub(crate) struct Core {
    id: ExecutorId,
    clock: Clock,
    wheel: RefCell<Wheel<Waker>>,
    tasks: RefCell<TaskSlab>,
    ready: RefCell<VecDeque<TaskId>>,
    remote: Sender<TaskId>,
    remote_wakeups: Receiver<TaskId>,
    main_waker: Arc<TaskWaker>,
    /// When step 2 last ran: the instant at which the timers it fired fired.
    last_timer_pass: Cell<Instant>,
    /// Wakers of fired timers, collected before any is woken (reused).
    fired: RefCell<Vec<Waker>>,
    blocking: OnceCell<BlockingPool>,
    pool_config: PoolConfig,
}

impl Core {
    pub(crate) fn new(tick: Duration, virtual_clock: bool, pool_config: PoolConfig) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let (remote, remote_wakeups) = crossbeam_channel::unbounded();
        let clock = Clock::new(tick, virtual_clock);
        Core {
            id,
            last_timer_pass: Cell::new(clock.now()),
            clock,
            wheel: RefCell::new(Wheel::new()),
            tasks: RefCell::default(),
            ready: RefCell::default(),
            main_waker: TaskWaker::new(TaskId::MAIN, id, remote.clone()),
            remote,
            remote_wakeups,
            fired: RefCell::default(),
            blocking: OnceCell::new(),
            pool_config,
        }
    }

    pub(crate) fn id(&self) -> ExecutorId {
        self.id
    }

    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    pub(crate) fn main_waker(&self) -> &Arc<TaskWaker> {
        &self.main_waker
    }

    pub(crate) fn last_timer_pass(&self) -> Instant {
        self.last_timer_pass.get()
    }

    /// Puts a task at the back of the ready queue: it runs next turn.
    pub(crate) fn schedule(&self, task: TaskId) {
        self.ready.borrow_mut().push_back(task);
    }

    pub(crate) fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let mut tasks = self.tasks.borrow_mut();
        let id = tasks.next_id();
        let cell = TaskCell::new(future, TaskWaker::new(id, self.id, self.remote.clone()));
        tasks.insert(cell.clone());
        drop(tasks);
        self.schedule(id);
        JoinHandle::task(cell)
    }

    pub(crate) fn spawn_blocking<T, F>(&self, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let pool = self
            .blocking
            .get_or_init(|| BlockingPool::new(self.pool_config));
        JoinHandle::blocking(pool.spawn(f, self.remote.clone()))
    }

    /// Moves wakes that came from other threads onto the ready queue and
    /// returns how many tasks are ready: the ones this turn will run.
    pub(crate) fn begin_turn(&self) -> usize {
        let mut ready = self.ready.borrow_mut();
        ready.extend(
            self.remote_wakeups
                .try_iter()
                .filter(|&task| task != TaskId::NUDGE),
        );
        ready.len()
    }

    pub(crate) fn next_ready(&self) -> Option<TaskId> {
        self.ready.borrow_mut().pop_front()
    }

    /// Polls one spawned task, and forgets it if it finished.
    pub(crate) fn run_task(&self, id: TaskId) {
        // A stale id (the task finished after this wake was queued) finds nothing.
        let Some(task) = self.tasks.borrow().get(id) else {
            return;
        };
        if task.run() {
            self.tasks.borrow_mut().remove(id);
        }
    }

    /// Step 2: advance the wheel to the clock's current tick and wake the
    /// task of every timer that is due. Skipped, clock read included, when
    /// no timer is pending.
    pub(crate) fn fire_due_timers(&self) {
        if self.wheel.borrow().is_empty() {
            return;
        }
        let now = self.clock.now();
        let mut fired = self.fired.take();
        self.wheel
            .borrow_mut()
            .advance(self.clock.tick_at_or_before(now), |_, waker| {
                fired.push(waker)
            });
        self.last_timer_pass.set(now);
        for waker in fired.drain(..) {
            waker.wake();
        }
        *self.fired.borrow_mut() = fired;
    }

    pub(crate) fn has_ready_tasks(&self) -> bool {
        !self.ready.borrow().is_empty()
    }

    /// Step 3: nothing is ready, so wait for the next timer or for a wake from
    /// another thread. A virtual clock does not wait for timers: it jumps to
    /// the next one, unless blocking jobs are running (their wake-ups come
    /// in real time, so it waits for them first).
    pub(crate) fn park(&self) {
        let next_timer = self.next_timer();
        let blocking_jobs = self.blocking.get().map_or(0, BlockingPool::in_flight);
        if self.clock.is_virtual() && blocking_jobs == 0 {
            if let Some(next_timer) = next_timer {
                self.clock.jump_to(next_timer);
                return;
            }
        }
        let wakeup = match next_timer {
            Some(deadline) if !self.clock.is_virtual() => self
                .remote_wakeups
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .ok(),
            _ => self.remote_wakeups.recv().ok(),
        };
        if let Some(task) = wakeup.filter(|&task| task != TaskId::NUDGE) {
            self.schedule(task);
        }
    }

    /// When the wheel next needs the loop, as an instant.
    fn next_timer(&self) -> Option<Instant> {
        let tick = self.wheel.borrow().next_expiration()?;
        self.clock.instant_of(tick)
    }

    /// The timer half of `Sleep::poll`: file the timer on the first poll,
    /// keep its waker current on later ones, and report `Ready` once step 2
    /// has fired it (its key is gone from the wheel).
    pub(crate) fn poll_timer(
        &self,
        timer: &mut Option<Registration>,
        deadline: Instant,
        waker: &Waker,
    ) -> Poll<()> {
        let mut wheel = self.wheel.borrow_mut();
        let Some(registration) = *timer else {
            let tick = self.clock.tick_at_or_after(deadline);
            let key = wheel.insert(tick, waker.clone());
            *timer = Some(Registration {
                key,
                executor: self.id,
            });
            return Poll::Pending;
        };
        assert_eq!(
            registration.executor, self.id,
            "a waitfor timer was polled on a different executor from the one it was started on"
        );
        match wheel.get_mut(registration.key) {
            None => Poll::Ready(()),
            Some(stored) => {
                if !stored.will_wake(waker) {
                    *stored = waker.clone();
                }
                Poll::Pending
            }
        }
    }

    pub(crate) fn cancel_timer(&self, timer: Registration) {
        if timer.executor == self.id {
            if let Ok(mut wheel) = self.wheel.try_borrow_mut() {
                wheel.cancel(timer.key);
            }
        }
    }

    /// Drops every task's future (so their timers leave the wheel and their
    /// `JoinHandle`s report cancellation). Destructors may spawn; repeat
    /// until nothing is left.
    pub(crate) fn shut_down(&self) {
        loop {
            let tasks = self.tasks.borrow_mut().drain();
            if tasks.is_empty() {
                break;
            }
            for task in &tasks {
                task.cancel();
            }
        }
        self.ready.borrow_mut().clear();
    }
}
