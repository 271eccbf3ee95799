//! `JoinHandle` at the edges: where the result goes when nobody takes it,
//! who is told when the executor goes away, and a task joining itself.
//!
//! The executor's slab owns each task and its result; a handle finds its
//! task there by id. These tests pin that every result is dropped exactly
//! once whichever side goes first, and that no handle is left hanging.

mod support;

use std::cell::{Cell, RefCell};
use std::future::{pending, poll_fn, Future};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;
use support::{panic_message, virtual_executor, DropCounter, PanicsOnDrop};
use waitfor_executor::{sleep, spawn, yield_now, JoinHandle};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

#[test]
fn an_output_is_dropped_once_whether_its_handle_goes_before_or_after_it_is_ready() {
    let drops = Rc::new(Cell::new(0));
    let counter = || DropCounter(Rc::clone(&drops));
    virtual_executor().block_on(async {
        // Detached before the task runs: dropped when the task finishes.
        let output = counter();
        drop(spawn(async move { output }));
        yield_now().await;
        assert_eq!(drops.get(), 1);

        // Finished, then detached: kept until the handle goes.
        let output = counter();
        let handle = spawn(async move { output });
        yield_now().await;
        assert_eq!(drops.get(), 1, "a finished task keeps its output");
        drop(handle);
        assert_eq!(drops.get(), 2);

        // Joined: the output is the caller's, dropped when the caller drops it.
        let output = counter();
        let joined = spawn(async move { output }).await.unwrap();
        assert_eq!(drops.get(), 2);
        drop(joined);
        assert_eq!(drops.get(), 3);
    });
    assert_eq!(drops.get(), 3);
}

#[test]
fn aborting_a_finished_task_leaves_its_output_to_its_handle() {
    virtual_executor().block_on(async {
        let handle = spawn(async { 7 });
        yield_now().await;
        handle.abort();
        yield_now().await;
        assert_eq!(handle.await.unwrap(), 7);
    });
}

#[test]
fn a_task_that_drops_its_own_handle_while_running_is_removed_when_it_finishes() {
    let drops = Rc::new(Cell::new(0));
    let output = DropCounter(Rc::clone(&drops));
    let own: Rc<RefCell<Option<JoinHandle<DropCounter>>>> = Rc::default();
    let slot = Rc::clone(&own);
    virtual_executor().block_on(async {
        let handle = spawn(async move {
            drop(slot.borrow_mut().take()); // detached mid-poll
            yield_now().await;
            output
        });
        *own.borrow_mut() = Some(handle);
        for _ in 0..3 {
            yield_now().await;
        }
    });
    assert_eq!(drops.get(), 1, "the detached task's output was dropped");
}

#[test]
fn a_task_polling_its_own_handle_panics_with_a_message_that_says_so() {
    let own: Rc<RefCell<Option<JoinHandle<()>>>> = Rc::default();
    let message = Rc::new(RefCell::new(String::new()));
    let (slot, said) = (Rc::clone(&own), Rc::clone(&message));
    virtual_executor().block_on(async move {
        *own.borrow_mut() = Some(spawn(async move {
            yield_now().await; // by now its handle is in the slot
            let mut handle = slot.borrow_mut().take().expect("the handle was stored");
            let mut cx = Context::from_waker(futures_task::noop_waker_ref());
            let poll = catch_unwind(AssertUnwindSafe(|| Pin::new(&mut handle).poll(&mut cx)));
            *said.borrow_mut() = panic_message(&*poll.unwrap_err());
        }));
        for _ in 0..3 {
            yield_now().await;
        }
    });
    assert_eq!(
        *message.borrow(),
        "a task awaited its own JoinHandle: it can never finish"
    );
}

#[test]
fn a_handle_whose_executor_dropped_its_task_reports_cancelled_on_any_executor() {
    let first = virtual_executor();
    // (In an array: the block returns the handle, not its output.)
    let [never] = first.block_on(async { [spawn(pending::<()>())] });
    drop(first);
    let outcome = virtual_executor().block_on(never);
    assert!(outcome.unwrap_err().is_cancelled());
}

#[test]
fn a_panic_in_an_aborted_tasks_destructor_becomes_its_join_error() {
    let error = virtual_executor().block_on(async {
        let handle = spawn(async {
            let _guard = PanicsOnDrop;
            sleep(100 * SECOND).await;
        });
        sleep(10 * MS).await; // the task holds its guard
        handle.abort();
        handle.await.unwrap_err()
    });
    assert!(error.is_panic(), "{error}");
    assert_eq!(
        panic_message(&*error.into_panic()),
        "PanicsOnDrop was dropped"
    );
}

#[test]
fn a_future_that_is_ready_and_then_panics_when_dropped_still_gives_its_output() {
    let output = virtual_executor().block_on(async {
        let guard = PanicsOnDrop;
        let handle = spawn(poll_fn(move |_| {
            let _holds = &guard; // moved into the future: dropped with it
            Poll::Ready(7)
        }));
        handle.await
    });
    assert_eq!(output.unwrap(), 7);
}

#[test]
fn a_panic_in_a_detached_tasks_output_destructor_stays_in_the_task() {
    let after = virtual_executor().block_on(async {
        drop(spawn(async { PanicsOnDrop }));
        yield_now().await; // the task finishes; its output goes, panicking
        let handle = spawn(async { "the loop runs on" });
        handle.await.unwrap()
    });
    assert_eq!(after, "the loop runs on");
}

#[test]
fn a_handle_awaited_on_another_executor_panics_instead_of_waiting_forever() {
    let first = virtual_executor();
    let [five] = first.block_on(async { [spawn(async { 5 })] });
    let polled = catch_unwind(AssertUnwindSafe(|| virtual_executor().block_on(five)));
    assert_eq!(
        panic_message(&*polled.unwrap_err()),
        "a waitfor JoinHandle was polled outside the executor its task was spawned on; \
         only that executor runs the task, so it would never finish"
    );
}
