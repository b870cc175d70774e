//! A per-client limit on writes: a token bucket per IP address, answering
//! 429 with `Retry-After` when it is empty. Behind a trusted reverse proxy the
//! client is the address the proxy appended to `X-Forwarded-For`.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// How many idle buckets may pile up before full ones are dropped.
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by client address; cheap to clone.
#[derive(Debug, Clone)]
pub struct RateLimiter {
    per_minute: u32,
    trust_forwarded_for: bool,
    buckets: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
}

impl RateLimiter {
    /// A limiter allowing `per_minute` requests a minute in bursts of as many; 0 disables it.
    pub fn new(per_minute: u32) -> RateLimiter {
        RateLimiter {
            per_minute,
            trust_forwarded_for: false,
            buckets: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Whether to take the client address from `X-Forwarded-For`.
    pub fn trusting_forwarded_for(self, trust: bool) -> RateLimiter {
        RateLimiter {
            trust_forwarded_for: trust,
            ..self
        }
    }

    /// The address a request is counted against.
    fn client_of(&self, request: &Request) -> IpAddr {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        if !self.trust_forwarded_for {
            return peer;
        }
        last_forwarded_for(request.headers()).unwrap_or(peer)
    }

    /// Takes a token for `client`; `Err(seconds)` to wait when there is none.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        if self.per_minute == 0 {
            return Ok(());
        }
        let capacity = f64::from(self.per_minute);
        let per_second = capacity / 60.0;
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if buckets.len() >= SWEEP_AT {
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < capacity
            });
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + refill).min(capacity);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / per_second).ceil() as u64)
        }
    }
}

/// Limits POST requests per client address.
pub async fn limit_writes(
    State(limiter): State<RateLimiter>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST {
        let client = limiter.client_of(&request);
        if let Err(wait) = limiter.check(client, Instant::now()) {
            return AppError::RateLimited(wait).into_response();
        }
    }
    next.run(request).await
}

/// The last address in the `X-Forwarded-For` headers: the one the nearest
/// proxy saw. Earlier entries come from the client and prove nothing.
fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .rfind(|v| !v.is_empty())?;
    last.parse::<IpAddr>()
        .ok()
        .or_else(|| last.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_is_allowed_then_refused_until_refilled() {
        let limiter = RateLimiter::new(60);
        let client = IpAddr::V4(Ipv4Addr::LOCALHOST);
        let start = Instant::now();
        for _ in 0..60 {
            assert!(limiter.check(client, start).is_ok());
        }
        assert_eq!(limiter.check(client, start), Err(1));
        let other = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
        assert!(limiter.check(other, start).is_ok());
        assert!(
            limiter
                .check(client, start + Duration::from_secs(2))
                .is_ok()
        );
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = RateLimiter::new(0);
        for _ in 0..1000 {
            assert!(
                limiter
                    .check(IpAddr::V4(Ipv4Addr::LOCALHOST), Instant::now())
                    .is_ok()
            );
        }
    }

    #[test]
    fn the_proxy_appended_address_is_the_client() {
        let mut headers = HeaderMap::new();
        assert_eq!(last_forwarded_for(&headers), None);
        headers.append(
            "x-forwarded-for",
            "1.2.3.4, 10.0.0.7"
                .parse()
                .unwrap_or(axum::http::HeaderValue::from_static("")),
        );
        headers.append(
            "x-forwarded-for",
            "192.0.2.9"
                .parse()
                .unwrap_or(axum::http::HeaderValue::from_static("")),
        );
        assert_eq!(last_forwarded_for(&headers), "192.0.2.9".parse().ok());
        let mut v6 = HeaderMap::new();
        v6.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("[2001:db8::1]:4711"),
        );
        assert_eq!(last_forwarded_for(&v6), "2001:db8::1".parse().ok());
        let mut junk = HeaderMap::new();
        junk.insert(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("unknown"),
        );
        assert_eq!(last_forwarded_for(&junk), None);
    }
}
