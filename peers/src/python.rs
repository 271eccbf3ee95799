//! CPython's side: finds the interpreters, runs the programs in
//! `peers/python/`, and reads back what each `asyncio.wait_for` did.
//!
//! Each scenario `NAME` is a program `peers/python/NAME.py` that runs as it
//! is (`python3 peers/python/NAME.py`). To observe one, the program is run
//! under `observe.py`, which wraps `asyncio.wait_for` in the same task and
//! writes a line per call to stderr (its docstring gives the format); the
//! program's stdout is left as it is. Everything the programs time is on the
//! real clock, so the observations are [`Clock::Real`].
//!
//! The interpreters are `python3` on `PATH` and any listed in the
//! environment variable `WAITFOR_PYTHONS` (separated by `:`), such as
//! `WAITFOR_PYTHONS=/usr/bin/python3.12`; each is known by its version,
//! which names its README column (`CPython 3.11`).

use crate::observation::{Clock, Observation};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// A Python interpreter that runs.
#[derive(Clone, Debug)]
pub struct Interpreter {
    program: PathBuf,
    version: String,
}

/// What one program did when observed: its stdout, and each `wait_for`.
#[derive(Debug)]
pub struct Run {
    /// The program's own output, untouched.
    pub stdout: String,
    /// One per `asyncio.wait_for` call, in order.
    pub observations: Vec<Observation>,
}

/// The folder of the Python programs.
pub fn programs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("python")
}

/// `python3`, if it runs, then each interpreter in `WAITFOR_PYTHONS`;
/// an interpreter whose version is already in the list is left out.
///
/// # Panics
/// If an interpreter listed in `WAITFOR_PYTHONS` does not run: asked for
/// by name, it is an error, not a skip.
pub fn interpreters() -> Vec<Interpreter> {
    let mut found: Vec<Interpreter> = Interpreter::new(Path::new("python3")).into_iter().collect();
    let listed = std::env::var_os("WAITFOR_PYTHONS").unwrap_or_default();
    for program in std::env::split_paths(&listed).filter(|path| !path.as_os_str().is_empty()) {
        let interpreter = Interpreter::new(&program).unwrap_or_else(|| {
            panic!(
                "WAITFOR_PYTHONS lists {}, which does not run",
                program.display()
            )
        });
        if !found
            .iter()
            .any(|known| known.version == interpreter.version)
        {
            found.push(interpreter);
        }
    }
    found
}

impl Interpreter {
    fn new(program: &Path) -> Option<Interpreter> {
        let output = Command::new(program)
            .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
            .output()
            .ok()?;
        let version = String::from_utf8(output.stdout).ok()?.trim().to_string();
        (output.status.success() && !version.is_empty()).then(|| Interpreter {
            program: program.to_path_buf(),
            version,
        })
    }

    /// Its version, `3.11`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Its column in the README's peers table: `CPython 3.11`.
    pub fn column(&self) -> String {
        format!("CPython {}", self.version)
    }

    /// Runs `peers/python/NAME.py` as a user would, and returns its stdout.
    pub fn run(&self, name: &str) -> Result<String, String> {
        let (stdout, _stderr) = self.command(&[&format!("{name}.py")])?;
        Ok(stdout)
    }

    /// Runs `peers/python/NAME.py` under `observe.py`.
    pub fn observe(&self, name: &str) -> Result<Run, String> {
        let (stdout, stderr) = self.command(&["observe.py", name])?;
        let observations = stderr
            .lines()
            .filter_map(|line| line.strip_prefix("observed\t"))
            .map(parse_observation)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Run {
            stdout,
            observations,
        })
    }

    /// Runs the interpreter in the programs' folder; its stdout and stderr,
    /// or why it failed.
    fn command(&self, args: &[&str]) -> Result<(String, String), String> {
        let output = Command::new(&self.program)
            .args(args)
            .current_dir(programs_dir())
            .env("PYTHONDONTWRITEBYTECODE", "1") // no __pycache__ in the repository
            .output()
            .map_err(|error| format!("cannot run {}: {error}", self.program.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if !output.status.success() {
            return Err(format!(
                "{} {} failed ({}):\n{stderr}",
                self.program.display(),
                args.join(" "),
                output.status
            ));
        }
        Ok((stdout, stderr))
    }
}

/// `CASE  OUTCOME  TIMED_OUT  TIMEOUT_US  RETURNED_AFTER_US`, tab-separated.
fn parse_observation(line: &str) -> Result<Observation, String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let [case, outcome, timed_out, timeout, returned_after] = fields[..] else {
        return Err(format!(
            "observe.py wrote a line of {} fields: {line:?}",
            fields.len()
        ));
    };
    let micros = |field: &str| {
        field
            .parse()
            .map(Duration::from_micros)
            .map_err(|error| format!("{field:?} in {line:?}: {error}"))
    };
    Ok(Observation {
        case: case.to_string(),
        outcome: outcome.to_string(),
        timed_out: timed_out == "1",
        timeout: micros(timeout)?,
        returned_after: micros(returned_after)?,
        clock: Clock::Real,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_observed_line_reads_back() {
        let observed = parse_observation("2 yields\tTimeoutError\t1\t100000\t500484").unwrap();
        assert_eq!(observed.case, "2 yields");
        assert!(observed.timed_out);
        assert_eq!(observed.timeout, Duration::from_millis(100));
        assert_eq!(observed.returned_after, Duration::from_micros(500_484));
        assert_eq!(observed.cell(), "`TimeoutError` at 500 ms, 400 ms late");
    }

    #[test]
    fn a_malformed_line_is_an_error() {
        assert!(parse_observation("2 yields\tTimeoutError").is_err());
        assert!(parse_observation("a\tb\t1\tsoon\t5").is_err());
    }
}
