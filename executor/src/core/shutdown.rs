//! Shutdown: what dropping an executor does with the tasks it still holds.
//!
//! Every unfinished task is dropped, on the executor's thread and with the
//! executor entered (so dropped `Sleep`s cancel their timers in its wheel,
//! and destructors may spawn). Whoever awaits one is woken and finds it gone:
//! cancelled. Finished tasks keep their results for their handles, which
//! share the slab and so outlive the executor.
//!
//! Two things make this harder than a loop over the tasks. Destructors are
//! user code: one may panic, and a panic must neither escape the executor's
//! `Drop` (during an unwind that would abort the process) nor keep the other
//! tasks from being dropped. So each drop runs under `catch_unwind`; the
//! panic hook has already reported the panic, and shutdown goes on. And
//! destructors may spawn: what one round of drops spawns, the next round
//! drops, unpolled. A destructor whose task's destructor spawns again, and
//! so on forever, would keep that up without end; so shutdown stops after
//! `ROUNDS` rounds and leaks what the last one spawned (neither polled nor
//! dropped: leaking is safe, and dropping it would only spawn more), with a
//! line on stderr. Real destructors spawn a task or two (a goodbye
//! message), not sixteen generations of them.

use super::Core;
use std::mem;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// How many rounds of drops shutdown makes at most.
const ROUNDS: usize = 16;

impl Core {
    /// Drops every unfinished task and wakes whoever awaits one; see the
    /// essay above.
    pub(crate) fn shut_down(&self) {
        for _ in 0..ROUNDS {
            let tasks = self.tasks.borrow_mut().drain_unfinished();
            if tasks.is_empty() {
                break;
            }
            for mut task in tasks {
                let join_waker = task.as_mut().take_join_waker();
                let _ = catch_unwind(AssertUnwindSafe(|| drop(task)));
                if let Some(join_waker) = join_waker {
                    let _ = catch_unwind(AssertUnwindSafe(|| join_waker.wake()));
                }
            }
        }
        let endless = self.tasks.borrow_mut().drain_unfinished();
        if !endless.is_empty() {
            eprintln!(
                "waitfor: dropping the executor: after {ROUNDS} rounds of destructors spawning \
                 tasks, the {} tasks spawned in the last round are leaked, not dropped",
                endless.len()
            );
            endless.into_iter().for_each(mem::forget);
        }
        self.ready.borrow_mut().clear();
    }
}
