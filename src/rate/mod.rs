//! Rating the service on the national five-level scale, with optional
//! reason tags (the list operators keep, from `/rating-tags`); repeated presses
//! within a few seconds are ignored.

mod face;

use leptos::prelude::*;
use omk_api::{Entry, Level, NewRating, RatingReceipt};

use crate::client::Backend;
use crate::i18n::use_i18n;
use crate::kiosk::cooldown::Cooldown;
use crate::outbox::{Delivery, Pending, use_outbox};

use face::Face;

/// How long after a rating further presses are ignored.
pub const COOLDOWN_MS: f64 = 5_000.0;

/// The rating screen: reason tags, then one press on a face.
#[component]
pub fn RateScreen() -> impl IntoView {
    let i18n = use_i18n();
    let tags = RwSignal::new(Vec::<String>::new());
    let backend = expect_context::<Backend>();
    let offered = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<Entry>>("/rating-tags").await }
    });
    let cooldown = StoredValue::new(Cooldown::new(COOLDOWN_MS));
    let outcome = RwSignal::new(None::<&'static str>);
    let outbox = use_outbox();
    let sent = RwSignal::new(None::<Pending<RatingReceipt>>);
    Effect::new(move |_| {
        if let Some(Delivery::Refused(error)) = sent.get().map(|p| p.get()) {
            outcome.set(Some(error.message_key()));
        }
    });
    let press = move |level: Level| {
        let mut filter = cooldown.get_value();
        let accepted = filter.accept(js_sys::Date::now());
        cooldown.set_value(filter);
        if !accepted {
            return;
        }
        let rating = NewRating {
            level,
            tags: tags.get_untracked(),
            unit: None,
        };
        // Saved before it is sent: the thanks is true even offline.
        sent.set(Some(outbox.submit("/ratings", &rating)));
        outcome.set(Some("rate.thanks"));
        tags.set(Vec::new());
    };
    let tag_button = move |entry: Entry| {
        let id = entry.id.clone();
        let on = {
            let id = id.clone();
            move || tags.with(|t| t.contains(&id))
        };
        let toggle = {
            let id = id.clone();
            move |_| {
                tags.update(|t| match t.iter().position(|x| *x == id) {
                    Some(i) => {
                        t.remove(i);
                    }
                    None => t.push(id.clone()),
                })
            }
        };
        view! {
            <button
                type="button"
                class="omk-chip"
                aria-pressed=move || on().to_string()
                on:click=toggle
                data-testid=format!("tag-{id}")
            >
                {move || entry.name(i18n.lang()).to_owned()}
            </button>
        }
    };
    let tag_buttons = move || {
        offered
            .get()
            .and_then(Result::ok)
            .map(|list| list.into_iter().map(tag_button).collect_view())
    };
    let faces = Level::ALL
        .into_iter()
        .map(|level| {
            view! {
                <li>
                    <button
                        type="button"
                        class=format!("omk-face omk-face-{}", level.score())
                        on:click=move |_| press(level)
                        data-testid=format!("rate-{}", level.as_str())
                    >
                        <Face score=level.score() />
                        <span>{move || i18n.t_owned(&format!("level.{}", level.as_str()))}</span>
                    </button>
                </li>
            }
        })
        .collect_view();

    view! {
        <section class="omk-screen" aria-labelledby="omk-rate-heading" data-testid="rate-screen">
            <h2 id="omk-rate-heading">{move || i18n.t("rate.heading")}</h2>
            <p>{move || i18n.t("rate.tags_hint")}</p>
            <div class="omk-chips" role="group" aria-label=move || i18n.t("rate.tags_hint")>{tag_buttons}</div>
            <ul class="omk-faces">{faces}</ul>
            <p class="omk-outcome" role="status" data-testid="rate-outcome">
                {move || outcome.get().map(|k| i18n.t(k))}
            </p>
        </section>
    }
}
