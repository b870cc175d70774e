//! The hall display (`view=display`): a big screen nobody touches that cycles its panels on its
//! own (live figures, today's and the next events, the ranking, the month's question at its
//! stage, the mailbox's latest public replies, a call to rate), each with a QR
//! code to act on a phone, readable from three metres, moving a little so nothing marks the
//! screen, and showing its last figures with their age while it reconnects by itself.

pub mod freshness;
pub mod panels;
pub mod program;
pub mod replies;
pub mod rotation;
pub mod stage;

use std::time::Duration;

use leptos::prelude::*;
use omk_api::{CycleView, EventPage, PublishedPage};

use crate::client::stream::use_live_feed;
use crate::client::{Backend, Fresh};
use crate::figures::use_clock;
use crate::format;
use crate::i18n::use_i18n;

use freshness::Freshness;
use panels::{PANELS, Sources};

/// How often the display reads the program again.
const PROGRAM_EVERY: Duration = Duration::from_secs(60);

/// How long each panel stays, from the widget's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisplayPolicy {
    pub dwell_secs: u32,
}

/// The hall display.
#[component]
pub fn DisplayScreen() -> impl IntoView {
    let i18n = use_i18n();
    let policy = expect_context::<DisplayPolicy>();
    let backend = expect_context::<Backend>();
    let live = use_live_feed();
    let now = use_clock(Duration::from_secs(1));
    let today = RwSignal::new(None::<Fresh<EventPage>>);
    let next = RwSignal::new(None::<Fresh<EventPage>>);
    let cycle = RwSignal::new(None::<Fresh<CycleView>>);
    let letters = RwSignal::new(None::<Fresh<PublishedPage>>);

    let load = {
        let backend = backend.clone();
        move || {
            let backend = backend.clone();
            leptos::task::spawn_local(async move {
                let secs = (js_sys::Date::now() / 1000.0) as i64;
                for (query, into) in [
                    (program::today_query(secs), today),
                    (program::next_query(secs), next),
                ] {
                    let path = format!("/events?{}", query.to_query_string());
                    // A failure with nothing saved keeps what is on screen.
                    if let Ok(fresh) = backend.get_fresh::<EventPage>(&path).await {
                        into.try_set(Some(fresh));
                    }
                }
                match backend.get_fresh::<CycleView>("/cycle").await {
                    Ok(fresh) => {
                        cycle.try_set(Some(fresh));
                    }
                    // No cycle now: the panel steps aside.
                    Err(e) if e.kind() == Some(omk_api::ProblemKind::NotFound) => {
                        cycle.try_set(None);
                    }
                    Err(_) => {}
                }
                let path = crate::mailbox::replies::latest_path(replies::SHOWN);
                if let Ok(fresh) = backend.get_fresh::<PublishedPage>(&path).await {
                    letters.try_set(Some(fresh));
                }
            });
        }
    };
    load();
    if let Ok(handle) = set_interval_with_handle(load, PROGRAM_EVERY) {
        on_cleanup(move || handle.clear());
    }

    let sources = Sources {
        live,
        today,
        next,
        cycle,
        letters,
        backend,
        now,
    };
    let current = RwSignal::new(None::<usize>);
    let step = RwSignal::new(0u64);
    let ready = {
        let sources = sources.clone();
        move || {
            PANELS
                .iter()
                .map(|p| (p.ready)(&sources))
                .collect::<Vec<_>>()
        }
    };
    // Until the first turn, the first panel with something to show, as data arrives.
    Effect::new({
        let ready = ready.clone();
        move |_| {
            let ready = ready();
            let first = rotation::first(&ready);
            if step.get_untracked() == 0 && current.get_untracked() != first {
                current.set(first);
            }
        }
    });
    let turn = move || {
        let ready = untrack(&ready);
        let shown = current.get_untracked();
        let then = match shown {
            Some(at) => rotation::next(at, &ready),
            None => rotation::first(&ready),
        };
        // A lone panel stays as it is: no rebuild, no fade.
        if then != shown {
            current.set(then);
        }
        step.update(|s| *s += 1);
    };
    let dwell = Duration::from_secs(u64::from(policy.dwell_secs));
    if let Ok(handle) = set_interval_with_handle(turn, dwell) {
        on_cleanup(move || handle.clear());
    }

    let freshness = move || Freshness::of(live.state.get(), live.received_at.get(), now.get());
    let status = move || {
        let f = freshness();
        let age = f
            .age_ms()
            .map(|ms| format::age(i18n.lang(), ms))
            .unwrap_or_default();
        i18n.format(f.key(), &[("age", &age)])
    };
    let clock = move || format::day(i18n.lang(), (now.get() / 1000.0) as i64);
    let name = move || current.get().map_or("none", |i| PANELS[i].name);
    let shift = move || {
        let (x, y) = rotation::drift(step.get());
        format!("transform: translate({x}px, {y}px)")
    };
    let below = move || {
        if rotation::header_below(step.get(), PANELS.len()) {
            "below"
        } else {
            "above"
        }
    };
    let panel = move || {
        current.get().map(|i| {
            let entry = PANELS[i];
            view! {
                <section class="omk-hall-panel" data-panel=entry.name aria-labelledby="omk-hall-heading">
                    <h2 id="omk-hall-heading">{move || i18n.t(entry.heading)}</h2>
                    // Built once a turn: what changes within it (the figures) is live inside.
                    {untrack(|| (entry.view)(&sources))}
                </section>
            }
        })
    };

    view! {
        <div
            class="omk-hall"
            data-testid="display"
            data-panel=name
            data-step=move || step.get().to_string()
            data-header=below
            style=shift
        >
            <header class="omk-hall-head">
                <h1 class="omk-hall-title">{move || i18n.t("app.title")}</h1>
                <p class="omk-hall-clock" data-testid="display-clock">{clock}</p>
                <p
                    class="omk-hall-age"
                    class:omk-stale=move || freshness().is_offline()
                    data-testid="display-age"
                    data-freshness=move || freshness().name()
                >
                    {status}
                </p>
            </header>
            {panel}
        </div>
    }
}
