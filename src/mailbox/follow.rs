//! Following a letter by its code: where it stands, the reply (a private letter's reply is
//! shown only here, to whoever has the code), and the writer's one rating of the reply
//! (satisfied, or not satisfied with an optional reason), and the month's proposal it became
//! once a moderator promoted it. A mistyped code is caught by its
//! check digit before the server is asked; the view is never kept offline.

use leptos::prelude::*;
use omk_api::tracking::{self, Typo};
use omk_api::{LetterRating, LetterView, Satisfaction};

use crate::client::Backend;
use crate::format;
use crate::i18n::use_i18n;
use crate::outbox::{Delivery, Pending, use_outbox};

/// What a visitor typed, read as a letter code; the message key of the problem when it
/// cannot be one (a mistyped digit, or not a code's shape).
pub fn read_code(input: &str) -> Result<String, &'static str> {
    match tracking::parse(omk_api::mailbox::CODE_PREFIX, input) {
        Ok(_) => omk_api::mailbox::normalise_code(input).ok_or("mailbox.not_a_code"),
        Err(Typo::Check) => Err("lookup.typo"),
        Err(Typo::Shape) => Err("mailbox.not_a_code"),
    }
}

/// Whether a reason for the rating is within the shared limit.
pub fn reason_fits(reason: &str) -> bool {
    LetterRating {
        satisfaction: Satisfaction::NotSatisfied,
        reason: Some(reason.to_owned()),
    }
    .validate()
    .is_ok()
}

/// The code field and the letter it finds.
#[component]
pub fn FollowLetter(
    /// A code from a link (a receipt's QR code), looked up at once.
    #[prop(optional)]
    linked: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let code = RwSignal::new(String::new());
    let typo = RwSignal::new(None::<&'static str>);
    // A rating's answer replaces what the lookup found.
    let rated = RwSignal::new(None::<LetterView>);
    let lookup = Action::new_local(move |code: &String| {
        let backend = backend.clone();
        let path = format!("/letters/{}", omk_api::events::encode_component(code));
        async move { backend.get::<LetterView>(&path).await }
    });
    let ask = move |typed: &str| match read_code(typed) {
        Ok(value) => {
            typo.set(None);
            rated.set(None);
            lookup.dispatch(value);
        }
        Err(key) => typo.set(Some(key)),
    };
    if let Some(linked) = linked.filter(|c| !c.trim().is_empty()) {
        ask(&linked);
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        if !typed.trim().is_empty() {
            ask(&typed);
        }
    };
    let result = move || {
        if let Some(key) = typo.get() {
            return Some(
                view! { <p class="omk-error" role="alert" data-testid="letter-typo">{move || i18n.t(key)}</p> }
                    .into_any(),
            );
        }
        if let Some(letter) = rated.get() {
            return Some(view! { <LetterCard letter=letter rated=rated /> }.into_any());
        }
        lookup.value().get().map(|r| match r {
            Ok(letter) => view! { <LetterCard letter=letter rated=rated /> }.into_any(),
            Err(e) if e.kind() == Some(omk_api::ProblemKind::NotFound) => view! {
                <p class="omk-error" role="alert" data-testid="letter-missing">{move || i18n.t("mailbox.not_found")}</p>
            }
            .into_any(),
            Err(e) => view! {
                <p class="omk-error" role="alert" data-testid="letter-lookup-error">{move || i18n.t(e.message_key())}</p>
            }
            .into_any(),
        })
    };
    view! {
        <div data-testid="letter-follow">
            <form class="omk-form omk-inline" on:submit=on_submit>
                <label for="omk-letter-code">{move || i18n.t("mailbox.code")}</label>
                <input
                    id="omk-letter-code"
                    type="text"
                    autocomplete="off"
                    placeholder="ML-7K3F-9QX2-M4TB-6"
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                    data-testid="letter-code-input"
                />
                <button type="submit" class="omk-primary" data-testid="letter-code-submit">
                    {move || i18n.t("lookup.submit")}
                </button>
            </form>
            <div aria-live="polite">{result}</div>
        </div>
    }
}

/// What whoever has the code sees of a letter: never its writer's name or phone.
#[component]
fn LetterCard(
    /// The letter as its code shows it.
    letter: LetterView,
    /// Where a rating's answer goes.
    rated: RwSignal<Option<LetterView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let LetterView {
        code,
        kind,
        title,
        text,
        state,
        decline_reason,
        reply,
        created_at,
        replied_at,
        rating,
        proposal,
        ..
    } = letter;
    let declined = decline_reason.map(|r| {
        view! { <p data-testid="letter-decline">{move || i18n.t(r.message_key())}</p> }
    });
    let replied = reply.map(|reply| {
        view! {
            <p><strong>{move || i18n.t("mailbox.reply")}</strong></p>
            <p data-testid="letter-reply">{reply}</p>
            {replied_at.map(|at| view! { <p class="omk-muted">{move || i18n.t("mailbox.replied_on")}" "{move || format::day(i18n.lang(), at)}</p> })}
        }
    });
    let promoted = proposal.map(|code| {
        view! {
            <p data-testid="letter-proposal">
                {move || i18n.format("mailbox.promoted", &[("code", &code)])}
            </p>
        }
    });
    let judged = match rating {
        Some(given) => {
            let key = satisfaction_key(given);
            Some(view! { <p data-testid="letter-rating">{move || i18n.t(key)}</p> }.into_any())
        }
        None if state.is_replied() => {
            Some(view! { <RateReply code=code.clone() rated=rated /> }.into_any())
        }
        None => None,
    };
    view! {
        <article class="omk-card" data-testid="letter-result">
            <p class="omk-tracking" data-testid="letter-code-shown">{code}</p>
            <h3>{title}</h3>
            <p class="omk-muted">{move || i18n.t(kind.message_key())}" · "{move || format::day(i18n.lang(), created_at)}</p>
            <p>
                <strong>{move || i18n.t("lookup.status")}</strong>" "
                <span data-testid="letter-state">{move || i18n.t(state.message_key())}</span>
            </p>
            {declined}
            <p>{text}</p>
            {replied}
            {promoted}
            {judged}
        </article>
    }
}

/// The message key of a judgement.
pub fn satisfaction_key(s: Satisfaction) -> &'static str {
    match s {
        Satisfaction::Satisfied => "mailbox.rated_satisfied",
        Satisfaction::NotSatisfied => "mailbox.rated_not_satisfied",
    }
}

