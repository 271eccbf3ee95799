//! Tasks: `spawn`, `JoinHandle` and `JoinError`, and what becomes of tasks
//! when `block_on` returns or the executor is dropped.
//!
//! A task's output comes back through its handle; `abort()` cancels it; a
//! panic becomes a `JoinError` and hurts nobody else; dropping the handle
//! detaches the task; dropping the executor drops every task's future once
//! (a destructor's panic stopping no other drop, and destructors that spawn
//! forever not stopping the drop from returning), and their handles then
//! report cancellation.

mod support;

use std::cell::{Cell, RefCell};
use std::future::pending;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::Duration;
use support::{panic_message, poll_once, virtual_executor, DropCounter, PanicsOnDrop};
use waitfor_executor::{now, sleep, spawn, yield_now, Executor, JoinHandle};

const SECOND: Duration = Duration::from_secs(1);

#[test]
fn a_spawned_task_returns_its_output_through_its_join_handle() {
    let (answer, took) = virtual_executor().block_on(async {
        let start = now();
        let answer = spawn(async {
            sleep(SECOND).await;
            6 * 7
        })
        .await;
        (answer.unwrap(), now() - start)
    });
    assert_eq!((answer, took), (42, SECOND));
}

#[test]
fn abort_cancels_a_task_and_its_handle_reports_is_cancelled() {
    let drops = Rc::new(Cell::new(0));
    let started = Rc::new(Cell::new(false));
    let (counter, flag) = (DropCounter(Rc::clone(&drops)), Rc::clone(&started));
    virtual_executor().block_on(async {
        // Aborted before its first poll: the future is dropped unpolled.
        let unstarted = spawn(async move {
            let _counter = counter;
            flag.set(true);
        });
        unstarted.abort();
        let error = unstarted.await.unwrap_err();
        assert!(error.is_cancelled() && !error.is_panic());
        assert!(error.to_string().ends_with("was cancelled"), "{error}");
        assert!(!started.get());
        assert_eq!(drops.get(), 1);

        // Aborted while it sleeps: nobody waits for its timer.
        let start = now();
        let sleeper = spawn(async { sleep(10 * SECOND).await });
        yield_now().await;
        sleeper.abort();
        assert!(sleeper.await.unwrap_err().is_cancelled());
        assert_eq!(now(), start);

        // Aborted after it finished: the output stands.
        let finished = spawn(async { 7 });
        yield_now().await;
        finished.abort();
        assert_eq!(finished.await.unwrap(), 7);
    });
}

#[test]
fn a_panicking_task_becomes_a_join_error_and_the_others_carry_on() {
    let executor = virtual_executor();
    let (panicked, survivor) = executor.block_on(async {
        let doomed = spawn(async {
            sleep(SECOND).await;
            panic!("boom");
        });
        let survivor = spawn(async {
            sleep(2 * SECOND).await;
            "still here"
        });
        (doomed.await, survivor.await)
    });
    let error = panicked.unwrap_err();
    assert!(error.is_panic() && !error.is_cancelled());
    assert!(error.to_string().ends_with("panicked: boom"), "{error}");
    assert_eq!(panic_message(&*error.into_panic()), "boom");
    assert_eq!(survivor.unwrap(), "still here");
    // The executor itself was not taken down.
    assert_eq!(
        executor.block_on(async { spawn(async { 1 }).await.unwrap() }),
        1
    );
}

#[test]
fn dropping_a_join_handle_detaches_the_task_which_runs_to_completion() {
    let done_at = Rc::new(Cell::new(None));
    let record = Rc::clone(&done_at);
    let start = virtual_executor().block_on(async {
        let start = now();
        drop(spawn(async move {
            sleep(SECOND).await;
            record.set(Some(now()));
        }));
        sleep(2 * SECOND).await;
        start
    });
    assert_eq!(done_at.get(), Some(start + SECOND));
}

