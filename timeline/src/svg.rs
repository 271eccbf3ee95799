//! Rendering a [`Trace`] as a self-contained SVG timeline: the page, its
//! header, its rows, its axis and its legend (`svg_marks.rs` draws the
//! timers and `wait_for`s in their rows).
//!
//! The rows are those of the text timeline: tasks with their polls, one row
//! per kind of timer (labelled with what it is and whose), the loop's
//! parked spans, and blocking jobs, over an axis in s, ms or µs. The header
//! says, under the caller's title, what became of each `wait_for`'s
//! timeout, because that is usually the point of the picture, and it is
//! never "every timer fired on time" when the timeout was never filed.
//! Everything is inline (generic font families, presentation attributes, no
//! scripts, no links); hovering a shape in a browser shows its details (an
//! SVG `<title>`).

use crate::axis::{human, shorten, wrap, Axis};
use crate::layout::{Layout, Span};
use std::fmt::Write;
use waitfor_executor::trace::Trace;

pub(super) const WIDTH: f64 = 1200.0;
pub(super) const PLOT_LEFT: f64 = 250.0;
pub(super) const PLOT_RIGHT: f64 = WIDTH - 40.0;
const ROW: f64 = 32.0;
pub(super) const LANE: f64 = 54.0;
/// How many `wait_for`s the header describes, a sentence each.
const HEADER_WAIT_FORS: usize = 4;
/// The most characters of a header line (13 px type across the page).
const HEADER_LINE: usize = 170;
/// Polls at least this long are drawn as blocking (the default slow-poll threshold).
const LONG_POLL: f64 = 0.1;

pub(super) const POLL: &str = "#4c72b0";
pub(super) const LONG: &str = "#c44e52";
pub(super) const LATE: &str = "#d62728";
pub(super) const ON_TIME: &str = "#2ca02c";
pub(super) const PARKED: &str = "#d9dee6";
pub(super) const JOB: &str = "#55a868";
pub(super) const INK: &str = "#333";
pub(super) const FAINT: &str = "#888";

/// Writes one line of SVG to a page (writing to a `String` cannot fail).
/// Invoked with braces, which rustfmt leaves alone: one element per line.
macro_rules! svg {
    ($page:expr, $($format:tt)*) => {{
        let _ = writeln!($page.out, $($format)*);
    }};
}
pub(super) use svg;

/// Escapes text for XML content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped.replace('"', "&quot;").replace('\'', "&apos;")
}

/// The SVG being written, where on the page time falls, and the next row.
pub(super) struct Page {
    pub(super) out: String,
    pub(super) axis: Axis,
    /// The top of the plot, under the header.
    pub(super) plot_top: f64,
    top: f64,
    rows: usize,
}

impl Page {
    pub(super) fn x(&self, t: f64) -> f64 {
        PLOT_LEFT + self.axis.fraction(t).clamp(0.0, 1.0) * (PLOT_RIGHT - PLOT_LEFT)
    }

