//! The console's language: a context holding zh-CN or en, the console's own message
//! catalogue (`locales/console.*.messages`), and the shared one for problems and field errors.

use std::sync::OnceLock;

use leptos::prelude::*;
use omk_api::{Lang, Messages};

/// Where the chosen language is remembered between visits (not personal data).
const LANG_KEY: &str = "omk.console.lang";

/// The console's own catalogue for `lang`, parsed once.
pub fn catalogue(lang: Lang) -> &'static Messages {
    static ZH: OnceLock<Messages> = OnceLock::new();
    static EN: OnceLock<Messages> = OnceLock::new();
    match lang {
        Lang::ZhCn => {
            ZH.get_or_init(|| Messages::parse(include_str!("../../locales/console.zh-CN.messages")))
        }
        Lang::En => {
            EN.get_or_init(|| Messages::parse(include_str!("../../locales/console.en.messages")))
        }
    }
}

/// The language context: read the current language, look up texts, switch.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    /// The current language (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The current language, without tracking (for request headers).
    pub fn lang_untracked(&self) -> Lang {
        self.lang.get_untracked()
    }

    /// The console's text for `key` in the current language (tracked).
    pub fn t(&self, key: &'static str) -> &'static str {
        catalogue(self.lang.get()).text(key)
    }

    /// The console's text for a key built at run time.
    pub fn t_owned(&self, key: &str) -> String {
        catalogue(self.lang.get()).text(key).to_owned()
    }

    /// The console's text for `key` with its `{placeholders}` filled (tracked).
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        catalogue(self.lang.get()).format(key, args)
    }

    /// The shared catalogue (problems, field errors), in the current language (tracked).
    pub fn shared(&self) -> &'static Messages {
        Messages::get(self.lang.get())
    }

    /// Switches to the other language and remembers the choice.
    pub fn toggle(&self) {
        self.lang.update(|l| *l = l.other());
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LANG_KEY, self.lang.get_untracked().tag());
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Creates the language context: the remembered choice, else zh-CN. The page's `lang`
/// attribute and title follow it.
pub fn provide_i18n() -> I18n {
    let initial = local_storage()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|tag| Lang::parse(&tag))
        .unwrap_or_default();
    let i18n = I18n {
        lang: RwSignal::new(initial),
    };
    Effect::new(move |_| {
        let lang = i18n.lang();
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            document.set_title(catalogue(lang).text("app.title"));
        }
    });
    provide_context(i18n);
    i18n
}

/// The language context of the console.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_console_catalogues_have_the_same_keys_and_no_empty_value() {
        let zh: Vec<_> = catalogue(Lang::ZhCn).keys().collect();
        let en: Vec<_> = catalogue(Lang::En).keys().collect();
        let only_zh: Vec<_> = zh.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !zh.contains(k)).collect();
        assert!(only_zh.is_empty(), "missing in en: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN: {only_en:?}");
        for lang in Lang::ALL {
            let messages = catalogue(lang);
            for key in messages.keys() {
                assert!(!messages.text(key).is_empty(), "{key} is empty in {lang:?}");
            }
        }
        assert!(zh.len() > 50);
    }

    #[test]
    fn every_key_the_code_names_is_in_the_catalogue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let prefixes: Vec<&str> = catalogue(Lang::ZhCn)
            .keys()
            .filter_map(|k| k.split('.').next())
            .collect();
        let mut missing = Vec::new();
        let mut seen = 0;
        let mut files = vec![root];
        while let Some(path) = files.pop() {
            if path.is_dir() {
                let entries = std::fs::read_dir(&path).into_iter().flatten().flatten();
                files.extend(entries.map(|e| e.path()));
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            // Test modules hold sample values, not keys.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for key in key_literals(code, &prefixes) {
                seen += 1;
                if !catalogue(Lang::ZhCn).has(key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalogue: {missing:?}"
        );
        assert!(seen > 200, "only {seen} keys found in the source");
    }

    /// The string literals that look like message keys (`area.name`, lower case) and start
    /// with one of the catalogue's areas.
    fn key_literals<'a>(code: &'a str, prefixes: &[&str]) -> Vec<&'a str> {
        code.split('"')
            .skip(1)
            .step_by(2)
            .filter(|s| {
                s.contains('.')
                    && !s.ends_with('.')
                    && s.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
                    })
                    && s.split('.').next().is_some_and(|p| prefixes.contains(&p))
            })
            .collect()
    }
}
