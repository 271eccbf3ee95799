//! How the tour words a case: its measurements when it ends, the summary
//! table at the end, and the opening and closing words.
//!
//! Each figure is named for what a user sees: when `wait_for` *returned*,
//! how far that is from the deadline, and what became of the timer, with
//! the reason whenever the timer's own figure differs from the return
//! (`wait_for` polls the future before it looks at a fired timer). The
//! verdict is a judgement of the return alone, so it can never contradict
//! the lines above it. An interval case ([`super::ticks`]) is worded by its
//! ticks instead, and the summary's `wait_for` columns say they do not apply.

use super::report::{fmt_duration, Outcome, Report, Timer, Verdict, WaitForReport, MARGIN};
use super::ticks::{Tick, TickReport};
use std::time::Duration;

/// The executors' tick (the default).
const TICK: Duration = Duration::from_millis(1);
use super::case::Scenario;
use std::fmt::Write as _;
use std::io::IsTerminal;
use waitfor::demo::Clock;

/// Colour, or not: on when stdout is a terminal and `NO_COLOR` is unset.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    colour: bool,
}

impl Style {
    pub fn detect() -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Style {
            colour: std::io::stdout().is_terminal() && !no_color,
        }
    }

    fn paint(self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Green if as predicted, red and marked with the prediction if not.
    fn judged(self, report: &Report, text: String) -> String {
        let unexpected = match report {
            Report::WaitFor(report) => (!report.as_predicted())
                .then(|| format!("the write-up predicts {}", report.case.expect)),
            Report::Ticks(report) => report.mismatch().map(|mismatch| mismatch.to_string()),
        };
        let Some(predicted) = unexpected else {
            return self.paint("32", &text);
        };
        self.paint("1;31", &format!("{text}: UNEXPECTED, {predicted}"))
    }
}

/// `+4.000 s`, `-500 ms`, `0 s`: when `wait_for` returned, against its
/// deadline, for the summary.
fn against_deadline(report: &WaitForReport) -> String {
    match report.returned.checked_sub(report.deadline()) {
        Some(late) if late.is_zero() => "0 s".into(),
        Some(late) => format!("+{}", fmt_duration(late)),
        None => format!("-{}", fmt_duration(report.deadline() - report.returned)),
    }
}

/// When `wait_for` returned against its deadline, in words.
fn returned(report: &WaitForReport) -> String {
    match report.returned.checked_sub(report.deadline()) {
        Some(late) if late.is_zero() => "at the deadline".into(),
        Some(late) => format!("{} after the deadline", fmt_duration(late)),
        None => format!(
            "{} before the deadline",
            fmt_duration(report.deadline() - report.returned)
        ),
    }
}

/// What a loop that is never held would give.
fn free_loop(report: &WaitForReport) -> String {
    let deadline = fmt_duration(report.deadline());
    if report.case.work > report.case.timeout {
        format!(
            "{deadline}; a free loop would end this with the timeout then (the future needs {})",
            fmt_duration(report.case.work)
        )
    } else {
        format!(
            "{deadline}; a free loop would end this with the result, at {}",
            fmt_duration(report.case.work)
        )
    }
}

/// What became of the timer, and why, in as many lines as it takes.
fn timer_lines(report: &WaitForReport) -> Vec<String> {
    let mut lines = vec![match report.timer {
        Timer::NeverFiled => {
            "never filed: the poll that would have filed it returned the result".into()
        }
        Timer::Cancelled => "cancelled when wait_for returned the result, before it was due".into(),
        Timer::FiredAndLost { late } => format!(
            "fired {} late, and lost: wait_for polled the future first, and it finished",
            fmt_duration(late)
        ),
        Timer::Fired { late, .. } if late.is_zero() => "fired on time".into(),
        Timer::Fired { late, .. } => format!("fired {} late", fmt_duration(late)),
    }];
    if let Timer::Fired { at, .. } = report.timer {
        // A real clock's few microseconds between the two are not worth a word.
        if report.returned >= at + TICK {
            lines.push(format!(
                "wait_for returned {} after it fired: it polls the future first, and the",
                fmt_duration(report.returned - at)
            ));
            lines.push("future ran on until it next returned Pending".into());
        }
    }
    if let Some(traced) = report.traced_lateness {
        lines.push(format!(
            "(the timeline shows {}: it counts from the deadline rounded up to a 1 ms tick)",
            fmt_duration(traced)
        ));
    }
    lines
}

