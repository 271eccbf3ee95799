//! The layout both renderers share: the trace's events paired into polls,
//! parks, blocking jobs and timers.
//!
//! A timer is filed, due, and then fired or cancelled; its events carry the
//! same deadline (the tick it was filed at), and a fire matches the filing
//! with the closest deadline at or before its tick. Each timer is credited
//! to the task whose poll filed it, and put in one of a few *lanes*, so that
//! timers waiting at the same time do not overwrite each other.

use super::{EventKind, Trace};
use crate::waker::TaskId;
use std::time::Duration;

/// Lateness beyond which a fire counts as late, in seconds.
pub(super) const LATE: f64 = 1e-3;
/// The most lanes timers are spread over; beyond, they share the last one.
const MAX_LANES: usize = 4;

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
    pub(super) cancelled: Option<f64>,
    pub(super) lane: usize,
}

impl Timer {
    fn new(task: Option<TaskId>, filed: Option<f64>, deadline: f64, fired: Option<f64>) -> Self {
        let (cancelled, lane) = (None, 0);
        Timer {
            task,
            filed,
            deadline,
            fired,
            cancelled,
            lane,
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
                EventKind::TimerCancel { deadline } => {
                    if let Some(i) = pending.iter().position(|&(_, d)| d == deadline) {
                        timers[pending.remove(i).0].cancelled = Some(at);
                    }
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
        let end = timer.fired.unwrap_or(timer.waited_until(last));
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
