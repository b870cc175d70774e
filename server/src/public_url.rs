//! The public address of the widget, as a visitor's phone reaches it: from
//! `--public-url` when configured, otherwise from the request's `Host`.
//! QR codes and calendar entries link to pages under it.

use std::fmt;

use axum::extract::FromRequestParts;
use axum::http::header::HOST;
use axum::http::request::Parts;

use crate::error::AppError;
use crate::state::AppState;

/// The longest public URL accepted, so every QR code stays small enough to scan.
const MAX_LEN: usize = 200;

/// A validated `http(s)://host[:port][/path]` without a trailing slash,
/// query or fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// Checks a configured URL: http or https, a valid host, a plain path.
    pub fn parse(input: &str) -> Result<PublicUrl, String> {
        let url = input.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| "the public URL must start with http:// or https://".to_owned())?;
        if url.len() > MAX_LEN {
            return Err(format!(
                "the public URL must be at most {MAX_LEN} characters"
            ));
        }
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if !is_host(host) {
            return Err(format!("{host:?} is not a host name with an optional port"));
        }
        let path_ok = path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:@".contains(c));
        if !path_ok {
            return Err(
                "the public URL's path has characters that need escaping, or a query or fragment"
                    .to_owned(),
            );
        }
        Ok(PublicUrl(url.to_owned()))
    }

    /// `http://{host}` for a request's `Host` value, if it is only a host and port.
    pub fn from_host(host: &str) -> Option<PublicUrl> {
        is_host(host).then(|| PublicUrl(format!("http://{host}")))
    }

    /// The URL as text, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The host part (with the port), for identifiers such as calendar UIDs.
    pub fn host(&self) -> &str {
        let rest = self.0.split_once("://").map_or(self.0.as_str(), |(_, r)| r);
        rest.split('/').next().unwrap_or(rest)
    }

    /// The widget's page showing one event.
    pub fn event_page(&self, id: i64) -> String {
        format!("{}/?view=events&event={id}", self.0)
    }

    /// The widget's page of the live figures, where a hall display's figures lead.
    pub fn figures_page(&self) -> String {
        format!("{}/?view=figures", self.0)
    }

    /// The open-data package's descriptor, where "how is this computed?" leads.
    pub fn opendata_descriptor(&self) -> String {
        format!("{}/api/v1/opendata/datapackage.json", self.0)
    }

    /// The widget's rating page, where a hall display's call to rate leads.
    pub fn rate_page(&self) -> String {
        format!("{}/?view=rate", self.0)
    }

    /// The widget's page of the month's question, at the cycle's current stage.
    pub fn cycle_page(&self) -> String {
        format!("{}/?view=vote", self.0)
    }

    /// The widget's page looking up an issue by its (normalised) tracking number.
    pub fn lookup_page(&self, tracking_no: &str) -> String {
        format!("{}/?view=lookup&number={tracking_no}", self.0)
    }

    /// The mailbox's public replies, where a hall display's replies lead.
    pub fn replies_page(&self) -> String {
        format!("{}/?view=mailbox&section=replies", self.0)
    }

    /// The program following one registration by its (normalised) code: its place on a
    /// meeting's waitlist, its check-in code, its cancellation and the attendee's opinion.
    pub fn registration_page(&self, code: &str) -> String {
        format!("{}/?view=events&registration={code}", self.0)
    }

    /// The mailbox following one letter by its (normalised) code.
    pub fn letter_page(&self, code: &str) -> String {
        format!("{}/?view=mailbox&letter={code}", self.0)
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `host` is `name[:port]`, `ipv4[:port]` or `[ipv6][:port]`, and nothing else.
fn is_host(host: &str) -> bool {
    if host.is_empty() || host.len() > 255 {
        return false;
    }
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if inside.is_empty() || !inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            return false;
        }
        if after.is_empty() {
            return true;
        }
        match after.strip_prefix(':') {
            Some(port) => ("ipv6", Some(port)),
            None => return false,
        }
    } else {
        match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        }
    };
    let name_ok = !name.is_empty()
        && !name.starts_with(['.', '-'])
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    name_ok && port_ok
}

impl FromRequestParts<AppState> for PublicUrl {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(configured) = &state.config.web.public_url {
            return Ok(configured.clone());
        }
        let host = parts
            .headers
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.as_str().to_owned()));
        host.as_deref()
            .and_then(PublicUrl::from_host)
            .ok_or(AppError::BadRequest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_urls_are_checked_and_trimmed() {
        let url = PublicUrl::parse("https://kiosk.liaocheng.example/open-month/");
        assert_eq!(
            url.as_ref().map(PublicUrl::as_str),
            Ok("https://kiosk.liaocheng.example/open-month")
        );
        assert_eq!(
            url.map(|u| u.host().to_owned()),
            Ok("kiosk.liaocheng.example".to_owned())
        );
        assert!(PublicUrl::parse("http://127.0.0.1:8080").is_ok());
        assert!(PublicUrl::parse("ftp://x.example").is_err());
        assert!(PublicUrl::parse("https://x.example/?a=1").is_err());
        assert!(PublicUrl::parse("https://x.example/a b").is_err());
        assert!(PublicUrl::parse("https://x\"><script>").is_err());
    }

    #[test]
    fn only_plain_hosts_and_ports_become_urls() {
        for good in [
            "kiosk.example",
            "127.0.0.1:8080",
            "[::1]:3000",
            "[::1]",
            "a-b.c",
        ] {
            assert!(PublicUrl::from_host(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "evil.example/path",
            "a b",
            "x.example:",
            "x.example:80:80",
            "x.example:port",
            "x\r\nSet-Cookie: a",
            "user@x.example",
            "x.example?q",
            "[::1]x",
            ".x",
            "-x",
        ] {
            assert!(PublicUrl::from_host(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn pages_are_the_widget_views() {
        let url = PublicUrl::from_host("kiosk.example").unwrap_or(PublicUrl(String::new()));
        assert_eq!(
            url.event_page(42),
            "http://kiosk.example/?view=events&event=42"
        );
        assert_eq!(
            url.lookup_page("OM-7K3F-9QX2"),
            "http://kiosk.example/?view=lookup&number=OM-7K3F-9QX2"
        );
        assert_eq!(url.figures_page(), "http://kiosk.example/?view=figures");
        assert_eq!(url.rate_page(), "http://kiosk.example/?view=rate");
        assert_eq!(
            url.letter_page("ML-7K3F-9QX2-M4TB-6"),
            "http://kiosk.example/?view=mailbox&letter=ML-7K3F-9QX2-M4TB-6"
        );
        assert_eq!(
            url.replies_page(),
            "http://kiosk.example/?view=mailbox&section=replies"
        );
        assert_eq!(url.cycle_page(), "http://kiosk.example/?view=vote");
    }
}
