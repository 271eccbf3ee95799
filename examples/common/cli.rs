//! The `main` of every example but the tour: run one scenario, either
//! rendered like the tour (with `--virtual` for the virtual clock) or, for
//! the write-up's three programs, printing exactly what Python prints.

use super::pretty::{brief, preamble, summary, Pretty};
use super::{scenarios, Clock, Env, Plain};

/// Runs one scenario with the tour's rendering and its summary: the
/// examples other than the write-up's programs. `--virtual` runs it on the
/// virtual clock.
pub fn example_main(name: &str) {
    let clock = if std::env::args().skip(1).any(|arg| arg == "--virtual") {
        Clock::Virtual
    } else {
        Clock::Real
    };
    let scenario = scenarios::find(name).unwrap_or_else(|| panic!("no scenario {name:?}"));
    if clock == Clock::Virtual && scenario.real_only {
        eprintln!("{name} needs the real clock: it runs a real thread");
        std::process::exit(2);
    }
    print!("{}", preamble(clock));
    let env = Env::new(clock, Pretty::new());
    let reports = env.run_scenario(scenario);
    drop(env);
    println!("\n{}", summary(&[(scenario, reports)]));
}

/// Runs one of the write-up's programs: its lines bare on stdout, exactly
/// as Python prints them, and one line per case on stderr.
pub fn program_main(name: &str) {
    let scenario = scenarios::find(name).unwrap_or_else(|| panic!("no scenario {name:?}"));
    let env = Env::new(Clock::Real, Plain);
    for report in env.run_scenario(scenario) {
        eprintln!("{}", brief(&report));
    }
}
