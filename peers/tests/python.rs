//! The README's peers table, CPython columns, and the write-up's three
//! programs against the Rust examples.
//!
//! Runs every program in `peers/python/` on each interpreter found
//! (`python3`, and those in `WAITFOR_PYTHONS`: see `waitfor_peers::python`)
//! and compares what each `asyncio.wait_for` did with the table's column
//! for that version. Without `python3` the tests say so and pass: the
//! CPython column cannot be checked on such a machine. A scenario whose
//! CPython cells are all `—` (CPython has no interval) has no program.
//!
//! The programs run on the real clock, one at a time (a 5 s one among
//! them), so that no two compete for the CPU.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;
use waitfor_peers::observation::Cell;
use waitfor_peers::python::{self, Interpreter};
use waitfor_peers::readme::PeersTable;

/// Says `message` on stderr even when the test passes: written to the
/// stream, not through `eprintln!`, which the test harness captures.
fn tell(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

fn interpreters_or_skip() -> Vec<Interpreter> {
    let interpreters = python::interpreters();
    if interpreters.is_empty() {
        tell("skipped: no python3 on PATH (the CPython columns are not checked)");
    }
    interpreters
}

#[test]
fn the_readme_says_what_cpython_does() {
    let table = PeersTable::from_readme();
    let mut mismatches = Vec::new();
    for interpreter in interpreters_or_skip() {
        let column = interpreter.column();
        if !table.has_column(&column) {
            tell(&format!(
                "the README has no column for {column}: its programs run, unchecked"
            ));
        }
        for scenario in table.scenarios_run_on("CPython") {
            let run = interpreter
                .observe(scenario)
                .unwrap_or_else(|error| panic!("{error}"));
            let cells: Vec<Cell> = run.observations.iter().map(Cell::from).collect();
            if table.has_column(&column) {
                mismatches.extend(table.mismatches(&column, scenario, &cells));
            } else {
                let words: Vec<&str> = cells.iter().map(|cell| cell.words.as_str()).collect();
                tell(&format!("{column} {scenario}: {}", words.join("; ")));
            }
        }
    }
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}

#[test]
fn every_program_in_the_folder_is_a_scenario_with_cpython_cells() {
    let table = PeersTable::from_readme();
    let mut programs: Vec<String> = std::fs::read_dir(python::programs_dir())
        .expect("peers/python/ can be read")
        .map(|entry| entry.expect("a directory entry").file_name())
        .filter_map(|name| name.to_str()?.strip_suffix(".py").map(str::to_string))
        .filter(|name| name != "case" && name != "observe")
        .collect();
    programs.sort();
    let mut scenarios = table.scenarios_run_on("CPython");
    scenarios.sort_unstable();
    assert_eq!(programs, scenarios);
}

/// What the write-up's three programs print, line for line.
const WRITE_UP: [(&str, &str); 3] = [
    (
        "blocking_task",
        "blocking task started\nblocking task finished\nresult: done\n",
    ),
    ("async_task", "async task started\ntimeout occurred\n"),
    (
        "problematic_async_task",
        "task started\nvalue error: something went bad!\n",
    ),
];

/// `target/<profile>/examples/NAME`, which `cargo test --workspace` builds
/// next to this test's own `target/<profile>/deps/`.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary is in target/<profile>/deps/");
    let path = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built: run `cargo build --examples` (cargo test --workspace builds it)",
        path.display()
    );
    path
}

#[test]
fn the_write_up_programs_print_what_the_rust_examples_print() {
    let Some(python3) = interpreters_or_skip().into_iter().next() else {
        return;
    };
    for (name, expected) in WRITE_UP {
        let python = python3.run(name).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            python,
            expected,
            "{name}.py on CPython {}",
            python3.version()
        );
        let output = Command::new(example(name))
            .arg("--virtual")
            .output()
            .unwrap_or_else(|error| panic!("cannot run example {name}: {error}"));
        assert!(output.status.success(), "example {name}: {output:?}");
        let rust = String::from_utf8(output.stdout).expect("the example prints UTF-8");
        assert_eq!(rust, python, "the example {name} and {name}.py");
    }
}
