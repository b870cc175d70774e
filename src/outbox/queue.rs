//! The outbox's stored form and its rules, as plain data: what is waiting,
//! when each item is next due, who holds it, where it may go (only the origin it was
//! made for), when what carries contact details expires, and what an answer does to it.

use serde::{Deserialize, Serialize};

use crate::origin::Origin;

/// One write waiting for the backend's acknowledgement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// The client-made idempotency key, sent on every attempt.
    pub key: String,
    /// The API path, for example `/issues`.
    pub path: String,
    /// The JSON body, exactly as first sent: a retry is byte-for-byte the same.
    pub body: String,
    /// The origin of the backend it was made for, the only one it is ever sent to.
    /// `None` for items stored by widgets from before origins were kept, and for items
    /// made where the backend's origin could not be told (see [`Item::goes_to`]).
    #[serde(default)]
    pub origin: Option<String>,
    pub created_at: f64,
    pub attempts: u32,
    /// Not to be sent before this moment (`Date.now()` ms).
    pub next_at: f64,
    /// The tab sending it right now, and until when that claim holds.
    #[serde(default)]
    pub lease: Option<Lease>,
}

impl Item {
    /// Whether the item may be sent to `to`'s backend: only to the origin it was made
    /// for. An item without an origin (from an earlier widget) is taken as made for the
    /// page's own origin, so it goes only to a backend at the page's own origin.
    pub fn goes_to(&self, to: &Destination) -> bool {
        let Some(backend) = &to.backend else {
            return false;
        };
        match &self.origin {
            Some(made_for) => made_for == backend.as_str(),
            None => to.page.as_ref() == Some(backend),
        }
    }

    /// Whether the body carries contact details: a non-empty `name` or `phone`, as an
    /// issue (`omk_api::NewIssue`) does when the visitor gave them.
    pub fn carries_contact(&self) -> bool {
        let Ok(serde_json::Value::Object(body)) = serde_json::from_str(&self.body) else {
            return false;
        };
        CONTACT_FIELDS.iter().any(|field| {
            body.get(*field)
                .and_then(serde_json::Value::as_str)
                .is_some_and(|v| !v.trim().is_empty())
        })
    }

    /// Whether the item carries contact details and has waited [`CONTACT_TTL_MS`] or more:
    /// it is never sent, and is deleted.
    pub fn is_expired(&self, now: f64) -> bool {
        now - self.created_at >= CONTACT_TTL_MS && self.carries_contact()
    }
}

/// Where this widget sends: its backend's origin (`None` when it cannot be told, so
/// nothing is sent) and the page's own origin (`None` when the page has an opaque one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Destination {
    pub backend: Option<Origin>,
    pub page: Option<Origin>,
}

/// The body fields that hold a person's contact details.
const CONTACT_FIELDS: [&str; 2] = ["name", "phone"];

