//! Unattended-kiosk behaviour: the visitor session, idle detection with a
//! "still there?" warning, and the reset that wipes everything typed and
//! returns to the attract screen.

pub mod attract;
pub mod cooldown;
pub mod idle;

use std::time::Duration;

use leptos::prelude::*;
use omk_api::Lang;

use crate::display::{Display, use_display};
use crate::figures::use_clock;
use crate::i18n::{I18n, use_i18n};
use crate::page_signal::PageSignal;
use crate::speech;

use idle::{IdlePhase, IdlePolicy};

/// One visitor's session. A reset starts a new one: every screen is rebuilt
/// from nothing, so no typed text survives it.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// Bumped on every reset; screens re-render from scratch when it changes.
    pub generation: PageSignal<u32>,
    /// Whether the attract screen is showing.
    pub attract: PageSignal<bool>,
    /// The topic this session voted for, if any (one vote per session).
    pub voted: PageSignal<Option<String>>,
    /// Whether this session has evaluated the month's result (one evaluation per session).
    pub evaluated: PageSignal<bool>,
    /// How many idle guards watch this session now: more than none while a visitor's session
    /// is on a kiosk, none on a single screen (a phone's view) or on the attract screen.
    idle_guards: PageSignal<u32>,
    last_input: PageSignal<f64>,
    default_lang: Lang,
    i18n: I18n,
    display: Display,
}

impl Session {
    /// Records input now.
    pub fn touch(&self) {
        self.last_input.set(js_sys::Date::now());
    }

    /// Whether an idle guard would reset this session once nobody touches it: `"armed"` or
    /// `"off"`, as the widget's root shows it in `data-idle`.
    pub fn idle_state(&self) -> &'static str {
        if self.idle_guards.get() > 0 {
            "armed"
        } else {
            "off"
        }
    }

    /// Leaves the attract screen for the first screen.
    pub fn start(&self) {
        self.touch();
        self.attract.set(false);
    }

    /// Wipes the session: screens, vote, language, display modes and session
    /// storage, then shows the attract screen.
    pub fn reset(&self) {
        speech::stop();
        self.voted.set(None);
        self.evaluated.set(false);
        self.generation.update(|g| *g = g.wrapping_add(1));
        self.attract.set(true);
        self.i18n.set(self.default_lang);
        self.display.reset();
        if let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = storage.clear();
        }
        self.touch();
    }
}

/// Creates the session context. `attract` says whether to start on the attract screen.
pub fn provide_session(default_lang: Lang, attract: bool) -> Session {
    let session = Session {
        i18n: use_i18n(),
        display: use_display(),
        generation: PageSignal::new(0),
        attract: PageSignal::new(attract),
        voted: PageSignal::new(None),
        evaluated: PageSignal::new(false),
        idle_guards: PageSignal::new(0),
        last_input: PageSignal::new(js_sys::Date::now()),
        default_lang,
    };
    provide_context(session);
    session
}

/// The session of the enclosing widget.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Watches for idleness while a visitor is using the kiosk: shows the warning
/// with its countdown, and resets the session when it runs out.
#[component]
pub fn IdleGuard(
    /// When to warn and when to reset.
    policy: IdlePolicy,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Counted rather than set, so a guard built before the last one is dropped (a reset
    // rebuilds the session) leaves the session guarded.
    session.idle_guards.update(|n| *n = n.saturating_add(1));
    on_cleanup(move || session.idle_guards.update(|n| *n = n.saturating_sub(1)));
    let now = use_clock(Duration::from_millis(500));
    let phase = move || {
        if session.attract.get() {
            IdlePhase::Active
        } else {
            policy.phase(now.get() - session.last_input.get())
        }
    };
    Effect::new(move |_| {
        if phase() == IdlePhase::Expired {
            session.reset();
        }
    });
    let on_stay = move |_| session.touch();
    let warning = move || match phase() {
        IdlePhase::Warning { secs_left } => Some(secs_left),
        _ => None,
    };
    let stay = NodeRef::<leptos::html::Button>::new();
    Effect::new(move |_| {
        if warning().is_some()
            && let Some(button) = stay.get()
        {
            let _ = button.focus();
        }
    });

    view! {
        <Show when=move || warning().is_some()>
            <div class="omk-overlay">
                <div
                    class="omk-dialog"
                    role="alertdialog"
                    aria-modal="true"
                    aria-labelledby="omk-idle-title"
                    aria-describedby="omk-idle-text"
                    data-testid="idle-warning"
                >
                    <h2 id="omk-idle-title">{move || i18n.t("idle.title")}</h2>
                    <p id="omk-idle-text" aria-live="assertive">
                        {move || {
                            let secs = warning().unwrap_or_default().to_string();
                            i18n.format("idle.countdown", &[("n", &secs)])
                        }}
                    </p>
                    <button type="button" class="omk-primary" node_ref=stay on:click=on_stay data-testid="idle-stay">
                        {move || i18n.t("idle.stay")}
                    </button>
                </div>
            </div>
        </Show>
    }
}
