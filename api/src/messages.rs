//! The message catalogue: every user-facing text in zh-CN and en, read from
//! `locales/*.messages` (one `key = value` per line, `#` for comments).
//!
//! Both the widget and the backend localise through this module, so a text
//! lives in exactly one place per language.

use std::sync::OnceLock;

/// A language the product speaks. zh-CN is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    /// The BCP 47 tag, for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag leniently: `en`, `en-GB` → en; `zh`, `zh-CN` → zh-CN.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language from an `Accept-Language` header,
    /// honouring q-values; zh-CN when none is supported.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::parse) else {
                continue;
            };
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The other language, for a one-tap switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::ZhCn => Lang::En,
            Lang::En => Lang::ZhCn,
        }
    }
}

const ZH_CN: &str = include_str!("../../locales/zh-CN.messages");
const EN: &str = include_str!("../../locales/en.messages");

/// A parsed catalogue for one language.
#[derive(Debug)]
pub struct Messages {
    entries: Vec<(&'static str, &'static str)>,
}

impl Messages {
    /// The catalogue for `lang`, parsed once.
    pub fn get(lang: Lang) -> &'static Messages {
        static ZH: OnceLock<Messages> = OnceLock::new();
        static EN_CELL: OnceLock<Messages> = OnceLock::new();
        match lang {
            Lang::ZhCn => ZH.get_or_init(|| Messages::parse(ZH_CN)),
            Lang::En => EN_CELL.get_or_init(|| Messages::parse(EN)),
        }
    }

    /// Parses `key = value` lines; later duplicates are ignored.
    pub fn parse(source: &'static str) -> Messages {
        let mut entries: Vec<(&'static str, &'static str)> = source
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        entries.sort_by_key(|(k, _)| *k);
        entries.dedup_by_key(|(k, _)| *k);
        Messages { entries }
    }

    /// The text for `key`, or the key itself when it is missing (a test keeps
    /// the catalogues complete, so that shows only during development).
    pub fn text<'a>(&self, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        match self.entries.binary_search_by_key(&key, |(k, _)| k) {
            Ok(i) => self.entries[i].1,
            Err(_) => key,
        }
    }

    /// The catalogue's own `'static` copy of `key`, if it has one; lets a
    /// key built at run time be kept without allocating.
    pub fn static_key(&self, key: &str) -> Option<&'static str> {
        self.entries
            .binary_search_by_key(&key, |(k, _)| k)
            .ok()
            .map(|i| self.entries[i].0)
    }

    /// Whether the catalogue has `key`.
    pub fn has(&self, key: &str) -> bool {
        self.entries.binary_search_by_key(&key, |(k, _)| k).is_ok()
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.text(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|(k, _)| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogues_have_the_same_keys() {
        let zh: Vec<_> = Messages::get(Lang::ZhCn).keys().collect();
        let en: Vec<_> = Messages::get(Lang::En).keys().collect();
        let only_zh: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
        assert!(zh.len() > 20);
    }

    #[test]
    fn no_value_is_empty() {
        for lang in Lang::ALL {
            let m = Messages::get(lang);
            for key in m.keys() {
                assert!(!m.text(key).is_empty(), "{key} is empty in {lang:?}");
            }
        }
    }

    #[test]
    fn every_validation_code_has_a_message() {
        for code in [
            "required",
            "too_short",
            "too_long",
            "phone_format",
            "consent_required",
            "unknown_category",
        ] {
            for lang in Lang::ALL {
                assert!(Messages::get(lang).has(&format!("error.{code}")), "{code}");
            }
        }
    }

    #[test]
    fn format_fills_placeholders() {
        let m = Messages::parse("k = 还有 {n} 个名额\n");
        assert_eq!(m.format("k", &[("n", "3")]), "还有 3 个名额");
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("fr, en;q=0.5, zh;q=0.8"),
            Lang::ZhCn
        );
        assert_eq!(Lang::from_accept_language("fr"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language(""), Lang::ZhCn);
    }
}
