//! The sign-in screen: login and password, with what went wrong said plainly (wrong
//! credentials, too many attempts and how long to wait, the session that ended).

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use omk_api::{FieldError, ProblemKind, Session, SignIn};

use crate::client::{ApiError, Client};
use crate::feedback::{FieldMessage, FormState, error_text};
use crate::i18n::{I18n, use_i18n};
use crate::screen::HEADING_ID;
use crate::session::{SignedOutReason, use_auth};
use crate::shell::{LanguageSwitch, MAIN_ID};

/// What the sign-in screen says about a refused sign-in (tracked).
fn refusal_text(i18n: I18n, error: &ApiError) -> String {
    match error.kind() {
        _ if error.is_unauthorized() => i18n.t("signin.wrong").to_owned(),
        Some(ProblemKind::RateLimited) => match error.retry_after_secs() {
            Some(secs) => i18n.format("signin.too_many", &[("n", &secs.to_string())]),
            None => i18n.t("signin.too_many_later").to_owned(),
        },
        _ => error_text(i18n, error),
    }
}

/// The sign-in form, and why it shows.
#[component]
pub fn SignInScreen(
    /// Why no one is signed in.
    reason: SignedOutReason,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let client = expect_context::<Client>();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let form = FormState::new();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = SignIn {
            login: login.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let mut errors = Vec::new();
        if body.login.is_empty() {
            errors.push(FieldError::new("login", "required"));
        }
        if body.password.is_empty() {
            errors.push(FieldError::new("password", "required"));
        }
        if !errors.is_empty() {
            form.invalid(errors);
            return;
        }
        form.start();
        spawn_local(async move {
            let result = client
                .send::<_, Session>(Method::POST, "/session", &body)
                .await;
            form.finish(&result, "signin.done");
            if let Ok(session) = result {
                password.set(String::new());
                // The console reads as a new page: focus starts over, at the skip link.
                auth.signed_in(session);
            }
        });
    };
    let role = if reason.is_urgent() {
        "alert"
    } else {
        "status"
    };
    let notice = reason.message_key().map(|key| {
        view! {
            <p class="notice" role=role data-testid="signin-notice">{move || i18n.t_owned(key)}</p>
        }
    });
    let failure = move || {
        form.failure.get().map(|error| {
            view! {
                <p class="alert" role="alert" data-testid="signin-error">{refusal_text(i18n, &error)}</p>
            }
        })
    };
    view! {
        <header class="top">
            <p class="brand">{move || i18n.t("app.name")}</p>
            <div class="top-actions"><LanguageSwitch /></div>
        </header>
        <main id=MAIN_ID tabindex="-1" class="signin">
            <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("signin.heading")}</h1>
            {notice}
            <form class="form narrow" on:submit=on_submit novalidate>
                <div class="field">
                    <label for="signin-login">{move || i18n.t("signin.login")}</label>
                    <input
                        id="signin-login"
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        aria-invalid=move || form.invalid_attr("login")
                        aria-describedby=move || form.described_by("login", "signin-login")
                        prop:value=move || login.get()
                        on:input=move |ev| login.set(event_target_value(&ev))
                        data-testid="signin-login"
                    />
                    <FieldMessage form field="login" input_id="signin-login" />
                </div>
                <div class="field">
                    <label for="signin-password">{move || i18n.t("signin.password")}</label>
                    <input
                        id="signin-password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || form.invalid_attr("password")
                        aria-describedby=move || form.described_by("password", "signin-password")
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                        data-testid="signin-password"
                    />
                    <FieldMessage form field="password" input_id="signin-password" />
                </div>
                {failure}
                <button type="submit" class="primary" disabled=move || form.busy.get() data-testid="signin-submit">
                    {move || i18n.t("signin.submit")}
                </button>
            </form>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_to_show_the_sign_in_is_worded_in_both_languages() {
        for reason in [
            SignedOutReason::NotSignedIn,
            SignedOutReason::Ended,
            SignedOutReason::ByOperator,
            SignedOutReason::Unreachable,
        ] {
            if let Some(key) = reason.message_key() {
                for lang in omk_api::Lang::ALL {
                    assert!(crate::i18n::catalogue(lang).has(key), "{key}");
                }
            }
        }
    }
}
