//! Bad and extreme inputs, each with a clear outcome: a documented value, or
//! a panic whose message names the problem.
//!
//! Already covered elsewhere, and not repeated here:
//!
//! | input | where |
//! | --- | --- |
//! | `wait_for(_, Duration::ZERO)` (ready and pending futures) | `executor/tests/timers.rs`, `wait_for_polls_the_future_before_the_timer_so_ties_go_to_the_future` |
//! | `wait_for(_, Duration::MAX)` | `executor/tests/timers.rs`, `wait_for_with_a_duration_max_timeout_has_no_deadline_and_does_not_overflow` |
//! | `sleep(Duration::MAX)` on a virtual clock | `executor/tests/timers.rs`, `sleep_duration_max_never_completes` |
//! | `sleep_until` an instant in the past | `executor/tests/timers.rs`, `sleep_until_a_past_instant_completes_at_the_next_timer_step_without_moving_the_clock` |
//! | `sleep` far beyond the wheel's range | `executor/tests/timers.rs`, `a_sleep_beyond_the_wheels_range_never_completes_early` |
//! | a zero tick | `executor/tests/misuse.rs`, `a_zero_tick_is_refused` |
//! | nested `block_on` (another executor, or the same one) | `executor/tests/misuse.rs`, `block_on_inside_a_running_executor_panics_and_the_outer_one_carries_on`, `block_on_of_the_same_executor_inside_a_task_panics` |
//! | every free function outside an executor; a `Sleep` polled outside one, or on another executor | `executor/tests/misuse.rs` |
//! | a waker woken after its executor was dropped | `executor/tests/threads.rs`, `a_waker_that_outlives_its_executor_is_a_harmless_no_op` |
//! | a `JoinHandle` awaited on another executor than its task's | `executor/tests/join.rs`, `a_handle_awaited_on_another_executor_panics_instead_of_waiting_forever` |
//! | a `JoinHandle` polled again after it completed | `executor/tests/tasks.rs` (task) and `executor/tests/threads.rs` (blocking job) |
//! | `advance` on a real clock | `executor/tests/misuse.rs`, `advance_on_a_real_clock_panics_asking_for_a_virtual_clock` |
//! | zero-capacity channel, zero budget, zero blocking threads | `executor/tests/channel.rs`, `executor/tests/diagnostics.rs`, `executor/tests/misuse.rs` |
//! | `interval` with a zero period | `executor/tests/interval.rs`, `a_zero_period_panics_with_a_clear_message` |
//! | `Sleep::reset` to the past, past the wheel's range, after firing, outside an executor | `executor/tests/reset.rs` |
//! | `Wheel::reschedule` of a stale key | `timer/tests/rules.rs`, `rescheduling_a_stale_key_changes_nothing` |
//! | sends racing `Receiver::close` | `executor/tests/stream.rs`, `a_send_racing_close_on_another_thread_is_refused_or_received` |
//! | a refused connection, an address in use, a socket made outside an executor | `executor/tests/net.rs`: `io::Error`s of kind `ConnectionRefused` and `AddrInUse`, and a panic |
//! | a peer that resets, a socket closed under a pending read | `executor/tests/net.rs`: `ConnectionReset`, and `Ok(0)` |
//! | `Executor::turn` inside a running executor | `executor/tests/host.rs`, `a_turn_inside_block_on_is_refused` |
//!
//! What is here: zero sleeps, `Duration::MAX` sleeps on a real clock,
//! `sleep_until` / `wait_until` beyond the wheel's range (and right at its
//! edge, with a 1 ns tick), `advance(Duration::MAX)`, a virtual clock moved
//! past the wheel's range (and the deadlock that leaves), and the remaining "outside an executor" cases
//! (`task::Builder::spawn`, a `WaitFor` polled by hand, the channel).

use std::future::{pending, poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};
use waitfor::{
    advance, channel, now, sleep, sleep_until, task, wait_for, wait_until, yield_now, Executor,
};

const SECOND: Duration = Duration::from_secs(1);
const YEAR: Duration = Duration::from_secs(365 * 24 * 3_600);
const OUTSIDE: &str = "must be called from inside a waitfor executor";

fn virtual_executor() -> Executor {
    Executor::builder().virtual_clock().build()
}

/// A virtual clock counting nanoseconds: the wheel's `u64` ticks then span
/// 2^64 ns, about 584.5 years, a range a test can reach and pass.
fn nanosecond_executor() -> Executor {
    Executor::builder()
        .virtual_clock()
        .tick(Duration::from_nanos(1))
        .build()
}

/// 2^64 - 1 ns: how far the wheel's last tick (`u64::MAX`) lies from the
/// origin, with a 1 ns tick.
const NANOSECOND_RANGE: Duration = Duration::new(18_446_744_073, 709_551_615);

async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|message| (*message).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

fn noop_waker() -> Waker {
    Waker::from(Arc::new(NoopWaker))
}

// ---------------------------------------------------------------- zero

