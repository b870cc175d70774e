//! The current language as a context, and lookups into the message catalogue.

use leptos::prelude::*;
use omk_api::{Lang, Messages};

use crate::page_signal::PageSignal;

/// The language context: read the current language, look up texts, switch.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    lang: PageSignal<Lang>,
}

impl I18n {
    /// The current language (tracked).
    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The text for `key` in the current language (tracked).
    pub fn t(&self, key: &'static str) -> &'static str {
        Messages::get(self.lang.get()).text(key)
    }

    /// The text for a key built at run time, for example a validation code.
    pub fn t_owned(&self, key: &str) -> String {
        Messages::get(self.lang.get()).text(key).to_owned()
    }

    /// The text for `key` with its `{placeholders}` filled (tracked).
    pub fn format(&self, key: &str, args: &[(&str, &str)]) -> String {
        Messages::get(self.lang.get()).format(key, args)
    }

    /// Switches to the other language.
    pub fn toggle(&self) {
        self.lang.update(|l| *l = l.other());
    }

    /// Sets the language.
    pub fn set(&self, lang: Lang) {
        self.lang.set(lang);
    }
}

/// Creates the language context for this widget instance.
pub fn provide_i18n(initial: Lang) -> I18n {
    let i18n = I18n {
        lang: PageSignal::new(initial),
    };
    provide_context(i18n);
    i18n
}

/// The language context of the enclosing widget.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
