//! Rendering a [`Trace`] as a text timeline (`layout.rs` pairs the events,
//! `rows.rs` labels the timers, `fate.rs` words what became of each
//! `wait_for`, `axis.rs` holds the time axis and number formatting).
//!
//! The timeline is plain ASCII: `#` a poll, `o` a `wait_for` created, `-`
//! waiting, `+` a timer filed, `^` a `wait_for`'s deadline, `~` overdue, `*`
//! fired on time, `!` fired late (by more than 1 ms), `x` cancelled, `>` a
//! `wait_for` returned, `.` the loop parked, `=` a blocking job. A timer
//! still pending when the trace ends is drawn up to its deadline. Each row
//! of timers is labelled with what they are on its first line and whose on
//! its second (`µ` and `≈` written `u` and `~`). Under the plot, each
//! `wait_for` is listed with what became of its timeout, and each late
//! timer with the poll that held the loop.

use crate::axis::{human, shorten, wrap, Axis};
use crate::layout::{span, Layout, Span, TaskRow};
use waitfor_executor::trace::Trace;

/// The widest a row label gets.
const LABEL_MAX: usize = 30;
const LEGEND: &str = "# poll   o wait_for created   + timer filed   - waiting   ^ deadline\n\
                      ~ overdue   * fired   ! fired late   x cancelled   > wait_for returned\n\
                      . loop parked   = blocking job\n";
/// How many `wait_for`s and late timers the lists under the plot show.
const SHOWN: usize = 8;

/// One plot row of text cells; a cell keeps the most important mark drawn on it.
struct Cells<'a> {
    axis: &'a Axis,
    cells: Vec<char>,
}

impl<'a> Cells<'a> {
    fn new(axis: &'a Axis, cols: usize) -> Self {
        let cells = vec![' '; cols];
        Cells { axis, cells }
    }

    fn x(&self, t: f64) -> f64 {
        self.axis.fraction(t) * self.cells.len() as f64
    }

    fn col(&self, t: f64) -> usize {
        ((self.x(t) + 1e-9).floor().max(0.0) as usize).min(self.cells.len() - 1)
    }

    fn put(&mut self, t: f64, mark: char) {
        self.put_col(self.col(t), mark);
    }

    fn put_col(&mut self, col: usize, mark: char) {
        let rank = |c| "-.~#=o^+>x*!".find(c).map_or(0, |i| i + 1);
        if rank(mark) >= rank(self.cells[col]) {
            self.cells[col] = mark;
        }
    }

    fn span(&mut self, span: Span, mark: char) {
        let start = self.col(span.start);
        let end = (self.x(span.end) - 1e-9).ceil().max(0.0) as usize;
        let end = end.clamp(start + 1, self.cells.len());
        (start..end).for_each(|col| self.put_col(col, mark));
    }

    /// Writes `text` centred in the overdue span from `from` to `to`
    /// (exclusive of both ends), over `~` only, if it fits.
    fn text_between(&mut self, from: f64, to: f64, text: &str) {
        let (from, to) = (self.col(from), self.col(to));
        let room = to.saturating_sub(from + 1);
        let start = from + 1 + room.saturating_sub(text.len()) / 2;
        let free = |cells: &[char]| cells.iter().all(|&c| c == '~');
        if text.len() + 2 <= room && free(&self.cells[start..start + text.len()]) {
            self.cells.splice(start..start + text.len(), text.chars());
        }
    }
}

