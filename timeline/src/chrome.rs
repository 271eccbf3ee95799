//! The trace as Chrome Trace Event JSON, for Perfetto and chrome://tracing.
//!
//! People who profile async code already have a timeline viewer: Perfetto
//! (ui.perfetto.dev) and chrome://tracing both open the JSON format Chrome
//! defined for its own traces, and let a reader zoom from a 5 s block down to
//! a 10 µs poll, which no fixed-width picture can. So the same [`Layout`] the
//! ASCII and SVG timelines draw is written out as trace events: one track
//! (a `tid`) per task with a slice per poll, one for the loop with a slice
//! per park, and tracks for the blocking pool's jobs, the `wait_for`s and
//! the timers.
//!
//! Only complete events (`"ph":"X"`, a start and a duration) and instants
//! (`"ph":"i"`) are written, because a viewer draws the slices of one track
//! as a stack and so needs them nested: the polls of a task and the parks of
//! the loop never overlap, but timers, `wait_for`s and blocking jobs do, so
//! each of those kinds is packed into as many lanes as it needs (greedy
//! interval packing, as the timelines' rows do, without their cap), one
//! track per lane. A timer's slice runs from its filing to its deadline (or
//! its cancellation, if that came first), and an instant marks its fire,
//! with its lateness in the args; a `wait_for`'s slice runs from its
//! creation to its return, with an instant at its deadline and what became
//! of its timeout in the args, in the words the timelines use.
//!
//! Times are microseconds, the format's unit, written from whole
//! nanoseconds so that a slice's start plus its duration is exactly where
//! the next one may start. The JSON is written by hand: it is a flat list
//! of small objects, and a serialiser crate would cost every build of the
//! executor more than these lines.

use crate::axis::human;
use crate::layout::{Layout, Span};
use crate::rows::pack;
use std::fmt::Write;
use waitfor_executor::trace::Trace;

/// Renders the trace as Chrome Trace Event JSON, to open in Perfetto
/// (ui.perfetto.dev, "Open trace file") or chrome://tracing ("Load").
///
/// One process, `waitfor executor`; one track per task (named tasks by
/// name, the `block_on` future as `block_on`) with a `poll` slice per
/// poll; a `loop` track with a `parked` slice per park; and lanes of
/// tracks for the `wait_for`s (creation to return, an instant at the
/// deadline, the outcome and what became of the timeout in the args),
/// the timers (filing to deadline, an instant where each fired with its
/// `lateness_us` from its tick) and the blocking pool's jobs. Every
/// event has `ph`, `ts`, `pid` and `tid`; times are in µs; the slices of
/// one track nest. `otherData.dropped_events` says how many older events
/// the ring dropped.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{advance, wait_for, yield_now, Executor};
/// use waitfor_timeline::render_trace_json;
///
/// let executor = Executor::builder().virtual_clock().trace(256).build();
/// executor.block_on(async {
///     let blocking = async {
///         advance(Duration::from_secs(5)); // time.sleep(5)
///         yield_now().await;
///         yield_now().await;
///     };
///     wait_for(blocking, Duration::from_secs(1)).await.unwrap_err();
/// });
/// let json = render_trace_json(&executor.trace().unwrap());
/// assert!(json.contains(r#""name":"fired","#));
/// assert!(json.contains(r#""lateness_us":4000000.000"#));
/// ```
pub fn render_trace_json(trace: &Trace) -> String {
    let layout = Layout::of(trace);
    let mut out = Events::new(trace.dropped());
    let loop_track = out.track("loop");
    for &park in &layout.parks {
        out.slice(loop_track, "parked", park, &[]);
    }
    for task in &layout.tasks {
        let track = out.track(&task.label);
        for &poll in &task.polls {
            out.slice(track, "poll", poll, &[]);
        }
    }
    wait_fors(&layout, &mut out);
    timers(&layout, &mut out);
    let mut pool = Lanes::new("blocking pool");
    for &(job, span) in &layout.jobs {
        let track = pool.place(&mut out, span.start, span.end);
        out.slice(track, &format!("blocking job {job}"), span, &[]);
    }
    out.finish()
}

