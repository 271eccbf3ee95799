//! The tour's other kind of case: not a `wait_for` but an `Interval`
//! whose task blocked the loop, judged by when each of its ticks was seen.
//!
//! A `wait_for` case comes down to one instant, when it returned, and its
//! verdict judges that instant against a deadline. An interval has no
//! deadline and no result: what a reader should see is its schedule, each
//! tick's scheduled instant and the instant its task saw it. So this kind
//! predicts those instants, as tokio documents `MissedTickBehavior`, and
//! its check is that every tick came exactly then on the virtual clock, and
//! within [`MARGIN`] on the real one, where a sleep overshoots and the
//! wheel rounds deadlines up to its tick. Nothing here is dressed up as a
//! `wait_for`: the summary's `wait_for` columns say they do not apply.

use super::report::{fmt_duration, Shown, MARGIN};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use waitfor::demo::Clock;

/// One tick: when it was scheduled for, and when its task saw it, both
/// since the interval started.
pub type Tick = (Duration, Duration);

/// One call of an interval example's function: the ticks it saw.
pub type TickLesson = fn(Clock) -> Pin<Box<dyn Future<Output = Vec<Tick>>>>;

/// A case that watches an interval's ticks.
#[derive(Clone, Copy, Debug)]
pub struct TickCase {
    pub name: &'static str,
    /// What the case does, in one line.
    pub about: &'static str,
    /// Each tick's predicted instants, in ms since the interval started:
    /// when it is scheduled for, and when its task sees it (tick by tick,
    /// the two of the same length).
    pub scheduled: &'static [u64],
    pub seen: &'static [u64],
    /// What a reader should see, in one line: the verdict, when the ticks
    /// came as predicted.
    pub reading: &'static str,
    pub run: TickLesson,
}

/// What happened in one interval case.
#[derive(Clone, Debug)]
pub struct TickReport {
    pub case: TickCase,
    pub ticks: Vec<Tick>,
    /// How far from its predicted instants a tick may be and still count as
    /// predicted: zero on the virtual clock, [`MARGIN`] on the real one.
    pub margin: Duration,
    pub shown: Shown,
}

/// The first tick that differs from the prediction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// Its place in the run, from 1.
    pub number: usize,
    pub seen: Option<Tick>,
    pub predicted: Option<Tick>,
}

impl TickReport {
    /// How far from a predicted instant a tick may be, on `clock`.
    pub fn margin_on(clock: Clock) -> Duration {
        match clock {
            Clock::Real => MARGIN,
            Clock::Virtual => Duration::ZERO,
        }
    }

    /// The prediction, as [`Tick`]s.
    pub fn predicted(&self) -> Vec<Tick> {
        let ms = Duration::from_millis;
        let predicted = self.case.scheduled.iter().zip(self.case.seen);
        predicted
            .map(|(&scheduled, &seen)| (ms(scheduled), ms(seen)))
            .collect()
    }

    /// The first tick not seen where predicted (within the margin), or a
    /// tick too many or too few.
    pub fn mismatch(&self) -> Option<Mismatch> {
        let predicted = self.predicted();
        let near = |a: Duration, b: Duration| a.abs_diff(b) <= self.margin;
        (0..self.ticks.len().max(predicted.len())).find_map(|index| {
            let (seen, predicted) = (self.ticks.get(index), predicted.get(index));
            let matches = match (seen, predicted) {
                (Some(seen), Some(predicted)) => {
                    near(seen.0, predicted.0) && near(seen.1, predicted.1)
                }
                _ => false,
            };
            (!matches).then(|| Mismatch {
                number: index + 1,
                seen: seen.copied(),
                predicted: predicted.copied(),
            })
        })
    }

    pub fn as_predicted(&self) -> bool {
        self.mismatch().is_none()
    }

    /// How many ticks were seen more than [`MARGIN`] after their schedule.
    pub fn late(&self) -> usize {
        let late = self
            .ticks
            .iter()
            .filter(|(scheduled, seen)| *seen > *scheduled + MARGIN);
        late.count()
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tick = |tick: Option<Tick>| match tick {
            Some((scheduled, seen)) => format!(
                "scheduled at {}, seen at {}",
                fmt_duration(scheduled),
                fmt_duration(seen)
            ),
            None => "none".into(),
        };
        write!(
            f,
            "tick {}: {}; tokio's semantics predict {}",
            self.number,
            tick(self.seen),
            tick(self.predicted)
        )
    }
}
