//! The executor's tasks, by index, with a generation per slot so that a
//! stale id (from a wake that arrives after its task finished) finds nothing.
//!
//! A slot also keeps the waker of its last task when nobody else holds it
//! any more, for the slot's next task: so once the slab has grown to the
//! program's peak number of tasks, spawning allocates no waker. The spares
//! cost what the slab already costs: one per slot ever used.

use super::cell::Runnable;
use crate::waker::{TaskId, TaskWaker};
use std::rc::Rc;
use std::sync::Arc;

/// The executor's tasks, by index.
#[derive(Default)]
pub(crate) struct TaskSlab {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

struct Slot {
    generation: u32,
    task: Option<Rc<dyn Runnable>>,
    spare_waker: Option<Arc<TaskWaker>>,
}

impl TaskSlab {
    /// The id the next inserted task will get.
    pub(crate) fn next_id(&self) -> TaskId {
        match self.free.last() {
            Some(&index) => TaskId::new(index, self.slots[index as usize].generation),
            None => TaskId::new(self.slots.len() as u32, 0),
        }
    }

    /// The waker the slot of [`next_id`](TaskSlab::next_id) kept from its
    /// last task, if any; nobody else holds it.
    pub(crate) fn take_spare_waker(&mut self) -> Option<Arc<TaskWaker>> {
        let &index = self.free.last()?;
        self.slots[index as usize].spare_waker.take()
    }

    /// Stores a task under [`next_id`](TaskSlab::next_id).
    pub(crate) fn insert(&mut self, task: Rc<dyn Runnable>) {
        match self.free.pop() {
            Some(index) => self.slots[index as usize].task = Some(task),
            None => {
                assert!(self.slots.len() < u32::MAX as usize - 2, "too many tasks");
                self.slots.push(Slot {
                    generation: 0,
                    task: Some(task),
                    spare_waker: None,
                });
            }
        }
    }

    /// Keeps the waker of `id`'s finished task for the slot's next task,
    /// if nothing but this call holds it (a clone left in a channel or a
    /// timer could still wake it, so it cannot be reused).
    pub(crate) fn keep_spare_waker(&mut self, id: TaskId, waker: Arc<TaskWaker>) {
        if Arc::strong_count(&waker) > 1 {
            return;
        }
        if let Some(slot) = self.slots.get_mut(id.index()) {
            slot.spare_waker.get_or_insert(waker);
        }
    }

    pub(crate) fn get(&self, id: TaskId) -> Option<Rc<dyn Runnable>> {
        let slot = self.slots.get(id.index())?;
        (slot.generation == id.generation())
            .then(|| slot.task.clone())
            .flatten()
    }

    /// The waker of `id`'s task, if that task is still here.
    pub(crate) fn waker(&self, id: TaskId) -> Option<&Arc<TaskWaker>> {
        let slot = self.slots.get(id.index())?;
        let task = slot.task.as_ref()?;
        (slot.generation == id.generation()).then(|| task.waker())
    }

    pub(crate) fn remove(&mut self, id: TaskId) -> Option<Rc<dyn Runnable>> {
        let slot = self.slots.get_mut(id.index())?;
        if slot.generation != id.generation() {
            return None;
        }
        let task = slot.task.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index() as u32);
        Some(task)
    }

    /// Whether any task satisfies `test`.
    pub(crate) fn any(&self, test: impl Fn(&dyn Runnable) -> bool) -> bool {
        self.slots
            .iter()
            .filter_map(|slot| slot.task.as_deref())
            .any(test)
    }

    /// Takes every task out, leaving the slab empty (for shutdown).
    pub(crate) fn drain(&mut self) -> Vec<Rc<dyn Runnable>> {
        self.free.clear();
        self.slots.drain(..).filter_map(|slot| slot.task).collect()
    }
}
