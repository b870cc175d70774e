//! One event in full: facts, summary, a QR code that hands it to the
//! visitor's phone, and registration where the event takes it, with every
//! answer (a door code, "fully booked", "closed") said in words and the seats
//! line kept to what the backend last said.

use leptos::prelude::*;
use omk_api::{Event, NewRegistration, ProblemKind, RegistrationReceipt};

use crate::client::Backend;
use crate::format::event_span;
use crate::i18n::{I18n, use_i18n};
use crate::outbox::{Delivery, Pending, use_outbox};

use super::card::{now_secs, phase_key, seats_text};

/// What the register button offers, from the event as last known and the answer to this
/// visitor's registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Offer {
    /// Seats are free: the button registers.
    Open,
    /// Sent, or taken: nothing more to press.
    Sent,
    /// No seat is left.
    Full,
    /// No public seat is left at a month's meeting: the button joins its waitlist.
    Waitlist,
    /// The event takes no registrations (any more).
    Closed,
}

impl Offer {
    /// The offer for `event` at `now`, after `answer` (the refusal of this visitor's
    /// registration, if it was refused; `Some(None)` while sent and not refused). A month's
    /// meeting (`waitlist`) takes registrations on its waitlist once its public seats are
    /// taken.
    pub fn of(
        event: &Event,
        now: i64,
        answer: Option<Option<ProblemKind>>,
        waitlist: bool,
    ) -> Offer {
        match answer {
            Some(Some(ProblemKind::EventFull)) => return Offer::Full,
            Some(Some(ProblemKind::RegistrationClosed)) => return Offer::Closed,
            Some(_) => return Offer::Sent,
            None => {}
        }
        if !event.registration || event.ends_at <= now {
            Offer::Closed
        } else if event.seats_left() <= 0 && waitlist {
            Offer::Waitlist
        } else if event.seats_left() <= 0 {
            Offer::Full
        } else {
            Offer::Open
        }
    }

    /// The button's label.
    pub fn label_key(self) -> &'static str {
        match self {
            Offer::Open | Offer::Sent => "register.button",
            Offer::Full => "events.full",
            Offer::Waitlist => "register.waitlist",
            Offer::Closed => "register.closed",
        }
    }
}

/// The event as the backend's answer to a registration leaves it: a receipt says how many
/// seats are left, a "full" refusal that none are.
pub fn after_answer(event: &Event, answer: &Delivery<RegistrationReceipt>) -> Event {
    let mut event = event.clone();
    match answer {
        Delivery::Delivered(receipt) => event.registered = event.capacity - receipt.seats_left,
        Delivery::Refused(error) if error.kind() == Some(ProblemKind::EventFull) => {
            event.registered = event.capacity;
        }
        Delivery::Refused(error) if error.kind() == Some(ProblemKind::RegistrationClosed) => {
            event.registration = false;
        }
        Delivery::Saved | Delivery::Refused(_) => {}
    }
    event
}

/// What a delivered registration says: the entry code, and at a month's meeting the
/// check-in code or the place on the waitlist.
fn receipt_text(i18n: I18n, receipt: &RegistrationReceipt) -> String {
    match (&receipt.checkin_code, receipt.waitlist_position) {
        (_, Some(place)) => i18n.format(
            "register.waitlisted",
            &[("code", &receipt.code), ("n", &place.to_string())],
        ),
        (Some(checkin), None) => i18n.format(
            "register.done_checkin",
            &[("code", &receipt.code), ("checkin", checkin)],
        ),
        (None, None) => i18n.format("register.done", &[("code", &receipt.code)]),
    }
}

