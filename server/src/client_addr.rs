//! Who a request comes from, as limits count it: an IPv4 address, or an IPv6 /64 (one
//! household or device gets a whole /64, so counting single IPv6 addresses would let one
//! client be a million). Behind a trusted reverse proxy the client is the address the
//! proxy appended to `X-Forwarded-For`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::state::AppState;

/// A client as limits count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClientKey {
    V4(Ipv4Addr),
    /// The first 64 bits of an IPv6 address.
    V6Prefix(u64),
}

impl ClientKey {
    /// The key of an address (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn of(ip: IpAddr) -> ClientKey {
        match ip {
            IpAddr::V4(v4) => ClientKey::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ClientKey::V4(v4),
                None => ClientKey::V6Prefix((u128::from(v6) >> 64) as u64),
            },
        }
    }

    /// The key of a request: its peer, or with `trust_forwarded_for` the address the proxy
    /// appended.
    pub fn of_request(
        headers: &HeaderMap,
        peer: Option<SocketAddr>,
        trust_forwarded_for: bool,
    ) -> ClientKey {
        let peer = peer.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |p| p.ip());
        let ip = if trust_forwarded_for {
            last_forwarded_for(headers).unwrap_or(peer)
        } else {
            peer
        };
        ClientKey::of(ip)
    }
}

/// The client of a request, for handlers that keep their own counts (live streams).
#[derive(Debug, Clone, Copy)]
pub struct Client(pub ClientKey);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(Client(ClientKey::of_request(
            &parts.headers,
            peer,
            state.config.limits.trust_forwarded_for,
        )))
    }
}

/// The last address in the `X-Forwarded-For` headers: the one the nearest
/// proxy saw. Earlier entries come from the client and prove nothing.
pub fn last_forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
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
    use super::*;

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let a: IpAddr = "2001:db8:1:2::1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let b: IpAddr = "2001:db8:1:2:ffff::9"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        let c: IpAddr = "2001:db8:1:3::1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(ClientKey::of(a), ClientKey::of(b));
        assert_ne!(ClientKey::of(a), ClientKey::of(c));
        let mapped: IpAddr = "::ffff:192.0.2.7"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert_eq!(
            ClientKey::of(mapped),
            ClientKey::V4(Ipv4Addr::new(192, 0, 2, 7))
        );
    }

    #[test]
    fn the_proxy_appended_address_is_the_client() {
        let mut headers = HeaderMap::new();
        assert_eq!(last_forwarded_for(&headers), None);
        headers.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("1.2.3.4, 10.0.0.7"),
        );
        headers.append(
            "x-forwarded-for",
            axum::http::HeaderValue::from_static("192.0.2.9"),
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
        let peer = SocketAddr::from(([10, 0, 0, 1], 9));
        assert_eq!(
            ClientKey::of_request(&headers, Some(peer), false),
            ClientKey::V4(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert_eq!(
            ClientKey::of_request(&headers, Some(peer), true),
            ClientKey::V4(Ipv4Addr::new(192, 0, 2, 9))
        );
    }
}
