//! The one call of the trace's SVG renderer: `--svg DIR` writes each case's
//! timeline as `DIR/SCENARIO.CASE.svg`.

use std::path::{Path, PathBuf};
use waitfor::trace::Trace;

/// Renders `trace`, titled with the scenario and the case, and writes it for `case` of `scenario` into `dir`;
/// the error names the file and the cause.
pub fn write(trace: &Trace, dir: &Path, scenario: &str, case: &str) -> Result<PathBuf, String> {
    let slug: String = case
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let path = dir.join(format!("{scenario}.{slug}.svg"));
    std::fs::write(
        &path,
        trace.render_svg_titled(&format!("{scenario}: {case}")),
    )
    .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    Ok(path)
}
