//! `Interval`: its schedule, and what each `MissedTickBehavior` makes of
//! the ticks a blocked loop missed, with tokio's semantics.
//!
//! The scenario of `examples/interval_burst.rs` is checked here exactly, on
//! the virtual clock: a 100 ms interval, one poll that blocks for 550 ms,
//! then the instants each behaviour yields and when the task sees them.

mod support;

use std::time::{Duration, Instant};
use support::virtual_executor;
use waitfor_executor::{
    advance, interval, interval_at, now, spawn, wait_for, Interval, MissedTickBehavior,
};

const MS: Duration = Duration::from_millis(1);

/// Milliseconds since `start`.
fn ms(start: Instant, at: Instant) -> u64 {
    (at - start).as_millis() as u64
}

/// The next `count` ticks: (scheduled, seen), in ms since `start`.
async fn ticks(interval: &mut Interval, start: Instant, count: usize) -> Vec<(u64, u64)> {
    let mut seen = Vec::new();
    for _ in 0..count {
        let scheduled = interval.tick().await;
        seen.push((ms(start, scheduled), ms(start, now())));
    }
    seen
}

/// The example's scenario: tick at 0, block the loop for 550 ms, then six ticks.
fn after_a_550_ms_block(behavior: MissedTickBehavior) -> Vec<(u64, u64)> {
    virtual_executor().block_on(async move {
        let start = now();
        let mut every_100_ms = interval(100 * MS);
        every_100_ms.set_missed_tick_behavior(behavior);
        assert_eq!(every_100_ms.tick().await, start);
        advance(550 * MS); // the blocking poll
        ticks(&mut every_100_ms, start, 6).await
    })
}

#[test]
fn burst_fires_every_missed_tick_at_once_then_keeps_the_schedule() {
    assert_eq!(
        after_a_550_ms_block(MissedTickBehavior::Burst),
        [
            (100, 550),
            (200, 550),
            (300, 550),
            (400, 550),
            (500, 550),
            (600, 600)
        ]
    );
}

#[test]
fn delay_restarts_the_schedule_one_period_after_the_late_tick() {
    assert_eq!(
        after_a_550_ms_block(MissedTickBehavior::Delay),
        [
            (100, 550),
            (650, 650),
            (750, 750),
            (850, 850),
            (950, 950),
            (1050, 1050)
        ]
    );
}

#[test]
fn skip_drops_the_missed_ticks_and_keeps_to_the_original_grid() {
    assert_eq!(
        after_a_550_ms_block(MissedTickBehavior::Skip),
        [
            (100, 550),
            (600, 600),
            (700, 700),
            (800, 800),
            (900, 900),
            (1000, 1000)
        ]
    );
}

#[test]
fn the_first_tick_is_at_once_and_the_default_is_burst() {
    virtual_executor().block_on(async {
        let start = now();
        let mut every = interval(250 * MS);
        assert_eq!(every.missed_tick_behavior(), MissedTickBehavior::Burst);
        assert_eq!(every.period(), 250 * MS);
        assert_eq!(
            ticks(&mut every, start, 3).await,
            [(0, 0), (250, 250), (500, 500)]
        );
    });
}

#[test]
fn interval_at_starts_its_schedule_at_the_given_instant() {
    virtual_executor().block_on(async {
        let start = now();
        let mut every = interval_at(start + 40 * MS, 10 * MS);
        assert_eq!(
            ticks(&mut every, start, 3).await,
            [(40, 40), (50, 50), (60, 60)]
        );
    });
}

#[test]
fn a_tick_up_to_5_ms_late_is_not_missed_even_for_delay() {
    virtual_executor().block_on(async {
        let start = now();
        let mut every = interval(100 * MS);
        every.set_missed_tick_behavior(MissedTickBehavior::Delay);
        every.tick().await;
        advance(105 * MS); // the 100 ms tick is seen 5 ms late: on time
        assert_eq!(ticks(&mut every, start, 2).await, [(100, 105), (200, 200)]);
        advance(106 * MS); // the 300 ms tick is seen 6 ms late: missed
        assert_eq!(ticks(&mut every, start, 2).await, [(300, 306), (406, 406)]);
    });
}

#[test]
fn skip_and_burst_agree_when_the_loop_was_late_by_less_than_a_period() {
    for behavior in [MissedTickBehavior::Skip, MissedTickBehavior::Burst] {
        virtual_executor().block_on(async move {
            let start = now();
            let mut every = interval(100 * MS);
            every.set_missed_tick_behavior(behavior);
            every.tick().await;
            advance(130 * MS);
            assert_eq!(ticks(&mut every, start, 2).await, [(100, 130), (200, 200)]);
        });
    }
}

#[test]
fn a_tick_blocked_by_another_task_is_late_by_that_tasks_poll() {
    virtual_executor().block_on(async {
        let start = now();
        let mut every = interval(100 * MS);
        every.set_missed_tick_behavior(MissedTickBehavior::Skip);
        every.tick().await;
        let blocker = spawn(async { advance(320 * MS) });
        assert_eq!(ticks(&mut every, start, 2).await, [(100, 320), (400, 400)]);
        blocker.await.unwrap();
    });
}

#[test]
fn a_tick_dropped_before_it_completes_is_not_lost() {
    virtual_executor().block_on(async {
        let start = now();
        let mut every = interval(100 * MS);
        every.tick().await;
        assert!(wait_for(every.tick(), 30 * MS).await.is_err());
        assert_eq!(ticks(&mut every, start, 1).await, [(100, 100)]);
    });
}

#[test]
fn changing_the_behavior_applies_from_the_next_tick() {
    virtual_executor().block_on(async {
        let start = now();
        let mut every = interval(100 * MS);
        every.tick().await;
        advance(350 * MS);
        assert_eq!(ticks(&mut every, start, 1).await, [(100, 350)]);
        every.set_missed_tick_behavior(MissedTickBehavior::Skip);
        assert_eq!(ticks(&mut every, start, 2).await, [(200, 350), (400, 400)]);
    });
}

#[test]
#[should_panic(expected = "waitfor::interval needs a non-zero period")]
fn a_zero_period_panics_with_a_clear_message() {
    virtual_executor().block_on(async {
        let _ = interval(Duration::ZERO);
    });
}