/// The detail view of one event.
#[component]
pub fn EventDetail(
    /// The event, as the list (or the link) had it.
    event: Event,
    /// Called when the visitor goes back to the list.
    on_back: impl Fn() + Send + Sync + 'static,
    /// A month's meeting: a full one still takes registrations, on its waitlist.
    #[prop(optional)]
    waitlist: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let backend_for_qr = backend.clone();
    let id = event.id;
    let qr = backend.url(&format!("/events/{id}/qr.svg"));
    let calendar = backend.url(&format!("/events/{id}/calendar.ics"));
    // The event as last known: from the list, then from every answer.
    let latest = RwSignal::new(event.clone());
    let outbox = use_outbox();
    let sent = RwSignal::new(None::<Pending<RegistrationReceipt>>);
    let answer = move || sent.get().map(|pending| pending.get());
    // After a refusal the backend knows better than the list did: read the event again.
    let reread = Action::new_local(move |_: &()| {
        let backend = backend.clone();
        async move { backend.get::<Event>(&format!("/events/{id}")).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = answer().filter(Delivery::is_settled) {
            latest.update(|e| *e = after_answer(e, &answer));
            if matches!(answer, Delivery::Refused(_)) {
                reread.dispatch(());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(fresh)) = reread.value().get() {
            latest.set(fresh);
        }
    });
    let refusal = move || match answer() {
        Some(Delivery::Refused(error)) => Some(error.kind()),
        Some(_) => Some(None),
        None => None,
    };
    let offer = move || latest.with(|e| Offer::of(e, now_secs(), refusal(), waitlist));
    let outcome = move || {
        Some(match answer()? {
            Delivery::Saved => i18n.t("outbox.saved").to_owned(),
            Delivery::Delivered(receipt) => receipt_text(i18n, &receipt),
            Delivery::Refused(error) => i18n.t(error.message_key()).to_owned(),
        })
    };
    let seats_line = move || {
        let (key, n) = latest.with(seats_text);
        i18n.format(key, &[("n", &n.to_string())])
    };
    // A meeting's receipt (a waitlist place or a check-in code) is followed on a phone.
    let followed = move || match answer() {
        Some(Delivery::Delivered(receipt))
            if receipt.waitlist_position.is_some() || receipt.checkin_code.is_some() =>
        {
            let src = backend_for_qr.url(&format!(
                "/registrations/{}/qr.svg",
                omk_api::events::encode_component(&receipt.code)
            ));
            Some(view! {
                <figure class="omk-qr">
                    <img src=src width="160" height="160" alt=move || i18n.t("register.qr_alt")
                        data-testid="registration-qr" />
                    <figcaption>{move || i18n.t("register.qr_hint")}</figcaption>
                </figure>
            })
        }
        _ => None,
    };
    let takes_registrations = event.registration;
    let register = move |_| {
        let path = format!("/events/{id}/registrations");
        sent.set(Some(outbox.submit(&path, &NewRegistration::default())));
    };
    let phase = event.phase(now_secs());
    let (starts_at, ends_at) = (event.starts_at, event.ends_at);

    view! {
        <article class="omk-detail" data-testid="event-detail" data-event=id>
            <button type="button" on:click=move |_| on_back() data-testid="event-back">
                {move || i18n.t("events.back")}
            </button>
            <p><span class="omk-badge">{move || i18n.t(phase_key(phase))}</span></p>
            <h3 class="omk-card-title" data-testid="event-title">{event.title.clone()}</h3>
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
                    <a href=calendar download=format!("event-{id}.ics") data-testid="event-calendar">
                        {move || i18n.t("events.calendar")}
                    </a>
                </p>
            </div>
            <Show when=move || takes_registrations>
                <button
                    type="button"
                    class="omk-primary"
                    disabled=move || !matches!(offer(), Offer::Open | Offer::Waitlist)
                    on:click=register
                    data-testid="event-register"
                >
                    {move || i18n.t(offer().label_key())}
                </button>
            </Show>
            <p class="omk-outcome" role="status" data-testid="register-outcome">{outcome}</p>
            {followed}
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientError;
    use omk_api::Problem;

    fn event(capacity: i32, registered: i32) -> Event {
        Event {
            id: 7,
            title: "开放日".into(),
            unit: String::new(),
            district: String::new(),
            theme: String::new(),
            place: String::new(),
            starts_at: 1_000,
            ends_at: 2_000,
            capacity,
            registered,
            registration: true,
            summary: String::new(),
        }
    }

    fn refused(kind: ProblemKind) -> Delivery<RegistrationReceipt> {
        Delivery::Refused(ClientError::Problem {
            problem: Problem {
                kind,
                title: String::new(),
                status: kind.status(),
                detail: None,
                errors: Vec::new(),
            },
            retry_after_secs: None,
        })
    }

    #[test]
    fn a_full_refusal_leaves_no_seat_and_a_disabled_fully_booked_button() {
        let shown = event(120, 6);
        let after = after_answer(&shown, &refused(ProblemKind::EventFull));
        assert_eq!(after.seats_left(), 0);
        assert_eq!(seats_text(&after).0, "events.full");
        let offer = Offer::of(&after, 1_500, Some(Some(ProblemKind::EventFull)), false);
        assert_eq!(offer, Offer::Full);
        assert_eq!(offer.label_key(), "events.full");
    }

    #[test]
    fn a_full_meeting_offers_its_waitlist_and_a_full_event_does_not() {
        let full = event(3, 3);
        assert_eq!(Offer::of(&full, 1_500, None, true), Offer::Waitlist);
        assert_eq!(Offer::of(&full, 1_500, None, false), Offer::Full);
        assert_ne!(Offer::Waitlist.label_key(), Offer::Full.label_key());
        // Over, it is closed either way.
        assert_eq!(Offer::of(&full, 2_000, None, true), Offer::Closed);
    }

    #[test]
    fn a_closed_refusal_has_its_own_words() {
        let shown = event(120, 6);
        let after = after_answer(&shown, &refused(ProblemKind::RegistrationClosed));
        let offer = Offer::of(
            &after,
            1_500,
            Some(Some(ProblemKind::RegistrationClosed)),
            false,
        );
        assert_eq!(offer, Offer::Closed);
        assert_ne!(offer.label_key(), Offer::Full.label_key());
    }

    #[test]
    fn a_receipt_sets_the_seats_the_backend_counted() {
        let shown = event(120, 6);
        let receipt = RegistrationReceipt {
            event_id: 7,
            code: "RG-1".into(),
            seats: 1,
            seats_left: 100,
            created_at: 1_500,
            waitlist_position: None,
            checkin_code: None,
        };
        let after = after_answer(&shown, &Delivery::Delivered(receipt));
        assert_eq!(after.seats_left(), 100);
        assert_eq!(Offer::of(&after, 1_500, Some(None), false), Offer::Sent);
        assert_eq!(Offer::of(&after, 1_500, None, false), Offer::Open);
        assert_eq!(Offer::of(&after, 2_000, None, false), Offer::Closed);
    }
}
