//! Back-off after failed sign-ins: after a few wrong passwords for one login, each
//! further attempt waits twice as long as the one before (up to a cap), whatever the
//! password. Kept in memory, per login; a success clears it.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// Failures allowed before the first wait.
const FREE_FAILURES: u32 = 3;
/// The longest wait, in seconds.
const MAX_WAIT: i64 = 15 * 60;
/// Logins remembered at most; the oldest quiet ones are forgotten first.
const CAPACITY: usize = 10_000;

/// The failures of one login.
#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    /// No attempt is taken before this moment (Unix seconds).
    until: i64,
}

/// Failed sign-ins by login.
#[derive(Debug, Default)]
pub struct SignInGuard {
    failures: Mutex<HashMap<String, Failures>>,
}

impl SignInGuard {
    /// `Err(seconds)` to wait when `login` may not try at `now`.
    pub fn check(&self, login: &str, now: i64) -> Result<(), u64> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        match failures.get(&key(login)) {
            Some(f) if f.until > now => Err(u64::try_from(f.until - now).unwrap_or(1)),
            _ => Ok(()),
        }
    }

    /// Records a failed attempt at `now`; returns the wait it sets, in seconds.
    pub fn failed(&self, login: &str, now: i64) -> i64 {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() >= CAPACITY {
            let quiet = now - MAX_WAIT;
            failures.retain(|_, f| f.until > quiet);
            if failures.len() >= CAPACITY {
                failures.clear();
            }
        }
        let entry = failures.entry(key(login)).or_insert(Failures {
            count: 0,
            until: now,
        });
        entry.count = entry.count.saturating_add(1);
        let wait = wait_after(entry.count);
        entry.until = now + wait;
        wait
    }

    /// Forgets the failures of `login` after a successful sign-in.
    pub fn succeeded(&self, login: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&key(login));
    }
}

fn key(login: &str) -> String {
    login.trim().to_lowercase().chars().take(64).collect()
}

/// The wait after `count` failures: none for the first few, then 1, 2, 4 … seconds.
fn wait_after(count: u32) -> i64 {
    if count <= FREE_FAILURES {
        return 0;
    }
    let doublings = (count - FREE_FAILURES - 1).min(20);
    (1_i64 << doublings).min(MAX_WAIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_the_free_failures_and_stop_at_the_cap() {
        let waits: Vec<i64> = (1..=8).map(wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(wait_after(40), MAX_WAIT);
    }

    #[test]
    fn a_burst_of_failures_makes_even_the_right_password_wait() {
        let guard = SignInGuard::default();
        let mut now = 100;
        let mut last_wait = 0;
        for _ in 0..5 {
            assert!(guard.check("Admin", now).is_ok());
            last_wait = guard.failed("admin", now);
            now += last_wait;
        }
        let failed_at = now - last_wait;
        assert_eq!(last_wait, 2);
        assert_eq!(guard.check("admin ", failed_at), Err(2));
        assert!(guard.check("admin", failed_at + 2).is_ok());
        assert!(guard.check("other", failed_at).is_ok());
        guard.succeeded("ADMIN");
        assert!(guard.check("admin", failed_at).is_ok());
    }
}
