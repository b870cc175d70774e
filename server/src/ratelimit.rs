//! Per-client limits on requests: a token bucket per client (see [`ClientKey`]) for
//! writes (every POST), reads (every API GET) and, strictly, tracking-number lookups
//! (which could otherwise be used to guess numbers), and votes and ratings at a
//! person's pace: a kiosk's visitors take turns, so no more votes or ratings come from
//! one kiosk (or one page's visitor) than people could make there. A refused request
//! gets 429 with `Retry-After`; the widget's outbox keeps the write and sends it later.
//! Buckets refill by the server's [`Clock`], so a test moves time on instead of waiting.
//!
//! Memory is bounded without ever scanning every client: buckets live in two
//! generations; when the current one is full it becomes the old one and the oldest is
//! dropped. A client that comes back finds its bucket in either generation; one dropped
//! with the oldest generation starts afresh (full), which only ever favours a client
//! that has been quiet while many others came.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::client_addr::ClientKey;
use crate::clock::Clock;
use crate::config::Config;
use crate::error::AppError;

/// Clients one generation holds by default.
pub const GENERATION: usize = 16_384;

/// A token counted in sixtieths: a second refills `per_minute` of them and a request
/// takes [`TOKEN`], so the arithmetic is exact whole numbers.
const TOKEN: i64 = 60;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// What is left, in sixtieths of a token.
    sixtieths: i64,
    /// When it was last filled, in Unix seconds by the server's clock.
    at: i64,
}

#[derive(Debug, Default)]
struct Generations {
    current: HashMap<ClientKey, Bucket>,
    previous: HashMap<ClientKey, Bucket>,
}

/// Token buckets by client for one kind of request; cheap to clone.
#[derive(Debug, Clone)]
pub struct Limiter {
    per_minute: u32,
    generation: usize,
    buckets: Arc<Mutex<Generations>>,
}

impl Limiter {
    /// `per_minute` requests a minute in bursts of as many; 0 disables it.
    pub fn new(per_minute: u32) -> Limiter {
        Limiter::with_generation(per_minute, GENERATION)
    }

    /// A limiter whose generations hold `generation` clients each.
    pub fn with_generation(per_minute: u32, generation: usize) -> Limiter {
        Limiter {
            per_minute,
            generation: generation.max(1),
            buckets: Arc::default(),
        }
    }

    /// Takes a token for `client` at `now` (Unix seconds); `Err(seconds)` to wait when
    /// there is none.
    pub fn check(&self, client: ClientKey, now: i64) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let per_second = i64::from(self.per_minute);
        let capacity = per_second * TOKEN;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let mut bucket = match buckets.current.get(&client) {
            Some(b) => *b,
            None => buckets.previous.remove(&client).unwrap_or(Bucket {
                sixtieths: capacity,
                at: now,
            }),
        };
        let elapsed = (now - bucket.at).clamp(0, TOKEN);
        bucket.sixtieths = (bucket.sixtieths + elapsed * per_second).min(capacity);
        bucket.at = bucket.at.max(now);
        let answer = if bucket.sixtieths >= TOKEN {
            bucket.sixtieths -= TOKEN;
            Ok(())
        } else {
            let missing = TOKEN - bucket.sixtieths;
            Err(u64::try_from((missing + per_second - 1) / per_second).unwrap_or(1))
        };
        if !buckets.current.contains_key(&client) && buckets.current.len() >= self.generation {
            buckets.previous = std::mem::take(&mut buckets.current);
        }
        buckets.current.insert(client, bucket);
        answer
    }

    /// How many clients it remembers now.
    pub fn clients(&self) -> usize {
        let buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        buckets.current.len() + buckets.previous.len()
    }
}

/// The limits every request passes, judged by the server's clock.
#[derive(Debug, Clone)]
pub struct Limits {
    pub writes: Limiter,
    pub reads: Limiter,
    pub lookups: Limiter,
    pub votes: Limiter,
    pub ratings: Limiter,
    /// Letters and comments to the mayor's mailbox and opinion collections, together.
    pub letters: Limiter,
    trust_forwarded_for: bool,
    clock: Clock,
}

impl Limits {
    /// The limits `config` sets, refilled as `clock` moves on.
    pub fn new(config: &Config, clock: Clock) -> Limits {
        Limits {
            writes: Limiter::new(config.limits.writes_per_minute),
            reads: Limiter::new(config.limits.reads_per_minute),
            lookups: Limiter::new(config.limits.lookups_per_minute),
            votes: Limiter::new(config.limits.votes_per_minute),
            ratings: Limiter::new(config.limits.ratings_per_minute),
            letters: Limiter::new(config.limits.letters_per_minute),
            trust_forwarded_for: config.limits.trust_forwarded_for,
            clock,
        }
    }
}

/// Whether `path` looks an issue up by its tracking number (its status or QR code), or a
/// proposal by its code.
fn is_lookup(path: &str) -> bool {
    ["/api/v1/issues/", "/api/v1/proposals/"]
        .iter()
        .any(|prefix| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| !rest.is_empty())
        })
}

/// Whether `path` is a visitor's write on a month's cycle: a proposal, a representative's
/// vote or an evaluation.
fn is_cycle_write(path: &str) -> bool {
    path.strip_prefix("/api/v1/cycles/").is_some_and(|rest| {
        rest.ends_with("/proposals")
            || rest.ends_with("/representative-votes")
            || rest.ends_with("/evaluations")
    })
}

