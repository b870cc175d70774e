//! The frame around every screen: the skip link, the header (who is signed in, the language
//! switch, sign-out) and the navigation, which only admins see in full.

use gloo_net::http::Method;
use leptos::prelude::*;
use omk_api::Role;

use crate::client::Client;
use crate::feedback::{FormState, error_text};
use crate::i18n::use_i18n;
use crate::kit::Submit;
use crate::names::use_names;
use crate::screen::{NAVIGATION, use_navigation};
use crate::session::{SignedOutReason, use_auth};

/// The id of the `<main>` element the skip link jumps to.
pub const MAIN_ID: &str = "main";

/// "Skip to main content": the first stop of the tab order. It moves focus without touching
/// the URL's hash, which names the screen.
#[component]
pub fn SkipLink() -> impl IntoView {
    let i18n = use_i18n();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        use wasm_bindgen::JsCast;
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(MAIN_ID))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(main) = main {
            let _ = main.focus();
        }
    };
    view! {
        <a class="skip-link" href="#main" on:click=on_click data-testid="skip-link">
            {move || i18n.t("shell.skip")}
        </a>
    }
}

/// The button that switches to the other language, named in that language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button
            type="button"
            class="secondary"
            lang=move || i18n.lang().other().tag()
            on:click=move |_| i18n.toggle()
            data-testid="lang-switch"
        >
            {move || i18n.t("shell.other_language")}
        </button>
    }
}

/// The header of a signed-in console.
#[component]
pub fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let client = expect_context::<Client>();
    // Busy while the request runs: the session ends on the server, then on screen (also when
    // the server had ended it already).
    let sign_out = Submit::new(
        FormState::new(),
        |_| "shell.sign_out",
        move |()| async move {
            match client.send_no_content(Method::DELETE, "/session").await {
                Ok(()) => Ok(SignedOutReason::ByOperator),
                Err(error) if error.is_unauthorized() => Ok(SignedOutReason::Ended),
                Err(error) => Err(error),
            }
        },
        move |_, reason: &SignedOutReason| auth.signed_out(*reason),
    );
    let failure = sign_out.form().failure;
    let names = use_names();
    let who = move || {
        auth.session().map(|session| {
            let operator = session.operator;
            let role = match (operator.role, operator.unit.as_deref()) {
                (Role::Unit, Some(unit)) => i18n.format(
                    "role.unit_of",
                    &[("unit", &names.get().unit(unit, i18n.lang()))],
                ),
                (role, _) => i18n.t(crate::labels::role_key(role)).to_owned(),
            };
            i18n.format(
                "shell.signed_in_as",
                &[("login", &operator.login), ("role", &role)],
            )
        })
    };
    view! {
        <header class="top">
            <p class="brand">{move || i18n.t("app.name")}</p>
            <p class="whoami" data-testid="whoami">{who}</p>
            <div class="top-actions">
                <LanguageSwitch />
                <button type="button" class="secondary" disabled=move || sign_out.busy()
                    on:click=move |_| sign_out.run(Ok(())) data-testid="sign-out">
                    {move || i18n.t("shell.sign_out")}
                </button>
            </div>
            {move || failure.get().map(|error| view! {
                <p class="alert" role="alert">{error_text(i18n, &error)}</p>
            })}
        </header>
    }
}

/// The navigation: the screens the operator's role may use.
#[component]
pub fn Navigation() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigation = use_navigation();
    let links = move || {
        let role = auth.role();
        NAVIGATION
            .iter()
            .filter(|screen| role.is_some_and(|role| screen.visible_to(role)))
            .map(|screen| {
                let screen = screen.clone();
                let key = screen.label_key();
                let testid = screen.testid();
                let hash = screen.hash();
                let current = move || screen.contains(&navigation.current()).then_some("page");
                view! {
                    <li>
                        <a href=hash aria-current=current data-testid=testid>
                            {move || i18n.t_owned(key)}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="main-nav" aria-label=move || i18n.t("shell.navigation")>
            <ul>{links}</ul>
        </nav>
    }
}