    /// A bar over `span` (at least 3 px wide) with a hover title.
    fn bar(&mut self, span: Span, mid: f64, fill: &str, title: &str) -> (f64, f64) {
        let (x0, x1) = (self.x(span.start), self.x(span.end));
        let (w, y, rx, title) = (
            (x1 - x0).max(3.0),
            mid - 9.0,
            u8::from(fill != PARKED) * 2,
            escape(title),
        );
        svg! { self, r#"<rect x="{x0:.1}" y="{y:.1}" width="{w:.1}" height="18" rx="{rx}" fill="{fill}"><title>{title}</title></rect>"# }
        (x0, x1)
    }

    pub(super) fn text(&mut self, x: f64, y: f64, style: &str, text: &str) {
        svg! { self, r#"<text x="{x:.1}" y="{y:.1}" {style}>{}</text>"#, escape(text) }
    }

    /// Starts a row: its background stripe and its label (a second, fainter
    /// line under it if given); returns its middle (a lane's: level with
    /// its timers' line).
    fn row(&mut self, height: f64, label: &str, second: &str) -> f64 {
        let top = self.top;
        if self.rows % 2 == 0 {
            svg! { self, r##"<rect y="{top:.1}" width="{WIDTH}" height="{height:.1}" fill="#f4f6f9"/>"## }
        }
        let mid = top
            + if height > ROW {
                lane_mid(0)
            } else {
                height / 2.0
            };
        let x = PLOT_LEFT - 12.0;
        let y = if second.is_empty() { mid + 4.5 } else { mid };
        self.text(
            x,
            y,
            r#"text-anchor="end" font-size="13""#,
            &shorten(label, 34),
        );
        if !second.is_empty() {
            let style = format!(r#"text-anchor="end" font-size="11" fill="{FAINT}""#);
            self.text(x, mid + 14.0, &style, &shorten(second, 40));
        }
        (self.top, self.rows) = (top + height, self.rows + 1);
        mid
    }
}

/// Where a lane's timers' line runs, below the top of its row: room above
/// it for the words on what became of them.
pub(super) fn lane_mid(lane: usize) -> f64 {
    lane as f64 * LANE + LANE / 2.0 + 5.0
}

/// Renders the trace as a trace-contained SVG document titled `waitfor
/// trace`; see [`render_svg_titled`].
pub fn render_svg(trace: &Trace) -> String {
    render_svg_titled(trace, "waitfor trace")
}

/// Renders the trace as a trace-contained SVG document, 1200 px wide,
/// under `title` (say, the scenario and the case): a header saying what
/// became of each `wait_for`'s timeout and whether the other timers
/// fired late; one row per task with its polls (those of 100 ms or more
/// in red); one row per kind of timer, labelled with what it is and
/// whose (`timeout of wait_for, 1 s` / `in task `fetch``, `sleep(3 s)`
/// / `in block_on`); the loop's parked spans; blocking jobs; a time axis
/// in s, ms or µs; and a legend.
///
/// Each `wait_for` is drawn from its creation to its deadline, filed or
/// not, and to its return, with what became of it written above it
/// (`never filed, because the poll that would have filed it returned the
/// result`, `fired 4 s late: Err(Elapsed) at 5 s`, `cancelled: the
/// future finished first`). A late timer gets a red arrow from its
/// deadline to its fire, and a dashed red line up through the polls that
/// held the loop meanwhile. Labels and the title are escaped for XML.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{advance, wait_for, Executor};
/// use waitfor_timeline::render_svg_titled;
///
/// let executor = Executor::builder().virtual_clock().trace(256).build();
/// executor.block_on(async {
///     let blocking = async { advance(Duration::from_secs(5)) }; // time.sleep(5)
///     wait_for(blocking, Duration::from_secs(1)).await.unwrap();
/// });
/// let svg = render_svg_titled(&executor.trace().unwrap(), "blocking_task: no yield");
/// assert!(svg.contains("blocking_task: no yield"));
/// assert!(svg.contains("timeout of wait_for, 1 s"));
/// assert!(svg.contains("never filed"));
/// ```
pub fn render_svg_titled(trace: &Trace, title: &str) -> String {
    let layout = Layout::of(trace);
    let header = header_lines(trace, &layout);
    let plot_top = 64.0 + 19.0 * header.len() as f64;
    let mut page = Page {
        out: String::new(),
        axis: Axis::new(layout.first, layout.end, 12),
        plot_top,
        top: plot_top,
        rows: 0,
    };
    let lanes: usize = layout.timer_rows.iter().map(|row| row.lanes).sum();
    let rows = layout.tasks.len() + 1 + layout.jobs.len();
    let bottom = plot_top + rows as f64 * ROW + lanes as f64 * LANE;
    let height = bottom + 130.0;

    svg! { page, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="Helvetica, Arial, sans-serif" fill="{INK}">"# }
    svg! { page, r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="2" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{LATE}"/></marker></defs>"# }
    svg! { page, r#"<rect width="{WIDTH}" height="{height:.0}" fill="white"/>"# }
    page.text(20.0, 30.0, r#"font-size="20" font-weight="bold""#, title);
    for (i, line) in header.iter().enumerate() {
        let style = format!(r#"font-size="13" fill="{FAINT}""#);
        // A sentence's later lines are indented (SVG collapses spaces).
        let (x, line) = match line.strip_prefix("    ") {
            Some(rest) => (40.0, rest),
            None => (20.0, line.as_str()),
        };
        page.text(x, 54.0 + 19.0 * i as f64, &style, line);
    }

    // Rows, top to bottom: tasks, timers, the loop, blocking jobs.
    for task in &layout.tasks {
        let mid = page.row(ROW, &task.label, "");
        for &poll in &task.polls {
            let length = poll.end - poll.start;
            let (from, to, took) = (human(poll.start), human(poll.end), human(length));
            let title = format!("{}: poll from {from} to {to} ({took})", task.label);
            let long = length >= LONG_POLL;
            let (x0, x1) = page.bar(poll, mid, if long { LONG } else { POLL }, &title);
            let fits = |text: &String| x1 - x0 > 7.0 * text.len() as f64 + 10.0;
            let long_text = format!("{took} poll: the loop is blocked");
            let text = [long_text, format!("{took} poll")].into_iter().find(fits);
            if let Some(text) = text.filter(|_| long) {
                let style =
                    r#"text-anchor="middle" font-size="12" fill="white" font-weight="bold""#;
                page.text((x0 + x1) / 2.0, mid + 4.0, style, &text);
            }
        }
    }
    let mut row_tops = Vec::new();
    for row in &layout.timer_rows {
        row_tops.push(page.top);
        page.row(row.lanes as f64 * LANE, &row.what, &row.owner);
    }
    page.draw_timers(&layout, &row_tops);
    let mid = page.row(ROW, "loop", "");
    for park in merge_close(&layout.parks, &page) {
        let title = format!("parked from {} to {}", human(park.start), human(park.end));
        page.bar(park, mid, PARKED, &title);
    }
    for &(job, span) in &layout.jobs {
        let label = format!("blocking job {job}");
        let mid = page.row(ROW, &label, "");
        let title = format!("{label}: from {} to {}", human(span.start), human(span.end));
        page.bar(span, mid, JOB, &title);
    }
    axis_and_legend(&mut page, bottom);
    page.out + "</svg>\n"
}

/// The header under the title: the trace's extent and the other timers in
/// one line, then a line per `wait_for` on what became of it.
fn header_lines(trace: &Trace, layout: &Layout) -> Vec<String> {
    let (events, first, last) = (
        trace.events().len(),
        human(layout.first),
        human(layout.last),
    );
    let mut line = format!("{events} events from {first} to {last}");
    if trace.dropped() > 0 {
        let _ = write!(line, " ({} older events dropped)", trace.dropped());
    }
    let others = layout.other_timers_words();
    if !others.is_empty() {
        let _ = write!(line, "; {others}");
    }
    let mut lines = vec![line];
    for wait_for in layout.wait_fors.iter().take(HEADER_WAIT_FORS) {
        let (name, fate) = (layout.wait_for_name(wait_for), layout.fate_words(wait_for));
        let sentence = wrap(&format!("{name}: {fate}"), "", "    ", HEADER_LINE);
        lines.extend(sentence.lines().map(str::to_owned));
    }
    if layout.wait_fors.len() > HEADER_WAIT_FORS {
        let more = layout.wait_fors.len() - HEADER_WAIT_FORS;
        lines.push(format!("... and {more} more wait_for"));
    }
    lines
}

/// Parks less than a pixel apart, as one span (a loop that woke for a
/// moment between two parks would otherwise show as a hairline gap).
fn merge_close(parks: &[Span], page: &Page) -> Vec<Span> {
    let mut merged: Vec<Span> = Vec::new();
    for &park in parks {
        match merged.last_mut() {
            Some(last) if page.x(park.start) - page.x(last.end) < 1.0 => {
                last.end = last.end.max(park.end);
            }
            _ => merged.push(park),
        }
    }
    merged
}

/// The grid lines, the time axis under the rows, and the legend below it.
fn axis_and_legend(page: &mut Page, bottom: f64) {
    let ticks: Vec<(f64, String)> = page.axis.ticks().collect();
    let top = page.plot_top;
    for (tick, label) in ticks {
        let (x, y) = (page.x(tick), bottom + 5.0);
        svg! { page, r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{y:.1}" stroke="#000" stroke-opacity="0.08"/>"## }
        let style = r#"text-anchor="middle" font-size="12""#;
        page.text(x, bottom + 22.0, style, &label);
    }
    svg! { page, r#"<line x1="{PLOT_LEFT}" y1="{bottom:.1}" x2="{PLOT_RIGHT}" y2="{bottom:.1}" stroke="{INK}"/>"# }
    let style = format!(r#"text-anchor="middle" font-size="12" fill="{FAINT}""#);
    let centre = (PLOT_LEFT + PLOT_RIGHT) / 2.0;
    let title = format!("time since the executor started ({})", page.axis.unit());
    page.text(centre, bottom + 42.0, &style, &title);

    // A sample of each mark, drawn around (0, 0), its name, and its width.
    let samples = [
        (
            format!(r#"<rect y="-10" width="22" height="12" rx="2" fill="{POLL}"/>"#),
            "poll",
            0.0,
        ),
        (
            format!(r#"<rect y="-10" width="22" height="12" rx="2" fill="{LONG}"/>"#),
            "poll ≥ 100 ms",
            0.0,
        ),
        (
            format!(
                r#"<circle cx="11" cy="-4" r="4" fill="white" stroke="{INK}" stroke-width="1.5"/>"#
            ),
            "wait_for created",
            0.0,
        ),
        (
            format!(r#"<path d="M6,-10 l10,0 l-5,8 z" fill="{INK}"/>"#),
            "timer filed",
            0.0,
        ),
        (
            format!(
                r#"<line x2="22" y1="-4" y2="-4" stroke="{FAINT}" stroke-width="1.5" stroke-dasharray="4 3"/>"#
            ),
            "waiting",
            0.0,
        ),
        (
            format!(r#"<line x1="11" x2="11" y1="-12" y2="3" stroke="{INK}" stroke-width="2"/>"#),
            "deadline",
            0.0,
        ),
        (
            format!(r#"<circle cx="11" cy="-4" r="5.5" fill="{ON_TIME}"/>"#),
            "fired on time",
            0.0,
        ),
        (
            format!(
                r#"<line x1="-4" x2="5" y1="-4" y2="-4" stroke="{LATE}" stroke-width="2.5" marker-end="url(#arrow)"/><circle cx="23" cy="-4" r="5.5" fill="{LATE}"/>"#
            ),
            "fired late",
            5.0,
        ),
        (
            format!(
                r#"<line x1="-4" x2="14" y1="-4" y2="-4" stroke="{LATE}" stroke-width="2" stroke-dasharray="5 3" marker-end="url(#arrow)"/>"#
            ),
            "overdue, never filed",
            0.0,
        ),
        (
            format!(r#"<path d="M6,-9 l10,10 m0,-10 l-10,10" stroke="{INK}" stroke-width="2"/>"#),
            "cancelled",
            0.0,
        ),
        (
            format!(
                r#"<path d="M11,-11 l7,7 l-7,7 l-7,-7 z" fill="white" stroke="{INK}" stroke-width="1.5"/>"#
            ),
            "returned Ok",
            0.0,
        ),
        (
            format!(r#"<path d="M11,-11 l7,7 l-7,7 l-7,-7 z" fill="{INK}"/>"#),
            "returned Err",
            0.0,
        ),
        (
            format!(r#"<rect y="-10" width="22" height="12" fill="{PARKED}"/>"#),
            "loop parked",
            0.0,
        ),
        (
            format!(r#"<rect y="-10" width="22" height="12" rx="2" fill="{JOB}"/>"#),
            "blocking job",
            0.0,
        ),
    ];
    let (mut x, mut y) = (20.0, bottom + 72.0);
    svg! { page, r#"<g font-size="12">"# }
    for (mark, name, extra) in samples {
        let width = 28.0 + extra + 6.8 * name.chars().count() as f64 + 18.0;
        if x + width > WIDTH - 20.0 {
            (x, y) = (20.0, y + 22.0);
        }
        let text_x = 28.0 + extra;
        svg! { page, r#"<g transform="translate({x:.1},{y:.1})">{mark}<text x="{text_x}">{name}</text></g>"# }
        x += width;
    }
    svg! { page, "</g>" }
}
