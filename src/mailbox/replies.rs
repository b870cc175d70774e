//! The public replies: letters whose writers agreed to publication, as a moderator approved
//! them, with their replies, most recently published first. No code and no contact is ever
//! in this list; it stays on screen offline with its age.

use leptos::prelude::*;
use omk_api::{PublishedLetter, PublishedPage};

use crate::client::Backend;
use crate::format;
use crate::i18n::use_i18n;

/// How many published letters a page shows.
pub const PER_PAGE: u32 = 10;

/// The path of the newest `n` published letters.
pub fn latest_path(n: u32) -> String {
    format!("/letters?per_page={n}")
}

/// The published letters.
#[component]
pub fn PublicReplies() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let page = LocalResource::new(move || {
        let backend = backend.clone();
        async move {
            backend
                .get_fresh::<PublishedPage>(&latest_path(PER_PAGE))
                .await
        }
    });
    let body = move || {
        page.get().map(|r| match r {
            Ok(fresh) if fresh.value.items.is_empty() => view! {
                <p data-testid="replies-empty">{move || i18n.t("mailbox.replies_empty")}</p>
            }
            .into_any(),
            Ok(fresh) => {
                let saved = fresh.stored_at.map(|at| {
                    view! {
                        <p class="omk-muted" data-testid="replies-saved">
                            {move || i18n.format("display.program_saved", &[("age", &format::age(i18n.lang(), js_sys::Date::now() - at))])}
                        </p>
                    }
                });
                let total = format::count(fresh.value.total);
                let items = fresh
                    .value
                    .items
                    .into_iter()
                    .map(|letter| view! { <PublishedItem letter=letter /> })
                    .collect_view();
                view! {
                    <p class="omk-muted" data-testid="replies-total">{move || i18n.format("mailbox.replies_total", &[("n", &total)])}</p>
                    {saved}
                    <ul class="omk-letters">{items}</ul>
                }
                .into_any()
            }
            Err(e) => view! {
                <p class="omk-error" role="alert" data-testid="replies-error">{move || i18n.t(e.message_key())}</p>
            }
            .into_any(),
        })
    };
    view! {
        <div data-testid="letter-replies">
            <Transition fallback=move || view! { <p class="omk-loading">{move || i18n.t("screen.loading")}</p> }>
                {body}
            </Transition>
        </div>
    }
}

/// One published letter and its reply.
#[component]
fn PublishedItem(
    /// The letter as published.
    letter: PublishedLetter,
) -> impl IntoView {
    let i18n = use_i18n();
    let PublishedLetter {
        kind,
        title,
        text,
        reply,
        created_at,
        replied_at,
        ..
    } = letter;
    view! {
        <li class="omk-card" data-testid="published-letter">
            <h3>{title}</h3>
            <p class="omk-muted">
                {move || i18n.t(kind.message_key())}" · "
                {move || i18n.t("mailbox.written_on")}" "{move || format::day(i18n.lang(), created_at)}
            </p>
            <p>{text}</p>
            <p><strong>{move || i18n.t("mailbox.reply")}</strong></p>
            <p data-testid="published-reply">{reply}</p>
            <p class="omk-muted">{move || i18n.t("mailbox.replied_on")}" "{move || format::day(i18n.lang(), replied_at)}</p>
        </li>
    }
}
