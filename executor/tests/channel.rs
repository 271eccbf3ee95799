//! `waitfor_executor::channel`: order, back-pressure, closing from either
//! end, wake-ups from other threads, and the budget that makes a consumer of
//! a flooded channel yield so that its timeout fires on time.

mod support;

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};
use waitfor_executor::channel::{self, Receiver, SendError, Sender, TryRecvError, TrySendError};
use waitfor_executor::{advance, now, sleep, spawn, wait_for, yield_now, Executor};

use support::virtual_executor;

const MS: Duration = Duration::from_millis(1);

#[test]
fn both_ends_can_cross_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Sender<u32>>();
    send_sync::<Receiver<u32>>();
}

#[test]
fn unbounded_delivers_in_order() {
    let received = virtual_executor().block_on(async {
        let (tx, rx) = channel::unbounded();
        for i in 0..100 {
            tx.send(i).await.unwrap();
        }
        drop(tx);
        let mut received = Vec::new();
        while let Some(i) = rx.recv().await {
            received.push(i);
        }
        received
    });
    assert_eq!(received, (0..100).collect::<Vec<_>>());
}

#[test]
fn bounded_delivers_in_order_between_tasks() {
    let received = virtual_executor().block_on(async {
        let (tx, rx) = channel::bounded(3);
        let producer = spawn(async move {
            for i in 0..50 {
                tx.send(i).await.unwrap();
            }
        });
        let mut received = Vec::new();
        while let Some(i) = rx.recv().await {
            received.push(i);
        }
        producer.await.unwrap();
        received
    });
    assert_eq!(received, (0..50).collect::<Vec<_>>());
}

