//! Touch-friendly filters for the event list: district and theme.

use leptos::prelude::*;
use omk_api::EventQuery;
use omk_api::events::EventFacets;

use crate::client::Backend;
use crate::i18n::use_i18n;

/// Drop-downs for district and theme, filled from the backend's facets.
#[component]
pub fn Filters(
    /// The query the filters edit; any change goes back to page one.
    query: RwSignal<EventQuery>,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let facets = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<EventFacets>("/events/facets").await }
    });
    let set_district = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        query.update(|q| {
            q.district = (!value.is_empty()).then_some(value);
            q.page = None;
        });
    };
    let set_theme = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        query.update(|q| {
            q.theme = (!value.is_empty()).then_some(value);
            q.page = None;
        });
    };
    let options = move |pick: fn(&EventFacets) -> &Vec<String>| {
        facets.get().and_then(Result::ok).map(|f| {
            pick(&f)
                .iter()
                .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
                .collect_view()
        })
    };

    view! {
        <div class="omk-filters">
            <label>
                <span>{move || i18n.t("events.district")}</span>
                <select on:change=set_district data-testid="filter-district">
                    <option value="">{move || i18n.t("events.all")}</option>
                    {move || options(|f| &f.districts)}
                </select>
            </label>
            <label>
                <span>{move || i18n.t("events.theme")}</span>
                <select on:change=set_theme data-testid="filter-theme">
                    <option value="">{move || i18n.t("events.all")}</option>
                    {move || options(|f| &f.themes)}
                </select>
            </label>
        </div>
    }
}
