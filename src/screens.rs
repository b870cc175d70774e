//! The parts of the widget fetched on first use: the visitor session (navigation and idle
//! guard) and each screen. The first load carries only the frame and the attract screen.

// The split points are foreign functions: `wasm_split` links each screen's chunk through an
// import and an export it generates, which is the only unsafe code in the widget.
#![allow(unsafe_code)]

use leptos::prelude::*;

use crate::events::EventsScreen;
use crate::figures::FiguresPanel;
use crate::i18n::use_i18n;
use crate::kiosk::IdleGuard;
use crate::kiosk::idle::IdlePolicy;
use crate::lookup::LookupScreen;
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

/// Builds a part's view; the function lives in the part's chunk.
pub type Builder = fn() -> AnyView;

/// Declares a screen's loader. With the `split` feature (release bundles) the screen's code
/// moves into a chunk that is fetched on the first call; without it the call is immediate.
macro_rules! split_screen {
    ($chunk:ident, $load:ident, $preload:ident, $view:expr) => {
        #[cfg(feature = "split")]
        #[leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $load() -> Result<Builder, ScreenUnavailable> {
            Ok(|| $view.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $load() -> Result<Builder, ScreenUnavailable> {
            Ok(|| $view.into_any())
        }

        #[cfg(not(feature = "split"))]
        async fn $preload() -> Result<(), leptos::wasm_split::SplitLoaderError> {
            Ok(())
        }
    };
}

split_screen!(
    omk_session,
    load_session,
    preload_session,
    view! {
        <IdleGuard policy={expect_context::<IdlePolicy>()} />
        <Shell />
    }
);
split_screen!(
    omk_events,
    load_events,
    preload_events,
    view! { <EventsScreen /> }
);
split_screen!(
    omk_figures,
    load_figures,
    preload_figures,
    view! { <FiguresPanel /> }
);
split_screen!(omk_rate, load_rate, preload_rate, view! { <RateScreen /> });
split_screen!(
    omk_report,
    load_report,
    preload_report,
    view! { <ReportScreen /> }
);
split_screen!(
    omk_lookup,
    load_lookup,
    preload_lookup,
    view! { <LookupScreen /> }
);
split_screen!(omk_vote, load_vote, preload_vote, view! { <VoteScreen /> });

/// The builder of `part`, fetching its code first if it is not here yet.
pub async fn load(part: Part) -> Result<Builder, ScreenUnavailable> {
    let screen = match part {
        Part::Session => return load_session().await,
        Part::Screen(screen) => screen,
    };
    match screen {
        Screen::Events => load_events().await,
        Screen::Figures => load_figures().await,
        Screen::Rate => load_rate().await,
        Screen::Report => load_report().await,
        Screen::Lookup => load_lookup().await,
        Screen::Vote => load_vote().await,
    }
}

/// Fetches every screen's code in the background, so that a kiosk that later loses its network
/// still opens every screen. Failures are left for [`load`] to report when a screen is opened.
pub fn prefetch_all() {
    leptos::task::spawn_local(async {
        let _ = preload_session().await;
        let _ = preload_events().await;
        let _ = preload_figures().await;
        let _ = preload_rate().await;
        let _ = preload_report().await;
        let _ = preload_lookup().await;
        let _ = preload_vote().await;
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
            let result = load(part).await;
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
        Some(Ok(build)) => build(),
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
