//! Origins (scheme, host and port) of backend URLs, read without a browser: what a
//! `backend` setting must be (an absolute http(s) URL), and where an outbox item was
//! made to go.

use std::fmt;

/// The scheme, host and port of an http(s) URL, written as a browser serialises an
/// origin: lower case, without a default port (`https://kiosk.example.gov.cn`,
/// `http://127.0.0.1:8080`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin(String);

impl Origin {
    /// The origin of an absolute `http://` or `https://` URL. Anything else is `None`:
    /// a protocol-relative `//host`, a path, another scheme, credentials (`user@host`),
    /// a query or fragment, a backslash, blanks, or a host that is not plain ASCII
    /// letters, digits, dots and hyphens (or a bracketed IPv6 address).
    pub fn parse(url: &str) -> Option<Origin> {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "http" => 80,
            "https" => 443,
            _ => return None,
        };
        if rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '\\' | '?' | '#' | '@'))
        {
            return None;
        }
        let authority = rest.split('/').next().unwrap_or_default();
        let (host, port) = split_host_port(authority)?;
        let port = match port {
            None => default_port,
            Some(digits) if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                digits.parse::<u16>().ok().filter(|p| *p != 0)?
            }
            Some(_) => return None,
        };
        let host = host.to_ascii_lowercase();
        Some(Origin(if port == default_port {
            format!("{scheme}://{host}")
        } else {
            format!("{scheme}://{host}:{port}")
        }))
    }

    /// The origin as text, as `location.origin` gives it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits `host[:port]` (or `[v6]:port`), checking the host's characters.
fn split_host_port(authority: &str) -> Option<(&str, Option<&str>)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (inside, after) = v6.split_once(']')?;
        let port = match after {
            "" => None,
            _ => Some(after.strip_prefix(':')?),
        };
        let ok = !inside.is_empty()
            && inside
                .chars()
                .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.'));
        return ok.then_some((&authority[..inside.len() + 2], port));
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let ok = !host.is_empty()
        && !host.starts_with(['.', '-'])
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    ok.then_some((host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(url: &str) -> Option<String> {
        Origin::parse(url).map(|o| o.as_str().to_owned())
    }

    #[test]
    fn an_origin_is_scheme_host_and_port_as_a_browser_writes_it() {
        assert_eq!(
            origin("https://Kiosk.Example.gov.cn/omk/").as_deref(),
            Some("https://kiosk.example.gov.cn")
        );
        assert_eq!(
            origin("HTTP://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            origin("https://kiosk.example.gov.cn:443").as_deref(),
            Some("https://kiosk.example.gov.cn")
        );
        assert_eq!(origin("http://kiosk:80/").as_deref(), Some("http://kiosk"));
        assert_eq!(
            origin("http://[::1]:3000").as_deref(),
            Some("http://[::1]:3000")
        );
        assert_eq!(
            origin("https://kiosk.example.gov.cn:8443"),
            origin("https://kiosk.example.gov.cn:8443/api")
        );
    }

    #[test]
    fn only_absolute_http_urls_have_an_origin() {
        for bad in [
            "",
            "//evil.example",
            "/api",
            "evil.example",
            "javascript:alert(1)",
            "ftp://files.example",
            "https://",
            "https://:443",
            "https://trusted.gov.cn@evil.example",
            "https://evil.example\\@trusted.gov.cn",
            "https://evil.example?x=1",
            "https://evil.example#top",
            "https://evil example",
            "https://%65vil.example",
            "https://evil.example:99999",
            "https://evil.example:0",
            "https://evil.example:",
            "https://evil.example:8o",
            "https://[::1",
            "https://[]",
            "https://.example",
        ] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }
}
