//! Rendering a [`Trace`] as a text timeline, and the layout both renderers
//! share (`svg.rs` holds the time axis and number formatting).
//!
//! The layout pairs the events into polls, parks, blocking jobs and timers
//! (filed, due, fired: a fire matches the filing with the closest deadline
//! at or before its tick), credits each timer to the task whose poll filed
//! it, and puts it in one of a few *lanes*, so that timers waiting at the
//! same time do not overwrite each other. The timeline is plain ASCII: `#` a
//! poll, `+` a timer filed, `-` waiting, `~` overdue, `*` fired on time, `!`
//! fired late (by more than 1 ms), `.` the loop parked, `=` a blocking job.
//!
//! A timer that never fired in the trace is drawn up to its deadline only:
//! the trace does not record cancellations, so it cannot tell a cancelled
//! timer from one still pending.

use super::svg::{human, shorten, Axis};
use super::{EventKind, Trace};
use crate::waker::TaskId;
use std::time::Duration;

/// Lateness beyond which a fire counts as late, in seconds.
const LATE: f64 = 1e-3;
/// The most lanes timers are spread over; beyond, they share the last one.
const MAX_LANES: usize = 4;
/// The widest a row label gets.
const LABEL_MAX: usize = 26;
const LEGEND: &str = "# poll   + timer filed   - waiting   ~ overdue   * fired   ! fired late\n\
                      . loop parked   = blocking job\n";

/// A stretch of time, in seconds since the executor was built.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    pub(super) start: f64,
    pub(super) end: f64,
}

fn span(start: f64, end: f64) -> Span {
    Span { start, end }
}

/// A task (or the `block_on` future) and its polls.
pub(super) struct TaskRow {
    id: TaskId,
    pub(super) label: String,
    pub(super) polls: Vec<Span>,
}

/// One timer's life, in seconds: filed (if the ring kept it), due, fired.
pub(super) struct Timer {
    pub(super) task: Option<TaskId>,
    pub(super) filed: Option<f64>,
    pub(super) deadline: f64,
    pub(super) fired: Option<f64>,
    pub(super) lane: usize,
}

impl Timer {
    fn new(task: Option<TaskId>, filed: Option<f64>, deadline: f64, fired: Option<f64>) -> Self {
        let lane = 0;
        Timer {
            task,
            filed,
            deadline,
            fired,
            lane,
        }
    }

    /// How late it fired, if it fired late.
    pub(super) fn late_by(&self) -> Option<f64> {
        let late = self.fired? - self.deadline;
        (late > LATE).then_some(late)
    }
}

/// The trace paired into rows, ready to draw.
pub(super) struct Layout {
    pub(super) tasks: Vec<TaskRow>,
    pub(super) timers: Vec<Timer>,
    /// The indices of the late timers, latest first.
    pub(super) late: Vec<usize>,
    pub(super) lanes: usize,
    pub(super) parks: Vec<Span>,
    pub(super) jobs: Vec<(u64, Span)>,
    /// The first and last instants shown (the first is 0 unless events were dropped).
    pub(super) first: f64,
    pub(super) last: f64,
}

impl Layout {
    /// Pairs the trace's events into rows; whatever is open at the end of
    /// the trace (a poll, a park, a job) runs to its end.
    pub(super) fn of(trace: &Trace) -> Layout {
        let events = trace.events();
        let secs = |d: Duration| d.as_secs_f64();
        let first = match events.iter().map(|e| e.at).min() {
            Some(at) if trace.dropped() > 0 => secs(at),
            _ => 0.0,
        };
        let last = events.iter().map(|e| secs(e.at)).fold(first, f64::max);
        let mut tasks: Vec<TaskRow> = Vec::new();
        let mut timers: Vec<Timer> = Vec::new();
        let mut pending: Vec<(usize, Duration)> = Vec::new();
        let (mut parks, mut jobs, mut open_jobs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut polling, mut parked) = (None, None);
        for event in events {
            let at = secs(event.at);
            match event.kind {
                EventKind::PollStart { task } => {
                    row(&mut tasks, trace, task);
                    polling = Some((task, at));
                }
                EventKind::PollEnd { task } => {
                    let start = polling
                        .take()
                        .filter(|&(t, _)| t == task)
                        .map_or(first, |p| p.1);
                    row(&mut tasks, trace, task).polls.push(span(start, at));
                }
                EventKind::TimerInsert { deadline } => {
                    pending.push((timers.len(), deadline));
                    let task = polling.map(|(task, _)| task);
                    timers.push(Timer::new(task, Some(at), secs(deadline), None));
                }
                EventKind::TimerFire { deadline } => {
                    // The closest deadline at or before the fired tick; the oldest on a tie.
                    let best = (0..pending.len())
                        .filter(|&i| pending[i].1 <= deadline)
                        .min_by_key(|&i| (deadline - pending[i].1, i));
                    let Some(index) = best.map(|i| pending.remove(i).0) else {
                        timers.push(Timer::new(None, None, secs(deadline), Some(at)));
                        continue;
                    };
                    // Lateness counts from the tick the deadline was rounded up to.
                    timers[index].deadline = secs(deadline);
                    timers[index].fired = Some(at);
                }
                EventKind::Park { .. } => parks.extend(parked.replace(at).map(|s| span(s, at))),
                EventKind::Unpark => parks.push(span(parked.take().unwrap_or(first), at)),
                EventKind::BlockingStart { job } => open_jobs.push((job, at)),
                EventKind::BlockingEnd { job } => {
                    let start = match open_jobs.iter().position(|&(j, _)| j == job) {
                        Some(i) => open_jobs.remove(i).1,
                        None => first,
                    };
                    jobs.push((job, span(start, at)));
                }
            }
        }
        if let Some((task, start)) = polling {
            row(&mut tasks, trace, task).polls.push(span(start, last));
        }
        parks.extend(parked.map(|start| span(start, last)));
        let still_running = |(job, start)| (job, span(start, last));
        jobs.extend(open_jobs.into_iter().map(still_running));
        jobs.sort_by_key(|&(job, _)| job);
        let lanes = assign_lanes(&mut timers, last);
        let mut late: Vec<usize> = (0..timers.len()).collect();
        late.retain(|&i| timers[i].late_by().is_some());
        // Latest first (positive floats' bits sort like the floats).
        late.sort_by_key(|&i| std::cmp::Reverse(timers[i].late_by().map(f64::to_bits)));
        Layout {
            tasks,
            timers,
            late,
            lanes,
            parks,
            jobs,
            first,
            last,
        }
    }

