//! Foreign wakers through a timer's life: held while it is pending, let
//! go exactly once when it fires, is cancelled or is filed again.

use crate::{advance, context, sleep, yield_now, Executor};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// A foreign waker that counts its wakes.
#[derive(Default)]
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn foreign_wakers() -> usize {
    context::with_core("test", |core| core.foreign_wakers())
}

#[test]
fn a_foreign_waker_is_woken_once_and_let_go_when_its_timer_fires_is_cancelled_or_refiled() {
    let executor = Executor::builder().virtual_clock().build();
    executor.block_on(async {
        let counter = Arc::new(Counter::default());
        // Counted: `counter`, `waker`, and one clone per timer filed with it.
        let waker = Waker::from(Arc::clone(&counter));
        let mut cx = Context::from_waker(&waker);
        let mut fires = pin!(sleep(Duration::from_secs(1)));
        let mut cancelled = Box::pin(sleep(Duration::from_secs(1)));
        let mut refiled = pin!(sleep(Duration::from_secs(2)));
        for nap in [fires.as_mut(), cancelled.as_mut(), refiled.as_mut()] {
            assert!(nap.poll(&mut cx).is_pending());
        }
        assert_eq!((foreign_wakers(), Arc::strong_count(&counter)), (3, 5));

        drop(cancelled);
        assert_eq!((foreign_wakers(), Arc::strong_count(&counter)), (2, 4));
        // Polled by its own task now: the alarm names the task instead.
        poll_fn(|cx| {
            assert!(refiled.as_mut().poll(cx).is_pending());
            Poll::Ready(())
        })
        .await;
        assert_eq!((foreign_wakers(), Arc::strong_count(&counter)), (1, 3));

        advance(Duration::from_secs(1));
        yield_now().await;
        assert_eq!(counter.0.load(Ordering::SeqCst), 1, "the fire woke it once");
        assert_eq!((foreign_wakers(), Arc::strong_count(&counter)), (0, 2));
        assert!(fires.as_mut().poll(&mut cx).is_ready());
        refiled.await;
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    });
}
