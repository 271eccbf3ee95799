//! Stress: wakes from many threads at once, and many timers through the
//! executor. Bounded: each test takes at most a few seconds, and a lost wake
//! shows as a timeout, not a hang.

use std::future::poll_fn;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread;
use std::time::Duration;
use waitfor::{sleep, spawn, wait_for, Executor};

/// One task's mailbox: a counter that threads bump, and the waker to call.
#[derive(Default)]
struct Mailbox {
    bumps: AtomicU64,
    waker: Mutex<Option<Waker>>,
}

#[test]
fn a_million_wakes_from_four_threads_lose_none() {
    const TASKS: usize = 100;
    const THREADS: u64 = 4;
    const WAKES_PER_THREAD: u64 = 250_000;
    const TOTAL: u64 = THREADS * WAKES_PER_THREAD;
    let mailboxes: Arc<Vec<Mailbox>> = Arc::new((0..TASKS).map(|_| Mailbox::default()).collect());
    let polls = Arc::new(AtomicU64::new(0));

    let executor = Executor::new();
    let outcome = executor.block_on(async {
        // Each task finishes once it has seen its share of the bumps; it can
        // only see them if it is polled after the last one, i.e. if the
        // wake that followed the last bump was not lost.
        let tasks: Vec<_> = (0..TASKS)
            .map(|index| {
                let mailboxes = Arc::clone(&mailboxes);
                let polls = Arc::clone(&polls);
                let share = TOTAL / TASKS as u64;
                spawn(poll_fn(move |cx| {
                    polls.fetch_add(1, Ordering::Relaxed);
                    let mailbox = &mailboxes[index];
                    *mailbox.waker.lock().unwrap() = Some(cx.waker().clone());
                    if mailbox.bumps.load(Ordering::Acquire) == share {
                        Poll::Ready(())
                    } else {
                        Poll::Pending
                    }
                }))
            })
            .collect();
        let wakers: Vec<_> = (0..THREADS)
            .map(|thread_index| {
                let mailboxes = Arc::clone(&mailboxes);
                thread::spawn(move || {
                    for wake in 0..WAKES_PER_THREAD {
                        let index =
                            ((thread_index * WAKES_PER_THREAD + wake) % TASKS as u64) as usize;
                        let mailbox = &mailboxes[index];
                        mailbox.bumps.fetch_add(1, Ordering::AcqRel);
                        if let Some(waker) = mailbox.waker.lock().unwrap().as_ref() {
                            waker.wake_by_ref();
                        }
                    }
                })
            })
            .collect();
        let all_done = async {
            for task in tasks {
                task.await.unwrap();
            }
        };
        let outcome = wait_for(all_done, Duration::from_secs(60)).await;
        for thread in wakers {
            thread.join().unwrap();
        }
        outcome
    });
    assert!(
        outcome.is_ok(),
        "a task was never polled after its last wake"
    );
    let polls = polls.load(Ordering::Relaxed);
    assert!(
        polls < TOTAL + TASKS as u64,
        "wakes that found their task already queued must not add polls: {polls}"
    );
}

#[test]
fn a_million_timers_are_inserted_cancelled_and_fired_through_the_executor() {
    // Virtual clock: 1,000 tasks each sleep 1,000 times to pseudo-random
    // deadlines, half of them cancelled by a shorter timeout.
    let executor = Executor::builder().virtual_clock().build();
    let (fired, cancelled) = executor.block_on(async {
        let tasks: Vec<_> = (0..1_000u64)
            .map(|task| {
                spawn(async move {
                    let mut state = task.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
                    let (mut fired, mut cancelled) = (0u32, 0u32);
                    for _ in 0..1_000 {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let nap = Duration::from_millis(1 + state % 1_000);
                        if state & 1 == 0 {
                            sleep(nap).await;
                            fired += 1;
                        } else {
                            let timeout = nap / 2;
                            let outcome = wait_for(sleep(nap), timeout).await;
                            assert!(outcome.is_err() || timeout.is_zero());
                            cancelled += 1;
                        }
                    }
                    (fired, cancelled)
                })
            })
            .collect();
        let mut totals = (0u32, 0u32);
        for task in tasks {
            let (fired, cancelled) = task.await.unwrap();
            totals.0 += fired;
            totals.1 += cancelled;
        }
        totals
    });
    assert_eq!(fired + cancelled, 1_000_000);
    assert!(
        fired > 400_000 && cancelled > 400_000,
        "{fired} / {cancelled}"
    );
}

#[test]
fn ten_thousand_blocking_jobs_with_panics_all_deliver() {
    // Every 7th job panics; each result or JoinError must reach its handle.
    // The panics' messages are silenced so the test output stays readable.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        if !info.to_string().contains("job failed on purpose") {
            eprintln!("{info}");
        }
    }));
    let executor = Executor::builder().max_blocking_threads(8).build();
    let (sum, panics) = executor.block_on(async {
        let handles: Vec<_> = (0..10_000u64)
            .map(|job| {
                waitfor::spawn_blocking(move || {
                    assert!(job % 7 != 0, "job failed on purpose");
                    job
                })
            })
            .collect();
        let (mut sum, mut panics) = (0u64, 0u64);
        for handle in handles {
            match handle.await {
                Ok(job) => sum += job,
                Err(error) => {
                    assert!(error.is_panic(), "{error}");
                    panics += 1;
                }
            }
        }
        (sum, panics)
    });
    std::panic::set_hook(default_hook);
    let expected_panics = (0..10_000u64).filter(|job| job % 7 == 0).count() as u64;
    let expected_sum: u64 = (0..10_000u64).filter(|job| job % 7 != 0).sum();
    assert_eq!(panics, expected_panics);
    assert_eq!(sum, expected_sum);
}
