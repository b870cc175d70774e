//! The outbox's stored form and its rules, as plain data: what is waiting,
//! when each item is next due, who holds it, and what an answer does to it.

use serde::{Deserialize, Serialize};

/// One write waiting for the backend's acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The client-made idempotency key, sent on every attempt.
    pub key: String,
    /// The API path, for example `/issues`.
    pub path: String,
    /// The JSON body, exactly as first sent: a retry is byte-for-byte the same.
    pub body: String,
    pub created_at: f64,
    pub attempts: u32,
    /// Not to be sent before this moment (`Date.now()` ms).
    pub next_at: f64,
    /// The tab sending it right now, and until when that claim holds.
    #[serde(default)]
    pub lease: Option<Lease>,
}

/// A tab's claim on an item while it is being sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lease {
    pub owner: String,
    pub until: f64,
}

/// How long a tab's claim on an item holds without being renewed.
pub const LEASE_MS: f64 = 15_000.0;
/// The first retry delay's ceiling, doubled per attempt up to [`MAX_DELAY_MS`].
pub const BASE_DELAY_MS: f64 = 1_000.0;
/// The longest delay between two attempts.
pub const MAX_DELAY_MS: f64 = 60_000.0;

/// The delay before the next attempt: exponential backoff with full jitter
/// (`random` in `0.0..1.0`), never sooner than the backend's `Retry-After`.
pub fn retry_delay_ms(attempts: u32, random: f64, retry_after_secs: Option<u32>) -> f64 {
    let ceiling = (BASE_DELAY_MS * 2f64.powi(attempts.min(16) as i32)).min(MAX_DELAY_MS);
    let jittered = ceiling * random.clamp(0.0, 1.0);
    match retry_after_secs {
        Some(secs) => jittered.max(f64::from(secs) * 1000.0),
        None => jittered,
    }
}

/// The whole outbox as stored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub items: Vec<Item>,
}

impl Queue {
    /// Parses the stored form; anything unreadable counts as empty rather
    /// than blocking every later write.
    pub fn parse(stored: Option<&str>) -> Queue {
        stored
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default()
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"items\":[]}".into())
    }

    /// Adds a new item, due at once.
    pub fn push(&mut self, key: String, path: String, body: String, now: f64) {
        self.items.push(Item {
            key,
            path,
            body,
            created_at: now,
            attempts: 0,
            next_at: now,
            lease: None,
        });
    }

    /// The oldest item that is due at `now` and not claimed by another tab.
    pub fn next_due(&self, now: f64, me: &str) -> Option<&Item> {
        self.items
            .iter()
            .filter(|i| i.next_at <= now)
            .filter(|i| {
                i.lease
                    .as_ref()
                    .is_none_or(|l| l.owner == me || l.until <= now)
            })
            .min_by(|a, b| a.created_at.total_cmp(&b.created_at))
    }

    /// When the next item falls due, if any is waiting.
    pub fn next_wake(&self) -> Option<f64> {
        self.items
            .iter()
            .map(|i| i.next_at.max(i.lease.as_ref().map_or(0.0, |l| l.until)))
            .min_by(f64::total_cmp)
    }

    /// Claims `key` for tab `me`; false if it is gone or another tab holds it.
    pub fn claim(&mut self, key: &str, me: &str, now: f64) -> bool {
        let Some(item) = self.items.iter_mut().find(|i| i.key == key) else {
            return false;
        };
        if item
            .lease
            .as_ref()
            .is_some_and(|l| l.owner != me && l.until > now)
        {
            return false;
        }
        item.lease = Some(Lease {
            owner: me.to_owned(),
            until: now + LEASE_MS,
        });
        true
    }

    /// Removes an item that the backend acknowledged or refused for good.
    pub fn remove(&mut self, key: &str) {
        self.items.retain(|i| i.key != key);
    }

    /// Schedules another attempt after a transient failure.
    pub fn retry_later(&mut self, key: &str, now: f64, delay_ms: f64) {
        if let Some(item) = self.items.iter_mut().find(|i| i.key == key) {
            item.attempts = item.attempts.saturating_add(1);
            item.next_at = now + delay_ms;
            item.lease = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue_with(keys: &[&str]) -> Queue {
        let mut q = Queue::default();
        for (n, key) in keys.iter().enumerate() {
            q.push((*key).into(), "/ratings".into(), "{}".into(), n as f64);
        }
        q
    }

    #[test]
    fn delays_grow_with_full_jitter_and_cap() {
        assert_eq!(retry_delay_ms(0, 1.0, None), 1_000.0);
        assert_eq!(retry_delay_ms(3, 1.0, None), 8_000.0);
        assert_eq!(retry_delay_ms(3, 0.5, None), 4_000.0);
        assert_eq!(retry_delay_ms(30, 1.0, None), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(0, 0.0, None), 0.0);
    }

    #[test]
    fn retry_after_is_honoured() {
        assert_eq!(retry_delay_ms(0, 0.1, Some(30)), 30_000.0);
        assert_eq!(retry_delay_ms(10, 1.0, Some(1)), MAX_DELAY_MS);
    }

    #[test]
    fn oldest_due_item_goes_first() {
        let q = queue_with(&["a", "b"]);
        assert_eq!(q.next_due(10.0, "tab").map(|i| i.key.as_str()), Some("a"));
    }

    #[test]
    fn another_tabs_claim_is_respected_until_it_lapses() {
        let mut q = queue_with(&["a"]);
        assert!(q.claim("a", "tab-1", 100.0));
        assert!(!q.claim("a", "tab-2", 200.0));
        assert!(q.next_due(200.0, "tab-2").is_none());
        assert!(q.next_due(200.0, "tab-1").is_some());
        assert!(q.claim("a", "tab-2", 100.0 + LEASE_MS));
    }

    #[test]
    fn retry_releases_the_claim_and_waits() {
        let mut q = queue_with(&["a"]);
        assert!(q.claim("a", "tab", 0.0));
        q.retry_later("a", 0.0, 5_000.0);
        assert!(q.next_due(4_999.0, "other").is_none());
        assert_eq!(q.next_due(5_000.0, "other").map(|i| i.attempts), Some(1));
        assert_eq!(q.next_wake(), Some(5_000.0));
    }

    #[test]
    fn unreadable_storage_is_an_empty_queue_and_round_trips() {
        assert_eq!(Queue::parse(Some("garbage")), Queue::default());
        let q = queue_with(&["a", "b"]);
        assert_eq!(Queue::parse(Some(&q.to_json())), q);
        let mut q = q;
        q.remove("a");
        assert_eq!(q.items.len(), 1);
    }

    #[test]
    fn items_stored_by_an_earlier_widget_are_still_sent() {
        // Earlier widgets also stored the write's kind; it is read past, not lost.
        let stored = r#"{"items":[{"key":"k","kind":"issue","path":"/issues","body":"{}","created_at":1.0,"attempts":2,"next_at":5.0}]}"#;
        let q = Queue::parse(Some(stored));
        assert_eq!(q.items.len(), 1);
        assert_eq!(
            q.next_due(5.0, "tab").map(|i| i.path.as_str()),
            Some("/issues")
        );
    }
}
