//! The executor's timer path in virtual time: a few tasks, decoded from the
//! input, each running a sequence of `sleep`, `sleep_until`, `wait_for`,
//! `Sleep::reset`, `advance`, `yield_now`, sleeps dropped before they
//! fire, and sleeps dropped or reset after they fired but before a poll saw
//! it, on a virtual clock with a tick picked by the input.
//!
//! The oracle is deliberately simple, and sound whatever the interleaving:
//!
//! * The clock never goes backwards (checked after every step of every task).
//! * A sleep never completes before its deadline (after a reset: its new
//!   deadline); a `wait_for` that returns
//!   `Ok` never before its inner sleep's deadline.
//! * An `Elapsed` names the deadline `start + timeout`, never fired before it
//!   (`fired_at >= deadline`), and `lateness() == fired_at - deadline`.
//! * Inner first: if the inner sleep's deadline rounds to a tick at or
//!   before the timeout's, the `wait_for` is `Ok` (both timers are in the
//!   wheel, and the inner one fires in the same timer step or earlier).
//! * When no task called `advance` between the start of a sleep or timeout
//!   and its end, the loop only ever jumped the clock to the next timer, so
//!   the timer fired exactly at its deadline's tick: the sleep completes at
//!   `max(start, tick instant)`, an `Elapsed` has `fired_at` equal to it
//!   (lateness below one tick, zero for tick-aligned deadlines), and an
//!   inner sleep on a later tick than the timeout loses (`Err`).
//! * Every task finishes (under an outer timeout far beyond every sleep),
//!   and dropping the executor afterwards (with detached sleepers still in
//!   the wheel) drops every task.
//!
//! Run: `cargo +nightly fuzz run executor_timers` (from the repository root).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use std::cell::Cell;
use std::future::{pending, poll_fn, Future};
use std::pin::Pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};
use waitfor::{advance, now, sleep, sleep_until, spawn, wait_for, yield_now, Executor};

const MAX_TASKS: usize = 4;
const MAX_STEPS: usize = 24;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Tick {
    Nano,
    Micro,
    Milli,
    Odd(u16), // 1..=65536 microseconds: deadlines rarely land on a boundary
    Second,
}

impl Tick {
    fn duration(self) -> Duration {
        match self {
            Tick::Nano => Duration::from_nanos(1),
            Tick::Micro => Duration::from_micros(1),
            Tick::Milli => Duration::from_millis(1),
            Tick::Odd(n) => Duration::from_micros(u64::from(n) + 1),
            Tick::Second => Duration::from_secs(1),
        }
    }
}

/// A duration; at most about 194 days, so that a task's steps add up to far
/// less than the outer timeout (and than the 584 years a 1 ns tick spans).
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Dur {
    Zero,
    Nanos(u16),
    Micros(u16),
    Millis(u16),
    Secs(u16),
    Days(u8), // 0 to 194 days
}

impl Dur {
    fn duration(self) -> Duration {
        match self {
            Dur::Zero => Duration::ZERO,
            Dur::Nanos(n) => Duration::from_nanos(u64::from(n)),
            Dur::Micros(n) => Duration::from_micros(u64::from(n)),
            Dur::Millis(n) => Duration::from_millis(u64::from(n)),
            Dur::Secs(n) => Duration::from_secs(u64::from(n)),
            Dur::Days(n) => Duration::from_secs(u64::from(n % 195) * 86_400),
        }
    }
}

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Step {
    Sleep(Dur),
    /// `sleep_until(now - back)`: a deadline in the past.
    SleepUntilPast(Dur),
    /// `wait_for(sleep(inner), timeout)`.
    WaitForSleep {
        inner: Dur,
        timeout: Dur,
    },
    /// `wait_for(pending(), timeout)`: always `Err`.
    WaitForPending(Dur),
    /// Files `sleep(first)`, then resets it to `now + to` (`now - to` when
    /// `past`) and awaits it.
    ResetSleep {
        first: Dur,
        to: Dur,
        past: bool,
    },
    /// A blocking call: moves the virtual clock without yielding.
    Advance(Dur),
    Yield,
    /// Polls a sleep once (filing its timer), then drops it.
    DropSleep(Dur),
    /// Polls a `wait_for(sleep(inner), timeout)` once, then drops it.
    DropWaitFor {
        inner: Dur,
        timeout: Dur,
    },
    /// Polls a sleep once, awaits another of the same length (so the first
    /// has fired), then drops the first without polling it again: its fired
    /// entry, with its fire instant, must be freed.
    DropFiredSleep(Dur),
    /// As `DropFiredSleep`, but resets the fired sleep to `now + to` and
    /// awaits it instead.
    ResetFiredSleep { first: Dur, to: Dur },
}

