//! `JoinSet`: a group of tasks whose results come back in the order the
//! tasks finish.
//!
//! A set holds the `JoinHandle`s of the tasks it spawned. Awaiting
//! [`join_next`](JoinSet::join_next) must not poll every handle each time
//! (with ten thousand tasks, one finishing would cost ten thousand polls),
//! so each member is polled with a waker of its own: when its task
//! finishes, the task wakes that waker, which notes the member's slot on the
//! set's *woken* list and wakes whoever awaits the set. `join_next` then
//! polls only the members on the list. A newly spawned member starts on the
//! list, so that its first poll leaves its waker with the task.
//!
//! Members live in slots that are reused, each with its waker, so a set
//! allocates a waker per slot once, not per task. A wake that comes late,
//! for a member that has left and whose slot has a new one, only costs that
//! new member a spurious poll.
//!
//! Dropping the set aborts every task still in it, as tokio's does: a set
//! is the tasks' owner, and nobody else can collect their results.

use crate::join::JoinHandle;
use crate::join_error::JoinError;
use futures_task::ArcWake;
use parking_lot::Mutex;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A set of spawned tasks, joined in the order they finish.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{sleep, Executor, JoinSet};
///
/// let executor = Executor::builder().virtual_clock().build();
/// let order = executor.block_on(async {
///     let mut set = JoinSet::new();
///     for secs in [3, 1, 2] {
///         set.spawn(async move {
///             sleep(Duration::from_secs(secs)).await;
///             secs
///         });
///     }
///     let mut order = Vec::new();
///     while let Some(finished) = set.join_next().await {
///         order.push(finished.unwrap());
///     }
///     order
/// });
/// assert_eq!(order, [1, 2, 3]);
/// ```
#[must_use = "dropping a JoinSet aborts its tasks"]
pub struct JoinSet<T> {
    slots: Vec<Slot<T>>,
    /// Slots without a member, for the next spawn.
    free: Vec<usize>,
    len: usize,
    notified: Arc<Notified>,
    /// The woken list, swapped out while `poll_join_next` walks it (kept to
    /// reuse its allocation).
    scratch: Vec<usize>,
}

struct Slot<T> {
    member: Option<JoinHandle<T>>,
    /// A [`MemberWaker`] for this slot, kept while the slot is free.
    waker: Waker,
}

/// What the members' wakers share with the set.
#[derive(Default)]
struct Notified {
    state: Mutex<NotifiedState>,
}

#[derive(Default)]
struct NotifiedState {
    /// Slots whose member was woken since the set last looked.
    woken: Vec<usize>,
    /// Whoever awaits `join_next`, until a member wakes it.
    awaiting: Option<Waker>,
}

/// The waker a member is polled with: notes its slot, wakes the set's task.
struct MemberWaker {
    slot: usize,
    notified: Arc<Notified>,
}

impl ArcWake for MemberWaker {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        let awaiting = {
            let mut state = arc_self.notified.state.lock();
            state.woken.push(arc_self.slot);
            state.awaiting.take()
        };
        // Woken with the lock released: a waker may do anything.
        if let Some(awaiting) = awaiting {
            awaiting.wake();
        }
    }
}

impl<T> JoinSet<T> {
    /// An empty set.
    pub fn new() -> Self {
        JoinSet {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
            notified: Arc::default(),
            scratch: Vec::new(),
        }
    }

    /// How many tasks are in the set: spawned, and not yet returned by
    /// [`join_next`](JoinSet::join_next) (finished or not).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set holds no task.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Aborts every task in the set. They stay in it: `join_next` returns
    /// each one's cancelled `JoinError` (or its output, if it had finished).
    pub fn abort_all(&self) {
        for handle in self.slots.iter().filter_map(|slot| slot.member.as_ref()) {
            handle.abort();
        }
    }
}

impl<T: 'static> JoinSet<T> {
    /// Spawns `future` on the current executor (see [`spawn`](crate::spawn))
    /// and adds it to the set.
    ///
    /// # Panics
    /// Outside an executor.
    #[track_caller]
    pub fn spawn<F>(&mut self, future: F)
    where
        F: Future<Output = T> + 'static,
    {
        let handle = crate::spawn(future);
        let slot = self.free.pop().unwrap_or_else(|| {
            let slot = self.slots.len();
            let waker = futures_task::waker(Arc::new(MemberWaker {
                slot,
                notified: Arc::clone(&self.notified),
            }));
            self.slots.push(Slot {
                member: None,
                waker,
            });
            slot
        });
        self.slots[slot].member = Some(handle);
        self.len += 1;
        // On the woken list, so that the next `join_next` polls it once.
        self.slots[slot].waker.wake_by_ref();
    }

    /// Waits for the next task to finish and returns its result; `None`
    /// when the set is empty. A panicking or aborted task comes back as its
    /// `JoinError`. Dropping the future before it completes loses nothing.
    pub async fn join_next(&mut self) -> Option<Result<T, JoinError>> {
        poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// [`join_next`](JoinSet::join_next) as a poll function.
    pub fn poll_join_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, JoinError>>> {
        if self.len == 0 {
            return Poll::Ready(None);
        }
        {
            // Filed before the members are polled: a wake during their polls
            // (a spent budget, say) wakes this task.
            let mut state = self.notified.state.lock();
            state.awaiting = Some(cx.waker().clone());
            std::mem::swap(&mut state.woken, &mut self.scratch);
        }
        let mut woken = std::mem::take(&mut self.scratch);
        let mut joined = None;
        let mut looked_at = 0;
        for &slot in &woken {
            looked_at += 1;
            let Slot { member, waker } = &mut self.slots[slot];
            let Some(handle) = member else {
                continue; // a late wake for a member that has left
            };
            if let Poll::Ready(result) = Pin::new(handle).poll(&mut Context::from_waker(waker)) {
                *member = None;
                self.free.push(slot);
                self.len -= 1;
                joined = Some(result);
                break;
            }
        }
        // The members not looked at stay woken, for the next call.
        self.notified
            .state
            .lock()
            .woken
            .extend_from_slice(&woken[looked_at..]);
        woken.clear();
        self.scratch = woken;
        match joined {
            Some(result) => Poll::Ready(Some(result)),
            None => Poll::Pending,
        }
    }
}

impl<T> Default for JoinSet<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Drop for JoinSet<T> {
    /// Aborts the tasks still in the set; dropping their handles then
    /// detaches them, so each is dropped when the executor next picks it up.
    fn drop(&mut self) {
        self.abort_all();
    }
}

impl<T> fmt::Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet").field("len", &self.len).finish()
    }
}
