//! The hall display's panels, one entry each in [`PANELS`]: its name, its heading, whether it
//! has something to show, and its view. Adding a panel is adding an entry; each panel offers
//! a QR code to act on a phone.

use leptos::prelude::*;
use omk_api::{CycleView, Event, EventPage, PublishedPage, UnitScore};

use crate::client::stream::LiveFeed;
use crate::client::{Backend, Fresh};
use crate::figures::Tiles;
use crate::format;
use crate::i18n::use_i18n;

use super::program::still_on;

/// Units the ranking panel names: few enough to read from across a hall.
const RANKED: usize = 5;

/// What the panels show: the live figures, the program, the backend (for QR codes) and the
/// time.
#[derive(Debug, Clone)]
pub struct Sources {
    pub live: LiveFeed,
    /// Today's events not yet ended, with when they were saved if they come from the cache.
    pub today: RwSignal<Option<Fresh<EventPage>>>,
    /// The next events, from tomorrow on.
    pub next: RwSignal<Option<Fresh<EventPage>>>,
    /// The month's question at its current stage.
    pub cycle: RwSignal<Option<Fresh<CycleView>>>,
    /// The mailbox's latest published letters.
    pub letters: RwSignal<Option<Fresh<PublishedPage>>>,
    pub backend: Backend,
    /// `Date.now()` milliseconds, ticking.
    pub now: ReadSignal<f64>,
}

impl Sources {
    fn now_secs(&self) -> i64 {
        (self.now.get() / 1000.0) as i64
    }

    fn events(&self, page: RwSignal<Option<Fresh<EventPage>>>) -> Vec<Event> {
        let now = self.now_secs();
        page.with(|p| p.as_ref().map(|f| still_on(&f.value.items, now)))
            .unwrap_or_default()
    }
}

/// One panel of the rotation.
#[derive(Debug, Clone, Copy)]
pub struct PanelEntry {
    /// The `data-panel` value.
    pub name: &'static str,
    /// The message key of its heading.
    pub heading: &'static str,
    /// Whether it has something to show now (tracked, so the first panel can wait for data).
    pub ready: fn(&Sources) -> bool,
    /// Its body, below the heading.
    pub view: fn(&Sources) -> AnyView,
}

/// The panels, in the order they are shown.
pub const PANELS: &[PanelEntry] = &[
    PanelEntry {
        name: "figures",
        heading: "display.figures",
        ready: |s| s.live.metrics.with(Option::is_some),
        view: figures,
    },
    PanelEntry {
        name: "today",
        heading: "display.today",
        ready: |s| !s.events(s.today).is_empty(),
        view: |s| events(s, s.today),
    },
    PanelEntry {
        name: "ranking",
        heading: "display.ranking",
        ready: |s| {
            s.live
                .metrics
                .with(|m| m.as_ref().is_some_and(|m| !m.ranking.is_empty()))
        },
        view: ranking,
    },
    PanelEntry {
        name: "next",
        heading: "display.next",
        ready: |s| !s.events(s.next).is_empty(),
        view: |s| events(s, s.next),
    },
    PanelEntry {
        name: "question",
        heading: "display.question",
        ready: super::stage::ready,
        view: super::stage::panel,
    },
    PanelEntry {
        name: "replies",
        heading: "display.replies",
        ready: super::replies::ready,
        view: super::replies::panel,
    },
    PanelEntry {
        name: "rate",
        heading: "display.rate",
        ready: |_| true,
        view: rate,
    },
];

/// The headline rates and counters, live.
fn figures(s: &Sources) -> AnyView {
    let live = s.live;
    let qr = s.backend.url("/metrics/qr.svg");
    view! {
        <div class="omk-hall-body">
            <div class="omk-hall-content">
                {move || live.metrics.get().map(|m| view! { <Tiles metrics=m /> })}
            </div>
            <PhoneCode src=qr caption="display.scan_figures" />
        </div>
    }
    .into_any()
}

