//! The race CPython 3.12 decides the other way: the inner future and the
//! timeout come due in the same turn of the loop.
//!
//! `wait_for(sleep(50 ms), 100 ms)`, while a neighbour task blocks the loop
//! for 200 ms. Both deadlines pass during the block; when it ends, the
//! loop's timer step fires both timers at once and wakes the waiting task
//! once. Its poll runs the inner future first, finds the sleep done, and
//! `wait_for` returns `Ok("done")`, at 200 ms; with `sleep(150 ms)`, due
//! after the timeout but fired in the same step, too. tokio's `timeout`
//! answers the same. CPython 3.12 raises `TimeoutError`: its loop runs the
//! sleep's callback (which queues the task's wake-up) and then the
//! timeout's, which cancels the task before that wake-up runs, and the
//! finished sleep's result is dropped (`peers/python/same_turn.py`; the
//! README's peers table has every answer, run).
//!
//! ```text
//! cargo run --example same_turn               # real clock: a real 200 ms block
//! cargo run --example same_turn -- --virtual  # virtual clock: instant, exact
//! ```

use std::process::ExitCode;
use std::time::Duration;
use waitfor::{advance, now, sleep, spawn, wait_for, Executor};

const USAGE: &str = "usage: same_turn [--virtual]

  --virtual  run on the virtual clock: instant, and every instant exact
  --help     print this and exit";

fn main() -> ExitCode {
    let mut virtual_clock = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--virtual" => virtual_clock = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            unknown => {
                eprintln!("same_turn: unknown argument {unknown:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    // time.sleep(): on the virtual clock, time jumps while the poll holds the loop.
    let block = move |duration: Duration| {
        if virtual_clock {
            advance(duration);
        } else {
            std::thread::sleep(duration);
        }
    };

    println!("a neighbour task holds the loop for 200 ms, meanwhile:");
    for inner_ms in [50, 150] {
        let executor = if virtual_clock {
            Executor::builder().virtual_clock().build()
        } else {
            Executor::new()
        };
        executor.block_on(async move {
            let began = now();
            let _neighbour = spawn(async move { block(Duration::from_millis(200)) });
            let inner = async move {
                sleep(Duration::from_millis(inner_ms)).await;
                "done"
            };
            let result = wait_for(inner, Duration::from_millis(100)).await;
            let millis = (now() - began).as_secs_f64() * 1e3;
            match result {
                Ok(value) => println!(
                    "  wait_for(sleep({inner_ms} ms), 100 ms) -> Ok({value:?}) at {millis:.0} ms"
                ),
                Err(elapsed) => println!(
                    "  wait_for(sleep({inner_ms} ms), 100 ms) -> Err at {millis:.0} ms: {elapsed}"
                ),
            }
        });
    }
    println!("both timers fired in one step, and wait_for polled the inner future first;");
    println!("CPython 3.12 raises TimeoutError for both, dropping the first sleep's result");
    ExitCode::SUCCESS
}
