//! The tour: every scenario in turn, on the real clock, in about 17 s.
//!
//! For each case it shows what the case is, the lines it prints as it runs
//! (with when), and then what happened: the outcome, when `wait_for`
//! returned against its deadline, what became of the timer (never filed,
//! cancelled, fired and lost, fired late), who held the loop, and the
//! verdict next to the write-up's prediction. `interval_burst`'s cases are
//! an interval's ticks instead, judged against tokio's `MissedTickBehavior`.
//! A summary table ends it.
//! Watch the progress line on stderr while a case blocks: it is drawn by
//! another thread, because the loop's own thread can print nothing then.
//!
//! ```text
//! cargo run --release --example tour                   # everything, real clock
//! cargo run --release --example tour -- --virtual      # virtual clock: instant, exact
//! cargo run --release --example tour -- --only cpu_bound,always_ready
//! cargo run --release --example tour -- --svg DIR      # one SVG timeline per case
//! cargo run --release --example tour -- --trace-json DIR   # one Perfetto trace per case
//! cargo run --release --example tour -- --help
//! ```
//!
//! The lessons are the other examples' own functions, included as modules
//! by `examples/tour/mod.rs`, beside the tour's machinery. Exits with 1 if a
//! case did not do what the write-up predicts.

#[path = "tour/mod.rs"]
mod tour;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use tour::case::Scenario;
use tour::files::Format;
use tour::live::Live;
use tour::run::Runner;
use tour::scenarios;
use tour::{cli, show};
use waitfor::demo::Clock;

fn main() -> ExitCode {
    let all = scenarios::all();
    let names: Vec<&str> = all.iter().map(|scenario| scenario.name).collect();
    let args = match cli::parse(std::env::args().skip(1), &names) {
        Ok(args) => args,
        Err(error) => return fail(&error, 2),
    };
    if args.help {
        print!("{}", cli::HELP);
        return ExitCode::SUCCESS;
    }
    if args.list {
        for scenario in &all {
            println!("{:<24} {}", scenario.name, scenario.title);
        }
        return ExitCode::SUCCESS;
    }
    let clock = args.clock();
    let mut selected: Vec<&Scenario> = match args.only.is_empty() {
        true => all.iter().collect(),
        false => args
            .only
            .iter()
            .filter_map(|name| all.iter().find(|s| s.name == name))
            .collect(),
    };
    if clock == Clock::Virtual {
        if let Some(real) = selected
            .iter()
            .find(|s| s.real_only && !args.only.is_empty())
        {
            let error = format!(
                "{} needs the real clock (a real thread or server): drop --virtual",
                real.name
            );
            return fail(&error, 2);
        }
        selected.retain(|scenario| !scenario.real_only);
    }
    let mut runner = Runner::new(clock, Live::new(show::Style::detect()));
    for (format, dir) in files(&args) {
        let dir = PathBuf::from(dir);
        let made = match dir.exists() && !dir.is_dir() {
            true => Err("it is not a directory".to_string()),
            false => std::fs::create_dir_all(&dir).map_err(|error| error.to_string()),
        };
        if let Err(error) = made {
            return fail(
                &format!("{} {}: {error}", format.option(), dir.display()),
                2,
            );
        }
        runner = runner.with_file(format, dir);
    }

    let style = show::Style::detect();
    println!(
        "{}",
        style.bold("waitfor tour: why a wait_for timeout fires late, or never.")
    );
    println!(
        "Each case runs one wait_for (interval_burst: an interval) on a fresh single-threaded"
    );
    println!("executor, whose loop fires timers only between polls: a poll that does not return");
    println!("starves them.");
    print!("{}", show::preamble(clock));
    if clock == Clock::Virtual && args.only.is_empty() {
        let real: Vec<&str> = all.iter().filter(|s| s.real_only).map(|s| s.name).collect();
        println!("(skipped, as they need real time: {}.)", real.join(", "));
    }
    let started = Instant::now();
    let mut runs = Vec::new();
    for scenario in selected {
        match runner.run_scenario(scenario) {
            Ok(reports) => runs.push((scenario, reports)),
            Err(error) => return fail(&error, 1),
        }
    }
    drop(runner);

    println!(
        "\n{}\n",
        style.bold(&format!(
            "== summary ({:.1} s)",
            started.elapsed().as_secs_f64()
        ))
    );
    print!("{}", show::summary(&runs, style));
    println!();
    print!("{}", show::legend());
    let written = runs.iter().flat_map(|(_, reports)| reports).count();
    for (format, dir) in files(&args) {
        println!(
            "{}: {written} {} written to {dir}.",
            format.option(),
            format.what()
        );
    }
    if runs
        .iter()
        .flat_map(|(_, reports)| reports)
        .all(|report| report.as_predicted())
    {
        println!("Every case did what the write-up (or tokio's documentation) predicts.");
        ExitCode::SUCCESS
    } else {
        println!("Some cases did NOT do what the write-up predicts (marked UNEXPECTED).");
        ExitCode::FAILURE
    }
}

/// The files asked for, by kind, and the directory for each.
fn files(args: &cli::Args) -> Vec<(Format, &str)> {
    let asked = [
        (Format::Svg, &args.svg),
        (Format::TraceJson, &args.trace_json),
    ];
    let given = asked
        .into_iter()
        .map(|(format, dir)| Some((format, dir.as_deref()?)));
    given.flatten().collect()
}

/// Prints `error` and a hint to stderr, and exits with `code`.
fn fail(error: &str, code: u8) -> ExitCode {
    eprintln!("tour: {error}\n(tour --help lists the options)");
    ExitCode::from(code)
}
