//! The archive: every month's cycle, newest first, with where it stands and the topic
//! chosen; a month opens in the cycle screen.

use leptos::prelude::*;
use omk_api::Lang;
use omk_api::cycle::CycleSummary;

use crate::client::Client;
use crate::i18n::use_i18n;
use crate::kit::{Column, Empty, Loaded, RowMarks, Table};
use crate::screen::focus_later;

/// The chosen topic's title in `lang`, when there is one.
pub fn chosen_title(summary: &CycleSummary, lang: Lang) -> Option<String> {
    let title = match lang {
        Lang::ZhCn => summary.chosen_title_zh.clone(),
        Lang::En => summary.chosen_title_en.clone(),
    };
    title.or_else(|| summary.chosen.clone())
}

/// Every cycle; choosing one sets `month`.
#[component]
pub fn Archive(
    /// The month the cycle screen shows.
    month: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    let cycles =
        LocalResource::new(move || async move { client.get::<Vec<CycleSummary>>("/cycles").await });
    let columns = move || {
        vec![
            Column::new("archive.month", move |c: &CycleSummary| {
                let text = c.month.to_string();
                let open = {
                    let text = text.clone();
                    move |_| {
                        month.set(text.clone());
                        focus_later("cycle-stages-heading");
                    }
                };
                view! { <button type="button" class="link" on:click=open data-testid="archive-open">{text}</button> }
            }),
            Column::new("archive.stage", move |c: &CycleSummary| {
                let key = c.stage.message_key();
                move || i18n.shared().text(key).to_owned()
            }),
            Column::new("archive.chosen", move |c: &CycleSummary| {
                let summary = c.clone();
                move || chosen_title(&summary, i18n.lang())
            }),
        ]
    };
    let table = move |found: Vec<CycleSummary>| {
        view! {
            <Table caption="archive.heading" columns=columns() items=found
                rows=RowMarks::testid("archive-row").with_data("data-month", |c: &CycleSummary| c.month.to_string())
                empty=Empty { key: "archive.none", testid: "archive-none" } />
        }
    };
    view! {
        <section aria-labelledby="archive-heading" class="panel">
            <h2 id="archive-heading">{move || i18n.t("archive.heading")}</h2>
            <Loaded resource=cycles show=table />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use omk_api::cycle::{CycleStage, Month};

    #[test]
    fn the_chosen_title_follows_the_language_and_falls_back_to_the_id() {
        let mut summary = CycleSummary {
            month: Month::new(2026, 5).expect("a month"),
            stage: CycleStage::Closed,
            chosen: Some("parking".into()),
            chosen_title_zh: Some("停车".into()),
            chosen_title_en: Some("Parking".into()),
        };
        assert_eq!(chosen_title(&summary, Lang::En).as_deref(), Some("Parking"));
        assert_eq!(chosen_title(&summary, Lang::ZhCn).as_deref(), Some("停车"));
        summary.chosen_title_en = None;
        assert_eq!(chosen_title(&summary, Lang::En).as_deref(), Some("parking"));
    }
}
