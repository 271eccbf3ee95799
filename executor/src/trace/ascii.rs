//! Rendering a [`Trace`] as an ASCII timeline (placeholder until written).

use super::Trace;

impl Trace {
    /// Renders the trace as a text timeline `width` columns wide.
    pub fn render_ascii(&self, width: usize) -> String {
        let _ = width;
        String::new()
    }
}
