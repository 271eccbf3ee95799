//! The examples' scenarios that need the real clock, checked with generous
//! margins (the machine is shared): `to_thread` (a real thread),
//! `blocking_db` and `blocking_http` (a real server on 127.0.0.1), and
//! cross-checks on the real clock of two that `tests/examples.rs` checks
//! exactly on the virtual one, the yield table and the host loop. The
//! examples and `examples/tour/` are included as modules, as there.

#[path = "../examples/tour/mod.rs"]
mod tour;
mod tour_cases;

use std::time::{Duration, Instant};
use tour::report::{Outcome, Verdict, WaitForReport};
use tour::{blocking_http, to_thread};
use tour_cases::{case, fired_late, ms, run_any, wait_fors};
use waitfor::demo::Clock;

fn run_real(name: &str) -> Vec<WaitForReport> {
    wait_fors(run_any(Clock::Real, name))
}

#[test]
fn a_blocking_neighbour_makes_an_innocent_timeout_late_and_is_blamed() {
    let generous = ms(150);
    let reports = run_real("blocking_db");
    let blocking = case(&reports, "blocking client");
    assert_eq!(blocking.outcome, Outcome::Ok("\"user:42=alice\"".into()));
    assert!(blocking.returned >= ms(600), "{blocking:?}");
    assert!(fired_late(case(&reports, "async client")) < generous);
    let neighbour = case(&reports, "async client, blocking neighbour");
    let late = fired_late(neighbour);
    assert!(late >= ms(300) && late < ms(300) + generous, "{late:?}");
    let blame = neighbour.blame().unwrap_or_default();
    let held = blame
        .strip_prefix("task `cache-warmer` held the loop for ")
        .and_then(|rest| rest.strip_suffix(" ms in one poll"))
        .and_then(|millis| millis.parse::<f64>().ok())
        .unwrap_or_else(|| panic!("the timeout blames the neighbour's poll: {blame}"));
    let held = Duration::from_secs_f64(held / 1e3);
    assert!(held >= ms(500) && held < ms(500) + generous, "{blame}");
}

#[test]
fn to_thread_times_out_on_time_while_the_thread_runs_on() {
    let generous = ms(150);
    let executor = waitfor::Executor::new();
    let start = Instant::now();
    let inline = executor.block_on(to_thread::inline());
    assert_eq!(inline, Ok("done"));
    assert!(start.elapsed() >= ms(600));

    let (finished, thread_done) = std::sync::mpsc::channel();
    let start = Instant::now();
    let threaded = executor.block_on(to_thread::on_a_thread(finished));
    let timed_out = start.elapsed();
    assert!(threaded.is_err(), "{threaded:?}");
    assert!(
        timed_out >= ms(200) && timed_out < ms(200) + generous,
        "{timed_out:?}"
    );
    let ended = thread_done
        .recv_timeout(Duration::from_secs(10))
        .expect("the thread ends");
    assert!(ended - start >= ms(600), "the thread ran on to its end");
}

#[test]
fn blocking_http_the_blocking_client_ignores_the_timeout_the_async_one_honours_it() {
    let generous = ms(300);
    let executor = waitfor::Executor::new();
    let server = || blocking_http::slow_server().unwrap();
    let start = Instant::now();
    let blocking = executor.block_on(blocking_http::blocking_client(server()));
    assert_eq!(blocking.unwrap().unwrap(), "HTTP/1.1 200 OK");
    assert!(start.elapsed() >= ms(600), "the read held the loop");

    let start = Instant::now();
    let elapsed = executor
        .block_on(blocking_http::async_client(server()))
        .unwrap_err();
    let took = start.elapsed();
    assert!(took >= ms(200) && took < ms(200) + generous, "{took:?}");
    assert!(elapsed.lateness() < generous, "{elapsed}");

    let (finished, thread_done) = std::sync::mpsc::channel();
    let start = Instant::now();
    let threaded = executor.block_on(blocking_http::blocking_client_on_a_thread(
        server(),
        finished,
    ));
    let took = start.elapsed();
    assert!(threaded.is_err(), "{threaded:?}");
    assert!(took >= ms(200) && took < ms(200) + generous, "{took:?}");
    let ended = thread_done
        .recv_timeout(Duration::from_secs(10))
        .expect("the thread gets its reply");
    assert!(ended - start >= ms(600), "the thread ran on to the reply");
}

#[test]
fn host_loop_holds_on_the_real_clock_too() {
    let reports = run_real("host_loop");
    let verdicts: Vec<_> = reports.iter().map(|r| r.verdict_with(ms(60))).collect();
    assert_eq!(verdicts, [Verdict::Late, Verdict::OnTime], "{reports:?}");
}

#[test]
fn the_yield_table_holds_on_the_real_clock_too() {
    let reports = run_real("yield_table");
    let generous = ms(150);
    let verdicts: Vec<_> = reports.iter().map(|r| r.verdict_with(generous)).collect();
    assert_eq!(
        verdicts,
        [Verdict::Never, Verdict::Never, Verdict::Late],
        "{reports:?}"
    );
    let late = fired_late(case(&reports, "2 yields"));
    assert!(late >= ms(400) && late < ms(400) + generous, "{late:?}");
}
