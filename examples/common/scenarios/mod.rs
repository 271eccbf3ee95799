//! Every scenario, and the registry the tour, the examples and the tests
//! share.
//!
//! A scenario is a function `fn(&Env) -> Vec<Report>` running one or more
//! cases; each case is one `wait_for` on a fresh executor (see
//! [`Env::run_case`](super::Env::run_case)). The same function runs on the
//! real clock for the tour and the examples, and on the virtual clock, in no
//! time, for the tests. Each scenario `NAME` has its example,
//! `examples/NAME.rs`.

mod causes;
mod writeup;

pub use causes::{always_ready, blocking_db, cpu_bound, never_pending, to_thread};
pub use writeup::{already_done, async_task, blocking_task, problematic_async_task, yield_table};

use super::{Env, Report};

/// A scenario of the tour.
pub struct Scenario {
    /// Its name, the name of its example, and the tour's `--only` argument.
    pub name: &'static str,
    /// One line: what it shows.
    pub title: &'static str,
    /// Needs the real clock (it runs a real thread), so the virtual-clock
    /// runs skip it.
    pub real_only: bool,
    pub run: fn(&Env) -> Vec<Report>,
}

/// Every scenario, in the tour's order: the write-up's three programs, its
/// two remarks about `wait_for`, then the other causes and their fixes.
pub const ALL: &[Scenario] = &[
    Scenario {
        name: "blocking_task",
        title: "the write-up's first program: time.sleep(5) under a 1 s timeout",
        real_only: false,
        run: blocking_task,
    },
    Scenario {
        name: "async_task",
        title: "the write-up's second program: asyncio.sleep(3) under a 1 s timeout",
        real_only: false,
        run: async_task,
    },
    Scenario {
        name: "problematic_async_task",
        title: "the write-up's third program: an error after 0.5 s under a 1 s timeout",
        real_only: false,
        run: problematic_async_task,
    },
    Scenario {
        name: "yield_table",
        title: "block 500 ms under a 100 ms timeout, then yield 0, 1 or 2 times",
        real_only: false,
        run: yield_table,
    },
    Scenario {
        name: "already_done",
        title: "a future that is already done wins even against a zero timeout",
        real_only: false,
        run: already_done,
    },
    Scenario {
        name: "cpu_bound",
        title: "a CPU-bound loop, without and with yield_now()",
        real_only: false,
        run: cpu_bound,
    },
    Scenario {
        name: "never_pending",
        title: "a hand-written future that never returns Pending, and one that does",
        real_only: false,
        run: never_pending,
    },
    Scenario {
        name: "always_ready",
        title: "draining a source that is always ready, budget off and on",
        real_only: false,
        run: always_ready,
    },
    Scenario {
        name: "blocking_db",
        title: "a blocking database client next to an async one",
        real_only: false,
        run: blocking_db,
    },
    Scenario {
        name: "to_thread",
        title: "the fix: the blocking call on a thread (asyncio.to_thread)",
        real_only: true,
        run: to_thread,
    },
];

/// The scenario called `name`.
pub fn find(name: &str) -> Option<&'static Scenario> {
    ALL.iter().find(|scenario| scenario.name == name)
}
