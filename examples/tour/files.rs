//! The tour's files, one per case and per kind: `--svg DIR` writes each
//! case's timeline as `DIR/SCENARIO.CASE.svg`, and `--trace-json DIR` its
//! trace as `DIR/SCENARIO.CASE.json`, Chrome Trace Event JSON for Perfetto
//! (ui.perfetto.dev) or chrome://tracing.

use std::path::{Path, PathBuf};
use waitfor::timeline::{render_svg_titled, render_trace_json};
use waitfor::trace::Trace;

/// A kind of file the tour can write for each case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The timeline as SVG.
    Svg,
    /// The trace as Chrome Trace Event JSON.
    TraceJson,
}

impl Format {
    /// The option that asks for it.
    pub fn option(self) -> &'static str {
        match self {
            Format::Svg => "--svg",
            Format::TraceJson => "--trace-json",
        }
    }

    /// What the files are, in the tour's report.
    pub fn what(self) -> &'static str {
        match self {
            Format::Svg => "SVG timeline(s)",
            Format::TraceJson => "trace(s) for Perfetto",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::TraceJson => "json",
        }
    }
}

/// Renders `trace` as `format` (an SVG titled with the scenario and the
/// case) and writes it for `case` of `scenario` into `dir`; the error names
/// the option, the file and the cause.
pub fn write(
    trace: &Trace,
    format: Format,
    dir: &Path,
    scenario: &str,
    case: &str,
) -> Result<PathBuf, String> {
    let slug: String = case
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let path = dir.join(format!("{scenario}.{slug}.{}", format.extension()));
    let contents = match format {
        Format::Svg => render_svg_titled(trace, &format!("{scenario}: {case}")),
        Format::TraceJson => render_trace_json(trace),
    };
    std::fs::write(&path, contents).map_err(|error| {
        let option = format.option();
        format!("{option}: cannot write {}: {error}", path.display())
    })?;
    Ok(path)
}
