//! Writing to the mayor's mailbox: the letter form (kind, title, text, the required and
//! private name and phone, the consent to publication), the "saved" note while the outbox
//! sends it, and the receipt with the letter's `ML-` code and a QR code to follow it on a
//! phone. What was typed lives only in this screen's memory (and the outbox until sent): an
//! idle reset rebuilds the screen from nothing.

use leptos::prelude::*;
use omk_api::{LetterKind, LetterReceipt, NewLetter, Problem};

use crate::client::{Backend, ClientError};
use crate::form::{Field, ReceiptCard, ReceiptIds, ReceiptWords};
use crate::i18n::use_i18n;
use crate::outbox::{Delivery, Pending, use_outbox};

use super::draft::{FIELDS, LetterDraft, counted};

/// Where a letter stands.
#[derive(Clone)]
enum Stage {
    /// Being written.
    Form,
    /// Saved in the outbox, waiting for the backend.
    Saved(Pending<LetterReceipt>),
    /// Acknowledged, with its code.
    Receipt(LetterReceipt),
}

/// The message key for a refused letter: an error on a field the visitor cannot see (such
/// as sending too fast) is said in words; otherwise "fix the marked fields", or the
/// problem's own words.
pub fn refusal_key(problem: &Problem) -> &'static str {
    let hidden = problem
        .errors
        .iter()
        .find(|e| !FIELDS.contains(&e.field.as_str()));
    let catalogue = omk_api::Messages::get(omk_api::Lang::ZhCn);
    match hidden {
        Some(error) => catalogue
            .static_key(&error.message_key())
            .unwrap_or("mailbox.failed"),
        None if !problem.errors.is_empty() => "mailbox.fix_errors",
        None => problem.kind.message_key(),
    }
}

/// The letter form, then "saved", then the receipt.
#[component]
pub fn WriteLetter(
    /// What the visitor has typed, kept by the mailbox while they look at its other
    /// sections (and gone with it on a reset).
    draft: RwSignal<LetterDraft>,
) -> impl IntoView {
    let outbox = use_outbox();
    let failure = RwSignal::new(None::<&'static str>);
    let stage = RwSignal::new(Stage::Form);
    Effect::new(move |_| {
        let Stage::Saved(pending) = stage.get() else {
            return;
        };
        match pending.get() {
            Delivery::Saved => {}
            Delivery::Delivered(receipt) => {
                // The letter is sent: nothing personal stays in the form.
                draft.update(LetterDraft::reset);
                stage.set(Stage::Receipt(receipt));
            }
            Delivery::Refused(ClientError::Problem { problem, .. }) => {
                draft.update(|d| d.reject(&problem));
                failure.set(Some(refusal_key(&problem)));
                stage.set(Stage::Form);
            }
            Delivery::Refused(error) => {
                failure.set(Some(error.message_key()));
                stage.set(Stage::Form);
            }
        }
    });
    let send = move |letter: NewLetter| {
        failure.set(None);
        stage.set(Stage::Saved(outbox.submit("/letters", &letter)));
    };
    let start_over = move || {
        draft.update(LetterDraft::reset);
        failure.set(None);
        stage.set(Stage::Form);
    };
    view! {
        <div data-testid="letter-write">
            {move || match stage.get() {
                Stage::Form => view! { <LetterForm draft=draft failure=failure on_send=send /> }.into_any(),
                Stage::Saved(_) => view! { <Saved on_new=start_over /> }.into_any(),
                Stage::Receipt(r) => view! { <LetterReceiptCard receipt=r on_new=start_over /> }.into_any(),
            }}
        </div>
    }
}

/// Shown while the outbox holds the letter: it is safe, and will be sent.
#[component]
fn Saved(
    /// Called when the visitor wants to write another letter.
    on_new: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="omk-receipt" role="status" data-testid="letter-saved">
            <h3>{move || i18n.t("report.saved_heading")}</h3>
            <p>{move || i18n.t("outbox.saved")}</p>
            <button type="button" on:click=move |_| on_new() data-testid="letter-new">
                {move || i18n.t("mailbox.new")}
            </button>
        </div>
    }
}

