//! What one executor owns (tasks, ready queue, timer wheel, clock, the
//! channel for wakes from other threads) and the three steps of its turn.
//!
//! The loop itself is in `executor.rs`; this file holds the steps it calls:
//! running a ready task, firing due timers, and parking. Everything here is
//! single-threaded (`RefCell`, `Rc`), except the wake channel and the
//! blocking pool, which other threads reach.
//!
//! No `RefCell` borrow is held across a call into user code (a poll, a
//! waker, a destructor): a task is taken out of the slab to be polled and
//! put back afterwards, results and futures are dropped after the borrow
//! ends, and fired alarms are collected before any is woken. So a task may
//! spawn, sleep, wake or join anything while it runs.
//!
//! And no panic from user code leaves the core in a half-done state: polls
//! and the destructors of tasks run under `catch_unwind` (`task/cell.rs`,
//! `shutdown.rs`), a poll's bookkeeping is ended by a guard that also runs
//! on unwind (`PollEnded`), and a foreign waker is woken only where a panic
//! can continue out of `block_on` with nothing else left undone. The crate's
//! essay lists what that promises.
//!
//! The timer step and a `Sleep`'s side of the wheel are in `timers.rs`,
//! timers cancelled from away from the loop in `cancellations.rs`, and what
//! dropping the executor does in `shutdown.rs`.

use crate::blocking::{BlockingPool, BlockingResult};
use crate::budget::Budget;
use crate::clock::Clock;
use crate::config::Config;
use crate::ids::{ExecutorId, TaskId};
use crate::io::{Doorbell, Reactor, RemoteSender};
use crate::observer::{Blame, Observer, Observing, Spine, Tracer};
use crate::task::cell::TaskCell;
use crate::task::meta::TaskMeta;
use crate::task::slab::TaskSlab;
use crate::waker::{ReadyQueue, TaskWaker, WakerIdentity};
use crossbeam_channel::Receiver;
use futures_task::waker_ref;
use std::cell::{Cell, OnceCell, RefCell};
use std::future::Future;
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{fence, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Waker;
use std::time::{Duration, Instant};

mod cancellations;
mod shutdown;
mod timers;

pub(crate) use cancellations::post as post_cancellation;
use cancellations::Mailbox;
use timers::Timers;
pub(crate) use timers::{Alarm, Registration};

pub(crate) struct Core {
    id: ExecutorId,
    clock: Clock,
    /// The wheel, and the foreign wakers its alarms name (`timers.rs`).
    timers: RefCell<Timers>,
    /// Timers to cancel, posted by `Sleep`s dropped away from this loop.
    cancellations: Mailbox,
    /// Shared with the tasks' `JoinHandle`s, which find their task here.
    tasks: Rc<RefCell<TaskSlab>>,
    /// Shared with this thread's waker slot while the executor runs (`waker.rs`).
    ready: ReadyQueue,
    remote: RemoteSender,
    remote_wakeups: Receiver<TaskId>,
    doorbell: Arc<Doorbell>,
    /// Made when the first socket registers; until then, park waits on the
    /// wake channel alone.
    reactor: OnceCell<Rc<Reactor>>,
    main_waker: Arc<TaskWaker>,
    /// Fired timers (deadline tick, whom to wake), collected before any is woken.
    fired: RefCell<Vec<(u64, Alarm)>>,
    /// The task being polled, and how to recognise its own waker: a timer
    /// it files with that waker names the task instead (see `Alarm`).
    polling: Cell<Option<(TaskId, WakerIdentity)>>,
    blocking: OnceCell<BlockingPool>,
    budget: Budget,
    /// The instruments (diagnostics, watchdog, trace), told of polls and
    /// timer steps through `observer.rs`; `None` when all are off.
    instruments: Option<Box<dyn Observer>>,
    config: Config,
}

/// A poll in progress (see `Core::begin_poll`): when it returns *or
/// unwinds* (the `block_on` future's panic goes on out of `block_on`), no
/// task is being polled any more.
pub(crate) struct Polling<'a> {
    core: &'a Core,
}

impl Drop for Polling<'_> {
    fn drop(&mut self) {
        self.core.polling.set(None);
    }
}

