//! waitfor's trace, rendered: an ASCII timeline for a terminal, an SVG page,
//! and Chrome Trace Event JSON for Perfetto and chrome://tracing.
//!
//! The executor records what its loop did ([`waitfor_executor::trace`]: polls,
//! timers filed, fired and cancelled, parks, blocking jobs, `wait_for`s) and
//! stops there: a runtime should not carry the code that draws its own
//! pictures, and a reader of the runtime should not have to step around it.
//! This crate depends on the executor, never the reverse, and reads only the
//! public [`Trace`](waitfor_executor::trace::Trace).
//!
//! All three renderers share one reading of the events: `layout.rs` pairs
//! them into polls, parks, jobs, timers and `wait_for`s; `rows.rs` sorts the
//! timers into labelled rows and lanes; `fate.rs` says in words what became
//! of each `wait_for`'s timeout; `axis.rs` holds the time axis and how
//! lengths of time are written. Then `ascii.rs` ([`render_ascii`]),
//! `svg.rs` and `svg_marks.rs` ([`render_svg`], [`render_svg_titled`]) and
//! `chrome.rs` ([`render_trace_json`]) each draw that layout their way.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod ascii;
mod axis;
mod chrome;
mod fate;
mod layout;
mod rows;
mod svg;
mod svg_marks;

pub use ascii::render_ascii;
pub use chrome::render_trace_json;
pub use svg::{render_svg, render_svg_titled};
