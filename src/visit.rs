//! What one visit reads of the live feed: copies of its signals, owned by the visit and dropped
//! with it, kept up to date by effects that live as long as the page.
//!
//! The feed's signals live as long as the page, and a Leptos signal keeps a handle to every
//! effect that ever read it (see `page_signal.rs`); the views of a visit read the copies
//! instead, so what they leave behind goes when the visit goes.

use leptos::prelude::*;

use crate::client::stream::LiveFeed;

/// The page's live feed, for the few writes a screen makes to it (a vote's new tally).
#[derive(Debug, Clone, Copy)]
pub struct PageFeed(pub LiveFeed);

/// Relays the page's live feed into the copy of the visit in progress.
#[derive(Debug, Clone, Copy)]
pub struct FeedRelay {
    page: LiveFeed,
    visit: StoredValue<Option<LiveFeed>>,
}

impl FeedRelay {
    /// Starts relaying `page`; call once, where the feed is provided.
    pub fn new(page: LiveFeed) -> Self {
        let relay = FeedRelay {
            page,
            visit: StoredValue::new(None),
        };
        provide_context(PageFeed(page));
        relay.follow(move || page.metrics.get(), |copy| copy.metrics);
        relay.follow(move || page.topics.get(), |copy| copy.topics);
        relay.follow(move || page.state.get(), |copy| copy.state);
        relay.follow(move || page.received_at.get(), |copy| copy.received_at);
        relay
    }

    fn follow<T: Send + Sync + 'static>(
        &self,
        read: impl Fn() -> T + 'static,
        field: fn(&LiveFeed) -> RwSignal<T>,
    ) {
        let visit = self.visit;
        Effect::new(move |_| {
            let value = read();
            if let Some(copy) = visit.try_get_value().flatten() {
                field(&copy).try_set(value);
            }
        });
    }

    /// A copy of the feed owned by the current owner (the visit), provided as the feed its
    /// screens use; the copy in use before it is no longer fed.
    pub fn provide_copy(&self) {
        let page = self.page;
        let copy = LiveFeed {
            metrics: RwSignal::new(page.metrics.get_untracked()),
            topics: RwSignal::new(page.topics.get_untracked()),
            state: RwSignal::new(page.state.get_untracked()),
            received_at: RwSignal::new(page.received_at.get_untracked()),
        };
        self.visit.set_value(Some(copy));
        provide_context(copy);
    }
}

/// The page's live feed, where a relay runs (a screen mounted on its own has none: the feed it
/// reads is the page's).
pub fn page_feed() -> Option<LiveFeed> {
    use_context::<PageFeed>().map(|PageFeed(feed)| feed)
}
