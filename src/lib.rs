//! waitfor: why a timeout fires late, shown from scratch.
//!
//! The executor's API is re-exported here (`waitfor::Executor`,
//! `waitfor::wait_for`, `waitfor::sleep`, ...); the timer wheel is
//! [`timer`] (crate `waitfor-timer`), and the trace's renderers (ASCII,
//! SVG, Perfetto JSON) are [`timeline`] (crate `waitfor-timeline`). Start
//! with the executor's docs: they explain the loop, and follow a timeout
//! from `wait_for` to the wheel and back.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod demo;
pub mod loopback;

pub use waitfor_executor::*;
pub use waitfor_timeline as timeline;
pub use waitfor_timer as timer;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
