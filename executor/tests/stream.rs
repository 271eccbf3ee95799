//! The channel's receiver as a `futures_core::Stream`, and the channel's
//! `len`, `is_empty` and `close`: the stream spends the budget as `recv`
//! does, `close` fails every later send without losing what was queued, and
//! a send racing `close` on another thread is either refused or received.

mod support;

use futures::StreamExt;
use std::cell::Cell;
use std::sync::Arc;
use std::task::Context;
use std::time::Duration;
use support::{counting_waker, progress_per_poll, virtual_executor};
use waitfor_executor::channel::{self, TryRecvError, TrySendError};
use waitfor_executor::{advance, spawn, wait_for, yield_now, Executor};

const MS: Duration = Duration::from_millis(1);

#[test]
fn the_receiver_is_a_stream_that_ends_when_the_senders_are_gone() {
    virtual_executor().block_on(async {
        let (tx, rx) = channel::bounded(4);
        let producer = spawn(async move {
            for i in 1..=10 {
                tx.send(i).await.unwrap();
            }
        });
        let doubled: Vec<i32> = rx.map(|i| i * 2).collect().await;
        assert_eq!(doubled, (1..=10).map(|i| i * 2).collect::<Vec<_>>());
        producer.await.unwrap();
    });
}

#[test]
fn the_stream_yields_every_128_items_like_recv() {
    virtual_executor().block_on(async {
        let (tx, mut rx) = channel::unbounded();
        for i in 0..300 {
            tx.try_send(i).unwrap();
        }
        drop(tx);
        let received = Cell::new(0);
        let consumer = async {
            while rx.next().await.is_some() {
                received.set(received.get() + 1);
            }
        };
        let per_poll = progress_per_poll(consumer, &received).await;
        assert_eq!(per_poll, [128, 128, 44]);
    });
}

#[test]
fn a_timeout_around_a_flooded_stream_fires_on_time() {
    virtual_executor().block_on(async {
        let (tx, mut rx) = channel::unbounded();
        for i in 0..100_000u32 {
            tx.try_send(i).unwrap();
        }
        let consumer = async {
            while rx.next().await.is_some() {
                advance(Duration::from_micros(1));
            }
        };
        let elapsed = wait_for(consumer, 10 * MS).await.unwrap_err();
        assert!(elapsed.lateness() <= Duration::from_micros(128) + MS);
        drop(tx);
    });
}

#[test]
fn len_and_is_empty_count_the_queued_items() {
    let (tx, rx) = channel::bounded(3);
    assert!(rx.is_empty());
    tx.try_send('a').unwrap();
    tx.try_send('b').unwrap();
    assert_eq!((rx.len(), rx.is_empty()), (2, false));
    assert_eq!(rx.try_recv(), Ok('a'));
    assert_eq!(rx.len(), 1);
    assert_eq!(futures::Stream::size_hint(&rx), (1, None));
}

#[test]
fn close_refuses_new_sends_and_still_delivers_what_was_queued() {
    virtual_executor().block_on(async {
        let (tx, mut rx) = channel::unbounded();
        tx.send(1).await.unwrap();
        tx.send(2).await.unwrap();
        assert!(!tx.is_closed());
        rx.close();
        assert!(tx.is_closed());
        assert!(matches!(tx.try_send(3), Err(TrySendError::Closed(3))));
        assert_eq!(tx.send(4).await.unwrap_err().0, 4);
        assert_eq!(rx.try_recv(), Ok(1));
        assert_eq!(rx.recv().await, Some(2));
        assert_eq!(rx.recv().await, None, "closed and drained, senders alive");
        assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
        drop(tx);
    });
}

#[test]
fn close_wakes_a_sender_waiting_on_a_full_channel_to_fail() {
    virtual_executor().block_on(async {
        let (tx, mut rx) = channel::bounded(1);
        tx.try_send(0).unwrap();
        let blocked = spawn(async move { tx.send(1).await.map_err(|error| error.0) });
        yield_now().await; // the sender finds the channel full and waits
        assert!(!blocked.is_finished());
        rx.close();
        assert_eq!(blocked.await.unwrap(), Err(1), "its value comes back");
        assert_eq!(rx.recv().await, Some(0));
        assert_eq!(rx.recv().await, None);
    });
}

#[test]
fn a_closed_stream_ends_after_the_queued_items() {
    virtual_executor().block_on(async {
        let (tx, mut rx) = channel::unbounded();
        tx.try_send("queued").unwrap();
        rx.close();
        assert_eq!(rx.by_ref().collect::<Vec<_>>().await, ["queued"]);
        drop(tx);
    });
}

#[test]
fn dropping_a_waiting_stream_releases_the_tasks_waker() {
    let (_tx, mut rx) = channel::unbounded::<u8>();
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    assert!(rx.poll_next_unpin(&mut cx).is_pending());
    drop(waker);
    assert_eq!(Arc::strong_count(&counter), 2, "the wait list holds one");
    drop(rx);
    assert_eq!(Arc::strong_count(&counter), 1, "released with the receiver");
}

#[test]
#[cfg_attr(miri, ignore = "real threads: too slow under Miri")]
fn a_send_racing_close_on_another_thread_is_refused_or_received() {
    for _ in 0..50 {
        let (tx, mut rx) = channel::unbounded();
        let sender = std::thread::spawn(move || {
            let mut accepted = 0u32;
            for i in 0..10_000 {
                if tx.try_send(i).is_ok() {
                    accepted += 1;
                }
            }
            accepted
        });
        let received = Executor::new().block_on(async {
            let mut received = 0u32;
            while received < 100 && rx.recv().await.is_some() {
                received += 1;
            }
            rx.close();
            while rx.recv().await.is_some() {
                received += 1;
            }
            received
        });
        assert_eq!(received, sender.join().unwrap(), "no accepted item is lost");
    }
}
