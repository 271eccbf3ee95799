//! The executor's tasks, by index, with a generation per slot so that a
//! stale id (a wake that arrives after its task finished, a `JoinHandle`
//! whose task the executor dropped at shutdown) finds nothing.
//!
//! The slab owns each task: one `Pin<Box<dyn Runnable>>`, its future and
//! its result in one allocation. To poll a task the executor takes the box
//! out of its slot and puts it back afterwards, so no `RefCell` borrow of
//! the slab is held while user code runs; meanwhile the slot says
//! `Polling`. Whatever a `JoinHandle` does to its task (abort, detach) is
//! recorded in the slot, not in the box: the box may be out being polled,
//! by the very task that holds the handle.
//!
//! A slot also owns its task's waker, and keeps it after the task is gone
//! when nobody else holds it, for the slot's next task: so once the slab
//! has grown to the program's peak number of tasks, spawning allocates no
//! waker. A slot is 32 bytes.
//!
//! The executor shares the slab with its tasks' `JoinHandle`s (an `Rc`,
//! see `handle.rs`), so it outlives the executor while a handle lives: at
//! shutdown the unfinished tasks are dropped, and finished ones stay for
//! their handles to take their results.

use super::cell::Runnable;
use crate::ids::TaskId;
use crate::waker::TaskWaker;
use std::pin::Pin;
use std::sync::Arc;

/// A task, owned by the slab: its future pinned in place, or its result.
pub(crate) type BoxedTask = Pin<Box<dyn Runnable>>;

/// The executor's tasks, by index.
#[derive(Default)]
pub(crate) struct TaskSlab {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

/// Where a task is in its life, as its slot sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum State {
    /// No task: the slot is on the free list.
    Vacant,
    /// In its slot, between polls.
    Waiting,
    /// Out of its slot, being polled right now.
    Polling,
    /// In its slot, holding its result until its `JoinHandle` takes it.
    Finished,
}

struct Slot {
    generation: u32,
    state: State,
    /// `JoinHandle::abort` was called: drop the future at the next pick-up.
    aborted: bool,
    /// The `JoinHandle` was dropped: remove the task once it finishes.
    detached: bool,
    /// The task, while `Waiting` or `Finished`.
    task: Option<BoxedTask>,
    /// The task's waker (out with the task while `Polling`), or, once the
    /// slot is `Vacant`, a spare for the next task that nobody else holds.
    /// None after shutdown.
    waker: Option<Arc<TaskWaker>>,
}

impl TaskSlab {
    /// The id the next inserted task will get.
    pub(crate) fn next_id(&self) -> TaskId {
        match self.free.last() {
            Some(&index) => TaskId::new(index, self.slots[index as usize].generation),
            None => TaskId::new(self.slots.len() as u32, 0),
        }
    }

    /// Stores a task under [`next_id`](TaskSlab::next_id), with the slot's
    /// spare waker if it has one, else a waker from `new_waker`.
    pub(crate) fn insert(
        &mut self,
        task: BoxedTask,
        new_waker: impl FnOnce(TaskId) -> Arc<TaskWaker>,
    ) -> TaskId {
        let id = self.next_id();
        let slot = match self.free.pop() {
            Some(index) => &mut self.slots[index as usize],
            None => {
                assert!(self.slots.len() < u32::MAX as usize - 2, "too many tasks");
                self.slots.push(Slot {
                    generation: 0,
                    state: State::Vacant,
                    aborted: false,
                    detached: false,
                    task: None,
                    waker: None,
                });
                self.slots.last_mut().expect("just pushed")
            }
        };
        match &mut slot.waker {
            Some(spare) => Arc::get_mut(spare)
                .expect("a spare waker is held by nobody else")
                .reuse_for(id),
            None => slot.waker = Some(new_waker(id)),
        }
        slot.state = State::Waiting;
        slot.aborted = false;
        slot.detached = false;
        slot.task = Some(task);
        id
    }

    /// The slot of `id`, unless the task is gone (or the id is stale).
    fn slot(&self, id: TaskId) -> Option<&Slot> {
        let slot = self.slots.get(id.index())?;
        (slot.generation == id.generation() && slot.state != State::Vacant).then_some(slot)
    }

    fn slot_mut(&mut self, id: TaskId) -> Option<&mut Slot> {
        let slot = self.slots.get_mut(id.index())?;
        (slot.generation == id.generation() && slot.state != State::Vacant).then_some(slot)
    }

    /// Where `id`'s task is; `Vacant` if it is gone.
    pub(crate) fn state(&self, id: TaskId) -> State {
        self.slot(id).map_or(State::Vacant, |slot| slot.state)
    }

    /// The waker of `id`'s task, if that task is here and not out being
    /// polled.
    pub(crate) fn waker(&self, id: TaskId) -> Option<&Arc<TaskWaker>> {
        self.slot(id)?.waker.as_ref()
    }

    /// Takes a waiting task out of its slot to poll it, with its waker and
    /// whether it was aborted. Finds nothing if the task finished or is gone.
    pub(crate) fn take_for_poll(
        &mut self,
        id: TaskId,
    ) -> Option<(BoxedTask, Arc<TaskWaker>, bool)> {
        let slot = self
            .slot_mut(id)
            .filter(|slot| slot.state == State::Waiting)?;
        slot.state = State::Polling;
        let task = slot.task.take().expect("a waiting task is in its slot");
        let waker = slot.waker.take().expect("a live task has a waker");
        Some((task, waker, slot.aborted))
    }

