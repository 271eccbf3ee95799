//! How waitfor's leaf futures (channel sends and receives, joins) spend
//! the running poll's cooperative budget (`budget.rs`): through the
//! thread-local context, the one way from a future to its executor.

use crate::context;
use std::task::{Context, Poll};

/// Takes one unit of the current poll's budget, or, if it is spent, wakes
/// the task and returns `Pending` so that the task yields to the loop.
/// Outside an executor there is no budget and this is always `Ready`.
pub(crate) fn poll_proceed(cx: &mut Context<'_>) -> Poll<()> {
    context::try_with_core(|core| core.budget().poll_proceed(cx)).unwrap_or(Poll::Ready(()))
}

/// Gives back the unit taken by [`poll_proceed`] when the operation turned
/// out not to be ready.
pub(crate) fn refund() {
    context::try_with_core(|core| core.budget().refund());
}
