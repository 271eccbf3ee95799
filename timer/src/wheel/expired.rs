//! Fired timers that stay in the wheel, under their key, until their
//! owner collects them.
//!
//! [`Wheel::advance`] frees each due timer as it hands its value over: its
//! key goes stale at once. That suits a caller that keeps nothing but the
//! value. An executor wants more: the future that owns the key learns that
//! its timer fired only when it is polled next, perhaps many turns later,
//! and it wants to know *when* it fired. [`Wheel::expire`] is for that: it
//! fires like `advance`, but leaves a **stamp** (the caller's, the same for
//! every timer of that call, such as the instant it was made at) in each
//! fired timer's place, under the same key, until the key's owner takes it
//! with [`Wheel::collect`] or drops it with [`Wheel::cancel`].
//!
//! The stamp is a second type, `S`, rather than a value left in `T`'s place,
//! because what a timer wakes and what it leaves behind are different
//! things: were both one type, that type would need a tag for "fired", and
//! an executor's waker has no room for one (it would grow every entry by a
//! word). The entry's own tag, pending or expired, already in its padding,
//! tells them apart. An expired timer is in no list: it is not pending, so
//! [`len`](Wheel::len), [`next_expiration`](Wheel::next_expiration),
//! [`contains`](Wheel::contains), [`get_mut`](Wheel::get_mut) and
//! [`reschedule`](Wheel::reschedule) do not see it, and no walk of a slot
//! ever visits it.

use super::Wheel;
use crate::key::TimerKey;
use crate::slab::Slab;

impl<T, S> Wheel<T, S> {
    /// How many timers fired by [`expire`](Wheel::expire) still hold their
    /// stamp, waiting for [`collect`](Wheel::collect) or
    /// [`cancel`](Wheel::cancel).
    pub fn expired_len(&self) -> usize {
        self.slab.expired_len()
    }

    /// [`advance`](Wheel::advance), except that each timer fired leaves a
    /// clone of `stamp` in its place, under its key, until
    /// [`collect`](Wheel::collect) or [`cancel`](Wheel::cancel) frees it: so
    /// the key's owner can learn, whenever it next looks, that its timer
    /// fired, and whatever the stamp says (when, say). An expired timer is
    /// no longer pending.
    ///
    /// ```
    /// use waitfor_timer::Wheel;
    ///
    /// let mut wheel: Wheel<char, u64> = Wheel::default();
    /// let early = wheel.insert(3, 'a');
    /// let late = wheel.insert(30, 'b');
    /// let mut fired = Vec::new();
    /// wheel.expire(10, 10, |_, value| fired.push(value));
    /// wheel.expire(40, 40, |_, value| fired.push(value));
    /// assert_eq!(fired, ['a', 'b']);
    /// assert_eq!((wheel.collect(late), wheel.collect(early)), (Some(40), Some(10)));
    /// ```
    pub fn expire(&mut self, now: u64, stamp: S, fire: impl FnMut(u64, T))
    where
        S: Clone,
    {
        let mut take = |slab: &mut Slab<T, S>, index| slab.expire(index, stamp.clone());
        self.fire_due(now, &mut take, fire);
    }

    /// Frees a timer that [`expire`](Wheel::expire) fired and returns the
    /// stamp it left. O(1).
    ///
    /// Returns `None`, and changes nothing, if the key's timer is still
    /// pending, or was freed already (collected, cancelled, or fired by
    /// `advance`).
    ///
    /// ```
    /// use waitfor_timer::Wheel;
    ///
    /// let mut wheel: Wheel<&str, &str> = Wheel::default();
    /// let key = wheel.insert(10, "wake me");
    /// assert_eq!(wheel.collect(key), None, "still pending");
    /// wheel.expire(15, "fired at 15", |_, value| assert_eq!(value, "wake me"));
    /// assert!(wheel.is_empty() && !wheel.contains(key), "expired, not pending");
    /// assert_eq!(wheel.collect(key), Some("fired at 15"));
    /// assert_eq!(wheel.collect(key), None, "a stamp is collected once");
    /// ```
    #[inline]
    pub fn collect(&mut self, key: TimerKey) -> Option<S> {
        let index = self.slab.resolve_expired(key)?;
        Some(self.slab.free_expired(index))
    }
}
