//! An event loop managed by another framework: a GUI whose main loop draws
//! a frame every 250 ms and gives the executor a turn only between frames
//! (the write-up's last cause). In the executor, a task waits 100 ms for a
//! reply that takes 600 ms.
//!
//! Watch for: the timeout fires at the first turn after its deadline, 250 ms
//! in, 150 ms late: up to a frame late, though no task blocked anything.
//! Nothing inside the executor can help, since it runs only when the host
//! lets it. The fix is the host's: it asks the executor for its next
//! deadline (`Executor::next_deadline`), arms its own timer for it, and
//! gives a turn then, as qasync does for asyncio inside Qt. Then the timeout
//! fires on time. (A wake from another thread would need the same care:
//! `Builder::on_remote_wake` tells the host to post itself a turn.)
//!
//! `--virtual` runs it at once, with exact times. [`under_a_gui`] is `pub`
//! because the tour runs it too.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;
use waitfor::demo::{say, Clock};
use waitfor::{now, sleep, wait_for, Elapsed, Executor};

/// What this example shows: its `--help`, and its heading in the tour.
pub const ABOUT: &str = "a GUI's loop that runs the executor only between frames";

const FRAME: Duration = Duration::from_millis(250);
const TIMEOUT: Duration = Duration::from_millis(100);
const REPLY: Duration = Duration::from_millis(600);

/// The GUI's main loop, until `done`: a frame when one is due, then the
/// executor's turns until nothing is ready, then idle until the next frame,
/// or, if it `honours_deadlines`, until the executor's next timer if sooner.
fn main_loop(executor: &Executor, clock: Clock, honours_deadlines: bool, done: impl Fn() -> bool) {
    let start = executor.enter(now);
    let mut next_frame = start;
    loop {
        if executor.enter(now) >= next_frame {
            say(format_args!("frame at {:?}", next_frame - start));
            next_frame += FRAME;
        }
        while executor.turn() {}
        if done() {
            return;
        }
        let mut wake_at = next_frame;
        if honours_deadlines {
            wake_at = executor
                .next_deadline()
                .map_or(wake_at, |due| due.min(wake_at));
        }
        // The GUI waits for its next event: the thread is the GUI's.
        executor.enter(|| clock.block(wake_at.saturating_duration_since(now())));
    }
}

/// A task's 100 ms `wait_for` of a 600 ms reply, on `executor`, which the
/// GUI's loop runs.
pub fn under_a_gui(
    clock: Clock,
    executor: Executor,
    honours_deadlines: bool,
) -> Result<(), Elapsed> {
    let outcome = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&outcome);
    let _task = executor.spawn(async move {
        *slot.borrow_mut() = Some(wait_for(sleep(REPLY), TIMEOUT).await);
    });
    main_loop(&executor, clock, honours_deadlines, || {
        outcome.borrow().is_some()
    });
    outcome
        .take()
        .expect("the loop ran until wait_for returned")
}

fn main() {
    let clock = Clock::from_args(ABOUT);
    for (case, honours_deadlines) in [
        ("turns between frames", false),
        ("a turn at next_deadline()", true),
    ] {
        println!("{case}:");
        match under_a_gui(clock, clock.builder().build(), honours_deadlines) {
            Ok(()) => println!("  Ok"),
            Err(elapsed) => println!("  Err: {elapsed}"),
        }
    }
}
