//! Whom a timer wakes, in 8 bytes: a task by id, or a foreign waker kept
//! aside.
//!
//! The wheel keeps one [`Alarm`] in every pending timer's record, and the
//! record is 32 bytes only if the alarm is 8 (the timer crate's `slab`
//! module has the layout). Nearly every timer is filed by the task that
//! polls it, with the task's own waker, and names that task by its
//! [`TaskId`], a `u64`. The few others (a combinator's waker, another
//! executor's) need a whole `Waker`, two words: storing one inline would
//! make every alarm 16 bytes and every record 40, so instead the waker goes
//! into a side slab here, [`ForeignWakers`], and the alarm holds its slot.
//!
//! An alarm is a `u64` read as a task id's halves, the slot's index in the
//! low 32 bits and its generation in the high ones. A foreign alarm uses
//! the index [`FOREIGN`], which no task ever has (the task slab stops short
//! of it, below the two ids the executor reserves at the top), and carries
//! its side-slab slot where a task's generation would be.
//!
//! **Ownership.** A foreign alarm owns its slot, as the `Waker` it stands
//! for would own the waker: whoever holds the alarm frees the slot with
//! [`ForeignWakers::release`] once the alarm is done with (fired, cancelled,
//! replaced), and drops the waker it gets back outside any borrow of the
//! wheel, since dropping a waker is user code. So `Alarm` is neither `Copy`
//! nor `Clone`: a copy would free one slot twice. Slots left in the slab
//! when the executor is dropped are dropped with it, once each.

use crate::ids::TaskId;
use std::task::Waker;

/// The task index no task has: the task slab's indices stay below it, and
/// `TaskId::MAIN` and `TaskId::NUDGE` use the two above it.
const FOREIGN: u32 = u32::MAX - 2;

/// Whom a timer wakes when it fires: a task, or a foreign waker held in
/// [`ForeignWakers`].
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Alarm(u64);

/// What an [`Alarm`] names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Whom {
    /// The task that was polling when the timer was filed, with its own
    /// waker: naming it by id clones no waker (an `Arc`, two atomic
    /// operations), and firing queues it directly.
    Task(TaskId),
    /// Any other waker: the slot in [`ForeignWakers`] that holds it.
    Foreign(u32),
}

impl Alarm {
    #[inline]
    pub(crate) fn task(task: TaskId) -> Alarm {
        debug_assert_ne!(task.index(), FOREIGN as usize, "no task has this index");
        Alarm(u64::from(task.generation()) << 32 | task.index() as u64)
    }

    #[inline]
    pub(crate) fn whom(&self) -> Whom {
        let (index, high) = (self.0 as u32, (self.0 >> 32) as u32);
        if index == FOREIGN {
            Whom::Foreign(high)
        } else {
            Whom::Task(TaskId::new(index, high))
        }
    }
}

/// The foreign wakers of pending (or fired, not yet woken) timers, by slot.
#[derive(Default)]
pub(crate) struct ForeignWakers {
    slots: Vec<Option<Waker>>,
    /// Vacant slots, reused last-freed first.
    free: Vec<u32>,
}

impl ForeignWakers {
    /// Keeps `waker` and returns the alarm that names it.
    pub(crate) fn insert(&mut self, waker: Waker) -> Alarm {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot as usize] = Some(waker);
                slot
            }
            None => {
                let slot = u32::try_from(self.slots.len()).expect("2^32 foreign wakers");
                self.slots.push(Some(waker));
                slot
            }
        };
        Alarm(u64::from(slot) << 32 | u64::from(FOREIGN))
    }

    /// The waker a foreign alarm names; `None` for a task's alarm.
    pub(crate) fn get(&self, alarm: &Alarm) -> Option<&Waker> {
        match alarm.whom() {
            Whom::Foreign(slot) => self.slots[slot as usize].as_ref(),
            Whom::Task(_) => None,
        }
    }

    /// Frees the slot a foreign alarm owns and returns its waker, for the
    /// caller to wake or drop once the wheel is no longer borrowed; `None`
    /// for a task's alarm, which owns nothing.
    #[inline]
    pub(crate) fn release(&mut self, alarm: Alarm) -> Option<Waker> {
        match alarm.whom() {
            Whom::Task(_) => None,
            Whom::Foreign(slot) => self.release_slot(slot),
        }
    }

    /// `release` of a foreign alarm: out of line, so that a task's alarm,
    /// the common case, costs its caller one compare.
    #[cold]
    #[inline(never)]
    fn release_slot(&mut self, slot: u32) -> Option<Waker> {
        let waker = self.slots[slot as usize].take();
        debug_assert!(waker.is_some(), "a foreign alarm's slot is freed once");
        self.free.push(slot);
        waker
    }

    /// How many foreign wakers are held.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alarm_is_one_word_and_names_tasks_and_foreign_slots_apart() {
        assert_eq!(std::mem::size_of::<Alarm>(), 8);
        for task in [
            TaskId::new(0, 0),
            TaskId::new(7, u32::MAX),
            TaskId::MAIN,
            TaskId::NUDGE,
        ] {
            assert_eq!(Alarm::task(task).whom(), Whom::Task(task));
        }
        let mut wakers = ForeignWakers::default();
        let first = wakers.insert(futures_task::noop_waker());
        let second = wakers.insert(futures_task::noop_waker());
        assert_eq!(
            (first.whom(), second.whom()),
            (Whom::Foreign(0), Whom::Foreign(1))
        );
        assert!(wakers.get(&first).is_some() && wakers.get(&Alarm::task(TaskId::MAIN)).is_none());
        assert!(wakers.release(first).is_some());
        assert_eq!(wakers.len(), 1);
        assert_eq!(
            wakers.insert(futures_task::noop_waker()).whom(),
            Whom::Foreign(0),
            "reused"
        );
        assert!(wakers.release(Alarm::task(TaskId::MAIN)).is_none());
    }
}
