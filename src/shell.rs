//! The frame around the screens: title, language switch and navigation.

use leptos::prelude::*;

use crate::events::EventsScreen;
use crate::figures::FiguresPanel;
use crate::i18n::use_i18n;
use crate::report::ReportScreen;

/// The screens a visitor can move between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Events,
    Figures,
    Report,
}

impl Screen {
    /// Every screen, in navigation order.
    pub const ALL: [Screen; 3] = [Screen::Events, Screen::Figures, Screen::Report];

    /// The message key of the screen's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Screen::Events => "nav.events",
            Screen::Figures => "nav.figures",
            Screen::Report => "nav.report",
        }
    }

    /// The `data-testid` of the screen's navigation button.
    pub fn testid(self) -> &'static str {
        match self {
            Screen::Events => "nav-events",
            Screen::Figures => "nav-figures",
            Screen::Report => "nav-report",
        }
    }
}

/// The header, the navigation and the current screen.
#[component]
pub fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let screen = RwSignal::new(Screen::Events);
    let on_lang = move |_| i18n.toggle();
    let nav = Screen::ALL
        .into_iter()
        .map(|s| {
            view! {
                <button
                    type="button"
                    class="omk-tab"
                    aria-current=move || (screen.get() == s).then_some("page")
                    on:click=move |_| screen.set(s)
                    data-testid=s.testid()
                >
                    {move || i18n.t(s.label_key())}
                </button>
            }
        })
        .collect_view();

    view! {
        <header class="omk-header">
            <div>
                <h1 class="omk-title">{move || i18n.t("app.title")}</h1>
                <p class="omk-subtitle">{move || i18n.t("app.subtitle")}</p>
            </div>
            <button
                type="button"
                class="omk-lang"
                on:click=on_lang
                aria-label=move || i18n.t("lang.switch_label")
                data-testid="lang-toggle"
            >
                {move || i18n.t("lang.switch")}
            </button>
        </header>
        <nav class="omk-nav" aria-label=move || i18n.t("nav.label")>{nav}</nav>
        <main class="omk-main">
            {move || match screen.get() {
                Screen::Events => view! { <EventsScreen /> }.into_any(),
                Screen::Figures => view! { <FiguresPanel /> }.into_any(),
                Screen::Report => view! { <ReportScreen /> }.into_any(),
            }}
        </main>
    }
}