/// How long an unsent item with contact details is kept: a day, then it is deleted unsent.
pub const CONTACT_TTL_MS: f64 = 24.0 * 60.0 * 60.0 * 1000.0;

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

    /// Adds a new item for the backend at `origin`, due at once.
    pub fn push(
        &mut self,
        key: String,
        path: String,
        body: String,
        origin: Option<&Origin>,
        now: f64,
    ) {
        self.items.push(Item {
            key,
            path,
            body,
            origin: origin.map(|o| o.as_str().to_owned()),
            created_at: now,
            attempts: 0,
            next_at: now,
            lease: None,
        });
    }

    /// The oldest item for `to` that is due at `now`, not expired, and not claimed by
    /// another tab.
    pub fn next_due(&self, now: f64, me: &str, to: &Destination) -> Option<&Item> {
        self.items
            .iter()
            .filter(|i| i.goes_to(to) && !i.is_expired(now))
            .filter(|i| i.next_at <= now)
            .filter(|i| {
                i.lease
                    .as_ref()
                    .is_none_or(|l| l.owner == me || l.until <= now)
            })
            .min_by(|a, b| a.created_at.total_cmp(&b.created_at))
    }

    /// How many items are waiting to be sent to `to`; items for other origins are not
    /// this widget's to send.
    pub fn waiting_for(&self, to: &Destination) -> usize {
        self.items.iter().filter(|i| i.goes_to(to)).count()
    }

    /// Deletes, unsent, every item with contact details that has waited a day, whatever
    /// backend it was for, unless a tab is sending it right now (its answer decides);
    /// returns how many went.
    pub fn expire(&mut self, now: f64) -> usize {
        let before = self.items.len();
        self.items.retain(|i| {
            let in_flight = i.lease.as_ref().is_some_and(|l| l.until > now);
            in_flight || !i.is_expired(now)
        });
        before - self.items.len()
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

    const KIOSK: &str = "https://kiosk.example.gov.cn";
    const HOST: &str = "https://www.example.gov.cn";
    const DAY: f64 = CONTACT_TTL_MS;

    fn origin(url: &str) -> Origin {
        Origin::parse(url).unwrap_or_else(|| panic!("{url} has an origin"))
    }

    /// A widget on a page at `page` whose backend is at `backend`.
    fn to(backend: &str, page: &str) -> Destination {
        Destination {
            backend: Some(origin(backend)),
            page: Some(origin(page)),
        }
    }

    /// The kiosk's own page, its backend at the same origin.
    fn here() -> Destination {
        to(KIOSK, KIOSK)
    }

    fn queue_with(keys: &[&str]) -> Queue {
        let mut q = Queue::default();
        for (n, key) in keys.iter().enumerate() {
            q.push(
                (*key).into(),
                "/ratings".into(),
                "{}".into(),
                Some(&origin(KIOSK)),
                n as f64,
            );
        }
        q
    }

    fn keys_due(q: &Queue, now: f64, dest: &Destination) -> Option<String> {
        q.next_due(now, "tab", dest).map(|i| i.key.clone())
    }

    const ISSUE_WITH_PHONE: &str = r#"{"category":"parking","description":"Too few spaces","place":"Hall 1","name":null,"phone":"13800000000","consent":true}"#;
    const ISSUE_WITH_NAME: &str = r#"{"category":"parking","description":"Too few spaces","place":"Hall 1","name":"Li Lei","phone":null,"consent":true}"#;
    const ANONYMOUS_ISSUE: &str = r#"{"category":"parking","description":"Too few spaces","place":"Hall 1","name":null,"phone":" ","consent":false}"#;

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
        assert_eq!(keys_due(&q, 10.0, &here()).as_deref(), Some("a"));
    }

    #[test]
    fn another_tabs_claim_is_respected_until_it_lapses() {
        let mut q = queue_with(&["a"]);
        assert!(q.claim("a", "tab-1", 100.0));
        assert!(!q.claim("a", "tab-2", 200.0));
        assert!(q.next_due(200.0, "tab-2", &here()).is_none());
        assert!(q.next_due(200.0, "tab-1", &here()).is_some());
        assert!(q.claim("a", "tab-2", 100.0 + LEASE_MS));
    }

    #[test]
    fn retry_releases_the_claim_and_waits() {
        let mut q = queue_with(&["a"]);
        assert!(q.claim("a", "tab", 0.0));
        q.retry_later("a", 0.0, 5_000.0);
        assert!(q.next_due(4_999.0, "other", &here()).is_none());
        assert_eq!(
            q.next_due(5_000.0, "other", &here()).map(|i| i.attempts),
            Some(1)
        );
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
    fn items_stored_by_an_earlier_widget_are_still_sent_to_the_pages_own_backend() {
        // Earlier widgets also stored the write's kind, and no origin; both are read past.
        let stored = r#"{"items":[{"key":"k","kind":"issue","path":"/issues","body":"{}","created_at":1.0,"attempts":2,"next_at":5.0}]}"#;
        let q = Queue::parse(Some(stored));
        assert_eq!(q.items.len(), 1);
        assert_eq!(q.items[0].origin, None);
        assert_eq!(
            q.next_due(5.0, "tab", &here()).map(|i| i.path.as_str()),
            Some("/issues")
        );
        assert_eq!(q.waiting_for(&here()), 1);
    }

    #[test]
    fn items_stored_by_an_earlier_widget_stay_unsent_when_the_backend_is_elsewhere() {
        // Whoever set that earlier widget's backend, the page's own origin is the one
        // guess that is safe, so an item goes to no other backend.
        let stored = r#"{"items":[{"key":"k","path":"/issues","body":"{}","created_at":1.0,"attempts":0,"next_at":1.0}]}"#;
        let q = Queue::parse(Some(stored));
        let embedded = to(KIOSK, HOST);
        assert_eq!(keys_due(&q, 5.0, &embedded), None);
        assert_eq!(q.waiting_for(&embedded), 0);
        // A page with an opaque origin (a file, a sandbox) cannot tell: nothing is sent.
        let opaque = Destination {
            backend: Some(origin(KIOSK)),
            page: None,
        };
        assert_eq!(keys_due(&q, 5.0, &opaque), None);
        assert_eq!(q.items.len(), 1, "kept in storage, untouched");
    }

    #[test]
    fn an_item_is_sent_only_to_the_origin_it_was_made_for() {
        let mut q = Queue::default();
        q.push(
            "k".into(),
            "/issues".into(),
            "{}".into(),
            Some(&origin(KIOSK)),
            0.0,
        );
        // The same origin, however the backend's URL is written.
        let same = to("https://KIOSK.example.gov.cn:443/omk", HOST);
        assert_eq!(keys_due(&q, 1.0, &same).as_deref(), Some("k"));
        for elsewhere in [
            "https://evil.example",
            "http://kiosk.example.gov.cn",
            "https://kiosk.example.gov.cn:8443",
        ] {
            let dest = to(elsewhere, KIOSK);
            assert_eq!(keys_due(&q, 1.0, &dest), None, "{elsewhere}");
            assert_eq!(q.waiting_for(&dest), 0);
        }
        // A backend whose origin cannot be told gets nothing.
        let unknown = Destination {
            backend: None,
            page: Some(origin(KIOSK)),
        };
        assert_eq!(keys_due(&q, 1.0, &unknown), None);
        assert_eq!(q.items.len(), 1, "kept in storage, untouched");
        let stored = Queue::parse(Some(&q.to_json()));
        assert_eq!(stored.items[0].origin.as_deref(), Some(KIOSK));
    }

    #[test]
    fn items_for_other_origins_do_not_hold_up_this_ones() {
        let mut q = Queue::default();
        q.push(
            "theirs".into(),
            "/votes".into(),
            "{}".into(),
            Some(&origin(HOST)),
            0.0,
        );
        q.push(
            "ours".into(),
            "/votes".into(),
            "{}".into(),
            Some(&origin(KIOSK)),
            1.0,
        );
        assert_eq!(keys_due(&q, 2.0, &here()).as_deref(), Some("ours"));
        assert_eq!(q.waiting_for(&here()), 1);
    }

    #[test]
    fn only_a_name_or_a_phone_counts_as_contact_details() {
        let item = |body: &str| Item {
            key: "k".into(),
            path: "/issues".into(),
            body: body.into(),
            origin: None,
            created_at: 0.0,
            attempts: 0,
            next_at: 0.0,
            lease: None,
        };
        assert!(item(ISSUE_WITH_PHONE).carries_contact());
        assert!(item(ISSUE_WITH_NAME).carries_contact());
        assert!(!item(ANONYMOUS_ISSUE).carries_contact());
        assert!(!item(r#"{"topic":"parking"}"#).carries_contact());
        assert!(!item("not json").carries_contact());
    }

    #[test]
    fn contact_details_unsent_after_a_day_are_deleted_unsent() {
        let mut q = Queue::default();
        let kiosk = Some(origin(KIOSK));
        q.push(
            "phone".into(),
            "/issues".into(),
            ISSUE_WITH_PHONE.into(),
            kiosk.as_ref(),
            0.0,
        );
        q.push(
            "name".into(),
            "/issues".into(),
            ISSUE_WITH_NAME.into(),
            kiosk.as_ref(),
            10.0,
        );
        q.push(
            "anon".into(),
            "/issues".into(),
            ANONYMOUS_ISSUE.into(),
            kiosk.as_ref(),
            0.0,
        );
        q.push(
            "rating".into(),
            "/ratings".into(),
            "{}".into(),
            kiosk.as_ref(),
            0.0,
        );
        // Also one made for another backend: it is deleted all the same.
        let host = Some(origin(HOST));
        q.push(
            "theirs".into(),
            "/issues".into(),
            ISSUE_WITH_NAME.into(),
            host.as_ref(),
            0.0,
        );
        assert_eq!(q.expire(DAY - 1.0), 0);
        assert_eq!(q.items.len(), 5);
        assert_eq!(q.expire(DAY), 2);
        let left: Vec<&str> = q.items.iter().map(|i| i.key.as_str()).collect();
        assert_eq!(left, ["name", "anon", "rating"]);
        assert_eq!(q.expire(DAY + 10.0), 1);
        // Without personal data, an item keeps waiting however old it is.
        assert_eq!(q.expire(DAY * 30.0), 0);
        assert_eq!(q.items.len(), 2);
    }

    #[test]
    fn an_expired_item_is_never_sent_even_before_it_is_deleted() {
        let mut q = Queue::default();
        q.push(
            "k".into(),
            "/issues".into(),
            ISSUE_WITH_PHONE.into(),
            Some(&origin(KIOSK)),
            0.0,
        );
        assert_eq!(keys_due(&q, DAY - 1.0, &here()).as_deref(), Some("k"));
        assert_eq!(keys_due(&q, DAY, &here()), None);
    }

    #[test]
    fn an_item_being_sent_is_left_to_its_answer_then_expires() {
        let mut q = Queue::default();
        q.push(
            "k".into(),
            "/issues".into(),
            ISSUE_WITH_PHONE.into(),
            Some(&origin(KIOSK)),
            0.0,
        );
        assert!(q.claim("k", "tab", DAY - 1_000.0));
        assert_eq!(q.expire(DAY), 0);
        assert_eq!(q.expire(DAY - 1_000.0 + LEASE_MS), 1);
        assert!(q.items.is_empty());
    }

    #[test]
    fn items_stored_by_an_earlier_widget_with_contact_details_expire_too() {
        let stored = format!(
            r#"{{"items":[{{"key":"k","path":"/issues","body":{},"created_at":0.0,"attempts":9,"next_at":0.0}}]}}"#,
            serde_json::to_string(ISSUE_WITH_NAME).unwrap_or_default()
        );
        let mut q = Queue::parse(Some(&stored));
        assert_eq!(q.items.len(), 1);
        assert_eq!(q.expire(DAY), 1);
    }
}
