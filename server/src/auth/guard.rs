//! Who may try a password (or the service token) now: back-off after failures, and a cap
//! on the slow password checks running at once.
//!
//! The rule. Failures are counted per client address ([`ClientKey`], as the rate limiter
//! counts clients) and per login of an existing account. After [`FREE_FAILURES`] failures
//! each further attempt waits twice as long as the one before (1, 2, 4 … s, up to 15 min),
//! whatever the password. A client in back-off is refused whatever login or token it sends.
//! A login's back-off applies only to clients that have themselves failed: an admin whose
//! login is attacked from elsewhere still signs in from their own desk. An attempt counts
//! as a failure from the moment it is let through until it succeeds (so a concurrent burst
//! gets no more tries than a sequential one: beyond the free failures, nothing is let
//! through while an earlier attempt is still being checked). A success forgives the client
//! and the login. All of it is judged by the server's [`Clock`].
//!
//! The store is bounded and a flood cannot reset it: logins are remembered only for
//! existing accounts (few), clients up to [`CAPACITY`]; when full, only clients whose wait
//! has passed are forgotten, and when every remembered client is still waiting a new
//! client is refused (503) rather than any back-off forgotten.
//!
//! [`VERIFYING_AT_ONCE`] password checks (about 19 MiB of memory each) run at once at
//! most; beyond them a sign-in is refused with 503 and `Retry-After`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::client_addr::ClientKey;
use crate::clock::Clock;

/// Failures allowed before the first wait.
pub const FREE_FAILURES: u32 = 3;
/// The longest wait, in seconds.
pub const MAX_WAIT: i64 = 15 * 60;
/// Seconds after its wait has passed that a quiet entry is forgotten.
const QUIET: i64 = MAX_WAIT;
/// Client addresses remembered at most.
pub const CAPACITY: usize = 10_000;
/// Password checks running at once at most.
pub const VERIFYING_AT_ONCE: usize = 4;

/// Why an attempt is not let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This client (or login) backs off: retry after this many seconds (429).
    Wait(u64),
    /// The guard is full of clients that are all still waiting, or every password check
    /// slot is taken: retry after this many seconds (503).
    Busy(u64),
}

/// The failures of one client or one login.
#[derive(Debug, Clone, Copy, Default)]
struct Failures {
    /// Failures, attempts in flight included.
    count: u32,
    /// Attempts let through and not yet settled.
    pending: u32,
    /// No attempt is let through before this moment (Unix seconds).
    until: i64,
}

impl Failures {
    /// `Err(seconds)` while this entry backs off at `now`.
    fn check(&self, now: i64) -> Result<(), u64> {
        if self.until > now {
            return Err(u64::try_from(self.until - now).unwrap_or(1).max(1));
        }
        if self.pending > 0 && self.count >= FREE_FAILURES {
            return Err(1);
        }
        Ok(())
    }

    /// Whether failures were settled (not just attempts in flight).
    fn has_failed(&self) -> bool {
        self.count > self.pending
    }

    /// Whether nothing needs remembering at `now`.
    fn forgettable(&self, now: i64) -> bool {
        self.pending == 0 && (self.count == 0 || self.until + QUIET <= now)
    }

    /// Whether its wait has passed at `now` (it may be forgotten when the store is full).
    fn waited(&self, now: i64) -> bool {
        self.pending == 0 && self.until <= now
    }

    fn fail(&mut self, now: i64) {
        self.until = self.until.max(now + wait_after(self.count));
    }

    fn settle_failure(&mut self, now: i64) {
        self.pending = self.pending.saturating_sub(1);
        self.fail(now);
    }

    /// After a success: only attempts still in flight remain, and nothing waits (even if
    /// the clock is later set back).
    fn forgive(&mut self) {
        self.pending = self.pending.saturating_sub(1);
        self.count = self.pending;
        self.until = i64::MIN / 2;
    }
}

#[derive(Debug, Default)]
struct Store {
    clients: HashMap<ClientKey, Failures>,
    logins: HashMap<String, Failures>,
}

