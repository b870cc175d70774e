//! The widget's configuration and where it comes from: defaults, then
//! `config.json`, then the host's attributes, then query parameters, each
//! later source overriding the earlier ones. Bad values are reported, not guessed.
//! Where the widget sends what visitors type (`backend`) is the deployer's to say:
//! a link's query parameters may set it only where the deployer allowed that.

use omk_api::Lang;

use crate::origin::Origin;

/// Which part of the product a widget instance shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The full kiosk: attract screen, every screen, idle reset.
    #[default]
    Kiosk,
    Events,
    Figures,
    Report,
    Rate,
    Vote,
    /// "Check my issue" on its own: where a receipt's QR code leads.
    Lookup,
    /// A hall's big screen nobody touches: panels that cycle on their own.
    Display,
    /// The mayor's mailbox and opinion collections: where a letter's QR code leads.
    Mailbox,
}

impl View {
    /// Parses a view name as hosts write it.
    pub fn parse(name: &str) -> Option<View> {
        Some(match name.trim() {
            "kiosk" => View::Kiosk,
            "events" => View::Events,
            "figures" => View::Figures,
            "report" => View::Report,
            "rate" => View::Rate,
            "vote" => View::Vote,
            "lookup" => View::Lookup,
            "display" => View::Display,
            "mailbox" => View::Mailbox,
            _ => return None,
        })
    }
}

/// How the widget sits in its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Embedding {
    /// It is the page (a full-screen kiosk or the backend's own page).
    #[default]
    Page,
    /// A `<open-month-widget>` element in a host page, in a shadow root.
    Element,
    /// Inside an iframe of a host page; it reports its height to the host.
    Frame,
}

/// Everything a widget instance is told by its host.
#[derive(Debug, Clone, PartialEq)]
pub struct WidgetConfig {
    /// Base URL of the backend: an absolute http(s) URL, or empty for the page's own origin.
    pub backend: String,
    /// Whether a link's query parameters (`backend=`, `omk-backend=`) may choose the
    /// backend. Only the deployer's sources (`config.json`, attributes) set this.
    pub allow_backend_from_url: bool,
    pub view: View,
    pub lang: Lang,
    /// Seconds without input before the "still there?" warning.
    pub idle_timeout_secs: u32,
    /// Seconds the warning counts down before everything is wiped.
    pub idle_warning_secs: u32,
    /// After this many idle resets the kiosk reloads itself between visitors; 0 (the default)
    /// never reloads: a kiosk's memory stays flat over its visits (`cargo xtask bench soak`).
    pub refresh_after_resets: u32,
    /// Seconds each panel of the hall display stays on screen.
    pub dwell_secs: u32,
    /// The seniors' mode from the start (`seniors=true`), as a screen nobody touches needs.
    pub seniors: bool,
    /// The high-contrast mode from the start (`contrast=true`).
    pub contrast: bool,
    /// Names this kiosk in the data it sends.
    pub kiosk_id: String,
    /// A theme name, set as `data-theme` for the host's CSS.
    pub theme: String,
    /// How it sits in its page; decided by how it was started, not configured.
    pub embedding: Embedding,
    /// What a link asked to open at once: one event, one issue's status, one letter or one
    /// registration.
    pub link: DeepLink,
}

/// What a link (a QR code on a kiosk, a shared URL) asks a single-screen view to open at
/// once. An event or number that does not exist is the screen's to say in words, so any
/// text is taken here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeepLink {
    /// The event whose detail the program opens on (`event=ID`).
    pub event: Option<String>,
    /// The tracking number "check my issue" looks up at once (`number=OM-…`).
    pub number: Option<String>,
    /// The letter code the mailbox follows at once (`letter=ML-…`).
    pub letter: Option<String>,
    /// The part of the mailbox to open on (`section=replies`, …).
    pub section: Option<String>,
    /// The registration the program follows at once (`registration=RG-…`).
    pub registration: Option<String>,
}

