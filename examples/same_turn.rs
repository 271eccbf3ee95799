//! The race CPython 3.12 decides the other way: the inner future and the
//! timeout come due in the same turn of the loop.
//!
//! `wait_for(sleep(50 ms), 100 ms)`, while a neighbour task blocks the loop
//! for 200 ms. Both deadlines pass during the block; when it ends, the
//! loop's timer step fires both timers at once and wakes the waiting task
//! once. Its poll runs the inner future first, finds the sleep done, and
//! `wait_for` returns `Ok("done")`, at 200 ms. tokio's `timeout` answers the
//! same. CPython 3.12 raises `TimeoutError`: its loop runs the sleep's
//! callback (which queues the task's wake-up) and then the timeout's, which
//! cancels the task before that wake-up runs, and the finished sleep's
//! result is dropped (`peers/python/same_turn.py`; the README's peers table
//! has every answer, run).
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
    let executor = if virtual_clock {
        Executor::builder().virtual_clock().build()
    } else {
        Executor::new()
    };
    // time.sleep(): on the virtual clock, time jumps while the poll holds the loop.
    let block = move |duration: Duration| {
        if virtual_clock {
            advance(duration);
        } else {
            std::thread::sleep(duration);
        }
    };

    executor.block_on(async move {
        let began = now();
        let _neighbour = spawn(async move { block(Duration::from_millis(200)) });
        let inner = async {
            sleep(Duration::from_millis(50)).await;
            "done"
        };
        println!("wait_for(sleep(50 ms), 100 ms); a neighbour blocks the loop for 200 ms");
        let result = wait_for(inner, Duration::from_millis(100)).await;
        let millis = (now() - began).as_secs_f64() * 1e3;
        match result {
            Ok(value) => println!(
                "Ok({value:?}) at {millis:.0} ms: both timers fired in one step, \
                 and wait_for polled the inner future first"
            ),
            Err(elapsed) => println!("Err at {millis:.0} ms: {elapsed}"),
        }
    });
    println!("CPython 3.12 raises TimeoutError here, and drops the result");
    ExitCode::SUCCESS
}
