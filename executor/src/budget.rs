//! The cooperative budget: tokio's answer (since 0.2.14) to futures that are
//! always ready.
//!
//! A loop like `while let Ok(item) = rx.recv().await { … }` over a channel
//! that never runs dry never returns `Pending`, so its task never gives the
//! loop back, and timers starve exactly as under a blocking call. The budget
//! breaks that: each poll of a task may complete at most `limit` (default
//! 128) operations of waitfor's own leaf futures, such as a channel receive,
//! a join or a socket read. Once it is spent, those futures return `Pending` and wake their
//! task, which therefore yields and runs again next turn, after the timers.
//!
//! The budget only works through futures that check it. A hand-written
//! future that never returns `Pending`, or a loop that never awaits a waitfor
//! future, is not helped: the executor cannot take control back from a poll
//! that does not return.
//!
//! A leaf future calls `coop::poll_proceed` before doing work, and
//! `coop::refund` if it then turns out not to be ready (waiting is not
//! progress); those reach the running executor's budget through the
//! thread-local context, so that this file, which the core owns, uses
//! nothing above it.

use std::cell::Cell;
use std::task::{Context, Poll};

/// The budget of the poll now running on an executor.
#[derive(Debug)]
pub(crate) struct Budget {
    /// `None` when the budget is turned off.
    limit: Option<u32>,
    remaining: Cell<u32>,
}

impl Budget {
    pub(crate) fn new(limit: Option<u32>) -> Self {
        Budget {
            limit,
            remaining: Cell::new(limit.unwrap_or(0)),
        }
    }

    /// Refills the budget before each poll of a task.
    pub(crate) fn reset(&self) {
        if let Some(limit) = self.limit {
            self.remaining.set(limit);
        }
    }

    pub(crate) fn poll_proceed(&self, cx: &mut Context<'_>) -> Poll<()> {
        if self.limit.is_none() {
            return Poll::Ready(());
        }
        match self.remaining.get() {
            0 => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            left => {
                self.remaining.set(left - 1);
                Poll::Ready(())
            }
        }
    }

    pub(crate) fn refund(&self) {
        if let Some(limit) = self.limit {
            self.remaining.set((self.remaining.get() + 1).min(limit));
        }
    }
}
