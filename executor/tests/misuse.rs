//! Misuse panics, each with a message that says what went wrong.
//!
//! The free functions find their executor in a thread-local set by
//! `block_on`; outside one, each panics naming itself. `block_on` inside a
//! running executor would freeze that executor's loop, so it panics too
//! (and the outer executor carries on). The builder refuses a zero tick, and
//! `advance` refuses a real clock.

mod support;

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Context;
use std::time::{Duration, Instant};
use support::{panic_message, poll_once, virtual_executor};
use waitfor_executor::{
    advance, now, sleep, sleep_until, spawn, spawn_blocking, wait_for, wait_until, yield_now,
    Executor,
};

const SECOND: Duration = Duration::from_secs(1);
const OUTSIDE: &str = "must be called from inside a waitfor executor";

#[test]
fn block_on_inside_a_running_executor_panics_and_the_outer_one_carries_on() {
    let message = virtual_executor().block_on(async {
        let inner = virtual_executor();
        let payload = catch_unwind(AssertUnwindSafe(|| inner.block_on(async { 1 }))).unwrap_err();
        let start = now();
        sleep(SECOND).await;
        assert_eq!(now() - start, SECOND, "the outer executor still runs");
        panic_message(&*payload)
    });
    assert!(
        message.contains("Executor::block_on was called from inside a running executor"),
        "{message}"
    );
}

#[test]
#[should_panic(expected = "Executor::block_on was called from inside a running executor")]
fn block_on_of_the_same_executor_inside_a_task_panics() {
    let executor = Rc::new(virtual_executor());
    let inner = Rc::clone(&executor);
    executor.block_on(async move {
        spawn(async move { inner.block_on(async {}) })
            .await
            .unwrap_or_else(|error| {
                std::panic::resume_unwind(error.into_panic());
            });
    });
}

#[test]
fn each_free_function_outside_an_executor_panics_naming_itself() {
    type Call = Box<dyn Fn()>;
    let calls: Vec<(&str, Call)> = vec![
        ("waitfor::spawn ", Box::new(|| drop(spawn(async {})))),
        (
            "waitfor::spawn_blocking ",
            Box::new(|| drop(spawn_blocking(|| ()))),
        ),
        ("waitfor::sleep ", Box::new(|| drop(sleep(SECOND)))),
        (
            "waitfor::sleep_until ",
            Box::new(|| drop(sleep_until(Instant::now()))),
        ),
        ("waitfor::yield_now ", Box::new(|| drop(yield_now()))),
        (
            "waitfor::wait_for ",
            Box::new(|| drop(wait_for(async {}, SECOND))),
        ),
        (
            "waitfor::wait_until ",
            Box::new(|| drop(wait_until(async {}, Instant::now()))),
        ),
        (
            "waitfor::now ",
            Box::new(|| {
                let _ = now();
            }),
        ),
        ("waitfor::advance ", Box::new(|| advance(SECOND))),
    ];
    for (name, call) in calls {
        let payload = catch_unwind(AssertUnwindSafe(call)).expect_err(name);
        let message = panic_message(&*payload);
        assert!(
            message.starts_with(name) && message.contains(OUTSIDE),
            "{name}: {message}"
        );
    }
}

#[test]
#[should_panic(expected = "polling a waitfor::Sleep must be called from inside a waitfor executor")]
#[allow(clippy::async_yields_async)] // the Sleep is taken out on purpose
fn a_sleep_polled_outside_an_executor_panics() {
    let mut nap = virtual_executor().block_on(async { sleep(SECOND) });
    let waker = futures_task::noop_waker();
    let _ = Pin::new(&mut nap).poll(&mut Context::from_waker(&waker));
}

#[test]
#[should_panic(expected = "polled on a different executor")]
#[allow(clippy::async_yields_async)] // the Sleep is taken out on purpose
fn a_sleep_polled_on_another_executor_than_its_first_panics() {
    let mut nap = virtual_executor().block_on(async {
        let mut nap = sleep(SECOND);
        assert!(poll_once(&mut nap).await.is_pending());
        nap
    });
    let _ = virtual_executor().block_on(async { poll_once(&mut nap).await });
}

#[test]
#[should_panic(expected = "Builder::tick must be longer than zero")]
fn a_zero_tick_is_refused() {
    let _ = Executor::builder().tick(Duration::ZERO);
}

#[test]
#[should_panic(expected = "Builder::max_blocking_threads must be at least 1")]
fn a_blocking_pool_of_zero_threads_is_refused() {
    let _ = Executor::builder().max_blocking_threads(0);
}

#[test]
#[should_panic(expected = "waitfor::advance needs a virtual clock")]
fn advance_on_a_real_clock_panics_asking_for_a_virtual_clock() {
    Executor::new().block_on(async { advance(SECOND) });
}

#[test]
#[should_panic(expected = "deadlock in block_on")]
fn a_deadlock_panics_instead_of_hanging_on_a_real_clock() {
    // A task that can never be woken, and a main future that waits for
    // nothing else. (Awaiting the task's JoinHandle would hand main's waker
    // to the task, and the check, which is sound but not complete, would
    // then wait: see `Core::could_ever_wake`.)
    Executor::new().block_on(async {
        let _stuck = waitfor_executor::spawn(std::future::pending::<()>());
        std::future::pending::<()>().await
    });
}

#[test]
#[should_panic(expected = "deadlock in block_on")]
fn a_deadlock_panics_instead_of_hanging_on_a_virtual_clock() {
    Executor::builder()
        .virtual_clock()
        .build()
        .block_on(std::future::pending::<()>());
}

#[test]
#[should_panic(expected = "Builder::tick must be at most a day")]
fn a_tick_longer_than_a_day_is_refused() {
    let _ = waitfor_executor::Builder::new().tick(Duration::MAX);
}
