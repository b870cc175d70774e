//! The live satisfaction figures: headline rates and counters, pushed over
//! Server-Sent Events, with a "last updated / reconnecting" line.

pub mod charts;
pub mod explain;

use std::time::Duration;

use leptos::prelude::*;
use omk_api::Metrics;

use crate::client::stream::{LinkState, use_live_feed};
use crate::format;
use crate::i18n::use_i18n;
use charts::{RankingChart, TrendChart};
use explain::{Explain, Explanation};

/// A clock signal in `Date.now()` milliseconds that ticks every `period`,
/// with its timer cleared when the owner is cleaned up.
pub fn use_clock(period: Duration) -> ReadSignal<f64> {
    let (now, set_now) = signal(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(move || set_now.set(js_sys::Date::now()), period) {
        on_cleanup(move || handle.clear());
    }
    now
}

/// Whole seconds between two `Date.now()` readings, never negative.
pub fn age_secs(then_ms: f64, now_ms: f64) -> i64 {
    ((now_ms - then_ms) / 1000.0).max(0.0).floor() as i64
}

/// The figures panel.
#[component]
pub fn FiguresPanel() -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live_feed();
    let now = use_clock(Duration::from_secs(1));

    let status = move || match (live.state.get(), live.received_at.get()) {
        (LinkState::Live, Some(at)) => {
            let age = age_secs(at, now.get()).to_string();
            format!(
                "{} · {}",
                i18n.t("figures.live"),
                i18n.format("figures.updated", &[("n", &age)])
            )
        }
        (LinkState::Reconnecting, Some(at)) => {
            let age = age_secs(at, now.get()).to_string();
            format!(
                "{} · {}",
                i18n.t("figures.reconnecting"),
                i18n.format("figures.updated", &[("n", &age)])
            )
        }
        (LinkState::Connecting, Some(at)) => {
            let age = age_secs(at, now.get()).to_string();
            format!(
                "{} · {}",
                i18n.t("figures.loading"),
                i18n.format("figures.updated", &[("n", &age)])
            )
        }
        (LinkState::Reconnecting, None) => i18n.t("figures.reconnecting").to_owned(),
        (_, _) => i18n.t("figures.loading").to_owned(),
    };
    let stale = move || live.state.get() != LinkState::Live;

    view! {
        <section class="omk-screen omk-figures" aria-labelledby="omk-figures-heading" data-testid="figures-panel">
            <h2 id="omk-figures-heading">{move || i18n.t("figures.heading")}</h2>
            <p class="omk-status" class:omk-stale=stale role="status" data-testid="stream-state">{status}</p>
            {move || live.metrics.get().map(|m| {
                let (ranking, trend) = (m.ranking.clone(), m.trend.clone());
                let explained = |chart| {
                    Explanation::of(chart, &m).map(|e| view! { <Explain testid=chart explanation=e /> })
                };
                let (about_ranking, about_trend) = (explained("ranking-chart"), explained("trend-chart"));
                view! {
                    <Tiles metrics=m explain=true />
                    <div class="omk-charts">
                        <div>
                            <RankingChart ranking=ranking />
                            {about_ranking}
                        </div>
                        <div>
                            <TrendChart trend=trend />
                            {about_trend}
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

/// The headline rates and counters of one snapshot.
#[component]
pub fn Tiles(
    /// The snapshot to show.
    metrics: Metrics,
    /// Whether each figure offers "how is this computed?" (not on a screen nobody touches).
    #[prop(optional)]
    explain: bool,
) -> impl IntoView {
    let explained =
        |testid: &'static str| explain.then(|| Explanation::of(testid, &metrics)).flatten();
    let rates = [
        (
            "figures.satisfaction",
            "figure-satisfaction",
            metrics.satisfaction_rate,
        ),
        ("figures.response", "figure-response", metrics.response_rate),
        (
            "figures.resolution",
            "figure-resolution",
            metrics.resolution_rate,
        ),
        (
            "figures.bad_review",
            "figure-bad-review",
            metrics.bad_review_rate,
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
            "figures.ratings_today",
            "figure-ratings-today",
            metrics.ratings_today,
        ),
    ];
    view! {
        <ul class="omk-tiles">
            {rates
                .into_iter()
                .map(|(key, id, value)| view! {
                    <Tile label=key testid=id value=value.map(|r| format::rate(Some(r))) explanation=explained(id) />
                })
                .collect_view()}
            {counts
                .into_iter()
                .map(|(key, id, value)| view! {
                    <Tile label=key testid=id value=Some(format::count(value)) explanation=explained(id) />
                })
                .collect_view()}
        </ul>
    }
}

/// One figure: its value in large type over its label.
#[component]
fn Tile(
    /// Message key of the label.
    label: &'static str,
    /// The `data-testid` of the value.
    testid: &'static str,
    /// The formatted value; `None` until there is data to compute it from.
    value: Option<String>,
    /// How it is computed, when the screen offers it.
    explanation: Option<Explanation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let shown = move || {
        value
            .clone()
            .unwrap_or_else(|| i18n.t("figures.no_data").to_owned())
    };
    view! {
        <li class="omk-tile">
            <span class="omk-tile-value" data-testid=testid>{shown}</span>
            <span class="omk-tile-label">{move || i18n.t(label)}</span>
            {explanation.map(|e| view! { <Explain testid=testid explanation=e /> })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_is_whole_seconds_and_never_negative() {
        assert_eq!(age_secs(1_000.0, 3_999.0), 2);
        assert_eq!(age_secs(5_000.0, 1_000.0), 0);
    }
}
