//! Touch-friendly filters for the program: when (now, upcoming, past), which
//! days, and unit, district and theme menus filled from the backend.

use leptos::prelude::*;
use omk_api::EventQuery;
use omk_api::events::EventFacets;
use omk_web::choices::{ChoiceGroup, Look, Marked};

use crate::client::Backend;
use crate::i18n::use_i18n;

use super::when::{Days, When};

/// Which menu a `<select>` edits.
#[derive(Clone, Copy)]
enum Facet {
    Unit,
    District,
    Theme,
}

impl Facet {
    fn values(self, facets: &EventFacets) -> &[String] {
        match self {
            Facet::Unit => &facets.units,
            Facet::District => &facets.districts,
            Facet::Theme => &facets.themes,
        }
    }

    fn set(self, query: &mut EventQuery, value: Option<String>) {
        match self {
            Facet::Unit => query.unit = value,
            Facet::District => query.district = value,
            Facet::Theme => query.theme = value,
        }
        query.page = None;
    }

    fn label_key(self) -> &'static str {
        match self {
            Facet::Unit => "events.unit",
            Facet::District => "events.district",
            Facet::Theme => "events.theme",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Facet::Unit => "unit",
            Facet::District => "district",
            Facet::Theme => "theme",
        }
    }
}

/// A row of filter chips.
const CHIPS: Look = Look {
    marked: Marked::Pressed,
    class: "omk-chips",
    button_class: "omk-chip",
};

/// How many filters narrow the program beyond the default (on now and upcoming, any day,
/// every unit, district and theme): what the phone's "Filter" button counts.
pub fn active_filters(query: &EventQuery, when: When, days: Days) -> usize {
    [
        when != When::Current,
        days != Days::Any,
        query.unit.is_some(),
        query.district.is_some(),
        query.theme.is_some(),
    ]
    .into_iter()
    .filter(|on| *on)
    .count()
}

/// The filter bar.
#[component]
pub fn Filters(
    /// The query the menus edit; any change goes back to page one.
    query: RwSignal<EventQuery>,
    /// Which part of the program.
    when: RwSignal<When>,
    /// Which days.
    days: RwSignal<Days>,
) -> impl IntoView {
    let i18n = use_i18n();
    let backend = expect_context::<Backend>();
    let facets = LocalResource::new(move || {
        let backend = backend.clone();
        async move { backend.get::<EventFacets>("/events/facets").await }
    });
    let first_page = move |()| query.update(|q| q.page = None);
    let menu = move |facet: Facet| {
        let options = move || {
            facets.get().and_then(Result::ok).map(|f| {
                facet
                    .values(&f)
                    .iter()
                    .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
                    .collect_view()
            })
        };
        let id = format!("omk-filter-{}", facet.name());
        view! {
            <div class="omk-field">
                <label for=id.clone()>{move || i18n.t(facet.label_key())}</label>
                <select
                    id=id
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        query.update(|q| facet.set(q, (!value.is_empty()).then_some(value)));
                    }
                    data-testid=format!("filter-{}", facet.name())
                >
                    <option value="">{move || i18n.t("events.all")}</option>
                    {options}
                </select>
            </div>
        }
    };

    view! {
        <div class="omk-filters">
            <ChoiceGroup chosen=when then=first_page look=CHIPS label="events.when" t=move |key| i18n.t(key) />
            <ChoiceGroup chosen=days then=first_page look=CHIPS label="events.days" t=move |key| i18n.t(key) />
            <div class="omk-menus">
                {menu(Facet::District)}
                {menu(Facet::Unit)}
                {menu(Facet::Theme)}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_filters_count_what_differs_from_the_default() {
        let mut query = EventQuery::default();
        assert_eq!(active_filters(&query, When::Current, Days::Any), 0);
        query.district = Some("东昌府区".into());
        assert_eq!(active_filters(&query, When::Current, Days::Any), 1);
        query.theme = Some("教育".into());
        assert_eq!(active_filters(&query, When::Past, Days::Today), 4);
    }
}
