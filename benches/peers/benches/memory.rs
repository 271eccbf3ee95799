//! Memory per timer: `size_of` of each system's sleep and timeout futures,
//! and the bytes one pending timer costs in all, measured with a counting
//! global allocator.
//!
//! For each system, 100 000 timers due in an hour are boxed, polled once
//! (so each is filed with its runtime), and kept pending; the live heap
//! bytes that adds, divided by the number of timers, is the cost of one
//! pending timer: the boxed future itself plus whatever the runtime
//! allocates to file it (waitfor's wheel slab, async-io's `BTreeMap` entry;
//! tokio's timer entry lives inside the `Sleep`). Growth slack of the
//! runtimes' vectors is included, as it would be in a real program.
//!
//! Why: a timer wheel's pitch includes "small timers"; this checks it
//! against what the peers pay. Not a timing benchmark: it prints a table and
//! writes `<target dir>/peer-benches/memory.json` for
//! `scripts/bench_report.py`.
//!
//! Run: `cargo bench -p waitfor-peer-benches --bench memory`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::{poll_fn, Future, Ready};
use std::mem::size_of;
use std::pin::Pin;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::task::Poll;
use std::time::Duration;
use waitfor_peer_benches::target_dir;

/// The system allocator, keeping count of the live bytes requested.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const TIMERS: usize = 100_000;
const HOUR: Duration = Duration::from_secs(3600);

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Boxes `TIMERS` timers, polls each once, and returns the heap bytes per
/// timer that added (the `Vec` holding the boxes is allocated beforehand and
/// not counted). Must run inside the timers' runtime.
fn pending_bytes<S: Future>(make: impl Fn() -> S) -> impl Future<Output = f64> {
    poll_fn(move |cx| {
        let mut timers: Vec<Pin<Box<S>>> = Vec::with_capacity(TIMERS);
        let before = live();
        for _ in 0..TIMERS {
            let mut timer = Box::pin(make());
            assert!(timer.as_mut().poll(cx).is_pending());
            timers.push(timer);
        }
        let bytes = (live() - before) as f64 / TIMERS as f64;
        drop(timers);
        Poll::Ready(bytes)
    })
}

struct Row {
    system: &'static str,
    sleep: usize,
    timeout: Option<usize>,
    per_timer: f64,
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is accepted and ignored.
    let executor = waitfor::Executor::new();
    let waitfor_bytes = executor.block_on(pending_bytes(|| waitfor::sleep(HOUR)));
    drop(executor);

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let tokio_bytes = rt.block_on(pending_bytes(|| tokio::time::sleep(HOUR)));
    drop(rt);

    let async_io_bytes = async_io::block_on(pending_bytes(|| async_io::Timer::after(HOUR)));

    // The wheel alone, in the executor's shape: an 8-byte alarm per timer,
    // the fire instant as the stamp.
    let wheel_bytes = {
        let mut wheel: waitfor::timer::Wheel<u64, std::time::Instant> = Default::default();
        let before = live();
        for i in 0..TIMERS as u64 {
            wheel.insert(3_600_000 + i, i);
        }
        (live() - before) as f64 / TIMERS as f64
    };

    let rows = [
        Row {
            system: "waitfor",
            sleep: size_of::<waitfor::Sleep>(),
            timeout: Some(size_of::<waitfor::WaitFor<Ready<()>>>()),
            per_timer: waitfor_bytes,
        },
        Row {
            system: "waitfor-wheel",
            sleep: 0,
            timeout: None,
            per_timer: wheel_bytes,
        },
        Row {
            system: "tokio",
            sleep: size_of::<tokio::time::Sleep>(),
            timeout: Some(size_of::<tokio::time::Timeout<Ready<()>>>()),
            per_timer: tokio_bytes,
        },
        Row {
            system: "async-io",
            sleep: size_of::<async_io::Timer>(),
            timeout: None,
            per_timer: async_io_bytes,
        },
    ];

    println!("memory per timer ({TIMERS} pending, due in an hour)");
    println!(
        "{:<14} {:>12} {:>26} {:>22}",
        "system", "size_of sleep", "size_of timeout(Ready<()>)", "bytes per pending timer"
    );
    let mut json = String::from("[\n");
    for (i, row) in rows.iter().enumerate() {
        let timeout = row.timeout.map_or("-".to_string(), |t| t.to_string());
        println!(
            "{:<14} {:>12} {:>26} {:>22.1}",
            row.system, row.sleep, timeout, row.per_timer
        );
        json.push_str(&format!(
            "  {{\"system\": \"{}\", \"size_of_sleep\": {}, \"size_of_timeout\": {}, \"bytes_per_pending_timer\": {:.1}}}{}\n",
            row.system,
            row.sleep,
            row.timeout.map_or("null".to_string(), |t| t.to_string()),
            row.per_timer,
            if i + 1 < rows.len() { "," } else { "" }
        ));
    }
    json.push_str("]\n");
    let dir = target_dir().join("peer-benches");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("memory.json"), json).unwrap();
    println!("written to {}", dir.join("memory.json").display());
}
