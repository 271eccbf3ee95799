//! A single-threaded executor, small enough to read in one sitting, that
//! shows why a timeout fires late.
//!
//! # The question
//!
//! "Why is my `asyncio.wait_for` timeout not taken into account?" Because a
//! timer is a note in the event loop's wheel, and the loop only reads its
//! notes between polls. A task that blocks inside a poll (a synchronous
//! sleep, a blocking client, a CPU loop, a future that is always ready)
//! keeps the loop from reading them, so the timeout fires late, or never.
//!
//! # The loop
//!
//! [`Executor::block_on`] runs turns of three steps: **run** the tasks that
//! are ready, **fire** the timers that are due, **park** until the next timer,
//! socket ([`net`]) or wake-up. A host that owns the thread runs the same
//! turns itself, without the park ([`Executor::turn`]). The timers' step comes after every poll of the first step has
//! returned; that order is the whole story, and it is written out in
//! `executor.rs` where it happens.
//!
//! # Following a timeout
//!
//! This is the project's one reading path (the README, `time/mod.rs` and
//! `core/timers.rs` point here). A timeout awaited in `block_on`, with the
//! instruments off, crosses these files, in this order:
//!
//! 1. `time/wait_for.rs`: [`wait_for`] pairs your future with a [`Sleep`],
//!    reading the clock through the thread-local context (`context.rs`,
//!    the one way from a future to its executor); each poll polls your
//!    future first.
//! 2. `time/sleep.rs`: the `Sleep`'s first poll calls `Core::poll_timer`
//!    (`core/timers.rs`), which files an alarm for the polling task in the
//!    wheel at the deadline rounded up to a tick (`clock.rs`). The alarm
//!    names the task by id when the `Sleep` is polled with the task's own
//!    waker (the polling identity `Core::begin_poll` set, `core/mod.rs`),
//!    else the slot of a clone of the waker kept beside the wheel: one
//!    word either way (`core/timers/alarm.rs`).
//! 3. `waitfor-timer`: `timer/src/wheel.rs` files it (`level.rs` picks the
//!    slot, `slab.rs` holds the entry in a 32-byte record, `slab/list.rs`
//!    links it into the slot's list, `key.rs` names it); a fired timer's
//!    stamp is `wheel/expired.rs`.
//! 4. `executor.rs`: the loop. Step 2, `Core::fire_due_timers`
//!    (`core/timers.rs`), advances the wheel to the current tick
//!    (`Wheel::expire`); the wheel hands back the alarm, which queues the
//!    task (`waker.rs`'s flag, the ready queue in `core/mod.rs`), and keeps
//!    the step's instant in the fired timer's place.
//! 5. In the next turn the task is polled (`core/mod.rs`, through the one
//!    branch of `observer.rs` when the instruments are off); `WaitFor` polls
//!    your future first, then the `Sleep`, which finds its timer fired and
//!    collects the instant: `Err(Elapsed)` (`time/elapsed.rs`), dated by it.
//!
//! Counted, that is ten files of this crate that carry the timeout's logic
//! (`time/wait_for.rs`, `context.rs`, `time/sleep.rs`, `core/timers.rs`,
//! `core/timers/alarm.rs`, `clock.rs`, `executor.rs`, `core/mod.rs`,
//! `waker.rs`, `time/elapsed.rs`) and six of the wheel's (`wheel.rs`,
//! `wheel/expired.rs`, `level.rs`, `slab.rs`, `slab/list.rs`, `key.rs`); three more are crossed by a single call each
//! (`observer.rs`'s branch, `budget.rs`'s reset, the one load with which
//! `core/cancellations.rs` says nothing was posted). Seven files in all
//! would need the loop, its steps and the timer step in one file, and the
//! wheel in another, each well over a thousand lines: against this
//! project's one concept per file, so the path is kept at this length and
//! written out once, here.
//!
//! Every file uses only files below it (no import cycle); the thread-local
//! context is the way up from a future. The instruments sit beside the
//! spine, which calls them only through the hooks of `observer.rs` (around
//! each poll, at the timer step, for blame and for the trace's events) and
//! holds them as one field, absent when they are off: `instruments.rs`
//! dispatches to `diagnostics.rs` (slow polls, blame), `watchdog.rs` (a
//! stall reported while it happens) and `trace/` (the recorder), and
//! `wiring.rs`, above both, plugs them in. Their renderers are another
//! crate, `waitfor-timeline`. `budget.rs` and `coop.rs` are tokio's
//! cooperative budget.
//!
//! Step 3 of the loop, park, waits on the wake channel, or in the reactor's
//! poller while a task awaits a socket (`io/`, with the line where the
//! wheel's next deadline becomes the poller's timeout in `Core::park`); the
//! sockets on it are `net/`, and `host.rs` runs turns for a host that owns
//! the thread.
//!
//! # Exactly like CPython 3.12
//!
//! With a 5 s block inside `wait_for(…, 1 s)`:
//!
//! | after the block, the future… | result |
//! | --- | --- |
//! | returns | `Ok`, after 5 s: the timeout never had a chance |
//! | yields once, then returns | `Ok`: the timer fired in step 2, but the future is polled first |
//! | yields twice | `Err(Elapsed)`, 4 s late |
//!
//! CPython 3.12's `asyncio.wait_for` gives the same three answers for the
//! same programs, and tokio's `timeout` too: each polls the inner future
//! before it checks the deadline.
//!
//! ```
//! use std::time::Duration;
//! use waitfor_executor::{advance, wait_for, yield_now, Executor};
//!
//! let executor = Executor::builder().virtual_clock().build();
//! let outcome = executor.block_on(async {
//!     let blocking_task = async {
//!         advance(Duration::from_secs(5)); // a blocking call: 5 s, no yield
//!         yield_now().await;
//!         yield_now().await;
//!         "done"
//!     };
//!     wait_for(blocking_task, Duration::from_secs(1)).await
//! });
//! assert_eq!(outcome.unwrap_err().lateness(), Duration::from_secs(4));
//! ```
//!
//! # What waitfor promises
//!
//! **What is dropped when, and where.** A task's future is dropped on the
//! executor's thread: when it returns `Ready` or panics, when it is picked up
//! after [`JoinHandle::abort`], or when the executor is dropped. Its output is
//! dropped by whoever holds its `JoinHandle`, or, once the handle is gone,
//! by the executor when the task finishes. No `RefCell` borrow is held while
//! any of this user code runs (nor while a foreign waker is cloned, woken or
//! dropped), so destructors may spawn, sleep, wake and drop anything.
//! Dropping the executor drops every unfinished task; what their destructors
//! spawn is dropped too, unpolled, round after round, for up to 16 rounds.
//! Destructors that keep spawning past that are leaked with a line on stderr,
//! so that the drop always returns.
//!
//! **What a panic becomes.** A panic in a task's poll *or in its
//! destructor* becomes that task's panic [`JoinError`]; except that a future
//! that returned `Ready(v)` and then panics as it is dropped still gives
//! `Ok(v)`. A panic in a detached task's output destructor, or in any
//! destructor while the executor is dropped, is reported by the panic hook,
//! and the executor goes on. A panic in the `block_on` future, or in a
//! foreign waker the loop wakes (a joiner's, a timer's), continues out of
//! `block_on`, but only once the loop has finished that step: every other due
//! timer has been woken, and the watchdog no longer watches the poll. The
//! executor stays usable.
//!
//! **What can never be lost.** A wake, from any thread: a task woken while
//! queued is polled after the wake and sees what the waker wrote before it
//! (`waker.rs` argues the orderings). A timer: a [`Sleep`] dropped anywhere
//! (another thread, between two `block_on` calls, inside a waker's
//! destructor) takes its timer out of the wheel, at once or at the loop's
//! next timer step. And a hang never passes silently: a loop that nothing can
//! wake again panics with "deadlock in block_on" and says why, and only then
//! (a wake arriving during the check is counted); a `JoinHandle` or `Sleep`
//! polled outside its own executor, where nothing would run it, panics.

