//! The trace as Chrome Trace Event JSON: parsed back with a real JSON
//! parser, every event is one Perfetto and chrome://tracing accept (`ph`,
//! `ts`, `pid`, `tid`), the slices of each track nest, and the times are
//! the virtual clock's exact instants in microseconds.

use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;
use waitfor_executor::{advance, sleep, spawn_blocking, task, wait_for, yield_now, Executor};
use waitfor_timeline::render_trace_json;

const MS: Duration = Duration::from_millis(1);

/// A blocking task that makes a timeout 400 ms late, two sleeps that
/// overlap, a blocking job, and a task whose name needs escaping.
fn program_json() -> Value {
    let executor = Executor::builder().virtual_clock().trace(1024).build();
    executor.block_on(async {
        let blocker = task::Builder::new().name("blocker").spawn(async {
            advance(500 * MS); // time.sleep(0.5): no yield
        });
        let odd = task::Builder::new()
            .name("say \"hi\"\\\n")
            .spawn(async { sleep(30 * MS).await });
        let sleeper = task::Builder::new().name("sleeper").spawn(async {
            sleep(20 * MS).await;
        });
        // The first yield lets the blocker run; after it, two more.
        let inner = async {
            for _ in 0..3 {
                yield_now().await;
            }
        };
        let elapsed = wait_for(inner, 100 * MS).await.unwrap_err();
        assert_eq!(elapsed.lateness(), 400 * MS);
        assert_eq!(spawn_blocking(|| 7).await.unwrap(), 7);
        for handle in [blocker, odd, sleeper] {
            handle.await.unwrap();
        }
    });
    let json = render_trace_json(&executor.trace().unwrap());
    serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}:\n{json}"))
}

fn events(trace: &Value) -> &[Value] {
    trace["traceEvents"]
        .as_array()
        .expect("a traceEvents array")
}

/// Each track's name, by tid.
fn track_names(trace: &Value) -> HashMap<u64, String> {
    let names = events(trace).iter().filter(|e| e["name"] == "thread_name");
    names
        .map(|e| {
            (
                e["tid"].as_u64().unwrap(),
                e["args"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The complete events (slices) on the track named `name`: (ts, dur, event).
fn slices<'a>(trace: &'a Value, name: &str) -> Vec<(f64, f64, &'a Value)> {
    let tid = track_names(trace)
        .into_iter()
        .find(|(_, track)| track == name)
        .unwrap_or_else(|| panic!("no track {name:?}"))
        .0;
    let on_track = events(trace)
        .iter()
        .filter(|e| e["tid"] == tid && e["ph"] == "X");
    on_track
        .map(|e| (e["ts"].as_f64().unwrap(), e["dur"].as_f64().unwrap(), e))
        .collect()
}

#[test]
fn every_event_has_a_phase_a_time_a_process_and_a_track() {
    let trace = program_json();
    assert_eq!(trace["otherData"]["dropped_events"], 0);
    assert!(events(&trace).len() > 20, "{trace}");
    for event in events(&trace) {
        assert!(event["ph"].is_string(), "no ph: {event}");
        assert!(event["name"].is_string(), "no name: {event}");
        assert!(
            event["ts"].as_f64().is_some_and(|ts| ts >= 0.0),
            "ts: {event}"
        );
        assert!(
            event["pid"].is_u64() && event["tid"].is_u64(),
            "pid/tid: {event}"
        );
        match event["ph"].as_str().unwrap() {
            "X" => assert!(event["dur"].as_f64().is_some_and(|d| d >= 0.0), "{event}"),
            "i" => assert_eq!(event["s"], "t", "an instant scoped to its track: {event}"),
            "M" => assert!(event["args"].is_object(), "{event}"),
            other => panic!("unexpected phase {other}: {event}"),
        }
    }
}

#[test]
fn the_slices_of_each_track_nest() {
    let trace = program_json();
    let mut by_track: HashMap<u64, Vec<(f64, f64)>> = HashMap::new();
    for event in events(&trace).iter().filter(|e| e["ph"] == "X") {
        let (ts, dur) = (
            event["ts"].as_f64().unwrap(),
            event["dur"].as_f64().unwrap(),
        );
        by_track
            .entry(event["tid"].as_u64().unwrap())
            .or_default()
            .push((ts, ts + dur));
    }
    let lanes = track_names(&trace)
        .into_values()
        .filter(|n| n.starts_with("timers "));
    assert_eq!(lanes.count(), 2, "two overlapping sleeps take two lanes");
    for (tid, mut spans) in by_track {
        // Longest first on a tie, so that an enclosing slice comes first.
        spans.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut open: Vec<f64> = Vec::new();
        for (start, end) in spans {
            while open
                .last()
                .is_some_and(|&enclosing_end| enclosing_end <= start)
            {
                open.pop();
            }
            if let Some(&enclosing_end) = open.last() {
                assert!(end <= enclosing_end, "track {tid}: {start}..{end} overlaps");
            }
            open.push(end);
        }
    }
}

#[test]
fn tasks_are_tracks_by_name_and_times_are_microseconds() {
    let trace = program_json();
    let names = track_names(&trace);
    let named = ["task `blocker`", "task `sleeper`", "task `say \"hi\"\\\n`"];
    for name in ["loop", "block_on", "blocking pool 1"]
        .into_iter()
        .chain(named)
    {
        assert!(
            names.values().any(|n| n == name),
            "no track {name:?} in {names:?}"
        );
    }
    let blocker = slices(&trace, "task `blocker`");
    assert_eq!(blocker.len(), 1, "one poll");
    assert_eq!(
        (blocker[0].0, blocker[0].1),
        (0.0, 500_000.0),
        "500 ms in µs"
    );
    assert_eq!(blocker[0].2["name"], "poll");

    let wait_for = &slices(&trace, "wait_for 1")[0];
    assert_eq!(wait_for.2["name"], "wait_for 100 ms");
    assert_eq!(wait_for.2["args"]["outcome"], "Err(Elapsed)");
    assert_eq!(wait_for.2["args"]["deadline_us"], 100_000.0);
    let fate = wait_for.2["args"]["timeout"].as_str().unwrap();
    assert!(fate.starts_with("fired 400 ms late"), "{fate}");

    let fired: Vec<&Value> = events(&trace)
        .iter()
        .filter(|e| e["name"] == "fired")
        .collect();
    let timeout_fire = fired
        .iter()
        .find(|e| e["args"]["lateness_us"] == 400_000.0)
        .expect("the timeout fired 400 ms late");
    assert_eq!(timeout_fire["ts"], 500_000.0);
    let timeout = events(&trace)
        .iter()
        .find(|e| e["name"] == "timeout of wait_for");
    let timeout = timeout.expect("the timeout's slice");
    assert_eq!(
        (&timeout["ts"], &timeout["dur"]),
        (&0.0.into(), &100_000.0.into())
    );
    assert_eq!(
        timeout["tid"], timeout_fire["tid"],
        "the fire is on its timer's track"
    );

    let parks = slices(&trace, "loop");
    assert!(parks.iter().all(|(_, _, e)| e["name"] == "parked"));
    let job = &slices(&trace, "blocking pool 1")[0];
    assert_eq!(job.2["name"], "blocking job 0");
}
