//! Failed sign-ins, counted per account and per address (IPv6 addresses
//! per /64, which one machine usually has whole): past the limit within
//! the window, sign-in is refused for that account or address until the
//! window has passed, with the very answer a wrong password gets. Both
//! tables are bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long failures count.
pub const WINDOW: Duration = Duration::from_mins(15);
/// Failures allowed per account within the window.
pub const PER_ACCOUNT: u32 = 5;
/// Failures allowed per address within the window (a newsroom may share one).
pub const PER_ADDRESS: u32 = 20;
/// The most accounts or addresses tracked at once.
const MAX_TRACKED: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
}

/// The failures of recent sign-ins.
#[derive(Debug, Default)]
pub struct Throttle {
    accounts: Mutex<HashMap<String, Failures>>,
    addresses: Mutex<HashMap<IpAddr, Failures>>,
}

/// The address failures count against: IPv4 whole, IPv6 by its /64.
fn network(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(segments.into())
        }
    }
}

fn over<K: std::hash::Hash + Eq>(table: &Mutex<HashMap<K, Failures>>, key: &K, limit: u32) -> bool {
    let table = table.lock().unwrap_or_else(PoisonError::into_inner);
    table
        .get(key)
        .is_some_and(|failures| failures.since.elapsed() < WINDOW && failures.count >= limit)
}

fn count<K: std::hash::Hash + Eq + Clone>(table: &Mutex<HashMap<K, Failures>>, key: &K) {
    let now = Instant::now();
    let mut table = table.lock().unwrap_or_else(PoisonError::into_inner);
    if table.len() >= MAX_TRACKED {
        table.retain(|_, failures| failures.since.elapsed() < WINDOW);
        if table.len() >= MAX_TRACKED {
            // A flood of names or addresses: the oldest make room.
            if let Some(oldest) = table
                .iter()
                .min_by_key(|(_, failures)| failures.since)
                .map(|(key, _)| key.clone())
            {
                table.remove(&oldest);
            }
        }
    }
    let failures = table.entry(key.clone()).or_insert(Failures {
        count: 0,
        since: now,
    });
    if failures.since.elapsed() >= WINDOW {
        *failures = Failures {
            count: 0,
            since: now,
        };
    }
    failures.count = failures.count.saturating_add(1);
}

impl Throttle {
    /// Whether a sign-in as `name` from `address` may be tried now.
    pub fn allows(&self, name: &str, address: IpAddr) -> bool {
        !over(&self.accounts, &name.to_owned(), PER_ACCOUNT)
            && !over(&self.addresses, &network(address), PER_ADDRESS)
    }

    /// Counts a failed sign-in.
    pub fn failed(&self, name: &str, address: IpAddr) {
        count(&self.accounts, &name.to_owned());
        count(&self.addresses, &network(address));
    }

    /// Clears an account's failures after it signed in.
    pub fn succeeded(&self, name: &str) {
        self.accounts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_paused_after_so_many_failures_from_anywhere() {
        let throttle = Throttle::default();
        let here: IpAddr = "192.0.2.1".parse().expect("address");
        let there: IpAddr = "192.0.2.2".parse().expect("address");
        for _ in 0..PER_ACCOUNT {
            assert!(throttle.allows("anna", here));
            throttle.failed("anna", here);
        }
        assert!(
            !throttle.allows("anna", there),
            "paused wherever it comes from"
        );
        assert!(throttle.allows("bo", here), "other accounts go on");
    }

    #[test]
    fn an_address_is_paused_after_so_many_failures_on_any_account() {
        let throttle = Throttle::default();
        let one: IpAddr = "2001:db8::1".parse().expect("address");
        let same_network: IpAddr = "2001:db8::2".parse().expect("address");
        for n in 0..PER_ADDRESS {
            throttle.failed(&format!("user{n}"), one);
        }
        assert!(!throttle.allows("someone", same_network));
        assert!(throttle.allows("someone", "2001:db9::1".parse().expect("address")));
    }
}