/// The units with the most satisfied ratings, live.
fn ranking(s: &Sources) -> AnyView {
    let live = s.live;
    let qr = s.backend.url("/metrics/qr.svg");
    let rows = move || {
        live.metrics.with(|m| {
            m.as_ref()
                .map(|m| m.ranking.iter().take(RANKED).cloned().collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="omk-hall-body">
            <ol class="omk-hall-ranking omk-hall-content" data-testid="display-ranking">
                <For each=rows key=|u| (u.unit.clone(), u.ratings, u.satisfaction_rate.to_bits()) let(unit)>
                    <RankRow unit=unit />
                </For>
            </ol>
            <PhoneCode src=qr caption="display.scan_figures" />
        </div>
    }
    .into_any()
}

/// One unit of the ranking: its name, rate and how many ratings it rests on.
#[component]
fn RankRow(
    /// The unit's standing.
    unit: UnitScore,
) -> impl IntoView {
    let i18n = use_i18n();
    let n = format::count(unit.ratings);
    view! {
        <li>
            <span class="omk-hall-unit">{unit.unit}</span>
            <span class="omk-hall-rate">{format::rate(Some(unit.satisfaction_rate))}</span>
            <span class="omk-hall-n">{move || i18n.format("display.ratings_n", &[("n", &n)])}</span>
        </li>
    }
}

/// A few events, with the first one's QR code (its page in the program, with a calendar
/// entry), and the age of the program when it comes from the cache.
fn events(s: &Sources, page: RwSignal<Option<Fresh<EventPage>>>) -> AnyView {
    let i18n = use_i18n();
    let list = s.events(page);
    let saved_at = page.with_untracked(|p| p.as_ref().and_then(|f| f.stored_at));
    let now = s.now;
    let saved = saved_at.map(|at| {
        view! {
            <p class="omk-hall-saved" data-testid="display-program-saved">
                {move || i18n.format("display.program_saved", &[("age", &format::age(i18n.lang(), now.get() - at))])}
            </p>
        }
    });
    let featured = list.first().map(|e| {
        let title = e.title.clone();
        let qr = s.backend.url(&format!("/events/{}/qr.svg", e.id));
        view! { <PhoneCode src=qr caption="display.scan_event" title=title /> }
    });
    let items = list
        .into_iter()
        .map(|e| {
            let (starts_at, ends_at) = (e.starts_at, e.ends_at);
            view! {
                <li data-testid="display-event">
                    <strong>{e.title}</strong>
                    <span>{move || format::event_span(i18n.lang(), starts_at, ends_at)}</span>
                    <span>{e.unit}" · "{e.place}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="omk-hall-body">
            <div class="omk-hall-content">
                <ul class="omk-hall-events">{items}</ul>
                {saved}
            </div>
            {featured}
        </div>
    }
    .into_any()
}

/// The call to rate today's service, on a phone.
fn rate(s: &Sources) -> AnyView {
    let i18n = use_i18n();
    let qr = s.backend.url("/ratings/qr.svg");
    view! {
        <div class="omk-hall-body">
            <div class="omk-hall-content">
                <p class="omk-hall-lead">{move || i18n.t("display.rate_lead")}</p>
                <p>{move || i18n.t("display.rate_levels")}</p>
            </div>
            <PhoneCode src=qr caption="display.scan_rate" />
        </div>
    }
    .into_any()
}

/// A QR code to scan with a phone, with what it opens.
#[component]
pub fn PhoneCode(
    /// The QR code's image.
    src: String,
    /// The message key of what scanning it does.
    caption: &'static str,
    /// The event's title, when the caption names one.
    #[prop(optional)]
    title: String,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <figure class="omk-hall-qr">
            <img src=src alt=move || i18n.t("display.qr") data-testid="display-qr" />
            <figcaption>{move || i18n.format(caption, &[("title", &title)])}</figcaption>
        </figure>
    }
}