impl Default for WidgetConfig {
    fn default() -> Self {
        WidgetConfig {
            backend: String::new(),
            allow_backend_from_url: false,
            view: View::Kiosk,
            lang: Lang::ZhCn,
            idle_timeout_secs: 60,
            idle_warning_secs: 15,
            refresh_after_resets: 0,
            dwell_secs: Self::DEFAULT_DWELL_SECS,
            seniors: false,
            contrast: false,
            kiosk_id: String::new(),
            theme: "default".into(),
            embedding: Embedding::Page,
            link: DeepLink::default(),
        }
    }
}

/// A configuration value the widget cannot use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration ({reason:?}): {key} = \"{value}\"")]
pub struct ConfigError {
    pub key: String,
    pub value: String,
    /// Why it cannot be used.
    pub reason: ConfigReason,
}

/// Why a setting was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfigReason {
    /// The value is not one the setting takes.
    #[default]
    BadValue,
    /// A link's query parameters set what only the deployer may set.
    NotFromUrl,
}

impl ConfigReason {
    /// The message key of the hint shown with the refused setting.
    pub fn hint_key(self) -> &'static str {
        match self {
            ConfigReason::BadValue => "config.error_hint",
            ConfigReason::NotFromUrl => "config.error_not_from_url",
        }
    }
}

/// Settings only the deployer's sources may make: a link that could set them could send
/// what visitors type (names and phones among it) to any server.
const DEPLOYER_ONLY: [&str; 3] = [
    "backend",
    "allow_backend_from_url",
    "allow-backend-from-url",
];

impl WidgetConfig {
    /// The smallest idle timeout accepted, in seconds.
    pub const MIN_IDLE_SECS: u32 = 5;
    /// How long a hall display's panel stays when nothing else is configured, in seconds.
    pub const DEFAULT_DWELL_SECS: u32 = 12;
    /// The shortest panel dwell accepted: less is too quick to read from across a hall.
    pub const MIN_DWELL_SECS: u32 = 5;
    /// The longest panel dwell accepted: more leaves a panel up long enough to mark the screen.
    pub const MAX_DWELL_SECS: u32 = 600;

    /// Applies one setting from a link's query parameters: as [`WidgetConfig::apply`],
    /// except that `backend` is refused unless the deployer set `allow_backend_from_url`,
    /// and `allow_backend_from_url` itself is always refused.
    pub fn apply_from_url(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let allowed = key == "backend" && self.allow_backend_from_url;
        if DEPLOYER_ONLY.contains(&key) && !allowed {
            return Err(ConfigError {
                key: key.to_owned(),
                value: value.to_owned(),
                reason: ConfigReason::NotFromUrl,
            });
        }
        self.apply(key, value)
    }

