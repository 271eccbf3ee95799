//! The write-up's programs and the CPython 3.12 table, in virtual time: a
//! 5 s block is `advance(5 s)`, and every instant is exact.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use waitfor_executor::{advance, now, sleep, wait_for, yield_now, Executor};

const SECOND: Duration = Duration::from_secs(1);

fn virtual_executor() -> Executor {
    Executor::builder().virtual_clock().build()
}

/// Blocks for 5 s, yields `yields` times, returns "done"; under a 1 s timeout.
/// Returns the outcome's lateness (if it timed out) and the time it took.
fn block_then_yield(yields: usize) -> (Result<&'static str, Duration>, Duration) {
    virtual_executor().block_on(async move {
        let start = now();
        let outcome = wait_for(
            async move {
                advance(5 * SECOND);
                for _ in 0..yields {
                    yield_now().await;
                }
                "done"
            },
            SECOND,
        )
        .await;
        (outcome.map_err(|elapsed| elapsed.lateness()), now() - start)
    })
}

#[test]
fn block_then_return_is_ok_after_the_whole_block() {
    assert_eq!(block_then_yield(0), (Ok("done"), 5 * SECOND));
}

#[test]
fn block_then_one_yield_is_still_ok_because_the_future_is_polled_first() {
    assert_eq!(block_then_yield(1), (Ok("done"), 5 * SECOND));
}

#[test]
fn block_then_two_yields_times_out_four_seconds_late() {
    assert_eq!(block_then_yield(2), (Err(4 * SECOND), 5 * SECOND));
}

#[test]
fn blocking_task_returns_done_at_five_seconds() {
    // The write-up's first program: time.sleep(5) under wait_for(..., 1).
    let (outcome, took) = virtual_executor().block_on(async {
        let start = now();
        let outcome = wait_for(
            async {
                advance(5 * SECOND);
                "done"
            },
            SECOND,
        )
        .await;
        (outcome, now() - start)
    });
    assert_eq!(outcome, Ok("done"));
    assert_eq!(took, 5 * SECOND);
}

#[test]
fn async_task_times_out_at_exactly_one_second_and_is_dropped() {
    // The second program: asyncio.sleep(3) under wait_for(..., 1).
    struct DropFlag(Rc<Cell<bool>>);
    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = Rc::new(Cell::new(false));
    let flag = DropFlag(Rc::clone(&dropped));
    let (outcome, took, dropped_at_return) = virtual_executor().block_on(async {
        let start = now();
        let outcome = wait_for(
            async move {
                let _flag = flag;
                sleep(3 * SECOND).await;
                "done"
            },
            SECOND,
        )
        .await;
        (outcome, now() - start, dropped.get())
    });
    let elapsed = outcome.unwrap_err();
    assert_eq!(elapsed.lateness(), Duration::ZERO);
    assert_eq!(took, SECOND);
    assert!(
        dropped_at_return,
        "the inner future is dropped before Err is returned"
    );
}

#[test]
fn an_error_at_half_a_second_arrives_at_half_a_second() {
    // The third program: raise ValueError after asyncio.sleep(0.5).
    let (outcome, took) = virtual_executor().block_on(async {
        let start = now();
        let outcome = wait_for(
            async {
                sleep(SECOND / 2).await;
                Err::<(), _>("something went bad!")
            },
            SECOND,
        )
        .await;
        (outcome, now() - start)
    });
    assert_eq!(outcome, Ok(Err("something went bad!")));
    assert_eq!(took, SECOND / 2);
}
