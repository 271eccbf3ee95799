//! Timers: `sleep`, `sleep_until`, `wait_for`, `wait_until`, and `Elapsed`.
//!
//! A `Sleep` completes only once the loop's timer step has fired its timer,
//! at its deadline rounded up to a tick: late if the loop was held, never
//! early, and never by reading the clock itself. A dropped one leaves the
//! wheel, wherever it is dropped (another thread, between two `block_on`s,
//! a waker's destructor), and a waker that panics in the timer step costs no
//! other timer its wake. `wait_for` polls its future before its timer. All in virtual time,
//! where every instant is exact, except one real-clock lower bound.

mod support;

use futures_task::ArcWake;
use std::cell::{Cell, RefCell};
use std::future::{pending, poll_fn, ready, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use support::{counting_waker, panic_message, poll_once, virtual_executor};
use waitfor_executor::{
    advance, now, sleep, sleep_until, spawn, spawn_blocking, wait_for, wait_until, yield_now,
    Executor, Sleep,
};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);
const HOUR: Duration = Duration::from_secs(3_600);

#[test]
fn a_sleep_completes_only_once_the_timer_step_fired_it_never_by_reading_the_clock() {
    virtual_executor().block_on(async {
        let mut nap = sleep(10 * MS);
        let (first, second) = poll_fn(|cx| {
            let first = Pin::new(&mut nap).poll(cx);
            advance(20 * MS); // past the deadline, within this one poll
            let second = Pin::new(&mut nap).poll(cx);
            Poll::Ready((first, second))
        })
        .await;
        assert!(first.is_pending());
        assert!(
            second.is_pending(),
            "deadline passed, but no timer step yet"
        );
        yield_now().await; // the turn ends; its timer step fires the timer
        assert!(poll_once(&mut nap).await.is_ready());
    });
}

