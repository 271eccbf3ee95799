//! Rendering a [`Trace`] as a self-contained SVG (placeholder until written).

use super::Trace;

impl Trace {
    /// Renders the trace as a self-contained SVG document.
    pub fn render_svg(&self) -> String {
        String::new()
    }
}