#[derive(Arbitrary, Debug)]
struct Input {
    tick: Tick,
    tasks: Vec<Vec<Step>>,
    /// Detached tasks that sleep this long, possibly still in the wheel when
    /// the executor is dropped.
    detached: Vec<Dur>,
}

/// What every task shares: the executor's origin and tick, how many
/// `advance` calls have happened, and the latest clock reading seen.
struct Shared {
    origin: Instant,
    tick: Duration,
    advances: Cell<u64>,
    latest: Cell<Instant>,
    drops: Cell<usize>,
}

impl Shared {
    /// Reads the clock, checking that it never goes backwards.
    fn now(&self) -> Instant {
        let now = now();
        assert!(now >= self.latest.get(), "the virtual clock went backwards");
        self.latest.set(now);
        now
    }

    /// The instant of the first tick boundary at or after `deadline`: when
    /// the wheel fires it if nothing holds the loop.
    fn tick_instant(&self, deadline: Instant) -> Instant {
        let nanos = deadline.saturating_duration_since(self.origin).as_nanos();
        let ticks = nanos.div_ceil(self.tick.as_nanos());
        let nanos = ticks * self.tick.as_nanos();
        self.origin
            + Duration::new(
                u64::try_from(nanos / 1_000_000_000).unwrap(),
                (nanos % 1_000_000_000) as u32,
            )
    }

    /// When a timer filed at `start` for `deadline` fires if the loop is
    /// never held: at its tick, or at once if that tick is already behind.
    fn expected_fire(&self, start: Instant, deadline: Instant) -> Instant {
        self.tick_instant(deadline).max(start)
    }
}

/// Counts a drop into `Shared::drops`.
struct DropGuard(Rc<Shared>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.drops.set(self.0.drops.get() + 1);
    }
}

async fn poll_once<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
    poll_fn(|cx| Poll::Ready(Pin::new(&mut *future).poll(cx))).await
}

async fn run_step(shared: &Shared, step: Step) {
    let start = shared.now();
    let advances = shared.advances.get();
    let quiet = || shared.advances.get() == advances;
    match step {
        Step::Sleep(d) => {
            let d = d.duration();
            let deadline = start + d;
            sleep(d).await;
            let end = shared.now();
            assert!(end >= deadline, "a sleep of {d:?} completed early");
            if quiet() {
                assert_eq!(end, shared.expected_fire(start, deadline), "sleep {d:?}");
            }
        }
        Step::SleepUntilPast(back) => {
            let deadline = start.checked_sub(back.duration()).unwrap_or(start);
            sleep_until(deadline).await;
            let end = shared.now();
            if quiet() {
                // Due at the timer step of the turn that filed it.
                assert_eq!(end, shared.expected_fire(start, deadline));
            }
        }
        Step::WaitForSleep { inner, timeout } => {
            let (inner, timeout) = (inner.duration(), timeout.duration());
            let (inner_deadline, timeout_deadline) = (start + inner, start + timeout);
            let inner_first =
                shared.tick_instant(inner_deadline) <= shared.tick_instant(timeout_deadline);
            let outcome = wait_for(sleep(inner), timeout).await;
            let end = shared.now();
            match outcome {
                Ok(()) => {
                    assert!(end >= inner_deadline, "the inner sleep completed early");
                    if quiet() {
                        assert!(inner_first, "the inner sleep beat an earlier timeout");
                        assert_eq!(end, shared.expected_fire(start, inner_deadline));
                    }
                }
                Err(elapsed) => {
                    assert!(
                        !inner_first,
                        "Err although the inner sleep ({inner:?}) is due no later than the \
                         timeout ({timeout:?}): the inner future is polled first"
                    );
                    check_elapsed(shared, &elapsed, start, timeout_deadline, end);
                    if quiet() {
                        assert_eq!(
                            elapsed.fired_at(),
                            shared.expected_fire(start, timeout_deadline)
                        );
                        assert_eq!(end, elapsed.fired_at());
                    }
                }
            }
        }
        Step::WaitForPending(timeout) => {
            let deadline = start + timeout.duration();
            let elapsed = wait_for(pending::<()>(), timeout.duration())
                .await
                .expect_err("a pending future cannot win");
            let end = shared.now();
            check_elapsed(shared, &elapsed, start, deadline, end);
            if quiet() {
                assert_eq!(elapsed.fired_at(), shared.expected_fire(start, deadline));
                assert_eq!(end, elapsed.fired_at());
                if shared.tick_instant(deadline) == deadline && deadline >= start {
                    assert_eq!(elapsed.lateness(), Duration::ZERO);
                }
            }
        }
        Step::ResetSleep { first, to, past } => {
            let mut nap = sleep(first.duration());
            let _ = poll_once(&mut nap).await;
            let deadline = if past {
                start.checked_sub(to.duration()).unwrap_or(start)
            } else {
                start + to.duration()
            };
            nap.reset(deadline);
            nap.await;
            let end = shared.now();
            assert!(end >= deadline, "a reset sleep completed before its new deadline");
            if quiet() {
                assert_eq!(end, shared.expected_fire(start, deadline), "reset to {deadline:?}");
            }
        }
        Step::Advance(d) => {
            shared.advances.set(shared.advances.get() + 1);
            advance(d.duration());
            assert_eq!(
                shared.now(),
                start + d.duration(),
                "advance moves by exactly d"
            );
        }
        Step::Yield => {
            yield_now().await;
            let end = shared.now();
            if quiet() {
                assert_eq!(
                    end, start,
                    "a yield does not move the clock while the task is ready"
                );
            }
        }
        Step::DropSleep(d) => {
            let mut nap = sleep(d.duration());
            let _ = poll_once(&mut nap).await;
            drop(nap);
        }
        Step::DropWaitFor { inner, timeout } => {
            let mut timed = Box::pin(wait_for(sleep(inner.duration()), timeout.duration()));
            let _ = poll_once(&mut timed).await;
            drop(timed);
        }
        Step::DropFiredSleep(d) => {
            let mut nap = sleep(d.duration());
            let _ = poll_once(&mut nap).await;
            sleep(d.duration()).await;
            drop(nap);
        }
        Step::ResetFiredSleep { first, to } => {
            let mut nap = sleep(first.duration());
            let _ = poll_once(&mut nap).await;
            sleep(first.duration()).await;
            let reset_at = shared.now();
            let deadline = reset_at + to.duration();
            let advances = shared.advances.get();
            nap.reset(deadline);
            nap.await;
            let end = shared.now();
            assert!(end >= deadline, "a fired sleep reset completed before its new deadline");
            if shared.advances.get() == advances {
                assert_eq!(end, shared.expected_fire(reset_at, deadline), "reset after firing");
            }
        }
    }
    shared.now();
}

