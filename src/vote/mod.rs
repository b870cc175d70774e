//! "One month, one question": the month's cycle at its stage (`crate::cycle`) and, where the
//! backend runs no cycle, the month's candidate topics with their live tally, and one vote
//! per kiosk session.

use leptos::prelude::*;
use omk_api::{Lang, NewVote, Topic, VoteReceipt};

use crate::client::Backend;
use crate::client::stream::use_live_feed;
use crate::cycle::CycleScreen;
use crate::format;
use crate::i18n::use_i18n;
use crate::kiosk::use_session;
use crate::outbox::{Delivery, Pending, use_outbox};

/// A topic's share of all votes, in whole percent.
pub fn share_percent(votes: i64, total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        (votes * 100 + total / 2) / total
    }
}

/// The month's question: the cycle at its stage when the backend has one, else the topic vote.
#[component]
pub fn VoteScreen() -> impl IntoView {
    let has_cycle = RwSignal::new(None::<bool>);
    view! {
        <div class="omk-vote" data-testid="vote-screen">
            <CycleScreen has_cycle=has_cycle />
            <Show when=move || has_cycle.get() == Some(false)>
                <TopicVote />
            </Show>
        </div>
    }
}

/// The vote on the month's topics, for a backend without a cycle.
#[component]
fn TopicVote() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let live = use_live_feed();
    // A vote's new tally goes to the page's feed (which feeds this visit's copy).
    let page_feed = crate::visit::page_feed().unwrap_or(live);
    let session = use_session();
    let failure = RwSignal::new(None::<&'static str>);
    let initial = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<Topic>>("/topics").await }
    });
    let outbox = use_outbox();
    let sent = RwSignal::new(None::<Pending<VoteReceipt>>);
    Effect::new(move |_| match sent.get().map(|p| p.get()) {
        Some(Delivery::Delivered(receipt)) => page_feed.topics.set(Some(receipt.topics)),
        Some(Delivery::Refused(error)) => {
            session.voted.set(None);
            failure.set(Some(error.message_key()));
        }
        Some(Delivery::Saved) | None => {}
    });
    // The live tally wins once it has arrived; until then, the first fetch.
    let topics = move || {
        live.topics
            .get()
            .or_else(|| initial.get().and_then(Result::ok))
    };
    let cast = move |id: String| {
        if session.voted.get_untracked().is_some() {
            return;
        }
        failure.set(None);
        session.voted.set(Some(id.clone()));
        sent.set(Some(outbox.submit("/votes", &NewVote { topic: id })));
    };
    let rows = move || {
        let list = topics()?;
        let total: i64 = list.iter().map(|t| t.votes).sum();
        let lang = i18n.lang();
        let voted = session.voted.get();
        Some(
            list.into_iter()
                .map(|t| {
                    let share = share_percent(t.votes, total);
                    let title = if lang == Lang::ZhCn { t.title_zh } else { t.title_en };
                    let mine = voted.as_deref() == Some(t.id.as_str());
                    let open = t.open;
                    let id = t.id.clone();
                    view! {
                        <li class="omk-topic" class:omk-mine=mine data-testid="topic">
                            <div class="omk-topic-head">
                                <strong>{title}</strong>
                                <span data-testid=format!("votes-{}", t.id)>
                                    {format!("{} · {share}%", format::count(t.votes))}
                                </span>
                            </div>
                            <div class="omk-bar" aria-hidden="true"><span style=format!("width:{share}%")></span></div>
                            <button
                                type="button"
                                disabled=voted.is_some() || !t.open
                                on:click=move |_| cast(id.clone())
                                data-testid="vote-button"
                                data-topic=t.id.clone()
                            >
                                {move || match (mine, open) {
                                    (true, _) => i18n.t("vote.yours"),
                                    (false, false) => i18n.t("vote.closed"),
                                    (false, true) => i18n.t("vote.cast"),
                                }}
                            </button>
                        </li>
                    }
                })
                .collect_view(),
        )
    };

    view! {
        <section class="omk-screen" aria-labelledby="omk-vote-heading" data-testid="topic-vote">
            <h2 id="omk-vote-heading">{move || i18n.t("vote.heading")}</h2>
            <p>{move || i18n.t("vote.hint")}</p>
            <ul class="omk-topics">{rows}</ul>
            <p class="omk-outcome" role="status" data-testid="vote-outcome">
                {move || match (failure.get(), session.voted.get()) {
                    (Some(key), _) => Some(i18n.t(key)),
                    (None, Some(_)) => Some(i18n.t("vote.thanks")),
                    (None, None) => None,
                }}
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_to_whole_percent() {
        assert_eq!(share_percent(1, 3), 33);
        assert_eq!(share_percent(2, 3), 67);
        assert_eq!(share_percent(0, 0), 0);
    }
}
