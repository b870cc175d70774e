//! Helpers for the end-to-end tests: a real server on a free port with a
//! temporary database, one headless Chromium session driving the widget, and
//! the visitor-facing texts from `locales/`.

use std::path::PathBuf;

pub mod browser;
pub mod harness;
pub mod http;
pub mod phone;
pub mod proxy;
pub mod qr;
pub mod server;

pub use browser::Browser;
pub use harness::Suite;
pub use server::{StaticHost, TestServer};

/// Any failure in an end-to-end scenario, with what was being done.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// The result of a scenario step.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The text of message `key` in `lang` (`zh-CN` or `en`), read from `locales/` as the widget
/// reads it, so a test compares what a visitor sees with the catalogue, not with a copy.
pub fn message(lang: &str, key: &str) -> Result<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../locales/{lang}.messages"));
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_owned())
        .ok_or_else(|| format!("no message {key} in {}", path.display()).into())
}
