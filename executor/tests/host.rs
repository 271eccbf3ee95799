//! A host that owns the thread and lends it to the executor in turns:
//! `Executor::turn`, `next_deadline`, `enter`, `spawn` and the
//! `on_remote_wake` callback. Virtual clock, except for the wake that comes
//! from another thread.

mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use support::{panic_message, virtual_executor};
use waitfor_executor::{
    advance, now, sleep, spawn_blocking, task, wait_for, yield_now, Elapsed, Executor, SlowPoll,
};

const MS: Duration = Duration::from_millis(1);

#[test]
fn a_turn_runs_the_tasks_ready_when_it_begins_and_says_whether_more_are_ready() {
    let executor = virtual_executor();
    let polls = Rc::new(Cell::new(0));
    let counted = Rc::clone(&polls);
    let _task = executor.spawn(async move {
        for _ in 0..2 {
            counted.set(counted.get() + 1);
            yield_now().await;
        }
        counted.set(counted.get() + 1);
    });
    assert!(executor.turn(), "the task yielded: ready again");
    assert_eq!(polls.get(), 1, "one poll per turn, not until idle");
    assert!(executor.turn());
    assert!(!executor.turn(), "finished: nothing ready");
    assert_eq!(polls.get(), 3);
    assert!(!executor.turn(), "an idle turn does nothing");
}

#[test]
fn a_turn_never_parks_and_never_moves_a_virtual_clock() {
    let executor = virtual_executor();
    let _sleeper = executor.spawn(async { sleep(Duration::from_secs(3600)).await });
    let start = executor.enter(now);
    let real = Instant::now();
    while executor.turn() {}
    assert!(!executor.turn());
    assert_eq!(executor.enter(now), start);
    assert!(real.elapsed() < Duration::from_secs(5));
    assert_eq!(
        executor.next_deadline(),
        Some(start + Duration::from_secs(3600))
    );
}

/// A host that gives the executor a turn every `frame`, or also at the
/// executor's next deadline when `wakes_at_deadlines`; returns what a
/// 100 ms `wait_for` of a pending future gave.
fn host_loop(frame: Duration, wakes_at_deadlines: bool) -> Elapsed {
    let executor = virtual_executor();
    let outcome = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&outcome);
    let _task = executor.spawn(async move {
        *slot.borrow_mut() = wait_for(std::future::pending::<()>(), 100 * MS).await.err();
    });
    let start = executor.enter(now);
    let mut next_frame = start + frame;
    while outcome.borrow().is_none() {
        let mut wake_at = next_frame;
        if wakes_at_deadlines {
            wake_at = executor.next_deadline().map_or(wake_at, |d| d.min(wake_at));
        }
        executor.enter(|| advance(wake_at.saturating_duration_since(now())));
        if executor.enter(now) >= next_frame {
            next_frame += frame; // a frame is drawn
        }
        while executor.turn() {}
    }
    outcome.take().expect("the wait_for returned")
}

#[test]
fn a_host_that_turns_only_between_frames_fires_the_timeout_up_to_a_frame_late() {
    assert_eq!(host_loop(250 * MS, false).lateness(), 150 * MS);
}

#[test]
fn a_host_that_wakes_at_the_next_deadline_fires_the_timeout_on_time() {
    assert_eq!(host_loop(250 * MS, true).lateness(), Duration::ZERO);
}

#[test]
fn blame_works_under_a_host() {
    let executor = Executor::builder()
        .virtual_clock()
        .on_slow_poll(|_| {})
        .build();
    let outcome = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&outcome);
    let _task = executor.spawn(async move {
        *slot.borrow_mut() = wait_for(std::future::pending::<()>(), 100 * MS).await.err();
    });
    // Runs after the `wait_for` has filed its timer, and holds the loop.
    let _layout = executor.enter(|| {
        task::Builder::new()
            .name("layout")
            .spawn(async { advance(300 * MS) })
    });
    while outcome.borrow().is_none() {
        while executor.turn() {}
        if let Some(deadline) = executor.next_deadline() {
            executor.enter(|| advance(deadline.saturating_duration_since(now())));
        }
    }
    let elapsed = outcome.take().unwrap();
    assert_eq!(elapsed.blamed_task(), Some("task `layout`"));
    assert_eq!(elapsed.lateness(), 200 * MS);
}

#[test]
#[cfg_attr(miri, ignore = "the watchdog's thread and the real clock")]
fn the_watchdog_reports_a_poll_stuck_in_a_hosts_turn_while_it_is_stuck() {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);
    let executor = Executor::builder()
        .slow_poll_threshold(50 * MS)
        .on_slow_poll(move |report| sink.lock().unwrap().push(report.clone()))
        .build();
    let _stuck = executor.enter(|| {
        task::Builder::new()
            .name("stuck")
            .spawn(async { std::thread::sleep(300 * MS) })
    });
    while executor.turn() {}
    let reports = reports.lock().unwrap();
    let live: Vec<&SlowPoll> = reports.iter().filter(|r| r.still_running()).collect();
    assert!(!live.is_empty(), "no live report in {reports:?}");
    assert!(live.iter().all(|r| r.task() == "task `stuck`"), "{live:?}");
    assert!(
        reports
            .iter()
            .any(|r| !r.still_running() && r.took() >= 300 * MS),
        "and one when the poll returned: {reports:?}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "a real thread and the real clock")]
fn a_wake_from_another_thread_calls_the_hosts_callback() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&calls);
    let (rang, bell) = mpsc::channel();
    let executor = Executor::builder()
        .on_remote_wake(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            let _ = rang.send(());
        })
        .build();
    let done = Rc::new(Cell::new(false));
    let finished = Rc::clone(&done);
    let _task = executor.spawn(async move {
        spawn_blocking(|| 42).await.unwrap();
        finished.set(true);
    });
    while executor.turn() {}
    // The host sleeps until the bell rings: no polling, no timer.
    bell.recv_timeout(Duration::from_secs(10))
        .expect("the blocking job's end rang the bell");
    while !done.get() {
        executor.turn();
        let _ = bell.recv_timeout(10 * MS);
    }
    assert!(calls.load(Ordering::SeqCst) >= 1);
}

#[test]
fn a_turn_inside_block_on_is_refused() {
    let executor = virtual_executor();
    let host = virtual_executor();
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        executor.block_on(async { host.turn() })
    }))
    .unwrap_err();
    assert!(panic_message(&*payload).contains("inside a running executor"));
}