    /// The label of the task that filed a timer, if known.
    pub(super) fn task_label(&self, task: Option<TaskId>) -> Option<&str> {
        let task = task?;
        Some(&self.tasks.iter().find(|row| row.id == task)?.label)
    }

    /// The poll that held the loop longest while `timer` was overdue:
    /// (task label, poll length in seconds).
    pub(super) fn blame(&self, timer: &Timer) -> Option<(&str, f64)> {
        let fired = timer.fired?;
        let overlap = |p: &Span| p.end.min(fired) - p.start.max(timer.deadline);
        let rows = self.tasks.iter();
        let polls = rows.flat_map(|row| row.polls.iter().map(move |poll| (row, poll)));
        let (row, poll) = polls
            .filter(|(_, poll)| overlap(poll) > 0.0)
            .max_by(|a, b| overlap(a.1).total_cmp(&overlap(b.1)))?;
        Some((&row.label, poll.end - poll.start))
    }
}

fn row<'a>(tasks: &'a mut Vec<TaskRow>, trace: &Trace, id: TaskId) -> &'a mut TaskRow {
    if let Some(index) = tasks.iter().position(|row| row.id == id) {
        return &mut tasks[index];
    }
    let main = (id == TaskId::MAIN).then(|| "block_on".to_owned());
    let label = main.unwrap_or_else(|| trace.label(id));
    let polls = Vec::new();
    tasks.push(TaskRow { id, label, polls });
    tasks.last_mut().unwrap()
}

/// Greedy interval packing, in order of start; returns the number of lanes.
/// A timer occupies its lane from filing (or deadline) to fire (or deadline).
fn assign_lanes(timers: &mut [Timer], last: f64) -> usize {
    let start = |t: &Timer| t.filed.map_or(t.deadline, |f| f.min(t.deadline));
    let mut order: Vec<usize> = (0..timers.len()).collect();
    order.sort_by(|&a, &b| start(&timers[a]).total_cmp(&start(&timers[b])));
    let mut lane_ends: Vec<f64> = Vec::new();
    for index in order {
        let timer = &mut timers[index];
        let end = timer.fired.unwrap_or(timer.deadline.min(last));
        let free = lane_ends
            .iter()
            .position(|&lane_end| lane_end <= start(timer));
        let lane = match free {
            Some(lane) => lane,
            None if lane_ends.len() < MAX_LANES => {
                lane_ends.push(end);
                lane_ends.len() - 1
            }
            None => MAX_LANES - 1,
        };
        lane_ends[lane] = lane_ends[lane].max(end);
        timer.lane = lane;
    }
    lane_ends.len().max(1)
}

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
        let rank = |c| "-.~#=+*!".find(c).map_or(0, |i| i + 1);
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
            let waited = timer.deadline.min(layout.last);
            if let Some(filed) = timer.filed.filter(|&f| f < waited) {
                cells.span(span(filed, waited), '-');
            }
            if let Some(fired) = timer.fired.filter(|_| timer.late_by().is_some()) {
                cells.span(span(timer.deadline, fired), '~');
            }
            if let Some(filed) = timer.filed {
                cells.put(cells.col(filed), '+');
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
