//! The tour's own machinery, apart from the lessons: the examples define
//! the lessons (`examples/NAME.rs`), and this module runs them on executors
//! it builds with diagnostics and a trace, measures them, and says what
//! happened.
//!
//! * [`case`]: what a case is, of either kind, and a scenario;
//! * [`scenarios`]: the registry, which case calls which example function;
//!   [`adapters`]: the calls that need more than one line;
//! * [`run`]: runs a case and measures it into a [`report::Report`];
//! * [`report`]: the outcome, the timer's fate, and the verdict;
//! * [`ticks`]: the other kind of case, an interval's ticks against tokio's schedule;
//! * [`show`] and [`live`]: how it is printed; [`files`]: the SVG and trace files;
//! * [`cli`]: the command line.
//!
//! The examples are included here, once, as modules of their own names.
//!
//! `tests/examples.rs` and `tests/examples_real.rs` include this module
//! too, and run the same cases on the virtual and the real clock; not every
//! part is used by every includer, hence the allowance.

#![allow(dead_code)]

// The lessons: the examples themselves, as modules. The tour runs their
// functions, not their `main`s.
#[path = "../already_done.rs"]
pub mod already_done;
#[path = "../always_ready.rs"]
pub mod always_ready;
#[path = "../async_task.rs"]
pub mod async_task;
#[path = "../blocking_db.rs"]
pub mod blocking_db;
#[path = "../blocking_http.rs"]
pub mod blocking_http;
#[path = "../blocking_task.rs"]
pub mod blocking_task;
#[path = "../cpu_bound.rs"]
pub mod cpu_bound;
#[path = "../host_loop.rs"]
pub mod host_loop;
#[path = "../interval_burst.rs"]
pub mod interval_burst;
#[path = "../never_pending.rs"]
pub mod never_pending;
#[path = "../problematic_async_task.rs"]
pub mod problematic_async_task;
#[path = "../same_turn.rs"]
pub mod same_turn;
#[path = "../to_thread.rs"]
pub mod to_thread;
#[path = "../yield_table.rs"]
pub mod yield_table;

pub mod adapters;
pub mod case;
pub mod cli;
pub mod files;
pub mod live;
pub mod report;
pub mod run;
pub mod scenarios;
pub mod show;
pub mod ticks;
