//! "Check my issue": the public status of an issue by its tracking number,
//! which never includes personal data. A mistyped number is caught here, by its check
//! digit, before the server is asked.

use leptos::prelude::*;
use omk_api::IssueStatusView;
use omk_api::tracking::{self, Typo};

use crate::client::Backend;
use crate::config::DeepLink;
use crate::format;
use crate::i18n::use_i18n;

/// What a visitor typed, read as a tracking number; the message key of the problem when it
/// cannot be one (a mistyped digit, or not a number's shape).
pub fn read_number(input: &str) -> Result<String, &'static str> {
    tracking::parse("OM", input).map_err(|typo| match typo {
        Typo::Check => "lookup.typo",
        Typo::Shape => "lookup.not_a_number",
    })
}

/// The lookup screen.
#[component]
pub fn LookupScreen() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let number = RwSignal::new(String::new());
    let typo = RwSignal::new(None::<&'static str>);
    let lookup = Action::new_local(move |number: &String| {
        let backend = backend.clone();
        let path = format!("/issues/{}", omk_api::events::encode_component(number));
        async move { backend.get::<IssueStatusView>(&path).await }
    });
    // A receipt's QR code carries its number: look it up at once; the field stays for another.
    let ask = move |typed: &str| match read_number(typed) {
        Ok(value) => {
            typo.set(None);
            lookup.dispatch(value);
        }
        Err(key) => typo.set(Some(key)),
    };
    if let Some(linked) = use_context::<DeepLink>()
        .and_then(|link| link.number)
        .filter(|n| !n.trim().is_empty())
    {
        ask(&linked);
    }
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = number.get_untracked();
        if !typed.trim().is_empty() {
            ask(&typed);
        }
    };
    let result = move || {
        if let Some(key) = typo.get() {
            return Some(
                view! {
                    <p class="omk-error" role="alert" data-testid="lookup-typo">{move || i18n.t(key)}</p>
                }
                .into_any(),
            );
        }
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
                    placeholder="OM-7K3F-9QX2-M4TB-6"
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
                <span data-testid="lookup-status">{move || i18n.t(status.message_key())}</span>
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
    fn typed_numbers_are_read_and_typos_caught_before_asking() {
        let number = tracking::from_bits("OM", 0x0123_4567_89AB_CDEF);
        assert_eq!(
            read_number(&format!("  {} ", number.to_lowercase())),
            Ok(number.clone())
        );
        let mut typed: Vec<char> = number.chars().collect();
        typed[3] = if typed[3] == '7' { '8' } else { '7' };
        let typed: String = typed.into_iter().collect();
        assert_eq!(read_number(&typed), Err("lookup.typo"));
        assert_eq!(read_number("OM-12"), Err("lookup.not_a_number"));
    }
}