//!
//! # For tokio users
//!
//! waitfor speaks asyncio's language first, but tokio's names are here too:
//!
//! | tokio | waitfor |
//! | --- | --- |
//! | `time::timeout(d, f)`, `timeout_at(t, f)` | [`timeout`], [`timeout_at`]: [`wait_for`] and [`wait_until`] with tokio's argument order |
//! | `time::sleep`, `sleep_until`, `Sleep::reset` | [`sleep`], [`sleep_until`], [`Sleep::reset`] |
//! | `time::interval`, `interval_at`, `MissedTickBehavior` | [`interval`], [`interval_at`], [`MissedTickBehavior`] |
//! | `task::spawn`, `spawn_blocking`, `yield_now` | [`spawn`], [`spawn_blocking`], [`yield_now`] |
//! | `JoinHandle` (`abort`, `is_finished`), `JoinSet` | [`JoinHandle`], [`JoinSet`] |
//! | `sync::mpsc` | [`channel`]: `bounded`, `unbounded`; the receiver is a `Stream` |
//! | `time::pause` + `advance` | [`Builder::virtual_clock`] + [`advance`] (which blocks, as a blocking call would) |
//!
//! # With the `futures` crate
//!
//! A waitfor future needs nothing from its caller but a waker, so the
//! combinators of the `futures` crate (`select`, `join`,
//! `FuturesUnordered`, `StreamExt`, ...) work on them unchanged, and obey
//! the same loop: the timers inside fire only when the loop gets control.
//!
//! ```
//! use futures::future::{self, Either};
//! use futures::stream::{FuturesUnordered, StreamExt};
//! use std::time::Duration;
//! use waitfor_executor::{now, sleep, Executor};
//!
//! let executor = Executor::builder().virtual_clock().build();
//! executor.block_on(async {
//!     let start = now();
//!     let (a, b) = future::join(sleep(Duration::from_secs(1)), async { 2 }).await;
//!     assert_eq!((a, b, now() - start), ((), 2, Duration::from_secs(1)));
//!
//!     let slow = sleep(Duration::from_secs(5));
//!     let fast = sleep(Duration::from_secs(1));
//!     assert!(matches!(future::select(slow, fast).await, Either::Right(_)));
//!
//!     let naps: FuturesUnordered<_> = [3, 1, 2]
//!         .into_iter()
//!         .map(|secs| async move {
//!             sleep(Duration::from_secs(secs)).await;
//!             secs
//!         })
//!         .collect();
//!     assert_eq!(naps.collect::<Vec<_>>().await, [1, 2, 3]);
//! });
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod blocking;
mod budget;
mod builder;
pub mod channel;
mod clock;
mod config;
mod context;
mod coop;
mod core;
mod diagnostics;
mod executor;
mod host;
mod ids;
mod instruments;
mod io;
mod join;
mod join_error;
mod join_set;
pub mod net;
mod observer;
mod slow_poll;
mod spawn;
pub mod task;
mod time;
pub mod trace;
mod waker;
mod watchdog;
mod wiring;
mod yield_now;

pub use builder::Builder;
pub use executor::Executor;
pub use ids::TaskId;
pub use join::JoinHandle;
pub use join_error::JoinError;
pub use join_set::JoinSet;
pub use slow_poll::SlowPoll;
pub use spawn::{spawn, spawn_blocking};
pub use time::{
    advance, interval, interval_at, now, sleep, sleep_until, timeout, timeout_at, wait_for,
    wait_until, Elapsed, Interval, MissedTickBehavior, Sleep, WaitFor,
};
pub use yield_now::{yield_now, YieldNow};
