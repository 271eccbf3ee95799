//! Rendering a [`Trace`] as a self-contained SVG timeline; and the time
//! axis and number formatting the text timeline shares (`ascii.rs` holds
//! the layout both draw).
//!
//! The rows are those of the text timeline: tasks with their polls, the
//! wheel's lanes of timers, the loop's parked spans, and blocking jobs, over
//! an axis in seconds. A late timer gets a red arrow from its deadline to
//! the moment it fired, labelled with its lateness, and a dashed red line up
//! through the polls that held the loop meanwhile. Everything is inline
//! (generic font families, presentation attributes, no scripts, no links);
//! hovering a shape in a browser shows its details (an SVG `<title>`).

use super::layout::{Layout, Span, Timer};
use super::Trace;
use std::fmt::Write;

const WIDTH: f64 = 1200.0;
const PLOT_LEFT: f64 = 230.0;
const PLOT_RIGHT: f64 = WIDTH - 40.0;
const TOP: f64 = 78.0;
const ROW: f64 = 32.0;
const LANE: f64 = 44.0;
/// Polls at least this long are drawn as blocking (the default slow-poll threshold).
const LONG_POLL: f64 = 0.1;

const POLL: &str = "#4c72b0";
const LONG: &str = "#c44e52";
const LATE: &str = "#d62728";
const ON_TIME: &str = "#2ca02c";
const PARKED: &str = "#d9dee6";
const JOB: &str = "#55a868";
const INK: &str = "#333";
const FAINT: &str = "#888";

/// Writes one line of SVG to a page (writing to a `String` cannot fail).
/// Invoked with braces, which rustfmt leaves alone: one element per line.
macro_rules! svg {
    ($page:expr, $($format:tt)*) => {{
        let _ = writeln!($page.out, $($format)*);
    }};
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    escaped.replace('"', "&quot;").replace('\'', "&apos;")
}

/// The SVG being written, where on the page time falls, and the next row.
struct Page {
    out: String,
    axis: Axis,
    top: f64,
    rows: usize,
}

