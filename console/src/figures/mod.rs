//! The figures: the public satisfaction figures, live from the server's stream, and how
//! issues stand by unit and by category (the operators' breakdown) as tables.

pub mod stream;

use leptos::prelude::*;
use omk_api::metrics::UnitScore;
use omk_api::{Breakdown, BreakdownRow, Metrics};

use crate::client::Client;
use crate::feedback::LoadError;
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::kit::{Column, Loaded, Loading, RowMarks, Table};
use crate::names::use_names;
use crate::screen::{ScreenHeading, message};

use stream::use_live_metrics;

/// A rate for display: `88.1%`, or `None` without data.
pub fn rate_text(rate: Option<f64>) -> Option<String> {
    rate.map(|r| format!("{}%", omk_api::metrics::percent(r)))
}

/// The figures screen.
#[component]
pub fn FiguresScreen() -> impl IntoView {
    let i18n = use_i18n();
    let client = expect_context::<Client>();
    // The snapshot shows until the stream's first event.
    let snapshot =
        LocalResource::new(move || async move { client.get::<Metrics>("/metrics").await });
    let live = use_live_metrics();
    let shown = move || {
        live.metrics
            .get()
            .or_else(|| snapshot.get().and_then(Result::ok))
    };
    let breakdown =
        LocalResource::new(move || async move { client.get::<Breakdown>("/admin/figures").await });
    let cards = move || match shown() {
        Some(found) => view! { <MetricCards metrics=found /> }.into_any(),
        None => match snapshot.get() {
            Some(Err(error)) => view! { <LoadError error /> }.into_any(),
            _ => view! { <Loading /> }.into_any(),
        },
    };
    let tables = |found: Breakdown| {
        view! {
            <BreakdownTable rows=found.by_unit by_unit=true />
            <BreakdownTable rows=found.by_category by_unit=false />
        }
    };
    view! {
        <ScreenHeading text=message("figures.heading") />
        <p class="link-state" data-testid="figures-link">{move || i18n.t(live.state.get().message_key())}</p>
        {cards}
        <Loaded resource=breakdown show=tables />
    }
}

/// One public figure: its name and value.
fn figure(key: &'static str, testid: &'static str, value: impl IntoView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="figure">
            <dt>{move || i18n.t(key)}</dt>
            <dd data-testid=testid>{value}</dd>
        </div>
    }
}

/// The public figures, each a labelled value, and the units' ranking.
#[component]
fn MetricCards(
    /// The snapshot.
    metrics: Metrics,
) -> impl IntoView {
    let i18n = use_i18n();
    let rate = move |rate: Option<f64>| {
        move || rate_text(rate).unwrap_or_else(|| i18n.t("figures.no_data").to_owned())
    };
    let as_of = metrics.as_of;
    view! {
        <section aria-labelledby="public-figures-heading" class="panel">
            <h2 id="public-figures-heading">{move || i18n.t("figures.public")}</h2>
            <p class="note" data-testid="figures-as-of">{move || i18n.format("figures.as_of", &[("at", &date_time(as_of))])}</p>
            <dl class="figures">
                {figure("figures.satisfaction", "figure-satisfaction", rate(metrics.satisfaction_rate))}
                {figure("figures.bad_review", "figure-bad-review", rate(metrics.bad_review_rate))}
                {figure("figures.response", "figure-response", rate(metrics.response_rate))}
                {figure("figures.resolution", "figure-resolution", rate(metrics.resolution_rate))}
                {figure("figures.collected", "figure-collected", metrics.issues_collected)}
                {figure("figures.solved", "figure-solved", metrics.issues_solved)}
                {figure("figures.ratings_total", "figure-ratings-total", metrics.ratings_total)}
                {figure("figures.ratings_today", "figure-ratings-today", metrics.ratings_today)}
            </dl>
            <Table caption="figures.ranking" caption_shown=true items=metrics.ranking
                rows=RowMarks::testid("ranking-row") columns=vec![
                    Column::new("figures.unit", |s: &UnitScore| s.unit.clone()),
                    Column::new("figures.ratings", |s: &UnitScore| s.ratings),
                    Column::new("figures.satisfaction", |s: &UnitScore| rate_text(Some(s.satisfaction_rate))),
                ] />
        </section>
    }
}

/// How issues stand for each unit or each category.
#[component]
fn BreakdownTable(
    /// One row per unit or category.
    rows: Vec<BreakdownRow>,
    /// Whether the rows are units (else categories).
    by_unit: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = use_names();
    let (caption, first, testid) = if by_unit {
        ("figures.by_unit", "figures.unit", "breakdown-unit-row")
    } else {
        (
            "figures.by_category",
            "figures.category",
            "breakdown-category-row",
        )
    };
    let columns = vec![
        Column::new(first, move |row: &BreakdownRow| {
            let id = row.id.clone();
            move || match &id {
                Some(id) if by_unit => names.get().unit(id, i18n.lang()),
                Some(id) => names.get().category(id, i18n.lang()),
                None => i18n.t("issue.no_unit").to_owned(),
            }
        }),
        Column::new("figures.issues", |row: &BreakdownRow| row.issues),
        Column::new("figures.responded", |row: &BreakdownRow| row.responded),
        Column::new("figures.resolved", |row: &BreakdownRow| row.resolved),
        Column::new("figures.overdue", |row: &BreakdownRow| row.overdue),
    ];
    let marks = RowMarks::testid(testid).with_data("data-id", |row: &BreakdownRow| {
        row.id.clone().unwrap_or_default()
    });
    view! {
        <section class="panel">
            <Table caption caption_shown=true columns items=rows rows=marks />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_without_data_is_not_zero() {
        assert_eq!(rate_text(None), None);
        assert_eq!(rate_text(Some(0.0)).as_deref(), Some("0.0%"));
        assert_eq!(rate_text(Some(0.8807)).as_deref(), Some("88.1%"));
    }
}