#[test]
fn spawned_futures_need_not_be_send() {
    let log = Rc::new(RefCell::new(Vec::new()));
    virtual_executor().block_on(async {
        let handles: Vec<_> = (0..3u32)
            .map(|i| {
                let log = Rc::clone(&log); // Rc: not Send
                spawn(async move {
                    sleep(SECOND * (3 - i)).await;
                    log.borrow_mut().push(i);
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    assert_eq!(*log.borrow(), [2, 1, 0]);
}

#[test]
#[should_panic(expected = "JoinHandle polled again after it returned its result")]
fn a_join_handle_polled_again_after_its_result_panics() {
    virtual_executor().block_on(async {
        let mut handle = spawn(async { 1 });
        assert_eq!((&mut handle).await.unwrap(), 1);
        let _ = poll_once(&mut handle).await;
    });
}

#[test]
fn a_task_can_abort_itself_and_stops_at_its_next_await() {
    let own_handle: Rc<RefCell<Option<JoinHandle<()>>>> = Rc::default();
    let reached = Rc::new(Cell::new(false));
    let drops = Rc::new(Cell::new(0));
    let (slot, flag, counter) = (
        Rc::clone(&own_handle),
        Rc::clone(&reached),
        DropCounter(Rc::clone(&drops)),
    );
    virtual_executor().block_on(async {
        let handle = spawn(async move {
            let _counter = counter;
            slot.borrow().as_ref().expect("main stored it").abort();
            sleep(SECOND).await;
            flag.set(true);
        });
        *own_handle.borrow_mut() = Some(handle);
        sleep(2 * SECOND).await;
        let handle = own_handle.borrow_mut().take().unwrap();
        assert!(handle.await.unwrap_err().is_cancelled());
    });
    assert!(!reached.get(), "it never got past the await after abort()");
    assert_eq!(drops.get(), 1);
}

#[test]
fn a_task_unfinished_when_block_on_returns_runs_on_in_the_next_block_on() {
    let executor = virtual_executor();
    let (handle, start) = executor.block_on(async {
        let start = now();
        let handle = spawn(async {
            sleep(SECOND).await;
            now()
        });
        (handle, start)
    });
    let finished_at = executor.block_on(handle).unwrap();
    assert_eq!(finished_at - start, SECOND);
}

/// Spawns a task holding a `DropCounter` when dropped.
struct SpawnOnDrop(Rc<Cell<u32>>);

impl Drop for SpawnOnDrop {
    fn drop(&mut self) {
        let counter = DropCounter(Rc::clone(&self.0));
        drop(spawn(async move {
            let _counter = counter;
            pending::<()>().await;
        }));
    }
}

#[test]
fn dropping_the_executor_drops_every_task_once_and_their_handles_report_cancelled() {
    let drops = Rc::new(Cell::new(0));
    let counter = || DropCounter(Rc::clone(&drops));
    let executor = virtual_executor();
    let handles = executor.block_on(async {
        let (c1, c2, c3) = (counter(), counter(), counter());
        let spawner = SpawnOnDrop(Rc::clone(&drops));
        let sleeping = spawn(async move {
            let _c = c1;
            sleep(3_600 * SECOND).await; // a timer in the wheel
        });
        let waiting = spawn(async move {
            let _c = c2;
            let _spawner = spawner;
            pending::<()>().await;
        });
        yield_now().await; // both have been polled once
        let unstarted = spawn(async move {
            let _c = c3;
        });
        vec![sleeping, waiting, unstarted]
    });
    assert_eq!(
        drops.get(),
        0,
        "block_on returned; the tasks stay with the executor"
    );
    drop(executor);
    // Three tasks, plus the one spawned by a destructor during the drop.
    assert_eq!(drops.get(), 4);
    for handle in handles {
        let error = Executor::new().block_on(handle).unwrap_err();
        assert!(error.is_cancelled());
    }
}

#[test]
fn a_destructor_that_panics_while_the_executor_drops_stops_no_other_drop() {
    let drops = Rc::new(Cell::new(0));
    let (first, last) = (
        DropCounter(Rc::clone(&drops)),
        DropCounter(Rc::clone(&drops)),
    );
    let executor = virtual_executor();
    executor.block_on(async {
        drop(spawn(async move {
            let _first = first;
            pending::<()>().await;
        }));
        drop(spawn(async {
            let _fails = PanicsOnDrop;
            pending::<()>().await;
        }));
        drop(spawn(async move {
            let _last = last;
            pending::<()>().await;
        }));
        yield_now().await; // each task holds its value
    });
    let dropping = catch_unwind(AssertUnwindSafe(|| drop(executor)));
    assert!(dropping.is_ok(), "the panic stays inside the drop");
    assert_eq!(drops.get(), 2, "the tasks on either side were dropped");
}

/// Spawns, when dropped, a task that holds the next `RespawnsOnDrop`: each
/// drop of one spawns another, forever.
struct RespawnsOnDrop(Arc<AtomicUsize>);

impl Drop for RespawnsOnDrop {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
        let next = RespawnsOnDrop(Arc::clone(&self.0));
        drop(spawn(async move {
            let _next = next;
            pending::<()>().await;
        }));
    }
}

#[test]
#[cfg_attr(miri, ignore = "leaks its 17th task on purpose; Miri reports leaks")]
fn destructors_that_spawn_forever_cannot_keep_the_executors_drop_from_returning() {
    let drops = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&drops);
    let (returned, drop_returned) = mpsc::channel();
    // On a thread of its own, so that a hang fails the test instead of hanging it.
    thread::spawn(move || {
        let executor = virtual_executor();
        executor.block_on(async {
            drop(spawn(async move {
                let _first = RespawnsOnDrop(counted);
                pending::<()>().await;
            }));
            yield_now().await;
        });
        drop(executor);
        returned.send(()).unwrap();
    });
    drop_returned
        .recv_timeout(Duration::from_secs(20))
        .expect("dropping the executor returned");
    assert_eq!(
        drops.load(Ordering::SeqCst),
        16,
        "one task dropped in each of the 16 rounds of shutdown; the 17th is left undropped"
    );
}

#[test]
fn an_unjoined_output_whose_destructor_spawns_is_dropped_safely() {
    // The executor drops a detached task's output when the task finishes;
    // that destructor may use the executor (here: spawn a task).
    struct SpawnsOnDrop(Rc<Cell<bool>>);
    impl Drop for SpawnsOnDrop {
        fn drop(&mut self) {
            let ran = Rc::clone(&self.0);
            drop(spawn(async move { ran.set(true) }));
        }
    }
    let ran = Rc::new(Cell::new(false));
    let flag = Rc::clone(&ran);
    virtual_executor().block_on(async move {
        drop(spawn(async move { SpawnsOnDrop(flag) }));
        yield_now().await; // the task runs and its output is dropped
        yield_now().await; // the task spawned by the destructor runs
    });
    assert!(ran.get());
}

#[test]
fn many_short_tasks_in_a_row_reuse_wakers_without_mixing_them_up() {
    // Each task's waker is recycled for a later task; a wake aimed at a
    // finished task must never reach its successor.
    let polls = Rc::new(Cell::new(0));
    virtual_executor().block_on(async {
        for round in 0..100u32 {
            let polls = Rc::clone(&polls);
            let handle = spawn(async move {
                polls.set(polls.get() + 1);
                round
            });
            assert_eq!(handle.await.unwrap(), round);
        }
    });
    assert_eq!(polls.get(), 100, "each task was polled exactly once");
}
