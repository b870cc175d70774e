//! One event in full: facts, summary, a QR code that hands it to the
//! visitor's phone, and registration where the event takes it.

use leptos::prelude::*;
use omk_api::{Event, NewRegistration, RegistrationReceipt};

use crate::client::{Backend, ClientError};
use crate::format::event_span;
use crate::i18n::use_i18n;
use crate::outbox::{Kind, Outcome, use_outbox};

use super::card::{now_secs, phase_key, seats_text};

/// The detail view of one event.
#[component]
pub fn EventDetail(
    /// The event, as the list had it.
    event: Event,
    /// Called when the visitor goes back to the list.
    on_back: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let id = event.id;
    let qr = backend.url(&format!("/events/{id}/qr.svg"));
    let calendar = backend.url(&format!("/events/{id}/calendar.ics"));
    let seats = RwSignal::new(event.clone());
    let outbox = use_outbox();
    let sent = RwSignal::new(None::<String>);
    let answer = move || sent.get().and_then(|key| outbox.outcome(&key));
    Effect::new(move |_| {
        if let Some(receipt) = answer().and_then(|o| o.decode::<RegistrationReceipt>()) {
            seats.update(|e| e.registered = e.capacity - receipt.seats_left);
        }
    });
    let outcome = move || {
        sent.get()?;
        Some(match answer() {
            None => i18n.t("outbox.saved").to_owned(),
            Some(Outcome::Sent(body)) => match serde_json::from_str::<RegistrationReceipt>(&body) {
                Ok(receipt) => i18n.format("register.done", &[("code", &receipt.code)]),
                Err(_) => i18n.t("error.server").to_owned(),
            },
            Some(Outcome::Refused(problem)) => i18n
                .t(ClientError::Problem(problem).message_key())
                .to_owned(),
        })
    };
    let seats_line = move || {
        let e = seats.get();
        let (key, n) = seats_text(&e);
        i18n.format(key, &[("n", &n.to_string())])
    };
    let can_register = move || {
        let e = seats.get();
        e.registration && e.seats_left() > 0 && e.ends_at > now_secs()
    };
    let done = move || sent.get().is_some();
    let phase = event.phase(now_secs());
    let (starts_at, ends_at) = (event.starts_at, event.ends_at);

    view! {
        <article class="omk-detail" data-testid="event-detail">
            <button type="button" on:click=move |_| on_back() data-testid="event-back">
                {move || i18n.t("events.back")}
            </button>
            <p><span class="omk-badge">{move || i18n.t(phase_key(phase))}</span></p>
            <h3 class="omk-card-title">{event.title.clone()}</h3>
            <dl class="omk-facts">
                <dt>{move || i18n.t("events.time")}</dt>
                <dd>{move || event_span(i18n.lang(), starts_at, ends_at)}</dd>
                <dt>{move || i18n.t("events.unit")}</dt>
                <dd>{event.unit.clone()}</dd>
                <dt>{move || i18n.t("events.place")}</dt>
                <dd>{event.district.clone()} " · " {event.place.clone()}</dd>
                <dt>{move || i18n.t("events.theme")}</dt>
                <dd>{event.theme.clone()}</dd>
                <dt>{move || i18n.t("events.capacity")}</dt>
                <dd data-testid="event-seats">{seats_line}</dd>
            </dl>
            <p>{event.summary.clone()}</p>
            <div class="omk-handover">
                <img src=qr width="180" height="180" alt=move || i18n.t("events.qr_alt") data-testid="event-qr" />
                <p>
                    {move || i18n.t("events.qr_hint")}<br />
                    <a href=calendar download=format!("event-{id}.ics")>{move || i18n.t("events.calendar")}</a>
                </p>
            </div>
            <Show when=can_register>
                <button
                    type="button"
                    class="omk-primary"
                    disabled=done
                    on:click=move |_| {
                        let path = format!("/events/{id}/registrations");
                        sent.set(Some(outbox.submit(Kind::Registration, &path, &NewRegistration::default())));
                    }
                    data-testid="event-register"
                >
                    {move || i18n.t("register.button")}
                </button>
            </Show>
            <p class="omk-outcome" role="status" data-testid="register-outcome">{outcome}</p>
        </article>
    }
}
