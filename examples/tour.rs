//! The tour: every scenario in turn, on the real clock, in about 12 s.
//!
//! For each case it shows what the case is, the lines it prints as it runs
//! (with when), and then what happened: the outcome (result, error or
//! timeout), when a free loop would have ended it and when `wait_for`
//! actually returned, how late the timer fired (or that it never did), and
//! whether that is what the write-up predicts. A summary table ends it.
//! Watch the progress line on stderr while a case blocks: it is drawn by
//! another thread, because the loop's own thread can print nothing then.
//!
//! ```text
//! cargo run --release --example tour                   # everything, real clock
//! cargo run --release --example tour -- --only cpu_bound
//! cargo run --release --example tour -- --virtual      # virtual clock: instant, exact
//! cargo run --release --example tour -- --list
//! cargo run --release --example tour -- --svg DIR      # one SVG timeline per case
//! ```
//!
//! The scenarios are in `examples/common/scenarios/`; this file only picks,
//! runs and summarises them. Exits with 1 if a case did not do what the
//! write-up predicts.

#[path = "common/mod.rs"]
mod common;

use common::pretty::{self, Pretty};
use common::scenarios::{self, Scenario};
use common::{Clock, Env};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: tour [--only NAME] [--virtual] [--svg DIR] [--list]";

struct Args {
    only: Option<String>,
    clock: Clock,
    svg: Option<PathBuf>,
    list: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        only: None,
        clock: Clock::Real,
        svg: None,
        list: false,
    };
    let mut argv = std::env::args().skip(1);
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "--only" => args.only = Some(argv.next().ok_or("--only needs a scenario name")?),
            "--svg" => args.svg = Some(argv.next().ok_or("--svg needs a directory")?.into()),
            "--virtual" => args.clock = Clock::Virtual,
            "--list" => args.list = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(error) => {
            if !error.is_empty() {
                eprintln!("tour: {error}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.list {
        for scenario in scenarios::ALL {
            println!("{:<24} {}", scenario.name, scenario.title);
        }
        return ExitCode::SUCCESS;
    }
    let selected: Vec<&Scenario> = match &args.only {
        None => scenarios::ALL.iter().collect(),
        Some(name) => match scenarios::find(name) {
            Some(scenario) => vec![scenario],
            None => {
                let names: Vec<_> = scenarios::ALL.iter().map(|s| s.name).collect();
                eprintln!(
                    "tour: no scenario {name:?}; there are: {}",
                    names.join(", ")
                );
                return ExitCode::from(2);
            }
        },
    };
    println!("waitfor tour: why a wait_for timeout fires late, or never.");
    println!("Each case runs one wait_for on a fresh single-threaded executor, whose loop");
    println!("fires timers only between polls: a poll that does not return starves them.");
    print!("{}", pretty::preamble(args.clock));

    let started = Instant::now();
    let mut env = Env::new(args.clock, Pretty::new());
    if let Some(dir) = &args.svg {
        env = env.with_svg(dir.clone());
    }
    let mut runs = Vec::new();
    for scenario in selected {
        if args.clock == Clock::Virtual && scenario.real_only {
            println!(
                "\n== {}: skipped on the virtual clock (it runs a real thread)",
                scenario.name
            );
            continue;
        }
        runs.push((scenario, env.run_scenario(scenario)));
    }
    drop(env);

    println!("\n== summary ({:.1} s)\n", started.elapsed().as_secs_f64());
    print!("{}", pretty::summary(&runs));
    println!();
    println!(
        "timer: how late the loop fired the timeout (+), or \"never\" if the result came after the"
    );
    println!(
        "deadline and won. verdict: on time / late (by over {} ms) / never.",
        common::report::MARGIN.as_millis()
    );
    if let Some(remark) = pretty::missing_timelines(&runs) {
        println!("{remark}");
    }
    if let Some(dir) = &args.svg {
        let written = runs
            .iter()
            .flat_map(|(_, reports)| reports)
            .filter(|r| r.svg.is_some())
            .count();
        match written {
            0 => println!(
                "--svg {}: no SVG written (the trace rendered none).",
                dir.display()
            ),
            n => println!("--svg: {n} SVG timelines written to {}.", dir.display()),
        }
    }
    if pretty::all_as_expected(&runs) {
        println!("Every case did what the write-up predicts.");
        ExitCode::SUCCESS
    } else {
        println!("Some cases did NOT do what the write-up predicts (marked UNEXPECTED).");
        ExitCode::FAILURE
    }
}
