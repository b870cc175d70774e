//! Reporting an issue: the form with validation as you go, the "saved"
//! note while the outbox sends it, and the receipt with its tracking number.

pub mod form;

use leptos::prelude::*;
use omk_api::{Category, IssueReceipt, Lang, NewIssue, Problem};

use crate::client::{Backend, ClientError};
use crate::form::{Field, ReceiptCard, ReceiptIds, ReceiptWords};
use crate::i18n::use_i18n;
use crate::outbox::{Delivery, Pending, use_outbox};

pub use form::Draft;

/// Where a report stands.
#[derive(Clone)]
enum Stage {
    /// Being filled in.
    Form,
    /// Saved in the outbox, waiting for the backend.
    Saved(Pending<IssueReceipt>),
    /// Acknowledged.
    Receipt(IssueReceipt),
}

/// The report screen: the form, then "saved", then the receipt.
#[component]
pub fn ReportScreen() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let draft = RwSignal::new(Draft::default());
    let failure = RwSignal::new(None::<&'static str>);
    let stage = RwSignal::new(Stage::Form);
    Effect::new(move |_| {
        let Stage::Saved(pending) = stage.get() else {
            return;
        };
        match pending.get() {
            Delivery::Saved => {}
            Delivery::Delivered(receipt) => stage.set(Stage::Receipt(receipt)),
            Delivery::Refused(ClientError::Problem { problem, .. }) => {
                // Back to the form, with what was typed, to put it right.
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
    let send = move |issue: NewIssue| {
        failure.set(None);
        stage.set(Stage::Saved(outbox.submit("/issues", &issue)));
    };
    let start_over = move || {
        draft.update(Draft::reset);
        failure.set(None);
        stage.set(Stage::Form);
    };

    view! {
        <section class="omk-screen" aria-labelledby="omk-report-heading" data-testid="report-screen">
            <h2 id="omk-report-heading">{move || i18n.t("report.heading")}</h2>
            {move || match stage.get() {
                Stage::Form => view! { <ReportForm draft=draft failure=failure on_send=send /> }.into_any(),
                Stage::Saved(_) => view! { <Saved on_new=start_over /> }.into_any(),
                Stage::Receipt(r) => view! { <Receipt receipt=r on_new=start_over /> }.into_any(),
            }}
        </section>
    }
}

/// Shown while the outbox holds the report: it is safe, and will be sent.
#[component]
fn Saved(
    /// Called when the visitor wants to report another issue.
    on_new: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="omk-receipt" role="status" data-testid="report-saved">
            <h3>{move || i18n.t("report.saved_heading")}</h3>
            <p>{move || i18n.t("outbox.saved")}</p>
            <button type="button" on:click=move |_| on_new() data-testid="report-new">
                {move || i18n.t("report.new")}
            </button>
        </div>
    }
}

/// The issue form.
#[component]
fn ReportForm(
    /// What the visitor has typed, kept by the screen across stages.
    draft: RwSignal<Draft>,
    /// The general message under the form, if any.
    failure: RwSignal<Option<&'static str>>,
    /// Called with a valid, normalised issue to send.
    on_send: impl Fn(NewIssue) + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let categories = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<Vec<Category>>("/categories").await }
    });
    let opened_at = js_sys::Date::now();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        draft.update(Draft::attempt);
        let current = draft.get_untracked();
        if current.is_valid() {
            let mut issue = current.input.normalized();
            issue.fill_ms = Some((js_sys::Date::now() - opened_at).max(0.0) as u64);
            if !issue.consent {
                issue.name = None;
                issue.phone = None;
            }
            on_send(issue);
        } else {
            failure.set(Some("report.fix_errors"));
        }
    };
    let category_options = move || {
        let lang = i18n.lang();
        categories.get().and_then(Result::ok).map(|list| {
            list.into_iter()
                .map(|c| {
                    let name = if lang == Lang::ZhCn {
                        c.name_zh
                    } else {
                        c.name_en
                    };
                    view! { <option value=c.id>{name}</option> }
                })
                .collect_view()
        })
    };

    view! {
        <form class="omk-form" on:submit=on_submit novalidate data-testid="report-form">
            <Field form="report" draft=draft name="category" label="report.category">
                <select
                    id="omk-report-category"
                    prop:value=move || draft.with(|d| d.input.category.clone())
                    on:change=move |ev| draft.update(|d| { d.input.category = event_target_value(&ev); d.touch("category"); })
                    aria-describedby="omk-report-error-category"
                    data-testid="report-category"
                >
                    <option value="">{move || i18n.t("report.category_choose")}</option>
                    {category_options}
                </select>
            </Field>
            <Field form="report" draft=draft name="description" label="report.description">
                <textarea
                    id="omk-report-description"
                    rows="4"
                    placeholder=move || i18n.t("report.description_hint")
                    prop:value=move || draft.with(|d| d.input.description.clone())
                    on:input=move |ev| draft.update(|d| d.input.description = event_target_value(&ev))
                    on:blur=move |_| draft.update(|d| d.touch("description"))
                    aria-describedby="omk-report-error-description"
                    data-testid="report-description"
                ></textarea>
            </Field>
            <Field form="report" draft=draft name="place" label="report.place">
                <input
                    id="omk-report-place"
                    type="text"
                    placeholder=move || i18n.t("report.place_hint")
                    prop:value=move || draft.with(|d| d.input.place.clone())
                    on:input=move |ev| draft.update(|d| d.input.place = event_target_value(&ev))
                    on:blur=move |_| draft.update(|d| d.touch("place"))
                    aria-describedby="omk-report-error-place"
                    data-testid="report-place"
                />
            </Field>
            <fieldset class="omk-contact">
                <legend>{move || i18n.t("report.contact")}</legend>
                <p class="omk-muted">{move || i18n.t("report.contact_hint")}</p>
                <Field form="report" draft=draft name="name" label="report.name">
                    <input
                        id="omk-report-name"
                        type="text"
                        autocomplete="off"
                        prop:value=move || draft.with(|d| d.input.name.clone().unwrap_or_default())
                        on:input=move |ev| draft.update(|d| d.input.name = Some(event_target_value(&ev)))
                        on:blur=move |_| draft.update(|d| d.touch("name"))
                        aria-describedby="omk-report-error-name"
                        data-testid="report-name"
                    />
                </Field>
                <Field form="report" draft=draft name="phone" label="report.phone">
                    <input
                        id="omk-report-phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="off"
                        prop:value=move || draft.with(|d| d.input.phone.clone().unwrap_or_default())
                        on:input=move |ev| draft.update(|d| d.input.phone = Some(event_target_value(&ev)))
                        on:blur=move |_| draft.update(|d| d.touch("phone"))
                        aria-describedby="omk-report-error-phone"
                        data-testid="report-phone"
                    />
                </Field>
                <div class="omk-field" class:omk-invalid=move || draft.with(|d| d.error_for("consent").is_some())>
                    <label class="omk-check">
                        <input
                            type="checkbox"
                            prop:checked=move || draft.with(|d| d.input.consent)
                            on:change=move |ev| draft.update(|d| { d.input.consent = event_target_checked(&ev); d.touch("consent"); })
                            aria-describedby="omk-report-error-consent"
                            data-testid="report-consent"
                        />
                        <span>{move || i18n.t("report.consent")}</span>
                    </label>
                    <p class="omk-field-error" id="omk-report-error-consent" data-testid="report-error-consent">
                        {move || draft.with(|d| d.error_for("consent")).map(|key| i18n.t_owned(&key))}
                    </p>
                </div>
            </fieldset>
            <div hidden>
                <label for="omk-report-website">"website"</label>
                <input
                    id="omk-report-website"
                    type="text"
                    tabindex="-1"
                    autocomplete="off"
                    on:input=move |ev| draft.update(|d| d.input.website = Some(event_target_value(&ev)))
                />
            </div>
            <p class="omk-error" role="alert" data-testid="report-failure">
                {move || failure.get().map(|k| i18n.t(k))}
            </p>
            <button type="submit" class="omk-primary" data-testid="report-submit">
                {move || i18n.t("report.submit")}
            </button>
        </form>
    }
}

