//! The SVG timeline's rows of timers: each timer's marks, each `wait_for`'s,
//! and the words on what became of them (`svg.rs` holds the page).
//!
//! A timer is a triangle where it was filed, a dashed line while it waits,
//! a bar at its deadline, and a dot where it fired: green on time, red with
//! a red arrow from its deadline if late. A `wait_for` adds a hollow circle
//! where it was created and a diamond under its line where it returned
//! (hollow `Ok`, solid `Err`), and always its deadline bar, even when its timer was never
//! filed: then a dashed red arrow runs from the deadline to the return,
//! over the poll that kept the timer from ever being filed. What became of
//! it is written above its line; a late timer's lateness likewise. Words
//! are placed so that none overlaps another in its lane, latest-late first.

use crate::axis::human;
use crate::layout::{Layout, Timer, WaitFor};
use crate::svg::{escape, lane_mid, svg, Page, FAINT, INK, LATE, ON_TIME, PLOT_LEFT, PLOT_RIGHT};
use std::fmt::Write;

/// Words already placed: (row, lane, from x, to x).
type Placed = Vec<(usize, usize, f64, f64)>;

impl Page {
    /// Every timer and `wait_for` of the layout, in the rows starting at `row_tops`.
    pub(super) fn draw_timers(&mut self, layout: &Layout, row_tops: &[f64]) {
        let mid = |place: super::layout::Place| row_tops[place.row] + lane_mid(place.lane);
        // Dashed lines from each late fire (or late return) up through the
        // polls that delayed it.
        let late_fires = layout.late.iter().map(|&i| {
            let timer = &layout.timers[i];
            (timer.fired.unwrap_or(timer.deadline), mid(timer.place))
        });
        let overdue = layout.wait_fors.iter().filter_map(|wait_for| {
            let (_, until) = layout.overdue(wait_for)?;
            Some((until, mid(wait_for.place)))
        });
        let mut drawn: Vec<f64> = Vec::new();
        let top = self.plot_top;
        for (t, y) in overdue.chain(late_fires) {
            let (x, y) = (self.x(t), y + 8.0);
            if !drawn.iter().any(|&d| (d - x).abs() < 1.0) {
                drawn.push(x);
                svg! { self, r#"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{y:.1}" stroke="{LATE}" stroke-dasharray="3 3" opacity="0.7"/>"# }
            }
        }
        // A `wait_for` first, so that its timer's fire or cancel shows on
        // top of its return, at the same instant when the timer decided it.
        let mut placed = Placed::new();
        for wait_for in &layout.wait_fors {
            self.wait_for(layout, wait_for, mid(wait_for.place), &mut placed);
        }
        for timer in &layout.timers {
            let owner = layout.task_label(timer.task);
            self.timer(timer, mid(timer.place), owner, layout.end);
        }
        for timer in layout.late.iter().map(|&i| &layout.timers[i]) {
            let (Some(late), Some(fired)) = (timer.late_by(), timer.fired) else {
                continue;
            };
            let label = format!("{} late", human(late));
            let centre = (self.x(timer.deadline) + self.x(fired)) / 2.0;
            let half = 3.6 * label.chars().count() as f64 + 4.0;
            let (place, y) = (timer.place, mid(timer.place) - 17.0);
            let style =
                format!(r#"text-anchor="middle" font-size="12" font-weight="bold" fill="{LATE}""#);
            self.words(&mut placed, place, centre - half, y, &label, &style);
        }
    }

    /// Writes `text` from `x` (moved left to stay in the plot), unless it
    /// would overlap words already placed in its lane.
    fn words(
        &mut self,
        placed: &mut Placed,
        place: super::layout::Place,
        x: f64,
        y: f64,
        text: &str,
        style: &str,
    ) {
        let width = 6.6 * text.chars().count() as f64;
        let x0 = x.min(PLOT_RIGHT - width).max(PLOT_LEFT);
        let x1 = x0 + width;
        let (row, lane) = (place.row, place.lane);
        let overlaps =
            |&(r, l, a, b): &(usize, usize, f64, f64)| (r, l) == (row, lane) && a < x1 && x0 < b;
        if !placed.iter().any(overlaps) {
            placed.push((row, lane, x0, x1));
            self.text(x0, y, style, text);
        }
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
        // A `wait_for`'s timer leaves its deadline to the `wait_for`'s own bar.
        let own_deadline = timer.timeout_of.is_none();
        if own_deadline && (timer.deadline <= last || timer.fired.is_some()) {
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

    /// A `wait_for`'s own marks, over its timer's: created (a hollow
    /// circle), its deadline (a bar, red if missed), overdue with no timer
    /// (a dashed red arrow), returned (a diamond), and what became of it.
    fn wait_for(&mut self, layout: &Layout, wait_for: &WaitFor, mid: f64, placed: &mut Placed) {
        let name = escape(&layout.wait_for_name(wait_for));
        let fate = layout.fate_words(wait_for);
        let deadline = self.x(wait_for.deadline);
        let overdue = layout.overdue(wait_for);
        if let Some(started) = wait_for.started {
            let x = self.x(started);
            let until = wait_for.returned.map_or(layout.last, |(at, _)| at);
            let until = self.x(wait_for.deadline.min(until));
            if until > x {
                svg! { self, r#"<line x1="{x:.1}" y1="{mid:.1}" x2="{until:.1}" y2="{mid:.1}" stroke="{FAINT}" stroke-width="1.5" stroke-dasharray="4 3"/>"# }
            }
            let at = human(started);
            svg! { self, r#"<circle cx="{x:.1}" cy="{mid:.1}" r="4" fill="white" stroke="{INK}" stroke-width="1.5"><title>{name}: created at {at}</title></circle>"# }
        }
        // Past the axis (a long timeout that was not needed), it is not drawn:
        // clamped to the edge, it would read as a deadline there.
        if wait_for.deadline <= layout.end {
            let (y0, y1, color) = (
                mid - 11.0,
                mid + 11.0,
                if overdue.is_some() { LATE } else { INK },
            );
            let due = human(wait_for.deadline);
            svg! { self, r#"<line x1="{deadline:.1}" y1="{y0:.1}" x2="{deadline:.1}" y2="{y1:.1}" stroke="{color}" stroke-width="2.5"><title>{name}: its deadline, {due}</title></line>"# }
        }
        if let Some((_, until)) = overdue.filter(|_| wait_for.timer.is_none()) {
            let end = self.x(until) - 10.0;
            if end - deadline > 6.0 {
                svg! { self, r#"<line x1="{deadline:.1}" y1="{mid:.1}" x2="{end:.1}" y2="{mid:.1}" stroke="{LATE}" stroke-width="2" stroke-dasharray="5 3" marker-end="url(#arrow)"><title>{name}: overdue, and its timer never filed</title></line>"# }
            }
        }
        if let Some((returned, timed_out)) = wait_for.returned {
            // Under its line, clear of the timer's marks at the same instant.
            let (x, y, at) = (self.x(returned), mid + 5.0, human(returned));
            let (fill, what) = if timed_out {
                (INK, "Err(Elapsed)")
            } else {
                ("white", "Ok")
            };
            svg! { self, r#"<path d="M{x:.1},{y:.1} l7,7 l-7,7 l-7,-7 z" fill="{fill}" stroke="{INK}" stroke-width="1.5"><title>{name}: returned {what} at {at}</title></path>"# }
        }
        let color = if overdue.is_some() { LATE } else { INK };
        let style = format!(r#"font-size="12" font-weight="bold" fill="{color}""#);
        let from = self.x(wait_for
            .started
            .unwrap_or(wait_for.deadline)
            .min(wait_for.deadline));
        self.words(
            placed,
            wait_for.place,
            from + 8.0,
            mid - 17.0,
            &fate,
            &style,
        );
    }
}
