//! A labelled list of options: the chosen value is a signal the select follows, an
//! optional first option stands for "none" or "any" (the empty value), and inside a form
//! it shows its field's error like every other input.

use leptos::prelude::*;

use crate::feedback::FormState;
use crate::i18n::use_i18n;
use crate::kit::fields::{described_by, field_message, invalid_attr};
use crate::names::{Names, use_names};
use omk_api::Lang;

/// One option: the value sent and the text shown (already in the current language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: String,
    pub text: String,
}

impl Choice {
    pub fn new(value: impl Into<String>, text: impl Into<String>) -> Choice {
        Choice {
            value: value.into(),
            text: text.into(),
        }
    }
}

/// Options built from the names of units and categories, in the current language
/// (tracked: follows the language and the names).
fn named(list: impl Fn(Names, Lang) -> Vec<Choice> + Send + Sync + 'static) -> Signal<Vec<Choice>> {
    let i18n = use_i18n();
    let names = use_names();
    Signal::derive(move || list(names.get(), i18n.lang()))
}

/// Which units a list offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Units {
    /// Every unit, retired ones too (to find what was routed to them).
    All,
    /// The active units, but for one (the unit an issue is with now).
    ActiveBut(Option<String>),
}

impl Units {
    /// The units of `names` offered, as options named in `lang`.
    pub fn choices(&self, names: Names, lang: Lang) -> Vec<Choice> {
        let units = match self {
            Units::All => names.units,
            Units::ActiveBut(_) => names.active_units(),
        };
        let left_out = |id: &String| matches!(self, Units::ActiveBut(Some(but)) if but == id);
        units
            .iter()
            .filter(|u| !left_out(&u.id))
            .map(|u| Choice::new(u.id.clone(), u.name(lang)))
            .collect()
    }
}

/// The units as options.
pub fn unit_choices(which: Units) -> Signal<Vec<Choice>> {
    named(move |names, lang| which.choices(names, lang))
}

/// Every category as an option.
pub fn category_choices() -> Signal<Vec<Choice>> {
    named(|names, lang| {
        let categories = names.categories.iter();
        categories
            .map(|c| Choice::new(c.id.clone(), c.name(lang)))
            .collect()
    })
}

/// A labelled `<select>`.
#[component]
pub fn Select(
    /// The select's id.
    id: &'static str,
    /// Its `data-testid`, when not its id.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// The message key of the label.
    label: &'static str,
    /// The options (tracked).
    #[prop(into)]
    options: Signal<Vec<Choice>>,
    /// The message key of a first option with the empty value ("any", "none").
    #[prop(optional)]
    empty: Option<&'static str>,
    /// The chosen value (tracked).
    #[prop(into)]
    value: Signal<String>,
    /// Called with the value the operator chooses.
    #[prop(into)]
    on_change: Callback<String>,
    /// The form's state, to show the field's error; none for a filter.
    #[prop(optional)]
    form: Option<FormState>,
    /// The field's name in the API.
    #[prop(optional)]
    field: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let first = empty.map(|key| {
        view! { <option value="" selected=move || value.with(String::is_empty)>{move || i18n.t(key)}</option> }
    });
    let options = move || {
        options
            .get()
            .into_iter()
            .map(|choice| {
                let chosen = choice.value.clone();
                view! {
                    <option value=choice.value selected=move || value.with(|v| *v == chosen)>{choice.text}</option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="field">
            <label for=id>{move || i18n.t(label)}</label>
            <select
                id=id
                on:change=move |ev| on_change.run(event_target_value(&ev))
                aria-invalid=move || invalid_attr(form, field)
                aria-describedby=move || described_by(form, field, id, false)
                data-testid=testid.unwrap_or(id)
            >
                {first}
                {options}
            </select>
            {field_message(form, field, id)}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use omk_api::Entry;

    use super::*;

    #[test]
    fn units_are_offered_active_and_in_order_but_the_current_one() {
        let units = r#"[
            {"id": "urban", "name_zh": "urban局", "name_en": "Urban", "position": 2, "active": true},
            {"id": "old", "name_zh": "old局", "name_en": "Old", "position": 0, "active": false},
            {"id": "housing", "name_zh": "housing局", "name_en": "Housing", "position": 1, "active": true}
        ]"#;
        let names = Names {
            units: serde_json::from_str::<Vec<Entry>>(units).unwrap_or_default(),
            categories: Vec::new(),
        };
        let values = |which: Units| -> Vec<String> {
            which
                .choices(names.clone(), Lang::En)
                .into_iter()
                .map(|c| c.value)
                .collect()
        };
        assert_eq!(values(Units::ActiveBut(None)), ["housing", "urban"]);
        assert_eq!(values(Units::ActiveBut(Some("urban".into()))), ["housing"]);
        // The inbox filters by retired units too, as issues stay routed to them.
        assert_eq!(values(Units::All), ["urban", "old", "housing"]);
        let texts = Units::All.choices(names, Lang::ZhCn);
        assert_eq!(texts[0].text, "urban局");
    }
}
