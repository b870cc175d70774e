//! One event as a card: phase, title, unit, place, time and seats, with a
//! button that opens its detail.

use leptos::prelude::*;
use omk_api::Event;
use omk_api::events::Phase;

use crate::format::event_span;
use crate::i18n::use_i18n;

/// The current time in Unix seconds.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The message key naming an event's phase.
pub fn phase_key(phase: Phase) -> &'static str {
    match phase {
        Phase::Past => "events.past",
        Phase::Now => "events.now",
        Phase::Upcoming => "events.upcoming",
    }
}

/// The message key and its number describing an event's seats.
pub fn seats_text(event: &Event) -> (&'static str, i32) {
    if !event.registration {
        ("events.no_registration", 0)
    } else if event.seats_left() == 0 {
        ("events.full", 0)
    } else {
        ("events.seats_left", event.seats_left())
    }
}

/// A card for one event.
#[component]
pub fn EventCard(
    /// The event to show.
    event: Event,
    /// Called when the visitor opens the detail.
    #[prop(optional, into)]
    on_open: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let phase = event.phase(now_secs());
    let phase_class = match phase {
        Phase::Past => "omk-badge omk-badge-past",
        Phase::Now => "omk-badge omk-badge-now",
        Phase::Upcoming => "omk-badge omk-badge-upcoming",
    };
    let (starts_at, ends_at) = (event.starts_at, event.ends_at);
    let (seats_key, seats_n) = seats_text(&event);
    let seats = move || i18n.format(seats_key, &[("n", &seats_n.to_string())]);
    let title_id = format!("omk-event-{}", event.id);

    view! {
        <li class="omk-card" data-testid="event-card" data-event-id=event.id>
            <span class=phase_class>{move || i18n.t(phase_key(phase))}</span>
            <h3 class="omk-card-title" id=title_id.clone()>{event.title}</h3>
            <dl class="omk-facts">
                <dt>{move || i18n.t("events.time")}</dt>
                <dd>{move || event_span(i18n.lang(), starts_at, ends_at)}</dd>
                <dt>{move || i18n.t("events.unit")}</dt>
                <dd>{event.unit}</dd>
                <dt>{move || i18n.t("events.place")}</dt>
                <dd>{event.district} " · " {event.place}</dd>
                <dt>{move || i18n.t("events.capacity")}</dt>
                <dd>{seats}</dd>
            </dl>
            {on_open.map(|open| view! {
                <button
                    type="button"
                    class="omk-more"
                    aria-describedby=title_id.clone()
                    on:click=move |_| open.run(())
                    data-testid="event-open"
                >
                    {move || i18n.t("events.details")}
                </button>
            })}
        </li>
    }
}
