//! `spawn_blocking`: the fix for a blocking call, `asyncio.to_thread` in Rust.
//!
//! A blocking call inside a task holds the loop; the same call on another
//! thread does not. This pool runs closures on threads fed through a
//! `crossbeam-channel`: it starts a thread when a job arrives and none is
//! idle (up to a maximum; beyond it jobs queue), and a thread that has been
//! idle for the keep-alive time exits.
//!
//! The result comes back through a [`BlockingResult`] shared with the job's
//! `JoinHandle`, whose waker is woken from the pool thread. The loop is
//! nudged too, even when nobody awaits the result, so that a virtual clock,
//! which does not jump ahead while blocking jobs are running, looks again.
//!
//! A thread cannot be interrupted: `wait_for(spawn_blocking(f), d)` times out
//! on time, but `f` runs on to the end, exactly like a thread behind
//! `asyncio.to_thread`. Its result is then dropped.

use crate::config::PoolConfig;
use crate::ids::TaskId;
use crate::io::RemoteSender;
use crate::join_error::JoinError;
use crate::observer::Tracer;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use parking_lot::Mutex;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::thread;

type Job = Box<dyn FnOnce() + Send>;

pub(crate) struct BlockingPool {
    jobs: Sender<Job>,
    tracer: Option<Arc<dyn Tracer>>,
    submitted: AtomicU64,
    shared: Arc<PoolShared>,
    /// Jobs submitted and not yet finished (the virtual clock waits for them).
    in_flight: Arc<AtomicUsize>,
}

struct PoolShared {
    jobs: Receiver<Job>,
    config: PoolConfig,
    counts: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    threads: usize,
    idle: usize,
    queued: usize,
}

impl BlockingPool {
    pub(crate) fn new(config: PoolConfig, tracer: Option<Arc<dyn Tracer>>) -> Self {
        let (sender, receiver) = crossbeam_channel::unbounded();
        BlockingPool {
            jobs: sender,
            tracer,
            submitted: AtomicU64::new(0),
            shared: Arc::new(PoolShared {
                jobs: receiver,
                config,
                counts: Mutex::new(Counts::default()),
            }),
            in_flight: Arc::new(AtomicUsize::new(0)),
        }
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Runs `f` on a pool thread; `loop_waker` is nudged when it ends.
    pub(crate) fn spawn<T, F>(&self, f: F, loop_waker: RemoteSender) -> Arc<BlockingResult<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let result = Arc::new(BlockingResult::new());
        let delivery = Arc::clone(&result);
        let in_flight = Arc::clone(&self.in_flight);
        in_flight.fetch_add(1, Ordering::AcqRel);
        let number = self.submitted.fetch_add(1, Ordering::Relaxed);
        let tracer = self.tracer.clone();
        let job: Job = Box::new(move || {
            if let Some(tracer) = &tracer {
                tracer.job_started(number);
            }
            let outcome = catch_unwind(AssertUnwindSafe(f)).map_err(JoinError::blocking_panicked);
            if let Some(tracer) = &tracer {
                tracer.job_ended(number);
            }
            delivery.complete(outcome);
            in_flight.fetch_sub(1, Ordering::AcqRel);
            let _ = loop_waker.send(TaskId::NUDGE);
        });

        let mut counts = self.shared.counts.lock();
        counts.queued += 1;
        if counts.idle < counts.queued && counts.threads < self.shared.config.max_threads {
            counts.threads += 1;
            let shared = Arc::clone(&self.shared);
            thread::Builder::new()
                .name("waitfor-blocking".into())
                .spawn(move || shared.work())
                .expect("failed to start a blocking-pool thread");
        }
        drop(counts);
        // The receiving end lives as long as `self.shared`, which we hold.
        self.jobs.send(job).expect("blocking pool's channel closed");
        result
    }
}

impl PoolShared {
    /// A pool thread: run jobs until idle for `keep_alive`, or until the
    /// executor is dropped (the channel disconnects).
    fn work(&self) {
        loop {
            self.counts.lock().idle += 1;
            match self.jobs.recv_timeout(self.config.keep_alive) {
                Ok(job) => {
                    {
                        let mut counts = self.counts.lock();
                        counts.idle -= 1;
                        counts.queued -= 1;
                    }
                    job();
                }
                Err(RecvTimeoutError::Timeout) => {
                    let mut counts = self.counts.lock();
                    counts.idle -= 1;
                    // A job queued as we timed out was counted on us: stay for it.
                    if counts.queued == 0 {
                        counts.threads -= 1;
                        return;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => {
                    let mut counts = self.counts.lock();
                    counts.idle -= 1;
                    counts.threads -= 1;
                    return;
                }
            }
        }
    }
}

/// Where a blocking job leaves its result for its `JoinHandle`.
pub(crate) struct BlockingResult<T> {
    state: Mutex<BlockingState<T>>,
}

struct BlockingState<T> {
    outcome: Option<Result<T, JoinError>>,
    waker: Option<Waker>,
    aborted: bool,
    taken: bool,
}

impl<T> BlockingResult<T> {
    fn new() -> Self {
        BlockingResult {
            state: Mutex::new(BlockingState {
                outcome: None,
                waker: None,
                aborted: false,
                taken: false,
            }),
        }
    }

    fn complete(&self, outcome: Result<T, JoinError>) {
        let mut state = self.state.lock();
        if !state.aborted {
            state.outcome = Some(outcome);
        }
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    pub(crate) fn abort(&self) {
        let mut state = self.state.lock();
        if state.outcome.is_none() && !state.taken {
            state.aborted = true;
        }
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Whether `poll_join` would be ready: the job ended, or was aborted.
    pub(crate) fn is_finished(&self) -> bool {
        let state = self.state.lock();
        state.outcome.is_some() || state.aborted || state.taken
    }

    pub(crate) fn poll_join(&self, cx: &mut Context<'_>) -> Poll<Result<T, JoinError>> {
        let mut state = self.state.lock();
        assert!(
            !state.taken,
            "JoinHandle polled again after it returned its result"
        );
        let ready = match state.outcome.take() {
            Some(outcome) => outcome,
            None if state.aborted => Err(JoinError::blocking_cancelled()),
            None => {
                state.waker = Some(cx.waker().clone());
                return Poll::Pending;
            }
        };
        state.taken = true;
        Poll::Ready(ready)
    }
}
