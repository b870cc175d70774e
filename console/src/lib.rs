//! Open Month Kiosk, the operators' console: the inbox of issues and their workflow, the
//! month's cycle, the mayor's mailbox, opinion collections, the figures, and for admins the
//! program, reference data, accounts and the audit log; each role sees only its screens. It
//! talks to the server on its own origin through `client`, with the operator's session.

pub mod audit;
pub mod client;
pub mod collections;
pub mod cycle;
pub mod feedback;
pub mod figures;
pub mod format;
pub mod i18n;
pub mod inbox;
pub mod issue;
pub mod kit;
pub mod labels;
pub mod letters;
pub mod names;
pub mod operators;
pub mod program;
pub mod promotion;
pub mod reference;
pub mod screen;
pub mod session;
pub mod shell;
pub mod signin;

use leptos::prelude::*;
use leptos::task::spawn_local;
use omk_api::Session;

use crate::client::{ApiError, Client};
use crate::i18n::{provide_i18n, use_i18n};
use crate::kit::Loading;
use crate::names::provide_names;
use crate::screen::{Screen, ScreenHeading, message, provide_navigation, use_navigation};
use crate::session::{Auth, AuthState, SignedOutReason, use_auth};
use crate::shell::{Header, MAIN_ID, Navigation, SkipLink};
use crate::signin::SignInScreen;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_i18n();
    let auth = Auth::provide();
    let client = Client::provide(auth, i18n);
    provide_navigation();
    provide_names(client, auth);
    // Whether the browser already holds a session (the cookie is HttpOnly: only the server knows).
    spawn_local(async move {
        match client.get::<Session>("/session").await {
            Ok(session) => auth.signed_in(session),
            Err(ApiError::Network) => auth.signed_out(SignedOutReason::Unreachable),
            Err(_) => auth.signed_out(SignedOutReason::NotSignedIn),
        }
    });
    let body = move || match auth.state() {
        AuthState::Checking => view! {
            <SkipLink />
            <main id=MAIN_ID tabindex="-1">
                <ScreenHeading text=message("app.name") />
                <Loading />
            </main>
        }
        .into_any(),
        AuthState::SignedOut(reason) => view! {
            <SkipLink />
            <SignInScreen reason />
        }
        .into_any(),
        AuthState::SignedIn(_) => view! {
            <SkipLink />
            <Console />
        }
        .into_any(),
    };
    // Each state draws its own skip link: a new state reads as a new page, and the first
    // Tab stop of a new page is the skip link.
    view! { {body} }
}

/// A signed-in operator's console: header, navigation and the current screen.
#[component]
fn Console() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigation = use_navigation();
    let screen = move || {
        let screen = navigation.current();
        if !auth.role().is_some_and(|role| screen.visible_to(role)) {
            return view! {
                <ScreenHeading text=message(screen.label_key()) />
                <p class="alert" role="alert" data-testid="not-allowed">{move || i18n.t("shell.not_for_role")}</p>
            }
            .into_any();
        }
        match screen {
            Screen::Inbox => view! { <inbox::InboxScreen /> }.into_any(),
            Screen::Issue(number) => view! { <issue::IssueScreen number /> }.into_any(),
            Screen::Figures => view! { <figures::FiguresScreen /> }.into_any(),
            Screen::Program => view! { <program::ProgramScreen /> }.into_any(),
            Screen::Reference => view! { <reference::ReferenceScreen /> }.into_any(),
            Screen::Operators => view! { <operators::OperatorsScreen /> }.into_any(),
            Screen::Audit => view! { <audit::AuditScreen /> }.into_any(),
            Screen::Cycle => view! { <cycle::CycleScreen /> }.into_any(),
            Screen::Letters => view! { <letters::LettersScreen /> }.into_any(),
            Screen::Collections => view! { <collections::CollectionsScreen /> }.into_any(),
        }
    };
    view! {
        <Header />
        <Navigation />
        <main id=MAIN_ID tabindex="-1">{screen}</main>
    }
}

/// Mounts the console on the page's body. A panic is written to the browser's console
/// before the program stops, so that an operator's report (and a browser test) says where.
pub fn mount() {
    std::panic::set_hook(Box::new(|panic| {
        web_sys::console::error_1(&format!("the console stopped: {panic}").into());
    }));
    leptos::mount::mount_to_body(App);
}