/// Each `wait_for`, from its creation to its return, with its deadline.
fn wait_fors(layout: &Layout, out: &mut Events) {
    let mut lanes = Lanes::new("wait_for");
    let mut order: Vec<usize> = (0..layout.wait_fors.len()).collect();
    let start = |i: usize| {
        let wait_for = &layout.wait_fors[i];
        wait_for.started.unwrap_or(wait_for.deadline)
    };
    order.sort_by(|&a, &b| start(a).total_cmp(&start(b)));
    for i in order {
        let wait_for = &layout.wait_fors[i];
        let returned = wait_for.returned.map(|(at, _)| at);
        let span = Span {
            start: start(i),
            end: returned.unwrap_or(layout.last).max(start(i)),
        };
        let track = lanes.place(out, span.start, span.end.max(wait_for.deadline));
        let name = match wait_for.timeout {
            Some(timeout) => format!("wait_for {}", human(timeout)),
            None => "wait_for".to_owned(),
        };
        let outcome = match wait_for.returned {
            Some((_, true)) => "Err(Elapsed)",
            Some((_, false)) => "Ok",
            None => "not returned when the trace ends",
        };
        let owner = layout.task_label(wait_for.task).unwrap_or("unknown");
        let args = [
            ("task", Arg::Text(owner.to_owned())),
            ("deadline_us", Arg::Micros(wait_for.deadline)),
            ("outcome", Arg::Text(outcome.to_owned())),
            ("timeout", Arg::Text(layout.fate_words(wait_for))),
        ];
        out.slice(track, &name, span, &args);
        out.instant(track, "deadline", wait_for.deadline, &[]);
    }
}

/// Each timer, from its filing to its deadline, and where it fired.
fn timers(layout: &Layout, out: &mut Events) {
    let mut lanes = Lanes::new("timers");
    let mut order: Vec<usize> = (0..layout.timers.len()).collect();
    let start = |i: usize| {
        let timer = &layout.timers[i];
        let first_seen = timer.fired.or(timer.cancelled).unwrap_or(timer.deadline);
        timer.filed.unwrap_or(first_seen)
    };
    order.sort_by(|&a, &b| start(a).total_cmp(&start(b)));
    for i in order {
        let timer = &layout.timers[i];
        let due = timer.deadline.min(timer.cancelled.unwrap_or(f64::INFINITY));
        let marks = [timer.fired, timer.cancelled];
        let busy_until = marks.into_iter().flatten().fold(due, f64::max);
        let track = lanes.place(out, start(i), busy_until);
        let name = match timer.timeout_of {
            Some(_) => "timeout of wait_for",
            None => "timer",
        };
        if let Some(filed) = timer.filed {
            let owner = layout.task_label(timer.task).unwrap_or("unknown");
            let mut args = vec![
                ("task", Arg::Text(owner.to_owned())),
                ("deadline_us", Arg::Micros(timer.deadline)),
            ];
            args.extend(timer.asked.map(|asked| ("asked_us", Arg::Micros(asked))));
            let span = Span {
                start: filed,
                end: due.max(filed),
            };
            out.slice(track, name, span, &args);
        }
        if let Some(fired) = timer.fired {
            let lateness = Arg::Micros(fired - timer.deadline);
            out.instant(track, "fired", fired, &[("lateness_us", lateness)]);
        }
        if let Some(cancelled) = timer.cancelled {
            out.instant(track, "cancelled", cancelled, &[]);
        }
    }
}

/// One kind of overlapping items, packed into tracks `NAME 1`, `NAME 2`, ...
struct Lanes {
    name: &'static str,
    ends: Vec<f64>,
    tracks: Vec<u64>,
}

impl Lanes {
    fn new(name: &'static str) -> Self {
        Lanes {
            name,
            ends: Vec::new(),
            tracks: Vec::new(),
        }
    }

