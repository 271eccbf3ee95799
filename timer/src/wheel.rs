//! The wheel: filing timers, finding the next one due, and firing them in order.
//!
//! A [`Wheel`] keeps a clock (`now`, in ticks) and three kinds of list:
//!
//! * **384 slot lists**, 64 per level, with an occupancy bitmap per level
//!   (see [`level`](crate::level)). A level-0 slot holds timers due at exactly
//!   one tick; a slot higher up holds a range and is *cascaded* when its range
//!   begins: each timer in it is filed again, one level lower or more.
//! * **The overdue list**: timers inserted with a deadline already behind the
//!   clock. They fire first at the next advance, sorted by deadline.
//! * **The overflow list**: timers beyond the top level's current rotation
//!   (more than 2^36 ticks ahead). When the clock enters the rotation of the
//!   earliest of them, those that now fit are filed into the levels.
//!
//! `advance(now)` repeatedly takes the earliest *event* (the first non-empty
//! slot, found with `trailing_zeros`, or one of the side lists), moves the
//! clock to its start, and fires or re-files it, until the next event lies
//! beyond `now`. Empty slots are never visited, so a jump of ten years costs
//! what the occupied slots on the way cost, not what the ticks cost.
//!
//! Invariants (checked by the unit and property tests):
//! 1. A timer in a level-`L` slot shares every base-64 digit above `L` with
//!    `now`, and its digit at `L` is at or ahead of `now`'s (strictly ahead
//!    for `L > 0`).
//! 2. Every overdue timer's deadline is behind `now`; every overflow timer's
//!    deadline lies in a later top-level rotation than `now`.
//! 3. `overdue_min` / `overflow_min` are at or before the earliest deadline in
//!    their list (cancelling may leave them earlier; never later).

//!
//! Fired timers that stay until their key's owner collects them are the
//! `expired` module's.

use crate::key::TimerKey;
use crate::level::{place, rotation_start, slot_start, Occupancy, Place, LEVELS, SLOTS_PER_LEVEL};
use crate::slab::{ListId, Slab};
use std::fmt;

mod expired;

const OVERDUE: ListId = (LEVELS * SLOTS_PER_LEVEL) as ListId;
const OVERFLOW: ListId = OVERDUE + 1;
const LIST_COUNT: usize = OVERFLOW as usize + 1;

/// How `advance` or `expire` takes a due timer out of its list: its value,
/// and the list if that is now empty.
pub(super) trait Take<T, S>: FnMut(&mut Slab<T, S>, u32) -> (T, Option<ListId>) {}
impl<T, S, F: FnMut(&mut Slab<T, S>, u32) -> (T, Option<ListId>)> Take<T, S> for F {}

fn slot_list(level: usize, slot: usize) -> ListId {
    (level * SLOTS_PER_LEVEL + slot) as ListId
}

/// A hierarchical timer wheel holding values of type `T` until their deadline,
/// and, for timers fired by [`expire`](Wheel::expire), a stamp of type `S`
/// until their key's owner collects it.
///
/// Time is a `u64` tick count; the wheel never reads a clock. The owner tells
/// it what time it is with [`advance`](Wheel::advance) and asks it when to come
/// back with [`next_expiration`](Wheel::next_expiration).
///
/// ```
/// use waitfor_timer::Wheel;
///
/// let mut wheel = Wheel::new();
/// let late = wheel.insert(1_000, "late");
/// wheel.insert(10, "soon");
/// assert_eq!(wheel.next_expiration(), Some(10));
///
/// let mut fired = Vec::new();
/// wheel.advance(500, |deadline, value| fired.push((deadline, value)));
/// assert_eq!(fired, [(10, "soon")]);
///
/// assert_eq!(wheel.cancel(late), Some("late"));
/// assert_eq!(wheel.cancel(late), None, "a key works once");
/// assert!(wheel.is_empty());
/// ```
pub struct Wheel<T, S = ()> {
    now: u64,
    slab: Slab<T, S>,
    occupancy: Occupancy,
    overdue_min: u64,
    overflow_min: u64,
    /// Reused buffer for sorting the overdue list, so firing it allocates
    /// nothing once the buffer has grown.
    scratch: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Overdue,
    Slot { level: usize, slot: usize },
    Overflow,
}

