//! A hierarchical timer wheel: the data structure an event loop services
//! between polls.
//!
//! # The problem
//!
//! An event loop holds thousands of timeouts, and nearly all of them are
//! cancelled before they fire: a request that answers in time cancels its
//! timeout. So what matters is the cost of *insert* and *cancel*, and of
//! answering "when is the next one due?" so the loop knows how long to sleep.
//! A binary heap or a balanced tree answers the last question well but pays
//! O(log n) for the first two, and a heap cannot cancel at all without an
//! index or lazy deletion.
//!
//! # Timing wheels
//!
//! Varghese and Lauck ("Hashed and Hierarchical Timing Wheels", SOSP 1987)
//! made insert and cancel O(1) by bucketing timers by deadline in a circular
//! array of slots, like the second hand of a clock: a timer due in 5 ticks
//! goes 5 slots ahead of the hand. One wheel covering every possible deadline
//! would be enormous, so the *hierarchical* wheel stacks several: the hours
//! hand, the minutes hand, the seconds hand. A timer is filed in the coarsest
//! wheel that tells it apart from now, and moves to a finer wheel
//! (*cascades*) when the coarse slot it sits in comes round.
//!
//! # This wheel
//!
//! Ticks are `u64`. Each level has **64 slots** because one `u64` is then an
//! occupancy bitmap for the whole level: the next occupied slot is one
//! `trailing_zeros` away, and an empty level is one comparison. Six levels
//! span 2^36 ticks (about 2.2 years at 1 ms a tick); later deadlines wait in
//! an overflow list and are filed into the levels when the clock gets within
//! range, so they are never fired early nor lost. See [`level`] for how a
//! deadline picks its slot, and the `wheel` module for the invariants.
//!
//! Timers live in a `Vec` of 32-byte records, each holding a timer's value,
//! deadline and generation beside the `u32` indices that link it into its
//! slot's circular list, so insert and cancel are O(1), allocate nothing
//! once the `Vec` has grown, touch one cache line per timer, and cost 32
//! bytes per timer with a `u64` payload (the `slab` module has the layout,
//! and how the `Vec` grows with a fifth of its room spare at most). A
//! [`TimerKey`] carries a generation, so a stale key can never cancel
//! somebody else's timer.
//!
//! # Cascading, and what the Linux kernel does instead
//!
//! Cascading moves each timer at most once per level, and only the timers
//! that actually reach their slot pay for it; the many that are cancelled
//! early never move. The Linux kernel, since 4.8, does not cascade at all: a
//! timer stays in the slot it was filed in and fires when that slot's
//! granularity comes round, up to about 12% late for long timeouts. That
//! trade buys cheaper bookkeeping for the kernel's millions of networking
//! timeouts that never fire.
//!
//! waitfor exists to measure **how late** a timer fires and why, so it cannot
//! add lateness of its own: here a timer fires at the tick of its deadline,
//! exactly, and in deadline order. The price is the cascade, paid by timers
//! that survive to their slot, and bounded by the number of levels.
//!
//! # The contract
//!
//! * [`Wheel::insert`] and [`Wheel::cancel`] are O(1).
//! * [`Wheel::advance`] fires every timer with `deadline <= now` exactly once,
//!   in non-decreasing deadline order, never early; its cost is proportional
//!   to the occupied slots it visits, not to the ticks it skips.
//! * [`Wheel::next_expiration`] is at or before the earliest deadline.
//! * A deadline in the past is due at the next advance.
//! * [`Wheel::expire`] fires as `advance` does, but leaves the caller's
//!   stamp in each fired timer's place, under its key, until
//!   [`Wheel::collect`] (or `cancel`) frees it: so whoever holds the key
//!   learns, whenever it next looks, that the timer fired and what the stamp
//!   says (an executor stamps the instant it fired at). Expired timers are
//!   not pending: they are in no slot, and [`Wheel::len`] does not count them.
//!
//! ```
//! use waitfor_timer::Wheel;
//!
//! let mut wheel = Wheel::new();
//! for deadline in [300, 7, 7, 10_000_000_000_000] {
//!     wheel.insert(deadline, deadline);
//! }
//! let mut fired = Vec::new();
//! wheel.advance(u64::MAX, |_, value| fired.push(value));
//! assert_eq!(fired, [7, 7, 300, 10_000_000_000_000]);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod key;
pub mod level;
mod slab;
mod wheel;

pub use key::TimerKey;
pub use wheel::Wheel;