impl Core {
    /// A core on `clock`, told to `instruments` if any are on.
    pub(crate) fn new(
        config: Config,
        clock: Clock,
        instruments: Option<Box<dyn Observer>>,
    ) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let (remote, remote_wakeups) = crossbeam_channel::unbounded();
        let doorbell = Arc::new(Doorbell::new(config.on_remote_wake.clone()));
        let remote = RemoteSender::new(remote, Arc::clone(&doorbell));
        Core {
            id,
            clock,
            timers: RefCell::default(),
            cancellations: Mailbox::open(id),
            tasks: Rc::default(),
            ready: ReadyQueue::default(),
            main_waker: TaskWaker::new(TaskId::MAIN, id, remote.clone()),
            remote,
            remote_wakeups,
            doorbell,
            reactor: OnceCell::new(),
            fired: RefCell::default(),
            polling: Cell::new(None),
            blocking: OnceCell::new(),
            budget: Budget::new(config.budget),
            instruments,
            config,
        }
    }

    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// The instruments, if any is on.
    #[inline]
    pub(crate) fn observer(&self) -> Option<&dyn Observer> {
        self.instruments.as_deref()
    }

    /// What a poll is observed with: `None` when every instrument is off.
    pub(crate) fn observing(&self) -> Option<Observing<'_>> {
        let observer = self.observer()?;
        Some(Observing {
            observer,
            clock: &self.clock,
            spine: self,
        })
    }

    /// The trace's hooks, if the trace is on.
    #[inline]
    pub(crate) fn tracer(&self) -> Option<&dyn Tracer> {
        self.observer()?.tracer()
    }

    /// Who held the loop when `deadline` passed, if diagnostics are on and
    /// a poll of the last turn did.
    pub(crate) fn blame(&self, deadline: Instant) -> Option<Blame> {
        self.observer()?.blame(deadline)
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

    /// The reactor, made (with its poller) on first use.
    pub(crate) fn reactor(&self) -> io::Result<Rc<Reactor>> {
        if let Some(reactor) = self.reactor.get() {
            return Ok(Rc::clone(reactor));
        }
        let reactor = Rc::new(Reactor::new(Arc::clone(&self.doorbell))?);
        Ok(Rc::clone(self.reactor.get_or_init(|| reactor)))
    }

    /// The ready queue, for the context to share with this thread's wakers.
    pub(crate) fn ready_queue(&self) -> &ReadyQueue {
        &self.ready
    }

    /// Puts a task at the back of the ready queue: it runs next turn.
    pub(crate) fn schedule(&self, task: TaskId) {
        self.ready.borrow_mut().push_back(task);
    }

    /// Spawns `future` as a task: one allocation (the slab's box of it),
    /// plus a waker unless its slot has a spare one. The caller makes its
    /// `JoinHandle` (`task/mod.rs`): the core knows no handles.
    pub(crate) fn spawn<F>(&self, future: F, meta: TaskMeta) -> TaskId
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let mut tasks = self.tasks.borrow_mut();
        self.label_for_trace(tasks.next_id(), &meta);
        let task = Box::pin(TaskCell::new(future, meta));
        let id = tasks.insert(task, |id| TaskWaker::new(id, self.id, self.remote.clone()));
        drop(tasks);
        self.schedule(id);
        id
    }

    /// The tasks, shared with their `JoinHandle`s, which find their task here.
    pub(crate) fn tasks(&self) -> &Rc<RefCell<TaskSlab>> {
        &self.tasks
    }

    /// Tells the trace, if any, how to call a task (once, not per poll).
    pub(crate) fn label_for_trace(&self, task: TaskId, meta: &TaskMeta) {
        if let Some(tracer) = self.tracer() {
            tracer.task_named(task, meta);
        }
    }

    /// Hands `f` to the blocking pool (started on first use); returns where
    /// its result will be.
    pub(crate) fn spawn_blocking<T, F>(&self, f: F) -> Arc<BlockingResult<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.blocking.get_or_init(|| {
            let tracer = self
                .observer()
                .and_then(|observer| observer.shared_tracer());
            BlockingPool::new(self.config.pool, tracer)
        });
        pool.spawn(f, self.remote.clone())
    }

    /// Moves wakes that came from other threads onto the ready queue and
    /// returns how many tasks are ready: the ones this turn will run.
    pub(crate) fn begin_turn(&self) -> usize {
        let mut ready = self.ready.borrow_mut();
        if !self.remote_wakeups.is_empty() {
            ready.extend(
                self.remote_wakeups
                    .try_iter()
                    .filter(|&task| task != TaskId::NUDGE),
            );
        }
        ready.len()
    }

    pub(crate) fn next_ready(&self) -> Option<TaskId> {
        self.ready.borrow_mut().pop_front()
    }

    /// Polls one spawned task: takes it out of its slot, polls it, and puts
    /// it back, finished or not. An abort takes effect here, when the task
    /// is picked up or right after the poll during which it came; never in
    /// the middle of a poll.
    pub(crate) fn run_task(&self, id: TaskId) {
        // A stale id (the task finished after this wake was queued) finds nothing.
        let Some((mut task, waker, aborted)) = self.tasks.borrow_mut().take_for_poll(id) else {
            return;
        };
        waker.clear_scheduled();
        let finished = !aborted && {
            let waker = waker_ref(&waker);
            let _polling = self.begin_poll(id, &waker);
            task.as_mut().run(id, &waker, self.observing())
        };
        let (mut task, waker) = if finished {
            (task, waker)
        } else {
            let put_back = self.tasks.borrow_mut().put_back(id, task, waker);
            let Err((mut task, waker)) = put_back else {
                return;
            };
            // Aborted: drops the future, outside the borrow (its destructor may spawn).
            task.as_mut().cancel(id);
            (task, waker)
        };
        let join_waker = task.as_mut().take_join_waker();
        let detached = self.tasks.borrow_mut().put_back_finished(id, task, waker);
        // Dropped outside the borrow: the output's destructor may spawn. Nobody
        // awaits that output, so a panic in its destructor goes nowhere (the
        // panic hook has reported it).
        let _ = catch_unwind(AssertUnwindSafe(|| drop(detached)));
        // Last, with the slab in order: a joiner's waker that panics
        // continues out of `block_on`, and loses nothing else.
        if let Some(join_waker) = join_waker {
            join_waker.wake();
        }
    }

    /// What every poll needs, instruments or not (the mechanism; the
    /// timing is `observer.rs`): a fresh budget, and the polling task's
    /// identity, by which a timer filed with the task's own waker names the
    /// task (see `Alarm`). The identity is cleared when the guard drops,
    /// also on unwind.
    pub(crate) fn begin_poll(&self, task: TaskId, waker: &Waker) -> Polling<'_> {
        self.budget.reset();
        self.polling.set(Some((task, WakerIdentity::of(waker))));
        Polling { core: self }
    }

    pub(crate) fn has_ready_tasks(&self) -> bool {
        !self.ready.borrow().is_empty()
    }

    /// Step 3: nothing is ready, so wait for the next timer, a socket, or a
    /// wake from another thread.
    ///
    /// While a task awaits a socket, the loop waits in the reactor's poller;
    /// otherwise on its wake channel, as if there were no sockets at all.
    ///
    /// A virtual clock does not wait for timers: it jumps to the next one,
    /// unless something real is under way. Blocking jobs: their wake-ups come
    /// in real time, so it waits for them first, however long. Awaited
    /// sockets: it waits in real time for as long as the next timer is away
    /// on the virtual clock; I/O that comes meanwhile leaves the clock where
    /// it was, and if none comes, the clock jumps to the timer. So a timeout
    /// around a read that never comes still fires, at a virtual instant as
    /// exact as ever, after a real wait of the same length.
    pub(crate) fn park(&self) {
        self.cancel_posted_timers();
        let next_timer = self.next_timer();
        self.trace(|tracer, now| tracer.parked(now, next_timer));
        // Count running jobs *before* looking at the channel: a job sends its
        // wake before it stops counting as running, so none slips between.
        let blocking_jobs = self.blocking.get().map_or(0, BlockingPool::in_flight);
        if !self.remote_wakeups.is_empty() {
            // A wake is already waiting: take it next turn, neither sleeping
            // nor moving a virtual clock past it.
            self.trace(|tracer, now| tracer.unparked(now));
            return;
        }
        let reactor = self.reactor.get().filter(|reactor| reactor.awaited() > 0);
        let virtual_clock = self.clock.is_virtual();
        if virtual_clock && blocking_jobs == 0 && reactor.is_none() {
            if let Some(next_timer) = next_timer {
                self.clock.jump_to(next_timer);
                self.trace(|tracer, now| tracer.unparked(now));
                return;
            }
        }
        if next_timer.is_none() && blocking_jobs == 0 && !self.could_ever_wake() {
            self.deadlock();
        }
        // The wheel's next deadline becomes the wait's timeout: the line
        // where every event loop meets its timers (asyncio's
        // `selector.select(timeout)`, tokio's `epoll_wait`).
        let timeout = next_timer
            .filter(|_| !(virtual_clock && blocking_jobs > 0))
            .map(|deadline| deadline.saturating_duration_since(self.clock.now()));
        let something_came = match reactor {
            Some(reactor) => reactor.wait(timeout, &self.remote_wakeups),
            None => self.wait_for_wake(timeout),
        };
        if let Some(next_timer) = next_timer.filter(|_| virtual_clock && !something_came) {
            self.clock.jump_to(next_timer);
        }
        self.trace(|tracer, now| tracer.unparked(now));
    }

    /// Parks on the wake channel for up to `timeout`; false if it ran out.
    fn wait_for_wake(&self, timeout: Option<Duration>) -> bool {
        let wakeup = match timeout {
            Some(timeout) => self.remote_wakeups.recv_timeout(timeout).ok(),
            None => self.remote_wakeups.recv().ok(),
        };
        if let Some(task) = wakeup.filter(|&task| task != TaskId::NUDGE) {
            self.schedule(task);
        }
        wakeup.is_some()
    }

    /// Between busy turns, takes the sockets' news without waiting, so that
    /// tasks that are always ready cannot keep the reactor from their peers.
    pub(crate) fn poll_sockets(&self) {
        if let Some(reactor) = self.reactor.get().filter(|reactor| reactor.awaited() > 0) {
            reactor.wait(Some(Duration::ZERO), &self.remote_wakeups);
        }
    }

    /// Tells the trace, if it is on, of something that happens now.
    fn trace(&self, event: impl FnOnce(&dyn Tracer, Instant)) {
        if let Some(tracer) = self.tracer() {
            event(tracer, self.clock.now());
        }
    }

    /// Whether a wake can still come: anything outside the executor holds a
    /// waker of the `block_on` future or of a task, or a wake has arrived.
    /// (The executor itself holds one reference to each waker; timers and
    /// blocking jobs are checked by the caller.) Sound but not complete: a
    /// waker held by a task that will itself never run still counts.
    ///
    /// The channel is looked at again *after* counting: a thread that wakes
    /// by value sends its wake and then drops its waker, so a count that
    /// finds the waker gone is followed by a look that finds the wake. The
    /// fence pairs with the `Release` of that drop's decrement (the counts
    /// are read `Relaxed`), so the send is visible to the second look.
    fn could_ever_wake(&self) -> bool {
        let wakers_held = Arc::strong_count(&self.main_waker) > 1
            || self.tasks.borrow().any_waker_held_elsewhere();
        fence(Ordering::Acquire);
        wakers_held || !self.remote_wakeups.is_empty()
    }

    /// Step 3 found that nothing can ever wake a task again: say so and why,
    /// instead of hanging.
    fn deadlock(&self) -> ! {
        let timers = if self.clock.tick_at_or_after(self.clock.now()).is_none() {
            // Sleeps may be waiting, but their deadlines are later than the
            // clock, which is already past the wheel's last tick: unfiled.
            "no timer can ever fire (the clock has passed the last tick the wheel can \
             count, u64::MAX ticks after the executor was built, so any sleep still waiting \
             is too far out to be filed)"
        } else {
            "no timer is pending"
        };
        panic!(
            "waitfor: deadlock in block_on: no task is ready, {timers}, no blocking job is \
             running, and no waker is held outside the executor, so nothing can ever wake a \
             task again; the program would hang forever"
        )
    }
}

/// What the instruments may ask of the core during a poll.
impl Spine for Core {
    fn earliest_timer(&self) -> Option<Instant> {
        // Asked before every poll (by the watchdog): an empty wheel answers
        // without the search for its earliest slot.
        if self.timers.borrow().wheel.is_empty() {
            return None;
        }
        self.earliest_deadline()
    }
}
