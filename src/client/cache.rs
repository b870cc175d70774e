//! The last good answer to each public GET, kept in local storage so the
//! program and figures stay on screen, with their age, when the backend
//! cannot be reached. Nothing personal is ever fetched with GET, so nothing
//! personal lands here.

use serde::{Deserialize, Serialize};

const PREFIX: &str = "omk.cache:";
const INDEX: &str = "omk.cache.index";
/// How many answers are kept; the least recently stored go first.
const KEPT: usize = 40;

/// Query parameters that name a moment rather than a choice: two requests
/// that differ only in these ask for the same thing.
const MOMENTS: [&str; 4] = ["from", "to", "after", "before"];

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

/// Remembers the answer to `path`.
pub fn store(path: &str, body: &str, now: f64) {
    let Some(storage) = storage() else {
        return;
    };
    let key = cache_key(path);
    let entry = Cached {
        at: now,
        body: body.to_owned(),
    };
    let Ok(json) = serde_json::to_string(&entry) else {
        return;
    };
    let mut index: Vec<String> = storage
        .get_item(INDEX)
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
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

/// The last answer to `path`, if one was kept.
pub fn recall(path: &str) -> Option<Cached> {
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
}
