//! Diagnostics: slow-poll reports, the watchdog, blame on timeouts, and the
//! cooperative budget. Virtual clock everywhere except the watchdog, which
//! by design watches real time.

use std::future::{poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;
use waitfor_executor::{
    advance, sleep, spawn, task, wait_for, yield_now, Builder, Executor, SlowPoll,
};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

/// A builder whose slow-poll reports are collected instead of printed.
fn collecting(builder: Builder) -> (Builder, Arc<Mutex<Vec<SlowPoll>>>) {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);
    let builder = builder.on_slow_poll(move |report| sink.lock().unwrap().push(report.clone()));
    (builder, reports)
}

#[test]
fn a_slow_poll_is_reported_with_the_timers_it_made_late() {
    let (builder, reports) = collecting(Builder::new().virtual_clock());
    builder.build().block_on(async {
        let sleeper = spawn(sleep(50 * MS));
        let blocker = task::Builder::new().name("blocker").spawn(async {
            yield_now().await; // let the sleeper file its timer first
            advance(200 * MS);
        });
        blocker.await.unwrap();
        sleeper.await.unwrap();
    });
    let reports = reports.lock().unwrap();
    assert_eq!(reports.len(), 1, "{reports:?}");
    let report = &reports[0];
    assert_eq!(report.task(), "task `blocker`");
    assert_eq!(report.took(), 200 * MS);
    assert_eq!(report.overdue_timers(), Some(1));
    assert_eq!(report.worst_lateness(), 150 * MS);
    assert!(!report.still_running());
    assert_eq!(
        report.to_string(),
        "waitfor: task `blocker` blocked the loop for 0.200 s in one poll; \
         1 timer overdue, the worst by 0.150 s"
    );
}

#[test]
fn fast_polls_are_not_reported() {
    let (builder, reports) = collecting(Builder::new().virtual_clock());
    builder.build().block_on(async {
        for _ in 0..10 {
            advance(99 * MS);
            sleep(SECOND).await;
        }
    });
    assert!(reports.lock().unwrap().is_empty());
}

#[test]
#[cfg_attr(
    miri,
    ignore = "the watchdog times polls on the real clock, and under Miri one poll outlasts the 10 ms threshold"
)]
fn the_threshold_is_configurable() {
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);
    Builder::new()
        .virtual_clock()
        .slow_poll_threshold(10 * MS)
        .on_slow_poll(move |report| sink.lock().unwrap().push(report.took()))
        .build()
        .block_on(async {
            advance(9 * MS);
            yield_now().await;
            advance(11 * MS);
        });
    assert_eq!(*reports.lock().unwrap(), [11 * MS]);
}

#[test]
fn a_timeout_blames_the_task_that_held_the_loop() {
    let (builder, _reports) = collecting(Builder::new().virtual_clock());
    let elapsed = builder.build().block_on(async {
        let blocker = task::Builder::new().name("blocking_task").spawn(async {
            advance(5 * SECOND); // time.sleep(5): holds the loop
        });
        let outcome = wait_for(std::future::pending::<()>(), SECOND).await;
        blocker.await.unwrap();
        outcome.unwrap_err()
    });
    assert_eq!(elapsed.lateness(), 4 * SECOND);
    assert_eq!(elapsed.blamed_task(), Some("task `blocking_task`"));
    assert_eq!(elapsed.blocked_for(), Some(5 * SECOND));
    assert_eq!(
        elapsed.to_string(),
        "timed out 4.000 s late: task `blocking_task` held the loop for 5.000 s in one poll"
    );
}

#[test]
fn each_timeout_blames_its_own_blocker_when_another_held_that_place_before() {
    // The diagnostics reuse their poll records in place: the blocker of each
    // round is polled at the same place in its turn as the last round's.
    let (builder, _reports) = collecting(Builder::new().virtual_clock());
    let executor = builder.build();
    for (round, name) in ["first", "second", "third"].into_iter().enumerate() {
        let held = (round as u32 + 2) * SECOND;
        let elapsed = executor.block_on(async move {
            let blocker = task::Builder::new()
                .name(name)
                .spawn(async move { advance(held) });
            let outcome = wait_for(std::future::pending::<()>(), SECOND).await;
            blocker.await.unwrap();
            outcome.unwrap_err()
        });
        assert_eq!(
            elapsed.blamed_task(),
            Some(format!("task `{name}`").as_str())
        );
        assert_eq!(elapsed.blocked_for(), Some(held));
    }
}

