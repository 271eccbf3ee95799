//! Cancelling a timer from anywhere: a mailbox per executor that the loop
//! empties before it looks at its wheel.
//!
//! A `Sleep` is usually dropped where it was polled, inside its executor's
//! loop, and then cancels its timer in the wheel directly. But it is a plain
//! `Send` value: it may be dropped on another thread (moved into
//! `spawn_blocking`), between two `block_on` calls, or by a destructor that
//! runs while the wheel is busy. The wheel is single-threaded (`RefCell`),
//! so such a drop cannot touch it; if it did nothing, the timer would stay
//! filed, the loop would wake its old owner for nothing, a virtual clock
//! would jump to it for nobody, and a program that does this in a loop would
//! grow the wheel without bound.
//!
//! So the drop posts the timer's key to its executor's mailbox instead, and
//! the loop cancels whatever is posted before each timer step and before it
//! parks (`Core::cancel_posted_timers`); when nothing was posted, that costs
//! the step one atomic load. This is how tokio forwards
//! cross-thread cancellations to its timer driver. Keys are generational, so
//! a key posted after its timer fired (and its slot was reused) cancels
//! nothing.
//!
//! The mailboxes are found by executor id in one process-wide map, rather
//! than through a handle stored in every `Sleep`: filing a timer stays free
//! of reference counting, a `Sleep` stays two words of state, and the lock is
//! taken only on the rare drop away from the loop. An executor's mailbox
//! leaves the map when its core is dropped; a key posted after that finds no
//! mailbox, and there is no wheel left to tidy.

use super::Registration;
use crate::ids::ExecutorId;
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::mem;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use waitfor_timer::TimerKey;

/// Every live executor's mailbox, by id.
static MAILBOXES: Mutex<BTreeMap<ExecutorId, Arc<Posted>>> = Mutex::new(BTreeMap::new());

/// What was posted to one executor. The flag is set after each post, so the
/// loop's check on every timer step is one load; the keys are behind a lock
/// that only a post and a drain take.
#[derive(Default)]
struct Posted {
    any: AtomicBool,
    keys: Mutex<Vec<TimerKey>>,
}

/// One executor's mailbox of timers to cancel; registered while it lives.
pub(crate) struct Mailbox {
    executor: ExecutorId,
    posted: Arc<Posted>,
}

impl Mailbox {
    pub(crate) fn open(executor: ExecutorId) -> Self {
        let posted = Arc::<Posted>::default();
        MAILBOXES.lock().insert(executor, Arc::clone(&posted));
        Mailbox { executor, posted }
    }

    /// Whether a key was posted since the last [`take_posted`](Self::take_posted):
    /// one load, the check every timer step makes.
    #[inline]
    pub(crate) fn any_posted(&self) -> bool {
        self.posted.any.load(Ordering::Acquire)
    }

    /// The keys posted since the last call. The flag is cleared before the
    /// keys are taken, so a key posted meanwhile is either taken now or
    /// flagged for the next call.
    pub(crate) fn take_posted(&self) -> Vec<TimerKey> {
        self.posted.any.store(false, Ordering::Release);
        mem::take(&mut *self.posted.keys.lock())
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        MAILBOXES.lock().remove(&self.executor);
    }
}

/// Asks `timer`'s executor to cancel it at its next timer step; does
/// nothing if that executor is gone.
pub(crate) fn post(timer: Registration) {
    if let Some(posted) = MAILBOXES.lock().get(&timer.executor) {
        posted.keys.lock().push(timer.key);
        posted.any.store(true, Ordering::Release);
    }
}
