//! A hand-written `Future` that never returns `Pending` (the write-up's
//! "custom awaitable that doesn't yield"), next to one that does: both wait
//! for a resource that is ready after 600 ms, under a 200 ms timeout.
//!
//! Watch for: [`Spinning`] checks the resource in a loop *inside* `poll`,
//! so `wait_for` returns `Ok` at 600 ms, and its timer was never filed:
//! being a `Future` is not the same as yielding. [`Checking`] checks once
//! per poll and returns `Pending` when not ready, and times out on time.
//! `--virtual` runs it at once, with exact times.
//!
//! The types and [`wait_for_resource`] are `pub` because the tour runs them too.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use waitfor::demo::Clock;
use waitfor::{now, wait_for, Elapsed};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a hand-written future that never returns Pending, and one that does";

/// Checks the resource (each check costs 1 ms) until it is ready, all in
/// one `poll`. Python's equivalent is an `__await__` that never yields.
pub struct Spinning {
    pub clock: Clock,
    pub ready_at: Instant,
}

impl Future for Spinning {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<&'static str> {
        while now() < self.ready_at {
            self.clock.burn(Duration::from_millis(1)); // check again, without yielding
        }
        Poll::Ready("resource ready")
    }
}

/// The same check, once per poll: not ready yet means `Pending`. (It asks
/// to be polled again at once; a real one would hand its waker to whatever
/// makes the resource ready. Either way it gives the loop back.)
pub struct Checking {
    pub clock: Clock,
    pub ready_at: Instant,
}

impl Future for Checking {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        if now() >= self.ready_at {
            return Poll::Ready("resource ready");
        }
        self.clock.burn(Duration::from_millis(1)); // check the resource
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Waits under a 200 ms timeout for a resource ready in 600 ms, through
/// `Spinning` or, if `yields`, through `Checking`.
pub async fn wait_for_resource(clock: Clock, yields: bool) -> Result<&'static str, Elapsed> {
    let ready_at = now() + Duration::from_millis(600);
    let timeout = Duration::from_millis(200);
    if yields {
        wait_for(Checking { clock, ready_at }, timeout).await
    } else {
        wait_for(Spinning { clock, ready_at }, timeout).await
    }
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    for (case, yields) in [("never Pending", false), ("Pending until ready", true)] {
        let executor = clock.builder().build();
        let (result, took) = executor.block_on(async {
            let start = now();
            let result = wait_for_resource(clock, yields).await;
            (result, now() - start)
        });
        match result {
            Ok(value) => println!("{case}: Ok({value:?}) after {took:?}"),
            Err(elapsed) => println!("{case}: Err after {took:?}: {elapsed}"),
        }
    }
}
