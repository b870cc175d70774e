//! Opinion collections: the published ones, open first, then upcoming, then closed; one
//! collection's text, its published comments, a comment form while it is open (no contact is
//! asked), and the note on what was adopted once it is published.

use leptos::prelude::*;
use omk_api::{
    Collection, CollectionDetail, CollectionState, CommentReceipt, NewComment, PublicComment,
};

use crate::client::Backend;
use crate::format;
use crate::i18n::use_i18n;
use crate::outbox::{Delivery, Pending, use_outbox};

/// The order the list shows collections in: open ones first, then upcoming, then closed.
pub fn order(state: CollectionState) -> u8 {
    match state {
        CollectionState::Open => 0,
        CollectionState::Upcoming => 1,
        CollectionState::Closed => 2,
        CollectionState::Draft => 3,
    }
}

/// The published collections in the list's order (a draft, which the public never gets,
/// is left out).
pub fn sorted(mut list: Vec<Collection>) -> Vec<Collection> {
    list.retain(|c| c.state != CollectionState::Draft);
    list.sort_by_key(|c| order(c.state));
    list
}

/// The message key of what is wrong with a comment before it is sent, if anything.
pub fn comment_error(text: &str) -> Option<String> {
    NewComment {
        text: text.to_owned(),
    }
    .validate()
    .err()
    .and_then(|errors| errors.first().map(omk_api::FieldError::message_key))
}

/// The list of collections, or the one chosen.
#[component]
pub fn Collections() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let chosen = RwSignal::new(None::<i64>);
    let list = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<Collection>>("/consultations").await }
    });
    let body = move || {
        if let Some(id) = chosen.get() {
            return Some(view! { <CollectionPage id=id back=chosen /> }.into_any());
        }
        list.get().map(|r| match r {
            Ok(list) if list.is_empty() => view! {
                <p data-testid="collections-empty">{move || i18n.t("collections.empty")}</p>
            }
            .into_any(),
            Ok(list) => sorted(list)
                .into_iter()
                .map(|c| view! { <CollectionItem collection=c chosen=chosen /> })
                .collect_view()
                .into_any(),
            Err(e) => view! {
                <p class="omk-error" role="alert" data-testid="collections-error">{move || i18n.t(e.message_key())}</p>
            }
            .into_any(),
        })
    };
    view! {
        <div data-testid="collections">
            <Transition fallback=move || view! { <p class="omk-loading">{move || i18n.t("screen.loading")}</p> }>
                {body}
            </Transition>
        </div>
    }
}

/// One collection in the list: its title, state, days and how many comments are public.
#[component]
fn CollectionItem(
    /// The collection.
    collection: Collection,
    /// Set to its id when the visitor opens it.
    chosen: RwSignal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let Collection {
        id,
        title,
        state,
        opens_on,
        closes_on,
        comments_published,
        ..
    } = collection;
    let n = format::count(comments_published);
    let days = move || {
        i18n.format(
            "collections.days",
            &[("from", &opens_on), ("to", &closes_on)],
        )
    };
    view! {
        <article class="omk-card" data-testid="collection-item" data-state=format!("{state:?}")>
            <h3>{title}</h3>
            <p><span class="omk-badge">{move || i18n.t(state.message_key())}</span>" "{days}</p>
            <p class="omk-muted">{move || i18n.format("collections.comments_n", &[("n", &n)])}</p>
            <button type="button" class="omk-primary" on:click=move |_| chosen.set(Some(id)) data-testid="collection-open">
                {move || i18n.t("collections.open")}
            </button>
        </article>
    }
}

/// One collection: its text, the adopted note, its published comments and, while it is
/// open, the comment form.
#[component]
fn CollectionPage(
    /// The collection's id.
    id: i64,
    /// Cleared to go back to the list.
    back: RwSignal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let detail = LocalResource::new(move || {
        let backend = backend.clone();
        async move {
            backend
                .get::<CollectionDetail>(&format!("/consultations/{id}"))
                .await
        }
    });
    let body = move || {
        detail.get().map(|r| match r {
            Ok(CollectionDetail { collection, comments }) => {
                let open = collection.state == CollectionState::Open;
                let state = collection.state;
                let note = collection.adopted_note.clone().map(|note| {
                    view! {
                        <section class="omk-card" data-testid="collection-note">
                            <h4>{move || i18n.t("collections.adopted")}</h4>
                            <p>{note}</p>
                        </section>
                    }
                });
                let days = {
                    let (from, to) = (collection.opens_on.clone(), collection.closes_on.clone());
                    move || i18n.format("collections.days", &[("from", &from), ("to", &to)])
                };
                view! {
                    <h3 data-testid="collection-title">{collection.title.clone()}</h3>
                    <p><span class="omk-badge" data-testid="collection-state">{move || i18n.t(state.message_key())}</span>" "{days}</p>
                    <p class="omk-prewrap" data-testid="collection-text">{collection.text.clone()}</p>
                    {note}
                    {open.then(|| view! { <CommentForm id=id /> })}
                    <Comments comments=comments />
                }
                .into_any()
            }
            Err(e) => view! {
                <p class="omk-error" role="alert" data-testid="collection-error">{move || i18n.t(e.message_key())}</p>
            }
            .into_any(),
        })
    };
    view! {
        <div data-testid="collection-page">
            <button type="button" on:click=move |_| back.set(None) data-testid="collection-back">
                {move || i18n.t("collections.back")}
            </button>
            <Transition fallback=move || view! { <p class="omk-loading">{move || i18n.t("screen.loading")}</p> }>
                {body}
            </Transition>
        </div>
    }
}

