//! The layout both renderers share: the trace's events paired into polls,
//! parks, blocking jobs, timers and `wait_for`s.
//!
//! A timer is filed, due, and then fired or cancelled; its events carry the
//! same deadline (the tick it was filed at), and a fire matches the filing
//! with the closest deadline at or before its tick. Each timer is credited
//! to the task whose poll filed it.
//!
//! A `wait_for` is paired apart from its timer, by its exact deadline: its
//! start, the filing of its timeout (the timer filed just before that
//! event), and its return. So a `wait_for` whose timer was never filed is
//! still there to draw, with the deadline nobody watched. `rows.rs` then
//! sorts both into labelled rows (and is where `Layout::of` is, the
//! layout complete); `fate.rs` says what became of each
//! `wait_for`.

use std::time::Duration;
use waitfor_executor::trace::{EventKind, Trace};
use waitfor_executor::TaskId;

/// Lateness beyond which a fire counts as late, in seconds.
pub(super) const LATE: f64 = 1e-3;

/// A stretch of time, in seconds since the executor was built.
#[derive(Clone, Copy, Debug)]
pub(super) struct Span {
    pub(super) start: f64,
    pub(super) end: f64,
}

pub(super) fn span(start: f64, end: f64) -> Span {
    Span { start, end }
}

/// A task (or the `block_on` future) and its polls.
pub(super) struct TaskRow {
    pub(super) id: TaskId,
    pub(super) label: String,
    pub(super) polls: Vec<Span>,
}

/// One row of the timeline's timers.
pub(super) struct TimerRow {
    /// What its timers are: `timeout of wait_for, 1 s`, `sleep(3 s)`.
    pub(super) what: String,
    /// Whose they are: `in task `fetch``, `in block_on`; empty if unknown.
    pub(super) owner: String,
    pub(super) lanes: usize,
}

/// Where a timer or `wait_for` is drawn: its row of timers, and its lane.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Place {
    pub(super) row: usize,
    pub(super) lane: usize,
}

/// One timer's life, in seconds: filed (if the ring kept it), due, fired.
pub(super) struct Timer {
    pub(super) task: Option<TaskId>,
    pub(super) filed: Option<f64>,
    /// How long after its filing it was asked to fire (its deadline before
    /// rounding up to the tick), if the ring kept its filing.
    pub(super) asked: Option<f64>,
    pub(super) deadline: f64,
    pub(super) fired: Option<f64>,
    pub(super) cancelled: Option<f64>,
    /// The `wait_for` whose timeout this is, if any.
    pub(super) timeout_of: Option<usize>,
    pub(super) place: Place,
}

impl Timer {
    fn new(task: Option<TaskId>, filed: Option<f64>, deadline: f64) -> Self {
        Timer {
            task,
            filed,
            asked: None,
            deadline,
            fired: None,
            cancelled: None,
            timeout_of: None,
            place: Place::default(),
        }
    }

    /// Until when it was waited for: its deadline, unless cancelled earlier
    /// or the trace ends first.
    pub(super) fn waited_until(&self, last: f64) -> f64 {
        self.deadline
            .min(self.cancelled.unwrap_or(f64::INFINITY))
            .min(last)
    }

    /// How late it fired, if it fired late.
    pub(super) fn late_by(&self) -> Option<f64> {
        let late = self.fired? - self.deadline;
        (late > LATE).then_some(late)
    }
}

/// One `wait_for`: created (if the ring kept it), due, its timer (if it was
/// ever filed), and its return.
pub(super) struct WaitFor {
    pub(super) task: Option<TaskId>,
    pub(super) started: Option<f64>,
    /// Its deadline, exactly (its timer's is rounded up to a tick).
    pub(super) deadline: f64,
    /// Its timeout, if the ring kept its start.
    pub(super) timeout: Option<f64>,
    pub(super) timer: Option<usize>,
    /// When it returned, and whether with `Err(Elapsed)`.
    pub(super) returned: Option<(f64, bool)>,
    pub(super) place: Place,
}

impl WaitFor {
    /// One created at `started` (if known) and due at `deadline`.
    fn new(task: Option<TaskId>, started: Option<Duration>, deadline: Duration) -> Self {
        let secs = |d: Duration| d.as_secs_f64();
        let (timer, returned, place) = (None, None, Place::default());
        WaitFor {
            task,
            started: started.map(secs),
            deadline: secs(deadline),
            // From the exact `Duration`s: no float rounding in labels.
            timeout: started.map(|at| secs(deadline.saturating_sub(at))),
            timer,
            returned,
            place,
        }
    }
}

/// The trace paired into rows, ready to draw.
pub(super) struct Layout {
    pub(super) tasks: Vec<TaskRow>,
    pub(super) timers: Vec<Timer>,
    pub(super) wait_fors: Vec<WaitFor>,
    pub(super) timer_rows: Vec<TimerRow>,
    /// The indices of the late timers that are no `wait_for`'s, latest first.
    pub(super) late: Vec<usize>,
    pub(super) parks: Vec<Span>,
    pub(super) jobs: Vec<(u64, Span)>,
    /// The first and last events' instants (the first is 0 unless events
    /// were dropped).
    pub(super) first: f64,
    pub(super) last: f64,
    /// The last instant shown: `last`, or a `wait_for`'s later deadline, so
    /// that a future that beat its deadline is seen to (unless that
    /// deadline is so far off that it would squash the picture).
    pub(super) end: f64,
}

/// How far past the last event a `wait_for`'s deadline may stretch the
/// axis, as a multiple of the trace's length.
const STRETCH: f64 = 4.0;

/// The `wait_for`s not returned yet, to pair their later events with.
struct Open(Vec<usize>);