/// The measurements of a finished case. The timeline's legend (the lines
/// from `# poll` to the next blank one) is left out unless `legend` is set:
/// the tour shows it once.
pub fn details(report: &Report, legend: bool, style: Style) -> String {
    let mut out = String::new();
    let mut field = |name: &str, value: &str| {
        let _ = writeln!(out, "{}", format!("     {name:<9} {value}").trim_end());
    };
    let (fields, verdict) = match report {
        Report::WaitFor(report) => (wait_for_fields(report), wait_for_verdict(report)),
        Report::Ticks(report) => (tick_fields(report), tick_verdict(report)),
    };
    for (name, value) in fields {
        field(name, &value);
    }
    field("verdict", &style.judged(report, verdict));
    let shown = report.shown();
    for (format, path) in &shown.files {
        field(&format.option()[2..], &path.display().to_string());
    }
    if let Some(timeline) = &shown.timeline {
        field("timeline", "");
        let mut lines: Vec<&str> = timeline.lines().map(str::trim_end).collect();
        if let Some(start) = lines.iter().position(|line| line.starts_with("# poll")) {
            if !legend {
                let len = lines[start..]
                    .iter()
                    .take_while(|line| !line.is_empty())
                    .count();
                lines.drain(start..start + len);
            }
        }
        lines.dedup_by(|line, previous| line.is_empty() && previous.is_empty());
        while lines.last().is_some_and(|line| line.is_empty()) {
            lines.pop();
        }
        for line in lines {
            let _ = writeln!(out, "{}", format!("       {line}").trim_end());
        }
    }
    out
}

/// A `wait_for` case's measurements, named.
fn wait_for_fields(report: &WaitForReport) -> Vec<(&'static str, String)> {
    let outcome = format!(
        "{}, wait_for returned at {}",
        report.outcome,
        fmt_duration(report.returned)
    );
    let mut fields = vec![
        ("outcome", outcome),
        ("deadline", free_loop(report)),
        ("returned", returned(report)),
    ];
    for (index, line) in timer_lines(report).into_iter().enumerate() {
        fields.push((if index == 0 { "timer" } else { "" }, line));
    }
    if let Some(blame) = report.blame() {
        fields.push(("blame", blame));
    }
    fields
}

fn wait_for_verdict(report: &WaitForReport) -> String {
    let verdict = report.verdict();
    let predicted = if report.as_predicted() {
        " (as the write-up predicts)"
    } else {
        ""
    };
    format!("{verdict}: {}{predicted}", verdict.meaning())
}

/// An interval case's measurements: its ticks, against tokio's schedule.
fn tick_fields(report: &TickReport) -> Vec<(&'static str, String)> {
    let within = match report.margin.is_zero() {
        true => "exactly".to_string(),
        false => format!("within {}", fmt_duration(report.margin)),
    };
    let late = format!(
        "{} of {} seen more than {} after their schedule",
        report.late(),
        report.ticks.len(),
        fmt_duration(MARGIN)
    );
    vec![
        (
            "ticks",
            format!("{} (scheduled->seen)", tick_pairs(&report.ticks)),
        ),
        ("late", late),
        (
            "predicted",
            format!("{} ({within})", tick_pairs(&report.predicted())),
        ),
        ("", "from tokio's documented MissedTickBehavior".into()),
    ]
}

/// `100->550, 600->600 ms`: each tick, scheduled and seen, in milliseconds.
fn tick_pairs(ticks: &[Tick]) -> String {
    let millis = |at: Duration| {
        let millis = format!("{:.1}", at.as_secs_f64() * 1e3);
        millis.trim_end_matches(".0").to_string()
    };
    let pairs: Vec<String> = ticks
        .iter()
        .map(|&(scheduled, seen)| format!("{}->{}", millis(scheduled), millis(seen)))
        .collect();
    format!("{} ms", pairs.join(", "))
}

fn tick_verdict(report: &TickReport) -> String {
    match report.as_predicted() {
        true => format!(
            "{ON_SCHEDULE}: {} (as tokio documents)",
            report.case.reading
        ),
        false => OFF_SCHEDULE.into(),
    }
}

/// An interval case's verdicts: its ticks came when tokio's semantics say,
/// or not.
const ON_SCHEDULE: &str = "on schedule";
const OFF_SCHEDULE: &str = "off schedule";

/// What the summary shows in a `wait_for` column of an interval case.
const NOT_A_WAIT_FOR: &str = "n/a";

