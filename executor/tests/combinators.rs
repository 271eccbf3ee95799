//! The `futures` crate's combinators on waitfor: `select`, `join` and
//! `FuturesUnordered` need nothing from the executor but wakers, so they
//! work as they do anywhere, and obey the same loop: their timers fire only
//! when the loop gets control back. All on the virtual clock.

mod support;

use futures::future::{self, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use std::pin::pin;
use std::time::Duration;
use support::{nap, virtual_executor};
use waitfor_executor::trace::EventKind;
use waitfor_executor::{advance, channel, now, sleep, spawn, wait_for, yield_now, Executor};

const MS: Duration = Duration::from_millis(1);

#[test]
fn select_returns_the_first_to_finish_and_the_other_can_still_be_awaited() {
    virtual_executor().block_on(async {
        let start = now();
        let first = pin!(nap(30));
        let second = pin!(nap(10));
        let Either::Right((ten, thirty)) = future::select(first, second).await else {
            panic!("the 10 ms sleep finishes first");
        };
        assert_eq!((ten, now() - start), (10, 10 * MS));
        assert_eq!(thirty.await, 30, "the loser's timer stayed filed");
        assert_eq!(now() - start, 30 * MS);
    });
}

#[test]
fn dropping_selects_loser_cancels_its_timer() {
    let executor = Executor::builder().virtual_clock().trace(64).build();
    executor.block_on(async {
        let outcome = future::select(Box::pin(nap(1_000)), Box::pin(nap(10))).await;
        let Either::Right((_, loser)) = outcome else {
            panic!("the 10 ms nap wins");
        };
        drop(loser);
    });
    let cancelled: Vec<Duration> = executor
        .trace()
        .expect("traced")
        .events()
        .iter()
        .filter_map(|event| match event.kind {
            EventKind::TimerCancel { deadline } => Some(deadline),
            _ => None,
        })
        .collect();
    assert_eq!(cancelled, [Duration::from_secs(1)]);
}

#[test]
fn join_waits_for_both_and_a_blocking_poll_delays_them_alike() {
    virtual_executor().block_on(async {
        let start = now();
        assert_eq!(future::join(nap(10), nap(40)).await, (10, 40));
        assert_eq!(now() - start, 40 * MS);
        let blocker = spawn(async { advance(100 * MS) });
        let joined = future::join(nap(10), nap(20)).await;
        assert_eq!(joined, (10, 20));
        assert_eq!(now() - start, 140 * MS, "both fired late, at 140 ms");
        blocker.await.unwrap();
    });
}

#[test]
fn futures_unordered_yields_in_finishing_order() {
    virtual_executor().block_on(async {
        let start = now();
        let naps: FuturesUnordered<_> = [50, 10, 30, 20].into_iter().map(nap).collect();
        let seen: Vec<(u64, u64)> = naps
            .map(|ms| (ms, (now() - start).as_millis() as u64))
            .collect()
            .await;
        assert_eq!(seen, [(10, 10), (20, 20), (30, 30), (50, 50)]);
    });
}

#[test]
fn a_timeout_around_a_join_fires_on_time_when_the_loop_is_free() {
    virtual_executor().block_on(async {
        let outcome = wait_for(future::join(nap(10), nap(500)), 100 * MS).await;
        assert_eq!(outcome.unwrap_err().lateness(), Duration::ZERO);
    });
}

#[test]
fn select_over_a_channel_and_a_sleep_takes_whichever_is_first() {
    virtual_executor().block_on(async {
        let (tx, rx) = channel::unbounded();
        let producer = spawn(async move {
            sleep(25 * MS).await;
            tx.send("item").await.unwrap();
            yield_now().await;
        });
        let mut rx = rx;
        let mut ticks = 0;
        let item = loop {
            match future::select(rx.next(), pin!(sleep(10 * MS))).await {
                Either::Left((item, _)) => break item,
                Either::Right(_) => ticks += 1,
            }
        };
        assert_eq!((item, ticks), (Some("item"), 2), "ticks at 10 and 20 ms");
        producer.await.unwrap();
    });
}