    /// Puts a polled task that has not finished back in its slot; or, if
    /// it was aborted during that poll, hands it back, for the caller to
    /// cancel and then put back finished (one look at the slot either way).
    pub(crate) fn put_back(
        &mut self,
        id: TaskId,
        task: BoxedTask,
        waker: Arc<TaskWaker>,
    ) -> Result<(), (BoxedTask, Arc<TaskWaker>)> {
        let slot = self.slot_mut(id).expect("a polled task keeps its slot");
        if slot.aborted {
            return Err((task, waker));
        }
        slot.state = State::Waiting;
        slot.task = Some(task);
        slot.waker = Some(waker);
        Ok(())
    }

    /// Puts a polled task that has finished back in its slot, for its
    /// `JoinHandle` to take the result; or, if the handle is gone, removes
    /// it and returns it, for the caller to drop outside any borrow.
    pub(crate) fn put_back_finished(
        &mut self,
        id: TaskId,
        task: BoxedTask,
        waker: Arc<TaskWaker>,
    ) -> Option<BoxedTask> {
        let slot = self.slot_mut(id).expect("a polled task keeps its slot");
        slot.waker = Some(waker);
        if slot.detached {
            slot.vacate();
            self.free.push(id.index() as u32);
            return Some(task);
        }
        slot.state = State::Finished;
        slot.task = Some(task);
        None
    }

    /// The task of `id`, while it is in its slot.
    pub(crate) fn task_mut(&mut self, id: TaskId) -> Option<Pin<&mut dyn Runnable>> {
        Some(self.slot_mut(id)?.task.as_mut()?.as_mut())
    }

    /// Marks `id`'s task aborted, unless it has finished; true if it waits
    /// in its slot and must be woken for the abort to take effect.
    pub(crate) fn abort(&mut self, id: TaskId) -> bool {
        match self.slot_mut(id) {
            Some(slot) if matches!(slot.state, State::Waiting | State::Polling) => {
                slot.aborted = true;
                slot.state == State::Waiting
            }
            _ => false,
        }
    }

    /// The `JoinHandle` of `id` is gone. A finished task is removed and
    /// returned (for the caller to drop its result outside any borrow); one
    /// still running is removed when it finishes.
    pub(crate) fn detach(&mut self, id: TaskId) -> Option<BoxedTask> {
        let slot = self.slot_mut(id)?;
        if slot.state == State::Finished {
            let task = slot.vacate();
            self.free.push(id.index() as u32);
            return task;
        }
        slot.detached = true;
        None
    }

    /// Removes `id`'s task, which is in its slot, and returns it. The
    /// generation moves on, so the id now finds nothing. The waker stays
    /// as the slot's spare if nobody else holds it (a clone left in a
    /// channel or a timer could still wake it, so it cannot be reused).
    pub(crate) fn vacate(&mut self, id: TaskId) -> Option<BoxedTask> {
        let task = self.slot_mut(id)?.vacate();
        self.free.push(id.index() as u32);
        task
    }

    /// Whether anything besides the slab holds the waker of a task that
    /// has not been removed, and so could still wake it.
    pub(crate) fn any_waker_held_elsewhere(&self) -> bool {
        self.slots.iter().any(|slot| {
            slot.state != State::Vacant
                && slot
                    .waker
                    .as_ref()
                    .is_some_and(|w| Arc::strong_count(w) > 1)
        })
    }

    /// Removes every unfinished task and returns them, and drops every
    /// waker (for shutdown). Generations move on, so the `JoinHandle`s of
    /// these tasks find nothing from now on, even if a destructor spawns a
    /// new task into the same slot. Finished tasks stay, with their
    /// results, for their handles to take.
    pub(crate) fn drain_unfinished(&mut self) -> Vec<BoxedTask> {
        let ids: Vec<TaskId> = (self.slots.iter().enumerate())
            .filter(|(_, slot)| matches!(slot.state, State::Waiting | State::Polling))
            .map(|(index, slot)| TaskId::new(index as u32, slot.generation))
            .collect();
        let tasks = ids.into_iter().filter_map(|id| self.vacate(id)).collect();
        for slot in &mut self.slots {
            slot.waker = None;
        }
        tasks
    }
}

impl Slot {
    /// [`TaskSlab::vacate`] on a slot already found, which the caller then
    /// puts on the free list.
    fn vacate(&mut self) -> Option<BoxedTask> {
        let task = self.task.take();
        self.state = State::Vacant;
        self.generation = self.generation.wrapping_add(1);
        if self
            .waker
            .as_ref()
            .is_some_and(|w| Arc::strong_count(w) > 1)
        {
            self.waker = None;
        }
        task
    }
}

#[cfg(test)]
mod tests {
    use super::Slot;

    #[test]
    fn a_slot_is_32_bytes() {
        // Half a cache line: the slab of a program with 100K tasks is 3 MB.
        assert_eq!(std::mem::size_of::<Slot>(), 32);
    }
}
