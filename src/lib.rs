//! waitfor: why a timeout fires late, shown from scratch.
//!
//! This crate re-exports the project's parts: the timer wheel
//! ([`timer`], crate `waitfor-timer`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use waitfor_timer as timer;