// The constructors are for a wheel without stamps, so that `Wheel::new()`
// needs no type annotation for `S`; a wheel with stamps is made by `default`.
impl<T> Wheel<T> {
    /// An empty wheel whose clock reads tick 0.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// An empty wheel with room for `capacity` pending timers before it
    /// allocates.
    pub fn with_capacity(capacity: usize) -> Self {
        Self::empty(capacity)
    }
}

impl<T, S> Wheel<T, S> {
    fn empty(capacity: usize) -> Self {
        Wheel {
            now: 0,
            slab: Slab::with_capacity(LIST_COUNT, capacity),
            occupancy: Occupancy::default(),
            overdue_min: u64::MAX,
            overflow_min: u64::MAX,
            scratch: Vec::new(),
        }
    }

    /// The wheel's clock: the tick it was last advanced to.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// How many timers are pending (expired ones, fired but not yet
    /// collected, are not).
    #[inline]
    pub fn len(&self) -> usize {
        self.slab.len()
    }

    /// Whether no timer is pending.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds a timer that fires once the clock reaches `deadline`. O(1).
    ///
    /// A deadline at or before [`now`](Wheel::now) is due at the next
    /// [`advance`](Wheel::advance); any `u64`, up to `u64::MAX`, is accepted.
    ///
    /// # Panics
    /// If 2^32 - 387 timers are already pending: the slab numbers its list
    /// nodes with a `u32`, and the wheel's 386 lists take the first numbers.
    //
    // `insert` and `cancel` are always inlined, with the slab's half of each:
    // left to the compiler they were calls that saved and restored registers
    // for their rare paths, a measurable share of an insert-then-cancel
    // (`docs/design-measurements.md`).
    #[inline(always)]
    pub fn insert(&mut self, deadline: u64, value: T) -> TimerKey {
        let list = self.file(deadline);
        self.slab.insert(deadline, value, list)
    }

    /// Removes a pending timer and returns its value. O(1).
    ///
    /// An expired timer (fired by [`expire`](Wheel::expire), not yet
    /// collected) is freed too, its stamp dropped, and `None` returned: its
    /// value is gone already. Returns `None`, and changes nothing, if the
    /// key's timer was freed already (fired by `advance`, cancelled, or
    /// collected).
    #[inline(always)]
    pub fn cancel(&mut self, key: TimerKey) -> Option<T> {
        let Some(index) = self.slab.resolve(key) else {
            self.collect(key);
            return None;
        };
        Some(self.remove(index))
    }

    /// Moves a pending timer to a new deadline, keeping its key and value.
    /// O(1), and it allocates nothing: the entry is unlinked from its list
    /// and linked into the new deadline's, as if it had been cancelled and
    /// inserted again (among equal deadlines it now comes last).
    ///
    /// Returns `false`, and changes nothing, if the key's timer already
    /// fired (an expired timer stays expired: collect or cancel it) or was
    /// cancelled. As with [`insert`](Wheel::insert), a deadline
    /// at or before [`now`](Wheel::now) is due at the next advance.
    ///
    /// ```
    /// use waitfor_timer::Wheel;
    ///
    /// let mut wheel = Wheel::new();
    /// let key = wheel.insert(1_000, "moved");
    /// assert!(wheel.reschedule(key, 10));
    /// assert_eq!(wheel.next_expiration(), Some(10));
    /// wheel.advance(10, |_, value| assert_eq!(value, "moved"));
    /// assert!(!wheel.reschedule(key, 20), "a fired key is stale");
    /// ```
    pub fn reschedule(&mut self, key: TimerKey, deadline: u64) -> bool {
        let Some(index) = self.slab.resolve(key) else {
            return false;
        };
        // Out of the old list first, so that `file` sees the new list's
        // state (its occupancy bit, whether a side list is empty) as it is
        // without this timer, even when old and new are the same list.
        if let Some(list) = self.slab.unlink(index) {
            self.list_emptied(list);
        }
        self.slab.set_deadline(index, deadline);
        let list = self.file(deadline);
        self.slab.link_back(index, list);
        true
    }

    /// Whether `key`'s timer is still pending: `false` once it has fired,
    /// even while it is expired and holds a stamp.
    pub fn contains(&self, key: TimerKey) -> bool {
        self.slab.resolve(key).is_some()
    }

    /// The deadline of `key`'s timer, if it is still pending.
    pub fn deadline(&self, key: TimerKey) -> Option<u64> {
        self.slab
            .resolve(key)
            .map(|index| self.slab.deadline(index))
    }

