//! Other threads: `spawn_blocking`, wakes that come from another thread, and
//! wakers that outlive their executor; then how a virtual clock treats a
//! blocking job in flight (it does not jump while one runs).
//!
//! Real clock, except for that last part. The machine is shared and noisy:
//! jobs are held by channels, not by sleeps, wherever the order matters, and
//! timing bounds are generous (hundreds of milliseconds, or seconds).

mod support;

use std::cell::{Cell, RefCell};
use std::future::poll_fn;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::task::{Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};
use support::{panic_message, poll_once, virtual_executor};
use waitfor_executor::{now, sleep, spawn, spawn_blocking, wait_for, yield_now, Executor};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_timeout_around_spawn_blocking_fires_on_time_while_the_thread_runs_on() {
    // The job stands for a long blocking call: it is held until the timeout
    // has been seen, so the timeout is sure to win, then runs to its end.
    let (release, gate) = mpsc::channel::<()>();
    let (finished, job_done) = mpsc::channel::<()>();
    let flag = Arc::new(AtomicBool::new(false));
    let job_flag = Arc::clone(&flag);
    let outcome = Executor::new().block_on(async {
        let job = spawn_blocking(move || {
            let _ = gate.recv();
            job_flag.store(true, Ordering::SeqCst);
            let _ = finished.send(());
        });
        wait_for(job, 50 * MS).await
    });
    let elapsed = outcome.expect_err("the job is held until after the timeout");
    assert!(
        elapsed.lateness() < 300 * MS,
        "{:?} late",
        elapsed.lateness()
    );
    assert!(!flag.load(Ordering::SeqCst), "the job is still blocked");
    release.send(()).unwrap();
    job_done
        .recv_timeout(10 * SECOND)
        .expect("the thread ran on to the end");
    assert!(flag.load(Ordering::SeqCst));
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_panic_in_a_blocking_job_comes_back_as_a_join_error() {
    let outcome = Executor::new()
        .block_on(async { spawn_blocking(|| -> u32 { panic!("boom in a thread") }).await });
    let error = outcome.unwrap_err();
    assert!(error.is_panic() && !error.is_cancelled());
    assert_eq!(error.to_string(), "blocking job panicked: boom in a thread");
    assert_eq!(panic_message(&*error.into_panic()), "boom in a thread");
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn fifty_blocking_jobs_on_eight_threads_all_deliver_their_results() {
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let executor = Executor::builder().max_blocking_threads(8).build();
    let results = executor.block_on(async {
        let handles: Vec<_> = (0..50u64)
            .map(|i| {
                let (running, peak) = (Arc::clone(&running), Arc::clone(&peak));
                spawn_blocking(move || {
                    let now_running = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now_running, Ordering::SeqCst);
                    thread::sleep(20 * MS);
                    running.fetch_sub(1, Ordering::SeqCst);
                    i * i
                })
            })
            .collect();
        let all = async {
            let mut results = Vec::new();
            for handle in handles {
                results.push(handle.await.unwrap());
            }
            results
        };
        wait_for(all, 30 * SECOND)
            .await
            .expect("the pool delivered")
    });
    assert_eq!(results, (0..50u64).map(|i| i * i).collect::<Vec<_>>());
    let peak = peak.load(Ordering::SeqCst);
    assert!((1..=8).contains(&peak), "{peak} jobs ran at once");
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn abort_on_a_blocking_job_reports_cancelled_while_the_thread_runs_on() {
    let (release, gate) = mpsc::channel::<()>();
    let (finished, job_done) = mpsc::channel::<u32>();
    let error = Executor::new().block_on(async {
        let job = spawn_blocking(move || {
            let _ = gate.recv();
            let _ = finished.send(7);
            7
        });
        job.abort();
        job.await.unwrap_err()
    });
    assert!(error.is_cancelled());
    release.send(()).unwrap();
    assert_eq!(job_done.recv_timeout(10 * SECOND), Ok(7));
}

#[test]
#[should_panic(expected = "JoinHandle polled again after it returned its result")]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_blocking_join_handle_polled_again_after_its_result_panics() {
    Executor::new().block_on(async {
        let mut job = spawn_blocking(|| 1);
        assert_eq!((&mut job).await.unwrap(), 1);
        let _ = poll_once(&mut job).await;
    });
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn a_wake_from_another_thread_unparks_an_idle_loop() {
    // No timer is pending: the loop parks on its wake channel, and only the
    // other thread's wake can end that.
    let started = Instant::now();
    let woken = Arc::new(AtomicBool::new(false));
    let mut waker_thread = None;
    Executor::new().block_on(poll_fn(|cx| {
        if woken.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        if waker_thread.is_none() {
            let (waker, woken) = (cx.waker().clone(), Arc::clone(&woken));
            waker_thread = Some(thread::spawn(move || {
                thread::sleep(50 * MS);
                woken.store(true, Ordering::SeqCst);
                waker.wake();
            }));
        }
        Poll::Pending
    }));
    waker_thread.unwrap().join().unwrap();
    assert!(started.elapsed() < 5 * SECOND, "{:?}", started.elapsed());
}

#[test]
fn a_waker_that_outlives_its_executor_is_a_harmless_no_op() {
    // Three tasks' wakers and main's, kept after the executor is gone.
    let executor = virtual_executor();
    let wakers = executor.block_on(async {
        let slots: Vec<Rc<RefCell<Option<Waker>>>> = (0..3).map(|_| Rc::default()).collect();
        for slot in &slots {
            let slot = Rc::clone(slot);
            drop(spawn(poll_fn(move |cx| {
                *slot.borrow_mut() = Some(cx.waker().clone());
                Poll::<()>::Pending
            })));
        }
        yield_now().await;
        let mut wakers: Vec<Waker> = slots.iter().map(|s| s.take().unwrap()).collect();
        wakers.push(poll_fn(|cx| Poll::Ready(cx.waker().clone())).await);
        wakers
    });
    drop(executor);
    let [on_this_thread, in_another_executor, from_a_thread, main] =
        <[Waker; 4]>::try_from(wakers).unwrap();
    on_this_thread.wake_by_ref();
    let other = Executor::new().block_on(async {
        in_another_executor.wake_by_ref();
        yield_now().await;
        "the other executor is undisturbed"
    });
    assert_eq!(other, "the other executor is undisturbed");
    thread::spawn(move || {
        from_a_thread.wake();
        main.wake();
    })
    .join()
    .unwrap();
    on_this_thread.wake();
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn with_a_virtual_clock_a_blocking_job_in_flight_holds_the_clock_still() {
    // The loop has a timer due at +1 s and nothing to run but it waits, in
    // real time, for the job instead of jumping: virtual time stands still.
    virtual_executor().block_on(async {
        let start = now();
        let timer = spawn(async {
            sleep(SECOND).await;
            now()
        });
        let job = spawn_blocking(|| {
            thread::sleep(200 * MS);
            7
        });
        assert_eq!(job.await.unwrap(), 7);
        assert_eq!(now(), start, "the job took no virtual time");
        assert_eq!(
            timer.await.unwrap() - start,
            SECOND,
            "then the clock jumped"
        );
    });
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn with_a_virtual_clock_a_timeout_cannot_beat_a_blocking_job() {
    // On a real clock the 1 ms timeout would win by far; on a virtual clock
    // the job's 200 ms of real time are no virtual time at all.
    virtual_executor().block_on(async {
        let start = now();
        let job = spawn_blocking(|| {
            thread::sleep(200 * MS);
            7
        });
        assert_eq!(wait_for(job, MS).await.unwrap().unwrap(), 7);
        assert_eq!(now(), start);
    });
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn with_a_virtual_clock_a_blocking_job_waiting_for_a_timer_waits_in_vain() {
    // The job waits for a message that a task sends after a 1 s virtual
    // sleep; the clock waits for the job. Only the job's own real-time limit
    // (300 ms here; forever with a plain recv) breaks the deadlock.
    let sent = Rc::new(Cell::new(None));
    let record = Rc::clone(&sent);
    virtual_executor().block_on(async {
        let (tx, rx) = mpsc::channel::<()>();
        let job = spawn_blocking(move || rx.recv_timeout(300 * MS));
        let sender = spawn(async move {
            sleep(SECOND).await;
            record.set(Some(tx.send(()).is_ok()));
        });
        assert!(
            job.await.unwrap().is_err(),
            "the message never came in time"
        );
        sender.await.unwrap();
    });
    assert_eq!(sent.get(), Some(false), "sent after the job had given up");
}

#[test]
fn with_a_virtual_clock_a_wake_queued_from_another_thread_stops_the_jump() {
    // The wake is in the executor's channel before the loop parks: the loop
    // is not idle, and a real clock would not wait for the timer either.
    virtual_executor().block_on(async {
        let start = now();
        let mut timer = sleep(SECOND);
        assert!(poll_once(&mut timer).await.is_pending());
        let mut woken = false;
        poll_fn(|cx| {
            if woken {
                return Poll::Ready(());
            }
            woken = true;
            let waker = cx.waker().clone();
            thread::spawn(move || waker.wake()).join().unwrap();
            Poll::Pending
        })
        .await;
        assert_eq!(now(), start, "the clock jumped over a queued wake");
    });
}

#[test]
#[cfg_attr(miri, ignore = "real clock / threads: too slow under Miri")]
fn with_a_virtual_clock_a_blocking_job_that_just_ended_stops_the_jump() {
    virtual_executor().block_on(async {
        let start = now();
        let mut timer = sleep(SECOND);
        assert!(poll_once(&mut timer).await.is_pending());
        let (release, gate) = mpsc::channel::<()>();
        let (returning, job_returning) = mpsc::channel::<()>();
        let mut job = spawn_blocking(move || {
            let _ = gate.recv();
            let _ = returning.send(());
            7
        });
        // Hand the job main's waker; then hold the loop until the job has
        // ended, so its wake is queued, and in_flight is 0, before the park.
        assert!(poll_once(&mut job).await.is_pending());
        release.send(()).unwrap();
        job_returning.recv().unwrap();
        thread::sleep(50 * MS); // lets the pool thread finish its bookkeeping
        let mut returned = false;
        poll_fn(|_| {
            // Pending once, without a wake of our own: the job's is queued.
            if returned {
                return Poll::Ready(());
            }
            returned = true;
            Poll::Pending
        })
        .await;
        assert_eq!(now(), start, "the clock jumped past a finished job's wake");
        assert_eq!(job.await.unwrap(), 7);
    });
}

/// Wakes `waker` by value from a new thread, after `publish`: so the clone
/// is gone as soon as the wake has been sent.
fn wake_from_a_thread(waker: &Waker, publish: impl FnOnce() + Send + 'static) {
    let waker = waker.clone();
    thread::spawn(move || {
        publish();
        waker.wake();
    });
}

#[test]
#[cfg_attr(
    miri,
    ignore = "a race over many rounds of threads: too slow under Miri"
)]
fn a_wake_by_value_landing_during_the_deadlock_check_is_never_taken_for_a_deadlock() {
    // The deadlock check looks at the wake channel and then counts the
    // wakers held outside; a long scan of kept, finished tasks leaves a
    // thread time to send its wake and drop its waker in between. The
    // block_on future waits on nothing, so the one real deadlock is at the end.
    const ROUNDS: usize = 100;
    let rounds = Rc::new(Cell::new(0));
    let counted = Rc::clone(&rounds);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        virtual_executor().block_on(async {
            let _kept: Vec<_> = (0..100_000).map(|_| spawn(async {})).collect();
            drop(spawn(async move {
                for _ in 0..ROUNDS {
                    let mut handed = false;
                    poll_fn(|cx| {
                        if std::mem::replace(&mut handed, true) {
                            return Poll::Ready(());
                        }
                        wake_from_a_thread(cx.waker(), || {});
                        Poll::Pending
                    })
                    .await;
                    counted.set(counted.get() + 1);
                }
            }));
            std::future::pending::<()>().await
        })
    }));
    let message = panic_message(&*outcome.unwrap_err());
    assert!(message.contains("deadlock in block_on"), "{message}");
    assert_eq!(
        rounds.get(),
        ROUNDS,
        "no deadlock before every round was done"
    );
}

#[test]
fn a_wake_from_another_thread_while_its_task_is_still_queued_is_seen_by_the_next_poll() {
    // The thread publishes (a relaxed store) and then wakes, often while the
    // task is still queued from waking itself: then its wake queues nothing,
    // and the next poll must see what it published. Miri's weak-memory
    // emulation finds the lost wake when the scheduled flag is cleared with
    // a plain store.
    let rounds = if cfg!(miri) { 30 } else { 300 };
    virtual_executor().block_on(async {
        for _ in 0..rounds {
            let published = Arc::new(AtomicBool::new(false));
            let mut handed = false;
            poll_fn(|cx| {
                if published.load(Ordering::Relaxed) {
                    return Poll::Ready(());
                }
                if !std::mem::replace(&mut handed, true) {
                    let publisher = Arc::clone(&published);
                    wake_from_a_thread(cx.waker(), move || {
                        publisher.store(true, Ordering::Relaxed);
                    });
                    cx.waker().wake_by_ref();
                }
                Poll::Pending
            })
            .await;
        }
    });
}
