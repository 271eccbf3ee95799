//! Rendering a [`Trace`] as a text timeline (`layout.rs` pairs the events;
//! `svg.rs` holds the time axis and number formatting).
//!
//! The timeline is plain ASCII: `#` a poll, `+` a timer filed, `-` waiting,
//! `~` overdue, `*` fired on time, `!` fired late (by more than 1 ms), `x`
//! cancelled, `.` the loop parked, `=` a blocking job. A timer still pending
//! when the trace ends is drawn up to its deadline.

use super::layout::{span, Layout, Span, TaskRow};
use super::svg::{human, shorten, Axis};
use super::Trace;
/// The widest a row label gets.
const LABEL_MAX: usize = 26;
const LEGEND: &str =
    "# poll   + timer filed   - waiting   ~ overdue   * fired   ! fired late   x cancelled\n\
                      . loop parked   = blocking job\n";

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

    fn put(&mut self, col: usize, mark: char) {
        let rank = |c| "-.~#=x+*!".find(c).map_or(0, |i| i + 1);
        if rank(mark) >= rank(self.cells[col]) {
            self.cells[col] = mark;
        }
    }

    fn span(&mut self, span: Span, mark: char) {
        let start = self.col(span.start);
        let end = (self.x(span.end) - 1e-9).ceil().max(0.0) as usize;
        (start..end.clamp(start + 1, self.cells.len())).for_each(|col| self.put(col, mark));
    }

    /// Writes `text` centred between two columns (exclusive), over `~` only.
    fn text_between(&mut self, from: usize, to: usize, text: &str) {
        let room = to.saturating_sub(from + 1);
        let start = from + 1 + room.saturating_sub(text.len()) / 2;
        let free = |cells: &[char]| cells.iter().all(|&c| c == '~');
        if text.len() + 2 <= room && free(&self.cells[start..start + text.len()]) {
            self.cells.splice(start..start + text.len(), text.chars());
        }
    }
}

impl Trace {
    /// Renders the trace as a plain-ASCII timeline about `width` columns
    /// wide (at least 40; 80 to 100 reads well), deterministically.
    ///
    /// One row per task (`#` while it is being polled), the timer wheel
    /// (`+` filed, `-` waiting, `~` overdue, `*` fired, `!` fired late, with
    /// the lateness written in the overdue span when it fits), the loop (`.`
    /// while parked) and each blocking job (`=`), over an axis in seconds;
    /// then a legend and a list of the late timers, each with the poll that
    /// held the loop meanwhile.
    pub fn render_ascii(&self, width: usize) -> String {
        let layout = Layout::of(self);
        let widest = |t: &TaskRow| shorten(&t.label, LABEL_MAX).chars().count();
        let others = if layout.jobs.is_empty() { 5 } else { 14 };
        let label_width = layout.tasks.iter().map(widest).chain([others]).max();
        let label_width = label_width.unwrap_or(0);
        let room = width.max(40).saturating_sub(label_width + 3).max(20);
        let axis = Axis::new(layout.first, layout.last, room / 8);
        let cols = room / axis.steps() * axis.steps();
        let blank = || Cells::new(&axis, cols);

        let mut rows: Vec<(String, Cells)> = Vec::new();
        for task in &layout.tasks {
            let mut cells = blank();
            task.polls.iter().for_each(|&poll| cells.span(poll, '#'));
            rows.push((task.label.clone(), cells));
        }
        let mut lanes: Vec<Cells> = (0..layout.lanes).map(|_| blank()).collect();
        for timer in &layout.timers {
            let cells = &mut lanes[timer.lane];
            let waited = timer.waited_until(layout.last);
            if let Some(filed) = timer.filed.filter(|&f| f < waited) {
                cells.span(span(filed, waited), '-');
            }
            if let Some(fired) = timer.fired.filter(|_| timer.late_by().is_some()) {
                cells.span(span(timer.deadline, fired), '~');
            }
            if let Some(filed) = timer.filed {
                cells.put(cells.col(filed), '+');
            }
            if let Some(cancelled) = timer.cancelled {
                cells.put(cells.col(cancelled), 'x');
            }
            if let Some(fired) = timer.fired {
                let mark = if timer.late_by().is_some() { '!' } else { '*' };
                cells.put(cells.col(fired), mark);
            }
        }
        for timer in layout.late.iter().map(|&i| &layout.timers[i]) {
            let (Some(late), Some(fired)) = (timer.late_by(), timer.fired) else {
                continue;
            };
            let cells = &mut lanes[timer.lane];
            let (from, to) = (cells.col(timer.deadline), cells.col(fired));
            cells.text_between(from, to, &format!(" {} late ", human(late)));
        }
        for (i, lane) in lanes.into_iter().enumerate() {
            rows.push((if i == 0 { "wheel" } else { "" }.to_owned(), lane));
        }
        let mut parked = blank();
        layout.parks.iter().for_each(|&park| parked.span(park, '.'));
        rows.push(("loop".to_owned(), parked));
        for &(job, span) in &layout.jobs {
            let mut cells = blank();
            cells.span(span, '=');
            rows.push((format!("blocking job {job}"), cells));
        }

        let events = self.events().len();
        let (first, last) = (human(layout.first), human(layout.last));
        let mut out = format!("waitfor trace: {events} events, {first} to {last}");
        if self.dropped() > 0 {
            out += &format!(" ({} older events dropped)", self.dropped());
        }
        out += "\n\n";
        for (label, cells) in &rows {
            let label = shorten(label, label_width);
            let plot: String = cells.cells.iter().collect();
            out += &format!("{label:>label_width$} |{plot}|\n");
        }
        out += &ruler(&axis, cols, label_width + 2);
        out += LEGEND;
        out + &late_list(&layout)
    }
}

/// The axis under the plot: `+` at each tick, and the ticks' labels.
fn ruler(axis: &Axis, cols: usize, indent: usize) -> String {
    let mut ruler = vec!['-'; cols + 1];
    let mut labels = vec![' '; cols + 1];
    let mut free_from = 0;
    for (tick, text) in axis.ticks() {
        let col = ((axis.fraction(tick) * cols as f64).round() as usize).min(cols);
        ruler[col] = '+';
        // The last label ends under its tick rather than past the width.
        let start = col.min((cols + 1).saturating_sub(text.len()));
        if start >= free_from && start + text.len() <= labels.len() {
            labels.splice(start..start + text.len(), text.chars());
            free_from = start + text.len() + 1;
        }
    }
    let pad = " ".repeat(indent);
    let ruler: String = ruler.into_iter().collect();
    let labels: String = labels.into_iter().collect();
    format!("{pad}{ruler}\n{pad}{}\n\n", labels.trim_end())
}

/// The late timers, latest first, with who filed each and who held the loop.
fn late_list(layout: &Layout) -> String {
    const SHOWN: usize = 8;
    let mut out = match layout.late.len() {
        0 => return String::new(),
        n => format!("\nlate timers ({n}), latest first:\n"),
    };
    for timer in layout.late.iter().take(SHOWN).map(|&i| &layout.timers[i]) {
        let (late, due) = (human(timer.late_by().unwrap_or(0.0)), human(timer.deadline));
        let owner = layout.task_label(timer.task).unwrap_or("an unknown task");
        out += &format!("  {late} late: a timer of {owner}, due at {due}\n");
        if let Some((holder, held)) = layout.blame(timer) {
            out += &format!(
                "    while a {} poll of {holder} held the loop\n",
                human(held)
            );
        }
    }
    if layout.late.len() > SHOWN {
        out += &format!("  ... and {} more\n", layout.late.len() - SHOWN);
    }
    out
}