    /// The value of `key`'s timer, if it is still pending.
    pub fn get_mut(&mut self, key: TimerKey) -> Option<&mut T> {
        let index = self.slab.resolve(key)?;
        Some(self.slab.value_mut(index))
    }

    /// A tick at or before the earliest pending deadline, or `None` if no
    /// timer is pending. Computed from the bitmaps, without scanning slots.
    ///
    /// For a timer in a higher level this is the start of its slot, which may
    /// be earlier than its deadline: advancing to it cascades the slot, and
    /// the next call answers more precisely. It may also be behind `now`,
    /// when overdue timers wait for the next advance.
    pub fn next_expiration(&self) -> Option<u64> {
        self.next_event().map(|(at, _)| at)
    }

    /// The earliest pending deadline, exactly; `None` if no timer is pending.
    ///
    /// Unlike [`next_expiration`](Wheel::next_expiration) this may walk one
    /// list: the earliest non-empty one, where the earliest timer must be
    /// (nothing to walk when that is a level-0 slot, whose timers all share
    /// one deadline). For reports, not for the loop's hot path.
    pub fn earliest_deadline(&self) -> Option<u64> {
        let list = match self.next_event()? {
            (at, Event::Slot { level: 0, .. }) => return Some(at),
            (_, Event::Slot { level, slot }) => slot_list(level, slot),
            (_, Event::Overdue) => OVERDUE,
            (_, Event::Overflow) => OVERFLOW,
        };
        let mut earliest = u64::MAX;
        let mut cursor = self.slab.front(list);
        while let Some(index) = cursor {
            earliest = earliest.min(self.slab.deadline(index));
            cursor = self.slab.next(index);
        }
        Some(earliest)
    }

    /// Moves the clock to `now` and fires every timer whose deadline is at or
    /// before it, calling `fire(deadline, value)` once for each, in
    /// non-decreasing deadline order (insertion order among equal deadlines).
    /// Each is freed as it fires: its key is stale from then on.
    ///
    /// The clock never goes backwards: a `now` behind [`now`](Wheel::now)
    /// is taken as `now()`, which still fires any overdue timers. If `fire`
    /// panics, the timers not yet fired stay pending and the wheel stays
    /// consistent.
    pub fn advance(&mut self, now: u64, fire: impl FnMut(u64, T)) {
        self.fire_due(now, &mut |slab, index| slab.remove(index), fire);
    }

    /// The loop of `advance` and `expire`: `take` unlinks a due timer and
    /// hands back its value, and its list if that is now empty (freeing the
    /// entry, or leaving a stamp).
    #[inline(always)]
    pub(super) fn fire_due(
        &mut self,
        now: u64,
        take: &mut impl Take<T, S>,
        mut fire: impl FnMut(u64, T),
    ) {
        let now = now.max(self.now);
        while let Some((at, event)) = self.next_event() {
            if at > now {
                break;
            }
            match event {
                Event::Overdue => self.fire_overdue(take, &mut fire),
                Event::Slot { level: 0, slot } => {
                    self.now = at;
                    self.fire_slot(slot, take, &mut fire);
                }
                Event::Slot { level, slot } => {
                    self.now = at;
                    self.cascade(level, slot);
                }
                Event::Overflow => {
                    self.now = at;
                    self.refile_overflow();
                }
            }
        }
        self.now = now;
    }

    /// The earliest event and the tick it happens at. Overdue timers come
    /// first, then the lowest occupied slot (a lower level's slots all start
    /// before a higher level's), then the overflow list.
    fn next_event(&self) -> Option<(u64, Event)> {
        if !self.slab.is_list_empty(OVERDUE) {
            return Some((self.overdue_min, Event::Overdue));
        }
        if let Some((level, slot)) = self.occupancy.first() {
            return Some((
                slot_start(self.now, level, slot),
                Event::Slot { level, slot },
            ));
        }
        if !self.slab.is_list_empty(OVERFLOW) {
            return Some((rotation_start(self.overflow_min), Event::Overflow));
        }
        None
    }

    /// Picks the list for `deadline` and records that it is about to hold one
    /// more timer (occupancy bit, or the side list's lower bound).
    #[inline(always)]
    fn file(&mut self, deadline: u64) -> ListId {
        match place(deadline, self.now) {
            Place::Slot { level, slot } => {
                self.occupancy.set(level, slot);
                slot_list(level, slot)
            }
            Place::Overdue => {
                self.overdue_min = self.side_list_min(OVERDUE, self.overdue_min, deadline);
                OVERDUE
            }
            Place::Overflow => {
                self.overflow_min = self.side_list_min(OVERFLOW, self.overflow_min, deadline);
                OVERFLOW
            }
        }
    }

