//! Rate limits: a token bucket per device and per client address, so one stolen
//! token, a stuck app in a retry loop or a script guessing enrolment codes cannot
//! take the server from everyone else. A request over its limit is answered 429
//! with `Retry-After` and the `rate_limited` problem; the app says the server is
//! busy and tries at its next sync.
//!
//! The buckets live in this process's memory: with several server processes behind
//! one address, each keeps its own, so the limit a client meets is the configured
//! one times the number of processes it is spread over. That is enough to stop a
//! flood; an exact shared limit would need the database on every request.
//!
//! Written by hand rather than with `governor`: a keyed bucket is thirty lines, and
//! `governor` would bring a concurrent map and a clock crate for the same thing.
//! (`tower`'s `RateLimit` is one limit for all callers, and makes them wait rather
//! than refusing.)

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// When the map holds this many keys, the buckets that have filled up again (idle
/// clients) are dropped: a full bucket is the same as no bucket.
const PRUNE_AT: usize = 10_000;

/// A rate: `per_minute` requests a minute on average, `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Requests a minute, once the burst is spent; 0 turns the limit off.
    pub per_minute: u32,
    /// Requests that may come at once.
    pub burst: u32,
}

/// One token bucket per key.
#[derive(Debug)]
pub struct Limiter<K> {
    rate: Rate,
    buckets: Mutex<HashMap<K, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl<K: Hash + Eq + Clone> Limiter<K> {
    /// A limiter allowing `rate` to each key.
    pub fn new(rate: Rate) -> Self {
        Self { rate, buckets: Mutex::new(HashMap::new()) }
    }

    /// Takes a token for `key` at `now`: `Ok` if there was one, otherwise how long
    /// until there is.
    pub fn check(&self, key: &K, now: Instant) -> Result<(), Duration> {
        if self.rate.per_minute == 0 {
            return Ok(());
        }
        let burst = f64::from(self.rate.burst.max(1));
        let per_second = f64::from(self.rate.per_minute) / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= PRUNE_AT && !buckets.contains_key(key) {
            buckets.retain(|_, bucket| bucket.refilled(now, per_second, burst) < burst);
        }
        let bucket = buckets.entry(key.clone()).or_insert(Bucket { tokens: burst, at: now });
        bucket.tokens = bucket.refilled(now, per_second, burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - bucket.tokens) / per_second))
        }
    }
}

impl Bucket {
    fn refilled(&self, now: Instant, per_second: f64, burst: f64) -> f64 {
        (self.tokens + now.saturating_duration_since(self.at).as_secs_f64() * per_second).min(burst)
    }
}

/// The key an address is limited by: an IPv4 address, or an IPv6 address's /64 —
/// one home or office network, which can hand out addresses from it at will.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let segments = v6.segments();
                IpAddr::V6(Ipv6Addr::new(segments[0], segments[1], segments[2], segments[3], 0, 0, 0, 0))
            }
        },
    }
}

/// The `Retry-After` value for a wait: whole seconds, rounded up, at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_one_request_per_interval() {
        let limiter = Limiter::new(Rate { per_minute: 60, burst: 3 });
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(&"dev", start), Ok(()));
        }
        let wait = limiter.check(&"dev", start).expect_err("the burst is spent");
        assert!(wait > Duration::from_millis(990) && wait <= Duration::from_secs(1), "{wait:?}");
        assert_eq!(retry_after_seconds(wait), 1);
        assert_eq!(limiter.check(&"other", start), Ok(()), "each key has its own bucket");
        assert!(limiter.check(&"dev", start + Duration::from_millis(500)).is_err());
        assert_eq!(limiter.check(&"dev", start + Duration::from_secs(1)), Ok(()), "a token came back");
        assert!(limiter.check(&"dev", start + Duration::from_secs(1)).is_err());
        let later = start + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(limiter.check(&"dev", later), Ok(()), "an idle key refills to its burst, no more");
        }
        assert!(limiter.check(&"dev", later).is_err());
    }

    #[test]
    fn a_rate_of_zero_is_no_limit() {
        let limiter = Limiter::new(Rate { per_minute: 0, burst: 0 });
        let now = Instant::now();
        assert!((0..10_000).all(|_| limiter.check(&1, now).is_ok()));
    }

    #[test]
    fn idle_keys_are_forgotten_when_the_map_is_large() {
        let limiter = Limiter::new(Rate { per_minute: 60, burst: 1 });
        let start = Instant::now();
        for key in 0..PRUNE_AT {
            limiter.check(&key, start).expect("first request");
        }
        limiter.check(&PRUNE_AT, start + Duration::from_secs(2)).expect("a new key");
        assert_eq!(limiter.buckets.lock().unwrap().len(), 1, "the refilled buckets were dropped");
    }

    #[test]
    fn ipv6_addresses_of_one_network_share_a_bucket() {
        let a: IpAddr = "2a02:6b8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2a02:6b8:1:2:bbbb::9".parse().unwrap();
        let other: IpAddr = "2a02:6b8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert_eq!(address_key(mapped), "10.1.2.3".parse::<IpAddr>().unwrap());
        assert_eq!(retry_after_seconds(Duration::from_millis(2001)), 3);
        assert_eq!(retry_after_seconds(Duration::from_secs(2)), 2);
    }
}
