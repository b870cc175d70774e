//! The parts of the widget fetched on first use: the visitor session (navigation and idle
//! guard), every screen and the hall display, in one chunk. The first load carries only the frame and the
//! attract screen.

// The split point is a foreign function: `wasm_split` links the screens' chunk through an
// import and an export it generates, which is the only unsafe code in the widget.
#![allow(unsafe_code)]

use leptos::prelude::*;

use crate::display_view::DisplayScreen;
use crate::events::EventsScreen;
use crate::figures::FiguresPanel;
use crate::i18n::use_i18n;
use crate::kiosk::IdleGuard;
use crate::kiosk::idle::IdlePolicy;
use crate::lookup::LookupScreen;
use crate::mailbox::MailboxScreen;
use crate::rate::RateScreen;
use crate::report::ReportScreen;
use crate::shell::{Screen, Shell};
use crate::vote::VoteScreen;

/// A part of the widget that is fetched on first use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A visitor's session on the kiosk: navigation, the current screen and the idle guard.
    Session,
    /// One screen on its own.
    Screen(Screen),
    /// The hall display, cycling its panels on its own.
    Display,
}

/// A part's code could not be fetched (the network is down); a later try starts afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the screen's code could not be fetched")]
pub struct ScreenUnavailable;

impl From<leptos::wasm_split::SplitLoaderError> for ScreenUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ScreenUnavailable
    }
}

/// Builds a part's view; the function lives in the screens' chunk.
pub type Builder = fn(Part) -> AnyView;

/// Every part's view. Reached only through [`load`], so with the `split` feature all of it (and
/// what only it uses) moves into one chunk, fetched once: one request instead of a chunk per
/// screen plus the many small chunks the screens would share.
fn build(part: Part) -> AnyView {
    match part {
        Part::Session => view! {
            <IdleGuard policy={expect_context::<IdlePolicy>()} />
            <Shell />
        }
        .into_any(),
        Part::Display => view! { <DisplayScreen /> }.into_any(),
        Part::Screen(Screen::Events) => view! { <EventsScreen /> }.into_any(),
        Part::Screen(Screen::Figures) => view! { <FiguresPanel /> }.into_any(),
        Part::Screen(Screen::Rate) => view! { <RateScreen /> }.into_any(),
        Part::Screen(Screen::Report) => view! { <ReportScreen /> }.into_any(),
        Part::Screen(Screen::Lookup) => view! { <LookupScreen /> }.into_any(),
        Part::Screen(Screen::Vote) => view! { <VoteScreen /> }.into_any(),
        Part::Screen(Screen::Mailbox) => view! { <MailboxScreen /> }.into_any(),
    }
}

/// The split point: with the `split` feature, the first call fetches the screens' chunk.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(omk_screens, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_screens))]
fn screens() -> Result<Builder, ScreenUnavailable> {
    Ok(build)
}

#[cfg(not(feature = "split"))]
async fn screens() -> Result<Builder, ScreenUnavailable> {
    Ok(build)
}

#[cfg(not(feature = "split"))]
async fn preload_screens() -> Result<(), leptos::wasm_split::SplitLoaderError> {
    Ok(())
}

/// The builder of every part, fetching the screens' code first if it is not here yet.
pub async fn load() -> Result<Builder, ScreenUnavailable> {
    screens().await
}

/// Fetches the screens' code in the background, so that a kiosk that later loses its network
/// still opens every screen. A failure is left for [`load`] to report when a screen is opened.
pub fn prefetch_all() {
    leptos::task::spawn_local(async {
        let _ = preload_screens().await;
    });
}

/// One part: a short "loading" line while its code arrives, and a retry if it cannot.
#[component]
pub fn LazyView(
    /// The part to show.
    part: Part,
) -> impl IntoView {
    let i18n = use_i18n();
    // `None` while the code is on its way.
    let loaded = RwSignal::new(None::<Result<Builder, ScreenUnavailable>>);
    let fetch = move || {
        leptos::task::spawn_local(async move {
            let result = load().await;
            // The view may be gone by now (an idle reset); then there is nothing to show.
            loaded.try_set(Some(result));
        });
    };
    fetch();
    let retry = move |_| {
        loaded.set(None);
        fetch();
    };
    move || match loaded.get() {
        None => {
            view! { <p class="omk-loading" role="status">{move || i18n.t("screen.loading")}</p> }
                .into_any()
        }
        Some(Ok(build)) => build(part),
        Some(Err(ScreenUnavailable)) => view! {
            <div class="omk-unavailable" role="alert" data-testid="screen-unavailable">
                <p>{move || i18n.t("screen.unavailable")}</p>
                <button type="button" class="omk-primary" data-testid="screen-retry" on:click=retry>
                    {move || i18n.t("screen.retry")}
                </button>
            </div>
        }
        .into_any(),
    }
}