/// The message key for a refused issue: an error on a field the visitor cannot
/// see (such as sending too fast) is said in words; otherwise "fix the marked fields".
pub fn refusal_key(problem: &Problem) -> &'static str {
    let hidden = problem.errors.iter().find(|e| {
        !form::FIELDS.contains(&e.field.as_str())
            && !form::CONTACT_FIELDS.contains(&e.field.as_str())
    });
    let catalogue = omk_api::Messages::get(omk_api::Lang::ZhCn);
    match hidden {
        Some(error) => catalogue
            .static_key(&error.message_key())
            .unwrap_or("report.failed"),
        None if !problem.errors.is_empty() => "report.fix_errors",
        None => problem.kind.message_key(),
    }
}

/// The receipt: the tracking number in large type, and a QR code to follow it on a phone.
#[component]
pub fn Receipt(
    /// The backend's receipt.
    receipt: IssueReceipt,
    /// Called when the visitor wants to report another issue.
    on_new: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let qr = use_context::<Backend>().map(|b| {
        b.url(&format!(
            "/issues/{}/qr.svg",
            omk_api::events::encode_component(&receipt.tracking_no)
        ))
    });
    let words = ReceiptWords {
        heading: "report.receipt_heading",
        code: "report.receipt_number",
        hint: "report.receipt_hint",
        qr_alt: "report.qr_alt",
        new: "report.new",
    };
    let ids = ReceiptIds {
        card: "receipt",
        code: "receipt-number",
        qr: "receipt-qr",
        new: "report-new",
    };
    view! { <ReceiptCard words ids code=receipt.tracking_no qr on_new /> }
}
