//! waitfor's scenarios on its peers, tokio and CPython's asyncio, run, so
//! that what the README says they do is what they do.
//!
//! The README's "Peers, run" table has one row per case of every scenario
//! and a column per peer. This package runs each case on each peer it can
//! find and renders what came back, and when, in the table's words
//! ([`observation`]); its tests compare that with the table, cell for cell
//! ([`readme`]). A peer that is not installed is skipped with a message; a
//! cell that says something the peer does not do fails the test.
//!
//! * [`tokio`](mod@tokio): the counterparts on tokio's `current_thread`
//!   runtime, on its paused clock, with a blocking call simulated by moving
//!   the clock from inside a poll (the module's essay says how, and why the
//!   outcome is the real one).
//! * [`python`]: runs the programs in `peers/python/` (one per scenario
//!   CPython has a counterpart of; the write-up's three print exactly what
//!   the write-up's print) under `observe.py`, which times each
//!   `asyncio.wait_for` without changing what the program does.
//!
//! The package is a workspace member that nothing else depends on: the
//! tour and the examples never build tokio.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod observation;
pub mod python;
pub mod readme;
pub mod tokio;
