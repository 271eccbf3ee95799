//! Helpers shared by the rule tests (`turns.rs`, `timers.rs`, `tasks.rs`,
//! `misuse.rs`, `threads.rs`, ...): a virtual-clock executor, a waker that
//! counts its wakes, a value that counts its drops, one whose drop panics,
//! polling a future by hand, counting the progress of each poll, and a task
//! that sleeps.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use futures_task::ArcWake;
use std::any::Any;
use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Poll, Waker};
use waitfor_executor::Executor;

/// An executor on a virtual clock with the default 1 ms tick.
pub fn virtual_executor() -> Executor {
    Executor::builder().virtual_clock().build()
}

/// Counts the wakes of the wakers made by [`counting_waker`].
#[derive(Default)]
pub struct WakeCounter(AtomicUsize);

impl WakeCounter {
    pub fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl ArcWake for WakeCounter {
    fn wake_by_ref(arc_self: &Arc<Self>) {
        arc_self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker that only counts how often it is woken.
pub fn counting_waker() -> (Arc<WakeCounter>, Waker) {
    let counter = Arc::new(WakeCounter::default());
    (Arc::clone(&counter), futures_task::waker(counter))
}

/// Adds one to a shared count when dropped.
pub struct DropCounter(pub Rc<Cell<u32>>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

/// Panics when dropped: a destructor that fails.
pub struct PanicsOnDrop;

impl Drop for PanicsOnDrop {
    fn drop(&mut self) {
        panic!("PanicsOnDrop was dropped");
    }
}

/// Polls `future` exactly once, with the current task's waker.
pub async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

/// Awaits `future`, polling it once per poll of the current task, and
/// returns how far `progress` moved during each of those polls.
pub async fn progress_per_poll<F: Future>(future: F, progress: &Cell<usize>) -> Vec<usize> {
    let mut future = pin!(future);
    let mut per_poll = Vec::new();
    poll_fn(|cx| {
        let before = progress.get();
        let poll = future.as_mut().poll(cx);
        per_poll.push(progress.get() - before);
        poll.map(drop)
    })
    .await;
    per_poll
}

/// Sleeps `ms` milliseconds and returns `ms`: a task that finishes when its
/// timer fires.
pub async fn nap(ms: u64) -> u64 {
    waitfor_executor::sleep(std::time::Duration::from_millis(ms)).await;
    ms
}

/// The message of a panic payload (`panic!` with a literal or a format).
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| (*message).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}
