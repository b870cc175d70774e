//! The attract screen shown while nobody is using the kiosk: it cycles
//! through the figures and upcoming events, drifting so nothing stays still.

use std::time::Duration;

use leptos::prelude::*;
use omk_api::{EventPage, EventQuery};

use crate::client::Backend;
use crate::client::stream::use_live_feed;
use crate::format;
use crate::i18n::use_i18n;

use super::use_session;

/// How long each slide stays.
const SLIDE: Duration = Duration::from_secs(8);

/// The attract screen with its one "touch to start" target.
#[component]
pub fn Attract() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let backend = expect_context::<Backend>();
    let live = use_live_feed();
    let slide = RwSignal::new(0usize);
    if let Ok(handle) =
        set_interval_with_handle(move || slide.update(|s| *s = s.wrapping_add(1)), SLIDE)
    {
        on_cleanup(move || handle.clear());
    }
    let upcoming = LocalResource::new(move || {
        let backend = backend.clone();
        let query = EventQuery {
            current: Some(true),
            per_page: Some(6),
            ..EventQuery::default()
        };
        async move {
            backend
                .get::<EventPage>(&format!("/events?{}", query.to_query_string()))
                .await
        }
    });
    // A new city has no figures yet: say so rather than show a bare dash.
    let rate = move |rate: Option<f64>| match rate {
        Some(_) => format::rate(rate),
        None => i18n.t("figures.no_data").to_owned(),
    };
    let figures = move || {
        live.metrics.get().map(|m| {
            view! {
                <div class="omk-attract-figures">
                    <p><span class="omk-big">{rate(m.satisfaction_rate)}</span>{move || i18n.t("figures.satisfaction")}</p>
                    <p><span class="omk-big">{rate(m.resolution_rate)}</span>{move || i18n.t("figures.resolution")}</p>
                    <p><span class="omk-big">{format::count(m.issues_collected)}</span>{move || i18n.t("figures.collected")}</p>
                </div>
            }
        })
    };
    let events = move || {
        let page = upcoming.get().and_then(Result::ok)?;
        let pick = slide.get() % 2;
        let items = page
            .items
            .into_iter()
            .skip(pick * 3)
            .take(3)
            .map(|e| view! { <li><strong>{e.title}</strong><br />{e.unit}" · "{move || format::event_span(i18n.lang(), e.starts_at, e.ends_at)}</li> })
            .collect_view();
        Some(view! { <ul class="omk-attract-events">{items}</ul> })
    };
    let on_start = move |_| session.start();

    view! {
        <section class="omk-attract" data-testid="attract" on:click=on_start>
            <div class="omk-drift">
                <p class="omk-attract-lead">{move || i18n.t("attract.lead")}</p>
                {move || if slide.get() % 3 == 2 { events().into_any() } else { figures().into_any() }}
                <button type="button" class="omk-primary omk-start" data-testid="attract-start">
                    {move || i18n.t("attract.start")}
                </button>
            </div>
        </section>
    }
}