    /// Applies every pair of a link's query parameters in order, stopping at the first bad
    /// one (see [`WidgetConfig::apply_from_url`]).
    pub fn apply_all_from_url<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), ConfigError> {
        pairs
            .into_iter()
            .try_for_each(|(k, v)| self.apply_from_url(k, v))
    }

    /// Applies one `key = value` setting. Unknown keys are ignored, so a
    /// newer config file still works with an older widget.
    pub fn apply(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let bad = || ConfigError {
            key: key.to_owned(),
            value: value.to_owned(),
            reason: ConfigReason::BadValue,
        };
        let secs = |min: u32| {
            value
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|s| (min..=86_400).contains(s))
                .ok_or_else(bad)
        };
        let flag = || match value.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(bad()),
        };
        match key {
            "backend" => {
                // Empty (the page's own origin) or an absolute http(s) URL: never `//host`.
                let v = value.trim();
                if !v.is_empty() && Origin::parse(v).is_none() {
                    return Err(bad());
                }
                v.clone_into(&mut self.backend);
            }
            "allow_backend_from_url" | "allow-backend-from-url" => {
                self.allow_backend_from_url = match value.trim() {
                    "true" => true,
                    "false" => false,
                    _ => return Err(bad()),
                };
            }
            "view" => self.view = View::parse(value).ok_or_else(bad)?,
            "lang" => self.lang = Lang::parse(value).ok_or_else(bad)?,
            "idle" | "idle_timeout_secs" | "idle-timeout" => {
                self.idle_timeout_secs = secs(Self::MIN_IDLE_SECS)?;
            }
            "idle_warning_secs" | "idle-warning" => self.idle_warning_secs = secs(1)?,
            "refresh_after_resets" | "refresh-after-resets" => {
                self.refresh_after_resets = value
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n <= 100_000)
                    .ok_or_else(bad)?;
            }
            "dwell" | "dwell_secs" | "dwell-secs" => {
                self.dwell_secs = value
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|s| (Self::MIN_DWELL_SECS..=Self::MAX_DWELL_SECS).contains(s))
                    .ok_or_else(bad)?;
            }
            "seniors" => self.seniors = flag()?,
            "contrast" => self.contrast = flag()?,
            "kiosk" | "kiosk_id" | "kiosk-id" => value.trim().clone_into(&mut self.kiosk_id),
            "theme" => value.trim().clone_into(&mut self.theme),
            "event" => self.link.event = Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
            "number" => self.link.number = Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
            "letter" => self.link.letter = Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
            "registration" => {
                self.link.registration = Some(value.trim().to_owned()).filter(|v| !v.is_empty())
            }
            "section" => {
                self.link.section = Some(value.trim().to_owned()).filter(|v| !v.is_empty())
            }
            _ => {}
        }
        Ok(())
    }

    /// Applies every pair in order, stopping at the first bad one.
    pub fn apply_all<'a>(
        &mut self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), ConfigError> {
        pairs.into_iter().try_for_each(|(k, v)| self.apply(k, v))
    }

    /// Applies a `config.json` document: an object of strings, numbers and booleans.
    pub fn apply_json(&mut self, json: &str) -> Result<(), ConfigError> {
        let value: serde_json::Value = serde_json::from_str(json).map_err(|_| ConfigError {
            key: "config.json".into(),
            value: json.chars().take(40).collect(),
            reason: ConfigReason::BadValue,
        })?;
        let Some(object) = value.as_object() else {
            return Err(ConfigError {
                key: "config.json".into(),
                value: "not an object".into(),
                reason: ConfigReason::BadValue,
            });
        };
        for (key, value) in object {
            let text = match value {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => continue,
            };
            self.apply(key, &text)?;
        }
        Ok(())
    }
}

/// The query parameters that apply to an element in a host page: only those
/// named `omk-…`, without the prefix, so the host's own parameters never collide.
pub fn element_query_pairs(query: &str) -> Vec<(String, String)> {
    query_pairs(query)
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix("omk-").map(|k| (k.to_owned(), v)))
        .collect()
}

