//! Dropping an executor with everything in flight: tasks (running, finished
//! and not joined, waiting on timers and channels), timers in the wheel,
//! items in channel buffers and in a blocked `send`, and blocking jobs both
//! running and queued.
//!
//! Every future and every value carries a `Tracked` token from one ledger,
//! and the test checks, at each stage, which tokens have been dropped: in the
//! end, each exactly once. The blocking jobs are held on a gate until after
//! the executor is gone; they then finish, wake a waker of the dropped
//! executor, and deliver results nobody will read (dropped) or that a
//! `JoinHandle` kept outside still collects. The pool's thread then exits:
//! it says so from a thread-local destructor, which runs at thread exit.
//!
//! `executor/tests/tasks.rs` (`dropping_the_executor_drops_every_task_once_…`)
//! covers tasks spawned by destructors during the drop; not repeated here.
//! Nor are a destructor that panics during the drop, and destructors that
//! spawn forever (both there too).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, Once};
use std::thread;
use std::time::Duration;
use waitfor::{channel, sleep, spawn, spawn_blocking, yield_now, Executor, JoinHandle};

const HOUR: Duration = Duration::from_secs(3_600);
const MS: Duration = Duration::from_millis(1);
const WAIT: Duration = Duration::from_secs(20);

/// Which tokens exist, by name, and how often each was dropped.
#[derive(Default)]
struct Ledger {
    drops: Mutex<BTreeMap<&'static str, u32>>,
}

impl Ledger {
    fn track(self: &Arc<Self>, name: &'static str) -> Tracked {
        let previous = self.drops.lock().unwrap().insert(name, 0);
        assert!(previous.is_none(), "token names are unique: {name}");
        Tracked {
            name,
            ledger: Arc::clone(self),
        }
    }

    fn drops(&self, name: &str) -> u32 {
        self.drops.lock().unwrap()[name]
    }

    /// The tokens dropped so far (each should be once).
    fn dropped(&self) -> Vec<&'static str> {
        let drops = self.drops.lock().unwrap();
        for (name, &count) in drops.iter() {
            assert!(count <= 1, "{name} was dropped {count} times");
        }
        drops
            .iter()
            .filter(|(_, &count)| count == 1)
            .map(|(&name, _)| name)
            .collect()
    }

    fn assert_all_dropped_once(&self) {
        let drops = self.drops.lock().unwrap();
        let wrong: Vec<_> = drops.iter().filter(|(_, &count)| count != 1).collect();
        assert!(wrong.is_empty(), "not dropped exactly once: {wrong:?}");
    }
}

/// A value whose drop is counted in its ledger.
struct Tracked {
    name: &'static str,
    ledger: Arc<Ledger>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        *self
            .ledger
            .drops
            .lock()
            .unwrap()
            .get_mut(self.name)
            .unwrap() += 1;
    }
}

impl std::fmt::Debug for Tracked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tracked({})", self.name)
    }
}

/// Panics on blocking-pool threads, which would otherwise go unnoticed
/// (the pool catches panics in jobs, but not in what it does around them).
static POOL_PANICS: AtomicUsize = AtomicUsize::new(0);

