//! Running the executor inside someone else's loop: a GUI toolkit's, a game
//! engine's, another runtime's.
//!
//! [`Executor::block_on`] owns the thread: it runs, fires and parks until
//! its future is done. A host that owns the thread instead (a GUI's main
//! loop, drawing frames and handling input) can only lend it: it gives the
//! executor a [`turn`](Executor::turn) now and then, and the executor's
//! timers are serviced only during those turns. That is the write-up's
//! "event loop managed by another framework": a `wait_for` fires when the
//! host gets round to a turn, up to a whole frame late.
//!
//! The fix is the host's, and the executor gives it what it needs:
//! [`next_deadline`](Executor::next_deadline), the instant of the wheel's
//! next timer, for the host to arm a timer of its own and give a turn then;
//! and [`Builder::on_remote_wake`](crate::Builder::on_remote_wake), a
//! callback for wakes from other threads, to post a turn to itself. smol
//! calls its turn `try_tick`, futures `run_until_stalled`; Trio's guest mode
//! and Python's qasync do the same for asyncio and Trio.
//!
//! A turn is the loop's turn without the park: the tasks ready when it
//! begins run, due timers fire, sockets are checked without waiting. The
//! diagnostics (slow polls, the watchdog, blame on `Elapsed`) work in turns
//! exactly as under `block_on`, since they watch the polls.
//!
//! ```
//! use std::time::Duration;
//! use waitfor_executor::{advance, sleep, Executor};
//!
//! let executor = Executor::builder().virtual_clock().build();
//! let task = executor.spawn(async { sleep(Duration::from_millis(100)).await });
//! while executor.turn() {} // the sleep files its timer
//! let deadline = executor.next_deadline().expect("the sleep's timer");
//! executor.enter(|| advance(deadline - waitfor_executor::now())); // the host waits
//! while executor.turn() {} // the timer fires, the task finishes
//! assert!(executor.next_deadline().is_none());
//! # drop(task);
//! ```

use crate::context;
use crate::executor::Executor;
use crate::ids::TaskId;
use crate::join::JoinHandle;
use crate::task::meta::TaskMeta;
use std::future::Future;
use std::panic::Location;
use std::rc::Rc;
use std::time::Instant;

impl Executor {
    /// Runs one turn without parking: the tasks that are ready now, then the
    /// timers that are due, then the sockets' news. Returns whether a task
    /// is ready again (woken during the turn): then the host should give
    /// another turn soon. `while executor.turn() {}` runs until nothing is
    /// ready, which never happens while a task keeps yielding.
    ///
    /// # Panics
    /// If an executor is already running on this thread (inside `block_on`
    /// or another turn).
    pub fn turn(&self) -> bool {
        let core = &**self.core();
        let _running = context::enter(Rc::clone(self.core()));
        for _ in 0..core.begin_turn() {
            match core.next_ready() {
                // A wake for a `block_on` future that has returned: nothing to run.
                Some(TaskId::MAIN) => {}
                Some(task) => core.run_task(task),
                None => break,
            }
        }
        core.fire_due_timers();
        core.poll_sockets();
        core.has_ready_tasks()
    }

    /// When the earliest timer is due (its deadline rounded up to a tick),
    /// if any: the host should give a turn then, or the timer fires late.
    /// It may be in the past: a timer is overdue, and a turn will fire it.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.core().earliest_deadline()
    }

    /// Runs `f` with this executor as the current one, so that
    /// [`spawn`](crate::spawn), [`task::Builder`](crate::task::Builder),
    /// [`now`](crate::now) and [`advance`](crate::advance) work from a host's
    /// code between turns.
    ///
    /// # Panics
    /// If an executor is already running on this thread.
    pub fn enter<R>(&self, f: impl FnOnce() -> R) -> R {
        let _entered = context::enter(Rc::clone(self.core()));
        f()
    }

    /// Spawns `future` as a task, to run in the next turn (or `block_on`).
    ///
    /// # Panics
    /// As [`enter`](Self::enter).
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let meta = TaskMeta {
            name: None,
            spawned_at: Location::caller(),
        };
        crate::task::spawn_on(self.core(), future, meta)
    }
}
