//! "Check my issue": the public status of an issue by its tracking number,
//! which never includes personal data.

use leptos::prelude::*;
use omk_api::{IssueStatus, IssueStatusView};

use crate::client::Backend;
use crate::config::DeepLink;
use crate::format;
use crate::i18n::use_i18n;

/// Normalises what a visitor typed into a tracking number: trimmed, upper-case.
pub fn normalize(input: &str) -> String {
    input.trim().to_uppercase()
}

/// The message key of a status.
pub fn status_key(status: IssueStatus) -> &'static str {
    match status {
        IssueStatus::Received => "status.received",
        IssueStatus::Accepted => "status.accepted",
        IssueStatus::Answered => "status.answered",
        IssueStatus::Resolved => "status.resolved",
        IssueStatus::Closed => "status.closed",
    }
}

/// The lookup screen.
#[component]
pub fn LookupScreen() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let number = RwSignal::new(String::new());
    let lookup = Action::new_local(move |number: &String| {
        let backend = backend.clone();
        let path = format!("/issues/{}", omk_api::events::encode_component(number));
        async move { backend.get::<IssueStatusView>(&path).await }
    });
    // A receipt's QR code carries its number: look it up at once; the field stays for another.
    if let Some(linked) = use_context::<DeepLink>()
        .and_then(|link| link.number)
        .map(|n| normalize(&n))
        .filter(|n| !n.is_empty())
    {
        lookup.dispatch(linked);
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = normalize(&number.get_untracked());
        if !value.is_empty() {
            lookup.dispatch(value);
        }
    };
    let result = move || {
        lookup.value().get().map(|r| match r {
            Ok(view) => view! { <StatusCard view=view /> }.into_any(),
            Err(e) if e.kind() == Some(omk_api::ProblemKind::NotFound) => view! {
                <p class="omk-error" role="alert" data-testid="lookup-missing">{move || i18n.t("lookup.not_found")}</p>
            }
            .into_any(),
            Err(e) => view! {
                <p class="omk-error" role="alert" data-testid="lookup-error">{move || i18n.t(e.message_key())}</p>
            }
            .into_any(),
        })
    };

    view! {
        <section class="omk-screen" aria-labelledby="omk-lookup-heading" data-testid="lookup-screen">
            <h2 id="omk-lookup-heading">{move || i18n.t("lookup.heading")}</h2>
            <form class="omk-form omk-inline" on:submit=on_submit>
                <label for="omk-lookup-number">{move || i18n.t("lookup.number")}</label>
                <input
                    id="omk-lookup-number"
                    type="text"
                    autocomplete="off"
                    placeholder="OM-7K3F-9QX2"
                    prop:value=move || number.get()
                    on:input=move |ev| number.set(event_target_value(&ev))
                    data-testid="lookup-number"
                />
                <button type="submit" class="omk-primary" data-testid="lookup-submit">
                    {move || i18n.t("lookup.submit")}
                </button>
            </form>
            <div aria-live="polite">{result}</div>
        </section>
    }
}

/// What anyone may see of an issue.
#[component]
fn StatusCard(
    /// The public view of the issue.
    view: IssueStatusView,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = view.status;
    let (created, updated) = (view.created_at, view.updated_at);
    let answer = view.answer.clone();
    let reported = match (view.description.clone(), view.hidden) {
        (Some(text), _) => Some(view! {
            <p><strong>{move || i18n.t("lookup.description")}</strong></p>
            <p data-testid="lookup-description">{text}</p>
        }.into_any()),
        (None, true) => Some(view! {
            <p data-testid="lookup-description-hidden">{move || i18n.t("lookup.description_hidden")}</p>
        }.into_any()),
        (None, false) => None,
    };
    view! {
        <div class="omk-card" data-testid="lookup-result">
            <p class="omk-tracking" data-testid="lookup-number-shown">{view.tracking_no}</p>
            <p>
                <strong>{move || i18n.t("lookup.status")}</strong>" "
                <span data-testid="lookup-status">{move || i18n.t(status_key(status))}</span>
            </p>
            <p data-testid="lookup-created">{move || i18n.t("lookup.created")}" "{move || format::day(i18n.lang(), created)}</p>
            <p data-testid="lookup-updated">{move || i18n.t("lookup.updated")}" "{move || format::day(i18n.lang(), updated)}</p>
            {reported}
            {answer.map(|a| view! {
                <p><strong>{move || i18n.t("lookup.answer")}</strong></p>
                <p data-testid="lookup-answer">{a}</p>
            })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_are_normalised() {
        assert_eq!(normalize("  om-7k3f-9qx2 "), "OM-7K3F-9QX2");
    }
}
