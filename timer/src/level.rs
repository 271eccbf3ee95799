//! Where a deadline is filed: the arithmetic of levels and slots.
//!
//! Read a tick as a number written in base 64. Level 0 holds the ticks of the
//! current 64-tick rotation, one slot per tick; level 1 holds the current
//! 4096-tick rotation, one slot per 64 ticks; and so on up to level 5, whose
//! slots are 2^30 ticks wide. A deadline is filed at the **highest base-64
//! digit in which it differs from the wheel's clock**: every digit above that
//! one is shared with the clock, so the deadline lies in the level's current
//! rotation, and the slot is the deadline's own digit at that level.
//!
//! Two facts follow, and the whole wheel leans on them:
//!
//! * A slot at level `L` is never at or behind the clock's own digit at `L`
//!   (a deadline equal in that digit would differ lower down), so the lowest
//!   set bit of a level's occupancy bitmap is that level's next event, and a
//!   lower level's events always come before a higher level's.
//! * The place of a pending timer can be recomputed from its deadline and the
//!   clock at any moment until its slot comes due, which is why moving the
//!   clock forward without visiting empty slots is safe.

/// Bits of the tick that one level resolves: 64 slots, one `u64` bitmap.
pub(crate) const SLOT_BITS: u32 = 6;

/// Slots in each level of the wheel.
pub const SLOTS_PER_LEVEL: usize = 1 << SLOT_BITS;

/// Levels in the wheel. Together they span 2^36 ticks (about 2.2 years at 1 ms).
pub const LEVELS: usize = 6;

/// Ticks spanned by all levels: `2^(SLOT_BITS * LEVELS)`.
pub const RANGE: u64 = 1 << (SLOT_BITS as usize * LEVELS);

/// Where a timer belongs, given its deadline and the wheel's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// The deadline is already behind the clock: it fires at the next advance.
    Overdue,
    /// A slot in one of the levels.
    Slot { level: usize, slot: usize },
    /// Beyond the top level's current rotation: held aside and re-filed when
    /// the clock enters the deadline's rotation.
    Overflow,
}

/// Files `deadline` relative to the clock reading `now`.
#[inline]
pub(crate) fn place(deadline: u64, now: u64) -> Place {
    if deadline < now {
        return Place::Overdue;
    }
    // OR-ing in the low digit makes "no difference at all" land on level 0.
    let differing = (deadline ^ now) | (SLOTS_PER_LEVEL as u64 - 1);
    let highest_bit = 63 - differing.leading_zeros();
    let level = (highest_bit / SLOT_BITS) as usize;
    if level >= LEVELS {
        Place::Overflow
    } else {
        Place::Slot {
            level,
            slot: digit(deadline, level),
        }
    }
}

/// The base-64 digit of `tick` at `level`.
#[inline]
pub(crate) fn digit(tick: u64, level: usize) -> usize {
    ((tick >> (level as u32 * SLOT_BITS)) & (SLOTS_PER_LEVEL as u64 - 1)) as usize
}

/// The first tick covered by `slot` of `level` in the rotation that contains
/// `now`. For level 0 this is the exact deadline of every timer in the slot;
/// for higher levels it is at or before each of them.
pub(crate) fn slot_start(now: u64, level: usize, slot: usize) -> u64 {
    let shift = level as u32 * SLOT_BITS;
    let rotation_start = now & !((1u64 << (shift + SLOT_BITS)) - 1);
    rotation_start + ((slot as u64) << shift)
}

/// The first tick of the top-level rotation that contains `tick`.
pub(crate) fn rotation_start(tick: u64) -> u64 {
    tick & !(RANGE - 1)
}

/// One occupancy bit per slot, one `u64` per level: finding the next event
/// is a `trailing_zeros` per non-empty level, never a scan of slots.
#[derive(Clone, Debug, Default)]
pub(crate) struct Occupancy {
    bits: [u64; LEVELS],
}

impl Occupancy {
    /// Marks a slot occupied. Most inserts land in a slot that already has
    /// timers, so the word is written only when the bit is new: measured on
    /// insert-then-cancel, a load and a predictable branch cost less than a
    /// read-modify-write of the word on every insert.
    #[inline]
    pub(crate) fn set(&mut self, level: usize, slot: usize) {
        let bit = 1 << slot;
        if self.bits[level] & bit == 0 {
            self.bits[level] |= bit;
        }
    }

    #[inline]
    pub(crate) fn clear(&mut self, level: usize, slot: usize) {
        self.bits[level] &= !(1 << slot);
    }

    /// The earliest occupied slot: the lowest non-empty level's lowest bit.
    pub(crate) fn first(&self) -> Option<(usize, usize)> {
        self.bits
            .iter()
            .position(|&bits| bits != 0)
            .map(|level| (level, self.bits[level].trailing_zeros() as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_tick_and_same_rotation_go_to_level_zero() {
        assert_eq!(place(5, 5), Place::Slot { level: 0, slot: 5 });
        assert_eq!(place(63, 0), Place::Slot { level: 0, slot: 63 });
    }

    #[test]
    fn the_highest_differing_digit_picks_the_level() {
        assert_eq!(place(64, 63), Place::Slot { level: 1, slot: 1 });
        assert_eq!(place(4096 * 3 + 5, 0), Place::Slot { level: 2, slot: 3 });
        assert_eq!(place(RANGE - 1, 0), Place::Slot { level: 5, slot: 63 });
        assert_eq!(place(RANGE, 0), Place::Overflow);
        assert_eq!(place(u64::MAX, 0), Place::Overflow);
        assert_eq!(place(4, 5), Place::Overdue);
    }

    #[test]
    fn slot_start_is_within_the_clocks_rotation() {
        assert_eq!(slot_start(70, 0, 10), 74);
        assert_eq!(slot_start(70, 1, 3), 192);
        assert_eq!(slot_start(u64::MAX, 0, 63), u64::MAX);
    }

    #[test]
    fn first_occupied_prefers_lower_levels() {
        let mut occupancy = Occupancy::default();
        assert_eq!(occupancy.first(), None);
        occupancy.set(3, 1);
        occupancy.set(1, 40);
        occupancy.set(1, 9);
        assert_eq!(occupancy.first(), Some((1, 9)));
        occupancy.clear(1, 9);
        occupancy.clear(1, 40);
        assert_eq!(occupancy.first(), Some((3, 1)));
    }
}
