//! `Elapsed`, what a `wait_for` returns when its deadline wins, and the
//! `Blame` it carries with diagnostics on: when the deadline was, when the
//! loop fired it, and who held the loop meanwhile.
//!
//! `Blame` is the answer of the instruments' blame hook, so it is defined
//! with the hooks (`observer.rs`), not with the diagnostics that fill it
//! in: so `wait_for` reaches no instrument to say what it returns.

use crate::observer::Blame;
use std::fmt;
use std::time::{Duration, Instant};

/// The error of a timed-out [`wait_for`](crate::wait_for): when the deadline was, when the
/// loop got round to firing it, and (with diagnostics on) who held the loop.
///
/// ```
/// use std::time::Duration;
/// use waitfor_executor::{advance, sleep, wait_for, Executor};
///
/// let executor = Executor::builder().virtual_clock().diagnostics(true).build();
/// let elapsed = executor.block_on(async {
///     let timed = wait_for(sleep(Duration::from_secs(9)), Duration::from_secs(1));
///     let blocker = waitfor_executor::spawn(async { advance(Duration::from_secs(3)) });
///     let elapsed = timed.await.unwrap_err();
///     blocker.await.unwrap();
///     elapsed
/// });
/// assert_eq!(elapsed.lateness(), Duration::from_secs(2));
/// assert_eq!(elapsed.blocked_for(), Some(Duration::from_secs(3)));
/// assert!(elapsed.to_string().starts_with("timed out 2.000 s late"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elapsed {
    deadline: Instant,
    fired_at: Instant,
    /// Boxed: a `Result<T, Elapsed>` is as big as its larger side, and every
    /// `wait_for` returns one, timeout or not, so `Elapsed` is kept small.
    blame: Option<Box<Blame>>,
}

impl Elapsed {
    pub(crate) fn new(deadline: Instant, fired_at: Instant, blame: Option<Box<Blame>>) -> Self {
        Elapsed {
            deadline,
            fired_at,
            blame,
        }
    }

    /// The instant the timeout was due.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The instant of the loop's timer step that fired it, exactly, even
    /// when the timeout was looked at many turns later: the step leaves it
    /// with the fired timer, and the poll that sees the timer fired takes it.
    pub fn fired_at(&self) -> Instant {
        self.fired_at
    }

    /// How much later than its deadline the loop fired the timer: zero when
    /// the loop was free, the length of the block when a poll held it.
    pub fn lateness(&self) -> Duration {
        self.fired_at.saturating_duration_since(self.deadline)
    }

    /// With diagnostics on: the task whose poll was running when the
    /// deadline passed (its name, or its id and spawn site).
    pub fn blamed_task(&self) -> Option<&str> {
        self.blame.as_ref().map(|blame| blame.task.as_str())
    }

    /// With diagnostics on: how long that one poll held the loop.
    pub fn blocked_for(&self) -> Option<Duration> {
        self.blame.as_ref().map(|blame| blame.held_for)
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let late = self.lateness().as_secs_f64();
        match &self.blame {
            Some(blame) => write!(
                f,
                "timed out {late:.3} s late: {} held the loop for {:.3} s in one poll",
                blame.task,
                blame.held_for.as_secs_f64()
            ),
            None => write!(f, "timed out; the timer fired {late:.3} s late"),
        }
    }
}

impl std::error::Error for Elapsed {}
