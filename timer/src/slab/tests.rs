//! The slab's own tests: sizes, list order, the count, expired entries.

use super::*;

/// A timer's whole record, links included, with a `u64` value and a stamp
/// of up to an `Instant`: checked when the crate compiles.
const _: () = {
    use std::mem::{align_of, size_of};
    use std::time::Instant;
    assert!(size_of::<Record<u64, ()>>() == 32);
    assert!(size_of::<Record<u64, u64>>() == 32);
    assert!(size_of::<Record<u64, Instant>>() == 32);
    assert!(align_of::<Record<u64, ()>>() == 32);
};

#[test]
fn a_record_with_a_u64_payload_is_32_bytes_in_one_cache_line() {
    assert_eq!(std::mem::size_of::<Record<u64, std::time::Instant>>(), 32);
    let slab: Slab<u64, ()> = Slab::with_capacity(3, 10);
    let address = slab.records.as_ptr() as usize;
    assert_eq!(address % 32, 0, "no record straddles two cache lines");
}

#[test]
fn growth_leaves_at_most_a_fifth_spare() {
    let mut slab: Slab<u64, ()> = Slab::with_capacity(2, 0);
    let count = if cfg!(miri) { 2_000 } else { 100_000 };
    for i in 0..count {
        slab.insert(i, i, 0);
        let (len, capacity) = (slab.records.len(), slab.records.capacity());
        assert!(
            capacity - len <= (capacity / 5).max(MIN_GROWTH),
            "{len} records in room for {capacity}"
        );
    }
    assert_eq!(slab.len(), count as usize);
}

#[test]
fn an_expired_entry_keeps_its_key_until_freed() {
    let mut slab: Slab<_, &str> = Slab::with_capacity(1, 0);
    let a = slab.insert(1, 'a', 0);
    let b = slab.insert(1, 'b', 0);
    assert_eq!(slab.expire(a.index, "fired"), ('a', None));
    assert_eq!(slab.len(), 1, "an expired entry is not pending");
    assert_eq!(slab.expired_len(), 1);
    assert_eq!(slab.resolve(a), None);
    assert_eq!(slab.resolve_expired(a), Some(a.index));
    assert_eq!(slab.front(0), Some(b.index), "and is in no list");
    assert_eq!(slab.free_expired(a.index), "fired");
    assert_eq!((slab.len(), slab.expired_len()), (1, 0));
    assert_eq!(slab.resolve_expired(a), None, "a freed key is stale");
    let reused = slab.insert(2, 'c', 0);
    assert_eq!(reused.index, a.index);
    assert_ne!(reused, a);
}

#[test]
fn lists_are_fifo_and_unlink_from_the_middle() {
    let mut slab: Slab<_, ()> = Slab::with_capacity(2, 0);
    let keys: Vec<_> = (0..4).map(|i| slab.insert(i, i, 0)).collect();
    let middle = slab.resolve(keys[1]).unwrap();
    assert_eq!(slab.remove(middle), (1, None));
    let mut order = vec![];
    let mut cursor = slab.front(0);
    while let Some(index) = cursor {
        order.push(slab.deadline(index));
        cursor = slab.next(index);
    }
    assert_eq!(order, [0, 2, 3]);
    assert!(slab.resolve(keys[1]).is_none(), "a freed key is stale");
    let reused = slab.insert(9, 9, 1);
    assert_eq!(reused.index, keys[1].index, "freed slots are reused");
    assert!(
        slab.resolve(keys[1]).is_none(),
        "and the old key stays stale"
    );
    assert_eq!(slab.len(), 4);
}

#[test]
fn the_count_follows_the_free_list() {
    let mut slab: Slab<_, ()> = Slab::with_capacity(1, 0);
    let keys: Vec<_> = (0..5).map(|i| slab.insert(i, i, 0)).collect();
    for (removed, &i) in [3, 0, 4].iter().enumerate() {
        slab.remove(keys[i].index);
        assert_eq!(slab.len(), 5 - 1 - removed);
    }
    slab.insert(7, 7, 0);
    assert_eq!(slab.len(), 3);
    slab.insert(8, 8, 0);
    slab.insert(9, 9, 0);
    assert_eq!(slab.len(), 5, "the free list is used up");
    slab.insert(10, 10, 0);
    assert_eq!(slab.len(), 6, "and the Vec grows");
}

#[test]
fn the_last_timer_out_reports_its_list_empty() {
    let mut slab: Slab<_, ()> = Slab::with_capacity(3, 0);
    let a = slab.insert(1, 'a', 2);
    let b = slab.insert(1, 'b', 2);
    assert!(!slab.is_list_empty(2));
    assert_eq!(slab.remove(a.index), ('a', None));
    assert_eq!(slab.remove(b.index), ('b', Some(2)));
    assert!(slab.is_list_empty(2));
    assert_eq!(slab.front(2), None);
}