impl Page {
    fn x(&self, t: f64) -> f64 {
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

    fn text(&mut self, x: f64, y: f64, style: &str, text: &str) {
        svg! { self, r#"<text x="{x:.1}" y="{y:.1}" {style}>{}</text>"#, escape(text) }
    }

    /// Starts a row: its background stripe and label; returns its middle.
    fn row(&mut self, height: f64, label: &str) -> f64 {
        let top = self.top;
        if self.rows % 2 == 0 {
            svg! { self, r##"<rect y="{top:.1}" width="{WIDTH}" height="{height:.1}" fill="#f4f6f9"/>"## }
        }
        // A lane's label goes level with its timers' line.
        let mid = top
            + if height > ROW {
                LANE / 2.0 + 6.0
            } else {
                height / 2.0
            };
        let style = r#"text-anchor="end" font-size="13""#;
        self.text(PLOT_LEFT - 12.0, mid + 4.5, style, &shorten(label, 32));
        (self.top, self.rows) = (top + height, self.rows + 1);
        mid
    }

    /// A timer's marks: filed (a triangle), waiting (a dashed line), its
    /// deadline (a bar), and its fire (a dot, red with an arrow if late).
    fn timer(&mut self, timer: &Timer, mid: f64, owner: Option<&str>, last: f64) {
        let owner = escape(&owner.map_or(String::new(), |o| format!(" of {o}")));
        let (deadline, due) = (self.x(timer.deadline), human(timer.deadline));
        if let Some(filed) = timer.filed {
            let (x, until) = (self.x(filed), self.x(timer.waited_until(last)));
            if until > x {
                svg! { self, r#"<line x1="{x:.1}" y1="{mid:.1}" x2="{until:.1}" y2="{mid:.1}" stroke="{FAINT}" stroke-width="1.5" stroke-dasharray="4 3"/>"# }
            }
            let (x, y, filed) = (x - 5.0, mid - 12.0, human(filed));
            svg! { self, r#"<path d="M{x:.1},{y:.1} l10,0 l-5,8 z" fill="{INK}"><title>timer{owner} filed at {filed}, due {due}</title></path>"# }
        }
        if let Some(cancelled) = timer.cancelled {
            let (x, y, at) = (self.x(cancelled), mid - 5.0, human(cancelled));
            svg! { self, r#"<path d="M{:.1},{y:.1} l10,10 m0,-10 l-10,10" stroke="{INK}" stroke-width="2"><title>timer{owner} cancelled at {at}, was due {due}</title></path>"#, x - 5.0 }
            return;
        }
        if timer.deadline <= last || timer.fired.is_some() {
            let (y0, y1) = (mid - 9.0, mid + 9.0);
            svg! { self, r#"<line x1="{deadline:.1}" y1="{y0:.1}" x2="{deadline:.1}" y2="{y1:.1}" stroke="{INK}" stroke-width="2"/>"# }
        }
        let Some(fired) = timer.fired else { return };
        let x = self.x(fired);
        let (color, what) = match timer.late_by() {
            Some(late) => (LATE, format!("{} late", human(late))),
            None => (ON_TIME, "on time".to_owned()),
        };
        if timer.late_by().is_some() && x - deadline > 14.0 {
            let end = x - 8.0;
            svg! { self, r#"<line x1="{deadline:.1}" y1="{mid:.1}" x2="{end:.1}" y2="{mid:.1}" stroke="{LATE}" stroke-width="2.5" marker-end="url(#arrow)"/>"# }
        }
        let fired = human(fired);
        svg! { self, r#"<circle cx="{x:.1}" cy="{mid:.1}" r="5.5" fill="{color}" stroke="white" stroke-width="1.5"><title>timer{owner} due {due}, fired {fired}: {what}</title></circle>"# }
    }
}

impl Trace {
    /// Renders the trace as a self-contained SVG document, 1200 px wide: a
    /// title, one row per task with its polls (those of 100 ms or more in
    /// red), the wheel's timers (filed, due, fired; a late one with a red
    /// arrow from its deadline to its fire, labelled with the lateness), the
    /// loop's parked spans, blocking jobs, a time axis in seconds and a
    /// legend. Task labels are escaped for XML.
    pub fn render_svg(&self) -> String {
        let layout = Layout::of(self);
        let axis = Axis::new(layout.first, layout.last, 12);
        let mut page = Page {
            out: String::new(),
            axis,
            top: TOP,
            rows: 0,
        };
        let rows = layout.tasks.len() + 1 + layout.jobs.len();
        let bottom = TOP + rows as f64 * ROW + layout.lanes as f64 * LANE;
        let height = bottom + 110.0;

        svg! { page, r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height:.0}" viewBox="0 0 {WIDTH} {height:.0}" font-family="Helvetica, Arial, sans-serif" fill="{INK}">"# }
        svg! { page, r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="2" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{LATE}"/></marker></defs>"# }
        svg! { page, r#"<rect width="{WIDTH}" height="{height:.0}" fill="white"/>"# }
        page.text(
            20.0,
            30.0,
            r#"font-size="20" font-weight="bold""#,
            "waitfor trace",
        );
        let (events, first, last) = (self.events().len(), human(layout.first), human(layout.last));
        let mut subtitle = format!("{events} events from {first} to {last}");
        if self.dropped() > 0 {
            let _ = write!(subtitle, " ({} older events dropped)", self.dropped());
        }
        let latest = layout
            .late
            .first()
            .and_then(|&i| layout.timers[i].late_by());
        let _ = match latest {
            None => write!(subtitle, "; every timer fired on time"),
            Some(worst) => {
                let (n, worst) = (layout.late.len(), human(worst));
                write!(subtitle, "; {n} timer(s) fired late, the latest by {worst}")
            }
        };
        let style = format!(r#"font-size="13" fill="{FAINT}""#);
        page.text(20.0, 52.0, &style, &subtitle);

        // Rows, top to bottom: tasks, the wheel's lanes, the loop, blocking jobs.
        for task in &layout.tasks {
            let mid = page.row(ROW, &task.label);
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
        let wheel = page.top;
        let lane_mid = |lane: usize| wheel + lane as f64 * LANE + LANE / 2.0 + 6.0;
        page.row(layout.lanes as f64 * LANE, "timer wheel");
        // Dashed lines from each late fire up through the polls that delayed it.
        let mut drawn: Vec<f64> = Vec::new();
        for timer in layout.late.iter().map(|&i| &layout.timers[i]) {
            let x = page.x(timer.fired.unwrap_or(timer.deadline));
            if !drawn.iter().any(|&d| (d - x).abs() < 1.0) {
                drawn.push(x);
                let y = lane_mid(timer.lane) + 8.0;
                svg! { page, r#"<line x1="{x:.1}" y1="{TOP:.1}" x2="{x:.1}" y2="{y:.1}" stroke="{LATE}" stroke-dasharray="3 3" opacity="0.7"/>"# }
            }
        }
        for timer in &layout.timers {
            let owner = layout.task_label(timer.task);
            page.timer(timer, lane_mid(timer.lane), owner, layout.last);
        }
        // Lateness labels, the latest first, none over another in its lane.
        let mut placed: Vec<(usize, f64, f64)> = Vec::new();
        for timer in layout.late.iter().map(|&i| &layout.timers[i]) {
            let (Some(late), Some(fired)) = (timer.late_by(), timer.fired) else {
                continue;
            };
            let label = format!("{} late", human(late));
            let half = 3.6 * label.len() as f64 + 4.0;
            let centre = (page.x(timer.deadline) + page.x(fired)) / 2.0;
            let centre = centre.clamp(PLOT_LEFT + half, PLOT_RIGHT - half);
            let (x0, x1, lane) = (centre - half, centre + half, timer.lane);
            let overlaps = |&(l, a, b): &(usize, f64, f64)| l == lane && a < x1 && x0 < b;
            if !placed.iter().any(overlaps) {
                placed.push((lane, x0, x1));
                let style = format!(
                    r#"text-anchor="middle" font-size="12" font-weight="bold" fill="{LATE}""#
                );
                page.text(centre, lane_mid(lane) - 8.0, &style, &label);
            }
        }
        let mid = page.row(ROW, "loop");
        for park in merge_close(&layout.parks, &page) {
            let title = format!("parked from {} to {}", human(park.start), human(park.end));
            page.bar(park, mid, PARKED, &title);
        }
        for &(job, span) in &layout.jobs {
            let label = format!("blocking job {job}");
            let mid = page.row(ROW, &label);
            let title = format!("{label}: from {} to {}", human(span.start), human(span.end));
            page.bar(span, mid, JOB, &title);
        }
        axis_and_legend(&mut page, bottom);
        page.out + "</svg>\n"
    }
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
    for (tick, label) in ticks {
        let (x, y) = (page.x(tick), bottom + 5.0);
        svg! { page, r##"<line x1="{x:.1}" y1="{TOP:.1}" x2="{x:.1}" y2="{y:.1}" stroke="#000" stroke-opacity="0.08"/>"## }
        let style = r#"text-anchor="middle" font-size="12""#;
        page.text(x, bottom + 22.0, style, &label);
    }
    svg! { page, r#"<line x1="{PLOT_LEFT}" y1="{bottom:.1}" x2="{PLOT_RIGHT}" y2="{bottom:.1}" stroke="{INK}"/>"# }
    let style = format!(r#"text-anchor="middle" font-size="12" fill="{FAINT}""#);
    let centre = (PLOT_LEFT + PLOT_RIGHT) / 2.0;
    let title = "time since the executor started (s)";
    page.text(centre, bottom + 42.0, &style, title);

    // A sample of each mark, drawn around (0, 0), and its name.
    let y = bottom + 75.0;
    svg! { page, r#"<g transform="translate(0,{y:.1})" font-size="12">
<g transform="translate(20,0)"><rect y="-10" width="22" height="12" rx="2" fill="{POLL}"/><text x="28">poll</text></g>
<g transform="translate(98,0)"><rect y="-10" width="22" height="12" rx="2" fill="{LONG}"/><text x="28">poll ≥ 100 ms</text></g>
<g transform="translate(234,0)"><path d="M6,-10 l10,0 l-5,8 z" fill="{INK}"/><text x="28">timer filed</text></g>
<g transform="translate(358,0)"><line x2="22" y1="-4" y2="-4" stroke="{FAINT}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="28">waiting</text></g>
<g transform="translate(456,0)"><line x1="11" x2="11" y1="-12" y2="3" stroke="{INK}" stroke-width="2"/><text x="28">deadline</text></g>
<g transform="translate(560,0)"><circle cx="11" cy="-4" r="5.5" fill="{ON_TIME}"/><text x="28">fired on time</text></g>
<g transform="translate(696,0)"><line x1="-4" x2="5" y1="-4" y2="-4" stroke="{LATE}" stroke-width="2.5" marker-end="url(#arrow)"/><circle cx="23" cy="-4" r="5.5" fill="{LATE}"/><text x="33">fired late</text></g>
<g transform="translate(813,0)"><rect y="-10" width="22" height="12" fill="{PARKED}"/><text x="28">loop parked</text></g>
<g transform="translate(936,0)"><rect y="-10" width="22" height="12" rx="2" fill="{JOB}"/><text x="28">blocking job</text></g>
<g transform="translate(1058,0)"><path d="M6,-9 l10,10 m0,-10 l-10,10" stroke="{INK}" stroke-width="2"/><text x="28">cancelled</text></g>
</g>"# }
}

/// A time axis over round ticks: 1, 2 or 5 times a power of ten seconds.
pub(super) struct Axis {
    pub(super) lo: f64,
    pub(super) hi: f64,
    step: f64,
    decimals: usize,
}

impl Axis {
    /// The finest round step covering `first..=last` in at most `max_ticks` steps.
    pub(super) fn new(first: f64, last: f64, max_ticks: usize) -> Axis {
        let last = last.max(first + 1e-3);
        let bounds = |step: f64| {
            let lo = (first / step + 1e-9).floor() * step;
            (lo, (last / step - 1e-9).ceil() * step)
        };
        let fits = |&(step, _): &(f64, i32)| {
            let (lo, hi) = bounds(step);
            hi > lo && (hi - lo) / step <= max_ticks.max(1) as f64 + 1e-9
        };
        let mut steps =
            (-9..=12).flat_map(|exp| [1.0, 2.0, 5.0].map(|m| (m * 10f64.powi(exp), exp)));
        let (step, exp) = steps.find(fits).unwrap_or((last - first, -3));
        let ((lo, hi), decimals) = (bounds(step), usize::try_from(-exp).unwrap_or(0));
        Axis {
            lo,
            hi,
            step,
            decimals,
        }
    }

    /// How many steps the axis spans.
    pub(super) fn steps(&self) -> usize {
        ((self.hi - self.lo) / self.step).round() as usize
    }

    /// The ticks and their labels, in seconds, from `lo` to `hi`.
    pub(super) fn ticks(&self) -> impl Iterator<Item = (f64, String)> + '_ {
        (0..=self.steps()).map(move |i| {
            let t = self.lo + i as f64 * self.step;
            (t, format!("{:.*} s", self.decimals, t))
        })
    }

    /// Where `t` falls, from 0 (`lo`) to 1 (`hi`).
    pub(super) fn fraction(&self, t: f64) -> f64 {
        (t - self.lo) / (self.hi - self.lo)
    }
}

/// A length in seconds, in the unit that reads best ("4.5 s", "500 ms", "80 us").
pub(super) fn human(secs: f64) -> String {
    let (value, unit) = match secs.abs() {
        s if s == 0.0 || s >= 1.0 => (secs, "s"),
        s if s >= 1e-3 => (secs * 1e3, "ms"),
        _ => (secs * 1e6, "us"),
    };
    let text = format!("{value:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} {unit}")
}

/// Shortens a label to `max` characters: an unnamed task's spawn site to
/// its file name (`task #3 (main.rs:9)`), then by cutting out the middle.
pub(super) fn shorten(label: &str, max: usize) -> String {
    let mut chars: Vec<char> = label.chars().collect();
    let site = label
        .split_once(" (spawned at ")
        .filter(|_| chars.len() > max);
    if let Some((task, site)) = site {
        let file = site.rsplit(['/', '\\']).next().unwrap_or(site);
        chars = format!("{task} ({file}").chars().collect();
    }
    if chars.len() > max {
        let keep = max.saturating_sub(3);
        let tail = chars.split_off(chars.len() - (keep - keep / 2));
        chars.truncate(keep / 2);
        chars.extend("...".chars().chain(tail));
    }
    chars.into_iter().collect()
}
