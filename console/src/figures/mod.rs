//! The figures: the public satisfaction figures, live from the server's stream, and how
//! issues stand by unit and by category (the operators' breakdown) as tables.

pub mod stream;

use leptos::prelude::*;
use omk_api::{Breakdown, BreakdownRow, Metrics};

use crate::client::Client;
use crate::feedback::LoadError;
use crate::format::date_time;
use crate::i18n::use_i18n;
use crate::names::use_names;
use crate::screen::HEADING_ID;

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
            _ => view! { <p role="status">{move || i18n.t("common.loading")}</p> }.into_any(),
        },
    };
    let tables = move || {
        breakdown.get().map(|result| match result {
            Ok(found) => view! {
                <BreakdownTable rows=found.by_unit by_unit=true />
                <BreakdownTable rows=found.by_category by_unit=false />
            }
            .into_any(),
            Err(error) => view! { <LoadError error /> }.into_any(),
        })
    };
    view! {
        <h1 id=HEADING_ID tabindex="-1">{move || i18n.t("figures.heading")}</h1>
        <p class="link-state" data-testid="figures-link">{move || i18n.t(live.state.get().message_key())}</p>
        {cards}
        <Transition fallback=move || view! { <p role="status">{move || i18n.t("common.loading")}</p> }>
            {tables}
        </Transition>
    }
}

/// The public figures, each a labelled value.
#[component]
fn MetricCards(
    /// The snapshot.
    metrics: Metrics,
) -> impl IntoView {
    let i18n = use_i18n();
    let rates = [
        (
            "figures.satisfaction",
            "figure-satisfaction",
            metrics.satisfaction_rate,
        ),
        (
            "figures.bad_review",
            "figure-bad-review",
            metrics.bad_review_rate,
        ),
        ("figures.response", "figure-response", metrics.response_rate),
        (
            "figures.resolution",
            "figure-resolution",
            metrics.resolution_rate,
        ),
    ];
    let counts = [
        (
            "figures.collected",
            "figure-collected",
            metrics.issues_collected,
        ),
        ("figures.solved", "figure-solved", metrics.issues_solved),
        (
            "figures.ratings_total",
            "figure-ratings-total",
            metrics.ratings_total,
        ),
        (
            "figures.ratings_today",
            "figure-ratings-today",
            metrics.ratings_today,
        ),
    ];
    let rate_cards = rates
        .into_iter()
        .map(|(key, testid, rate)| {
            let value =
                move || rate_text(rate).unwrap_or_else(|| i18n.t("figures.no_data").to_owned());
            view! {
                <div class="figure">
                    <dt>{move || i18n.t(key)}</dt>
                    <dd data-testid=testid>{value}</dd>
                </div>
            }
        })
        .collect_view();
    let count_cards = counts
        .into_iter()
        .map(|(key, testid, count)| {
            view! {
                <div class="figure">
                    <dt>{move || i18n.t(key)}</dt>
                    <dd data-testid=testid>{count}</dd>
                </div>
            }
        })
        .collect_view();
    let ranking = metrics
        .ranking
        .into_iter()
        .map(|score| {
            view! {
                <tr data-testid="ranking-row">
                    <th scope="row">{score.unit}</th>
                    <td>{score.ratings}</td>
                    <td>{rate_text(Some(score.satisfaction_rate))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="public-figures-heading" class="panel">
            <h2 id="public-figures-heading">{move || i18n.t("figures.public")}</h2>
            <p class="note" data-testid="figures-as-of">{move || i18n.format("figures.as_of", &[("at", &date_time(metrics.as_of))])}</p>
            <dl class="figures">{rate_cards}{count_cards}</dl>
            <div class="table-wrap">
                <table class="data">
                    <caption>{move || i18n.t("figures.ranking")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t("figures.unit")}</th>
                            <th scope="col">{move || i18n.t("figures.ratings")}</th>
                            <th scope="col">{move || i18n.t("figures.satisfaction")}</th>
                        </tr>
                    </thead>
                    <tbody>{ranking}</tbody>
                </table>
            </div>
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
    let body = rows
        .into_iter()
        .map(|row| {
            let id = row.id.clone();
            let name = move || match &id {
                Some(id) if by_unit => names.get().unit(id, i18n.lang()),
                Some(id) => names.get().category(id, i18n.lang()),
                None => i18n.t("issue.no_unit").to_owned(),
            };
            view! {
                <tr data-testid=testid data-id=row.id.clone().unwrap_or_default()>
                    <th scope="row">{name}</th>
                    <td>{row.issues}</td>
                    <td>{row.responded}</td>
                    <td>{row.resolved}</td>
                    <td>{row.overdue}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel">
            <div class="table-wrap">
                <table class="data">
                    <caption>{move || i18n.t(caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.t(first)}</th>
                            <th scope="col">{move || i18n.t("figures.issues")}</th>
                            <th scope="col">{move || i18n.t("figures.responded")}</th>
                            <th scope="col">{move || i18n.t("figures.resolved")}</th>
                            <th scope="col">{move || i18n.t("figures.overdue")}</th>
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
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
