//! The trace's recorder: the events of known programs, in order and on
//! the virtual clock's exact instants; the bounded ring; task labels.
//! How a trace is drawn is tested with its renderers, in `timeline/tests/`.

use std::time::Duration;
use waitfor_executor::trace::{EventKind, TraceEvent};
use waitfor_executor::{advance, sleep, spawn, task, wait_for, Executor};

const MS: Duration = Duration::from_millis(1);
const SECOND: Duration = Duration::from_secs(1);

fn traced(capacity: usize) -> Executor {
    Executor::builder()
        .virtual_clock()
        .trace(capacity)
        .on_slow_poll(|_| {})
        .build()
}

fn event(at: Duration, kind: EventKind) -> TraceEvent {
    TraceEvent { at, kind }
}

#[test]
fn a_sleep_records_its_poll_timer_park_and_fire_in_order() {
    let executor = traced(64);
    executor.block_on(async { sleep(40 * MS).await });
    let main = match executor.trace().unwrap().events()[0].kind {
        EventKind::PollStart { task } => task,
        ref other => panic!("the trace starts with {other:?}"),
    };
    let expected = [
        event(Duration::ZERO, EventKind::PollStart { task: main }),
        event(
            Duration::ZERO,
            EventKind::TimerInsert {
                deadline: 40 * MS,
                requested: 40 * MS,
            },
        ),
        event(Duration::ZERO, EventKind::PollEnd { task: main }),
        event(
            Duration::ZERO,
            EventKind::Park {
                until: Some(40 * MS),
            },
        ),
        event(40 * MS, EventKind::Unpark),
        event(40 * MS, EventKind::TimerFire { deadline: 40 * MS }),
        event(40 * MS, EventKind::PollStart { task: main }),
        event(40 * MS, EventKind::PollEnd { task: main }),
    ];
    let trace = executor.trace().unwrap();
    assert_eq!(trace.events(), expected);
    assert_eq!(trace.dropped(), 0);
}

#[test]
fn a_fire_after_a_blocking_poll_records_its_lateness() {
    let executor = traced(64);
    executor.block_on(async {
        drop(spawn(async { advance(3 * SECOND) }));
        sleep(SECOND).await;
    });
    let trace = executor.trace().unwrap();
    let fires: Vec<(Duration, Duration)> = trace
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TimerFire { deadline } => Some((deadline, e.at - deadline)),
            _ => None,
        })
        .collect();
    assert_eq!(fires, [(SECOND, 2 * SECOND)], "(deadline, lateness)");
    // The poll that blocked ends at 3 s, before the timer's step.
    let block_end = trace
        .events()
        .iter()
        .position(|e| e.at == 3 * SECOND)
        .unwrap();
    assert!(matches!(
        trace.events()[block_end].kind,
        EventKind::PollEnd { .. }
    ));
    assert!(matches!(
        trace.events()[block_end + 1].kind,
        EventKind::TimerFire { .. }
    ));
}

#[test]
fn the_ring_keeps_the_newest_events_and_counts_the_dropped() {
    let program = || async {
        for _ in 0..5 {
            sleep(10 * MS).await;
        }
    };
    let (full, small) = (traced(1024), traced(4));
    full.block_on(program());
    small.block_on(program());
    let (full, small) = (full.trace().unwrap(), small.trace().unwrap());
    assert_eq!(full.dropped(), 0);
    assert_eq!(small.events().len(), 4);
    assert_eq!(small.dropped() as usize, full.events().len() - 4);
    assert_eq!(small.events(), &full.events()[full.events().len() - 4..]);
}

#[test]
fn tasks_are_labelled_by_name_or_spawn_site() {
    let executor = traced(64);
    executor.block_on(async {
        task::Builder::new()
            .name("fetch")
            .spawn(async {})
            .await
            .unwrap();
        spawn(async {}).await.unwrap();
    });
    let trace = executor.trace().unwrap();
    let mut labels: Vec<String> = Vec::new();
    for e in trace.events() {
        if let EventKind::PollStart { task } = e.kind {
            let label = trace.label(task);
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
    }
    assert_eq!(labels.len(), 3, "{labels:?}");
    assert_eq!(labels[1], "task `fetch`");
    assert!(labels[2].contains("spawned at") && labels[2].contains("trace.rs"));
}

#[test]
fn a_cancelled_timer_is_recorded_where_it_was_cancelled() {
    // The inner 5 s sleep loses to a 1 s timeout and is dropped at 1 s.
    let executor = traced(1024);
    executor.block_on(async {
        let _ = wait_for(sleep(Duration::from_secs(5)), Duration::from_secs(1)).await;
    });
    let trace = executor.trace().unwrap();
    let kinds: Vec<&EventKind> = trace.events().iter().map(|e| &e.kind).collect();
    let inserted = kinds
        .iter()
        .filter(|k| matches!(k, EventKind::TimerInsert { .. }))
        .count();
    assert_eq!(inserted, 2);
    let cancel = trace
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::TimerCancel { .. }))
        .expect("the inner sleep's timer is cancelled");
    assert_eq!(
        cancel,
        &event(
            Duration::from_secs(1),
            EventKind::TimerCancel {
                deadline: Duration::from_secs(5)
            }
        )
    );
}