#[test]
fn slow_polls_are_found_however_many_quick_polls_came_before() {
    // Quick polls whose sum passes the threshold, one exactly at it (not
    // slow: slower than the threshold is), then two slow ones in a row.
    let reports = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&reports);
    Builder::new()
        .virtual_clock()
        .slow_poll_threshold(100 * MS)
        .on_slow_poll(move |report| sink.lock().unwrap().push(report.took()))
        .build()
        .block_on(async {
            for _ in 0..10 {
                advance(30 * MS);
                yield_now().await;
            }
            for took in [100, 101, 150, 99, 30, 120] {
                advance(took * MS);
                yield_now().await;
            }
        });
    assert_eq!(*reports.lock().unwrap(), [101 * MS, 150 * MS, 120 * MS]);
}

#[test]
fn an_unnamed_task_is_blamed_by_id_and_spawn_site() {
    let (builder, _reports) = collecting(Builder::new().virtual_clock());
    let elapsed = builder.build().block_on(async {
        let _blocker = spawn(async { advance(2 * SECOND) });
        wait_for(std::future::pending::<()>(), SECOND)
            .await
            .unwrap_err()
    });
    let blamed = elapsed.blamed_task().unwrap();
    assert!(blamed.starts_with("task #"), "{blamed}");
    assert!(blamed.contains("tests/diagnostics.rs:"), "{blamed}");
}

#[test]
fn without_diagnostics_there_is_no_blame() {
    let elapsed = Executor::builder().virtual_clock().build().block_on(async {
        let _blocker = spawn(async { advance(5 * SECOND) });
        wait_for(std::future::pending::<()>(), SECOND)
            .await
            .unwrap_err()
    });
    assert_eq!(elapsed.lateness(), 4 * SECOND);
    assert_eq!(elapsed.blamed_task(), None);
    assert_eq!(
        elapsed.to_string(),
        "timed out; the timer fired 4.000 s late"
    );
}

/// How many finished tasks one poll of the joining task gets through.
fn joins_per_poll(builder: Builder) -> Vec<usize> {
    builder.build().block_on(async {
        let handles: Vec<_> = (0..300).map(|i| spawn(async move { i })).collect();
        yield_now().await; // every task runs to completion
        let mut handles = handles.into_iter().map(Box::pin).peekable();
        let mut per_poll = Vec::new();
        poll_fn(|cx| {
            let mut joined = 0;
            while let Some(handle) = handles.peek_mut() {
                match handle.as_mut().poll(cx) {
                    Poll::Ready(_) => {
                        handles.next();
                        joined += 1;
                    }
                    Poll::Pending => {
                        per_poll.push(joined);
                        return Poll::Pending;
                    }
                }
            }
            per_poll.push(joined);
            Poll::Ready(())
        })
        .await;
        per_poll
    })
}

#[test]
fn the_budget_forces_a_yield_after_exactly_128_ready_operations() {
    assert_eq!(joins_per_poll(Builder::new()), [128, 128, 44]);
}

#[test]
fn the_budget_can_be_changed_or_turned_off() {
    assert_eq!(
        joins_per_poll(Builder::new().budget(Some(100))),
        [100, 100, 100]
    );
    assert_eq!(joins_per_poll(Builder::new().budget(None)), [300]);
}

