//! One test per rule of the wheel's contract, at the edges: past deadlines,
//! `u64::MAX`, deadlines beyond the six levels, stale keys, huge jumps, drop.

use std::rc::Rc;
use waitfor_timer::{level::RANGE, Wheel};

fn fire_until<T>(wheel: &mut Wheel<T>, now: u64) -> Vec<(u64, T)> {
    let mut fired = Vec::new();
    wheel.advance(now, |deadline, value| fired.push((deadline, value)));
    fired
}

#[test]
fn a_deadline_in_the_past_fires_at_the_next_advance_in_deadline_order() {
    let mut wheel = Wheel::new();
    wheel.advance(1_000, |_, _: u32| unreachable!());
    wheel.insert(1_000, 3);
    wheel.insert(990, 2);
    wheel.insert(0, 1);
    wheel.insert(990, 22);
    assert_eq!(
        wheel.next_expiration(),
        Some(0),
        "the earliest overdue deadline"
    );
    assert_eq!(
        fire_until(&mut wheel, 1_000),
        [(0, 1), (990, 2), (990, 22), (1_000, 3)]
    );
    assert!(wheel.is_empty());
}

#[test]
fn advancing_backwards_keeps_the_clock_and_fires_what_is_overdue() {
    let mut wheel = Wheel::new();
    wheel.advance(500, |_, _: u32| unreachable!());
    wheel.insert(100, 1);
    wheel.insert(501, 2);
    assert_eq!(fire_until(&mut wheel, 10), [(100, 1)]);
    assert_eq!(wheel.now(), 500);
    assert_eq!(wheel.len(), 1);
}

#[test]
fn timers_never_fire_early_and_next_expiration_is_exact_at_level_zero() {
    let mut wheel = Wheel::new();
    wheel.insert(70, "a");
    // Level 1 reports the start of the slot, which is not after the deadline.
    assert_eq!(wheel.next_expiration(), Some(64));
    assert!(fire_until(&mut wheel, 64).is_empty());
    // After the cascade the answer is exact.
    assert_eq!(wheel.next_expiration(), Some(70));
    assert!(fire_until(&mut wheel, 69).is_empty());
    assert_eq!(fire_until(&mut wheel, 70), [(70, "a")]);
    assert_eq!(wheel.next_expiration(), None);
}

#[test]
fn deadlines_beyond_the_levels_are_held_and_fire_on_time() {
    let mut wheel = Wheel::new();
    let far = 5 * RANGE + 12_345;
    wheel.insert(far, "far");
    wheel.insert(RANGE - 1, "edge");
    assert_eq!(fire_until(&mut wheel, RANGE - 1), [(RANGE - 1, "edge")]);
    assert!(fire_until(&mut wheel, far - 1).is_empty());
    assert_eq!(wheel.len(), 1);
    assert_eq!(fire_until(&mut wheel, far), [(far, "far")]);
}

#[test]
fn u64_max_is_a_valid_deadline() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(u64::MAX, 1);
    wheel.insert(u64::MAX, 2);
    assert!(fire_until(&mut wheel, u64::MAX - 1).is_empty());
    assert_eq!(wheel.deadline(key), Some(u64::MAX));
    assert_eq!(
        fire_until(&mut wheel, u64::MAX),
        [(u64::MAX, 1), (u64::MAX, 2)]
    );
    // The clock can stand at the end of time and still take timers.
    wheel.insert(u64::MAX, 3);
    wheel.insert(7, 4);
    assert_eq!(fire_until(&mut wheel, u64::MAX), [(7, 4), (u64::MAX, 3)]);
}

#[test]
fn a_huge_jump_visits_only_occupied_slots() {
    // If advance walked ticks (or even level-0 rotations), this would not
    // finish: it crosses 2^64 ticks with a timer every 2^58 of them.
    let mut wheel = Wheel::new();
    let deadlines: Vec<u64> = (1..64).map(|i| i << 58).collect();
    for &deadline in deadlines.iter().rev() {
        wheel.insert(deadline, deadline);
    }
    let fired: Vec<u64> = fire_until(&mut wheel, u64::MAX)
        .into_iter()
        .map(|(_, value)| value)
        .collect();
    assert_eq!(fired, deadlines);
}