impl Store {
    /// The client's entry, making room for it if need be.
    fn client_entry(&mut self, client: ClientKey, now: i64) -> Result<&mut Failures, Refusal> {
        if !self.clients.contains_key(&client) && self.clients.len() >= CAPACITY {
            self.clients.retain(|_, f| !f.forgettable(now));
            if self.clients.len() >= CAPACITY {
                self.clients.retain(|_, f| !f.waited(now));
            }
            if self.clients.len() >= CAPACITY {
                let soonest = self
                    .clients
                    .values()
                    .map(|f| f.until - now)
                    .min()
                    .unwrap_or(1);
                return Err(Refusal::Busy(u64::try_from(soonest).unwrap_or(1).max(1)));
            }
        }
        let entry = self.clients.entry(client).or_default();
        if entry.forgettable(now) {
            *entry = Failures::default();
        }
        Ok(entry)
    }

    fn login_entry(&mut self, login: &str, now: i64) -> &mut Failures {
        let entry = self.logins.entry(key(login)).or_default();
        if entry.forgettable(now) {
            *entry = Failures::default();
        }
        entry
    }
}

/// Failed sign-ins and token attempts by client and login, and the password check slots.
#[derive(Debug)]
pub struct SignInGuard {
    clock: Clock,
    store: Mutex<Store>,
    verifying: Arc<Semaphore>,
}

/// An attempt let through: a failure until [`SignInGuard::succeeded`] says otherwise.
/// Dropped unsettled (the request went away), it counts as a failure.
#[derive(Debug)]
pub struct Attempt {
    guard: Arc<SignInGuard>,
    client: ClientKey,
    login: Option<String>,
    settled: bool,
}

impl Attempt {
    /// Settles this attempt as a failure now.
    pub fn failed(mut self) {
        self.settle(false);
    }

    /// Settles this attempt as a success: its client and login are forgiven.
    pub fn succeeded(mut self) {
        self.settle(true);
    }

    /// Takes this attempt back as if it had not been made (it was refused for another
    /// reason before any password was checked).
    pub fn withdraw(mut self) {
        self.settled = true;
        let mut store = self.guard.lock();
        let withdraw = |f: &mut Failures| {
            f.pending = f.pending.saturating_sub(1);
            f.count = f.count.saturating_sub(1);
        };
        if let Some(f) = store.clients.get_mut(&self.client) {
            withdraw(f);
        }
        if let Some(login) = &self.login
            && let Some(f) = store.logins.get_mut(&key(login))
        {
            withdraw(f);
        }
    }

    fn settle(&mut self, success: bool) {
        if self.settled {
            return;
        }
        self.settled = true;
        let now = self.guard.clock.now();
        let mut store = self.guard.lock();
        let settle = |f: &mut Failures| {
            if success {
                f.forgive();
            } else {
                f.settle_failure(now);
            }
        };
        if let Some(f) = store.clients.get_mut(&self.client) {
            settle(f);
        }
        if let Some(login) = &self.login
            && let Some(f) = store.logins.get_mut(&key(login))
        {
            settle(f);
        }
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        self.settle(false);
    }
}

/// A slot for one password check; the slot is free again when this is dropped.
#[derive(Debug)]
pub struct VerifySlot(#[allow(dead_code)] OwnedSemaphorePermit);

/// What a bearer token attempt comes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenVerdict {
    /// The right token.
    Accepted,
    /// A wrong token, counted as a failure of the client.
    Wrong,
    /// Not compared: the client backs off, or there is no room to count it.
    Refused(Refusal),
}