/// Renders the trace as a plain-ASCII timeline about `width` columns
/// wide (at least 40; 80 to 100 reads well), deterministically.
///
/// One row per task (`#` while it is being polled); one row per kind of
/// timer, labelled (`timeout of wait_for, 1 s`, `sleep(500 ms)`, and
/// whose): a `wait_for` from its creation (`o`) to its deadline (`^`)
/// and its return (`>`), drawn even when its timer was never filed, and
/// timers filed (`+`), waiting (`-`), overdue (`~`, with the lateness
/// written in when it fits), fired (`*`, or `!` if late) or cancelled
/// (`x`); the loop (`.` while parked) and each blocking job (`=`), over
/// an axis in s, ms or µs (written `us`). Then a legend, what became of
/// each `wait_for`, and the late timers, each with the poll that held
/// the loop meanwhile.
pub fn render_ascii(trace: &Trace, width: usize) -> String {
    let layout = Layout::of(trace);
    let widest = |label: &str| shorten(label, LABEL_MAX).chars().count();
    let task_labels = layout.tasks.iter().map(|t: &TaskRow| widest(&t.label));
    let row_labels = layout
        .timer_rows
        .iter()
        .map(|r| widest(&r.what).max(widest(&r.owner)));
    let others = if layout.jobs.is_empty() { 4 } else { 14 };
    let label_width = task_labels.chain(row_labels).chain([others]).max();
    let label_width = label_width.unwrap_or(0);
    let room = width.max(40).saturating_sub(label_width + 3).max(20);
    let axis = Axis::new(layout.first, layout.end, room / 8);
    let cols = room / axis.steps() * axis.steps();
    let blank = || Cells::new(&axis, cols);

    let mut rows: Vec<(String, Cells)> = Vec::new();
    for task in &layout.tasks {
        let mut cells = blank();
        task.polls.iter().for_each(|&poll| cells.span(poll, '#'));
        rows.push((task.label.clone(), cells));
    }
    for (index, row) in layout.timer_rows.iter().enumerate() {
        let mut lanes: Vec<Cells> = (0..row.lanes).map(|_| blank()).collect();
        draw_timers(&layout, index, &mut lanes);
        if lanes.len() == 1 && !row.owner.is_empty() {
            lanes.push(blank());
        }
        for (lane, cells) in lanes.into_iter().enumerate() {
            let label = [&row.what, &row.owner].get(lane).map_or("", |l| l.as_str());
            rows.push((label.to_owned(), cells));
        }
    }
    let mut parked = blank();
    layout.parks.iter().for_each(|&park| parked.span(park, '.'));
    rows.push(("loop".to_owned(), parked));
    for &(job, span) in &layout.jobs {
        let mut cells = blank();
        cells.span(span, '=');
        rows.push((format!("blocking job {job}"), cells));
    }

    let events = trace.events().len();
    let (first, last) = (human(layout.first), human(layout.last));
    let mut out = format!("waitfor trace: {events} events, {first} to {last}");
    if trace.dropped() > 0 {
        out += &format!(" ({} older events dropped)", trace.dropped());
    }
    out += "\n\n";
    for (label, cells) in &rows {
        let label = shorten(label, label_width);
        let plot: String = cells.cells.iter().collect();
        out += &format!("{label:>label_width$} |{plot}|\n");
    }
    out += &ruler(&axis, cols, label_width + 2);
    out += LEGEND;
    out += &wait_for_list(&layout, width.max(40));
    let out = out + &late_list(&layout);
    out.replace('µ', "u").replace('≈', "~")
}

/// The marks of row `row`'s `wait_for`s and timers, each in its lane.
fn draw_timers(layout: &Layout, row: usize, lanes: &mut [Cells]) {
    let in_row = |place: &super::layout::Place| place.row == row;
    for timer in layout.timers.iter().filter(|t| in_row(&t.place)) {
        let cells = &mut lanes[timer.place.lane];
        let waited = timer.waited_until(layout.end);
        if let Some(filed) = timer.filed.filter(|&f| f < waited) {
            cells.span(span(filed, waited), '-');
        }
        if let (Some(late), Some(fired)) = (timer.late_by(), timer.fired) {
            cells.span(span(timer.deadline, fired), '~');
            if timer.timeout_of.is_none() {
                cells.text_between(timer.deadline, fired, &format!(" {} late ", human(late)));
            }
        }
        timer
            .filed
            .into_iter()
            .for_each(|filed| cells.put(filed, '+'));
        timer
            .cancelled
            .into_iter()
            .for_each(|at| cells.put(at, 'x'));
        if let Some(fired) = timer.fired {
            cells.put(fired, if timer.late_by().is_some() { '!' } else { '*' });
        }
    }
    for wait_for in layout.wait_fors.iter().filter(|w| in_row(&w.place)) {
        let cells = &mut lanes[wait_for.place.lane];
        if let Some(started) = wait_for.started.filter(|&s| s < wait_for.deadline) {
            cells.span(span(started, wait_for.deadline.min(layout.end)), '-');
        }
        if let Some((from, to)) = layout.overdue(wait_for) {
            cells.span(span(from, to), '~');
            let never = wait_for.timer.is_none().then(|| " never filed ".to_owned());
            let late = never.unwrap_or_else(|| format!(" {} late ", human(to - from)));
            cells.text_between(from, to, &late);
        }
        wait_for
            .started
            .into_iter()
            .for_each(|at| cells.put(at, 'o'));
        if wait_for.deadline <= layout.end {
            cells.put(wait_for.deadline, '^');
        }
        wait_for
            .returned
            .into_iter()
            .for_each(|(at, _)| cells.put(at, '>'));
    }
}

