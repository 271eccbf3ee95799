//! The handle a caller keeps to cancel a timer: a slab index plus a generation.
//!
//! A slot in the slab is reused as soon as its timer fires or is cancelled, so
//! an index alone could name somebody else's timer. Each slot therefore counts
//! how many times it has been freed; a key remembers the count it was issued
//! with, and a key whose count no longer matches is stale and touches nothing.

use std::num::NonZeroU32;

/// Identifies one pending timer in a [`Wheel`](crate::Wheel).
///
/// Keys are cheap to copy and compare. A key outlives its timer harmlessly:
/// once the timer has fired or been cancelled, [`Wheel::cancel`](crate::Wheel::cancel)
/// and [`Wheel::get_mut`](crate::Wheel::get_mut) return `None` for it, even if
/// its slot now holds a newer timer. (The generation is 32 bits, so a key
/// could only be confused after its slot has been reused four billion times.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimerKey {
    pub(crate) index: u32,
    pub(crate) generation: NonZeroU32,
}