    /// The track of the first lane free at `start`, for an item busy until
    /// `end`; items must come in order of start.
    fn place(&mut self, out: &mut Events, start: f64, end: f64) -> u64 {
        let lane = pack(&mut self.ends, start, end, usize::MAX);
        if lane == self.tracks.len() {
            let track = out.track(&format!("{} {}", self.name, lane + 1));
            self.tracks.push(track);
        }
        self.tracks[lane]
    }
}

/// An argument of an event: a time in seconds (written in µs), text, or a count.
enum Arg {
    Micros(f64),
    Text(String),
    Count(u64),
}

/// The JSON document being written: one event per line.
struct Events {
    out: String,
    tracks: u64,
}

/// The one process every track belongs to.
const PID: u32 = 1;

impl Events {
    fn new(dropped: u64) -> Self {
        let mut out = String::from("{\"displayTimeUnit\":\"ms\",");
        let _ = write!(out, "\"otherData\":{{\"dropped_events\":{dropped}}},");
        out.push_str("\"traceEvents\":[\n");
        let mut events = Events { out, tracks: 0 };
        let name = [("name", Arg::Text("waitfor executor".to_owned()))];
        events.event("M", "process_name", 0, 0.0, &name, "");
        events
    }

    /// A new track named `name`, shown in the order the tracks were made.
    fn track(&mut self, name: &str) -> u64 {
        self.tracks += 1;
        let tid = self.tracks;
        let label = [("name", Arg::Text(name.to_owned()))];
        self.event("M", "thread_name", tid, 0.0, &label, "");
        let order = [("sort_index", Arg::Count(tid))];
        self.event("M", "thread_sort_index", tid, 0.0, &order, "");
        tid
    }

    fn slice(&mut self, tid: u64, name: &str, span: Span, args: &[(&str, Arg)]) {
        let dur = micros(nanos(span.end) - nanos(span.start));
        self.event("X", name, tid, span.start, args, &format!(",\"dur\":{dur}"));
    }

    fn instant(&mut self, tid: u64, name: &str, at: f64, args: &[(&str, Arg)]) {
        // Scoped to its track ("t"), not drawn across the whole process.
        self.event("i", name, tid, at, args, ",\"s\":\"t\"");
    }

    /// Writes one event, with `extra` fields after its args.
    fn event(
        &mut self,
        ph: &str,
        name: &str,
        tid: u64,
        at: f64,
        args: &[(&str, Arg)],
        extra: &str,
    ) {
        let out = &mut self.out;
        let (name, ts) = (escape(name), micros(nanos(at)));
        let _ = write!(
            out,
            "{{\"ph\":\"{ph}\",\"name\":\"{name}\",\"pid\":{PID},\"tid\":{tid},\"ts\":{ts},\"args\":{{"
        );
        for (index, (key, value)) in args.iter().enumerate() {
            let comma = if index == 0 { "" } else { "," };
            let _ = match value {
                Arg::Micros(secs) => write!(out, "{comma}\"{key}\":{}", micros(nanos(*secs))),
                Arg::Text(text) => write!(out, "{comma}\"{key}\":\"{}\"", escape(text)),
                Arg::Count(count) => write!(out, "{comma}\"{key}\":{count}"),
            };
        }
        let _ = writeln!(out, "}}{extra}}},");
    }

    fn finish(mut self) -> String {
        // Every event ends in ",\n": the last one's comma goes.
        if self.out.ends_with(",\n") {
            self.out.truncate(self.out.len() - 2);
            self.out.push('\n');
        }
        self.out.push_str("]}\n");
        self.out
    }
}

/// Seconds to whole nanoseconds, the trace's resolution.
fn nanos(secs: f64) -> i64 {
    (secs * 1e9).round() as i64
}

/// Nanoseconds written as microseconds, exactly: `1234.567`.
fn micros(nanos: i64) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let nanos = nanos.unsigned_abs();
    format!("{sign}{}.{:03}", nanos / 1000, nanos % 1000)
}

/// `text` as the inside of a JSON string.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}