    fn side_list_min(&self, list: ListId, current: u64, deadline: u64) -> u64 {
        if self.slab.is_list_empty(list) {
            deadline
        } else {
            current.min(deadline)
        }
    }

    /// Unlinks and frees one entry, clearing its slot's bit if it was the last.
    #[inline(always)]
    fn remove(&mut self, index: u32) -> T {
        let (value, emptied) = self.slab.remove(index);
        if let Some(list) = emptied {
            self.list_emptied(list);
        }
        value
    }

    /// Out of line because it is rare on the hot path (most slots hold more
    /// than one timer), so that the check for it stays one branch.
    #[cold]
    #[inline(never)]
    fn list_emptied(&mut self, list: ListId) {
        if list < OVERDUE {
            let list = list as usize;
            self.occupancy
                .clear(list / SLOTS_PER_LEVEL, list % SLOTS_PER_LEVEL);
        }
    }

    /// Fires a level-0 slot: every timer in it is due at exactly `self.now`.
    /// Each is taken out before `fire` sees it, so a panic in `fire` leaves
    /// the rest pending.
    fn fire_slot(
        &mut self,
        slot: usize,
        take: &mut impl Take<T, S>,
        fire: &mut impl FnMut(u64, T),
    ) {
        let list = slot_list(0, slot);
        while let Some(index) = self.slab.front(list) {
            debug_assert_eq!(
                self.slab.deadline(index),
                self.now,
                "a level-0 slot holds one tick"
            );
            // Not `self.remove`: here emptying the slot is the rule, not
            // the exception, so its bit is cleared in line.
            let (value, emptied) = take(&mut self.slab, index);
            if emptied.is_some() {
                self.occupancy.clear(0, slot);
            }
            fire(self.now, value);
        }
    }

    /// The clock has reached the start of a higher slot's range: file each of
    /// its timers again. Each lands at least one level lower, because it now
    /// shares one more digit with the clock; insertion order is kept.
    fn cascade(&mut self, level: usize, slot: usize) {
        let list = slot_list(level, slot);
        self.occupancy.clear(level, slot);
        while let Some(index) = self.slab.front(list) {
            let target = self.file(self.slab.deadline(index));
            debug_assert!(target < list - (list % SLOTS_PER_LEVEL as ListId));
            self.slab.relink(index, target);
        }
    }

    /// The clock has entered the top-level rotation of the earliest overflow
    /// timer: file every overflow timer of this rotation into the levels, and
    /// recompute the lower bound of those still beyond it. This walks the
    /// whole overflow list, once per rotation that holds a deadline: a cost
    /// paid only by timers more than 2^36 ticks ahead.
    fn refile_overflow(&mut self) {
        let rotation = rotation_start(self.now);
        let mut remaining_min = u64::MAX;
        let mut cursor = self.slab.front(OVERFLOW);
        while let Some(index) = cursor {
            cursor = self.slab.next(index);
            let deadline = self.slab.deadline(index);
            if rotation_start(deadline) == rotation {
                let target = self.file(deadline);
                self.slab.relink(index, target);
            } else {
                remaining_min = remaining_min.min(deadline);
            }
        }
        self.overflow_min = remaining_min;
    }

    /// Fires the overdue list in deadline order. The list is FIFO, and the
    /// sort is stable, so equal deadlines keep their insertion order.
    fn fire_overdue(&mut self, take: &mut impl Take<T, S>, fire: &mut impl FnMut(u64, T)) {
        let mut due = std::mem::take(&mut self.scratch);
        due.clear();
        let mut cursor = self.slab.front(OVERDUE);
        while let Some(index) = cursor {
            due.push(index);
            cursor = self.slab.next(index);
        }
        due.sort_by_key(|&index| self.slab.deadline(index));
        for &index in &due {
            let deadline = self.slab.deadline(index);
            let (value, _) = take(&mut self.slab, index);
            fire(deadline, value);
        }
        self.scratch = due;
    }
}

impl<T, S> Default for Wheel<T, S> {
    fn default() -> Self {
        Self::empty(0)
    }
}

impl<T, S> fmt::Debug for Wheel<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wheel")
            .field("now", &self.now)
            .field("pending", &self.len())
            .field("expired", &self.expired_len())
            .field("next_expiration", &self.next_expiration())
            .finish()
    }
}
