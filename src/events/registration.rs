//! One registration followed with its code, where its QR code leads on a phone: admitted
//! (with the check-in code to show at the door), waiting (with its place on a meeting's
//! waitlist), checked in or cancelled; a cancel button while it holds or waits for a seat;
//! and, once checked in, the attendee's opinion, which only the organisers read.

use leptos::prelude::*;
use omk_api::events::encode_component;
use omk_api::{NewOpinion, OpinionReceipt, ProblemKind, RegistrationState, RegistrationStatus};

use crate::client::{Backend, ClientError};
use crate::i18n::use_i18n;
use crate::outbox::{Delivery, Pending, use_outbox};

/// What a registration's state says, as a message key.
pub fn state_key(status: &RegistrationStatus) -> &'static str {
    match (status.state, status.checked_in_at) {
        (RegistrationState::Cancelled, _) => "registration.cancelled",
        (_, Some(_)) => "registration.checked_in",
        (RegistrationState::Admitted, None) => "registration.admitted",
        (RegistrationState::Waitlisted, None) => "registration.waitlisted",
    }
}

/// Whether its holder may still cancel it: it holds or waits for a seat and was not used.
pub fn cancellable(status: &RegistrationStatus) -> bool {
    status.state != RegistrationState::Cancelled && status.checked_in_at.is_none()
}

/// The registration a link named, read with its code.
#[component]
pub fn RegistrationPanel(
    /// The code as the link carried it.
    code: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let path = format!("/registrations/{}", encode_component(code.trim()));
    let shown = RwSignal::new(None::<Result<RegistrationStatus, ClientError>>);
    let read = Action::new_local({
        let backend = backend.clone();
        let path = path.clone();
        move |_: &()| {
            let backend = backend.clone();
            let path = path.clone();
            async move { backend.get::<RegistrationStatus>(&path).await }
        }
    });
    read.dispatch(());
    Effect::new(move |_| {
        if let Some(answer) = read.value().get() {
            shown.set(Some(answer));
        }
    });
    let cancel = Action::new_local(move |_: &()| {
        let backend = backend.clone();
        let path = path.clone();
        async move { backend.delete::<RegistrationStatus>(&path).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = cancel.value().get() {
            shown.set(Some(answer));
        }
    });
    let body = move || {
        Some(match shown.get()? {
            Ok(status) => {
                view! { <RegistrationCard status cancel=move || { cancel.dispatch(()); } /> }
                    .into_any()
            }
            Err(error) => {
                let key = match error.kind() {
                    Some(ProblemKind::NotFound) => "registration.not_found",
                    _ => error.message_key(),
                };
                view! { <p class="omk-error" role="alert" data-testid="registration-missing">{move || i18n.t(key)}</p> }
                    .into_any()
            }
        })
    };
    view! {
        <section class="omk-card omk-registration" aria-labelledby="omk-registration-heading"
            data-testid="registration">
            <h3 id="omk-registration-heading">{move || i18n.t("registration.heading")}</h3>
            {body}
        </section>
    }
}

/// A registration as its code shows it.
#[component]
fn RegistrationCard(
    /// The registration.
    status: RegistrationStatus,
    /// Cancels it.
    cancel: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = state_key(&status);
    let place = status.waitlist_position.unwrap_or_default().to_string();
    let checkin = status.checkin_code.clone().filter(|_| cancellable(&status));
    let may_cancel = cancellable(&status);
    let attended = status.checked_in_at.is_some();
    let code = status.code.clone();
    view! {
        <p class="omk-tracking" data-testid="registration-code">{status.code.clone()}</p>
        <p role="status" data-testid="registration-state" data-state=status.state.as_str()>
            {move || i18n.format(key, &[("n", &place)])}
        </p>
        {checkin.map(|c| view! {
            <p class="omk-tracking" data-testid="registration-checkin">
                {move || i18n.format("registration.checkin", &[("code", &c)])}
            </p>
        })}
        {may_cancel.then(|| view! {
            <button type="button" class="omk-secondary" data-testid="registration-cancel"
                on:click=move |_| cancel()>
                {move || i18n.t("registration.cancel")}
            </button>
        })}
        {attended.then(|| view! { <OpinionForm code=code.clone() /> })}
    }
}

/// The attendee's opinion after the meeting: once, private.
#[component]
fn OpinionForm(
    /// The registration's code.
    code: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let text = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let sent = RwSignal::new(None::<Pending<OpinionReceipt>>);
    let path = format!("/registrations/{}/opinion", encode_component(&code));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let opinion = NewOpinion {
            text: text.get_untracked().trim().to_owned(),
        };
        if opinion.validate().is_err() {
            missing.set(true);
            return;
        }
        missing.set(false);
        sent.set(Some(outbox.submit(&path, &opinion)));
    };
    let done = move || matches!(sent.get().map(|p| p.get()), Some(Delivery::Delivered(_)));
    let outcome = move || {
        if missing.get() {
            return Some(i18n.t("error.required").to_owned());
        }
        Some(match sent.get()?.get() {
            Delivery::Saved => i18n.t("outbox.saved").to_owned(),
            Delivery::Delivered(_) => i18n.t("registration.opinion.done").to_owned(),
            Delivery::Refused(error) => i18n.t(error.message_key()).to_owned(),
        })
    };
    view! {
        <form class="omk-form" on:submit=submit novalidate=true data-testid="opinion">
            <label for="omk-opinion-text">{move || i18n.t("registration.opinion.heading")}</label>
            <textarea id="omk-opinion-text" rows="4" maxlength=omk_api::outcome::TEXT_MAX
                data-testid="opinion-text" prop:value=text
                on:input=move |e| text.set(event_target_value(&e))></textarea>
            <button type="submit" class="omk-primary" data-testid="opinion-submit"
                disabled=done>
                {move || i18n.t("registration.opinion.submit")}
            </button>
            <p class="omk-outcome" role="status" data-testid="opinion-outcome">{outcome}</p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: RegistrationState, checked_in_at: Option<i64>) -> RegistrationStatus {
        RegistrationStatus {
            code: "RG-7K3F-9QX2".into(),
            event_id: 7,
            seats: 1,
            state,
            waitlist_position: (state == RegistrationState::Waitlisted).then_some(2),
            checkin_code: (state == RegistrationState::Admitted).then(|| "CK-1".into()),
            checked_in_at,
        }
    }

    #[test]
    fn each_state_has_its_words_and_only_a_live_one_is_cancelled() {
        let cases = [
            (
                RegistrationState::Admitted,
                None,
                "registration.admitted",
                true,
            ),
            (
                RegistrationState::Waitlisted,
                None,
                "registration.waitlisted",
                true,
            ),
            (
                RegistrationState::Admitted,
                Some(9),
                "registration.checked_in",
                false,
            ),
            (
                RegistrationState::Cancelled,
                None,
                "registration.cancelled",
                false,
            ),
        ];
        for (state, checked, key, live) in cases {
            let s = status(state, checked);
            assert_eq!(state_key(&s), key, "{state:?}");
            assert_eq!(cancellable(&s), live, "{state:?}");
        }
    }
}
