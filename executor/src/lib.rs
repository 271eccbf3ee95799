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
//! 1. [`wait_for`] (`time/wait_for.rs`) pairs your future with a [`Sleep`].
//! 2. The `Sleep`'s first poll (`time/sleep.rs`, then `Core::poll_timer` in
//!    `core/timers.rs`) files an alarm for its task in the wheel
//!    (`waitfor-timer`), at the deadline rounded up to a tick (`clock.rs`).
//!    The alarm names the task by id when the `Sleep` is polled with the
//!    task's own waker, else it holds a clone of the waker.
//! 3. Step 2 of the loop (`Core::fire_due_timers`) advances the wheel to the
//!    current tick; the wheel hands back the alarm, which wakes the task
//!    (`waker.rs`), putting it back on the ready queue.
//! 4. In the next turn the task is polled; `WaitFor` polls your future first,
//!    then the `Sleep`, which finds its timer gone from the wheel: `Err(Elapsed)`.
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

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod blocking;
mod budget;
mod builder;
pub mod channel;
mod clock;
mod context;
mod core;
mod diagnostics;
mod executor;
mod host;
mod io;
mod join;
pub mod net;
mod spawn;
pub mod task;
mod time;
pub mod trace;
mod waker;
mod watchdog;
mod yield_now;

pub use builder::Builder;
pub use diagnostics::SlowPoll;
pub use executor::Executor;
pub use join::{JoinError, JoinHandle};
pub use spawn::{spawn, spawn_blocking};
pub use time::{advance, now, sleep, sleep_until, wait_for, wait_until, Elapsed, Sleep, WaitFor};
pub use waker::TaskId;
pub use yield_now::{yield_now, YieldNow};
