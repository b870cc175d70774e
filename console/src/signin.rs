//! The sign-in screen: login and password, with what went wrong said plainly (wrong
//! credentials, too many attempts and how long to wait, the session that ended).

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::{FieldError, ProblemKind, Session, SignIn};

use crate::client::{ApiError, Client};
use crate::feedback::{FormState, error_text};
use crate::i18n::{I18n, use_i18n};
use crate::kit::{Submit, TextField};
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

/// What the form sends: the login without the spaces around it, and the password as typed;
/// or every field left empty.
fn sign_in(login: &str, password: String) -> Result<SignIn, Vec<FieldError>> {
    let body = SignIn {
        login: login.trim().to_owned(),
        password,
    };
    let errors: Vec<FieldError> = [("login", &body.login), ("password", &body.password)]
        .into_iter()
        .filter(|(_, value)| value.is_empty())
        .map(|(field, _)| FieldError::new(field, "required"))
        .collect();
    if errors.is_empty() {
        Ok(body)
    } else {
        Err(errors)
    }
}

/// The sign-in screen: why it shows, and the form.
#[component]
pub fn SignInScreen(
    /// Why no one is signed in.
    reason: SignedOutReason,
) -> impl IntoView {
    let i18n = use_i18n();
    let notice = reason.message_key().map(|key| {
        let role = if reason.is_urgent() {
            "alert"
        } else {
            "status"
        };
        view! {
            <p class="notice" role=role data-testid="signin-notice">{move || i18n.t_owned(key)}</p>
        }
    });
    view! {
        <header class="top">
            <p class="brand">{move || i18n.t("app.name")}</p>
            <div class="top-actions"><LanguageSwitch /></div>
        </header>
        <main id=MAIN_ID tabindex="-1" class="signin">
            <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("signin.heading")}</h1>
            {notice}
            <SignInForm />
        </main>
    }
}

/// Login and password, for the browser to fill in and save; a refusal said plainly.
#[component]
fn SignInForm() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let client = expect_context::<Client>();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let send = Submit::new(
        FormState::new(),
        |_| "signin.done",
        move |body: SignIn| async move {
            client
                .send::<_, Session>(Method::POST, "/session", &body)
                .await
        },
        move |_, session: &Session| {
            password.set(String::new());
            // The console reads as a new page: focus starts over, at the skip link.
            auth.signed_in(session.clone());
        },
    )
    .checked(move || sign_in(&login.get_untracked(), password.get_untracked()));
    let form = send.form();
    let failure = move || {
        form.failure.get().map(|error| {
            view! {
                <p class="alert" role="alert" data-testid="signin-error">{refusal_text(i18n, &error)}</p>
            }
        })
    };
    view! {
        <form class="form narrow" on:submit=send.on_submit() novalidate>
            <TextField form field="login" id="signin-login" label="signin.login" value=login
                on_input=move |text| login.set(text) name="username" autocomplete="username"
                required=true verbatim=true />
            <TextField form field="password" id="signin-password" label="signin.password"
                value=password on_input=move |text| password.set(text) name="password"
                kind="password" autocomplete="current-password" required=true />
            {failure}
            <button type="submit" class="primary" disabled=move || send.busy() data-testid="signin-submit">
                {move || i18n.t("signin.submit")}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::refusals;

    #[test]
    fn a_sign_in_is_sent_with_both_fields_and_the_login_trimmed() {
        assert_eq!(
            refusals(&sign_in(" ", String::new())),
            [("login", "required"), ("password", "required")]
        );
        assert_eq!(
            refusals(&sign_in("gao", String::new())),
            [("password", "required")]
        );
        // A password is sent as typed, spaces and all.
        let body = sign_in(" gao.ming ", " secret ".to_owned()).map(|b| (b.login, b.password));
        assert_eq!(body, Ok(("gao.ming".to_owned(), " secret ".to_owned())));
    }

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
