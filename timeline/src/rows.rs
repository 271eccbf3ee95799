//! Sorting timers and `wait_for`s into labelled rows, and each row into
//! lanes, so that a reader can tell the timeout from the sleep inside it.
//!
//! A row holds the timers that are the same thing: the timeouts of the
//! `wait_for`s of one task with one timeout ("timeout of wait_for, 1 s", in
//! task `fetch`), or the sleeps of one task of one length ("sleep(3 s)", in
//! block_on). A loop that sleeps a thousand times is one row, not a thousand.
//! Timeout rows come first, then the others, each in order of appearance;
//! beyond a few rows, the rest share one row of "other timers".
//!
//! Within a row, items that overlap in time go in separate lanes (greedy
//! interval packing, in order of start), so that none overwrites another; a
//! row has at most a few lanes, and the last is shared beyond that.

use crate::axis::{about, human};
use crate::layout::{Layout, Place, TimerRow};
use waitfor_executor::trace::Trace;

/// The most rows of timers drawn one kind each; the rest share one more.
const MAX_ROWS: usize = 8;
/// The most lanes in one row; beyond, items share the last one.
const MAX_LANES: usize = 3;

/// Something drawn in a row: a `wait_for` (with its timer) or a timer alone.
#[derive(Clone, Copy)]
enum Item {
    WaitFor(usize),
    Timer(usize),
}

impl Layout {
    /// The trace paired (`Layout::paired`) and its timers sorted into rows:
    /// what the renderers draw.
    pub(super) fn of(trace: &Trace) -> Layout {
        let mut layout = Layout::paired(trace);
        layout.timer_rows = assign_rows(&mut layout);
        layout
    }
}

/// Puts every `wait_for` and every timer in a row and a lane; returns the rows.
fn assign_rows(layout: &mut Layout) -> Vec<TimerRow> {
    let items = (0..layout.wait_fors.len()).map(Item::WaitFor);
    let alone = (0..layout.timers.len()).filter(|&i| layout.timers[i].timeout_of.is_none());
    let items: Vec<Item> = items.chain(alone.map(Item::Timer)).collect();
    let mut rows: Vec<TimerRow> = Vec::new();
    let mut members: Vec<Vec<(Item, f64, f64)>> = Vec::new();
    for item in items {
        let (mut what, mut owner) = label(layout, item);
        let is = |what: &str, owner: &str, row: &TimerRow| row.what == what && row.owner == owner;
        if rows.len() >= MAX_ROWS && !rows.iter().any(|row| is(&what, &owner, row)) {
            (what, owner) = ("other timers".to_owned(), String::new());
        }
        let index = match rows.iter().position(|row| is(&what, &owner, row)) {
            Some(index) => index,
            None => {
                rows.push(TimerRow {
                    what,
                    owner,
                    lanes: 1,
                });
                members.push(Vec::new());
                rows.len() - 1
            }
        };
        let (start, end) = extent(layout, item);
        members[index].push((item, start, end));
    }
    for (index, (row, members)) in rows.iter_mut().zip(&mut members).enumerate() {
        members.sort_by(|a, b| a.1.total_cmp(&b.1));
        let mut lane_ends: Vec<f64> = Vec::new();
        for &(item, start, end) in members.iter() {
            let lane = pack(&mut lane_ends, start, end, MAX_LANES);
            set_place(layout, item, Place { row: index, lane });
        }
        row.lanes = lane_ends.len().max(1);
    }
    rows
}

/// The first lane free at `start` for an item ending at `end` (a new lane
/// if none is, up to `max_lanes`; beyond, the last is shared), given each
/// lane's end so far. Items must come in order of start.
pub(super) fn pack(lane_ends: &mut Vec<f64>, start: f64, end: f64, max_lanes: usize) -> usize {
    let lane = match lane_ends.iter().position(|&lane_end| lane_end <= start) {
        Some(lane) => lane,
        None if lane_ends.len() < max_lanes.max(1) => {
            lane_ends.push(end);
            lane_ends.len() - 1
        }
        None => lane_ends.len() - 1,
    };
    lane_ends[lane] = lane_ends[lane].max(end);
    lane
}

fn set_place(layout: &mut Layout, item: Item, place: Place) {
    match item {
        Item::WaitFor(i) => {
            layout.wait_fors[i].place = place;
            if let Some(timer) = layout.wait_fors[i].timer {
                layout.timers[timer].place = place;
            }
        }
        Item::Timer(i) => layout.timers[i].place = place,
    }
}

/// What an item is and whose, as its row says it.
fn label(layout: &Layout, item: Item) -> (String, String) {
    let (task, what) = match item {
        Item::WaitFor(i) => {
            let wait_for = &layout.wait_fors[i];
            let what = match wait_for.timeout {
                Some(timeout) => format!("timeout of wait_for, {}", human(timeout)),
                None => "timeout of wait_for".to_owned(),
            };
            (wait_for.task, what)
        }
        Item::Timer(i) => {
            let timer = &layout.timers[i];
            let what = match timer.asked {
                Some(asked) if asked > 0.0 => format!("sleep({})", about(asked)),
                Some(_) => "sleep, already due".to_owned(),
                None => "timer".to_owned(),
            };
            (timer.task, what)
        }
    };
    let owner = layout.task_label(task).map(|label| format!("in {label}"));
    (what, owner.unwrap_or_default())
}

/// From when to when an item occupies its lane.
fn extent(layout: &Layout, item: Item) -> (f64, f64) {
    let timer_extent = |i: usize| {
        let timer = &layout.timers[i];
        let start = timer
            .filed
            .map_or(timer.deadline, |f| f.min(timer.deadline));
        (start, timer.fired.unwrap_or(timer.waited_until(layout.end)))
    };
    match item {
        Item::Timer(i) => timer_extent(i),
        Item::WaitFor(i) => {
            let wait_for = &layout.wait_fors[i];
            let start = wait_for.started.unwrap_or(wait_for.deadline);
            let end = wait_for.returned.map_or(layout.last, |(at, _)| at);
            let (start, end) = (start.min(wait_for.deadline), end.max(wait_for.deadline));
            match wait_for.timer.map(timer_extent) {
                Some((s, e)) => (start.min(s), end.max(e)),
                None => (start, end),
            }
        }
    }
}
