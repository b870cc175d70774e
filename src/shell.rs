//! The frame around the screens: title, display and language switches,
//! navigation, and the screen a visitor is on.

use leptos::prelude::*;
use omk_web::choices::{Choice, ChoiceGroup, Look, Marked};

use crate::config::View;
use crate::display::DisplayToggles;
use crate::i18n::use_i18n;
use crate::outbox::use_outbox;
use crate::screens::{LazyView, Part};

/// The screens a visitor can move between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Events,
    Figures,
    Rate,
    Report,
    Lookup,
    Vote,
    /// The mayor's mailbox and opinion collections.
    Mailbox,
}

impl Screen {
    /// The screen a single-view embed shows, if the view is one screen.
    pub fn for_view(view: View) -> Option<Screen> {
        match view {
            View::Kiosk | View::Display => None,
            View::Events => Some(Screen::Events),
            View::Figures => Some(Screen::Figures),
            View::Report => Some(Screen::Report),
            View::Rate => Some(Screen::Rate),
            View::Vote => Some(Screen::Vote),
            View::Lookup => Some(Screen::Lookup),
            View::Mailbox => Some(Screen::Mailbox),
        }
    }
}

/// The navigation between screens.
const NAV: Look = Look {
    marked: Marked::Current,
    class: "omk-nav",
    button_class: "omk-tab",
};

impl Choice for Screen {
    /// Every screen, in navigation order.
    const CHOICES: &'static [Screen] = &[
        Screen::Events,
        Screen::Figures,
        Screen::Rate,
        Screen::Report,
        Screen::Lookup,
        Screen::Vote,
        Screen::Mailbox,
    ];

    /// The message key of the screen's name.
    fn label_key(self) -> &'static str {
        match self {
            Screen::Events => "nav.events",
            Screen::Figures => "nav.figures",
            Screen::Rate => "nav.rate",
            Screen::Report => "nav.report",
            Screen::Lookup => "nav.lookup",
            Screen::Vote => "nav.vote",
            Screen::Mailbox => "nav.mailbox",
        }
    }

    /// The `data-testid` of the screen's navigation button.
    fn testid(self) -> String {
        let name = match self {
            Screen::Events => "events",
            Screen::Figures => "figures",
            Screen::Rate => "rate",
            Screen::Report => "report",
            Screen::Lookup => "lookup",
            Screen::Vote => "vote",
            Screen::Mailbox => "mailbox",
        };
        format!("nav-{name}")
    }
}

/// The header: title, display modes, language.
#[component]
pub fn Header(
    /// The main region, for read-aloud.
    main: NodeRef<leptos::html::Main>,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_lang = move |_| i18n.toggle();
    view! {
        <header class="omk-header">
            <div>
                <h1 class="omk-title">{move || i18n.t("app.title")}</h1>
                <p class="omk-subtitle">{move || i18n.t("app.subtitle")}</p>
            </div>
            <OutboxStatus />
            <div class="omk-switches">
                <DisplayToggles main=main />
                <button
                    type="button"
                    class="omk-lang"
                    lang=move || i18n.lang().other().tag()
                    on:click=on_lang
                    aria-label=move || i18n.t("lang.switch_label")
                    data-testid="lang-toggle"
                >
                    {move || i18n.t("lang.switch")}
                </button>
            </div>
        </header>
    }
}

/// How many writes are saved and still waiting, when any are, and how many unsent ones
/// with contact details were deleted after a day, when any were.
#[component]
pub fn OutboxStatus() -> impl IntoView {
    let i18n = use_i18n();
    let outbox = use_outbox();
    let pending = move || {
        let n = outbox.pending();
        (n > 0).then(|| i18n.format("outbox.pending", &[("n", &n.to_string())]))
    };
    let expired = move || {
        let n = outbox.expired();
        let key = if n == 1 {
            "outbox.expired_one"
        } else {
            "outbox.expired"
        };
        (n > 0).then(|| i18n.format(key, &[("n", &n.to_string())]))
    };
    view! {
        <p class="omk-pending" role="status" data-testid="outbox-pending">{pending}</p>
        <p class="omk-pending" role="status" data-testid="outbox-expired">{expired}</p>
    }
}

/// Navigation between every screen, and the current one.
#[component]
pub fn Shell() -> impl IntoView {
    let i18n = use_i18n();
    let screen = RwSignal::new(Screen::Events);
    view! {
        <ChoiceGroup chosen=screen look=NAV label="nav.label" t=move |key| i18n.t(key) />
        {move || {
            let screen = screen.get();
            view! { <LazyView part=Part::Screen(screen) /> }
        }}
    }
}
