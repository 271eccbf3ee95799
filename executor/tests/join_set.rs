//! `JoinSet` and `JoinHandle::is_finished`: results in the order tasks
//! finish, panicking and aborted members, dropping the set, and the
//! budget, on the virtual clock; the edges tokio's own JoinSet tests cover.

mod support;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;
use support::{nap, panic_message, virtual_executor, DropCounter};
use waitfor_executor::{now, sleep, spawn, spawn_blocking, wait_for, yield_now, Executor, JoinSet};

const MS: Duration = Duration::from_millis(1);

#[test]
fn results_come_back_in_the_order_the_tasks_finish() {
    virtual_executor().block_on(async {
        let start = now();
        let mut set = JoinSet::new();
        for ms in [30, 10, 50, 20, 40] {
            set.spawn(nap(ms));
        }
        let mut seen = Vec::new();
        while let Some(result) = set.join_next().await {
            seen.push((result.unwrap(), (now() - start).as_millis() as u64));
        }
        assert_eq!(seen, [(10, 10), (20, 20), (30, 30), (40, 40), (50, 50)]);
    });
}

#[test]
fn len_counts_tasks_until_they_are_joined_and_an_empty_set_joins_none() {
    virtual_executor().block_on(async {
        let mut set = JoinSet::new();
        assert!(set.is_empty());
        assert!(set.join_next().await.is_none(), "empty: at once");
        set.spawn(async { 1 });
        set.spawn(async { 2 });
        yield_now().await; // both finish; they stay until joined
        assert_eq!(set.len(), 2);
        let first = set.join_next().await.unwrap().unwrap();
        assert_eq!(set.len(), 1);
        let second = set.join_next().await.unwrap().unwrap();
        assert_eq!((first, second), (1, 2), "finished together: spawn order");
        assert!(set.is_empty());
        assert!(set.join_next().await.is_none());
        set.spawn(async { 3 }); // a used set takes more
        assert_eq!(set.join_next().await.unwrap().unwrap(), 3);
    });
}

#[test]
fn a_panicking_task_comes_back_as_its_join_error_and_the_rest_are_unharmed() {
    virtual_executor().block_on(async {
        let mut set = JoinSet::new();
        set.spawn(async {
            sleep(5 * MS).await;
            panic!("member 1 broke")
        });
        set.spawn(nap(10));
        let error = set.join_next().await.unwrap().unwrap_err();
        assert!(error.is_panic());
        assert_eq!(panic_message(&*error.into_panic()), "member 1 broke");
        assert_eq!(set.join_next().await.unwrap().unwrap(), 10);
    });
}

#[test]
fn abort_all_cancels_the_running_tasks_and_keeps_finished_results() {
    virtual_executor().block_on(async {
        let drops = Rc::new(Cell::new(0));
        let mut set = JoinSet::new();
        set.spawn(async { 0 });
        for _ in 0..3 {
            let guard = DropCounter(Rc::clone(&drops));
            set.spawn(async move {
                let _guard = guard;
                nap(1_000).await
            });
        }
        yield_now().await; // the first finishes; the others wait
        set.abort_all();
        assert_eq!(set.len(), 4, "aborted tasks stay until joined");
        let mut outputs = 0;
        let mut cancelled = 0;
        while let Some(result) = set.join_next().await {
            match result {
                Ok(output) => outputs += 1 + output,
                Err(error) => cancelled += u64::from(error.is_cancelled()),
            }
        }
        assert_eq!((outputs, cancelled), (1, 3));
        assert_eq!(drops.get(), 3, "each aborted future was dropped");
    });
}

#[test]
fn dropping_the_set_aborts_its_tasks() {
    virtual_executor().block_on(async {
        let drops = Rc::new(Cell::new(0));
        let finished = Rc::new(Cell::new(false));
        let mut set = JoinSet::new();
        let guard = DropCounter(Rc::clone(&drops));
        let flag = Rc::clone(&finished);
        set.spawn(async move {
            let _guard = guard;
            sleep(10 * MS).await;
            flag.set(true);
        });
        yield_now().await; // it starts and waits for its sleep
        drop(set);
        sleep(50 * MS).await; // well past the task's deadline
        assert!(!finished.get(), "the task never ran past its sleep");
        assert_eq!(drops.get(), 1, "its future was dropped");
    });
}

#[test]
fn a_join_next_dropped_while_waiting_loses_no_result() {
    virtual_executor().block_on(async {
        let mut set = JoinSet::new();
        set.spawn(nap(20));
        assert!(wait_for(set.join_next(), 5 * MS).await.is_err());
        assert_eq!(set.len(), 1);
        assert_eq!(set.join_next().await.unwrap().unwrap(), 20);
    });
}

#[test]
fn draining_many_finished_tasks_yields_to_the_budget_and_loses_none() {
    virtual_executor().block_on(async {
        let mut set = JoinSet::new();
        for i in 0..1_000u64 {
            set.spawn(async move { i });
        }
        yield_now().await; // all of them finish
        let mut sum = 0;
        while let Some(result) = set.join_next().await {
            sum += result.unwrap();
        }
        assert_eq!(sum, 999 * 1_000 / 2);
    });
}

#[test]
fn is_finished_follows_a_task_through_its_life() {
    virtual_executor().block_on(async {
        let sleeper = spawn(nap(10));
        assert!(!sleeper.is_finished(), "not started");
        yield_now().await;
        assert!(!sleeper.is_finished(), "waiting for its timer");
        sleep(10 * MS).await;
        yield_now().await;
        assert!(sleeper.is_finished());
        assert_eq!(sleeper.await.unwrap(), 10);

        let aborted = spawn(nap(1_000));
        yield_now().await;
        aborted.abort();
        assert!(!aborted.is_finished(), "not until the executor drops it");
        yield_now().await;
        assert!(aborted.is_finished());
        assert!(aborted.await.unwrap_err().is_cancelled());
    });
}

#[test]
#[cfg_attr(miri, ignore = "a real thread: slow under Miri")]
fn is_finished_sees_a_blocking_job_end() {
    Executor::new().block_on(async {
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let job = spawn_blocking(move || go_rx.recv().is_ok());
        assert!(!job.is_finished(), "waiting for the signal");
        go_tx.send(()).unwrap();
        let ended = wait_for(
            async {
                while !job.is_finished() {
                    sleep(MS).await;
                }
            },
            Duration::from_secs(10),
        )
        .await;
        assert!(ended.is_ok(), "the job ends as soon as it is signalled");
        assert!(job.await.unwrap());
    });
}
