//! The last good answer to each public GET, kept in local storage so the
//! program and figures stay on screen, with their age, when the backend
//! cannot be reached. An issue's status (`/issues/…`) is never kept: it holds
//! what a visitor wrote and the answer meant for them, so it is neither stored
//! nor recalled, and what an earlier widget stored of it is deleted. A letter's view by its
//! code (`/letters/ML-…`) and a registration with its check-in code (`/registrations/RG-…`)
//! are private the same way; the published letters and the mailbox's
//! figures are public.

use serde::{Deserialize, Serialize};

const PREFIX: &str = "omk.cache:";
const INDEX: &str = "omk.cache.index";
/// How many answers are kept; the least recently stored go first.
const KEPT: usize = 40;

/// Query parameters that name a moment rather than a choice: two requests
/// that differ only in these ask for the same thing.
const MOMENTS: [&str; 4] = ["from", "to", "after", "before"];

/// Paths whose answers concern one visitor, not the public: never kept.
const PRIVATE: [&str; 2] = ["/issues", "/registrations"];

/// The public answers under `/letters/`: everything else there is one letter's view.
const PUBLIC_LETTERS: [&str; 1] = ["/letters/figures"];

/// Whether the answer to `path` may be kept: the program, figures, categories, tags,
/// topics, published letters and collections may; an issue's status (`/issues/OM-…`) and a
/// letter's view (`/letters/ML-…`) may not.
pub fn is_cacheable(path: &str) -> bool {
    let base = path.split(['?', '#']).next().unwrap_or_default();
    if base.starts_with("/letters/") && !PUBLIC_LETTERS.contains(&base) {
        return false;
    }
    !PRIVATE.iter().any(|p| {
        base == *p
            || base
                .strip_prefix(p)
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The cache key of a path: the path with moment parameters reduced to their names.
pub fn cache_key(path: &str) -> String {
    let Some((base, query)) = path.split_once('?') else {
        return path.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .map(|pair| {
            let name = pair.split_once('=').map_or(pair, |(n, _)| n);
            if MOMENTS.contains(&name) { name } else { pair }
        })
        .collect();
    format!("{base}?{}", kept.join("&"))
}

/// A stored answer and when it was stored (`Date.now()` ms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cached {
    pub at: f64,
    pub body: String,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Remembers the answer to `path`, if it is public; on the way, deletes whatever an
/// earlier widget kept that may not be kept.
pub fn store(path: &str, body: &str, now: f64) {
    let Some(storage) = storage() else {
        return;
    };
    purge(&storage);
    if !is_cacheable(path) {
        return;
    }
    let key = cache_key(path);
    let entry = Cached {
        at: now,
        body: body.to_owned(),
    };
    let Ok(json) = serde_json::to_string(&entry) else {
        return;
    };
    let mut index = read_index(&storage);
    index.retain(|k| *k != key);
    index.push(key.clone());
    while index.len() > KEPT {
        let old = index.remove(0);
        let _ = storage.remove_item(&format!("{PREFIX}{old}"));
    }
    let _ = storage.set_item(&format!("{PREFIX}{key}"), &json);
    if let Ok(index) = serde_json::to_string(&index) {
        let _ = storage.set_item(INDEX, &index);
    }
}

/// The kept answers' keys, least recently stored first.
fn read_index(storage: &web_sys::Storage) -> Vec<String> {
    storage
        .get_item(INDEX)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Deletes every kept answer that may not be kept (an earlier widget kept issue lookups).
fn purge(storage: &web_sys::Storage) {
    let index = read_index(storage);
    if index.iter().all(|k| is_cacheable(k)) {
        return;
    }
    let (kept, gone): (Vec<String>, Vec<String>) = index.into_iter().partition(|k| is_cacheable(k));
    for old in gone {
        let _ = storage.remove_item(&format!("{PREFIX}{old}"));
    }
    if let Ok(index) = serde_json::to_string(&kept) {
        let _ = storage.set_item(INDEX, &index);
    }
}

/// The last answer to `path`, if one was kept and may be.
pub fn recall(path: &str) -> Option<Cached> {
    if !is_cacheable(path) {
        return None;
    }
    let text = storage()?
        .get_item(&format!("{PREFIX}{}", cache_key(path)))
        .ok()
        .flatten()?;
    serde_json::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_do_not_split_the_cache() {
        assert_eq!(
            cache_key("/events?district=x&after=1795752000&per_page=12"),
            "/events?district=x&after&per_page=12"
        );
        assert_eq!(cache_key("/categories"), "/categories");
    }

    #[test]
    fn an_issues_status_and_a_registration_are_never_cacheable() {
        for path in [
            "/issues/OM-7K3F-9QX2-A",
            "/issues/OM-7K3F-9QX2-A?lang=en",
            "/issues/OM%2D7K3F",
            "/issues",
            "/issues?x=1",
            "/registrations/RG-7K3F-9QX2",
        ] {
            assert!(!is_cacheable(path), "{path}");
            assert!(!is_cacheable(&cache_key(path)), "{path}");
        }
    }

    #[test]
    fn a_letters_view_is_never_cacheable_but_the_public_mailbox_is() {
        for path in ["/letters/ML-7K3F-9QX2-M4TB-6", "/letters/ML-7K3F?x=1"] {
            assert!(!is_cacheable(path), "{path}");
        }
        for path in [
            "/letters?per_page=5",
            "/letters/figures?month=2026-09",
            "/consultations",
            "/consultations/3",
            "/cycles/current",
        ] {
            assert!(is_cacheable(path), "{path}");
        }
    }

    #[test]
    fn public_answers_are_cacheable() {
        for path in [
            "/events?when=upcoming&after=1795752000",
            "/events/42",
            "/events/facets",
            "/metrics",
            "/categories",
            "/rating-tags",
            "/topics",
            "/issuesx",
        ] {
            assert!(is_cacheable(path), "{path}");
        }
    }
}
