//! The executor's tasks, by index, with a generation per slot so that a
//! stale id (from a wake that arrives after its task finished) finds nothing.

use super::cell::Runnable;
use crate::waker::TaskId;
use std::rc::Rc;

/// The executor's tasks, by index.
#[derive(Default)]
pub(crate) struct TaskSlab {
    slots: Vec<Slot>,
    free: Vec<u32>,
}

struct Slot {
    generation: u32,
    task: Option<Rc<dyn Runnable>>,
}

impl TaskSlab {
    /// The id the next inserted task will get.
    pub(crate) fn next_id(&self) -> TaskId {
        match self.free.last() {
            Some(&index) => TaskId::new(index, self.slots[index as usize].generation),
            None => TaskId::new(self.slots.len() as u32, 0),
        }
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
                });
            }
        }
    }

    pub(crate) fn get(&self, id: TaskId) -> Option<Rc<dyn Runnable>> {
        let slot = self.slots.get(id.index())?;
        (slot.generation == id.generation())
            .then(|| slot.task.clone())
            .flatten()
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
