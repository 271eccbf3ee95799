//! `Sleep::reset`, and `timeout` / `timeout_at`, tokio's names for
//! `wait_for` / `wait_until`.
//!
//! A reset moves the sleep's timer in the wheel (the wheel keeps one entry,
//! and whom it wakes); a reset to the past makes it due at the next timer
//! step; a reset after firing files it again. The edges are the ones tokio's
//! own tests cover: reset before the first poll, to the past, after firing,
//! and to a later deadline while the task waits. All on the virtual clock.

mod support;

use std::future::pending;
use std::time::{Duration, Instant};
use support::{poll_once, virtual_executor};
use waitfor_executor::trace::EventKind;
use waitfor_executor::{
    advance, now, sleep, timeout, timeout_at, wait_for, wait_until, yield_now, Executor,
};

const MS: Duration = Duration::from_millis(1);

#[test]
fn a_reset_before_the_first_poll_only_changes_the_deadline() {
    virtual_executor().block_on(async {
        let start = now();
        let mut nap = sleep(100 * MS);
        nap.reset(start + 30 * MS);
        assert_eq!(nap.deadline(), Some(start + 30 * MS));
        nap.await;
        assert_eq!(now() - start, 30 * MS);
    });
}

#[test]
fn a_reset_to_a_later_deadline_moves_the_filed_timer_and_keeps_its_waker() {
    virtual_executor().block_on(async {
        let start = now();
        let mut nap = sleep(10 * MS);
        assert!(poll_once(&mut nap).await.is_pending(), "filed at 10 ms");
        nap.reset(start + 50 * MS);
        // Nothing else is pending: the idle loop jumps to the next timer,
        // which is the moved one, and it wakes this task (the waker was kept).
        nap.await;
        assert_eq!(now() - start, 50 * MS, "not at the old 10 ms");
    });
}

#[test]
fn a_reset_to_the_past_wakes_the_waiting_task_at_the_next_timer_step() {
    virtual_executor().block_on(async {
        let start = now();
        let mut nap = sleep(Duration::from_secs(60));
        assert!(poll_once(&mut nap).await.is_pending());
        advance(20 * MS);
        nap.reset(start + 5 * MS); // already 15 ms behind the clock
        assert!(
            poll_once(&mut nap).await.is_pending(),
            "due, but only the timer step fires it"
        );
        // Were it not due, the idle loop would jump to the 60 s deadline.
        nap.await;
        assert_eq!(now() - start, 20 * MS, "no time passes: it was overdue");
    });
}

#[test]
fn a_reset_after_firing_waits_again_for_the_new_deadline() {
    virtual_executor().block_on(async {
        let start = now();
        let mut nap = sleep(10 * MS);
        (&mut nap).await;
        assert!(poll_once(&mut nap).await.is_ready(), "fired stays fired");
        nap.reset(start + 40 * MS);
        assert!(poll_once(&mut nap).await.is_pending(), "waiting again");
        nap.await;
        assert_eq!(now() - start, 40 * MS);
    });
}

#[test]
fn resetting_again_and_again_moves_one_timer_and_only_the_last_deadline_fires() {
    let executor = Executor::builder().virtual_clock().trace(64).build();
    executor.block_on(async {
        let start = now();
        let mut nap = sleep(10 * MS);
        assert!(poll_once(&mut nap).await.is_pending());
        for ms in [20, 30, 5, 70] {
            nap.reset(start + ms * MS);
        }
        nap.await;
        assert_eq!(now() - start, 70 * MS);
    });
    let events = executor.trace().expect("traced").events().to_vec();
    let count = |wanted: fn(&EventKind) -> bool| events.iter().filter(|e| wanted(&e.kind)).count();
    assert_eq!(count(|k| matches!(k, EventKind::TimerInsert { .. })), 5);
    assert_eq!(count(|k| matches!(k, EventKind::TimerCancel { .. })), 4);
    let fired: Vec<Duration> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TimerFire { deadline } => Some(deadline),
            _ => None,
        })
        .collect();
    assert_eq!(fired, [70 * MS]);
}

#[test]
fn a_reset_to_a_deadline_past_the_wheels_last_tick_never_fires() {
    // With a 1 ns tick the wheel counts 584 years of ticks; go past them.
    let executor = Executor::builder()
        .tick(Duration::from_nanos(1))
        .virtual_clock()
        .build();
    executor.block_on(async {
        let start = now();
        let mut nap = sleep(10 * MS);
        assert!(poll_once(&mut nap).await.is_pending());
        nap.reset(start + Duration::from_secs(1_000 * 365 * 24 * 3600));
        let outcome = wait_for(&mut nap, Duration::from_secs(3600)).await;
        assert!(outcome.is_err(), "the hour's timer fired, not the sleep's");
        assert_eq!(now() - start, Duration::from_secs(3600));
    });
}

#[test]
fn timeout_is_wait_for_with_tokios_argument_order() {
    virtual_executor().block_on(async {
        let start = now();
        let late = timeout(100 * MS, async {
            advance(500 * MS);
            yield_now().await;
            yield_now().await;
        })
        .await
        .unwrap_err();
        let same = wait_for(
            async {
                advance(500 * MS);
                yield_now().await;
                yield_now().await;
            },
            100 * MS,
        )
        .await
        .unwrap_err();
        assert_eq!(late.lateness(), 400 * MS);
        assert_eq!(same.lateness(), late.lateness());
        assert_eq!(late.deadline() - start, 100 * MS);
        assert_eq!(timeout(Duration::ZERO, async { 7 }).await, Ok(7));
    });
}

#[test]
fn timeout_at_is_wait_until_with_tokios_argument_order() {
    virtual_executor().block_on(async {
        let deadline = now() + 250 * MS;
        let tokio_style = timeout_at(deadline, pending::<()>()).await.unwrap_err();
        assert_eq!(tokio_style.fired_at(), deadline);
        let deadline = now() + 250 * MS;
        let asyncio_style = wait_until(pending::<()>(), deadline).await.unwrap_err();
        assert_eq!(asyncio_style.fired_at(), deadline);
        assert_eq!(timeout_at(deadline, async { "ready" }).await, Ok("ready"));
    });
}

#[test]
#[should_panic(expected = "waitfor::Sleep::reset must be called from inside a waitfor executor")]
fn resetting_a_filed_sleep_outside_any_executor_panics() {
    // In an `Option`: a block that returns a future looks like a bug.
    let filed = virtual_executor().block_on(async {
        let mut nap = sleep(10 * MS);
        assert!(poll_once(&mut nap).await.is_pending());
        Some(nap)
    });
    filed.unwrap().reset(Instant::now());
}

#[test]
fn resetting_a_sleep_never_polled_needs_no_executor() {
    let mut nap = virtual_executor()
        .block_on(async { Some(sleep(10 * MS)) })
        .unwrap();
    let deadline = Instant::now();
    nap.reset(deadline);
    assert_eq!(nap.deadline(), Some(deadline));
}