impl SignInGuard {
    /// A guard judging time by `clock`.
    pub fn new(clock: Clock) -> SignInGuard {
        SignInGuard {
            clock,
            store: Mutex::new(Store::default()),
            verifying: Arc::new(Semaphore::new(VERIFYING_AT_ONCE)),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `Err(seconds)` while `client` backs off: a cheap look before anything else is done.
    pub fn check_client(&self, client: ClientKey) -> Result<(), u64> {
        let now = self.clock.now();
        self.lock()
            .clients
            .get(&client)
            .map_or(Ok(()), |f| f.check(now))
    }

    /// Lets an attempt by `client` at `login` through, counting it as a failure until it
    /// is settled; `login` is `Some` only for an existing account.
    pub fn attempt(
        self: &Arc<Self>,
        client: ClientKey,
        login: Option<&str>,
    ) -> Result<Attempt, Refusal> {
        let now = self.clock.now();
        let mut store = self.lock();
        let client_failures = *store.clients.get(&client).unwrap_or(&Failures::default());
        let client_failures = if client_failures.forgettable(now) {
            Failures::default()
        } else {
            client_failures
        };
        client_failures.check(now).map_err(Refusal::Wait)?;
        if let Some(login) = login
            && client_failures.has_failed()
        {
            store
                .login_entry(login, now)
                .check(now)
                .map_err(Refusal::Wait)?;
        }
        let entry = store.client_entry(client, now)?;
        entry.count = entry.count.saturating_add(1);
        entry.pending += 1;
        if let Some(login) = login {
            let entry = store.login_entry(login, now);
            entry.count = entry.count.saturating_add(1);
            entry.pending += 1;
        }
        Ok(Attempt {
            guard: Arc::clone(self),
            client,
            login: login.map(str::to_owned),
            settled: false,
        })
    }

    /// Takes a password check slot, or says how long to wait for one.
    pub fn verify_slot(&self) -> Result<VerifySlot, Refusal> {
        Arc::clone(&self.verifying)
            .try_acquire_owned()
            .map(VerifySlot)
            .map_err(|_| Refusal::Busy(1))
    }

    /// Judges a bearer token attempt by `client`, `matches` saying whether the token is
    /// right; it is compared only when the client does not back off.
    pub fn token(&self, client: ClientKey, matches: impl FnOnce() -> bool) -> TokenVerdict {
        let now = self.clock.now();
        let mut store = self.lock();
        if let Some(f) = store.clients.get(&client)
            && !f.forgettable(now)
            && let Err(wait) = f.check(now)
        {
            return TokenVerdict::Refused(Refusal::Wait(wait));
        }
        if matches() {
            if let Some(f) = store.clients.get_mut(&client) {
                f.pending += 1;
                f.forgive();
                if f.count == 0 {
                    store.clients.remove(&client);
                }
            }
            return TokenVerdict::Accepted;
        }
        match store.client_entry(client, now) {
            Ok(entry) => {
                entry.count = entry.count.saturating_add(1);
                entry.fail(now);
                TokenVerdict::Wrong
            }
            Err(refusal) => TokenVerdict::Refused(refusal),
        }
    }

    /// How many client addresses are remembered.
    pub fn clients_remembered(&self) -> usize {
        self.lock().clients.len()
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
    use std::net::Ipv4Addr;

    use super::*;

    fn client(n: u32) -> ClientKey {
        ClientKey::V4(Ipv4Addr::from(0x0A00_0000 | n))
    }

    /// A guard whose clock is stopped, so no wait ends on its own during a test, however
    /// slowly it runs; tests move it on explicitly.
    fn guard() -> (Arc<SignInGuard>, Clock) {
        let clock = Clock::default();
        clock.stop();
        (Arc::new(SignInGuard::new(clock.clone())), clock)
    }

    fn fail(guard: &Arc<SignInGuard>, who: ClientKey, login: Option<&str>) -> Result<(), Refusal> {
        guard.attempt(who, login).map(Attempt::failed)
    }

    #[test]
    fn waits_double_after_the_free_failures_and_stop_at_the_cap() {
        let waits: Vec<i64> = (1..=8).map(wait_after).collect();
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 16]);
        assert_eq!(wait_after(40), MAX_WAIT);
    }

    #[test]
    fn a_burst_of_failures_makes_even_the_right_password_wait() {
        let (guard, clock) = guard();
        let desk = client(1);
        for _ in 0..4 {
            assert!(fail(&guard, desk, Some("admin")).is_ok());
        }
        assert_eq!(
            guard.attempt(desk, Some("admin ")).err(),
            Some(Refusal::Wait(1))
        );
        assert_eq!(guard.attempt(desk, None).err(), Some(Refusal::Wait(1)));
        clock.advance(1);
        let right = guard.attempt(desk, Some("ADMIN")).expect("let through");
        right.succeeded();
        clock.advance(-60);
        assert!(fail(&guard, desk, Some("admin")).is_ok(), "forgiven");
    }

    #[test]
    fn concurrent_attempts_get_no_more_tries_than_sequential_ones() {
        let (guard, _clock) = guard();
        let attacker = client(2);
        let in_flight: Vec<_> = (0..16)
            .map(|_| guard.attempt(attacker, Some("admin")))
            .collect();
        let through = in_flight.iter().filter(|a| a.is_ok()).count();
        assert_eq!(through, FREE_FAILURES as usize);
        assert!(
            in_flight
                .iter()
                .filter_map(|a| a.as_ref().err())
                .all(|r| matches!(r, Refusal::Wait(w) if *w >= 1))
        );
    }

    #[test]
    fn a_login_under_attack_still_lets_a_client_that_has_not_failed_sign_in() {
        let (guard, clock) = guard();
        for n in 0..10 {
            let _ = fail(&guard, client(100), Some("admin"));
            let _ = fail(&guard, client(200 + n), Some("admin"));
        }
        // An address that failed once (on any login) meets the login's back-off.
        assert!(fail(&guard, client(300), Some("someone")).is_ok());
        assert!(matches!(
            guard.attempt(client(300), Some("admin")),
            Err(Refusal::Wait(_))
        ));
        // The admin's desk has not failed: let through, and forgiven on success.
        let desk = guard
            .attempt(client(1), Some("admin"))
            .expect("let through");
        desk.succeeded();
        clock.advance(1);
        assert!(guard.attempt(client(1), Some("admin")).is_ok());
    }

    #[test]
    fn a_flood_of_clients_cannot_make_the_guard_forget_a_live_back_off() {
        let (guard, clock) = guard();
        let attacker = client(1);
        for _ in 0..10 {
            if let Err(Refusal::Wait(wait)) = fail(&guard, attacker, Some("admin")) {
                clock.advance(i64::try_from(wait).unwrap_or(0));
                assert!(fail(&guard, attacker, Some("admin")).is_ok());
            }
        }
        assert!(matches!(
            guard.attempt(attacker, None),
            Err(Refusal::Wait(_))
        ));
        // Twice the capacity of junk, each from its own address, each failing once.
        for n in 0..(2 * CAPACITY as u32) {
            let junk = ClientKey::V4(Ipv4Addr::from(0x0B00_0000 | n));
            assert!(fail(&guard, junk, None).is_ok());
        }
        assert!(guard.clients_remembered() <= CAPACITY);
        assert!(matches!(
            guard.attempt(attacker, Some("admin")),
            Err(Refusal::Wait(_))
        ));
    }

    #[test]
    fn a_store_full_of_waiting_clients_refuses_new_ones_instead_of_forgetting() {
        let (guard, clock) = guard();
        for n in 0..CAPACITY as u32 {
            let who = client(n);
            for _ in 0..4 {
                let _ = fail(&guard, who, None);
            }
        }
        assert_eq!(guard.clients_remembered(), CAPACITY);
        assert_eq!(
            guard.attempt(client(CAPACITY as u32 + 1), None).err(),
            Some(Refusal::Busy(1))
        );
        assert_eq!(
            guard.token(client(CAPACITY as u32 + 1), || false),
            TokenVerdict::Refused(Refusal::Busy(1))
        );
        assert!(matches!(
            guard.attempt(client(0), None),
            Err(Refusal::Wait(_))
        ));
        clock.advance(1);
        assert!(guard.attempt(client(CAPACITY as u32 + 1), None).is_ok());
    }

    #[test]
    fn wrong_tokens_back_off_their_client_and_the_right_one_then_waits_too() {
        let (guard, clock) = guard();
        let who = client(5);
        for _ in 0..4 {
            assert_eq!(guard.token(who, || false), TokenVerdict::Wrong);
        }
        assert_eq!(
            guard.token(who, || true),
            TokenVerdict::Refused(Refusal::Wait(1))
        );
        assert_eq!(guard.token(client(6), || true), TokenVerdict::Accepted);
        clock.advance(1);
        assert_eq!(guard.token(who, || true), TokenVerdict::Accepted);
        assert_eq!(guard.clients_remembered(), 0);
    }

    #[test]
    fn the_password_check_slots_are_capped() {
        let (guard, _clock) = guard();
        let held: Vec<_> = (0..VERIFYING_AT_ONCE)
            .map(|_| guard.verify_slot().expect("a slot"))
            .collect();
        assert_eq!(guard.verify_slot().err(), Some(Refusal::Busy(1)));
        drop(held);
        assert!(guard.verify_slot().is_ok());
    }
}
