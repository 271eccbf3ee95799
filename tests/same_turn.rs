//! The same-turn race, on the virtual clock: when the inner future and the
//! timeout come due in the same timer step, `wait_for` polls the inner
//! future first and returns `Ok`, whichever deadline was the earlier.
//! (CPython 3.12 raises `TimeoutError` in the first case; the peers tests
//! run it: `peers/python/same_turn.py`.)

use std::time::Duration;
use waitfor::{advance, now, sleep, spawn, wait_for, Elapsed, Executor};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// `wait_for(sleep(inner), timeout)` while a neighbour task blocks the loop
/// for `block` (none if zero): what it returned, and when.
fn race(
    inner: Duration,
    timeout: Duration,
    block: Duration,
) -> (Result<&'static str, Elapsed>, Duration) {
    let executor = Executor::builder().virtual_clock().build();
    executor.block_on(async move {
        let began = now();
        if !block.is_zero() {
            let _neighbour = spawn(async move { advance(block) });
        }
        let inner = async move {
            sleep(inner).await;
            "done"
        };
        let result = wait_for(inner, timeout).await;
        (result, now() - began)
    })
}

#[test]
fn an_inner_future_due_first_wins_although_the_timeout_fired_in_the_same_step() {
    assert_eq!(race(ms(50), ms(100), ms(200)), (Ok("done"), ms(200)));
}

#[test]
fn an_inner_future_due_after_the_deadline_still_wins_when_both_fire_in_one_step() {
    assert_eq!(race(ms(150), ms(100), ms(200)), (Ok("done"), ms(200)));
}

#[test]
fn equal_tick_aligned_deadlines_fire_in_one_step_and_the_inner_future_wins() {
    assert_eq!(
        race(ms(100), ms(100), Duration::ZERO),
        (Ok("done"), ms(100))
    );
}

#[test]
fn without_a_block_the_deadlines_fire_in_separate_steps_and_the_earlier_wins() {
    assert_eq!(race(ms(50), ms(100), Duration::ZERO), (Ok("done"), ms(50)));
    let (result, returned_at) = race(ms(150), ms(100), Duration::ZERO);
    let elapsed = result.expect_err("the timeout is due first, in a step of its own");
    assert_eq!(returned_at, ms(100));
    assert_eq!(elapsed.lateness(), Duration::ZERO);
}

#[test]
fn a_block_that_ends_between_the_deadlines_lets_the_timeout_win_late() {
    // The block ends at 120 ms: the timeout (100 ms) is due, the sleep
    // (150 ms) is not, so the step after the block fires the timeout alone.
    let (result, returned_at) = race(ms(150), ms(100), ms(120));
    let elapsed = result.expect_err("only the timeout is due when the block ends");
    assert_eq!(returned_at, ms(120));
    assert_eq!(elapsed.lateness(), ms(20));
}
