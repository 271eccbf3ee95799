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
