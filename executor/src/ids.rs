//! The names a task and an executor go by: a [`TaskId`] is an index into
//! the executor's task slab plus the slot's generation, so an id outlives
//! its task without ever naming the task that takes the slot next; an
//! executor is a process-wide counter, so a waker or a timer can tell
//! whether the executor running on this thread is its own. A leaf: the
//! wakers, the reactor and the instruments all name tasks, and none of them
//! needs the others for it.

use std::fmt;

/// Identifies a task within its executor, for as long as the task lives.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct TaskId(u64);

impl TaskId {
    /// The future passed to `block_on`, which is polled like a task.
    pub(crate) const MAIN: TaskId = TaskId(u64::MAX);
    /// "Something changed, look again" (a blocking job ended): wakes the loop
    /// without naming a task.
    pub(crate) const NUDGE: TaskId = TaskId(u64::MAX - 1);

    /// Whether this is the future passed to `block_on`, which is polled like a task.
    pub fn is_block_on(self) -> bool {
        self == TaskId::MAIN
    }

    pub(crate) fn new(index: u32, generation: u32) -> Self {
        TaskId(u64::from(generation) << 32 | u64::from(index))
    }

    pub(crate) fn index(self) -> usize {
        (self.0 & u64::from(u32::MAX)) as usize
    }

    pub(crate) fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

impl fmt::Debug for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TaskId::MAIN => f.write_str("main"),
            TaskId::NUDGE => f.write_str("nudge"),
            id => write!(f, "#{}", id.index()),
        }
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Identifies one executor, so a waker or a timer can tell whether the
/// executor running on this thread is its own.
pub(crate) type ExecutorId = u64;