#[test]
fn a_zero_sleep_completes_at_the_turns_timer_step_without_moving_the_virtual_clock() {
    virtual_executor().block_on(async {
        let start = now();
        let mut nap = sleep(Duration::ZERO);
        assert_eq!(nap.deadline(), Some(start));
        assert!(
            poll_once(&mut nap).await.is_pending(),
            "filed in the wheel, not judged by the clock"
        );
        yield_now().await; // this turn's timer step fires it
        assert!(poll_once(&mut nap).await.is_ready());
        sleep(Duration::ZERO).await;
        assert_eq!(now(), start, "no time passes");
    });
}

#[test]
fn a_zero_sleep_on_the_real_clock_completes_within_a_tick_or_so() {
    let started = Instant::now();
    Executor::new().block_on(async {
        for _ in 0..10 {
            sleep(Duration::ZERO).await;
        }
    });
    // Each may wait for the next 1 ms tick boundary; generous for a busy machine.
    assert!(started.elapsed() < 5 * SECOND, "{:?}", started.elapsed());
}

#[test]
fn a_zero_timeout_around_a_zero_sleep_is_ok_because_the_inner_future_goes_first() {
    virtual_executor().block_on(async {
        let start = now();
        assert_eq!(
            wait_for(sleep(Duration::ZERO), Duration::ZERO).await,
            Ok(())
        );
        // The same tie one second later: both timers fire in one timer step.
        assert_eq!(wait_for(sleep(SECOND), SECOND).await, Ok(()));
        assert_eq!(now() - start, SECOND);
    });
}

// ---------------------------------------------------------------- Duration::MAX

#[test]
fn sleep_duration_max_on_the_real_clock_has_no_deadline_and_never_completes() {
    Executor::new().block_on(async {
        let forever = sleep(Duration::MAX);
        assert_eq!(forever.deadline(), None);
        let elapsed = wait_for(forever, Duration::from_millis(20))
            .await
            .unwrap_err();
        assert!(elapsed.fired_at() >= elapsed.deadline());
    });
}

#[test]
fn wait_until_and_sleep_until_an_unreachable_instant_are_simply_later_deadlines() {
    // `Instant` has no MAX; the largest a caller can make is far beyond the
    // wheel's range, so it behaves like `Duration::MAX`: never.
    virtual_executor().block_on(async {
        let start = now();
        let far = start + YEAR * 1_000_000_000; // tick ~3.2e19 > u64::MAX at 1 ms
        let outcome = wait_until(sleep(SECOND), far).await;
        assert_eq!(outcome, Ok(()));
        assert_eq!(now() - start, SECOND);
    });
}

// ---------------------------------------------------------------- beyond the range

#[test]
fn sleep_until_beyond_the_wheels_range_never_completes_and_keeps_its_deadline() {
    virtual_executor().block_on(async {
        let start = now();
        let far = start + YEAR * 1_000_000_000;
        let never = sleep_until(far);
        assert_eq!(never.deadline(), Some(far), "the deadline is kept as given");
        let elapsed = wait_for(never, SECOND).await.unwrap_err();
        assert_eq!(elapsed.lateness(), Duration::ZERO);
        assert_eq!(now() - start, SECOND);
    });
}

#[test]
fn with_a_1ns_tick_the_last_tick_fires_on_time_and_one_past_it_never_fires() {
    nanosecond_executor().block_on(async {
        let origin = now();
        let last = origin + NANOSECOND_RANGE; // tick u64::MAX
        let past_last = last + Duration::from_nanos(1); // tick 2^64: not countable
        let mut beyond = sleep_until(past_last);
        assert!(poll_once(&mut beyond).await.is_pending());
        sleep_until(last).await;
        assert_eq!(
            now(),
            last,
            "the virtual clock jumped straight to the last tick"
        );
        yield_now().await;
        assert!(
            poll_once(&mut beyond).await.is_pending(),
            "1 ns later: never"
        );
    });
}

#[test]
fn a_past_deadline_within_the_range_still_fires_after_the_clock_passed_the_range() {
    nanosecond_executor().block_on(async {
        let origin = now();
        advance(600 * YEAR); // beyond 2^64 ns
        sleep_until(origin + SECOND).await; // tick 1e9: overdue, fires at once
        assert_eq!(now() - origin, 600 * YEAR);
    });
}

#[test]
fn once_the_clock_has_passed_the_wheels_range_a_zero_sleep_still_completes() {
    nanosecond_executor().block_on(async {
        let start = now();
        advance(600 * YEAR); // 600 years > 2^64 ns
        let mut nap = sleep(Duration::ZERO); // deadline == now: due
        assert!(poll_once(&mut nap).await.is_pending());
        yield_now().await; // the turn's timer step
        assert!(
            poll_once(&mut nap).await.is_ready(),
            "a zero sleep must complete at the next timer step, even 600 years in"
        );
        assert_eq!(now() - start, 600 * YEAR);
    });
}

