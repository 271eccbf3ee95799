//! The loop's turn, and the virtual clock it runs on.
//!
//! One turn: (1) poll each task that was ready when the turn began; a task
//! woken during the turn waits for the next one; (2) advance the wheel to the
//! current time and wake the owners of due timers; (3) if nothing is ready,
//! park until the next timer or a wake-up (a virtual clock jumps to the next
//! timer instead). These tests watch the order of polls, how wakes of one
//! task are merged, and when virtual time moves.

mod support;

use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::rc::Rc;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};
use support::virtual_executor;
use waitfor_executor::{advance, now, sleep, spawn, yield_now};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

#[test]
fn a_task_that_yields_runs_again_after_the_tasks_already_ready() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let (log_a, log_b) = (Rc::clone(&log), Rc::clone(&log));
    virtual_executor().block_on(async {
        log.borrow_mut().push("main");
        let a = spawn(async move {
            log_a.borrow_mut().push("A1");
            yield_now().await;
            log_a.borrow_mut().push("A2");
        });
        let b = spawn(async move { log_b.borrow_mut().push("B") });
        a.await.unwrap();
        b.await.unwrap();
        log.borrow_mut().push("main again");
    });
    // A's yield puts it behind B, which was ready when the turn began.
    assert_eq!(*log.borrow(), ["main", "A1", "B", "A2", "main again"]);
}

#[test]
fn a_task_woken_during_a_turn_runs_in_the_next_turn_after_the_timer_step() {
    // A "blocks" for 1 ms per poll and yields, 100 times. If a self-woken task
    // ran again within the same turn, the timer step would not come until A
    // had finished, and main's 5 ms sleep would end after all 100 polls.
    let polls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&polls);
    let (polls_seen, woke_after) = virtual_executor().block_on(async {
        let start = now();
        let _a = spawn(async move {
            for _ in 0..100 {
                advance(MS);
                counted.set(counted.get() + 1);
                yield_now().await;
            }
        });
        sleep(5 * MS).await;
        (polls.get(), now() - start)
    });
    // Turns 2..=6 poll A once each and move the clock to 5 ms; the timer step
    // of turn 6 fires main's timer; turn 7 polls A (queued first), then main.
    assert_eq!(polls_seen, 6);
    assert_eq!(woke_after, 6 * MS);
}

#[test]
fn a_task_spawned_during_a_turn_starts_in_the_next_turn() {
    let started = Rc::new(Cell::new(false));
    let flag = Rc::clone(&started);
    virtual_executor().block_on(async {
        let task = spawn(async move { flag.set(true) });
        assert!(!started.get(), "spawn only queues the task");
        yield_now().await;
        assert!(started.get(), "it ran in the turn after the spawn");
        task.await.unwrap();
    });
}

#[test]
fn a_task_woken_many_times_before_it_runs_is_polled_once() {
    let polls = Rc::new(Cell::new(0));
    let finish = Rc::new(Cell::new(false));
    let waker_slot: Rc<RefCell<Option<Waker>>> = Rc::default();
    let (counted, done, slot) = (
        Rc::clone(&polls),
        Rc::clone(&finish),
        Rc::clone(&waker_slot),
    );
    virtual_executor().block_on(async {
        let task = spawn(poll_fn(move |cx| {
            counted.set(counted.get() + 1);
            *slot.borrow_mut() = Some(cx.waker().clone());
            if done.get() {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }));
        yield_now().await;
        assert_eq!(polls.get(), 1);

        let waker = waker_slot.borrow().clone().unwrap();
        for _ in 0..1_000 {
            waker.wake_by_ref();
        }
        let remote = waker.clone();
        std::thread::spawn(move || (0..1_000).for_each(|_| remote.wake_by_ref()))
            .join()
            .unwrap();
        yield_now().await;
        yield_now().await;
        assert_eq!(polls.get(), 2, "2,000 wakes before it ran: one poll");

        finish.set(true);
        waker.wake();
        task.await.unwrap();
        assert_eq!(polls.get(), 3);
    });
}

#[test]
fn the_virtual_clock_starts_when_the_executor_is_built_and_stands_still_in_real_time() {
    let before = Instant::now();
    let executor = virtual_executor();
    let after = Instant::now();
    std::thread::sleep(20 * MS);
    let start = executor.block_on(async {
        let start = now();
        assert!(before <= start && start <= after, "it starts at build time");
        std::thread::sleep(20 * MS); // real time passes inside a poll
        yield_now().await;
        assert_eq!(now(), start, "real time does not move it");
        advance(1_500 * MS);
        assert_eq!(now() - start, 1_500 * MS, "advance moves it exactly");
        start
    });
    std::thread::sleep(20 * MS);
    let later = executor.block_on(async { now() });
    assert_eq!(
        later - start,
        1_500 * MS,
        "the next block_on carries on from there"
    );
}

#[test]
fn the_virtual_clock_does_not_jump_while_a_task_is_ready() {
    // A timer is due in 1 ms, but a task keeps the loop busy for 100 turns
    // without moving the clock: the loop is never idle, so no jump.
    let busy_done_at = Rc::new(Cell::new(None));
    let record = Rc::clone(&busy_done_at);
    virtual_executor().block_on(async {
        let start = now();
        let busy = spawn(async move {
            for _ in 0..100 {
                yield_now().await;
            }
            record.set(Some(now()));
        });
        sleep(MS).await;
        assert_eq!(busy_done_at.get(), Some(start), "100 turns took no time");
        assert_eq!(now() - start, MS, "then the idle loop jumped to the timer");
        busy.await.unwrap();
    });
}

#[test]
fn the_virtual_clock_jumps_straight_to_the_next_deadline_when_idle() {
    let real_start = Instant::now();
    let polls = Cell::new(0);
    let mut main = pin!(async {
        let start = now();
        sleep(3_600 * SECOND).await;
        now() - start
    });
    let slept = virtual_executor().block_on(poll_fn(|cx| {
        polls.set(polls.get() + 1);
        main.as_mut().poll(cx)
    }));
    assert_eq!(slept, 3_600 * SECOND, "exactly an hour of virtual time");
    assert_eq!(polls.get(), 2, "no wake-up between the sleep and its end");
    assert!(
        real_start.elapsed() < 5 * SECOND,
        "an hour of virtual time took {:?} of real time",
        real_start.elapsed()
    );
}