/// The letter form.
#[component]
fn LetterForm(
    /// What the visitor has typed, kept by the screen across stages.
    draft: RwSignal<LetterDraft>,
    /// The general message under the form, if any.
    failure: RwSignal<Option<&'static str>>,
    /// Called with a valid, normalised letter to send.
    on_send: impl Fn(NewLetter) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        draft.update(LetterDraft::attempt);
        let current = draft.get_untracked();
        if current.is_valid() {
            on_send(current.input.normalized());
        } else {
            failure.set(Some("mailbox.fix_errors"));
        }
    };
    let on_kind = move |ev| {
        let chosen = LetterKind::parse(&event_target_value(&ev));
        draft.update(|d| {
            if let Some(kind) = chosen {
                d.input.kind = kind;
            }
            d.touch("kind");
        });
    };
    let kinds = LetterKind::ALL
        .into_iter()
        .map(|k| view! { <option value=k.as_str()>{move || i18n.t(k.message_key())}</option> })
        .collect_view();
    let title_count = move || {
        let (n, max) = draft.with(|d| counted(&d.input.title, NewLetter::TITLE_MAX));
        format!("{n}/{max}")
    };
    let text_count = move || {
        let (n, max) = draft.with(|d| counted(&d.input.text, NewLetter::TEXT_MAX));
        format!("{n}/{max}")
    };

    view! {
        <form class="omk-form" on:submit=on_submit novalidate data-testid="letter-form">
            <Field form="letter" draft=draft name="kind" label="mailbox.kind">
                <select
                    id="omk-letter-kind"
                    prop:value=move || draft.with(|d| d.input.kind.as_str())
                    on:change=on_kind
                    aria-describedby="omk-letter-error-kind"
                    data-testid="letter-kind"
                >
                    {kinds}
                </select>
            </Field>
            <Field form="letter" draft=draft name="title" label="mailbox.title">
                <input
                    id="omk-letter-title"
                    type="text"
                    placeholder=move || i18n.t("mailbox.title_hint")
                    prop:value=move || draft.with(|d| d.input.title.clone())
                    on:input=move |ev| draft.update(|d| d.input.title = event_target_value(&ev))
                    on:blur=move |_| draft.update(|d| d.touch("title"))
                    aria-describedby="omk-letter-error-title omk-letter-count-title"
                    data-testid="letter-title"
                />
                <p class="omk-muted" id="omk-letter-count-title" data-testid="letter-title-count">{title_count}</p>
            </Field>
            <Field form="letter" draft=draft name="text" label="mailbox.text">
                <textarea
                    id="omk-letter-text"
                    rows="5"
                    placeholder=move || i18n.t("mailbox.text_hint")
                    prop:value=move || draft.with(|d| d.input.text.clone())
                    on:input=move |ev| draft.update(|d| d.input.text = event_target_value(&ev))
                    on:blur=move |_| draft.update(|d| d.touch("text"))
                    aria-describedby="omk-letter-error-text omk-letter-count-text"
                    data-testid="letter-text"
                ></textarea>
                <p class="omk-muted" id="omk-letter-count-text" data-testid="letter-text-count">{text_count}</p>
            </Field>
            <fieldset class="omk-contact">
                <legend>{move || i18n.t("mailbox.contact")}</legend>
                <p class="omk-muted">{move || i18n.t("mailbox.contact_hint")}</p>
                <Field form="letter" draft=draft name="name" label="report.name">
                    <input
                        id="omk-letter-name"
                        type="text"
                        autocomplete="off"
                        prop:value=move || draft.with(|d| d.input.name.clone())
                        on:input=move |ev| draft.update(|d| d.input.name = event_target_value(&ev))
                        on:blur=move |_| draft.update(|d| d.touch("name"))
                        aria-describedby="omk-letter-error-name"
                        data-testid="letter-name"
                    />
                </Field>
                <Field form="letter" draft=draft name="phone" label="report.phone">
                    <input
                        id="omk-letter-phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="off"
                        prop:value=move || draft.with(|d| d.input.phone.clone())
                        on:input=move |ev| draft.update(|d| d.input.phone = event_target_value(&ev))
                        on:blur=move |_| draft.update(|d| d.touch("phone"))
                        aria-describedby="omk-letter-error-phone"
                        data-testid="letter-phone"
                    />
                </Field>
            </fieldset>
            <div class="omk-field">
                <label class="omk-check">
                    <input
                        type="checkbox"
                        prop:checked=move || draft.with(|d| d.input.may_publish)
                        on:change=move |ev| draft.update(|d| d.input.may_publish = event_target_checked(&ev))
                        aria-describedby="omk-letter-publish-hint"
                        data-testid="letter-may-publish"
                    />
                    <span>{move || i18n.t("mailbox.may_publish")}</span>
                </label>
                <p class="omk-muted" id="omk-letter-publish-hint">{move || i18n.t("mailbox.may_publish_hint")}</p>
            </div>
            <p class="omk-error" role="alert" data-testid="letter-failure">
                {move || failure.get().map(|k| i18n.t(k))}
            </p>
            <button type="submit" class="omk-primary" data-testid="letter-submit">
                {move || i18n.t("mailbox.submit")}
            </button>
        </form>
    }
}

/// The receipt: the letter's code in large type, and a QR code to follow it on a phone.
#[component]
pub fn LetterReceiptCard(
    /// The backend's receipt.
    receipt: LetterReceipt,
    /// Called when the visitor wants to write another letter.
    on_new: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let qr = use_context::<Backend>().map(|b| {
        b.url(&format!(
            "/letters/{}/qr.svg",
            omk_api::events::encode_component(&receipt.code)
        ))
    });
    let words = ReceiptWords {
        heading: "mailbox.receipt_heading",
        code: "mailbox.receipt_code",
        hint: "mailbox.receipt_hint",
        qr_alt: "mailbox.qr_alt",
        new: "mailbox.new",
    };
    let ids = ReceiptIds {
        card: "letter-receipt",
        code: "letter-code",
        qr: "letter-qr",
        new: "letter-new",
    };
    view! { <ReceiptCard words ids code=receipt.code qr on_new /> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::{FieldError, ProblemKind};

    fn problem(errors: Vec<FieldError>) -> Problem {
        Problem {
            kind: ProblemKind::Validation,
            title: String::new(),
            status: 422,
            detail: None,
            errors,
        }
    }

    #[test]
    fn a_refusal_on_a_visible_field_asks_to_fix_the_marked_fields() {
        let p = problem(vec![FieldError::new("title", "title_too_short")]);
        assert_eq!(refusal_key(&p), "mailbox.fix_errors");
        let bare = problem(Vec::new());
        assert_eq!(refusal_key(&bare), ProblemKind::Validation.message_key());
    }
}
