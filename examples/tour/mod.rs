//! The tour's own machinery, apart from the lessons: the examples define
//! the lessons (`examples/NAME.rs`), and this module runs them on executors
//! it builds with diagnostics and a trace, measures them, and says what
//! happened.
//!
//! * [`scenarios`]: the registry, which case calls which example function;
//! * [`run`]: runs a case and measures it into a [`report::Report`];
//! * [`report`]: the outcome, the timer's fate, and the verdict;
//! * [`show`] and [`live`]: how it is printed; [`files`]: the SVG and trace files;
//! * [`cli`]: the command line.
//!
//! `tests/examples.rs` includes this module too, and runs the same cases on
//! the virtual clock; not every part is used by both, hence the allowance.

#![allow(dead_code)]

pub mod cli;
pub mod files;
pub mod live;
pub mod report;
pub mod run;
pub mod scenarios;
pub mod show;