#[test]
fn stale_keys_touch_nothing() {
    let mut wheel = Wheel::new();
    let fired = wheel.insert(5, "fired");
    let cancelled = wheel.insert(9, "cancelled");
    assert_eq!(wheel.cancel(cancelled), Some("cancelled"));
    assert_eq!(fire_until(&mut wheel, 5), [(5, "fired")]);
    // Both slots are now free; new timers reuse them.
    let newer = wheel.insert(50, "newer");
    let newest = wheel.insert(60, "newest");
    for stale in [fired, cancelled] {
        assert_eq!(wheel.cancel(stale), None);
        assert!(!wheel.contains(stale));
        assert!(wheel.get_mut(stale).is_none());
        assert_eq!(wheel.deadline(stale), None);
    }
    assert_eq!(wheel.len(), 2);
    assert_eq!(wheel.get_mut(newer), Some(&mut "newer"));
    assert!(wheel.contains(newest));
}

#[test]
fn get_mut_changes_what_fires() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(3, 1);
    *wheel.get_mut(key).unwrap() = 2;
    assert_eq!(fire_until(&mut wheel, 3), [(3, 2)]);
}

#[test]
fn dropping_the_wheel_drops_every_pending_value() {
    let token = Rc::new(());
    {
        let mut wheel = Wheel::new();
        for deadline in [0, 10, 5_000, RANGE * 3, u64::MAX] {
            wheel.insert(deadline, Rc::clone(&token));
        }
        wheel.advance(1, |_, value| drop(value));
        assert_eq!(Rc::strong_count(&token), 5);
    }
    assert_eq!(Rc::strong_count(&token), 1);
}

#[test]
fn a_panicking_fire_leaves_the_rest_pending() {
    let mut wheel = Wheel::new();
    for value in 0..4 {
        wheel.insert(10, value);
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        wheel.advance(10, |_, value| assert_ne!(value, 1, "boom"));
    }));
    assert!(outcome.is_err());
    assert_eq!(wheel.len(), 2, "0 and 1 were taken out; 2 and 3 remain");
    assert_eq!(fire_until(&mut wheel, 10), [(10, 2), (10, 3)]);
}

#[test]
fn earliest_deadline_is_exact_where_next_expiration_is_a_lower_bound() {
    let mut wheel = Wheel::new();
    assert_eq!(wheel.earliest_deadline(), None);
    wheel.insert(302, "level 1");
    wheel.insert(290, "level 1 too");
    assert_eq!(wheel.next_expiration(), Some(256), "the slot's start");
    assert_eq!(wheel.earliest_deadline(), Some(290));
    wheel.insert(5, "level 0");
    assert_eq!(wheel.earliest_deadline(), Some(5));
    wheel.advance(100, |_, _| {});
    let key = wheel.insert(40, "overdue");
    wheel.insert(60, "overdue too");
    wheel.cancel(key);
    assert_eq!(
        wheel.earliest_deadline(),
        Some(60),
        "a cancelled timer is not counted"
    );
    wheel.advance(100, |_, _| {});
    wheel.insert(5 * RANGE + 9, "overflow");
    wheel.advance(400, |_, _| {});
    assert_eq!(wheel.earliest_deadline(), Some(5 * RANGE + 9));
}

#[test]
fn reschedule_moves_a_timer_between_levels_and_side_lists_keeping_its_key() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(5, "moving");
    let other = wheel.insert(5, "stays");
    // Level 0 -> overflow -> level 2 -> the slot it started in.
    for deadline in [5 * RANGE, 70_000, 5] {
        assert!(wheel.reschedule(key, deadline));
        assert_eq!(wheel.deadline(key), Some(deadline));
        assert_eq!(wheel.len(), 2, "moved, not copied");
    }
    // Back in its old slot, it now comes after the timer that stayed.
    assert_eq!(fire_until(&mut wheel, 5), [(5, "stays"), (5, "moving")]);
    assert!(!wheel.contains(other));
}

#[test]
fn rescheduling_the_last_timer_out_of_a_slot_empties_it() {
    let mut wheel = Wheel::new();
    let key = wheel.insert(300, 1);
    assert_eq!(wheel.next_expiration(), Some(256), "level 1, slot 4");
    assert!(wheel.reschedule(key, 20));
    assert_eq!(
        wheel.next_expiration(),
        Some(20),
        "the old slot's bit is cleared"
    );
    assert_eq!(fire_until(&mut wheel, 400), [(20, 1)]);
    assert_eq!(wheel.next_expiration(), None);
}