#[test]
fn try_send_reports_full_and_try_recv_empty() {
    let (tx, rx) = channel::bounded(2);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
    assert_eq!(rx.try_recv(), Ok(1));
    tx.try_send(3).unwrap();
    assert_eq!((rx.try_recv(), rx.try_recv()), (Ok(2), Ok(3)));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
#[should_panic(expected = "bounded(0) is not supported")]
fn zero_capacity_is_refused() {
    let _ = channel::bounded::<u8>(0);
}

#[test]
fn a_full_bounded_channel_suspends_the_producer() {
    virtual_executor().block_on(async {
        let (tx, rx) = channel::bounded(2);
        let sent = Rc::new(Cell::new(0));
        let producer = spawn({
            let sent = Rc::clone(&sent);
            async move {
                for i in 0..10 {
                    tx.send(i).await.unwrap();
                    sent.set(sent.get() + 1);
                }
            }
        });
        // The consumer is slow: 1 ms per item. Whenever it looks, the
        // producer is exactly two items ahead, suspended on the third.
        sleep(MS).await;
        assert_eq!(sent.get(), 2, "two fit, the third send waits");
        let mut received = Vec::new();
        while let Some(i) = rx.recv().await {
            received.push(i);
            sleep(MS).await;
            assert_eq!(sent.get(), (received.len() + 2).min(10));
        }
        assert_eq!(received, (0..10).collect::<Vec<_>>());
        producer.await.unwrap();
    });
}

#[test]
fn dropping_every_sender_closes_after_the_remaining_items() {
    virtual_executor().block_on(async {
        let (tx, rx) = channel::unbounded();
        let tx2 = tx.clone();
        tx.send("a").await.unwrap();
        tx2.send("b").await.unwrap();
        drop(tx);
        assert_eq!(rx.recv().await, Some("a"), "one sender is left");
        drop(tx2);
        assert_eq!(rx.recv().await, Some("b"), "items outlive the senders");
        assert_eq!(rx.recv().await, None);
        assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    });
}

#[test]
fn a_waiting_receiver_is_woken_when_the_last_sender_goes() {
    let (outcome, took) = virtual_executor().block_on(async {
        let start = now();
        let (tx, rx) = channel::unbounded::<u8>();
        let _detached = spawn(async move {
            sleep(5 * MS).await;
            drop(tx);
        });
        (rx.recv().await, now() - start)
    });
    assert_eq!((outcome, took), (None, 5 * MS));
}

#[test]
fn dropping_the_receiver_fails_sends_with_the_value() {
    virtual_executor().block_on(async {
        let (tx, rx) = channel::bounded(4);
        tx.send(1).await.unwrap();
        assert!(!tx.is_closed());
        drop(rx);
        assert!(tx.is_closed());
        assert_eq!(tx.send(2).await, Err(SendError(2)));
        assert_eq!(tx.try_send(3), Err(TrySendError::Closed(3)));
    });
}

#[test]
fn a_sender_blocked_on_a_full_channel_is_woken_when_the_receiver_goes() {
    virtual_executor().block_on(async {
        let (tx, rx) = channel::bounded(1);
        tx.send("kept").await.unwrap();
        let state = Rc::new(Cell::new("not started"));
        let blocked = spawn({
            let state = Rc::clone(&state);
            async move {
                state.set("sending");
                let outcome = tx.send("refused").await;
                state.set("done");
                outcome
            }
        });
        yield_now().await;
        yield_now().await;
        assert_eq!(state.get(), "sending", "waiting for room");
        drop(rx);
        let outcome = wait_for(blocked, Duration::from_secs(1)).await;
        assert_eq!(outcome.unwrap().unwrap(), Err(SendError("refused")));
    });
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_producer_thread_wakes_the_receiving_task() {
    let start = Instant::now();
    let received = Executor::new().block_on(async {
        let (tx, rx) = channel::unbounded();
        let producer = thread::spawn(move || {
            for i in 0..5 {
                thread::sleep(5 * MS);
                tx.try_send(i).unwrap();
            }
        });
        let mut received = Vec::new();
        let drained = wait_for(
            async {
                while let Some(i) = rx.recv().await {
                    received.push(i);
                }
            },
            Duration::from_secs(10),
        )
        .await;
        producer.join().unwrap();
        drained.expect("the thread's sends must wake the task");
        received
    });
    assert_eq!(received, vec![0, 1, 2, 3, 4]);
    assert!(start.elapsed() < Duration::from_secs(5), "no lost wake-ups");
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_receiver_on_one_executor_wakes_a_sender_blocked_on_another() {
    let (tx, rx) = channel::bounded(1);
    let producer = thread::spawn(move || {
        Executor::new().block_on(async {
            for i in 0..20 {
                tx.send(i).await.unwrap();
            }
        })
    });
    let received = Executor::new().block_on(async {
        let mut received = Vec::new();
        let drained = wait_for(
            async {
                while let Some(i) = rx.recv().await {
                    received.push(i);
                    sleep(MS).await; // slower than the producer
                }
            },
            Duration::from_secs(10),
        )
        .await;
        drained.expect("each receive must wake the other thread's sender");
        received
    });
    producer.join().unwrap();
    assert_eq!(received, (0..20).collect::<Vec<_>>());
}

/// Drains 1000 pre-filled items and returns how many each poll of the task
/// received.
fn items_per_poll(executor: Executor) -> Vec<usize> {
    executor.block_on(async {
        let (tx, rx) = channel::unbounded();
        for i in 0..1000 {
            tx.try_send(i).unwrap();
        }
        drop(tx);
        let received = Cell::new(0);
        let consumer = async {
            while rx.recv().await.is_some() {
                received.set(received.get() + 1);
            }
        };
        support::progress_per_poll(consumer, &received).await
    })
}

#[test]
fn the_budget_makes_a_flooded_consumer_yield_every_128_items() {
    let per_poll = items_per_poll(virtual_executor());
    assert_eq!(per_poll[0], 128);
    assert_eq!(per_poll, [128, 128, 128, 128, 128, 128, 128, 104]);
}

#[test]
fn without_the_budget_a_flooded_consumer_never_yields() {
    let executor = Executor::builder().virtual_clock().budget(None).build();
    assert_eq!(items_per_poll(executor), [1000]);
}

#[test]
fn the_budget_makes_a_flooding_producer_yield_every_128_sends() {
    let per_poll = virtual_executor().block_on(async {
        let (tx, rx) = channel::unbounded();
        let sent = Cell::new(0);
        let mut producer = pin!(async {
            for i in 0..1000 {
                tx.send(i).await.unwrap();
                sent.set(sent.get() + 1);
            }
        });
        let mut per_poll = Vec::new();
        poll_fn(|cx| {
            let before = sent.get();
            let poll = producer.as_mut().poll(cx);
            per_poll.push(sent.get() - before);
            poll
        })
        .await;
        assert_eq!(rx.try_recv(), Ok(0));
        per_poll
    });
    assert_eq!(per_poll, [128, 128, 128, 128, 128, 128, 128, 104]);
}

#[test]
fn a_dropped_waiting_send_does_not_swallow_the_wake_up() {
    // Two senders wait on a full channel; one gives up (its future is
    // dropped by its timeout). Taking an item must still wake the other.
    let outcome = virtual_executor().block_on(async {
        let (tx, rx) = channel::bounded(1);
        tx.send(0).await.unwrap();
        let quitter = spawn({
            let tx = tx.clone();
            async move { wait_for(tx.send(1), MS).await }
        });
        let patient = spawn({
            let tx = tx.clone();
            async move { tx.send(2).await }
        });
        sleep(2 * MS).await; // both waited; the quitter timed out
        assert!(quitter.await.unwrap().is_err());
        assert_eq!(rx.recv().await, Some(0));
        let sent = wait_for(patient, Duration::from_secs(1)).await;
        (sent.map(Result::unwrap), rx.try_recv())
    });
    assert_eq!(outcome, (Ok(Ok(())), Ok(2)));
}

/// A data feed that never runs dry (a million items queued, the sender kept
/// alive), consumed at 1 µs of blocking work per item under a 10 ms timeout.
/// Returns the timeout's lateness and how many items were consumed.
fn flooded_consumer_under_timeout(executor: Executor) -> (Duration, usize) {
    executor.block_on(async {
        let (tx, rx) = channel::unbounded();
        for i in 0..1_000_000u32 {
            tx.try_send(i).unwrap();
        }
        let consumed = Cell::new(0);
        let consumer = async {
            while rx.recv().await.is_some() {
                advance(Duration::from_micros(1)); // the per-item work
                consumed.set(consumed.get() + 1);
            }
        };
        let elapsed = wait_for(consumer, 10 * MS).await.unwrap_err();
        drop(tx);
        (elapsed.lateness(), consumed.get())
    })
}

#[test]
fn with_the_budget_the_timeout_fires_on_time() {
    let (lateness, consumed) = flooded_consumer_under_timeout(virtual_executor());
    assert!(
        lateness <= Duration::from_micros(128) + MS,
        "late by {lateness:?}"
    );
    // 79 polls of 128 items pass 10 ms; the poll after the timer fired
    // still runs the consumer first (128 more) before the timeout wins.
    assert_eq!(consumed, 80 * 128);
}

#[test]
fn without_the_budget_the_timeout_waits_for_the_whole_flood() {
    let executor = Executor::builder().virtual_clock().budget(None).build();
    let (lateness, consumed) = flooded_consumer_under_timeout(executor);
    assert_eq!(consumed, 1_000_000);
    assert_eq!(lateness, Duration::from_secs(1) - 10 * MS);
}

#[test]
fn errors_print_clearly_without_needing_debug_values() {
    struct Opaque;
    assert_eq!(format!("{:?}", SendError(Opaque)), "SendError { .. }");
    assert_eq!(format!("{:?}", TrySendError::Full(Opaque)), "Full(..)");
    assert_eq!(format!("{:?}", TrySendError::Closed(Opaque)), "Closed(..)");
    let errors: [Box<dyn std::error::Error>; 4] = [
        Box::new(SendError(1)),
        Box::new(TrySendError::Full(1)),
        Box::new(TrySendError::Closed(1)),
        Box::new(TryRecvError::Closed),
    ];
    for error in errors {
        assert!(error.to_string().contains("channel"), "{error}");
    }
    assert_eq!(TrySendError::Closed(7).into_inner(), 7);
}