#[test]
#[should_panic(expected = "use None to turn it off")]
fn a_zero_budget_is_refused() {
    let _ = Builder::new().budget(Some(0));
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn the_watchdog_reports_a_poll_while_it_is_still_stuck() {
    // Real clock: the watchdog watches real time. Threshold 50 ms, block 600 ms:
    // reports at ~50, ~100, ~200, ~400 ms while stuck, then one after.
    let (builder, reports) = collecting(Builder::new().slow_poll_threshold(50 * MS));
    builder.build().block_on(async {
        let stuck = task::Builder::new()
            .name("stuck")
            .spawn(async { std::thread::sleep(600 * MS) });
        stuck.await.unwrap();
    });
    let reports = reports.lock().unwrap();
    let live: Vec<&SlowPoll> = reports.iter().filter(|r| r.still_running()).collect();
    assert!(!live.is_empty(), "no live report in {reports:?}");
    assert!(live
        .iter()
        .all(|r| r.task() == "task `stuck`" && r.took() >= 50 * MS));
    assert!(
        live.windows(2)
            .all(|pair| pair[1].took() >= pair[0].took() * 2),
        "reports come at growing intervals: {live:?}"
    );
    assert!(live.len() <= 5, "at most one report per doubling: {live:?}");
    let after: Vec<&SlowPoll> = reports.iter().filter(|r| !r.still_running()).collect();
    assert_eq!(after.len(), 1);
    assert!(after[0].took() >= 600 * MS);
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn the_watchdog_names_each_stuck_task_when_one_follows_another() {
    // The watchdog is told a task's name only when it differs from the last
    // poll's: each live report must still name the poll it is about.
    let (builder, reports) = collecting(Builder::new().slow_poll_threshold(40 * MS));
    builder.build().block_on(async {
        for name in ["one", "two"] {
            let stuck = task::Builder::new()
                .name(name)
                .spawn(async { std::thread::sleep(150 * MS) });
            stuck.await.unwrap();
        }
    });
    let reports = reports.lock().unwrap();
    for name in ["one", "two"] {
        let task = format!("task `{name}`");
        assert!(
            reports
                .iter()
                .any(|r| r.still_running() && r.task() == task),
            "no live report for {task} in {reports:?}"
        );
    }
    let live_tasks: Vec<&str> = reports
        .iter()
        .filter(|r| r.still_running())
        .map(|r| r.task())
        .collect();
    let first_two = live_tasks.iter().position(|&t| t == "task `two`").unwrap();
    assert!(
        live_tasks[first_two..].iter().all(|&t| t == "task `two`"),
        "a report names the task before: {live_tasks:?}"
    );
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn the_watchdog_is_silent_when_polls_are_quick() {
    let (builder, reports) = collecting(Builder::new().slow_poll_threshold(50 * MS));
    builder.build().block_on(async {
        for _ in 0..5 {
            sleep(20 * MS).await;
        }
    });
    assert!(reports.lock().unwrap().is_empty());
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn the_watchdog_stops_watching_a_block_on_future_that_panicked() {
    let (builder, reports) =
        collecting(Builder::new().virtual_clock().slow_poll_threshold(20 * MS));
    let executor = builder.build();
    let failed = catch_unwind(AssertUnwindSafe(|| {
        executor.block_on(async { panic!("the block_on future fails") })
    }));
    assert!(failed.is_err());
    // The loop is idle for ten thresholds: a watchdog still watching the
    // poll that unwound would report it at 20, 40, 80 and 160 ms.
    std::thread::sleep(200 * MS);
    assert!(reports.lock().unwrap().is_empty(), "{reports:?}");
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn time_spent_outside_the_loop_is_no_polls() {
    // A poll may start at the instant the last one ended (one clock read
    // per poll), but never across a wait outside the loop: between two
    // `block_on`s, or two turns of a host. Real clock: the gap is a real wait.
    let (builder, reports) = collecting(Builder::new().slow_poll_threshold(50 * MS));
    let executor = builder.build();
    let gap = 150 * MS;
    executor.block_on(async { yield_now().await });
    std::thread::sleep(gap);
    executor.block_on(async { yield_now().await });
    let _task = executor.spawn(async {
        loop {
            yield_now().await;
        }
    });
    assert!(executor.turn());
    std::thread::sleep(gap);
    assert!(executor.turn());
    let reports = reports.lock().unwrap();
    assert!(
        reports.iter().all(|report| report.took() < gap),
        "{reports:?}"
    );
}
