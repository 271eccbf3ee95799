//! What one case did on a peer, and the words the README's peers table
//! uses for it.
//!
//! A case is one `wait_for` (Python) or `timeout` (tokio). What a reader
//! needs from it is what came back and when, counted from the call: "`Ok`
//! at 5 s", "`TimeoutError` at 500 ms, 400 ms late". [`Observation::cell`]
//! renders exactly that, and the tests compare it with the README cell for
//! the case, character for character, so the table cannot say something the
//! peer does not do.
//!
//! One scenario, `interval_burst`, is not a `wait_for`: its case is an
//! interval's ticks, and what a reader needs is when each was seen
//! ([`Ticks`]: "ticks seen at 550, 550, 600 ms"). Both end up as a [`Cell`],
//! a case's name and its words, which is all the table compares.
//!
//! Paused-clock runs are exact, so they are rendered exactly. Real-clock
//! runs (every Python run, and tokio's `spawn_blocking`, whose thread needs
//! real time) come back a little after the nominal moment, never before it:
//! their times are rounded *down* to a multiple of 100 ms, which absorbs up
//! to 99 ms of scheduling delay on a loaded machine while every nominal
//! moment in the scenarios stays a multiple of 100 ms.

use std::fmt::Write as _;
use std::time::Duration;

/// The granularity real-clock times are rounded down to.
pub const REAL_CLOCK_GRANULARITY: Duration = Duration::from_millis(100);

/// Which clock a case ran on, and so how exactly its times can be told.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// A virtual clock that moves only when told to (tokio's paused clock):
    /// times are exact.
    Paused,
    /// The system clock: times are rounded down to
    /// [`REAL_CLOCK_GRANULARITY`].
    Real,
}

/// What one case did: what `wait_for` (or `timeout`) returned, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observation {
    /// The case's name, as in the README's `case` column.
    pub case: String,
    /// What came back, in the peer's own words: `Ok`, `Err(Elapsed)`,
    /// `"done"`, `TimeoutError`...
    pub outcome: String,
    /// Whether that is the timeout (as opposed to a result or the inner
    /// future's own error).
    pub timed_out: bool,
    /// The timeout given to the call.
    pub timeout: Duration,
    /// How long after the call it returned.
    pub returned_after: Duration,
    /// The clock the case ran on.
    pub clock: Clock,
}

impl Observation {
    /// The README cell for this case: "`Ok` at 5 s", or, for a timeout that
    /// came back after its deadline, "`Err(Elapsed)` at 500 ms, 400 ms late".
    pub fn cell(&self) -> String {
        let returned_after = match self.clock {
            Clock::Paused => self.returned_after,
            Clock::Real => floor_to(self.returned_after, REAL_CLOCK_GRANULARITY),
        };
        let mut cell = format!("`{}` at {}", self.outcome, duration(returned_after));
        if self.timed_out && returned_after > self.timeout {
            let late = returned_after - self.timeout;
            write!(cell, ", {} late", duration(late)).expect("writing to a String");
        }
        cell
    }
}

/// When an interval's ticks were seen, counted from the interval's start,
/// on tokio's paused clock (CPython has no interval): exact instants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticks {
    /// The case's name, as in the README's `case` column.
    pub case: String,
    /// The instant each tick was seen, in order.
    pub seen: Vec<Duration>,
}

impl Ticks {
    /// The README cell: "ticks seen at 550, 550, 600 ms", in milliseconds,
    /// with a tenth when an instant has one.
    pub fn cell(&self) -> String {
        let instants: Vec<String> = self.seen.iter().copied().map(millis).collect();
        format!("ticks seen at {} ms", instants.join(", "))
    }
}

/// One case's cell in the README's peers table: the case's name, and the
/// words the table must hold for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    /// The case's name, as in the README's `case` column.
    pub case: String,
    /// The cell's text, as it reads in the README.
    pub words: String,
}

impl From<&Observation> for Cell {
    fn from(observation: &Observation) -> Cell {
        Cell {
            case: observation.case.clone(),
            words: observation.cell(),
        }
    }
}

impl From<&Ticks> for Cell {
    fn from(ticks: &Ticks) -> Cell {
        Cell {
            case: ticks.case.clone(),
            words: ticks.cell(),
        }
    }
}

fn floor_to(value: Duration, granularity: Duration) -> Duration {
    let steps = value.as_nanos() / granularity.as_nanos();
    granularity * u32::try_from(steps).expect("a case lasts less than 13 years")
}

/// "5 s", "500 ms", "230.4 ms", "0 ms": whole seconds as seconds, anything
/// else in milliseconds, with a tenth when it has one.
pub fn duration(value: Duration) -> String {
    let micros = value.as_micros();
    if micros != 0 && micros % 1_000_000 == 0 {
        format!("{} s", micros / 1_000_000)
    } else {
        format!("{} ms", millis(value))
    }
}

/// "500", "230.4": a duration in milliseconds, with a tenth when it has one.
fn millis(value: Duration) -> String {
    let micros = value.as_micros();
    if micros % 1_000 == 0 {
        (micros / 1_000).to_string()
    } else {
        format!("{:.1}", micros as f64 / 1_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(timed_out: bool, returned_after: Duration, clock: Clock) -> Observation {
        Observation {
            case: "as written".into(),
            outcome: if timed_out { "TimeoutError" } else { "Ok" }.into(),
            timed_out,
            timeout: Duration::from_millis(100),
            returned_after,
            clock,
        }
    }

    #[test]
    fn durations_read_as_a_person_would_write_them() {
        assert_eq!(duration(Duration::from_secs(5)), "5 s");
        assert_eq!(duration(Duration::from_millis(1500)), "1500 ms");
        assert_eq!(duration(Duration::from_millis(500)), "500 ms");
        assert_eq!(duration(Duration::from_micros(230_400)), "230.4 ms");
        assert_eq!(duration(Duration::ZERO), "0 ms");
    }

    #[test]
    fn a_late_timeout_says_how_late_and_a_result_does_not() {
        let late = observed(true, Duration::from_millis(500), Clock::Paused);
        assert_eq!(late.cell(), "`TimeoutError` at 500 ms, 400 ms late");
        let on_time = observed(true, Duration::from_millis(100), Clock::Paused);
        assert_eq!(on_time.cell(), "`TimeoutError` at 100 ms");
        let result = observed(false, Duration::from_millis(500), Clock::Paused);
        assert_eq!(result.cell(), "`Ok` at 500 ms");
    }

    #[test]
    fn real_clock_times_are_rounded_down_to_100_ms() {
        let slightly_late = observed(true, Duration::from_millis(537), Clock::Real);
        assert_eq!(
            slightly_late.cell(),
            "`TimeoutError` at 500 ms, 400 ms late"
        );
        let exact = observed(true, Duration::from_micros(537_300), Clock::Paused);
        assert_eq!(exact.cell(), "`TimeoutError` at 537.3 ms, 437.3 ms late");
    }

    #[test]
    fn ticks_read_as_the_instants_they_were_seen_at() {
        let ticks = Ticks {
            case: "Skip".into(),
            seen: [550_000, 1_000_000, 1_050_400]
                .map(Duration::from_micros)
                .to_vec(),
        };
        assert_eq!(
            Cell::from(&ticks).words,
            "ticks seen at 550, 1000, 1050.4 ms"
        );
        assert_eq!(Cell::from(&ticks).case, "Skip");
    }
}
