//! Open Month Kiosk, the widget: the month's open-government events, live
//! satisfaction figures, ratings, the month's question and an issue form,
//! talking to a configured backend.

pub mod client;
pub mod config;
pub mod cycle;
pub mod display;
pub mod display_view;
pub mod embed;
pub mod events;
pub mod figures;
pub mod form;
pub mod format;
pub mod i18n;
pub mod ids;
pub mod kiosk;
pub mod lookup;
pub mod mailbox;
pub mod origin;
pub mod outbox;
pub mod page_signal;
pub mod rate;
pub mod report;
pub mod screens;
pub mod shell;
pub mod speech;
pub mod visit;
pub mod vote;

use leptos::prelude::*;

use crate::client::Backend;
use crate::client::stream::provide_live_feed;
use crate::config::{ConfigError, Embedding, View, WidgetConfig};
use crate::display::provide_display_from;
use crate::display_view::DisplayPolicy;
use crate::i18n::{provide_i18n, use_i18n};
use crate::kiosk::attract::Attract;
use crate::kiosk::idle::IdlePolicy;
use crate::kiosk::provide_session;
use crate::outbox::provide_outbox;
use crate::screens::{LazyView, Part};
use crate::shell::{Header, Screen};

/// How long after start a kiosk fetches the code of every screen.
const PREFETCH_AFTER: std::time::Duration = std::time::Duration::from_secs(5);

/// The whole widget for one configuration.
#[component]
pub fn App(
    /// What the host asked for.
    config: WidgetConfig,
) -> impl IntoView {
    let backend = Backend::new(&config.backend);
    provide_context(backend.clone());
    provide_context(config.link.clone());
    let i18n = provide_i18n(config.lang);
    let display = provide_display_from(config.seniors, config.contrast);
    let feed = visit::FeedRelay::new(provide_live_feed(&backend));
    let outbox = provide_outbox(&backend);
    let kiosk = config.view == View::Kiosk;
    let session = provide_session(config.lang, kiosk);
    provide_context(DisplayPolicy {
        dwell_secs: config.dwell_secs,
    });
    provide_context(IdlePolicy {
        timeout_secs: config.idle_timeout_secs,
        warning_secs: config.idle_warning_secs,
    });
    if kiosk {
        // Every screen's code, fetched once the attract screen is up, so that a kiosk that
        // later loses its network still opens every screen.
        set_timeout(screens::prefetch_all, PREFETCH_AFTER);
    }
    let refresh_after = config.refresh_after_resets;
    // Not inside a host page's element: the page is the host's to reload.
    if kiosk && refresh_after > 0 && config.embedding != Embedding::Element {
        // Between visitors, after as many resets as the host asked for, the page starts afresh
        // (off by default: memory stays flat without it). Unsent writes stay in local storage
        // and are sent after it.
        Effect::new(move |_| {
            if session.generation.get() >= refresh_after
                && let Some(window) = web_sys::window()
            {
                let _ = window.location().reload();
            }
        });
    }
    // A new visitor sees no answers meant for the last one.
    Effect::new(move |previous: Option<u32>| {
        let generation = session.generation.get();
        if previous.is_some_and(|p| p != generation) {
            outbox.forget_outcomes();
        }
        generation
    });
    let main = NodeRef::<leptos::html::Main>::new();
    let root = NodeRef::<leptos::html::Div>::new();
    if config.embedding == Embedding::Frame {
        embed::use_frame_height(root);
    }
    let embedded = config.embedding != Embedding::Page;
    // A hall's screen nobody touches: its own header, no switches, no navigation.
    let hall = config.view == View::Display;
    let touched = move || session.touch();
    let body = move || {
        // A new session rebuilds every screen from nothing, with its own copy of the live feed.
        session.generation.track();
        feed.provide_copy();
        if hall {
            return view! { <LazyView part=Part::Display /> }.into_any();
        }
        match (Screen::for_view(config.view), session.attract.get()) {
            (Some(screen), _) => view! { <LazyView part=Part::Screen(screen) /> }.into_any(),
            (None, true) => view! { <Attract /> }.into_any(),
            (None, false) => view! { <LazyView part=Part::Session /> }.into_any(),
        }
    };

    view! {
        <div
            class="omk"
            class:omk-embedded=embedded
            class:omk-hall-screen=hall
            node_ref=root
            class:omk-seniors=move || display.seniors.get()
            class:omk-contrast=move || display.contrast.get()
            data-theme=config.theme.clone()
            data-idle=move || session.idle_state()
            lang=move || i18n.lang().tag()
            on:pointerdown=move |_| touched()
            on:keydown=move |_| touched()
            on:input=move |_| touched()
        >
            {(!hall).then(|| view! { <Header main=main /> })}
            <main class="omk-main" node_ref=main>{body}</main>
        </div>
    }
}

/// What shows instead of the widget when its configuration is unusable.
#[component]
pub fn ConfigProblem(
    /// The setting that could not be used.
    error: ConfigError,
) -> impl IntoView {
    provide_i18n(omk_api::Lang::ZhCn);
    let i18n = use_i18n();
    let detail = format!("{} = \"{}\"", error.key, error.value);
    let hint = error.reason.hint_key();
    view! {
        <div class="omk omk-config-error" role="alert" data-testid="config-error">
            <h1>{i18n.t("config.error_title")}</h1>
            <p data-testid="config-error-hint">{i18n.t(hint)}</p>
            <p lang="en">{omk_api::Messages::get(omk_api::Lang::En).text(hint)}</p>
            <pre>{detail}</pre>
        </div>
    }
}

/// Reads the configuration (config.json, then the query string) and mounts
/// the widget on the page's body, unless the page only hosts embedded widgets.
pub fn mount() {
    if embed::page_is_host() {
        return;
    }
    // The reactive executor starts with the first mount, so this task runs on
    // the plain browser executor.
    wasm_bindgen_futures::spawn_local(async {
        let config = load_config().await;
        match config {
            Ok(config) => mount_to_body(move || view! { <App config=config /> }),
            Err(error) => mount_to_body(move || view! { <ConfigProblem error=error /> }),
        }
    });
}

/// The page's configuration: defaults, `config.json` next to the page, then
/// the query string (which chooses the backend only where `config.json` allows it).
pub async fn load_config() -> Result<WidgetConfig, ConfigError> {
    let mut config = WidgetConfig::default();
    if let Some(json) = client::fetch_text("config.json").await {
        config.apply_json(&json)?;
    }
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let pairs = config::query_pairs(&search);
    config.apply_all_from_url(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    if embed::in_frame() {
        config.embedding = Embedding::Frame;
    }
    Ok(config)
}
