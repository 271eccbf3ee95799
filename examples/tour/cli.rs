//! The tour's command line, by hand: it is small, and a parser crate would
//! cost the first build more than these lines.
//!
//! Every option is in [`HELP`]. Errors name their cause; `main` prints
//! them with a hint and exits with 2.

use waitfor::demo::Clock;

/// `tour --help`.
pub const HELP: &str = "\
tour: every scenario of waitfor, one wait_for per case, with what happened and why.

usage: tour [--virtual] [--only NAMES] [--svg DIR] [--trace-json DIR] [--list]

  --virtual        run on the virtual clock: blocking calls advance time, so the
                   tour takes no time and every instant is exact (the scenarios
                   that need a real thread or server are skipped, and named)
  --only NAMES     run only these scenarios: names separated by commas; the option
                   may be repeated, and written --only=NAMES
  --svg DIR        also write each case's timeline as DIR/SCENARIO.CASE.svg
                   (DIR is created if needed)
  --trace-json DIR also write each case's trace as DIR/SCENARIO.CASE.json, Chrome
                   Trace Event JSON: open it in ui.perfetto.dev or chrome://tracing
  --list           list the scenarios, and exit
  -h, --help       print this help, and exit

Colour is used when stdout is a terminal and NO_COLOR is not set.
Exit status: 0 if every case did what the write-up predicts, 1 if one did not or
a file could not be written, 2 on a bad argument.
";

/// What the command line asks for.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Args {
    pub virtual_clock: bool,
    /// The scenarios asked for by `--only`, in order, each once; empty: all.
    pub only: Vec<String>,
    pub svg: Option<String>,
    pub trace_json: Option<String>,
    pub list: bool,
    pub help: bool,
}

impl Args {
    pub fn clock(&self) -> Clock {
        if self.virtual_clock {
            Clock::Virtual
        } else {
            Clock::Real
        }
    }
}

/// Parses the arguments after the program's name. Scenario names are
/// checked against `known`.
pub fn parse(argv: impl IntoIterator<Item = String>, known: &[&str]) -> Result<Args, String> {
    let mut args = Args::default();
    let mut argv = argv.into_iter();
    while let Some(arg) = argv.next() {
        let (option, inline) = match arg.split_once('=') {
            Some((option, value)) if option.starts_with("--") => {
                (option.to_string(), Some(value.to_string()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| argv.next())
                .filter(|value| !value.is_empty())
                .ok_or(format!("{option} needs {what}"))
        };
        match option.as_str() {
            "--virtual" | "--list" | "-h" | "--help" if inline.is_some() => {
                return Err(format!("{option} takes no value"));
            }
            "--virtual" => args.virtual_clock = true,
            "--list" => args.list = true,
            "-h" | "--help" => args.help = true,
            "--only" => {
                for name in value("scenario names, separated by commas")?.split(',') {
                    let name = name.trim();
                    if !known.contains(&name) {
                        return Err(format!(
                            "no scenario {name:?}; there are: {}",
                            known.join(", ")
                        ));
                    }
                    if !args.only.iter().any(|seen| seen == name) {
                        args.only.push(name.to_string());
                    }
                }
            }
            "--svg" if args.svg.is_some() => return Err("--svg given twice".into()),
            "--svg" => args.svg = Some(value("a directory")?),
            "--trace-json" if args.trace_json.is_some() => {
                return Err("--trace-json given twice".into())
            }
            "--trace-json" => args.trace_json = Some(value("a directory")?),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}