/// The timer's fate in a few words, for the summary.
fn timer_cell(report: &WaitForReport) -> String {
    match report.timer {
        Timer::NeverFiled => "never filed".into(),
        Timer::Cancelled => "cancelled".into(),
        Timer::FiredAndLost { late } => format!("fired +{}, lost", fmt_duration(late)),
        Timer::Fired { late, .. } if late.is_zero() => "fired on time".into(),
        Timer::Fired { late, .. } => format!("fired +{}", fmt_duration(late)),
    }
}

/// A `wait_for` case's summary cells: outcome, returned, vs deadline, timer.
fn wait_for_cells(report: &WaitForReport) -> [String; 4] {
    let outcome = match &report.outcome {
        Outcome::TimedOut(_) => "timeout".to_string(),
        other => other.to_string(),
    };
    [
        outcome,
        fmt_duration(report.returned),
        against_deadline(report),
        timer_cell(report),
    ]
}

/// An interval case's summary cells: its ticks, and no `wait_for` figures.
fn tick_cells(report: &TickReport) -> [String; 4] {
    let outcome = format!("{} ticks, {} late", report.ticks.len(), report.late());
    [
        outcome,
        NOT_A_WAIT_FOR.into(),
        NOT_A_WAIT_FOR.into(),
        NOT_A_WAIT_FOR.into(),
    ]
}

/// The summary table: one row per case.
pub fn summary(runs: &[(&Scenario, Vec<Report>)], style: Style) -> String {
    let header = [
        "scenario",
        "case",
        "outcome",
        "returned",
        "vs deadline",
        "timer",
    ]
    .map(String::from);
    let mut rows: Vec<([String; 6], &Report)> = Vec::new();
    for (scenario, reports) in runs {
        for (index, report) in reports.iter().enumerate() {
            let name = if index == 0 { scenario.name } else { "" };
            let [outcome, returned, vs_deadline, timer] = match report {
                Report::WaitFor(report) => wait_for_cells(report),
                Report::Ticks(report) => tick_cells(report),
            };
            let cells = [
                name.to_string(),
                report.name().to_string(),
                outcome,
                returned,
                vs_deadline,
                timer,
            ];
            rows.push((cells, report));
        }
    }
    let mut widths = [0; 6];
    for cells in rows
        .iter()
        .map(|(cells, _)| cells.clone())
        .chain([header.clone()])
    {
        for (width, cell) in widths.iter_mut().zip(&cells) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String], last: &str| {
        let mut text = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            let _ = write!(text, "{cell:<width$}  ");
        }
        format!("{text}{last}\n")
    };
    let mut out = line(&header, "verdict");
    out += &line(&widths.map(|width| "-".repeat(width)), "-------");
    for (cells, report) in &rows {
        let verdict = match report {
            Report::WaitFor(report) => report.verdict().to_string(),
            Report::Ticks(report) if report.as_predicted() => ON_SCHEDULE.into(),
            Report::Ticks(_) => OFF_SCHEDULE.into(),
        };
        out += &line(cells, &style.judged(report, verdict));
    }
    out
}

/// The tour's opening words: the clock, and how to read a case.
pub fn preamble(clock: Clock) -> String {
    let clock = match clock {
        Clock::Real => "Real clock: the times below are measured, and vary a little.",
        Clock::Virtual => {
            "Virtual clock: blocking calls advance time instead; the times are exact."
        }
    };
    format!(
        "{clock}\n\
         Lines marked | are the case's prints, with when; lines marked ! are the\n\
         executor's slow-poll reports (its watchdog thread reports a poll while stuck).\n"
    )
}

/// The summary's legend.
pub fn legend() -> String {
    let verdicts = [
        Verdict::InTime,
        Verdict::OnTime,
        Verdict::Late,
        Verdict::Never,
    ];
    let mut out = String::from(
        "returned: when wait_for returned, since the case began; vs deadline: how long after (+)\n\
         or before (-) its deadline; timer: what became of the timeout's timer (+: how late it fired).\n",
    );
    for verdict in verdicts {
        let _ = writeln!(out, "{:>9}: {}", verdict.to_string(), verdict.meaning());
    }
    let margin = fmt_duration(MARGIN);
    let _ = writeln!(
        out,
        "{NOT_A_WAIT_FOR:>9}: not a wait_for: interval_burst's cases are an interval's ticks; their\n\
         \x20          outcome counts the ticks seen more than {margin} after their schedule\n\
         {ON_SCHEDULE}: every tick came when tokio's MissedTickBehavior says (exactly on the\n\
         \x20          virtual clock, within {margin} on the real one)"
    );
    out
}