fn check_elapsed(
    shared: &Shared,
    elapsed: &waitfor::Elapsed,
    start: Instant,
    deadline: Instant,
    end: Instant,
) {
    assert_eq!(
        elapsed.deadline(),
        deadline,
        "Elapsed names the wait_for's deadline"
    );
    assert!(
        elapsed.fired_at() >= deadline,
        "the timeout fired early: {:?} before its deadline",
        deadline - elapsed.fired_at()
    );
    assert!(elapsed.fired_at() >= start);
    assert!(end >= elapsed.fired_at());
    assert_eq!(elapsed.lateness(), elapsed.fired_at() - deadline);
    let _ = shared;
}

fn run(input: Input) {
    let tick = input.tick.duration();
    let executor = Executor::builder().tick(tick).virtual_clock().build();
    let tasks: Vec<Vec<Step>> = input
        .tasks
        .into_iter()
        .take(MAX_TASKS)
        .map(|mut steps| {
            steps.truncate(MAX_STEPS);
            steps
        })
        .collect();
    let spawned = tasks.len() + input.detached.len().min(MAX_TASKS);
    let shared_out = executor.block_on(async move {
        let origin = now(); // the virtual clock has not moved: tick 0
        let shared = Rc::new(Shared {
            origin,
            tick,
            advances: Cell::new(0),
            latest: Cell::new(origin),
            drops: Cell::new(0),
        });
        for &nap in input.detached.iter().take(MAX_TASKS) {
            let guard = DropGuard(Rc::clone(&shared));
            drop(spawn(async move {
                let _guard = guard;
                sleep(nap.duration() * 4).await;
            }));
        }
        let handles: Vec<_> = tasks
            .into_iter()
            .map(|steps| {
                let shared = Rc::clone(&shared);
                spawn(async move {
                    let _guard = DropGuard(Rc::clone(&shared));
                    for step in steps {
                        run_step(&shared, step).await;
                    }
                })
            })
            .collect();
        let all = async {
            for handle in handles {
                handle.await.expect("a task failed");
            }
        };
        // Far beyond every task's total (24 steps of at most 195 days each,
        // plus as many advances), and within a 1 ns tick's 584 years.
        wait_for(all, Duration::from_secs(100 * 365 * 86_400))
            .await
            .expect("every task finishes");
        shared.now();
        shared
    });
    drop(executor);
    assert_eq!(
        shared_out.drops.get(),
        spawned,
        "every task, finished or not, is dropped exactly once"
    );
    assert_eq!(
        Rc::strong_count(&shared_out),
        1,
        "no task outlives the executor"
    );
}

fuzz_target!(|input: Input| run(input));