#[test]
fn a_sleep_never_completes_early_its_deadline_rounds_up_to_a_tick() {
    let executor = Executor::builder().tick(10 * MS).virtual_clock().build();
    executor.block_on(async {
        let start = now();
        sleep(15 * MS).await;
        assert_eq!(now() - start, 20 * MS, "15 ms rounds up to the 20 ms tick");
        advance(3 * MS); // off the tick grid: 23 ms
        let from = now();
        sleep(15 * MS).await; // due at 38 ms: fires at the 40 ms tick
        assert_eq!(now() - from, 17 * MS);
    });
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_sleep_on_the_real_clock_never_completes_early() {
    Executor::new().block_on(async {
        for wanted in [MS, 7 * MS, 30 * MS] {
            let start = Instant::now();
            sleep(wanted).await;
            assert!(
                start.elapsed() >= wanted,
                "{wanted:?} ended after {:?}",
                start.elapsed()
            );
        }
    });
}

#[test]
fn a_sleep_beyond_the_wheels_range_never_completes_early() {
    // u64::MAX ticks of 1 ms is about 584.9 million years.
    const YEAR: Duration = Duration::from_secs(365 * 24 * 3_600);
    virtual_executor().block_on(async {
        let mut nap = sleep(YEAR * 1_000_000_000);
        assert!(poll_once(&mut nap).await.is_pending());
        advance(YEAR * 600_000_000); // 600 million years: 400 million early
        yield_now().await;
        assert!(
            poll_once(&mut nap).await.is_pending(),
            "fired 400 million years early"
        );
    });
}

#[test]
fn a_sleep_dropped_before_firing_takes_its_timer_out_of_the_wheel() {
    // Main's polls, and when. A timer left in the wheel would fire into main's
    // waker: an extra poll at +5 s or +10 s.
    let polled_at = RefCell::new(Vec::new());
    let mut main = pin!(async {
        let mut nap = sleep(10 * SECOND);
        assert!(poll_once(&mut nap).await.is_pending(), "filed in the wheel");
        drop(nap);
        // wait_for's own timer (due at +5 s) goes when the future wins at +1 s.
        assert_eq!(wait_for(sleep(SECOND), 5 * SECOND).await, Ok(()));
        wait_for(pending::<()>(), 20 * SECOND).await.unwrap_err()
    });
    let elapsed = virtual_executor().block_on(poll_fn(|cx| {
        polled_at.borrow_mut().push(now());
        main.as_mut().poll(cx)
    }));
    let polled_at = polled_at.into_inner();
    let offsets: Vec<_> = polled_at.iter().map(|&at| at - polled_at[0]).collect();
    assert_eq!(offsets, [Duration::ZERO, SECOND, 21 * SECOND]);
    assert_eq!(elapsed.lateness(), Duration::ZERO);
}

#[test]
fn a_sleep_polled_again_with_a_new_waker_wakes_the_new_one_only() {
    virtual_executor().block_on(async {
        let (old_wakes, old) = counting_waker();
        let (new_wakes, new) = counting_waker();
        let mut nap = sleep(10 * MS);
        assert!(Pin::new(&mut nap)
            .poll(&mut Context::from_waker(&old))
            .is_pending());
        assert!(Pin::new(&mut nap)
            .poll(&mut Context::from_waker(&new))
            .is_pending());
        sleep(20 * MS).await; // the idle loop passes 10 ms: the timer fires
        assert_eq!((old_wakes.wakes(), new_wakes.wakes()), (0, 1));
        assert!(Pin::new(&mut nap)
            .poll(&mut Context::from_waker(&new))
            .is_ready());
    });
}

#[test]
fn wait_for_polls_the_future_before_the_timer_so_ties_go_to_the_future() {
    virtual_executor().block_on(async {
        let start = now();
        assert_eq!(
            wait_for(ready("at once"), Duration::ZERO).await,
            Ok("at once")
        );
        assert_eq!(wait_for(async { 5 }, Duration::ZERO).await, Ok(5));
        // The future's timer and the timeout fire in the same timer step.
        assert_eq!(wait_for(sleep(SECOND), SECOND).await, Ok(()));
        assert_eq!(now() - start, SECOND);
        // A pending future under a zero timeout: Err at the next timer step.
        let elapsed = wait_for(pending::<()>(), Duration::ZERO).await.unwrap_err();
        assert_eq!(elapsed.lateness(), Duration::ZERO);
        assert_eq!(now() - start, SECOND);
    });
}

#[test]
fn wait_for_with_a_duration_max_timeout_has_no_deadline_and_does_not_overflow() {
    virtual_executor().block_on(async {
        let start = now();
        assert_eq!(wait_for(sleep(5 * SECOND), Duration::MAX).await, Ok(()));
        assert_eq!(now() - start, 5 * SECOND);
    });
}

#[test]
fn wait_for_passes_an_error_from_the_future_through_as_ok_err() {
    virtual_executor().block_on(async {
        let start = now();
        let outcome = wait_for(
            async {
                sleep(SECOND / 2).await;
                "forty-two".parse::<u8>()
            },
            SECOND,
        )
        .await;
        assert!(matches!(outcome, Ok(Err(_))), "{outcome:?}");
        assert_eq!(now() - start, SECOND / 2);
    });
}

#[test]
fn sleep_duration_max_never_completes() {
    virtual_executor().block_on(async {
        let start = now();
        let forever = sleep(Duration::MAX);
        assert_eq!(forever.deadline(), None);
        let elapsed = wait_for(forever, SECOND).await.unwrap_err();
        assert_eq!(now() - start, SECOND);
        assert_eq!(elapsed.lateness(), Duration::ZERO);
    });
}

#[test]
fn sleep_until_a_past_instant_completes_at_the_next_timer_step_without_moving_the_clock() {
    virtual_executor().block_on(async {
        let start = now();
        advance(5 * SECOND);
        let then = now();
        let mut late = sleep_until(start + SECOND);
        assert!(
            poll_once(&mut late).await.is_pending(),
            "filed, not judged by the clock"
        );
        yield_now().await;
        assert!(
            poll_once(&mut late).await.is_ready(),
            "fired by the timer step"
        );
        assert_eq!(now(), then);
    });
}

#[test]
fn wait_until_times_out_at_its_deadline() {
    virtual_executor().block_on(async {
        let deadline = now() + 2 * SECOND;
        let elapsed = wait_until(pending::<()>(), deadline).await.unwrap_err();
        assert_eq!(
            (elapsed.deadline(), elapsed.fired_at()),
            (deadline, deadline)
        );
        assert_eq!(now(), deadline);
    });
}

#[test]
fn elapsed_reports_its_deadline_when_it_fired_and_how_late() {
    let (elapsed, start) = virtual_executor().block_on(async {
        let start = now();
        let outcome = wait_for(
            async {
                advance(3 * SECOND); // a blocking call past the 1 s deadline
                yield_now().await;
                pending::<()>().await
            },
            SECOND,
        )
        .await;
        (outcome.unwrap_err(), start)
    });
    assert_eq!(elapsed.deadline(), start + SECOND);
    assert_eq!(elapsed.fired_at(), start + 3 * SECOND);
    assert_eq!(elapsed.lateness(), 2 * SECOND);
    assert!(elapsed.to_string().contains("2.000 s late"), "{elapsed}");
    let error: Box<dyn std::error::Error> = Box::new(elapsed.clone());
    assert_eq!(error.to_string(), elapsed.to_string());
    assert!(error.source().is_none());
}

#[test]
fn elapsed_fired_at_is_when_the_timer_fired_even_if_the_wait_for_is_polled_later() {
    virtual_executor().block_on(async {
        let start = now();
        let mut timeout = Box::pin(wait_for(pending::<()>(), SECOND));
        assert!(
            poll_once(&mut timeout).await.is_pending(),
            "its timer is filed"
        );
        // The loop is free: the 1 s timer fires at 1 s, on time. This task
        // looks at the timeout again only at 3 s.
        sleep(3 * SECOND).await;
        let Poll::Ready(Err(elapsed)) = poll_once(&mut timeout).await else {
            panic!("the timeout fired two seconds ago");
        };
        assert_eq!(elapsed.fired_at(), start + SECOND);
        assert_eq!(
            elapsed.lateness(),
            Duration::ZERO,
            "the loop was never held"
        );
    });
}

#[test]
fn elapsed_fired_at_stays_exact_when_the_wait_for_is_polled_a_hundred_timer_steps_later() {
    virtual_executor().block_on(async {
        let start = now();
        let mut timeout = Box::pin(wait_for(pending::<()>(), SECOND));
        assert!(poll_once(&mut timeout).await.is_pending());
        sleep(2 * SECOND).await; // the timeout's timer fires at 1 s, on the way
        for _ in 0..100 {
            advance(MS);
            yield_now().await; // each turn runs a timer step
        }
        let Poll::Ready(Err(elapsed)) = poll_once(&mut timeout).await else {
            panic!("the timeout fired long ago");
        };
        // The instant travels with the fired timer: no log of steps that
        // runs out.
        assert_eq!(elapsed.fired_at(), start + SECOND);
    });
}

#[test]
fn a_sleep_is_32_bytes_and_a_timeout_result_stays_small() {
    use std::mem::size_of;
    use waitfor_executor::Elapsed;
    // tokio's `Sleep` is 96 bytes: the wheel here owns what tokio keeps inline.
    assert!(size_of::<Sleep>() <= 32, "{} bytes", size_of::<Sleep>());
    // Every `wait_for` returns a `Result<T, Elapsed>`, timeout or not.
    assert!(size_of::<Elapsed>() <= 40, "{} bytes", size_of::<Elapsed>());
}

// ------------------------------------------------- timers dropped anywhere

/// How far the virtual clock moves while the loop idles with nothing to do:
/// to every timer still in the wheel, then to the deadlock panic.
fn idle_jump(executor: &Executor) -> Duration {
    let before = executor.block_on(async { now() });
    let idle = catch_unwind(AssertUnwindSafe(|| executor.block_on(pending::<()>())));
    assert!(panic_message(&*idle.unwrap_err()).contains("deadlock in block_on"));
    executor.block_on(async { now() }) - before
}

#[test]
fn a_sleep_dropped_on_another_thread_takes_its_timer_out_of_the_wheel() {
    let executor = virtual_executor();
    executor.block_on(async {
        let mut nap = sleep(HOUR);
        assert!(poll_once(&mut nap).await.is_pending(), "filed");
        spawn_blocking(move || drop(nap)).await.unwrap();
    });
    assert_eq!(idle_jump(&executor), Duration::ZERO);
}

#[test]
fn a_sleep_dropped_between_two_block_on_calls_takes_its_timer_out_of_the_wheel() {
    let executor = virtual_executor();
    // (In an array: the block returns the `Sleep`, not its output.)
    let [nap] = executor.block_on(async {
        let mut nap = sleep(HOUR);
        assert!(poll_once(&mut nap).await.is_pending(), "filed");
        [nap]
    });
    drop(nap);
    assert_eq!(idle_jump(&executor), Duration::ZERO);
}

/// A waker that does nothing but own a `Sleep`, dropped with the waker.
struct HoldsASleep {
    _sleep: Sleep,
}

impl ArcWake for HoldsASleep {
    fn wake_by_ref(_: &Arc<Self>) {}
}

#[test]
fn a_waker_whose_destructor_drops_a_sleep_takes_that_sleeps_timer_out_of_the_wheel() {
    let executor = virtual_executor();
    executor.block_on(async {
        let mut held = sleep(HOUR);
        assert!(poll_once(&mut held).await.is_pending(), "filed");
        let holder = futures_task::waker(Arc::new(HoldsASleep { _sleep: held }));
        let mut other = sleep(2 * HOUR);
        let mut by_holder = Context::from_waker(&holder);
        assert!(Pin::new(&mut other).poll(&mut by_holder).is_pending());
        drop(holder); // the wheel's alarm now holds its last clone
                      // Polled with the task's own waker, the alarm is replaced: the old
                      // one, its waker and the held `Sleep` are dropped.
        assert!(poll_once(&mut other).await.is_pending());
    });
    assert_eq!(idle_jump(&executor), Duration::ZERO);
}

/// A waker that panics when woken.
struct PanicsOnWake;

impl ArcWake for PanicsOnWake {
    fn wake_by_ref(_: &Arc<Self>) {
        panic!("PanicsOnWake was woken");
    }
}

#[test]
fn a_waker_that_panics_in_the_timer_step_costs_no_other_due_timer_its_wake() {
    let executor = virtual_executor();
    let woken = Rc::new(Cell::new(0));
    let sleeper = || {
        let woken = Rc::clone(&woken);
        spawn(async move {
            sleep(SECOND).await;
            woken.set(woken.get() + 1);
        })
    };
    let step = catch_unwind(AssertUnwindSafe(|| {
        executor.block_on(async {
            // Three timers due at the same tick, filed in this order: the
            // poisoned one between two others.
            let (first, _poisoned, last) = (
                sleeper(),
                spawn(async {
                    let mut poisoned = sleep(SECOND);
                    let waker = futures_task::waker(Arc::new(PanicsOnWake));
                    let mut cx = Context::from_waker(&waker);
                    assert!(Pin::new(&mut poisoned).poll(&mut cx).is_pending());
                    pending::<()>().await;
                }),
                sleeper(),
            );
            first.await.unwrap();
            last.await.unwrap();
        })
    }));
    assert_eq!(
        panic_message(&*step.unwrap_err()),
        "PanicsOnWake was woken",
        "the waker's panic comes out of block_on"
    );
    executor.block_on(async { sleep(SECOND).await }); // the woken sleepers run
    assert_eq!(woken.get(), 2, "both other timers woke their tasks");
}