#[test]
fn past_the_wheels_range_a_deadlock_says_the_sleeps_are_too_far_out_to_be_filed() {
    let executor = nanosecond_executor();
    let deadlock = catch_unwind(AssertUnwindSafe(|| {
        executor.block_on(async {
            advance(600 * YEAR); // beyond 2^64 ns
            wait_for(sleep(Duration::from_millis(3)), Duration::from_millis(10)).await
        })
    }));
    let message = panic_message(&*deadlock.unwrap_err());
    assert!(
        message.contains(
            "no timer can ever fire (the clock has passed the last tick the wheel can count"
        ),
        "{message}"
    );
    assert!(!message.contains("no timer is pending"), "{message}");
}

#[test]
fn a_coarse_tick_rounds_every_deadline_up_to_the_next_boundary() {
    // Not bad input as such, but the far end of the tick's range: with a one
    // hour tick, a 1 ms sleep completes an hour in, never before.
    let hour = Duration::from_secs(3_600);
    Executor::builder()
        .virtual_clock()
        .tick(hour)
        .build()
        .block_on(async {
            let start = now();
            sleep(Duration::from_millis(1)).await;
            assert_eq!(now() - start, hour);
            let elapsed = wait_for(pending::<()>(), Duration::from_millis(1))
                .await
                .unwrap_err();
            assert_eq!(now() - start, 2 * hour);
            assert_eq!(elapsed.lateness(), hour - Duration::from_millis(1));
        });
}

// ---------------------------------------------------------------- advance

#[test]
fn advance_duration_max_panics_naming_the_problem_and_leaves_the_clock_alone() {
    virtual_executor().block_on(async {
        let start = now();
        let payload = catch_unwind(|| advance(Duration::MAX)).unwrap_err();
        let message = panic_message(&*payload);
        assert!(
            message.contains("waitfor::advance(")
                && message.contains("would move the virtual clock past the largest Instant"),
            "{message}"
        );
        assert_eq!(now(), start, "the clock did not move");
        sleep(SECOND).await;
        assert_eq!(now() - start, SECOND, "and the executor carries on");
    });
}

#[test]
#[should_panic(expected = "would move the virtual clock past the largest Instant")]
fn advance_duration_max_in_block_on_propagates_the_panic() {
    virtual_executor().block_on(async { advance(Duration::MAX) });
}

#[test]
fn advance_zero_is_a_no_op() {
    virtual_executor().block_on(async {
        let start = now();
        advance(Duration::ZERO);
        assert_eq!(now(), start);
    });
}

// ---------------------------------------------------------------- outside an executor

#[test]
fn task_builder_spawn_outside_an_executor_panics_naming_itself() {
    let payload =
        catch_unwind(|| drop(task::Builder::new().name("x").spawn(async {}))).unwrap_err();
    let message = panic_message(&*payload);
    assert!(
        message.starts_with("waitfor::task::Builder::spawn ") && message.contains(OUTSIDE),
        "{message}"
    );
}

#[test]
#[allow(clippy::async_yields_async)] // the WaitFor is taken out on purpose
fn a_wait_for_polled_outside_an_executor_panics_once_it_reaches_its_timer() {
    let mut timed = virtual_executor().block_on(async { wait_for(pending::<()>(), SECOND) });
    let waker = noop_waker();
    let payload = catch_unwind(AssertUnwindSafe(|| {
        let _ = Pin::new(&mut timed).poll(&mut Context::from_waker(&waker));
    }))
    .unwrap_err();
    let message = panic_message(&*payload);
    assert!(
        message.starts_with("polling a waitfor::Sleep ") && message.contains(OUTSIDE),
        "{message}"
    );
}

#[test]
#[allow(clippy::async_yields_async)] // the WaitFor is taken out on purpose
fn a_wait_for_whose_future_is_ready_completes_even_outside_an_executor() {
    // The inner future is polled first, and the timer is never reached.
    let mut timed = virtual_executor().block_on(async { wait_for(std::future::ready(7), SECOND) });
    let waker = noop_waker();
    let polled = Pin::new(&mut timed).poll(&mut Context::from_waker(&waker));
    assert_eq!(polled, Poll::Ready(Ok(7)));
}

#[test]
fn the_channel_works_outside_an_executor_without_a_budget() {
    let (tx, rx) = channel::bounded(2);
    tx.try_send(1).unwrap();
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    let mut send = Box::pin(tx.send(2));
    assert_eq!(
        send.as_mut().poll(&mut cx).map(|r| r.is_ok()),
        Poll::Ready(true)
    );
    drop(send);
    for expected in [1, 2] {
        let mut recv = Box::pin(rx.recv());
        assert_eq!(recv.as_mut().poll(&mut cx), Poll::Ready(Some(expected)));
    }
    drop(tx);
    let mut recv = Box::pin(rx.recv());
    assert_eq!(recv.as_mut().poll(&mut cx), Poll::Ready(None));
}