/// Splits a query string (`?a=1&b=%E4`) into decoded pairs.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i..i + 3) {
            Some([b'%', hi, lo]) => hex(*hi).zip(hex(*lo)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (escaped, bytes[i]) {
            (Some(b), _) => {
                out.push(b);
                i += 3;
            }
            (None, b'+') => {
                out.push(b' ');
                i += 1;
            }
            (None, b) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_sources_override_earlier_ones() {
        let mut c = WidgetConfig::default();
        c.apply_json(r#"{"lang":"zh-CN","idle_timeout_secs":90,"view":"kiosk"}"#)
            .expect("valid json");
        c.apply_all([("view", "events")]).expect("valid attribute");
        let query = query_pairs("?lang=en&idle=30");
        c.apply_all_from_url(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect("valid query");
        assert_eq!(c.lang, Lang::En);
        assert_eq!(c.view, View::Events);
        assert_eq!(c.idle_timeout_secs, 30);
    }

    #[test]
    fn bad_values_are_reported_with_their_key() {
        let mut c = WidgetConfig::default();
        let err = c.apply("view", "carousel").expect_err("unknown view");
        assert_eq!(err.key, "view");
        assert!(c.apply("idle", "2").is_err());
        let err = c
            .apply("backend", "javascript:alert(1)")
            .expect_err("not a URL");
        assert_eq!(err.reason, ConfigReason::BadValue);
        assert!(c.apply_json("[1,2]").is_err());
        assert_eq!(c, WidgetConfig::default());
    }

    #[test]
    fn the_idle_timeout_has_a_floor_from_every_source() {
        // What `load_config` does with config.json and then the page's query string.
        let mut c = WidgetConfig::default();
        assert!(c.apply_json(r#"{"idle_timeout_secs": 4}"#).is_err());
        let query = query_pairs("?idle=4");
        assert!(
            c.apply_all_from_url(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
                .is_err()
        );
        assert_eq!(c.idle_timeout_secs, 60);
        c.apply_json(r#"{"idle_timeout_secs": 5}"#)
            .expect("the floor itself is allowed");
        assert_eq!(c.idle_timeout_secs, WidgetConfig::MIN_IDLE_SECS);
        assert!(c.apply("idle_warning_secs", "0").is_err());
    }

    #[test]
    fn refresh_after_resets_is_off_by_default_and_takes_a_count_or_zero() {
        let mut c = WidgetConfig::default();
        assert_eq!(c.refresh_after_resets, 0);
        c.apply("refresh_after_resets", "100").expect("a count");
        assert_eq!(c.refresh_after_resets, 100);
        c.apply("refresh_after_resets", "0")
            .expect("zero turns it off");
        assert_eq!(c.refresh_after_resets, 0);
        c.apply("refresh-after-resets", " 250 ").expect("a count");
        assert_eq!(c.refresh_after_resets, 250);
        assert!(c.apply("refresh_after_resets", "-1").is_err());
        assert!(c.apply("refresh_after_resets", "often").is_err());
        assert_eq!(c.refresh_after_resets, 250);
    }

    #[test]
    fn links_from_qr_codes_open_one_thing() {
        let mut c = WidgetConfig::default();
        let query = query_pairs("?view=lookup&number=OM-7K3F-9QX2-A");
        c.apply_all_from_url(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect("a receipt's link");
        assert_eq!(c.view, View::Lookup);
        assert_eq!(c.link.number.as_deref(), Some("OM-7K3F-9QX2-A"));
        let mut c = WidgetConfig::default();
        let query = query_pairs("?view=events&event=42");
        c.apply_all_from_url(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect("an event's link");
        assert_eq!(c.view, View::Events);
        assert_eq!(c.link.event.as_deref(), Some("42"));
        c.apply("event", " ").expect("an empty event is no event");
        assert_eq!(c.link.event, None);
        let mut c = WidgetConfig::default();
        let query = query_pairs("?view=mailbox&letter=ML-7K3F-9QX2-M4TB-6");
        c.apply_all_from_url(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect("a letter's link");
        assert_eq!(c.view, View::Mailbox);
        assert_eq!(c.link.letter.as_deref(), Some("ML-7K3F-9QX2-M4TB-6"));
        let mut c = WidgetConfig::default();
        let query = query_pairs("?view=events&registration=RG-7K3F-9QX2");
        c.apply_all_from_url(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect("a registration's link");
        assert_eq!(c.view, View::Events);
        assert_eq!(c.link.registration.as_deref(), Some("RG-7K3F-9QX2"));
    }

    /// What `load_config` does with a link's query string.
    fn from_link(c: &mut WidgetConfig, query: &str) -> Result<(), ConfigError> {
        let pairs = query_pairs(query);
        c.apply_all_from_url(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn the_backend_is_an_absolute_http_url_or_empty_never_protocol_relative() {
        let mut c = WidgetConfig::default();
        for bad in [
            "//evil.example",
            "/api",
            "evil.example",
            "ftp://evil.example",
            "https://kiosk.example.gov.cn@evil.example",
        ] {
            let err = c.apply("backend", bad).expect_err(bad);
            assert_eq!(
                (err.key.as_str(), err.reason),
                ("backend", ConfigReason::BadValue)
            );
        }
        assert_eq!(c.backend, "");
        c.apply("backend", " https://kiosk.example.gov.cn/ ")
            .expect("an absolute URL");
        assert_eq!(c.backend, "https://kiosk.example.gov.cn/");
        c.apply("backend", "").expect("the page's own origin");
        assert_eq!(c.backend, "");
    }

    #[test]
    fn a_link_never_chooses_the_backend_unless_the_deployer_allowed_it() {
        let mut c = WidgetConfig::default();
        c.apply_json(r#"{"backend": "https://kiosk.example.gov.cn"}"#)
            .expect("the deployer's config.json");
        for query in [
            "?view=report&backend=https://evil.example",
            "?backend=//evil.example",
            "?backend=",
        ] {
            let err = from_link(&mut c, query).expect_err(query);
            assert_eq!(err.key, "backend");
            assert_eq!(err.reason, ConfigReason::NotFromUrl);
            assert_eq!(c.backend, "https://kiosk.example.gov.cn", "{query}");
        }
        // A host page's `omk-backend=` is the same link parameter without its prefix.
        let pairs = element_query_pairs("?omk-backend=https%3A%2F%2Fevil.example");
        let err = c
            .apply_all_from_url(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .expect_err("a host page's link");
        assert_eq!(err.reason, ConfigReason::NotFromUrl);
        assert_eq!(c.backend, "https://kiosk.example.gov.cn");
    }

    #[test]
    fn a_link_can_never_allow_itself_to_choose_the_backend() {
        let mut c = WidgetConfig::default();
        let err = from_link(
            &mut c,
            "?allow_backend_from_url=true&backend=https://evil.example",
        )
        .expect_err("the allowance is the deployer's");
        assert_eq!(
            (err.key.as_str(), err.reason),
            ("allow_backend_from_url", ConfigReason::NotFromUrl)
        );
        assert!(from_link(&mut c, "?allow-backend-from-url=true").is_err());
        assert_eq!(c, WidgetConfig::default());
    }

    #[test]
    fn the_deployer_may_let_links_choose_a_backend_but_still_only_an_http_one() {
        let mut c = WidgetConfig::default();
        assert!(!c.allow_backend_from_url);
        c.apply_json(r#"{"allow_backend_from_url": true}"#)
            .expect("a JSON boolean");
        assert!(c.allow_backend_from_url);
        from_link(&mut c, "?backend=http://127.0.0.1:4100").expect("allowed");
        assert_eq!(c.backend, "http://127.0.0.1:4100");
        let err = from_link(&mut c, "?backend=//evil.example").expect_err("still refused");
        assert_eq!(err.reason, ConfigReason::BadValue);
        assert_eq!(c.backend, "http://127.0.0.1:4100");
        // An element's attribute is a deployer's source too; it takes the words only.
        c.apply("allow-backend-from-url", "false")
            .expect("an attribute");
        assert!(!c.allow_backend_from_url);
        assert!(c.apply("allow-backend-from-url", "").is_err());
        assert!(c.apply("allow_backend_from_url", "yes").is_err());
        assert!(from_link(&mut c, "?backend=http://127.0.0.1:4100").is_err());
    }

    #[test]
    fn the_display_view_takes_a_dwell_within_bounds_and_display_modes() {
        let mut c = WidgetConfig::default();
        assert_eq!(c.dwell_secs, 12);
        c.apply_json(r#"{"dwell_secs": 20}"#).expect("a dwell");
        from_link(&mut c, "?view=display&dwell=8&seniors=true&contrast=true")
            .expect("a hall display's link");
        assert_eq!(c.view, View::Display);
        assert_eq!(c.dwell_secs, 8);
        assert!(c.seniors && c.contrast);
        for bad in ["4", "601", "-1", "soon", ""] {
            let err = c.apply("dwell", bad).expect_err(bad);
            assert_eq!(err.reason, ConfigReason::BadValue);
        }
        assert_eq!(c.dwell_secs, 8);
        assert!(c.apply("seniors", "yes").is_err());
        c.apply("dwell-secs", "600").expect("the longest");
        assert_eq!(c.dwell_secs, WidgetConfig::MAX_DWELL_SECS);
    }

    #[test]
    fn unknown_keys_are_ignored() {
        let mut c = WidgetConfig::default();
        assert!(c.apply("future_option", "x").is_ok());
    }

    #[test]
    fn host_pages_pass_only_prefixed_parameters() {
        assert_eq!(
            element_query_pairs("?view=home&omk-lang=en"),
            vec![("lang".into(), "en".into())]
        );
    }

    #[test]
    fn query_values_are_percent_decoded() {
        assert_eq!(
            query_pairs("?kiosk=%E5%A4%A7%E5%8E%85&x"),
            vec![("kiosk".into(), "大厅".into()), ("x".into(), String::new())]
        );
        assert_eq!(query_pairs("a=%2"), vec![("a".into(), "%2".into())]);
        assert_eq!(query_pairs("a=%中"), vec![("a".into(), "%中".into())]);
    }
}