impl Open {
    /// Where in the list the oldest open `wait_for` with this deadline is,
    /// preferring `task`'s (two with the same deadline are told apart so).
    fn find(&self, all: &[WaitFor], deadline: f64, task: Option<TaskId>) -> Option<usize> {
        let due = |i: usize| all[i].deadline == deadline;
        let own = self.0.iter().position(|&i| due(i) && all[i].task == task);
        own.or_else(|| self.0.iter().position(|&i| due(i)))
    }
}

/// A `wait_for` whose start the ring dropped, known from a later event.
fn unseen(wait_fors: &mut Vec<WaitFor>, task: Option<TaskId>, deadline: Duration) -> usize {
    wait_fors.push(WaitFor::new(task, None, deadline));
    wait_fors.len() - 1
}

impl Layout {
    /// Pairs the trace's events into rows, the timers not yet sorted into
    /// theirs (`rows.rs` does that, in `Layout::of`); whatever is open at
    /// the end of the trace (a poll, a park, a job) runs to its end.
    pub(super) fn paired(trace: &Trace) -> Layout {
        let events = trace.events();
        let secs = |d: Duration| d.as_secs_f64();
        let first = match events.iter().map(|e| e.at).min() {
            Some(at) if trace.dropped() > 0 => secs(at),
            _ => 0.0,
        };
        let last = events.iter().map(|e| secs(e.at)).fold(first, f64::max);
        let mut tasks: Vec<TaskRow> = Vec::new();
        let (mut timers, mut wait_fors) = (Vec::<Timer>::new(), Vec::<WaitFor>::new());
        let mut pending: Vec<(usize, Duration)> = Vec::new();
        let mut open = Open(Vec::new());
        let (mut parks, mut jobs, mut open_jobs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut polling, mut parked) = (None, None);
        for event in events {
            let at = secs(event.at);
            let task = polling.map(|(task, _)| task);
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
                EventKind::TimerInsert {
                    deadline,
                    requested,
                } => {
                    pending.push((timers.len(), deadline));
                    let mut timer = Timer::new(task, Some(at), secs(deadline));
                    // From the exact `Duration`s: no float rounding in labels.
                    timer.asked = Some(secs(requested.saturating_sub(event.at)));
                    timers.push(timer);
                }
                EventKind::TimerFire { deadline } => {
                    // The closest deadline at or before the fired tick; the oldest on a tie.
                    let best = (0..pending.len())
                        .filter(|&i| pending[i].1 <= deadline)
                        .min_by_key(|&i| (deadline - pending[i].1, i));
                    let index = match best {
                        Some(i) => pending.remove(i).0,
                        None => {
                            timers.push(Timer::new(None, None, secs(deadline)));
                            timers.len() - 1
                        }
                    };
                    // Lateness counts from the tick the deadline was rounded up to.
                    timers[index].deadline = secs(deadline);
                    timers[index].fired = Some(at);
                }
                EventKind::TimerCancel { deadline } => {
                    if let Some(i) = pending.iter().position(|&(_, d)| d == deadline) {
                        timers[pending.remove(i).0].cancelled = Some(at);
                    }
                }
                EventKind::WaitForStart { deadline } => {
                    open.0.push(wait_fors.len());
                    wait_fors.push(WaitFor::new(task, Some(event.at), deadline));
                }
                EventKind::WaitForTimerFiled { deadline } => {
                    let index = match open.find(&wait_fors, secs(deadline), task) {
                        Some(position) => open.0[position],
                        None => {
                            open.0.push(wait_fors.len());
                            unseen(&mut wait_fors, task, deadline)
                        }
                    };
                    // Its timer is the one filed just before, in the same poll.
                    let timer = timers.len().checked_sub(1);
                    if let Some(timer) = timer.filter(|&t| timers[t].timeout_of.is_none()) {
                        timers[timer].timeout_of = Some(index);
                        wait_fors[index].timer = Some(timer);
                    }
                }
                EventKind::WaitForEnd {
                    deadline,
                    timed_out,
                } => {
                    let index = match open.find(&wait_fors, secs(deadline), task) {
                        Some(position) => open.0.remove(position),
                        None => unseen(&mut wait_fors, task, deadline),
                    };
                    wait_fors[index].returned = Some((at, timed_out));
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
        let mut late: Vec<usize> = (0..timers.len()).collect();
        late.retain(|&i| timers[i].timeout_of.is_none() && timers[i].late_by().is_some());
        // Latest first (positive floats' bits sort like the floats).
        late.sort_by_key(|&i| std::cmp::Reverse(timers[i].late_by().map(f64::to_bits)));
        let deadlines = wait_fors.iter().map(|w| w.deadline);
        let end = deadlines
            .filter(|&d| d - first <= STRETCH * (last - first))
            .fold(last, f64::max);
        Layout {
            tasks,
            timers,
            wait_fors,
            timer_rows: Vec::new(),
            late,
            parks,
            jobs,
            first,
            last,
            end,
        }
    }

    /// The label of the task that filed a timer or made a `wait_for`, if known.
    pub(super) fn task_label(&self, task: Option<TaskId>) -> Option<&str> {
        let task = task?;
        Some(&self.tasks.iter().find(|row| row.id == task)?.label)
    }

    /// The poll that held the loop longest between `from` and `to`:
    /// (task label, poll length in seconds).
    pub(super) fn blame(&self, from: f64, to: f64) -> Option<(&str, f64)> {
        let overlap = |p: &Span| p.end.min(to) - p.start.max(from);
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
    let main = id.is_block_on().then(|| "block_on".to_owned());
    let label = main.unwrap_or_else(|| trace.label(id));
    let polls = Vec::new();
    tasks.push(TaskRow { id, label, polls });
    tasks.last_mut().unwrap()
}