/// The writer's one judgement of the reply, sent through the outbox.
#[component]
fn RateReply(
    /// The letter's code.
    code: String,
    /// Where the answer goes.
    rated: RwSignal<Option<LetterView>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let reason = RwSignal::new(String::new());
    let failure = RwSignal::new(None::<&'static str>);
    let sent = RwSignal::new(None::<Pending<LetterView>>);
    Effect::new(move |_| match sent.get().map(|p| p.get()) {
        Some(Delivery::Delivered(view)) => rated.set(Some(view)),
        Some(Delivery::Refused(error)) => {
            sent.set(None);
            failure.set(Some(error.message_key()));
        }
        Some(Delivery::Saved) | None => {}
    });
    let path = format!(
        "/letters/{}/rating",
        omk_api::events::encode_component(&code)
    );
    let rate = move |satisfaction: Satisfaction| {
        if sent.with_untracked(Option::is_some) {
            return;
        }
        let typed = reason.get_untracked();
        if !reason_fits(&typed) {
            failure.set(Some("error.too_long"));
            return;
        }
        failure.set(None);
        let rating = LetterRating {
            satisfaction,
            reason: (satisfaction == Satisfaction::NotSatisfied)
                .then(|| typed.trim().to_owned())
                .filter(|r| !r.is_empty()),
        };
        sent.set(Some(outbox.submit(&path, &rating)));
    };
    let busy = move || sent.with(Option::is_some);
    let count = move || {
        let n = reason.with(|r| r.trim().chars().count());
        format!("{n}/{}", LetterRating::REASON_MAX)
    };
    view! {
        <fieldset class="omk-form" data-testid="letter-rate">
            <legend>{move || i18n.t("mailbox.rate_heading")}</legend>
            <button
                type="button"
                class="omk-primary"
                prop:disabled=busy
                on:click={
                    let rate = rate.clone();
                    move |_| rate(Satisfaction::Satisfied)
                }
                data-testid="letter-satisfied"
            >
                {move || i18n.t("mailbox.satisfied")}
            </button>
            <label for="omk-letter-reason">{move || i18n.t("mailbox.reason")}</label>
            <textarea
                id="omk-letter-reason"
                rows="3"
                prop:value=move || reason.get()
                on:input=move |ev| reason.set(event_target_value(&ev))
                aria-describedby="omk-letter-reason-count"
                data-testid="letter-reason"
            ></textarea>
            <p class="omk-muted" id="omk-letter-reason-count">{count}</p>
            <button
                type="button"
                prop:disabled=busy
                on:click=move |_| rate(Satisfaction::NotSatisfied)
                data-testid="letter-not-satisfied"
            >
                {move || i18n.t("mailbox.not_satisfied")}
            </button>
            <p class="omk-error" role="alert" data-testid="letter-rate-failure">
                {move || failure.get().map(|k| i18n.t(k))}
            </p>
            <p role="status">{move || busy().then(|| i18n.t("outbox.saved"))}</p>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_and_typos_caught_before_asking() {
        let code = tracking::from_bits("ML", 0x0123_4567_89AB_CDEF);
        assert_eq!(
            read_code(&format!(" {} ", code.to_lowercase())),
            Ok(code.clone())
        );
        let issue = tracking::from_bits("OM", 0x0123_4567_89AB_CDEF);
        assert!(read_code(&issue).is_err());
        assert_eq!(read_code("ML-12"), Err("mailbox.not_a_code"));
    }

    #[test]
    fn a_reason_fits_in_two_hundred_characters() {
        assert!(reason_fits(&"字".repeat(LetterRating::REASON_MAX)));
        assert!(!reason_fits(&"字".repeat(LetterRating::REASON_MAX + 1)));
    }
}