/// The published comments, oldest first.
#[component]
fn Comments(
    /// The comments.
    comments: Vec<PublicComment>,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = format::count(comments.len() as i64);
    let items = comments
        .into_iter()
        .map(|c| {
            let at = c.created_at;
            view! {
                <li data-testid="collection-comment">
                    <p>{c.text}</p>
                    <p class="omk-muted">{move || format::day(i18n.lang(), at)}</p>
                </li>
            }
        })
        .collect_view();
    view! {
        <section>
            <h4>{move || i18n.format("collections.comments_n", &[("n", &n)])}</h4>
            <ul class="omk-comments">{items}</ul>
        </section>
    }
}

/// A comment on an open collection, sent through the outbox; a moderator publishes it.
#[component]
fn CommentForm(
    /// The collection's id.
    id: i64,
) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<Pending<CommentReceipt>>);
    let done = RwSignal::new(false);
    Effect::new(move |_| match sent.get().map(|p| p.get()) {
        Some(Delivery::Delivered(_)) => {
            text.set(String::new());
            done.set(true);
        }
        Some(Delivery::Refused(e)) => {
            sent.set(None);
            let key = e
                .field_errors()
                .first()
                .map(omk_api::FieldError::message_key)
                .unwrap_or_else(|| e.message_key().to_owned());
            error.set(Some(key));
        }
        Some(Delivery::Saved) | None => {}
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sent.with_untracked(Option::is_some) {
            return;
        }
        let typed = text.get_untracked();
        if let Some(key) = comment_error(&typed) {
            error.set(Some(key));
            return;
        }
        error.set(None);
        let comment = NewComment {
            text: typed.trim().to_owned(),
        };
        sent.set(Some(
            outbox.submit(&format!("/consultations/{id}/comments"), &comment),
        ));
    };
    let count = move || {
        let n = text.with(|t| t.trim().chars().count());
        format!("{n}/{}", NewComment::TEXT_MAX)
    };
    let status = move || {
        if done.get() {
            Some(i18n.t("collections.comment_received"))
        } else if sent.with(Option::is_some) {
            Some(i18n.t("outbox.saved"))
        } else {
            None
        }
    };
    view! {
        <form class="omk-form" on:submit=on_submit novalidate data-testid="comment-form">
            <div class="omk-field" class:omk-invalid=move || error.with(Option::is_some)>
                <label for="omk-comment-text">{move || i18n.t("collections.comment")}</label>
                <textarea
                    id="omk-comment-text"
                    rows="4"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    aria-describedby="omk-comment-error omk-comment-count"
                    data-testid="comment-text"
                ></textarea>
                <p class="omk-muted" id="omk-comment-count">{count}</p>
                <p class="omk-field-error" id="omk-comment-error" data-testid="comment-error">
                    {move || error.get().map(|key| i18n.t_owned(&key))}
                </p>
            </div>
            <p class="omk-muted">{move || i18n.t("collections.comment_hint")}</p>
            <button type="submit" class="omk-primary" prop:disabled=move || sent.with(Option::is_some) data-testid="comment-submit">
                {move || i18n.t("collections.send")}
            </button>
            <p role="status" data-testid="comment-status">{status}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collection(id: i64, state: CollectionState) -> Collection {
        Collection {
            id,
            title: "停车".into(),
            text: "…".into(),
            opens_on: "2026-09-01".into(),
            closes_on: "2026-09-30".into(),
            state,
            comments_published: 0,
            adopted_note: None,
            published_at: None,
            noted_at: None,
        }
    }

    #[test]
    fn open_collections_come_first_and_drafts_never_show() {
        let list = vec![
            collection(1, CollectionState::Closed),
            collection(2, CollectionState::Draft),
            collection(3, CollectionState::Upcoming),
            collection(4, CollectionState::Open),
        ];
        let ids: Vec<i64> = sorted(list).iter().map(|c| c.id).collect();
        assert_eq!(ids, [4, 3, 1]);
    }

    #[test]
    fn a_comment_is_one_to_six_hundred_characters() {
        assert_eq!(comment_error("  ").as_deref(), Some("error.required"));
        assert_eq!(comment_error(&"字".repeat(NewComment::TEXT_MAX)), None);
        assert_eq!(
            comment_error(&"字".repeat(NewComment::TEXT_MAX + 1)).as_deref(),
            Some("error.too_long")
        );
    }
}
