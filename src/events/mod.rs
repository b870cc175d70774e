//! The open-month program: filters, a paged list of events from the backend,
//! and the detail of one event with its QR code and registration; above it, the
//! registration a link's code names.

pub mod card;
pub mod detail;
mod filters;
pub mod registration;
pub mod when;

use leptos::prelude::*;
use omk_api::{Event, EventPage, EventQuery};

use crate::client::{Backend, ClientError};
use crate::config::DeepLink;
use crate::i18n::use_i18n;

use card::{EventCard, now_secs};
use detail::EventDetail;
use filters::{Filters, active_filters};
use when::{Days, When, bounded};

/// Number of pages for `total` items at `per_page` each (at least one).
pub fn page_count(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    (((total.max(0)) + per_page - 1) / per_page).max(1) as u32
}

/// The events screen: filters above a page of event cards, or one event's detail.
#[component]
pub fn EventsScreen() -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let when = RwSignal::new(When::Current);
    let days = RwSignal::new(Days::Any);
    let query = RwSignal::new(EventQuery {
        per_page: Some(12),
        ..EventQuery::default()
    });
    let selected = RwSignal::new(None::<Event>);
    // A link's event (a QR code scanned on a phone) opens at once; once closed, the list stays.
    let link = use_context::<DeepLink>();
    let registration = link.as_ref().and_then(|link| link.registration.clone());
    let linked = link.and_then(|link| link.event);
    let followed_link = linked.is_some();
    let open_linked = Action::new_local({
        let backend = backend.clone();
        move |id: &String| {
            let backend = backend.clone();
            let path = format!("/events/{}", omk_api::events::encode_component(id));
            async move { backend.get::<Event>(&path).await }
        }
    });
    if let Some(id) = linked {
        open_linked.dispatch(id);
    }
    let opening = move || followed_link && open_linked.value().with(Option::is_none);
    let missing = move || open_linked.value().get().and_then(Result::err);
    Effect::new(move |_| {
        if let Some(Ok(event)) = open_linked.value().get() {
            selected.set(Some(event));
        }
    });
    let filters_open = RwSignal::new(false);
    let active = move || active_filters(&query.get(), when.get(), days.get());
    let events = LocalResource::new(move || {
        let backend = backend.clone();
        let mut q = bounded(query.get(), when.get(), days.get(), now_secs());
        q.page = query.with(|q| q.page);
        let path = format!("/events?{}", q.to_query_string());
        async move { backend.get_fresh::<EventPage>(&path).await }
    });

    let list = move || {
        events.get().map(|result| match result {
            Ok(fresh) => view! {
                <Stale stored_at=fresh.stored_at />
                <EventList page=fresh.value query=query selected=selected />
            }
            .into_any(),
            Err(error) => view! {
                <p class="omk-error" role="alert" data-testid="events-error">
                    {move || i18n.t(error.message_key())}
                </p>
            }
            .into_any(),
        })
    };

    view! {
        <section class="omk-screen" aria-labelledby="omk-events-heading" data-testid="events-screen">
            <h2 id="omk-events-heading">{move || i18n.t("events.heading")}</h2>
            {registration.map(|code| view! { <registration::RegistrationPanel code /> })}
            {move || match (selected.get(), opening()) {
                (Some(event), _) => view! { <EventDetail event=event on_back=move || selected.set(None) /> }.into_any(),
                (None, true) => view! { <p class="omk-muted" role="status">{move || i18n.t("events.loading")}</p> }.into_any(),
                (None, false) => view! {
                    {move || missing().map(|error| view! { <LinkMissing error=error /> })}
                    <div class="omk-program">
                        <button
                            type="button"
                            class="omk-filter-toggle"
                            aria-expanded=move || filters_open.get().to_string()
                            aria-controls="omk-filters-panel"
                            on:click=move |_| filters_open.update(|open| *open = !*open)
                            data-testid="filter-toggle"
                        >
                            {move || match active() {
                                0 => i18n.t("events.filter").to_owned(),
                                n => i18n.format("events.filter_active", &[("n", &n.to_string())]),
                            }}
                        </button>
                        <div
                            id="omk-filters-panel"
                            class="omk-filters-panel"
                            class:omk-open=move || filters_open.get()
                            data-testid="filters-panel"
                        >
                            <Filters query=query when=when days=days />
                        </div>
                        <Transition fallback=move || view! { <p class="omk-muted">{move || i18n.t("events.loading")}</p> }>
                            {list}
                        </Transition>
                    </div>
                }
                .into_any(),
            }}
        </section>
    }
}

/// Says, in words, that the event a link named cannot be shown, above the program.
#[component]
fn LinkMissing(
    /// Why the event could not be read.
    error: ClientError,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = match error.kind() {
        Some(omk_api::ProblemKind::NotFound) => "events.not_found",
        _ => error.message_key(),
    };
    view! { <p class="omk-error" role="alert" data-testid="event-missing">{move || i18n.t(key)}</p> }
}

/// Says that what is shown was saved earlier, and how long ago, when the
/// backend cannot be reached.
#[component]
pub fn Stale(
    /// When the shown data was stored (`Date.now()` ms); `None` when live.
    stored_at: Option<f64>,
) -> impl IntoView {
    let i18n = use_i18n();
    stored_at.map(|at| {
        let age = move || crate::format::age(i18n.lang(), js_sys::Date::now() - at);
        view! {
            <p class="omk-stale-note" role="status" data-testid="stale-note">
                {move || i18n.format("offline.stale", &[("age", &age())])}
            </p>
        }
    })
}

/// One page of events with its total and paging buttons.
#[component]
fn EventList(
    /// The page to show.
    page: EventPage,
    /// The query, to move between pages.
    query: RwSignal<EventQuery>,
    /// Set to the event whose detail the visitor opens.
    selected: RwSignal<Option<Event>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let pages = page_count(page.total, page.per_page);
    let current = page.page;
    let total = page.total;
    let go = move |to: u32| query.update(|q| q.page = Some(to));
    let on_prev = move |_| go(current.saturating_sub(1).max(1));
    let on_next = move |_| go((current + 1).min(pages));
    let empty = page.items.is_empty();
    let cards = page
        .items
        .into_iter()
        .map(|event| {
            let open = event.clone();
            view! { <EventCard event=event on_open=move || selected.set(Some(open.clone())) /> }
        })
        .collect_view();

    view! {
        <p class="omk-muted" aria-live="polite" data-testid="events-total">
            {move || i18n.format("events.total", &[("n", &crate::format::count(total))])}
        </p>
        <Show when=move || empty>
            <p data-testid="events-empty">{move || i18n.t("events.empty")}</p>
        </Show>
        <ul class="omk-cards" data-testid="events-list">{cards}</ul>
        <nav class="omk-pager" aria-label=move || i18n.t("events.paging")>
            <button type="button" on:click=on_prev disabled={current <= 1} data-testid="events-prev">
                {move || i18n.t("events.prev")}
            </button>
            <span data-testid="events-page">
                {move || i18n.format("events.page", &[("page", &current.to_string()), ("pages", &pages.to_string())])}
            </span>
            <button type="button" on:click=on_next disabled={current >= pages} data-testid="events-next">
                {move || i18n.t("events.next")}
            </button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_count_rounds_up_and_is_never_zero() {
        assert_eq!(page_count(502, 12), 42);
        assert_eq!(page_count(12, 12), 1);
        assert_eq!(page_count(0, 12), 1);
    }
}