#[test]
fn rescheduling_into_the_past_makes_a_timer_due_at_the_next_advance() {
    let mut wheel = Wheel::new();
    wheel.advance(1_000, |_, _: u32| unreachable!());
    let key = wheel.insert(5_000, 1);
    assert!(wheel.reschedule(key, 10));
    assert_eq!(wheel.next_expiration(), Some(10), "overdue");
    assert_eq!(fire_until(&mut wheel, 1_000), [(10, 1)]);
}

#[test]
fn rescheduling_a_stale_key_changes_nothing() {
    let mut wheel = Wheel::new();
    let fired = wheel.insert(1, "fired");
    let cancelled = wheel.insert(2, "cancelled");
    wheel.cancel(cancelled);
    fire_until(&mut wheel, 1);
    let reused = wheel.insert(9, "reuses a slot");
    assert!(!wheel.reschedule(fired, 50));
    assert!(!wheel.reschedule(cancelled, 50));
    assert_eq!(wheel.deadline(reused), Some(9));
    assert_eq!(fire_until(&mut wheel, 100), [(9, "reuses a slot")]);
}

#[test]
fn an_expired_timer_keeps_its_key_until_collected_and_is_not_pending() {
    let mut wheel: Wheel<char, u64> = Wheel::default();
    let fired = wheel.insert(5, 'a');
    let later = wheel.insert(100, 'b');
    let mut values = Vec::new();
    wheel.expire(10, 10, |deadline, value| values.push((deadline, value)));
    assert_eq!(values, [(5, 'a')]);
    assert_eq!((wheel.len(), wheel.expired_len()), (1, 1));
    assert!(!wheel.contains(fired), "an expired timer is not pending");
    assert_eq!(wheel.deadline(fired), None);
    assert_eq!(wheel.get_mut(fired), None);
    assert!(!wheel.reschedule(fired, 50), "nor can it be moved");
    assert_eq!(wheel.next_expiration(), Some(64), "its slot is not visited");
    assert_eq!(wheel.collect(later), None, "a pending timer has no stamp");
    assert_eq!(wheel.collect(fired), Some(10));
    assert_eq!(wheel.collect(fired), None, "collected once");
    assert_eq!((wheel.len(), wheel.expired_len()), (1, 0));
    let reused = wheel.insert(200, 'c');
    assert_eq!(wheel.collect(fired), None, "a stale key stays stale");
    assert_eq!(wheel.cancel(fired), None);
    assert_eq!(wheel.cancel(reused), Some('c'));
}

#[test]
fn cancelling_an_expired_timer_frees_it() {
    let mut wheel: Wheel<u32, Rc<()>> = Wheel::default();
    let stamp = Rc::new(());
    let key = wheel.insert(0, 1);
    wheel.expire(0, Rc::clone(&stamp), |_, _| {});
    assert_eq!(Rc::strong_count(&stamp), 2);
    assert_eq!(wheel.cancel(key), None, "its value was handed over already");
    assert_eq!(Rc::strong_count(&stamp), 1, "the stamp is dropped");
    assert_eq!(wheel.expired_len(), 0);
    assert_eq!(wheel.collect(key), None);
}

#[test]
fn dropping_the_wheel_drops_every_value_and_stamp_once() {
    let value = Rc::new(());
    let stamp = Rc::new(());
    let mut wheel: Wheel<Rc<()>, Rc<()>> = Wheel::default();
    for deadline in [1, 1, 70, 5_000, RANGE * 2] {
        wheel.insert(deadline, Rc::clone(&value));
    }
    wheel.expire(70, Rc::clone(&stamp), |_, _| {});
    assert_eq!((wheel.len(), wheel.expired_len()), (2, 3));
    assert_eq!(Rc::strong_count(&value), 3);
    assert_eq!(Rc::strong_count(&stamp), 1 + 3, "one clone per fired timer");
    drop(wheel);
    assert_eq!((Rc::strong_count(&value), Rc::strong_count(&stamp)), (1, 1));
}

#[test]
fn a_panicking_fire_while_expiring_leaves_the_fired_timer_expired_and_the_rest_pending() {
    let mut wheel: Wheel<u32, &str> = Wheel::default();
    let first = wheel.insert(1, 1);
    let second = wheel.insert(1, 2);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        wheel.expire(1, "stamp", |_, _| panic!("fire"));
    }));
    assert!(outcome.is_err());
    assert_eq!(wheel.collect(first), Some("stamp"));
    assert!(wheel.contains(second));
    let mut rest = Vec::new();
    wheel.expire(1, "again", |_, value| rest.push(value));
    assert_eq!(rest, [2]);
    assert_eq!(wheel.collect(second), Some("again"));
    assert!(wheel.is_empty());
}
