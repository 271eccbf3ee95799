//! What a task is called: its name if it was given one, else its id and
//! where it was spawned. Kept beside the tasks because every task carries
//! one (`task/cell.rs`), and read by the instruments that name tasks: the
//! slow-poll report, blame, the watchdog and the trace.

use crate::ids::TaskId;
use std::panic::Location;
use std::sync::Arc;

/// What a task is called in reports: a name if it was given one, else its
/// id and where it was spawned.
#[derive(Clone, Debug)]
pub(crate) struct TaskMeta {
    pub(crate) name: Option<Arc<str>>,
    pub(crate) spawned_at: &'static Location<'static>,
}

impl TaskMeta {
    /// Whether `other` is this very meta (the same name and spawn site, by
    /// address): then a copy kept of one serves for the other, and need not
    /// be cloned again. Compares two pointers; clones nothing.
    pub(crate) fn is(&self, other: &TaskMeta) -> bool {
        let same_name = match (&self.name, &other.name) {
            (Some(this), Some(other)) => Arc::ptr_eq(this, other),
            (None, None) => true,
            _ => false,
        };
        same_name && std::ptr::eq(self.spawned_at, other.spawned_at)
    }

    pub(crate) fn label(&self, task: TaskId) -> String {
        match &self.name {
            Some(name) => format!("task `{name}`"),
            None => format!(
                "task {task} (spawned at {}:{})",
                self.spawned_at.file(),
                self.spawned_at.line()
            ),
        }
    }
}