fn count_pool_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if thread::current().name() == Some("waitfor-blocking") {
                POOL_PANICS.fetch_add(1, Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

thread_local! {
    /// Set by a job on its pool thread; dropped (and so sent) when that
    /// thread exits.
    static ON_THREAD_EXIT: RefCell<Option<ExitSignal>> = const { RefCell::new(None) };
}

struct ExitSignal(mpsc::Sender<&'static str>);

impl Drop for ExitSignal {
    fn drop(&mut self) {
        let _ = self.0.send("the pool thread exited");
    }
}

/// What `block_on` hands back: handles and ends kept past the executor.
struct Kept {
    never_finishes: JoinHandle<Tracked>,
    finished_unjoined: JoinHandle<Tracked>,
    running_job: JoinHandle<Tracked>,
    buffered_receiver: channel::Receiver<Tracked>,
}

#[test]
fn dropping_the_executor_drops_every_future_and_value_exactly_once_and_the_pool_exits() {
    count_pool_panics();
    let ledger = Arc::new(Ledger::default());
    let t = |name| ledger.track(name);
    let (release, gate) = mpsc::channel::<()>();
    let (exit_signal, thread_exited) = mpsc::channel();
    let started = Arc::new(AtomicBool::new(false));

    // One pool thread, so the later jobs queue behind the first; a long
    // keep-alive, so the thread can only exit because the executor is gone.
    let executor = Executor::builder()
        .max_blocking_threads(1)
        .blocking_keep_alive(HOUR)
        .build();

    let kept = executor.block_on(async {
        // A detached task asleep on a timer an hour away.
        let future = t("future: sleeping, detached");
        drop(spawn(async move {
            let _future = future;
            sleep(HOUR).await;
        }));

        // A task that never finishes; its handle is kept past the executor.
        let (future, output) = (t("future: never finishes"), t("output: never produced"));
        let never_finishes = spawn(async move {
            let _future = future;
            sleep(HOUR).await;
            output
        });

        // A task that finished before the drop; nobody joined it yet.
        let (future, output) = (
            t("future: finished, unjoined"),
            t("output: finished, unjoined"),
        );
        let finished_unjoined = spawn(async move {
            let _future = future;
            output
        });

        // A finished task whose handle was dropped: its output goes with it.
        let (future, output) = (
            t("future: finished, detached"),
            t("output: finished, detached"),
        );
        drop(spawn(async move {
            let _future = future;
            output
        }));

        // An unbounded channel with items buffered, its receiver in a task
        // that sleeps first; the sender stays in another sleeping task.
        let (tx, rx) = channel::unbounded();
        for name in ["item: unbounded buffer 1", "item: unbounded buffer 2"] {
            tx.try_send(t(name)).unwrap();
        }
        let future = t("future: receiver, sleeping");
        drop(spawn(async move {
            let _future = future;
            sleep(HOUR).await;
            while let Some(item) = rx.recv().await {
                drop(item);
            }
        }));
        let future = t("future: holds a sender");
        drop(spawn(async move {
            let _future = future;
            let _tx = tx;
            sleep(HOUR).await;
        }));

        // A bounded channel, full, and a task blocked in `send` holding one
        // more item in its send future.
        let (tx, full_rx) = channel::bounded(1);
        tx.try_send(t("item: bounded buffer")).unwrap();
        let (future, item) = (t("future: blocked sender"), t("item: in a blocked send"));
        drop(spawn(async move {
            let _future = future;
            let _ = tx.send(item).await;
        }));
        let future = t("future: holds the full receiver");
        drop(spawn(async move {
            let _future = future;
            let _rx = full_rx;
            sleep(HOUR).await;
        }));

        // A channel whose receiver outlives the executor, items buffered.
        let (tx, buffered_receiver) = channel::unbounded();
        tx.try_send(t("item: outlives the executor")).unwrap();
        drop(tx);

        // Blocking jobs: one running (held on the gate), its handle kept;
        // then, queued behind it on the single thread, one detached and one
        // awaited by a task (so its completion wakes a dropped task's waker).
        let (captured, output) = (t("captured: running job"), t("output: running job"));
        let job_started = Arc::clone(&started);
        let running_job = spawn_blocking(move || {
            ON_THREAD_EXIT.with(|slot| *slot.borrow_mut() = Some(ExitSignal(exit_signal)));
            job_started.store(true, Ordering::SeqCst);
            let _ = gate.recv();
            drop(captured);
            output
        });
        let (captured, output) = (
            t("captured: queued job, detached"),
            t("output: queued job, detached"),
        );
        drop(spawn_blocking(move || {
            drop(captured);
            output
        }));
        let (captured, output) = (
            t("captured: queued job, awaited"),
            t("output: queued job, awaited"),
        );
        let awaited_job = spawn_blocking(move || {
            drop(captured);
            output
        });
        let future = t("future: awaits a queued job");
        drop(spawn(async move {
            let _future = future;
            let _ = awaited_job.await;
        }));

        // Let every task run once, and the first job start.
        while !started.load(Ordering::SeqCst) {
            sleep(MS).await;
        }
        yield_now().await;
        Kept {
            never_finishes,
            finished_unjoined,
            running_job,
            buffered_receiver,
        }
    });

    // block_on has returned: only the finished, detached task is gone.
    assert_eq!(
        ledger.dropped(),
        [
            "future: finished, detached",
            "future: finished, unjoined",
            "output: finished, detached"
        ],
        "a finished task's future is dropped when it finishes; the rest stay with the executor"
    );

    drop(executor);

    // Every task's future is dropped, with what it held; items still in a
    // channel go with the channel's last end. What the pool still runs or
    // queues, and what the kept handles and receiver hold, stays.
    let alive_after_drop = [
        "captured: queued job, awaited",
        "captured: queued job, detached",
        "captured: running job",
        "item: outlives the executor",
        "output: finished, unjoined",
        "output: queued job, awaited",
        "output: queued job, detached",
        "output: running job",
    ];
    let still_alive: Vec<_> = ledger
        .drops
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, &count)| count == 0)
        .map(|(&name, _)| name)
        .collect();
    assert_eq!(still_alive, alive_after_drop);

    // Handles kept past the executor report what happened.
    let other = Executor::new();
    assert!(other
        .block_on(kept.never_finishes)
        .unwrap_err()
        .is_cancelled());
    let output = other.block_on(kept.finished_unjoined).unwrap();
    assert_eq!(output.name, "output: finished, unjoined");
    drop(output);
    assert_eq!(ledger.drops("output: finished, unjoined"), 1);
    let item = kept.buffered_receiver.try_recv().unwrap();
    drop(item);
    drop(kept.buffered_receiver);

    // Release the running job: it and the two queued behind it finish after
    // their executor is gone, wake a waker of the dropped executor, and the
    // thread, no longer fed, exits.
    release.send(()).unwrap();
    assert_eq!(
        thread_exited.recv_timeout(WAIT),
        Ok("the pool thread exited"),
        "the pool thread exits once the executor is gone and the jobs are done"
    );
    assert_eq!(
        POOL_PANICS.load(Ordering::SeqCst),
        0,
        "no pool thread panicked"
    );

    // Results nobody can read were dropped; the kept handle still has its.
    for name in [
        "captured: running job",
        "captured: queued job, detached",
        "output: queued job, detached",
        "captured: queued job, awaited",
        "output: queued job, awaited",
    ] {
        assert_eq!(ledger.drops(name), 1, "{name}");
    }
    assert_eq!(
        ledger.drops("output: running job"),
        0,
        "held for the kept handle"
    );
    let output = other.block_on(kept.running_job).unwrap();
    assert_eq!(output.name, "output: running job");
    drop(output);

    ledger.assert_all_dropped_once();
}

#[test]
#[allow(clippy::async_yields_async)] // the JoinHandle is taken out on purpose
fn a_blocking_job_finishing_after_the_drop_with_its_handle_dropped_too_drops_its_result() {
    count_pool_panics();
    let ledger = Arc::new(Ledger::default());
    let (release, gate) = mpsc::channel::<()>();
    let (exit_signal, thread_exited) = mpsc::channel();
    let (captured, output) = (ledger.track("captured"), ledger.track("output"));
    let executor = Executor::builder().blocking_keep_alive(HOUR).build();
    let handle = executor.block_on(async {
        spawn_blocking(move || {
            ON_THREAD_EXIT.with(|slot| *slot.borrow_mut() = Some(ExitSignal(exit_signal)));
            let _ = gate.recv();
            drop(captured);
            output
        })
    });
    drop(executor);
    drop(handle);
    assert!(ledger.dropped().is_empty(), "the job is still running");
    release.send(()).unwrap();
    assert_eq!(
        thread_exited.recv_timeout(WAIT),
        Ok("the pool thread exited")
    );
    assert_eq!(
        POOL_PANICS.load(Ordering::SeqCst),
        0,
        "no pool thread panicked"
    );
    ledger.assert_all_dropped_once();
}

#[test]
#[allow(clippy::async_yields_async)] // the JoinHandle is taken out on purpose
fn an_executor_dropped_inside_another_cancels_its_timers_in_its_own_wheel() {
    // Both wheels are new, so the inner task's timer and the outer sleep get
    // the same key. Dropping the inner executor inside the outer one must
    // cancel the inner timer in the inner wheel, not the outer sleep.
    let ledger = Arc::new(Ledger::default());
    let future = ledger.track("inner task's future");
    let inner = Executor::builder().virtual_clock().build();
    let handle = inner.block_on(async move {
        let handle = spawn(async move {
            let _future = future;
            sleep(HOUR).await;
        });
        yield_now().await; // the task has filed its timer
        handle
    });
    let outer = Executor::builder().virtual_clock().build();
    let outcome = outer.block_on(async move {
        let start = waitfor::now();
        let mut nap = Box::pin(sleep(Duration::from_secs(2)));
        assert!(
            poll_once(&mut nap).await.is_pending(),
            "filed in the outer wheel"
        );
        drop(inner);
        drop(handle);
        let outcome = waitfor::wait_for(nap, Duration::from_secs(3)).await;
        (outcome, waitfor::now() - start)
    });
    assert_eq!(outcome, (Ok(()), Duration::from_secs(2)));
    ledger.assert_all_dropped_once();
}

async fn poll_once<F: std::future::Future + Unpin>(future: &mut F) -> std::task::Poll<F::Output> {
    std::future::poll_fn(|cx| std::task::Poll::Ready(std::pin::Pin::new(&mut *future).poll(cx)))
        .await
}
