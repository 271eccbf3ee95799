//! The example programs as a user runs them: the write-up's three print
//! exactly Python's lines on stdout; `--help` explains, a bad argument is
//! refused with its cause; the tour's `--svg` fails loudly when it cannot
//! write. Plus the tour's argument parser, line by line.
//!
//! The process tests run the binaries `cargo test` builds next to this one
//! (on the virtual clock, so they take no time), and skip, saying so, when
//! a binary is missing or older than its sources: `cargo test --test
//! example_programs` alone builds no examples.

#[path = "../examples/tour/cli.rs"]
mod cli;

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::SystemTime;
use waitfor::demo::Clock;

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| arg.to_string()).collect()
}

#[test]
fn the_tours_command_line_takes_lists_and_equals_and_names_every_error() {
    let known = ["cpu_bound", "always_ready", "to_thread"];
    let parse = |args: &[&str]| cli::parse(strings(args), &known);
    let args = parse(&[
        "--only",
        "cpu_bound,always_ready",
        "--only=cpu_bound",
        "--only=to_thread",
    ])
    .unwrap();
    assert_eq!(args.only, ["cpu_bound", "always_ready", "to_thread"]);
    assert_eq!(
        parse(&["--svg=out", "--virtual"]).unwrap().svg.as_deref(),
        Some("out")
    );
    assert!(parse(&["--help"]).unwrap().help);
    assert_eq!(parse(&[]).unwrap().clock(), Clock::Real);
    assert_eq!(parse(&["--virtual"]).unwrap().clock(), Clock::Virtual);
    let error = |args: &[&str]| parse(args).unwrap_err();
    assert_eq!(
        error(&["--only", "cpu"]),
        "no scenario \"cpu\"; there are: cpu_bound, always_ready, to_thread"
    );
    assert_eq!(
        error(&["--only"]),
        "--only needs scenario names, separated by commas"
    );
    assert_eq!(
        error(&["--only="]),
        "--only needs scenario names, separated by commas"
    );
    assert_eq!(error(&["--svg", "a", "--svg", "b"]), "--svg given twice");
    assert_eq!(
        parse(&["--trace-json", "out"])
            .unwrap()
            .trace_json
            .as_deref(),
        Some("out")
    );
    assert_eq!(error(&["--trace-json"]), "--trace-json needs a directory");
    assert_eq!(
        error(&["--trace-json=a", "--trace-json=b"]),
        "--trace-json given twice"
    );
    assert_eq!(error(&["--virtual=yes"]), "--virtual takes no value");
    assert_eq!(error(&["-x"]), "unknown argument \"-x\"");
}

/// Runs the example `name`, as `cargo test` builds it next to this test;
/// `None` (skipped, with a message) if it is not built or older than the
/// sources (`cargo test --test examples` alone builds no examples).
fn example(name: &str, args: &[&str]) -> Option<Output> {
    let deps = std::env::current_exe().unwrap();
    let binary = deps.parent()?.parent()?.join("examples").join(name);
    let built = std::fs::metadata(&binary)
        .and_then(|meta| meta.modified())
        .ok();
    if built.is_none_or(|built| built < newest_source(name)) {
        eprintln!(
            "skipped: {} is not built, or stale (cargo test builds the examples)",
            binary.display()
        );
        return None;
    }
    Some(Command::new(binary).args(args).output().unwrap())
}

/// When the sources of example `name` last changed: its file and the
/// `demo` module; for the tour, every example and `examples/tour/`.
fn newest_source(name: &str) -> SystemTime {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let in_dir = |dir: &str| -> Vec<PathBuf> {
        let entries = std::fs::read_dir(root.join(dir)).unwrap();
        entries.map(|entry| entry.unwrap().path()).collect()
    };
    let mut files = in_dir("src");
    match name {
        "tour" => files.extend(
            in_dir("examples")
                .into_iter()
                .chain(in_dir("examples/tour")),
        ),
        _ => files.push(root.join("examples").join(format!("{name}.rs"))),
    }
    files
        .iter()
        .filter(|file| file.is_file())
        .map(|file| {
            std::fs::metadata(file)
                .and_then(|meta| meta.modified())
                .unwrap()
        })
        .max()
        .unwrap()
}

#[test]
fn the_write_up_programs_print_exactly_pythons_lines() {
    let expected = [
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
    for (name, stdout) in expected {
        let Some(output) = example(name, &["--virtual"]) else {
            return;
        };
        assert!(output.status.success(), "{name}: {output:?}");
        assert_eq!(String::from_utf8_lossy(&output.stdout), stdout, "{name}");
    }
}

#[test]
fn the_examples_and_the_tour_explain_themselves_and_refuse_what_they_do_not_know() {
    let Some(help) = example("blocking_task", &["--help"]) else {
        return;
    };
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--virtual"));
    let refused = example("blocking_task", &["--virtaul"]).unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(refused.stdout.is_empty());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown argument \"--virtaul\""));

    let Some(help) = example("tour", &["--help"]) else {
        return;
    };
    assert!(help.status.success());
    assert_eq!(String::from_utf8_lossy(&help.stdout), cli::HELP);
    for option in [
        "--virtual",
        "--only",
        "--svg",
        "--trace-json",
        "--list",
        "--help",
        "NO_COLOR",
    ] {
        assert!(
            cli::HELP.contains(option),
            "--help says nothing of {option}"
        );
    }
    let file = std::env::current_exe().unwrap();
    let file = file.to_str().unwrap();
    let refused = example("tour", &["--virtual", "--svg", file]).unwrap();
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("it is not a directory"));
    // A directory where the SVG file should go: the write fails, and says so.
    let dir = std::env::temp_dir().join(format!("waitfor-svg-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("async_task.as_written.svg")).unwrap();
    let dir_arg = dir.to_str().unwrap();
    let failed = example(
        "tour",
        &["--virtual", "--only=async_task", "--svg", dir_arg],
    )
    .unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(failed.status.code(), Some(1), "{failed:?}");
    assert!(
        String::from_utf8_lossy(&failed.stderr).contains("cannot write"),
        "{failed:?}"
    );
    // One trace per case, Chrome Trace Event JSON (`timeline`'s tests parse it).
    let dir = std::env::temp_dir().join(format!("waitfor-json-{}", std::process::id()));
    let dir_arg = dir.to_str().unwrap();
    let wrote = example(
        "tour",
        &["--virtual", "--only=yield_table", "--trace-json", dir_arg],
    )
    .unwrap();
    let written = std::fs::read_dir(&dir).unwrap().count();
    let json = std::fs::read_to_string(dir.join("yield_table.2_yields.json"));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(wrote.status.success(), "{wrote:?}");
    assert_eq!(written, 3, "one file per case");
    let json = json.unwrap();
    assert!(json.starts_with("{\"displayTimeUnit\":\"ms\""), "{json}");
    assert!(json.contains("\"lateness_us\":400000.000"), "{json}");
    let refused = example("tour", &["--virtual", "--only", "to_thread"]).unwrap();
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
}

#[test]
fn the_host_loop_prints_its_frames_and_outcomes_and_blocking_http_refuses_virtual_time() {
    let Some(output) = example("host_loop", &["--virtual"]) else {
        return;
    };
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "turns between frames:\nframe at 0ns\nframe at 250ms\n  \
         Err: timed out; the timer fired 0.150 s late\n\
         a turn at next_deadline():\nframe at 0ns\n  \
         Err: timed out; the timer fired 0.000 s late\n"
    );
    let Some(refused) = example("blocking_http", &["--virtual"]) else {
        return;
    };
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("the server's delay is real"));
}