/// The axis under the plot: `+` at each tick, and the ticks' labels.
fn ruler(axis: &Axis, cols: usize, indent: usize) -> String {
    let mut ruler = vec!['-'; cols + 1];
    let mut labels = vec![' '; cols + 1];
    let mut free_from = 0;
    for (tick, text) in axis.ticks() {
        let text: Vec<char> = text.chars().collect();
        let col = ((axis.fraction(tick) * cols as f64).round() as usize).min(cols);
        ruler[col] = '+';
        // The last label ends under its tick rather than past the width.
        let start = col.min((cols + 1).saturating_sub(text.len()));
        if start >= free_from && start + text.len() <= labels.len() {
            labels.splice(start..start + text.len(), text.iter().copied());
            free_from = start + text.len() + 1;
        }
    }
    let pad = " ".repeat(indent);
    let ruler: String = ruler.into_iter().collect();
    let labels: String = labels.into_iter().collect();
    format!("{pad}{ruler}\n{pad}{}\n\n", labels.trim_end())
}

/// Each `wait_for`, with what became of its timeout and who held the loop.
fn wait_for_list(layout: &Layout, width: usize) -> String {
    let mut out = match layout.wait_fors.len() {
        0 => return String::new(),
        n => format!("\nwait_for ({n}):\n"),
    };
    for wait_for in layout.wait_fors.iter().take(SHOWN) {
        let line = format!(
            "{}: {}",
            layout.wait_for_name(wait_for),
            layout.fate_words(wait_for)
        );
        out += &wrap(&line, "  ", "    ", width);
        let held = layout
            .overdue(wait_for)
            .and_then(|(from, to)| layout.blame(from, to));
        if let Some((holder, held)) = held {
            let line = format!("while a {} poll of {holder} held the loop", human(held));
            out += &wrap(&line, "    ", "      ", width);
        }
    }
    if layout.wait_fors.len() > SHOWN {
        out += &format!("  ... and {} more\n", layout.wait_fors.len() - SHOWN);
    }
    out
}

/// The late timers that are no `wait_for`'s, latest first, with who filed
/// each and who held the loop.
fn late_list(layout: &Layout) -> String {
    let mut out = match layout.late.len() {
        0 => return String::new(),
        n => format!("\nlate timers ({n}), latest first:\n"),
    };
    for &index in layout.late.iter().take(SHOWN) {
        let timer = &layout.timers[index];
        let (late, due) = (human(timer.late_by().unwrap_or(0.0)), human(timer.deadline));
        let row = &layout.timer_rows[timer.place.row];
        let whose = format!("{} {}", row.what, row.owner);
        out += &format!("  {late} late: {}, due at {due}\n", whose.trim_end());
        let fired = timer.fired.unwrap_or(timer.deadline);
        if let Some((holder, held)) = layout.blame(timer.deadline, fired) {
            let held = human(held);
            out += &format!("    while a {held} poll of {holder} held the loop\n");
        }
    }
    if layout.late.len() > SHOWN {
        out += &format!("  ... and {} more\n", layout.late.len() - SHOWN);
    }
    out
}