/// Whether `path` looks a letter up by its code (its view, or its writer's rating): codes
/// could be guessed there like tracking numbers.
fn is_letter_lookup(path: &str) -> bool {
    path.strip_prefix("/api/v1/letters/")
        .is_some_and(|rest| !rest.is_empty() && rest != "figures")
}

/// Whether `path` writes a letter or a comment: bounded at a person's pace.
fn is_mailbox_write(path: &str) -> bool {
    path == "/api/v1/letters"
        || path
            .strip_prefix("/api/v1/consultations/")
            .is_some_and(|rest| rest.ends_with("/comments"))
}

/// Counts every request against its client's limits.
pub async fn limit_requests(
    State(limits): State<Limits>,
    request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let client = ClientKey::of_request(request.headers(), peer, limits.trust_forwarded_for);
    let now = limits.clock.now();
    let path = request.uri().path();
    let method = request.method();
    let mut verdict = Ok(());
    if method == Method::POST {
        verdict = limits.writes.check(client, now);
        if verdict.is_ok() {
            verdict = match path {
                "/api/v1/votes" => limits.votes.check(client, now),
                "/api/v1/ratings" => limits.ratings.check(client, now),
                // A proposal and a representative's vote are bounded like a vote.
                _ if is_cycle_write(path) => limits.votes.check(client, now),
                path if is_mailbox_write(path) => limits.letters.check(client, now),
                path if is_letter_lookup(path) => limits.lookups.check(client, now),
                _ => Ok(()),
            };
        }
    } else if (method == Method::GET || method == Method::HEAD) && path.starts_with("/api/") {
        verdict = limits.reads.check(client, now);
        if verdict.is_ok() && method == Method::GET && (is_lookup(path) || is_letter_lookup(path)) {
            verdict = limits.lookups.check(client, now);
        }
    }
    match verdict {
        Ok(()) => next.run(request).await,
        Err(wait) => AppError::RateLimited(wait).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn v4(last: u8) -> ClientKey {
        ClientKey::V4(Ipv4Addr::new(10, 0, 0, last))
    }

    #[test]
    fn a_burst_is_allowed_then_refused_until_refilled() {
        let limiter = Limiter::new(60);
        let start = 1_700_000_000;
        for _ in 0..60 {
            assert!(limiter.check(v4(1), start).is_ok());
        }
        assert_eq!(limiter.check(v4(1), start), Err(1));
        assert!(limiter.check(v4(2), start).is_ok());
        assert!(limiter.check(v4(1), start + 2).is_ok());
        assert!(limiter.check(v4(1), start + 2).is_ok());
        assert_eq!(limiter.check(v4(1), start + 2), Err(1));
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = Limiter::new(0);
        for _ in 0..1000 {
            assert!(limiter.check(v4(1), 1_700_000_000).is_ok());
        }
    }

    #[test]
    fn memory_stays_bounded_however_many_clients_come() {
        let limiter = Limiter::with_generation(10, 1_000);
        let now = 1_700_000_000;
        for n in 0..100_000u32 {
            let client = ClientKey::V4(Ipv4Addr::from(0x0A00_0000 | n));
            assert!(limiter.check(client, now).is_ok());
        }
        assert!(limiter.clients() <= 2_000, "{}", limiter.clients());
        // A client seen lately keeps its bucket across a generation change.
        let busy = ClientKey::V4(Ipv4Addr::new(192, 0, 2, 1));
        for _ in 0..10 {
            assert!(limiter.check(busy, now).is_ok());
        }
        for n in 0..999u32 {
            let client = ClientKey::V4(Ipv4Addr::from(0x0B00_0000 | n));
            let _ = limiter.check(client, now);
        }
        assert!(limiter.check(busy, now).is_err());
    }

    #[test]
    fn lookups_are_issue_paths_with_a_number() {
        assert!(is_lookup("/api/v1/issues/OM-7K3F-9QX2-M4TB-6"));
        assert!(is_lookup("/api/v1/issues/OM-7K3F-9QX2-M4TB-6/qr.svg"));
        assert!(!is_lookup("/api/v1/issues"));
        assert!(!is_lookup("/api/v1/events/3"));
        assert!(is_lookup("/api/v1/proposals/PR-7K3F-9QX2-M4TB-6"));
    }

    #[test]
    fn proposals_and_representatives_votes_are_bounded_like_votes() {
        assert!(is_cycle_write("/api/v1/cycles/2026-05/proposals"));
        assert!(is_cycle_write(
            "/api/v1/cycles/2026-05/representative-votes"
        ));
        assert!(!is_cycle_write("/api/v1/cycles/2026-05"));
        assert!(!is_cycle_write("/api/v1/admin/cycles/2026-05/codes"));
    }

    #[test]
    fn letters_have_their_lookups_and_writes_bounded() {
        assert!(is_letter_lookup("/api/v1/letters/ML-7K3F-9QX2-M4TB-6"));
        assert!(is_letter_lookup(
            "/api/v1/letters/ML-7K3F-9QX2-M4TB-6/rating"
        ));
        assert!(!is_letter_lookup("/api/v1/letters/figures"));
        assert!(!is_letter_lookup("/api/v1/letters"));
        assert!(is_mailbox_write("/api/v1/letters"));
        assert!(is_mailbox_write("/api/v1/consultations/3/comments"));
        assert!(!is_mailbox_write("/api/v1/consultations/3"));
    }
}
